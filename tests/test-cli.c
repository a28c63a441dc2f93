/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli.c — spikeworks-cli as a user runs it: output files, exit
 * statuses, and bad input refused with a message and no output file. */
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "spk-cli-test-util.h"

static void
test_examples (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_cmpint (cli (&out, &err, "examples", NULL), ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 11);
  g_assert_true (g_str_has_prefix (lines[0], "rate-vs-spiking "));
  g_assert_nonnull (strstr (out, "integrator"));
  g_assert_true (g_str_has_prefix (lines[8], "spiking-fashion-mnist "));
  g_assert_true (g_str_has_prefix (lines[9], "spiking-classifier "));
  g_assert_true (g_str_has_prefix (lines[10], "relu-fashion-mnist "));
}

static void
test_run_example (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *csv = NULL;
  g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *path = g_build_filename (outdir, "b_value.csv", NULL);
  g_auto (GStrv) lines = NULL;

  g_assert_cmpint (cli (&out, &err, "run", "--example", "communication-channel",
                        "--time", "0.5", "--out-dir", outdir, NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "t,b_value[0]");
  g_assert_true (g_str_has_prefix (lines[1], "0.001,"));
  g_assert_true (g_str_has_prefix (lines[500], "0.5,"));
  g_assert_cmpstr (lines[501], ==, "");
  g_assert_nonnull (strstr (err, "ran 500 steps"));
}

/* export writes a model that runs to the same output as the example. */
static void
test_export_roundtrip (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *model = g_build_filename (f->dir, "model.json", NULL);
  g_autofree char *d1 = g_build_filename (f->dir, "one", NULL);
  g_autofree char *d2 = g_build_filename (f->dir, "two", NULL);

  for (const char *const *name = (const char *const[]) { "rate-vs-spiking", "nef-sin-x-squared", "product", NULL };
       *name; name++)
    {
      g_autofree char *c1 = NULL, *c2 = NULL, *out = NULL, *err = NULL;
      g_autofree char *p1 = NULL, *p2 = NULL;
      const char *probe = g_str_equal (*name, "rate-vs-spiking") ? "spiking_activity.csv"
                          : g_str_equal (*name, "product") ? "product_value.csv" : "output_value.csv";

      g_assert_cmpint (cli (&out, &err, "export", "--example", *name, model, NULL), ==, 0);
      g_assert_cmpint (cli (NULL, NULL, "run", "--example", *name, "--steps", "300", "--out-dir", d1, NULL), ==, 0);
      g_assert_cmpint (cli (NULL, NULL, "run", model, "--steps", "300", "--out-dir", d2, NULL), ==, 0);
      p1 = g_build_filename (d1, probe, NULL);
      p2 = g_build_filename (d2, probe, NULL);
      g_assert_true (g_file_get_contents (p1, &c1, NULL, NULL));
      g_assert_true (g_file_get_contents (p2, &c2, NULL, NULL));
      g_assert_cmpstr (c1, ==, c2);
    }
}

/* A saved session reruns to the same output, and exports the same model. */
static void
test_session_roundtrip (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *session = g_build_filename (f->dir, "s.spkw", NULL);
  g_autofree char *d1 = g_build_filename (f->dir, "one", NULL);
  g_autofree char *d2 = g_build_filename (f->dir, "two", NULL);
  g_autofree char *m1 = g_build_filename (f->dir, "m1.json", NULL);
  g_autofree char *m2 = g_build_filename (f->dir, "m2.json", NULL);
  g_autofree char *p1 = g_build_filename (d1, "output_value.csv", NULL);
  g_autofree char *p2 = g_build_filename (d2, "output_value.csv", NULL);
  g_autofree char *c1 = NULL, *c2 = NULL, *j1 = NULL, *j2 = NULL, *out = NULL, *err = NULL;

  g_assert_cmpint (cli (NULL, NULL, "save", "--example", "nef-sin-x-squared", session,
                        "--run-steps", "100", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "run", "--example", "nef-sin-x-squared", "--steps", "300",
                        "--out-dir", d1, NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "run", session, "--steps", "300", "--out-dir", d2, NULL), ==, 0);
  g_assert_true (g_file_get_contents (p1, &c1, NULL, NULL));
  g_assert_true (g_file_get_contents (p2, &c2, NULL, NULL));
  g_assert_cmpstr (c1, ==, c2);
  g_assert_cmpint (cli (NULL, NULL, "export", "--example", "nef-sin-x-squared", m1, NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "export", session, m2, NULL), ==, 0);
  g_assert_true (g_file_get_contents (m1, &j1, NULL, NULL));
  g_assert_true (g_file_get_contents (m2, &j2, NULL, NULL));
  g_assert_cmpstr (j1, ==, j2);
  g_assert_cmpint (cli (&out, &err, "info", session, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "ensemble    x_squared"));
  /* A damaged session is refused as one. */
  g_assert_true (g_file_set_contents (session, "\x89HDF\r\n\x1a\n garbage", -1, NULL));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "run", session, "--out-dir", d2, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "s.spkw"));
}

/* bench --json prints one JSON array with the documented keys (the
 * figures themselves are never asserted: tests do not time anything). */
static void
test_bench_json (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *array;
  JsonObject *first;

  g_assert_cmpint (cli (&out, &err, "bench", "--json", "chain-1", "rate-vs-spiking", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "chain-1");
  g_assert_cmpint (json_object_get_int_member (first, "neurons"), ==, 50);
  for (const char *const *key = (const char *const[]) { "build_s", "steps_per_s", "neuron_steps_per_s",
                                                        "peak_rss_mb", "step_s", "floor_s", "floor_neurons_s",
                                                        "floor_products_s", "bandwidth_gb_s", "peak_gflop_s",
                                                        "floor_ratio", NULL }; *key; key++)
    g_assert_cmpfloat (json_object_get_double_member (first, *key), >, 0);
  /* The floor is its parts' sum, and the ratio the step over it. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "floor_s"),
                                  json_object_get_double_member (first, "floor_neurons_s")
                                  + json_object_get_double_member (first, "floor_products_s"),
                                  1e-4 * json_object_get_double_member (first, "floor_s"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "floor_ratio"),
                                  json_object_get_double_member (first, "step_s")
                                  / json_object_get_double_member (first, "floor_s"),
                                  1e-3 * json_object_get_double_member (first, "floor_ratio"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "bench", "nope", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "unknown benchmark"));
}

static void
test_info (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cli (&out, &err, "info", "--example", "product", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "ensemble    combined"));
  g_assert_nonnull (strstr (out, "200 LIF neurons, 2 dimensions"));
  g_assert_nonnull (strstr (out, "300 neurons"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (&out, &err, "info", "--example", "nef-sin-x-squared", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "50 LIF neurons, 1 dimension\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (&out, &err, "info", "--example", "spiking-fashion-mnist", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "layer       conv1                Conv2D 3×3, 64 filters, strides 2: 26×26×32 → 12×12×64"));
  g_assert_nonnull (strstr (out, "layer       dense                Dense, 10 units: 3200 → 10"));
}

static void
test_tuning (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "tuning.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_cmpint (cli (NULL, NULL, "tuning", "--example", "communication-channel",
                        "--ensemble", "a", "--out", path, NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "x,a[0],a[1],"));
  g_assert_true (g_str_has_prefix (lines[1], "-1,"));
  g_assert_true (g_str_has_prefix (lines[201], "1,"));
}

/* decoded: x² from nef-sin-x-squared's first ensemble, its target x² to
 * 1e-12 (the CSV holds shortest exact numbers), the RMSE printed; a
 * connection from neurons is refused, named. */
static void
test_decoded (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "decoded.csv", NULL);
  g_autofree char *csv = NULL, *out = NULL, *err = NULL;
  g_autofree char *model = write_file (f, "n.json",
    "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": ["
    "{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 10, \"dimensions\": 1},"
    "{\"type\": \"node\", \"label\": \"sink\", \"size_in\": 10},"
    "{\"type\": \"connection\", \"label\": \"raw\", \"pre\": \"a.neurons\", \"post\": \"sink\"}]}");
  g_auto (GStrv) lines = NULL;
  guint n = 0;

  g_assert_cmpint (cli (&out, NULL, "decoded", "--example", "nef-sin-x-squared",
                        "--connection", "connection1", "--out", path, "--points", "11", NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "x,decoded[0],target[0]");
  for (guint i = 1; lines[i] && *lines[i]; i++, n++)
    {
      g_auto (GStrv) v = g_strsplit (lines[i], ",", -1);
      double x = g_ascii_strtod (v[0], NULL);

      g_assert_cmpuint (g_strv_length (v), ==, 3);
      g_assert_cmpfloat_with_epsilon (x, -1.0 + 0.2 * (i - 1), 1e-12);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (v[2], NULL), x * x, 1e-12);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (v[1], NULL), x * x, 0.1);
    }
  g_assert_cmpuint (n, ==, 11);
  g_assert_true (g_str_has_prefix (out, "output 0: RMSE 0.0"));
  g_assert_nonnull (strstr (out, "at the solve's evaluation points"));

  g_assert_cmpint (cli (NULL, &err, "decoded", model, "--connection", "raw", "--out", path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "connection 'raw' is not decoded from an ensemble of this model"));
}

/* Each bad input: exit status 1, a message naming the problem, no output. */
static void
check_bad_model (Fixture    *f,
                 const char *json,
                 const char *message)
{
  g_autofree char *model = write_file (f, "bad.json", json);
  g_autofree char *outdir = g_build_filename (f->dir, "never", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cli (&out, &err, "run", model, "--steps", "2000", "--out-dir", outdir, NULL), ==, 1);
  g_test_message ("%s", err);
  if (strstr (err, message) == NULL)
    g_error ("expected '%s' in '%s'", message, err);
  g_assert_false (g_file_test (outdir, G_FILE_TEST_EXISTS));
}

#define HEAD "{\"format\": \"spikeworks-model\", \"version\": 1, \"network\": {\"seed\": 0}, \"objects\": ["

static void
test_bad_inputs (Fixture       *f,
                 gconstpointer  data)
{
  check_bad_model (f, "{\"format\": ", "");
  check_bad_model (f, HEAD "{\"type\": \"neuron\", \"label\": \"a\"}]}", "unknown type 'neuron'");
  check_bad_model (f, HEAD "{\"type\": \"ensemble\", \"label\": \"b\", \"n_neuron\": 5}]}", "n_neuron");
  check_bad_model (f, HEAD "{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 0}]}", "n_neurons");
  check_bad_model (f, HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": 1},"
                   "{\"type\": \"node\", \"label\": \"a\", \"output\": 2}]}", "'a'");
  check_bad_model (f, HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": 1},"
                   "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"c\"}]}", "unknown label 'c'");
  check_bad_model (f, HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": [1, 2]},"
                   "{\"type\": \"node\", \"label\": \"b\", \"size_in\": 3},"
                   "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"transform\": [[1, 2]]}]}",
                   "transform has shape (1, 2) but this connection needs (3, 2)");
  check_bad_model (f, HEAD "{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 5,"
                   "\"intercepts\": {\"type\": \"Uniform\", \"low\": 1.0, \"high\": 1.2}}]}",
                   "intercepts must be below 1");
  check_bad_model (f, HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": 1},"
                   "{\"type\": \"node\", \"label\": \"b\", \"size_in\": 1},"
                   "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"synapse\": -0.1}]}",
                   "must not be negative");
  check_bad_model (f, HEAD "{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 5,"
                   "\"neuron_type\": \"RectifiedLinear\"},"
                   "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"b.neurons\", \"attr\": \"voltage\"}]}",
                   "has no 'voltage' to probe");
  check_bad_model (f, HEAD "{\"type\": \"node\", \"label\": \"one\", \"output\": 1},"
                   "{\"type\": \"node\", \"label\": \"acc\", \"size_in\": 1},"
                   "{\"type\": \"connection\", \"pre\": \"one\", \"post\": \"acc\", \"synapse\": null},"
                   "{\"type\": \"connection\", \"pre\": \"acc\", \"post\": \"acc\", \"synapse\": 0, \"transform\": 2},"
                   "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"acc\"}]}",
                   "node 'acc' input became NaN or infinite");
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cli (&out, &err, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "unknown command 'frobnicate'"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "run", "--example", "integrator", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "run needs --out-dir"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "run", "--example", "nope", "--out-dir", f->dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "there is no example 'nope'"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "info", "/nonexistent/model.json", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "/nonexistent/model.json"));
}

/* A stand-in Fashion-MNIST of n synthetic 28 × 28 images (raw IDX files
 * under the names the reader expects; it reads raw or gzip): class k is a
 * bright band at rows 2k to 2k + 5. */
static void
write_fashion (Fixture    *f,
               const char *split,
               guint       n)
{
  g_autofree char *img_path = g_strdup_printf ("%s/%s-images-idx3-ubyte.gz", f->dir, split);
  g_autofree char *lab_path = g_strdup_printf ("%s/%s-labels-idx1-ubyte.gz", f->dir, split);
  gsize img_len = 16 + (gsize) n * 784, lab_len = 8 + n;
  g_autofree guint8 *img = g_new0 (guint8, img_len), *lab = g_new0 (guint8, lab_len);
  const guint8 img_head[16] = { 0, 0, 8, 3, 0, 0, n >> 8, n & 0xff, 0, 0, 0, 28, 0, 0, 0, 28 };
  const guint8 lab_head[8] = { 0, 0, 8, 1, 0, 0, n >> 8, n & 0xff };

  memcpy (img, img_head, sizeof img_head);
  memcpy (lab, lab_head, sizeof lab_head);
  for (guint e = 0; e < n; e++)
    {
      guint k = e % 10;

      lab[8 + e] = (guint8) k;
      for (guint i = 0; i < 784; i++)
        img[16 + (gsize) e * 784 + i] = (guint8) ((i / 28 >= 2 * k && i / 28 < 2 * k + 6) ? 200 : (i * 7 + e) % 40);
    }
  g_assert_true (g_file_set_contents (img_path, (const char *) img, (gssize) img_len, NULL));
  g_assert_true (g_file_set_contents (lab_path, (const char *) lab, (gssize) lab_len, NULL));
}

/* fit, evaluate and predict as a user runs them: Keras-style lines, the
 * accuracy of a classifier (spiking in evaluate), trained sessions, and
 * the refusals with their messages. */
static void
test_fit_evaluate (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *ae = g_build_filename (f->dir, "ae.spkw", NULL);
  g_autofree char *sfm = g_build_filename (f->dir, "sfm.spkw", NULL);
  g_autofree char *png = g_build_filename (f->dir, "ae.png", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty", NULL);

  write_fashion (f, "train", 60);
  write_fashion (f, "t10k", 20);
  g_assert_cmpint (cli (&out, &err, "fit", "--example", "autoencoder", "--data", "fashion-mnist",
                        "--data-dir", f->dir, "--epochs", "2", "--batch", "20", "--out", ae, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Epoch 1/2\n3/3 - "));
  g_assert_nonnull (strstr (out, "Epoch 2/2\n3/3 - "));
  g_assert_nonnull (strstr (out, "test loss: "));
  g_assert_true (g_file_test (ae, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (&out, &err, "predict", ae, "--data", "fashion-mnist", "--data-dir", f->dir,
                        "--png", png, "--png-count", "4", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "wrote 4 input/reconstruction pairs"));
  g_clear_pointer (&out, g_free);

  /* The classifier: trained through rates, evaluated with spikes over 5
   * steps with the image held. */
  g_assert_cmpint (cli (&out, &err, "fit", "--example", "spiking-fashion-mnist", "--data", "fashion-mnist",
                        "--data-dir", f->dir, "--loss", "sparse-ce", "--probe", "output", "--batch", "20",
                        "--out", sfm, NULL), ==, 0);
  g_assert_nonnull (strstr (out, " - accuracy: "));
  g_assert_nonnull (strstr (out, " - test accuracy: "));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (&out, &err, "evaluate", sfm, "--data", "fashion-mnist", "--data-dir", f->dir,
                        "--loss", "sparse-ce", "--probe", "output_filtered", "--steps", "5", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "loss: "));
  g_assert_nonnull (strstr (out, " - accuracy: "));
  /* From probabilities (Keras's from_logits=False): the same classes
   * picked, so the same accuracy; another loss. */
  {
    g_autofree char *probs = NULL;

    g_assert_cmpint (cli (&probs, &err, "evaluate", sfm, "--data", "fashion-mnist", "--data-dir", f->dir,
                          "--loss", "sparse-ce-probs", "--probe", "output_filtered", "--steps", "5", NULL), ==, 0);
    g_assert_nonnull (strstr (probs, " - accuracy: "));
    g_assert_cmpstr (strstr (probs, " - accuracy: "), ==, strstr (out, " - accuracy: "));
    g_assert_cmpstr (probs, !=, out);
  }
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (&out, &err, "fit", "--example", "spiking-fashion-mnist", "--data", "fashion-mnist",
                        "--data-dir", f->dir, "--loss", "sparse-ce-probs", "--probe", "output", "--batch", "20",
                        "--out", sfm, NULL), ==, 0);
  g_assert_nonnull (strstr (out, " - accuracy: "));
  g_assert_nonnull (strstr (out, " - test accuracy: "));
  g_clear_pointer (&out, g_free);

  /* Keras's layer options train from a model file: a Conv2D with a 3 × 5
   * kernel and ReLU, a BatchNormalization of its rows (axis 1) and a
   * softmax Dense layer scored from probabilities. */
  {
    g_autoptr (GString) json = g_string_new ("{\"format\": \"spikeworks-model\", \"version\": 6, \"objects\": ["
                                             "{\"type\": \"node\", \"label\": \"input\", \"output\": [0");
    g_autofree char *model = NULL;
    g_autofree char *trained = g_build_filename (f->dir, "options.spkw", NULL);
    double before, after;

    for (guint i = 1; i < 784; i++)
      g_string_append (json, ", 0");
    g_string_append (json, "]},"
      "{\"type\": \"layer\", \"label\": \"conv\", \"layer_type\": \"conv2d\", \"shape_in\": [28, 28, 1], "
      "\"filters\": 2, \"kernel_size\": 3, \"kernel_width\": 5, \"strides\": 3, \"activation\": \"relu\"},"
      "{\"type\": \"layer\", \"label\": \"rows\", \"layer_type\": \"batch-normalization\", "
      "\"shape_in\": [9, 8, 2], \"axis\": 1},"
      "{\"type\": \"layer\", \"label\": \"classes\", \"shape_in\": [144], \"units\": 10, "
      "\"activation\": \"softmax\"},"
      "{\"type\": \"connection\", \"pre\": \"input\", \"post\": \"conv\", \"synapse\": null, \"transform\": 0.00392156862745098},"
      "{\"type\": \"connection\", \"pre\": \"conv\", \"post\": \"rows\", \"synapse\": null},"
      "{\"type\": \"connection\", \"pre\": \"rows\", \"post\": \"classes\", \"synapse\": null},"
      "{\"type\": \"probe\", \"label\": \"output\", \"target\": \"classes\"}]}");
    model = write_file (f, "options.json", json->str);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (cli (&out, &err, "evaluate", model, "--data", "fashion-mnist", "--data-dir", f->dir,
                          "--split", "train", "--loss", "sparse-ce-probs", NULL), ==, 0);
    g_assert_nonnull (strstr (out, " - accuracy: "));
    before = g_ascii_strtod (out + strlen ("loss: "), NULL);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (cli (&out, &err, "fit", model, "--data", "fashion-mnist", "--data-dir", f->dir,
                          "--loss", "sparse-ce-probs", "--epochs", "5", "--batch", "20", "--optimizer", "adam",
                          "--lr", "0.01", "--out", trained, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Epoch 5/5"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (cli (&out, &err, "evaluate", trained, "--data", "fashion-mnist", "--data-dir", f->dir,
                          "--split", "train", "--loss", "sparse-ce-probs", NULL), ==, 0);
    after = g_ascii_strtod (out + strlen ("loss: "), NULL);
    g_test_message ("loss on the training set: %g before, %g after", before, after);
    g_assert_cmpfloat (after, <, before);
    g_clear_pointer (&out, g_free);
  }

  /* Refusals. */
  g_assert_cmpint (cli (NULL, &err, "fit", "--example", "autoencoder", "--data", "fashion-mnist", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "no output: give --out TRAINED.spkw"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "fit", "--example", "autoencoder", "--data", "fashion-mnist",
                        "--optimizer", "adagrad", "--out", ae, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--optimizer is sgd, adam or rmsprop"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "evaluate", sfm, "--data", "fashion-mnist", "--data-dir", f->dir,
                        "--loss", "ce", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "unknown loss 'ce': the losses are mse, sparse-ce and sparse-ce-probs"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "evaluate", sfm, "--data", "fashion-mnist", "--data-dir", f->dir,
                        "--loss", "sparse-ce", "--probe", "nope", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "there is no probe 'nope' in the model"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "evaluate", sfm, "--data", "fashion-mnist", "--data-dir", empty, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "install the Debian package dataset-fashion-mnist"));
}

/* fit, evaluate and predict on the generated data set, which every
 * machine has: the trained session evaluates to a lower loss than the
 * example it came from, and the signal (not held) feeds every step. */
static void
test_fit_noise (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *trained = g_build_filename (f->dir, "trained.spkw", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "p.csv", NULL);
  g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL, *rows = NULL;
  g_auto (GStrv) lines = NULL;
  const char *common[] = { "--data", "noise-lowpass", "--probe", "b_value", "--n", "32", "--steps", "100" };
  double loss_before, loss_after;

  g_assert_cmpint (cli (&out, &err, "fit", "--example", "communication-channel", common[0], common[1],
                        common[2], common[3], common[4], common[5], common[6], common[7],
                        "--epochs", "3", "--batch", "16", "--optimizer", "adam", "--lr", "1e-5",
                        "--out", trained, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Epoch 3/3"));
  g_assert_nonnull (strstr (out, "test loss: "));
  g_assert_cmpint (cli (&before, NULL, "evaluate", "--example", "communication-channel", common[0], common[1],
                        common[2], common[3], common[4], common[5], common[6], common[7], NULL), ==, 0);
  g_assert_cmpint (cli (&after, NULL, "evaluate", trained, common[0], common[1],
                        common[2], common[3], common[4], common[5], common[6], common[7], NULL), ==, 0);
  g_assert_true (g_str_has_prefix (before, "loss: ") && g_str_has_prefix (after, "loss: "));
  loss_before = g_ascii_strtod (before + strlen ("loss: "), NULL);
  loss_after = g_ascii_strtod (after + strlen ("loss: "), NULL);
  g_test_message ("spiking test loss %g → %g", loss_before, loss_after);
  g_assert_cmpfloat (loss_after, <, loss_before);
  /* One row per example, the probe's value at the last step. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (&out, NULL, "predict", trained, common[0], common[1], common[2], common[3],
                        common[4], common[5], common[6], common[7], "--out", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "wrote 32 × 100 × 1 values to "));
  g_assert_true (g_file_get_contents (csv, &rows, NULL, NULL));
  lines = g_strsplit (g_strstrip (rows), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 32);
  /* Labels are for images: the noise has none. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "evaluate", trained, common[0], common[1], "--loss", "sparse-ce", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "has no classes"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "evaluate", trained, "--data", "mnist", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "unknown data set 'mnist'"));
}

/* `spikeworks-cli --version` names the program and the project version. */
static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *help = NULL;
  g_autofree char *expected = g_strdup_printf ("spikeworks-cli %s\n", PACKAGE_VERSION);

  g_assert_cmpint (cli (&out, NULL, "--version", NULL), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpint (cli (&help, NULL, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (help, "--version"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/spk/cli/version", test_version);
  ADD ("/spk/cli/examples", test_examples);
  ADD ("/spk/cli/run-example", test_run_example);
  ADD ("/spk/cli/export-roundtrip", test_export_roundtrip);
  ADD ("/spk/cli/info", test_info);
  ADD ("/spk/cli/bench-json", test_bench_json);
  ADD ("/spk/cli/session-roundtrip", test_session_roundtrip);
  ADD ("/spk/cli/tuning", test_tuning);
  ADD ("/spk/cli/decoded", test_decoded);
  ADD ("/spk/cli/bad-inputs", test_bad_inputs);
  ADD ("/spk/cli/usage-errors", test_usage_errors);
  ADD ("/spk/cli/fit-evaluate", test_fit_evaluate);
  ADD ("/spk/cli/fit-noise", test_fit_noise);
  return g_test_run ();
}
