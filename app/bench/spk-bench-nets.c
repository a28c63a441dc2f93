/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-nets.c — benchmark networks, built with the model API exactly
 * as the reference scripts build them in Nengo. */
#define G_LOG_DOMAIN "spk-bench"

#include "bench/spk-bench-nets.h"

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "examples/spk-examples.h"

static const SpkBenchInfo benches[] = {
  { "rate-vs-spiking", N_("the seed example: overhead of a tiny model"), 1000, NULL },
  { "nef-sin-x-squared", N_("the seed NEF example: overhead of a tiny model"), 1000, NULL },
  { "chain-1", N_("a sine into 1 ensemble of 50 LIF neurons"), 1000, NULL },
  { "chain-10", N_("a sine through a chain of 10 ensembles of 50 LIF neurons"), 1000, NULL },
  { "chain-100", N_("a sine through a chain of 100 ensembles of 50 LIF neurons"), 1000, NULL },
  { "chain-1000", N_("a sine through a chain of 1000 ensembles of 50 LIF neurons"), 1000, NULL },
  { "big-ens", N_("10,000 LIF neurons in 16 dimensions with a recurrent decoded connection"), 1000, NULL },
  { "dense-relu", N_("the 784-64-784 autoencoder forward pass, one step per image"), 200, "input" },
  { "full-weights", N_("10,000 LIF neurons with dense recurrent neuron-to-neuron weights"), 1000, NULL },
  { NULL, NULL, 0, NULL },
};

const SpkBenchInfo *
spk_bench_list (void)
{
  return benches;
}

const SpkBenchInfo *
spk_bench_find (const char *name)
{
  for (const SpkBenchInfo *b = benches; b->name; b++)
    if (g_strcmp0 (b->name, name) == 0)
      return b;
  return NULL;
}

static void
add (SpkNetwork *net,
     gpointer    object,
     const char *label)
{
  if (label)
    spk_object_set_label (SPK_OBJECT (object), label);
  spk_network_add (net, SPK_OBJECT (object), NULL);
  g_object_unref (object);
}

static SpkEnsemble *
lif_ensemble (SpkNetwork *net,
              const char *label,
              int         n,
              int         d)
{
  SpkEnsemble *ens = spk_ensemble_new ();

  spk_ensemble_set_n_neurons (ens, n);
  spk_ensemble_set_dimensions (ens, d);
  add (net, ens, label);
  return ens;
}

static SpkConnection *
connect_objects (SpkNetwork *net,
                 gpointer    pre,
                 gpointer    post)
{
  SpkConnection *conn = spk_connection_new ();

  spk_connection_set_pre (conn, pre);
  spk_connection_set_post (conn, post);
  add (net, conn, NULL);
  return conn;
}

static void
probe (SpkNetwork *net,
       gpointer    target,
       gboolean    neurons,
       double      tau)
{
  SpkProbe *p = spk_probe_new ();
  g_autoptr (SpkSynapse) synapse = tau > 0 ? spk_synapse_new_lowpass (tau) : NULL;

  spk_probe_set_target (p, target);
  spk_probe_set_target_neurons (p, neurons);
  spk_probe_set_synapse (p, synapse);
  add (net, p, "probe");
}

static SpkNetwork *
chain (int n_ens)
{
  SpkNetwork *net = spk_network_new ();
  SpkNode *stim = spk_node_new ();
  gpointer prev = stim;

  spk_network_set_seed (net, 0);
  spk_node_set_output_expr (stim, "sin(2*pi*t)");
  add (net, stim, "stim");
  for (int i = 0; i < n_ens; i++)
    {
      g_autofree char *label = g_strdup_printf ("ens%d", i);
      SpkEnsemble *ens = lif_ensemble (net, label, 50, 1);

      connect_objects (net, prev, ens);
      prev = ens;
    }
  probe (net, prev, FALSE, 0.01);
  return net;
}

static SpkNetwork *
big_ens (void)
{
  SpkNetwork *net = spk_network_new ();
  SpkNode *stim = spk_node_new ();
  g_autoptr (GString) expr = g_string_new ("[");
  g_autoptr (SpkDistribution) gain = spk_distribution_new_scalar (0.9);
  g_autoptr (SpkSynapse) slow = spk_synapse_new_lowpass (0.1);
  SpkEnsemble *ens;
  SpkConnection *recurrent;

  spk_network_set_seed (net, 0);
  /* 0.5·sin(2π·f·t) for f = 0.5, 1, …, 8 Hz. */
  for (int i = 1; i <= 16; i++)
    g_string_append_printf (expr, "%s0.5*sin(2*pi*%g*t)", i > 1 ? ", " : "", i * 0.5);
  g_string_append (expr, "]");
  spk_node_set_output_expr (stim, expr->str);
  add (net, stim, "stim");
  ens = lif_ensemble (net, "ens", 10000, 16);
  connect_objects (net, stim, ens);
  recurrent = connect_objects (net, ens, ens);
  spk_connection_set_transform (recurrent, gain);
  spk_connection_set_synapse (recurrent, slow);
  probe (net, ens, FALSE, 0.01);
  return net;
}

static SpkNetwork *
full_weights (void)
{
  SpkNetwork *net = spk_network_new ();
  SpkNode *stim = spk_node_new ();
  SpkEnsemble *ens;
  SpkConnection *recurrent;
  g_autoptr (SpkDistribution) weights = spk_distribution_new_uniform (-1e-4, 1e-4);

  spk_network_set_seed (net, 0);
  spk_node_set_output_expr (stim, "sin(2*pi*t)");
  add (net, stim, "stim");
  ens = lif_ensemble (net, "ens", 10000, 1);
  connect_objects (net, stim, ens);
  recurrent = connect_objects (net, ens, ens);
  spk_connection_set_pre_neurons (recurrent, TRUE);
  spk_connection_set_post_neurons (recurrent, TRUE);
  spk_connection_set_transform (recurrent, weights);
  probe (net, ens, TRUE, 0);
  return net;
}

SpkNetwork *
spk_bench_network_new (const char  *name,
                       GError     **error)
{
  if (g_str_equal (name, "rate-vs-spiking") || g_str_equal (name, "nef-sin-x-squared"))
    return spk_example_new (name, error);
  if (g_str_equal (name, "dense-relu"))
    return spk_example_new ("autoencoder", error);
  if (g_str_equal (name, "chain-1"))
    return chain (1);
  if (g_str_equal (name, "chain-10"))
    return chain (10);
  if (g_str_equal (name, "chain-100"))
    return chain (100);
  if (g_str_equal (name, "chain-1000"))
    return chain (1000);
  if (g_str_equal (name, "big-ens"))
    return big_ens ();
  if (g_str_equal (name, "full-weights"))
    return full_weights ();
  g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_LABEL,
               _("there is no benchmark '%s'"), name);
  return NULL;
}
