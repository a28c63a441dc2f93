/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-session.c — sessions in HDF5: exact round trips of every example
 * (model, built parameters and the run they give), probe data, layout and
 * training history; and every refused file — not HDF5, another format, a
 * newer version, missing or mistyped objects, unknown labels, truncation
 * at every byte — with its message.  Saves interrupted by a failure or a
 * kill leave the previous file readable, and large probe data moves in
 * blocks, with peak memory under twice its size. */
#include <math.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <hdf5.h>

#include "core/spk-error.h"
#include "examples/spk-examples.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "io/spk-session-private.h"
#include "spk-test-util.h"

static const char tiny_model[] =
  "{\"format\": \"spikeworks-model\", \"version\": 1,"
  " \"network\": {\"label\": \"tiny\", \"seed\": 1},"
  " \"objects\": ["
  "  {\"type\": \"node\", \"label\": \"in\", \"output\": [0.5]},"
  "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"connection\", \"pre\": \"in\", \"post\": \"a\"},"
  "  {\"type\": \"probe\", \"label\": \"p\", \"target\": \"a\", \"synapse\": 0.01},"
  "  {\"type\": \"probe\", \"target\": \"in\"}]}";

/* {{{ Helpers */

typedef struct
{
  char *dir;
  char *path;   /* dir/s.spkw */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("spk-session-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "s.spkw", NULL);
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static SpkNetwork *
tiny_network (void)
{
  g_autoptr (GError) error = NULL;
  SpkNetwork *network = spk_model_load_data (tiny_model, -1, &error);

  g_assert_no_error (error);
  return network;
}

/* A session of the tiny model, built and run for n_steps with its probe
 * data recorded, a layout and a short training history. */
static SpkSession *
tiny_session (guint64 n_steps)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = tiny_network ();
  g_autoptr (SpkPlan) plan = spk_build (network, &error);
  g_autoptr (SpkSimulator) sim = NULL;
  SpkSession *session;

  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (sim, n_steps, &error));
  session = spk_session_new (network);
  spk_session_set_plan (session, plan);
  g_assert_true (spk_session_record_simulator (session, sim, &error));
  g_assert_no_error (error);
  spk_session_set_layout (session, "canvas/a", g_variant_new ("(dd)", 10.5, -3.0));
  spk_session_add_history (session, 0, "loss", 0.5);
  spk_session_add_history (session, 1, "loss", 0.25);
  return session;
}

static void
save_ok (SpkSession *session,
         const char *path)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
}

static SpkSession *
load_ok (const char *path)
{
  g_autoptr (GError) error = NULL;
  SpkSession *session = spk_session_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

/* Loading path fails with an SPK_IO_ERROR whose message holds every one
 * of the NULL-terminated fragments. */
static void
assert_load_fails (const char *path,
                   ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = spk_session_load (path, &error);
  const char *fragment;
  va_list args;

  g_assert_null (session);
  g_assert_error (error, SPK_IO_ERROR, error->code);
  va_start (args, path);
  while ((fragment = va_arg (args, const char *)))
    if (strstr (error->message, fragment) == NULL)
      g_error ("message '%s' lacks '%s'", error->message, fragment);
  va_end (args);
}

static void
assert_models_equal (SpkNetwork *a,
                     SpkNetwork *b)
{
  /* The JSON writer walks every property and prints numbers exactly, so
   * equal texts are equal models. */
  g_autofree char *ta = spk_model_to_data (a, NULL);
  g_autofree char *tb = spk_model_to_data (b, NULL);

  g_assert_cmpstr (ta, ==, tb);
}

static void
assert_params_equal (SpkPlan *a,
                     SpkPlan *b)
{
  g_auto (GStrv) ka = spk_plan_list_params (a);
  g_auto (GStrv) kb = spk_plan_list_params (b);

  g_assert_true (g_strv_equal ((const char *const *) ka, (const char *const *) kb));
  for (guint i = 0; ka[i]; i++)
    {
      g_autoptr (SpkArray) pa = spk_plan_dup_param (a, ka[i]);
      g_autoptr (SpkArray) pb = spk_plan_dup_param (b, ka[i]);

      if (!spk_array_equal (pa, pb))
        g_error ("parameter %s differs after loading", ka[i]);
    }
}

/* Opens path read-write with HDF5, for tampering with a saved session. */
static hid_t
open_rw (const char *path)
{
  hid_t file;

  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  file = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (file, >=, 0);
  return file;
}

static void
replace_dataset (hid_t          file,
                 const char    *name,
                 hid_t          type,
                 int            rank,
                 const hsize_t *dims,
                 const void    *values)
{
  hid_t space = H5Screate_simple (rank, dims, NULL);
  hid_t dset;

  g_assert_cmpint (H5Ldelete (file, name, H5P_DEFAULT), >=, 0);
  dset = H5Dcreate2 (file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (dset, >=, 0);
  g_assert_cmpint (H5Dwrite (dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), >=, 0);
  H5Dclose (dset);
  H5Sclose (space);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
}

/* }}} */
/* {{{ Round trips */

/* Every example: the model, every built parameter and the run of the
 * loaded plan are identical to the saved ones, bit for bit. */
static void
test_examples (Fixture       *f,
               gconstpointer  data)
{
  for (const SpkExampleInfo *info = spk_examples_list (); info->name; info++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) network = spk_example_new (info->name, &error);
      g_autoptr (SpkPlan) plan = NULL;
      g_autoptr (SpkSimulator) sim = NULL, sim2 = NULL;
      g_autoptr (SpkSession) session = NULL, back = NULL;
      guint64 n_steps = 100;

      g_test_message ("example %s", info->name);
      g_assert_no_error (error);
      plan = spk_build (network, &error);
      g_assert_no_error (error);
      sim = spk_simulator_new (plan, 1, &error);
      g_assert_no_error (error);
      g_assert_true (spk_simulator_run_steps (sim, n_steps, &error));
      session = spk_session_new (network);
      spk_session_set_plan (session, plan);
      g_assert_true (spk_session_record_simulator (session, sim, &error));
      save_ok (session, f->path);
      back = load_ok (f->path);

      assert_models_equal (network, spk_session_get_network (back));
      g_assert_nonnull (spk_session_get_plan (back));
      assert_params_equal (plan, spk_session_get_plan (back));

      sim2 = spk_simulator_new (spk_session_get_plan (back), 1, &error);
      g_assert_no_error (error);
      g_assert_true (spk_simulator_run_steps (sim2, n_steps, &error));
      for (guint p = 0; p < spk_plan_get_n_probes (plan); p++)
        {
          const char *label = spk_plan_get_probe_label (plan, p);
          guint size = spk_plan_get_probe_size (plan, p);
          guint64 n = spk_simulator_get_probe_n_samples (sim, p);
          g_autofree double *d1 = g_new (double, n * size + 1);
          g_autofree double *d2 = g_new (double, n * size + 1);
          const float *saved;
          guint64 n_saved;
          guint size_saved;

          g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim2, p), ==, n);
          spk_simulator_get_probe_data (sim, p, d1);
          spk_simulator_get_probe_data (sim2, p, d2);
          g_assert_cmpmem (d1, n * size * sizeof (double), d2, n * size * sizeof (double));

          /* The recorded data came back too, as float32. */
          saved = spk_session_get_probe_data (back, label, NULL, &n_saved, &size_saved, NULL);
          g_assert_nonnull (saved);
          g_assert_cmpuint (n_saved, ==, n);
          g_assert_cmpuint (size_saved, ==, size);
          for (guint64 i = 0; i < n * size; i++)
            g_assert_true (saved[i] == (float) d1[i]);
        }
    }
}

/* A session saved without a plan (a network that may not build yet) keeps
 * its network and has no plan after loading. */
static void
test_no_plan (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (SpkNetwork) network = tiny_network ();
  g_autoptr (SpkSession) session = spk_session_new (network);
  g_autoptr (SpkSession) back = NULL;

  save_ok (session, f->path);
  back = load_ok (f->path);
  assert_models_equal (network, spk_session_get_network (back));
  g_assert_null (spk_session_get_plan (back));
}

static void
test_probes_history_layout (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (SpkNetwork) network = tiny_network ();
  g_autoptr (SpkSession) session = spk_session_new (network);
  g_autoptr (SpkSession) back = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) keys = NULL, metrics = NULL;
  g_autofree guint *epochs = NULL;
  double t[3] = { 0.001, 0.002, 0.003 };
  double values[2 * 3 * 2] = { 1, 2, 3, 4, 5, 6, 0.1, -0.2, 1e-30, 1e30, -0.0, 7 };
  const float *loaded;
  const double *t_loaded;
  guint batch, size, n_epochs;
  guint64 n;
  double v;

  /* A batch of two runs of three samples of two values. */
  g_assert_true (spk_session_set_probe_data (session, "p", t, values, 2, 3, 2, &error));
  g_assert_true (spk_session_set_probe_data (session, "probe1", t, values, 1, 0, 1, &error));
  g_assert_no_error (error);
  spk_session_set_layout (session, "canvas/in", g_variant_new ("(dd)", 1.5, 2.25));
  spk_session_set_layout (session, "canvas/a b", g_variant_new ("(dd)", -0.1, 1e300));
  spk_session_set_layout (session, "plots/0", g_variant_new_parsed ("{'kind': <'line'>, 'probes': <['p']>}"));
  spk_session_set_layout (session, "zoom", g_variant_new_double (0.75));
  spk_session_set_layout (session, "removed", g_variant_new_int32 (1));
  spk_session_set_layout (session, "removed", NULL);
  spk_session_add_history (session, 0, "loss", 1.0);
  spk_session_add_history (session, 2, "loss", 0.5);
  spk_session_add_history (session, 2, "loss", 0.25);   /* replaces */
  spk_session_add_history (session, 2, "val_accuracy", 0.875);
  save_ok (session, f->path);
  back = load_ok (f->path);

  loaded = spk_session_get_probe_data (back, "p", &batch, &n, &size, &t_loaded);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (batch, ==, 2);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (size, ==, 2);
  g_assert_cmpmem (t_loaded, sizeof t, t, sizeof t);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_true (memcmp (&loaded[i], &(float) { (float) values[i] }, sizeof (float)) == 0);
  g_assert_nonnull (spk_session_get_probe_data (back, "probe1", NULL, &n, NULL, NULL));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (spk_session_get_probe_data (back, "nope", NULL, NULL, NULL, NULL));

  keys = spk_session_list_layout (back);
  g_assert_cmpuint (g_strv_length (keys), ==, 4);
  g_assert_cmpstr (keys[0], ==, "canvas/a b");
  g_assert_cmpstr (keys[3], ==, "zoom");
  for (guint i = 0; keys[i]; i++)
    g_assert_true (g_variant_equal (spk_session_get_layout (session, keys[i]),
                                    spk_session_get_layout (back, keys[i])));

  metrics = spk_session_list_history_metrics (back);
  g_assert_cmpuint (g_strv_length (metrics), ==, 2);
  epochs = spk_session_dup_history_epochs (back, &n_epochs);
  g_assert_cmpuint (n_epochs, ==, 2);
  g_assert_cmpuint (epochs[0], ==, 0);
  g_assert_cmpuint (epochs[1], ==, 2);
  g_assert_true (spk_session_get_history (back, 2, "loss", &v));
  g_assert_cmpfloat (v, ==, 0.25);
  g_assert_true (spk_session_get_history (back, 2, "val_accuracy", &v));
  g_assert_cmpfloat (v, ==, 0.875);
  g_assert_false (spk_session_get_history (back, 0, "val_accuracy", &v));
}

/* Labels that are not valid HDF5 names are escaped and come back. */
static void
test_odd_labels (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = spk_model_load_data (
    "{\"format\": \"spikeworks-model\", \"version\": 1, \"network\": {\"seed\": 2}, \"objects\": ["
    " {\"type\": \"node\", \"label\": \"in/put\", \"output\": [0.5]},"
    " {\"type\": \"ensemble\", \"label\": \".%2F\", \"n_neurons\": 3},"
    " {\"type\": \"connection\", \"pre\": \"in/put\", \"post\": \".%2F\"},"
    " {\"type\": \"probe\", \"target\": \".%2F\"}]}", -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (SpkSession) session = NULL, back = NULL;

  g_assert_no_error (error);
  plan = spk_build (network, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_true (spk_simulator_run_steps (sim, 10, &error));
  session = spk_session_new (network);
  g_assert_true (spk_session_record_simulator (session, sim, &error));
  save_ok (session, f->path);
  back = load_ok (f->path);
  assert_params_equal (plan, spk_session_get_plan (back));
  g_assert_nonnull (spk_session_get_probe_data (back, "probe0", NULL, NULL, NULL, NULL));
}

/* A target longer than an HDF5 attribute holds (a NIR graph's
 * convolution reads its pre through a list of 20,000 indices) is saved
 * and read back whole. */
static void
test_long_target (Fixture       *f,
                  gconstpointer  data)
{
  const guint n = 20000;
  g_autoptr (GString) text = g_string_new ("{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": [");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) session = NULL, back = NULL;

  g_string_append_printf (text, " {\"type\": \"node\", \"label\": \"m\", \"size_in\": %u},"
                          " {\"type\": \"node\", \"label\": \"n\", \"output\": [0", n);
  for (guint i = 1; i < n; i++)
    g_string_append (text, ", 0");
  g_string_append (text, "]}, {\"type\": \"connection\", \"post\": \"m\", \"pre\": \"n[[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u", i ? ", " : "", n - 1 - i);
  g_string_append (text, "]]\"}]}");
  network = spk_model_load_data (text->str, -1, &error);
  g_assert_no_error (error);
  plan = spk_build (network, &error);
  g_assert_no_error (error);
  session = spk_session_new (network);
  spk_session_set_plan (session, plan);
  save_ok (session, f->path);
  back = load_ok (f->path);
  assert_models_equal (network, spk_session_get_network (back));
}

/* }}} */
/* {{{ Refused files */

static void
test_foreign (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *text = g_build_filename (f->dir, "model.json", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.h5", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.spkw", NULL);
  hid_t file, space, type, attr;
  const char *format = "something-else";

  g_assert_true (g_file_set_contents (text, tiny_model, -1, NULL));
  assert_load_fails (text, text, "not an HDF5 file", NULL);
  assert_load_fails (missing, "could not open", missing, NULL);

  /* An HDF5 file of another program, first without then with a format. */
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  file = H5Fcreate (other, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (file, >=, 0);
  H5Gclose (H5Gcreate2 (file, "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Fclose (file);
  assert_load_fails (other, other, "/: not a Spikeworks session (no attribute 'format')", NULL);

  file = open_rw (other);
  space = H5Screate (H5S_SCALAR);
  type = H5Tcopy (H5T_C_S1);
  H5Tset_size (type, H5T_VARIABLE);
  attr = H5Acreate2 (file, "format", type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite (attr, type, &format);
  H5Aclose (attr);
  H5Tclose (type);
  H5Sclose (space);
  H5Fclose (file);
  assert_load_fails (other, "/@format: not a Spikeworks session (the format is 'something-else')", NULL);
}

static void
test_newer_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (SpkSession) session = tiny_session (5);
  hid_t file, attr;
  gint64 version = SPK_SESSION_VERSION + 1;

  save_ok (session, f->path);
  file = open_rw (f->path);
  attr = H5Aopen (file, "version", H5P_DEFAULT);
  H5Awrite (attr, H5T_NATIVE_INT64, &version);
  H5Aclose (attr);
  H5Fclose (file);
  assert_load_fails (f->path, f->path, "/@version: the session is version 2, newer than this Spikeworks reads (1)", NULL);

  /* A version of the wrong type is not a version. */
  file = open_rw (f->path);
  H5Adelete (file, "version");
  {
    hid_t space = H5Screate (H5S_SCALAR);
    double v = 1.0;

    attr = H5Acreate2 (file, "version", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite (attr, H5T_NATIVE_DOUBLE, &v);
    H5Aclose (attr);
    H5Sclose (space);
  }
  H5Fclose (file);
  assert_load_fails (f->path, "/@version: expected one integer", NULL);
}

typedef struct
{
  const char *name;
  void      (*tamper) (hid_t file);
  const char *message;
} Tamper;

static void
delete_network (hid_t file)
{
  H5Ldelete (file, "network", H5P_DEFAULT);
}

static void
delete_model_json (hid_t file)
{
  H5Ldelete (file, "network/model_json", H5P_DEFAULT);
}

static void
delete_version (hid_t file)
{
  H5Adelete (file, "version");
}

static void
delete_mirror_type (hid_t file)
{
  H5Adelete_by_name (file, "network/objects/1", "type", H5P_DEFAULT);
}

static void
delete_probe_t (hid_t file)
{
  H5Ldelete (file, "probes/p/t", H5P_DEFAULT);
}

static void
delete_param (hid_t file)
{
  H5Ldelete (file, "params/a/eval_points", H5P_DEFAULT);
}

static void
delete_gain (hid_t file)
{
  H5Ldelete (file, "params/a/gain", H5P_DEFAULT);
}

static void
probe_data_integers (hid_t file)
{
  hsize_t dims[2] = { 5, 1 };
  int values[5] = { 0 };

  replace_dataset (file, "probes/p/data", H5T_NATIVE_INT, 2, dims, values);
}

static void
probe_data_rank1 (hid_t file)
{
  hsize_t dims[1] = { 5 };
  float values[5] = { 0 };

  replace_dataset (file, "probes/p/data", H5T_NATIVE_FLOAT, 1, dims, values);
}

static void
probe_data_wrong_size (hid_t file)
{
  hsize_t dims[2] = { 5, 2 };
  float values[10] = { 0 };

  replace_dataset (file, "probes/p/data", H5T_NATIVE_FLOAT, 2, dims, values);
}

static void
probe_t_wrong_length (hid_t file)
{
  hsize_t dims[1] = { 4 };
  double values[4] = { 0 };

  replace_dataset (file, "probes/p/t", H5T_NATIVE_DOUBLE, 1, dims, values);
}

static void
param_float32 (hid_t file)
{
  hsize_t dims[1] = { 4 };
  float values[4] = { 1, 1, 1, 1 };

  replace_dataset (file, "params/a/gain", H5T_NATIVE_FLOAT, 1, dims, values);
}

static void
param_wrong_shape (hid_t file)
{
  hsize_t dims[1] = { 7 };
  double values[7] = { 1, 1, 1, 1, 1, 1, 1 };

  replace_dataset (file, "params/a/gain", H5T_NATIVE_DOUBLE, 1, dims, values);
}

static void
param_extra (hid_t file)
{
  hsize_t dims[1] = { 4 };
  double values[4] = { 1, 1, 1, 1 };
  hid_t space = H5Screate_simple (1, dims, NULL);
  hid_t dset = H5Dcreate2 (file, "params/a/gains", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);

  H5Dwrite (dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
  H5Dclose (dset);
  H5Sclose (space);
}

static void
unknown_probe (hid_t file)
{
  H5Lmove (file, "probes/p", file, "probes/nope", H5P_DEFAULT, H5P_DEFAULT);
}

static void
unknown_param_object (hid_t file)
{
  H5Lmove (file, "params/a", file, "params/zz", H5P_DEFAULT, H5P_DEFAULT);
}

static void
replace_model_json (hid_t       file,
                    const char *text)
{
  hid_t type = H5Tcopy (H5T_C_S1);
  hid_t space = H5Screate (H5S_SCALAR);
  hid_t dset;

  H5Tset_size (type, H5T_VARIABLE);
  H5Ldelete (file, "network/model_json", H5P_DEFAULT);
  dset = H5Dcreate2 (file, "network/model_json", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
  H5Dclose (dset);
  H5Sclose (space);
  H5Tclose (type);
}

static void
bad_model_json (hid_t file)
{
  replace_model_json (file, "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": [{\"type\": \"blob\"}]}");
}

/* F1 through a session: json-glib's parser recursed once per level and
 * 100,000 levels overflowed the stack. */
static void
deep_model_json (hid_t file)
{
  g_autoptr (GString) text = g_string_new ("{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  replace_model_json (file, text->str);
}

static void
layout_bad_variant (hid_t file)
{
  hid_t type = H5Tcopy (H5T_C_S1);
  hid_t space = H5Screate (H5S_SCALAR);
  const char *s = "s";
  hid_t attr;

  H5Tset_size (type, H5T_VARIABLE);
  g_assert_cmpint (H5Adelete_by_name (file, "layout/canvas/a", "type", H5P_DEFAULT), >=, 0);
  attr = H5Acreate_by_name (file, "layout/canvas/a", "type", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (attr, >=, 0);
  g_assert_cmpint (H5Awrite (attr, type, &s), >=, 0);
  H5Aclose (attr);
  H5Sclose (space);
  H5Tclose (type);
}

static void
history_wrong_length (hid_t file)
{
  hsize_t dims[1] = { 3 };
  double values[3] = { 1, 2, 3 };

  replace_dataset (file, "training/history/loss", H5T_NATIVE_DOUBLE, 1, dims, values);
}

static const Tamper tampers[] = {
  { "no /network", delete_network, "/network: the required group is missing" },
  { "no model_json", delete_model_json, "/network/model_json: the required dataset is missing" },
  { "no version", delete_version, "/: the required attribute 'version' is missing" },
  { "mirror without type", delete_mirror_type, "/network/objects/1: the required attribute 'type' is missing" },
  { "no probe times", delete_probe_t, "/probes/p/t: the required dataset is missing" },
  { "missing parameter", delete_param, "/params/a/eval_points: the required dataset is missing" },
  { "gain without bias", delete_gain, "/params: ensemble 'a': saved gain and bias must be given together" },
  { "integer probe data", probe_data_integers, "/probes/p/data: expected floating-point values" },
  { "probe data of rank 1", probe_data_rank1, "/probes/p/data: expected 2 to 3 dimensions, found 1" },
  { "probe data of the wrong width", probe_data_wrong_size, "/probes/p/data: samples of 2 values, but probe 'p' records 1" },
  { "probe times of the wrong length", probe_t_wrong_length, "/probes/p/t: 4 sample times for 5 samples of data" },
  { "float32 parameter", param_float32, "/params/a/gain: expected float64 values" },
  { "parameter of the wrong shape", param_wrong_shape, "/params: " },
  { "unknown parameter", param_extra, "/params/a/gains: the network has no such parameter" },
  { "unknown probe", unknown_probe, "/probes/nope: 'nope' is not a probe of the network" },
  { "unknown object", unknown_param_object, "/params/zz: 'zz' names no object of the network" },
  { "bad model", bad_model_json, "/network/model_json: " },
  { "deeply nested model", deep_model_json, "/network/model_json: line 1: lists and objects are nested more than 64 levels deep" },
  { "layout of the wrong type", layout_bad_variant, "/layout/canvas/a: " },
  { "history of the wrong length", history_wrong_length, "/training/history/loss: 3 values for 2 epochs" },
};

static void
test_tampered (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (SpkSession) session = tiny_session (5);
  g_autofree char *good = g_build_filename (f->dir, "good.spkw", NULL);

  save_ok (session, good);
  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      hid_t file;

      g_test_message ("tamper: %s", tampers[i].name);
      copy_file (good, f->path);
      file = open_rw (f->path);
      tampers[i].tamper (file);
      g_assert_cmpint (H5Fclose (file), >=, 0);
      assert_load_fails (f->path, f->path, tampers[i].message, NULL);
    }
}

/* Writes the first length bytes of contents to path without the fsync
 * g_file_set_contents () does: tens of thousands of those take minutes on
 * a busy disk, and the test needs no durability. */
static void
write_prefix (const char *path,
              const char *contents,
              gsize       length)
{
  FILE *file = g_fopen (path, "wb");

  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (contents, 1, length, file), ==, length);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* A session cut off at any byte is refused with a message, never a crash
 * (run under ASan or valgrind, never a leak either). */
static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (SpkSession) session = tiny_session (5);
  g_autofree char *good = g_build_filename (f->dir, "good.spkw", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  save_ok (session, good);
  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  g_test_message ("%" G_GSIZE_FORMAT " bytes", length);
  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkSession) back = NULL;

      write_prefix (f->path, contents, cut);
      back = spk_session_load (f->path, &error);
      if (back != NULL)
        g_error ("a session cut at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " loaded", cut, length);
      g_assert_error (error, SPK_IO_ERROR, error->code);
      g_assert_nonnull (strstr (error->message, f->path));
    }
  g_assert_true (g_file_set_contents (f->path, contents, (gssize) length, NULL));
  g_clear_pointer (&session, spk_session_unref);
  session = load_ok (f->path);
}

/* }}} */
/* {{{ Interrupted saves */

static void
assert_is_old_session (const char *path)
{
  g_autoptr (SpkSession) back = load_ok (path);
  double v;

  g_assert_true (spk_session_get_history (back, 1, "loss", &v));
  g_assert_cmpfloat (v, ==, 0.25);
  g_assert_false (spk_session_get_history (back, 7, "loss", NULL));
}

/* A save failing at any point of writing leaves the previous file, and no
 * temporary file. */
static void
test_failed_save (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (SpkSession) old = tiny_session (5);
  g_autoptr (SpkSession) next = tiny_session (8);
  gboolean saved = FALSE;
  guint k;

  save_ok (old, f->path);
  spk_session_add_history (next, 7, "loss", 0.125);
  for (k = 1; !saved; k++)
    {
      g_autoptr (GError) error = NULL;

      _spk_session_set_fail_after (next, k);
      saved = spk_session_save (next, f->path, &error);
      if (!saved)
        {
          g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE);
          g_assert_nonnull (strstr (error->message, f->path));
          assert_is_old_session (f->path);
          g_assert_cmpuint (count_files (f->dir), ==, 1);
        }
    }
  g_test_message ("the save writes %u objects", k - 2);
  g_assert_cmpuint (k, >, 10);

  /* A directory that cannot be written to fails before touching the file. */
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *nowhere = g_build_filename (f->dir, "no-such-dir", "s.spkw", NULL);

    g_assert_false (spk_session_save (next, nowhere, &error));
    g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE);
    g_assert_nonnull (strstr (error->message, nowhere));
  }
}

/* A save killed while writing leaves the previous file readable.  The
 * session is prepared before the fork, so the child only writes. */
static void
test_killed_save (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (SpkSession) old = tiny_session (5);
  g_autoptr (SpkSession) next = tiny_session (5);
  g_autoptr (GError) error = NULL;
  guint64 n = 4000000;
  guint size = 8;
  int fds[2], status;
  pid_t pid;
  char byte;

  {
    g_autofree double *t = g_new (double, n);
    g_autofree double *values = g_new (double, n * size);

    for (guint64 i = 0; i < n; i++)
      t[i] = (double) (i + 1) * 0.001;
    for (guint64 i = 0; i < n * size; i++)
      values[i] = sin ((double) i * 0.37);
    g_assert_true (spk_session_set_probe_data (next, "p", t, values, 1, n, size, &error));
  }
  spk_session_add_history (next, 7, "loss", 0.125);
  save_ok (old, f->path);

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      if (write (fds[1], "x", 1) != 1)
        _exit (1);
      for (;;)
        spk_session_save (next, f->path, NULL);
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], &byte, 1), ==, 1);
  close (fds[0]);
  /* One save of 128 MB of compressed data takes well over this. */
  g_usleep (300 * 1000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  /* The kill landed mid-write: the temporary file is there, beside the
   * untouched old session. */
  g_assert_cmpuint (count_files (f->dir), ==, 2);
  assert_is_old_session (f->path);
}

/* }}} */
/* {{{ Large probe data */

static gsize
proc_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + strlen (field), NULL, 10);
}

/* Resets the peak RSS to the current RSS; FALSE where the kernel does not
 * let us. */
static gboolean
reset_peak (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  return fclose (file) == 0 && ok;
}

/* 1,000,000 samples × 64 values: saving holds no second copy (the peak
 * grows by less than the data size over the session that holds it), and
 * loading peaks below twice the data size. */
static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  guint64 n = 1000000;
  guint size = 64;
  gsize data_kb = (gsize) (n * size * sizeof (float) / 1024);
  g_autoptr (SpkNetwork) network = tiny_network ();
  g_autoptr (SpkSession) session = spk_session_new (network);
  g_autoptr (SpkSession) back = NULL;
  g_autoptr (GError) error = NULL;
  const float *saved, *loaded;
  gsize before, peak;

  {
    g_autofree double *t = g_new (double, n);
    g_autofree double *values = g_new (double, n * size);

    for (guint64 i = 0; i < n; i++)
      t[i] = (double) (i + 1) * 0.001;
    for (guint64 i = 0; i < n * size; i++)
      values[i] = sin ((double) i * 1e-3) + (double) (i % 7) * 0.125;
    g_assert_true (spk_session_set_probe_data (session, "p", t, values, 1, n, size, &error));
  }
#ifdef __SANITIZE_ADDRESS__
  /* AddressSanitizer's shadow memory and quarantine add to the peak in
   * proportion to what is allocated, so the bound means nothing there. */
  g_test_skip ("memory peaks are not measured under AddressSanitizer");
  return;
#endif
  if (!reset_peak ())
    {
      g_test_skip ("/proc/self/clear_refs is not writable");
      return;
    }
  before = proc_status_kb ("VmRSS:");
  save_ok (session, f->path);
  peak = proc_status_kb ("VmHWM:");
  g_test_message ("save: RSS %zu kB, peak +%zu kB, data %zu kB", before, peak - before, data_kb);
  g_assert_cmpuint (peak - before, <, data_kb);

  g_assert_true (reset_peak ());
  before = proc_status_kb ("VmRSS:");
  back = load_ok (f->path);
  peak = proc_status_kb ("VmHWM:");
  g_test_message ("load: RSS %zu kB, peak +%zu kB, data %zu kB", before, peak - before, data_kb);
  g_assert_cmpuint (peak - before, <, 2 * data_kb);

  saved = spk_session_get_probe_data (session, "p", NULL, NULL, NULL, NULL);
  loaded = spk_session_get_probe_data (back, "p", NULL, NULL, NULL, NULL);
  g_assert_cmpmem (saved, n * size * sizeof (float), loaded, n * size * sizeof (float));
}

/* }}} */

/* The workbench's plot recordings: any key (they name no probe of the
 * network), exact float32 values and float64 times, and no /plot_data
 * group at all in a session without them. */
static void
test_plot_data (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (SpkNetwork) network = tiny_network ();
  g_autoptr (SpkSession) session = spk_session_new (network);
  g_autoptr (SpkSession) back = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) keys = NULL;
  const double t[3] = { 0.001, 0.002, 0.003 };
  const float values[3 * 2] = { 1, -2, 0.1f, 1e-30f, 1e30f, -0.0f };
  const double *t_loaded;
  const float *loaded;
  guint64 n;
  guint size;

  save_ok (session, f->path);
  back = load_ok (f->path);
  keys = spk_session_list_plot_data (back);
  g_assert_cmpuint (g_strv_length (keys), ==, 0);
  g_clear_pointer (&back, spk_session_unref);
  g_clear_pointer (&keys, g_strfreev);

  g_assert_true (spk_session_set_plot_data (session, "0", t, values, 3, 2, &error));
  g_assert_true (spk_session_set_plot_data (session, "not a probe/1", t, values, 0, 1, &error));
  g_assert_no_error (error);
  save_ok (session, f->path);
  back = load_ok (f->path);
  keys = spk_session_list_plot_data (back);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
  loaded = spk_session_get_plot_data (back, "0", &n, &size, &t_loaded);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (size, ==, 2);
  g_assert_cmpmem (t_loaded, sizeof t, t, sizeof t);
  g_assert_cmpmem (loaded, sizeof values, values, sizeof values);
  g_assert_nonnull (spk_session_get_plot_data (back, "not a probe/1", &n, &size, NULL));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (spk_session_get_plot_data (back, "2", NULL, NULL, NULL));
  /* They are not probe data. */
  g_assert_null (spk_session_get_probe_data (back, "0", NULL, NULL, NULL, NULL));
}

/* {{{ Parameter keys */

/* An unlabelled connection is "connection<i>"; one labelled "connection1"
 * beside the unlabelled connection 1 once shared its key, so one set of
 * weights was lost and a reloaded session gave both the same.  Keys are
 * unique by construction now (spk_network_dup_keys()), for probes too, and
 * every set of weights survives a save and a load. */
static void
test_key_collisions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
  SpkNode *in = tu_node_expr (net, "in", "sin(2*pi*t)");
  SpkEnsemble *a = tu_ensemble (net, "a", 20, 1, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 30, 1, SPK_NEURON_LIF);
  SpkEnsemble *c = tu_ensemble (net, "c", 40, 1, SPK_NEURON_LIF);
  g_autoptr (SpkSession) session = NULL, back = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) keys = NULL;
  static const char *const weights[] = {
    "connection0/weights", "connection1/weights", "connection1~/weights",
    "probe0/weights", "probe0~/weights",
  };

  tu_connect (net, in, FALSE, a, FALSE, 0.005);                       /* connection0 */
  tu_connect (net, a, FALSE, b, FALSE, 0.005);                        /* connection1 → "connection1~" */
  spk_object_set_label (SPK_OBJECT (tu_connect (net, b, FALSE, c, FALSE, 0.005)), "connection1");
  tu_probe (net, NULL, c, FALSE, "decoded_output", 0.01);             /* probe0 → "probe0~" */
  tu_probe (net, "probe0", b, FALSE, "decoded_output", 0.01);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  keys = spk_plan_list_params (plan);
  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    g_assert_true (g_strv_contains ((const char *const *) keys, weights[i]));

  session = spk_session_new (net);
  spk_session_set_plan (session, plan);
  save_ok (session, f->path);
  back = load_ok (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      g_autoptr (SpkArray) want = spk_plan_dup_param (plan, weights[i]);
      g_autoptr (SpkArray) got = spk_plan_dup_param (spk_session_get_plan (back), weights[i]);

      g_assert_nonnull (got);
      g_assert_cmpuint (got->size, ==, want->size);
      g_assert_cmpmem (got->data, got->size * sizeof (double), want->data, want->size * sizeof (double));
    }
}

/* }}} */
/* {{{ Files written by earlier versions */

/* Sessions written by version 1 (tests/data/v1, made by `spikeworks-cli
 * save` and `fit` when version 1 was current) load with what they hold:
 * the probe data of the run, and a trained session's parameters and loss
 * history (docs/session-format.md, "Versions"). */
static void
test_version_1_files (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *run_path = g_test_build_filename (G_TEST_DIST, "data", "v1", "communication-channel.spkw", NULL);
  g_autofree char *trained_path = g_test_build_filename (G_TEST_DIST, "data", "v1",
                                                         "communication-channel-trained.spkw", NULL);
  g_autoptr (SpkSession) run = load_ok (run_path);
  g_autoptr (SpkSession) trained = load_ok (trained_path);
  g_autoptr (SpkPlan) fresh = NULL;
  g_autoptr (SpkArray) trained_w = NULL, fresh_w = NULL;
  g_autoptr (GError) error = NULL;
  guint batch, size;
  guint64 n_samples;
  double loss;

  g_assert_cmpuint (spk_network_get_objects (spk_session_get_network (run))->len, ==, 8);
  g_assert_nonnull (spk_session_get_probe_data (run, "b_value", &batch, &n_samples, &size, NULL));
  g_assert_cmpuint (batch, ==, 1);
  g_assert_cmpuint (n_samples, ==, 100);
  g_assert_cmpuint (size, ==, 1);

  g_assert_true (spk_session_get_history (trained, 1, "loss", &loss));
  g_assert_true (isfinite (loss));
  /* The trained weights, not those a fresh build solves. */
  g_assert_nonnull (spk_session_get_plan (trained));
  trained_w = spk_plan_dup_param (spk_session_get_plan (trained), "connection1/weights");
  fresh = spk_build (spk_session_get_network (trained), &error);
  g_assert_no_error (error);
  fresh_w = spk_plan_dup_param (fresh, "connection1/weights");
  g_assert_nonnull (trained_w);
  g_assert_nonnull (fresh_w);
  g_assert_cmpuint (trained_w->size, ==, fresh_w->size);
  g_assert_true (memcmp (trained_w->data, fresh_w->data, trained_w->size * sizeof (double)) != 0);
}

/* }}} */

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/spk/session/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("examples", test_examples);
  ADD ("version-1-files", test_version_1_files);
  ADD ("key-collisions", test_key_collisions);
  ADD ("no-plan", test_no_plan);
  ADD ("probes-history-layout", test_probes_history_layout);
  ADD ("odd-labels", test_odd_labels);
  ADD ("long-target", test_long_target);
  ADD ("foreign", test_foreign);
  ADD ("newer-version", test_newer_version);
  ADD ("tampered", test_tampered);
  ADD ("truncated", test_truncated);
  ADD ("failed-save", test_failed_save);
  ADD ("killed-save", test_killed_save);
  ADD ("large", test_large);
  ADD ("plot-data", test_plot_data);
#undef ADD

  return g_test_run ();
}
