/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-test-util.c — builders shared by the engine tests, and the check
 * against networks Nengo ran. */
#include "spk-test-util.h"

#include <math.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/spk-rng.h"
#include "io/spk-model-json.h"

SpkNetwork *
tu_network (gint64   seed,
            SpkDtype dtype)
{
  SpkNetwork *net = spk_network_new ();

  spk_network_set_seed (net, seed);
  spk_network_set_dtype (net, dtype);
  return net;
}

static gpointer
add (SpkNetwork *net,
     gpointer    object,
     const char *label)
{
  g_autoptr (GError) error = NULL;

  if (label)
    spk_object_set_label (SPK_OBJECT (object), label);
  spk_network_add (net, SPK_OBJECT (object), &error);
  g_assert_no_error (error);
  g_object_unref (object);
  return object;
}

SpkLayer *
tu_layer (SpkNetwork   *net,
          const char   *label,
          SpkLayerType  type,
          guint         h,
          guint         w,
          guint         c)
{
  SpkLayer *layer = spk_layer_new (type);

  spk_layer_set_shape (layer, h, w, c);
  return add (net, layer, label);
}

SpkNode *
tu_node_expr (SpkNetwork *net,
              const char *label,
              const char *expr)
{
  SpkNode *node = spk_node_new ();

  spk_node_set_output_expr (node, expr);
  return add (net, node, label);
}

SpkNode *
tu_node_const (SpkNetwork   *net,
               const char   *label,
               const double *values,
               gsize         n)
{
  SpkNode *node = spk_node_new ();
  g_autoptr (SpkArray) array = spk_array_new_vector (values, n);

  spk_node_set_output_value (node, array);
  return add (net, node, label);
}

SpkNode *
tu_node_pass (SpkNetwork *net,
              const char *label,
              guint       size_in)
{
  SpkNode *node = spk_node_new ();

  spk_node_set_size_in (node, size_in);
  return add (net, node, label);
}

SpkEnsemble *
tu_ensemble (SpkNetwork    *net,
             const char    *label,
             int            n_neurons,
             int            dims,
             SpkNeuronKind  kind)
{
  SpkEnsemble *ens = spk_ensemble_new ();
  g_autoptr (SpkNeuronType) type = spk_neuron_type_new (kind);

  spk_ensemble_set_n_neurons (ens, n_neurons);
  spk_ensemble_set_dimensions (ens, dims);
  spk_ensemble_set_neuron_type (ens, type);
  return add (net, ens, label);
}

SpkConnection *
tu_connect (SpkNetwork *net,
            gpointer    pre,
            gboolean    pre_neurons,
            gpointer    post,
            gboolean    post_neurons,
            double      tau)
{
  SpkConnection *conn = spk_connection_new ();
  g_autoptr (SpkSynapse) synapse = tau >= 0 ? spk_synapse_new_lowpass (tau) : NULL;

  spk_connection_set_pre (conn, pre);
  spk_connection_set_pre_neurons (conn, pre_neurons);
  spk_connection_set_post (conn, post);
  spk_connection_set_post_neurons (conn, post_neurons);
  spk_connection_set_synapse (conn, synapse);
  return add (net, conn, NULL);
}

SpkProbe *
tu_probe (SpkNetwork *net,
          const char *label,
          gpointer    target,
          gboolean    neurons,
          const char *attr,
          double      tau)
{
  SpkProbe *probe = spk_probe_new ();
  g_autoptr (SpkSynapse) synapse = tau >= 0 ? spk_synapse_new_lowpass (tau) : NULL;

  spk_probe_set_target (probe, target);
  spk_probe_set_target_neurons (probe, neurons);
  spk_probe_set_attr (probe, attr);
  spk_probe_set_synapse (probe, synapse);
  return add (net, probe, label);
}

void
tu_set_gain_bias (SpkEnsemble *ens,
                  double       gain,
                  double       bias)
{
  int n = spk_ensemble_get_n_neurons (ens);
  g_autoptr (SpkArray) g = spk_array_new (1, n, 1);
  g_autoptr (SpkArray) b = spk_array_new (1, n, 1);

  for (int i = 0; i < n; i++)
    {
      g->data[i] = gain;
      b->data[i] = bias;
    }
  spk_ensemble_set_gain (ens, g);
  spk_ensemble_set_bias (ens, b);
}

double *
tu_run_probe (SpkNetwork *net,
              const char *probe,
              guint64     n_steps,
              guint      *size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);
  g_autoptr (SpkSimulator) sim = NULL;
  double *data;
  int index;

  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, n_steps, &error);
  g_assert_no_error (error);
  index = spk_plan_find_probe (plan, probe);
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim, index), ==, n_steps);
  *size = spk_plan_get_probe_size (plan, index);
  data = g_new (double, n_steps * *size);
  spk_simulator_get_probe_data (sim, index, data);
  return data;
}

void
tu_reference_run (TuReferenceRun *run,
                  const char     *dir,
                  const char     *name,
                  const SpkDtype *dtype)
{
  g_autofree char *file = g_strdup_printf ("%s.json", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, file, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = NULL;
  g_autofree char *model = NULL;

  run->parser = json_parser_new ();
  json_parser_load_from_file (run->parser, path, &error);
  g_assert_no_error (error);
  run->root = json_node_get_object (json_parser_get_root (run->parser));
  run->steps = (guint) json_object_get_int_member (run->root, "steps");
  model = json_to_string (json_object_get_member (run->root, "model"), FALSE);
  net = spk_model_load_data (model, -1, &error);
  g_assert_no_error (error);
  if (dtype != NULL)
    spk_network_set_dtype (net, *dtype);
  run->plan = spk_build (net, &error);
  g_assert_no_error (error);
  run->sim = spk_simulator_new (run->plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (run->sim, run->steps, &error);
  g_assert_no_error (error);
}

void
tu_reference_run_clear (TuReferenceRun *run)
{
  g_clear_pointer (&run->sim, spk_simulator_free);
  g_clear_pointer (&run->plan, spk_plan_unref);
  g_clear_object (&run->parser);
  run->root = NULL;
}

/* A network Nengo 4.1.0 ran, from tests/data/<dir>/<name>.json (the model
 * and Nengo's probe data, made by make-reference.py there), run by the
 * engine in dtype: every probe within rtol (rtol_f64 in float64, 2e-3 in
 * float32) of its largest value; nonzero: that value is not 0. */
void
tu_check_against_nengo (const char *dir,
                        const char *name,
                        SpkDtype    dtype,
                        double      rtol_f64,
                        gboolean    nonzero)
{
  g_auto (TuReferenceRun) run = { 0 };
  JsonObject *probes;
  g_autoptr (GList) labels = NULL;
  const double rtol = dtype == SPK_DTYPE_FLOAT64 ? rtol_f64 : 2e-3;

  tu_reference_run (&run, dir, name, &dtype);
  probes = json_object_get_object_member (run.root, "probes");
  labels = json_object_get_members (probes);
  for (GList *l = labels; l != NULL; l = l->next)
    {
      JsonArray *rows = json_object_get_array_member (probes, l->data);
      int index = spk_plan_find_probe (run.plan, l->data);
      guint size;
      g_autofree double *got = NULL;
      double largest = 0, worst = 0;

      g_assert_cmpint (index, >=, 0);
      size = spk_plan_get_probe_size (run.plan, index);
      g_assert_cmpuint (json_array_get_length (rows), ==, run.steps);
      g_assert_cmpuint (json_array_get_length (json_array_get_array_element (rows, 0)), ==, size);
      got = g_new (double, (gsize) run.steps * size);
      spk_simulator_get_probe_data (run.sim, index, got);
      for (guint n = 0; n < run.steps; n++)
        for (guint k = 0; k < size; k++)
          largest = MAX (largest, fabs (json_array_get_double_element (json_array_get_array_element (rows, n), k)));
      for (guint n = 0; n < run.steps; n++)
        for (guint k = 0; k < size; k++)
          {
            double want = json_array_get_double_element (json_array_get_array_element (rows, n), k);

            if (fabs (got[(gsize) n * size + k] - want) > rtol * largest && worst <= rtol * largest)
              g_test_message ("%s %s: first difference at step %u, value %u: %.17g, Nengo %.17g",
                              name, (const char *) l->data, n + 1, k, got[(gsize) n * size + k], want);
            worst = MAX (worst, fabs (got[(gsize) n * size + k] - want));
          }
      g_test_message ("%s %s: largest |difference| from Nengo %.3g (of values up to %.3g)",
                      name, (const char *) l->data, worst, largest);
      if (nonzero)
        g_assert_cmpfloat (largest, >, 0.0);
      g_assert_cmpfloat (worst, <=, rtol * MAX (largest, 1e-300));
    }
}

char *
tu_make_test_files (const char *tmp_template,
                    const char *subdir,
                    const char *script)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, subdir, script, NULL);
  char *dir = g_dir_make_tmp (tmp_template, &error);
  const char *args[] = { "/usr/bin/python3", path, dir, NULL };
  int status = 0;

  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return dir;
}

void
tu_remove_dir (const char *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (path);
}

void
tu_fuzz_file (const char *good,
              const char *damaged,
              guint       n,
              guint64     seed,
              TuReadFunc  read)
{
  g_autofree char *data = NULL;
  gsize len;
  SpkRng rng;
  guint refused = 0;

  g_assert_true (g_file_get_contents (good, &data, &len, NULL));
  spk_rng_init (&rng, seed);
  if (g_getenv ("SPK_FUZZ_SCALE"))
    n *= (guint) MAX (g_ascii_strtoull (g_getenv ("SPK_FUZZ_SCALE"), NULL, 10), 1);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *copy = g_memdup2 (data, len);
      g_autoptr (GError) error = NULL;
      gboolean read_ok;

      for (guint k = 0; k < 1 + i % 8; k++)
        copy[spk_rng_next_u64 (&rng) % len] = (char) (spk_rng_next_u64 (&rng) & 0xff);
      g_assert_true (g_file_set_contents (damaged, copy, (gssize) len, NULL));
      read_ok = read (damaged, &error);
      g_assert_true (read_ok != (error != NULL));
      refused += !read_ok;
    }
  g_test_message ("%s: %u of %u damaged files refused", good, refused, n);
}

void
tu_assert_model_fails (const char *model,
                       gboolean    at_build,
                       const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;

  if (at_build)
    {
      g_assert_no_error (error);
      plan = spk_build (net, &error);
      g_assert_null (plan);
    }
  else
    g_assert_null (net);
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected '%s' in '%s'", fragment, error->message);
}

char *
tu_model_written_twice (SpkNetwork *net)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *written = spk_model_to_data (net, NULL);
  g_autoptr (SpkNetwork) again = spk_model_load_data (written, -1, &error);
  g_autofree char *rewritten = NULL;

  g_assert_no_error (error);
  rewritten = spk_model_to_data (again, NULL);
  g_assert_cmpstr (written, ==, rewritten);
  return g_steal_pointer (&written);
}

typedef struct
{
  const char *dir;
  const char *name;
  SpkDtype dtype;
  double rtol_f64;
  gboolean nonzero;
} TuNengoCase;

static void
run_nengo_case (gconstpointer data)
{
  const TuNengoCase *c = data;

  tu_check_against_nengo (c->dir, c->name, c->dtype, c->rtol_f64, c->nonzero);
}

void
tu_add_nengo_cases (const char        *dir,
                    const char *const *cases,
                    guint              n,
                    double             rtol_f64,
                    gboolean           nonzero)
{
  for (guint i = 0; i < n; i++)
    for (SpkDtype dtype = SPK_DTYPE_FLOAT32; dtype <= SPK_DTYPE_FLOAT64; dtype++)
      {
        g_autofree char *path = g_strdup_printf ("/spk/%s/nengo/%s/%s", dir, cases[i],
                                                 spk_dtype_to_name (dtype));
        TuNengoCase *c = g_new (TuNengoCase, 1);

        *c = (TuNengoCase) { dir, cases[i], dtype, rtol_f64, nonzero };
        g_test_add_data_func_full (path, c, run_nengo_case, g_free);
      }
}

/* With h = 1e-6·max(1, |θ|) the truncation error is O(h²) and the
 * rounding error about 1e-16·loss/h, both far below tol = 1e-5 for
 * losses of order 1–1e3. */
void
tu_check_gradient (SpkTrainer *trainer,
                   SpkDataset *x,
                   SpkDataset *y,
                   gsize       stride,
                   double      tol)
{
  gsize n = spk_trainer_get_n_trainable (trainer);
  g_autofree double *theta = g_new (double, n);
  g_autofree double *grad = g_new (double, n);
  g_autoptr (GError) error = NULL;
  double loss, scale = 0.0, worst = 0.0;

  g_assert_cmpuint (n, >, 0);
  if (stride == 0)
    stride = MAX (n / 80, 1);
  spk_trainer_get_trainable (trainer, theta);
  g_assert_true (spk_trainer_loss_and_grad (trainer, x, y, &loss, grad, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    scale = MAX (scale, fabs (grad[i]));
  g_assert_cmpfloat (scale, >, 0.0);
  for (gsize i = 0; i < n; i += stride)
    {
      double keep = theta[i], h = 1e-6 * MAX (1.0, fabs (keep)), lp, lm, fd;

      theta[i] = keep + h;
      spk_trainer_set_trainable (trainer, theta);
      g_assert_true (spk_trainer_loss_and_grad (trainer, x, y, &lp, NULL, NULL));
      theta[i] = keep - h;
      spk_trainer_set_trainable (trainer, theta);
      g_assert_true (spk_trainer_loss_and_grad (trainer, x, y, &lm, NULL, NULL));
      theta[i] = keep;
      fd = (lp - lm) / (2.0 * h);
      worst = MAX (worst, fabs (fd - grad[i]) / scale);
      if (fabs (fd - grad[i]) > tol * scale)
        g_test_message ("value %zu: analytic %.12g, numeric %.12g", i, grad[i], fd);
      g_assert_cmpfloat (fabs (fd - grad[i]), <=, tol * scale);
    }
  spk_trainer_set_trainable (trainer, theta);
  g_test_message ("%zu trainable values, worst relative difference %.3g", n, worst);
}
