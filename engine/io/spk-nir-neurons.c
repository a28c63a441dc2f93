/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-neurons.c — NIR's neuron and state nodes as engine objects that
 * step the same equations exactly at dt (docs/nir.md, "What each node
 * becomes"):
 *   LIF, CubaLIF  engine LIF neurons: with u = (v − v_reset)/(v_threshold
 *                 − v_reset), τ v̇ = v_leak − v + R I is Nengo's τ u̇ =
 *                 J − u, J = gain·I + bias, spiking at u > 1 and resetting
 *                 to 0; tau_ref 0, no floor, amplitude dt (a spike is 1 in
 *                 its step).  CubaLIF's current is a Lowpass(tau_syn) on
 *                 every edge in, w_in folded into the gain.
 *   IF            the same LIF with τ = dt·2^70: its update u + (J − u)·
 *                 2^−70 with J = 2^70·dt·R·I/(v_threshold − v_reset) adds
 *                 dt·R·I exactly, and the leak u·2^−70 is below the
 *                 rounding of u in float32 and float64 alike.
 *   LI, CubaLI    a pass-through Node fed through Lowpass(τ) synapses (the
 *                 engine's exact zero-order hold) with R on the transform,
 *                 and a constant Node of v_leak through the same synapse;
 *                 CubaLI's current is another Node before it.
 *   I             the same with the digital integrator dt/(z − 1).
 *   Threshold     a Node computing x > 0, fed x − threshold.
 *   Delay         a Node fed through a pure delay of delay/dt steps.
 * Elements with different time constants (or starting fractions) are
 * split into groups, each with its own ensemble or synapse, joined by list
 * slices. */
#define G_LOG_DOMAIN "spk-nir"

#include "spk-nir-convert-private.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "model/spk-distribution.h"
#include "model/spk-ensemble.h"
#include "model/spk-neuron-type.h"
#include "model/spk-node.h"
#include "model/spk-subnetwork.h"

/* A voltage floor no neuron reaches: NIR neurons have none. */
#define NO_FLOOR (-1e30)
/* The integrate-and-fire's time constant, in steps: 2^IF_SHIFT. */
#define IF_SHIFT 70
/* The longest delay, in steps, one synapse holds (SPK_FILTER_MAX_ORDER);
 * longer ones pass a chain of at most MAX_DELAY_LINKS Nodes, which every
 * element of the node shares. */
#define MAX_DELAY_STEPS 8
#define MAX_DELAY_LINKS 64

#define node_fail _spk_nir_node_fail

/* Elements of a node with equal keys. */
typedef struct
{
  double  key[3];
  GArray *indices;   /* gint64 */
} Group;

static void
group_free (gpointer data)
{
  Group *g = data;

  g_array_unref (g->indices);
  g_free (g);
}

/* Splits n elements by their keys (n × n_keys), as many groups as there
 * are different keys, in the order of their first elements. */
static GPtrArray *
group_elements (gsize         n,
                guint         n_keys,
                const double *keys)
{
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (group_free);
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; i < n; i++)
    {
      const double *k = keys + i * n_keys;
      g_autofree char *text = g_strdup_printf ("%a %a %a", k[0], n_keys > 1 ? k[1] : 0, n_keys > 2 ? k[2] : 0);
      gpointer found;
      Group *g;
      gint64 at = (gint64) i;

      if (g_hash_table_lookup_extended (index, text, NULL, &found))
        g = g_ptr_array_index (groups, GPOINTER_TO_UINT (found));
      else
        {
          g = g_new0 (Group, 1);
          memcpy (g->key, k, n_keys * sizeof (double));
          g->indices = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (index, g_steal_pointer (&text), GUINT_TO_POINTER (groups->len));
          g_ptr_array_add (groups, g);
        }
      g_array_append_val (g->indices, at);
    }
  return g_steal_pointer (&groups);
}

/* The slice of a group's elements; NULL for the only group (all). */
static SpkSlice *
group_slice (GPtrArray *groups,
             Group     *g)
{
  if (groups->len == 1)
    return NULL;
  return spk_slice_new_list ((const gint64 *) g->indices->data, g->indices->len);
}

/* values[i] for the group's elements, as a vector. */
static SpkArray *
group_values (Group        *g,
              const double *values)
{
  SpkArray *a = spk_array_new (1, g->indices->len, 1);

  for (guint k = 0; k < g->indices->len; k++)
    a->data[k] = values[g_array_index (g->indices, gint64, k)];
  return a;
}

static char *
group_label (SpkNirConverter *c,
             GPtrArray       *groups,
             guint            k)
{
  g_autofree char *part = NULL;

  if (groups->len == 1)
    return _spk_nir_label (c, NULL);
  /* TRANSLATORS: one of several ensembles of a NIR neuron node, e.g. "lif (2 of 3)" */
  part = g_strdup_printf (_("(%u of %u)"), k + 1, groups->len);
  return _spk_nir_label (c, part);
}

/* ---- spiking neurons ---------------------------------------------------------- */

/* The sub-network holding the parts of a node split into groups,
 * labelled as the node; NULL with a message when it cannot be added. */
static SpkObject *
group_network (SpkNirConverter *c)
{
  g_autoptr (SpkSubnetwork) net = spk_subnetwork_new ();
  g_autofree char *label = _spk_nir_label (c, NULL);

  if (!_spk_nir_add_object (c, net, label))
    return NULL;
  return SPK_OBJECT (net);
}

/* LIF, CubaLIF and IF: engine LIF ensembles, one per group of neurons
 * with equal time constants and starting fraction.  Several groups go
 * into a sub-network labelled as the node ("lif"), their spikes gathered
 * by list slices into its Node "lif.output" (and, for LIF and IF, the
 * edges in spread from its Node "lif.input"), so that a node of neurons
 * with as many different time constants as neurons stays one card. */
static gboolean
lif_ensembles (SpkNirConverter *c,
               SpkNirValue     *v,
               const double    *keys,    /* n × 3: tau_rc, tau_syn (< 0: none), u0 */
               const double    *gain,
               const double    *bias)
{
  g_autoptr (GPtrArray) groups = group_elements (v->size, 3, keys);
  g_autoptr (SpkNode) gather = NULL, spread = NULL;
  SpkObject *outer = c->container;
  gboolean ok = TRUE, synapses = FALSE;

  for (guint k = 0; k < groups->len; k++)
    synapses |= ((Group *) g_ptr_array_index (groups, k))->key[1] >= 0;
  if (groups->len > 1)
    {
      SpkObject *net = group_network (c);
      g_autofree char *label = NULL, *in_label = NULL;

      if (net == NULL)
        return FALSE;
      label = g_strdup_printf ("%s.output", spk_object_get_label (net));
      c->container = net;
      gather = spk_node_new ();
      spk_node_set_size_in (gather, (guint) v->size);
      ok = _spk_nir_add_object (c, gather, label);
      /* Without synapses the edges in enter one Node "lif.input", which
       * spreads them to the groups by list slices: the network's card
       * has one input, not one per group (a pass-through in the same
       * step: nothing changes).  CubaLIF's groups keep their own
       * synapses on the edges in. */
      if (ok && !synapses)
        {
          in_label = g_strdup_printf ("%s.input", spk_object_get_label (net));
          spread = spk_node_new ();
          spk_node_set_size_in (spread, (guint) v->size);
          ok = _spk_nir_add_object (c, spread, in_label);
          if (ok)
            _spk_nir_add_entry (v, SPK_OBJECT (spread), FALSE, NULL, NULL, NULL, NULL);
        }
    }
  for (guint k = 0; ok && k < groups->len; k++)
    {
      Group *g = g_ptr_array_index (groups, k);
      g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
      g_autoptr (SpkNeuronType) type = spk_neuron_type_new (SPK_NEURON_LIF);
      g_autoptr (SpkArray) start = spk_array_new (2, g->indices->len, 1);
      g_autoptr (SpkArray) g_gain = group_values (g, gain), g_bias = group_values (g, bias);
      g_autofree char *label = group_label (c, groups, k);
      guint n = g->indices->len;

      type->tau_rc = g->key[0];
      type->tau_ref = 0;
      type->min_voltage = NO_FLOOR;
      /* A spike is amplitude/dt: 1 in its step. */
      type->amplitude = c->options->dt;
      for (guint i = 0; i < n; i++)
        start->data[i] = g->key[2];
      type->initial_state[0] = spk_distribution_new_array (start);
      spk_ensemble_set_n_neurons (ens, (int) n);
      spk_ensemble_set_dimensions (ens, 1);
      spk_ensemble_set_neuron_type (ens, type);
      spk_ensemble_set_gain (ens, g_gain);
      spk_ensemble_set_bias (ens, g_bias);
      if (!(ok = _spk_nir_add_object (c, ens, label)))
        break;
      if (spread != NULL)
        {
          g_autoptr (SpkSlice) from = group_slice (groups, g);

          if (!(ok = _spk_nir_connect (c, SPK_OBJECT (spread), FALSE, SPK_OBJECT (ens), TRUE, from, NULL, NULL, NULL)))
            break;
        }
      else
        _spk_nir_add_entry (v, SPK_OBJECT (ens), TRUE, group_slice (groups, g), NULL,
                            g->key[1] >= 0 ? spk_synapse_new_lowpass (g->key[1]) : NULL, NULL);
      if (gather == NULL)
        {
          v->object = SPK_OBJECT (ens);
          v->neurons = TRUE;
        }
      else
        {
          g_autoptr (SpkSlice) into = group_slice (groups, g);

          ok = _spk_nir_connect (c, SPK_OBJECT (ens), TRUE, SPK_OBJECT (gather), FALSE, NULL, into, NULL, NULL);
        }
    }
  c->container = outer;
  if (gather != NULL)
    v->object = SPK_OBJECT (gather);
  v->in_size = v->size;
  return ok;
}

/* The checks every integrate-and-fire element passes: a threshold above
 * the reset, and an engine gain, bias and start voltage that fit a double
 * (a gain past 1e30 overflows the IF's 2^70 scaling). */
static gboolean
threshold_above_reset (SpkNirConverter *c,
                       gsize            i,
                       double           threshold,
                       double           reset)
{
  if (threshold - reset > 0)
    return TRUE;
  return node_fail (c, SPK_IO_ERROR_VALUE, _("neuron %" PRIu64 ": v_threshold (%g) must be above v_reset (%g)"),
                    (guint64) i, threshold, reset);
}

static gboolean
parameters_fit (SpkNirConverter *c,
                gsize            i,
                double           gain,
                double           bias,
                double           start)
{
  if (isfinite (gain) && fabs (gain) <= 1e30 && isfinite (bias) && isfinite (start))
    return TRUE;
  return node_fail (c, SPK_IO_ERROR_VALUE, _("neuron %" PRIu64 ": the parameters overflow"), (guint64) i);
}

gboolean
_spk_nir_convert_lif (SpkNirConverter *c,
                      SpkNirValue     *v,
                      gboolean         cuba)
{
  static const char *const lif_names[] = { "tau", "r", "v_leak", "v_threshold", "v_reset", NULL };
  static const char *const cuba_names[] = { "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "tau_syn",
                                            "w_in", NULL };
  static const gboolean optional[] = { FALSE, FALSE, FALSE, FALSE, TRUE, FALSE, TRUE };
  const char *const *names = cuba ? cuba_names : lif_names;
  SpkNirArray *p[8] = { NULL };
  g_autofree double *keys = NULL, *gain = NULL, *bias = NULL;

  if (!_spk_nir_elementwise (c, names, optional, p, v))
    return FALSE;
  keys = g_new (double, v->size * 3);
  gain = g_new (double, v->size);
  bias = g_new (double, v->size);
  for (gsize i = 0; i < v->size; i++)
    {
      double r = _spk_nir_at (p[1], i, 1), leak = _spk_nir_at (p[2], i, 0);
      double threshold = _spk_nir_at (p[3], i, 1), reset = _spk_nir_at (p[4], i, 0);
      double w_in = cuba ? _spk_nir_at (p[6], i, 1) : 1;
      double range = threshold - reset;

      if (!threshold_above_reset (c, i, threshold, reset))
        return FALSE;
      if (!_spk_nir_tau (c, names[0], _spk_nir_at (p[0], i, 0), &keys[3 * i]))
        return FALSE;
      keys[3 * i + 1] = -1;
      if (cuba && !_spk_nir_tau (c, "tau_syn", _spk_nir_at (p[5], i, 0), &keys[3 * i + 1]))
        return FALSE;
      /* Every neuron starts at v = 0, as on the NIR platforms. */
      keys[3 * i + 2] = (0 - reset) / range;
      gain[i] = r * w_in / range;
      bias[i] = (leak - reset) / range;
      if (!parameters_fit (c, i, gain[i], bias[i], keys[3 * i + 2]))
        return FALSE;
    }
  return lif_ensembles (c, v, keys, gain, bias);
}

gboolean
_spk_nir_convert_if (SpkNirConverter *c,
                     SpkNirValue     *v)
{
  static const char *const names[] = { "r", "v_threshold", "v_reset", NULL };
  static const gboolean optional[] = { FALSE, FALSE, TRUE };
  SpkNirArray *p[4] = { NULL };
  const double dt = c->options->dt, tau = ldexp (dt, IF_SHIFT);
  g_autofree double *keys = NULL, *gain = NULL, *bias = NULL;

  if (!_spk_nir_elementwise (c, names, optional, p, v))
    return FALSE;
  keys = g_new (double, v->size * 3);
  gain = g_new (double, v->size);
  bias = g_new0 (double, v->size);
  for (gsize i = 0; i < v->size; i++)
    {
      double r = _spk_nir_at (p[0], i, 1), threshold = _spk_nir_at (p[1], i, 1);
      double reset = _spk_nir_at (p[2], i, 0), range = threshold - reset;

      if (!threshold_above_reset (c, i, threshold, reset))
        return FALSE;
      keys[3 * i] = tau;
      keys[3 * i + 1] = -1;
      keys[3 * i + 2] = (0 - reset) / range;
      /* u + (J − u)·(dt/τ) with dt/τ = 2^−70: J·2^−70 = dt·R·I/range. */
      gain[i] = ldexp (dt * r / range, IF_SHIFT);
      if (!parameters_fit (c, i, gain[i], bias[i], keys[3 * i + 2]))
        return FALSE;
    }
  return lif_ensembles (c, v, keys, gain, bias);
}

/* ---- state without spikes --------------------------------------------------- */

/* A pass-through Node of v's size holding a state. */
static SpkNode *
state_node (SpkNirConverter *c,
            SpkNirValue     *v,
            const char      *suffix)
{
  g_autoptr (SpkNode) node = spk_node_new ();
  g_autofree char *label = _spk_nir_label (c, suffix);

  spk_node_set_size_in (node, (guint) v->size);
  if (!_spk_nir_add_object (c, node, label))
    return NULL;
  return g_steal_pointer (&node);
}

/* Connections from pre into node, one per group of equal τ, through a
 * Lowpass(τ) and scaled by scale (may be NULL); or, with into_entries,
 * as entries of v. */
static gboolean
lowpass_into (SpkNirConverter *c,
              SpkNirValue     *v,
              SpkObject       *pre,
              SpkNode         *node,
              GPtrArray       *groups,
              const double    *scale,
              gboolean         into_entries)
{
  for (guint k = 0; k < groups->len; k++)
    {
      Group *g = g_ptr_array_index (groups, k);
      g_autoptr (SpkSynapse) synapse = spk_synapse_new_lowpass (g->key[0]);
      g_autoptr (SpkArray) factors = scale ? group_values (g, scale) : NULL;
      g_autoptr (SpkSlice) pre_slice = group_slice (groups, g), post_slice = group_slice (groups, g);

      if (into_entries)
        _spk_nir_add_entry (v, SPK_OBJECT (node), FALSE, g_steal_pointer (&pre_slice),
                            g_steal_pointer (&post_slice), g_steal_pointer (&synapse), g_steal_pointer (&factors));
      else if (!_spk_nir_connect (c, pre, FALSE, SPK_OBJECT (node), FALSE, pre_slice, post_slice, synapse, factors))
        return FALSE;
    }
  return TRUE;
}

/* Groups of the elements by the time constant of parameter p. */
static GPtrArray *
tau_groups (SpkNirConverter   *c,
            const SpkNirArray *p,
            const char        *name,
            gsize              n)
{
  g_autofree double *keys = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    if (!_spk_nir_tau (c, name, _spk_nir_at (p, i, 0), &keys[i]))
      return NULL;
  return group_elements (n, 1, keys);
}

static double *
values_of (const SpkNirArray *p,
           gsize              n,
           double             fallback)
{
  double *out = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    out[i] = _spk_nir_at (p, i, fallback);
  return out;
}

gboolean
_spk_nir_convert_li (SpkNirConverter *c,
                     SpkNirValue     *v,
                     gboolean         cuba)
{
  static const char *const li_names[] = { "tau", "r", "v_leak", NULL };
  static const char *const cuba_names[] = { "tau_mem", "r", "v_leak", "tau_syn", "w_in", NULL };
  static const gboolean optional[] = { FALSE, FALSE, FALSE, FALSE, TRUE };
  const char *const *names = cuba ? cuba_names : li_names;
  SpkNirArray *p[6] = { NULL };
  g_autoptr (GPtrArray) mem = NULL, syn = NULL;
  g_autoptr (SpkNode) out = NULL, current = NULL;
  g_autofree double *r = NULL, *leak = NULL, *w_in = NULL;
  gboolean leaks = FALSE;

  if (!_spk_nir_elementwise (c, names, optional, p, v))
    return FALSE;
  if (!(mem = tau_groups (c, p[0], names[0], v->size)) || (cuba && !(syn = tau_groups (c, p[3], "tau_syn", v->size))))
    return FALSE;
  r = values_of (p[1], v->size, 1);
  leak = values_of (p[2], v->size, 0);
  for (gsize i = 0; i < v->size; i++)
    leaks |= leak[i] != 0;
  if (!(out = state_node (c, v, NULL)))
    return FALSE;
  v->object = SPK_OBJECT (out);
  v->in_size = v->size;
  if (cuba)
    {
      /* TRANSLATORS: the synaptic current of a NIR CubaLI node, e.g. "li current" */
      if (!(current = state_node (c, v, _("current"))))
        return FALSE;
      w_in = values_of (p[4], v->size, 1);
      if (!lowpass_into (c, v, NULL, current, syn, w_in, TRUE)
          || !lowpass_into (c, v, SPK_OBJECT (current), out, mem, r, FALSE))
        return FALSE;
    }
  else if (!lowpass_into (c, v, NULL, out, mem, r, TRUE))
    return FALSE;
  if (leaks)
    {
      g_autoptr (SpkNode) rest = spk_node_new ();
      g_autofree char *label = _spk_nir_label (c, "v_leak");

      g_autoptr (SpkArray) values = spk_array_new_vector (leak, v->size);

      spk_node_set_output_value (rest, values);
      if (!_spk_nir_add_object (c, rest, label) || !lowpass_into (c, v, SPK_OBJECT (rest), out, mem, NULL, FALSE))
        return FALSE;
    }
  return TRUE;
}

gboolean
_spk_nir_convert_integrator (SpkNirConverter *c,
                             SpkNirValue     *v)
{
  static const char *const names[] = { "r", NULL };
  SpkNirArray *p[2] = { NULL };
  g_autoptr (SpkNode) out = NULL;
  g_autoptr (SpkArray) num = NULL, den = NULL;
  const double dt = c->options->dt;

  if (!_spk_nir_elementwise (c, names, NULL, p, v) || !(out = state_node (c, v, NULL)))
    return FALSE;
  /* v[n] = v[n − 1] + dt·R·I[n]: exact for an input held over the step. */
  num = spk_array_new_vector ((const double[]) { dt }, 1);
  den = spk_array_new_vector ((const double[]) { 1, -1 }, 2);
  {
    g_autofree double *r = values_of (p[0], v->size, 1);

    _spk_nir_add_entry (v, SPK_OBJECT (out), FALSE, NULL, NULL, spk_synapse_new_linear_filter_full (num, den, FALSE),
                        spk_array_new_vector (r, v->size));
  }
  v->object = SPK_OBJECT (out);
  v->in_size = v->size;
  return TRUE;
}

gboolean
_spk_nir_convert_threshold (SpkNirConverter *c,
                            SpkNirValue     *v)
{
  static const char *const names[] = { "threshold", NULL };
  SpkNirArray *p[2] = { NULL };
  g_autoptr (SpkNode) node = spk_node_new ();
  g_autoptr (SpkNode) minus = spk_node_new ();
  g_autofree char *label = _spk_nir_label (c, NULL), *minus_label = _spk_nir_label (c, "threshold");
  g_autofree double *t = NULL;

  if (!_spk_nir_elementwise (c, names, NULL, p, v))
    return FALSE;
  /* x > threshold exactly as x − threshold > 0 (IEEE subtraction of two
   * different numbers is never 0). */
  spk_node_set_size_in (node, (guint) v->size);
  spk_node_set_output_expr (node, "x > 0");
  t = values_of (p[0], v->size, 0);
  for (gsize i = 0; i < v->size; i++)
    t[i] = -t[i];
  {
    g_autoptr (SpkArray) values = spk_array_new_vector (t, v->size);

    spk_node_set_output_value (minus, values);
  }
  if (!_spk_nir_add_object (c, node, label) || !_spk_nir_add_object (c, minus, minus_label)
      || !_spk_nir_connect (c, SPK_OBJECT (minus), FALSE, SPK_OBJECT (node), FALSE, NULL, NULL, NULL, NULL))
    return FALSE;
  _spk_nir_add_entry (v, SPK_OBJECT (node), FALSE, NULL, NULL, NULL, NULL);
  v->object = SPK_OBJECT (node);
  v->in_size = v->size;
  return TRUE;
}

/* A pure delay of steps ≥ 1 as a synapse: a digital 1/z^steps, which the
 * engine steps with its output including the current input (Nengo's
 * convention) and passes on in the next step: steps in all. */
static SpkSynapse *
delay_synapse (guint steps)
{
  g_autoptr (SpkArray) num = NULL, den = NULL;
  double coeffs[MAX_DELAY_STEPS + 1] = { 1 };

  if (steps == 1)
    return spk_synapse_new_lowpass (0);
  num = spk_array_new_vector ((const double[]) { 1 }, 1);
  den = spk_array_new_vector (coeffs, steps + 1);
  return spk_synapse_new_linear_filter_full (num, den, FALSE);
}

gboolean
_spk_nir_convert_delay (SpkNirConverter *c,
                        SpkNirValue     *v)
{
  static const char *const names[] = { "delay", NULL };
  SpkNirArray *p[2] = { NULL };
  g_autoptr (SpkNode) out = NULL;
  g_autoptr (GPtrArray) groups = NULL, links = NULL;
  g_autofree double *steps = NULL;
  const double dt = c->options->dt;
  /* On a cycle, the edge out of the delay waits one step already. */
  const guint taken = _spk_nir_out_delayed (c, c->index) ? 1 : 0;

  if (!_spk_nir_elementwise (c, names, NULL, p, v))
    return FALSE;
  steps = g_new (double, v->size);
  for (gsize i = 0; i < v->size; i++)
    {
      double d = _spk_nir_at (p[0], i, 0), k = round (d / dt);

      if (!(d >= 0) || fabs (d / dt - k) > 1e-6 * MAX (1, k))
        return node_fail (c, SPK_IO_ERROR_VALUE,
                          _("element %" PRIu64 ": the delay %g s is not a whole number of steps of %g s"),
                          (guint64) i, d, dt);
      if (k > MAX_DELAY_STEPS * MAX_DELAY_LINKS + taken)
        return node_fail (c, SPK_IO_ERROR_VALUE,
                          _("element %" PRIu64 ": the delay of %g steps is longer than the %d Spikeworks converts"),
                          (guint64) i, k, MAX_DELAY_STEPS * MAX_DELAY_LINKS);
      if (k < taken)
        return node_fail (c, SPK_IO_ERROR_VALUE, _("a delay of 0 steps on a cycle cannot carry it"));
      steps[i] = k - taken;
    }
  groups = group_elements (v->size, 1, steps);
  if (!(out = state_node (c, v, NULL)))
    return FALSE;
  /* Delays longer than one synapse holds pass one chain of Nodes, link j
   * holding the whole input MAX_DELAY_STEPS·j steps late; each group
   * leaves it at the last link before its delay, for the rest. */
  links = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint k = 0; k < groups->len; k++)
    {
      guint total = (guint) ((Group *) g_ptr_array_index (groups, k))->key[0];

      while (total > MAX_DELAY_STEPS * (links->len + 1))
        {
          g_autoptr (SpkNode) next = spk_node_new ();
          /* TRANSLATORS: a link of the chain of Nodes carrying a long NIR Delay, e.g. "d link 2" */
          g_autofree char *part = g_strdup_printf (_("link %u"), links->len + 1);
          g_autofree char *label = _spk_nir_label (c, part);

          spk_node_set_size_in (next, (guint) v->size);
          if (!_spk_nir_add_object (c, next, label))
            return FALSE;
          if (links->len == 0)
            _spk_nir_add_entry (v, SPK_OBJECT (next), FALSE, NULL, NULL, delay_synapse (MAX_DELAY_STEPS), NULL);
          else
            {
              g_autoptr (SpkSynapse) wait = delay_synapse (MAX_DELAY_STEPS);

              if (!_spk_nir_connect (c, g_ptr_array_index (links, links->len - 1), FALSE, SPK_OBJECT (next), FALSE,
                                     NULL, NULL, wait, NULL))
                return FALSE;
            }
          g_ptr_array_add (links, g_steal_pointer (&next));
        }
    }
  for (guint k = 0; k < groups->len; k++)
    {
      Group *g = g_ptr_array_index (groups, k);
      guint total = (guint) g->key[0];
      /* The links before it: left is then 1 … MAX_DELAY_STEPS (0 only
       * for no delay at all). */
      guint m = total > 0 ? (total - 1) / MAX_DELAY_STEPS : 0;
      guint left = total - m * MAX_DELAY_STEPS;

      if (m == 0)
        _spk_nir_add_entry (v, SPK_OBJECT (out), FALSE, group_slice (groups, g), group_slice (groups, g),
                            left >= 1 ? delay_synapse (left) : NULL, NULL);
      else
        {
          g_autoptr (SpkSynapse) wait = delay_synapse (left);
          g_autoptr (SpkSlice) from = group_slice (groups, g), into = group_slice (groups, g);

          if (!_spk_nir_connect (c, g_ptr_array_index (links, m - 1), FALSE, SPK_OBJECT (out), FALSE, from, into,
                                 wait, NULL))
            return FALSE;
        }
    }
  v->object = SPK_OBJECT (out);
  v->in_size = v->size;
  return TRUE;
}
