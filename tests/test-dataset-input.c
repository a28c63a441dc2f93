/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dataset-input.c — the data-set input: a Node presenting the images
 * of a data set in turn (Nengo's PresentInput over a data set).  Its
 * timing against Nengo's formula, in float32 and float64; the images
 * themselves; the model format (version 2) and its refusals; a missing
 * Fashion-MNIST; the examples that use it. */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "core/spk-error.h"
#include "examples/spk-examples.h"
#include "io/spk-image-set.h"
#include "io/spk-model-json.h"
#include "model/spk-process.h"
#include "spk-test-util.h"

#define DT 0.001

static SpkNode *
dataset_node (SpkNetwork *net,
              const char *name,
              guint       first,
              guint       count,
              double      presentation_time)
{
  SpkNode *node = spk_node_new ();
  g_autoptr (SpkProcess) p = spk_process_new (SPK_PROCESS_PRESENT_INPUT);

  p->dataset = g_strdup (name);
  p->dataset_first = first;
  p->dataset_count = count;
  p->presentation_time = presentation_time;
  spk_object_set_label (SPK_OBJECT (node), "images");
  spk_node_set_output_process (node, p);
  spk_network_add (net, SPK_OBJECT (node), NULL);
  return node;
}

/* The generated stand-ins follow the formula of spk-image-set.h: class
 * e mod 10 as a band of 200 over rows 2k … 2k + 5, (i·7 + e) mod 40
 * elsewhere; the test split numbers on from 60000. */
static void
test_generated_images (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *images = NULL, *labels = NULL;
  guint n = 0;

  g_assert_true (spk_image_set_load ("generated-images", NULL, FALSE, 7, 5, &images, &labels, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  for (guint e = 0; e < n; e++)
    {
      guint index = 60000 + 7 + e, k = index % 10;

      g_assert_cmpfloat (labels[e], ==, k);
      for (guint i = 0; i < 784; i++)
        {
          double want = (i / 28 >= 2 * k && i / 28 < 2 * k + 6) ? 200 : (i * 7 + index) % 40;

          g_assert_cmpfloat (images[e * 784 + i], ==, want);
        }
    }
}

static void
assert_load_fails (const char *name,
                   gboolean    train,
                   guint       first,
                   guint       count,
                   const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *images = NULL;
  guint n;

  g_assert_false (spk_image_set_load (name, NULL, train, first, count, &images, NULL, &n, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message));
}

/* Each image set refuses what it cannot give, saying what to do. */
static void
test_image_set_errors (void)
{
  g_autofree char *empty = g_dir_make_tmp ("spk-no-fmnist-XXXXXX", NULL);

  assert_load_fails ("mnist", FALSE, 0, 1, "there is no image data set 'mnist' (known: fashion-mnist, generated-images)");
  assert_load_fails ("generated-images", FALSE, 9999, 2,
                     "the data set 'generated-images' has 10000 images in this split; images 9999 to 10000 do not exist");
  assert_load_fails ("generated-images", TRUE, 60000, 1, "has 60000 images in this split");
  /* A machine without the Debian package: the message names it. */
  g_setenv ("SPIKEWORKS_FASHION_MNIST_DIR", empty, TRUE);
  assert_load_fails ("fashion-mnist", FALSE, 0, 10,
                     "Fashion-MNIST is not installed: ");
  assert_load_fails ("fashion-mnist", FALSE, 0, 10, "(install the Debian package dataset-fashion-mnist)");
  g_assert_cmpstr (spk_image_set_default_name (), ==, "generated-images");
  g_unsetenv ("SPIKEWORKS_FASHION_MNIST_DIR");
  g_rmdir (empty);
}

/* Nengo's PresentInput (vendor/nengo/nengo/processes.py): at time t the
 * output is inputs[int((t − dt)/presentation_time + 1e−7) mod n], with
 * t = step·dt of the step being computed (1, 2, …).  Checked for every
 * step of several cycles, in both precisions, with a presentation time
 * that is not a whole number of steps (7.5 ms: items of 7 and 8 steps). */
static void
check_timing (SpkDtype dtype)
{
  const guint first = 3, count = 4, steps = 80;
  const double pt = 0.0075;
  g_autoptr (SpkNetwork) net = tu_network (1, dtype);
  g_autofree float *images = NULL;
  g_autofree double *data = NULL;
  guint n, size;
  guint changes = 0;

  tu_probe (net, "p", dataset_node (net, "generated-images", first, count, pt), FALSE, NULL, -1);
  data = tu_run_probe (net, "p", steps, &size);
  g_assert_cmpuint (size, ==, 784);
  g_assert_true (spk_image_set_load ("generated-images", NULL, FALSE, first, count, &images, NULL, &n, NULL));
  for (guint s = 0; s < steps; s++)
    {
      double t = (s + 1) * DT;
      guint item = (guint) ((t - DT) / pt + 1e-7) % count;

      for (guint i = 0; i < 784; i++)
        if (data[s * 784 + i] != images[item * 784 + i])
          g_error ("%s step %u pixel %u: %g, but image %u has %g", dtype == SPK_DTYPE_FLOAT32 ? "float32" : "float64",
                   s + 1, i, data[s * 784 + i], item, images[item * 784 + i]);
      if (s > 0 && memcmp (data + s * 784, data + (s - 1) * 784, 784 * sizeof (double)) != 0)
        changes++;
    }
  /* 80 steps of 7.5 ms items: a new image at steps 9, 16, 24, 31, … */
  g_assert_cmpuint (changes, ==, 10);
}

static void
test_timing_float64 (void)
{
  check_timing (SPK_DTYPE_FLOAT64);
}

static void
test_timing_float32 (void)
{
  check_timing (SPK_DTYPE_FLOAT32);
}

/* Version 2 of the model format: inputs as a data set round-trip; the
 * defaults (test split, first 0, 100 images) are read when left out. */
static void
test_json (void)
{
  const char *text =
    "{\"format\": \"spikeworks-model\", \"version\": 2, \"objects\": ["
    "{\"type\": \"node\", \"label\": \"images\", \"output\": {\"process\": \"PresentInput\","
    " \"inputs\": {\"dataset\": \"generated-images\"}, \"presentation_time\": 0.05}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);
  g_autoptr (SpkNetwork) again = NULL;
  g_autofree char *out = NULL;
  SpkProcess *p;

  g_assert_no_error (error);
  p = spk_node_get_output_process (SPK_NODE (spk_network_lookup (net, "images")));
  g_assert_cmpstr (p->dataset, ==, "generated-images");
  g_assert_false (p->dataset_train);
  g_assert_cmpuint (p->dataset_first, ==, 0);
  g_assert_cmpuint (p->dataset_count, ==, 100);
  g_assert_null (p->inputs);
  g_assert_cmpuint (spk_process_default_size_out (p), ==, 784);
  out = spk_model_to_data (net, NULL);
  g_assert_nonnull (strstr (out, "\"version\": 7,"));
  g_assert_nonnull (strstr (out, "\"dataset\": \"generated-images\",\n"));
  g_assert_nonnull (strstr (out, "\"split\": \"test\",\n"));
  g_assert_nonnull (strstr (out, "\"first\": 0,\n"));
  g_assert_nonnull (strstr (out, "\"count\": 100\n"));
  again = spk_model_load_data (out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_process_equal (p, spk_node_get_output_process (SPK_NODE (spk_network_lookup (again, "images")))));
}

/* The file of tests/data/v2 (written when version 2 was current) loads
 * and is written back as it was. */
static void
test_version_2_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "v2", "dataset-input.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_file (path, &error);
  g_autofree char *text = NULL, *again = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  again = spk_model_to_data (net, NULL);
  if (strstr (again, "\"version\": 2,") != NULL)
    g_assert_cmpstr (again, ==, text);
}

static void
assert_model_fails (const char *inputs,
                    const char *message)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"spikeworks-model\", \"version\": 2, \"objects\": ["
    "{\"type\": \"node\", \"label\": \"images\", \"output\": {\"process\": \"PresentInput\", \"inputs\": %s}}]}",
    inputs);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);

  g_assert_null (net);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message));
}

static void
test_json_errors (void)
{
  assert_model_fails ("{\"dataset\": \"fashion-mnst\"}", "unknown data set 'fashion-mnst'");
  assert_model_fails ("{\"dataset\": \"fashion-mnst\"}", "did you mean 'fashion-mnist'?");
  assert_model_fails ("{}", "has no \"dataset\"");
  assert_model_fails ("{\"dataset\": 3}", "must be a string");
  assert_model_fails ("{\"dataset\": \"generated-images\", \"split\": \"validation\"}",
                      "split must be \"test\" or \"train\" (got \"validation\")");
  assert_model_fails ("{\"dataset\": \"generated-images\", \"count\": 0}", "count must be from 1 to 10000 (got 0)");
  assert_model_fails ("{\"dataset\": \"generated-images\", \"count\": 10001}", "count must be from 1 to 10000 (got 10001)");
  assert_model_fails ("{\"dataset\": \"generated-images\", \"first\": -1}", "first must be from 0 to 59999 (got -1)");
  assert_model_fails ("{\"dataset\": \"generated-images\", \"count\": 2.5}", "count must be an integer");
  assert_model_fails ("{\"dataset\": \"generated-images\", \"shuffle\": true}", "unknown parameter 'shuffle'");
}

/* A model that names Fashion-MNIST on a machine without it does not
 * build, with a message naming the node and the package; images past the
 * end of the split are refused the same way. */
static void
test_build_errors (void)
{
  g_autofree char *empty = g_dir_make_tmp ("spk-no-fmnist-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = tu_network (1, SPK_DTYPE_FLOAT64);
  g_autoptr (SpkNetwork) late = tu_network (1, SPK_DTYPE_FLOAT64);
  g_autoptr (SpkPlan) plan = NULL;

  dataset_node (net, "fashion-mnist", 0, 10, 0.1);
  g_setenv ("SPIKEWORKS_FASHION_MNIST_DIR", empty, TRUE);
  plan = spk_build (net, &error);
  g_unsetenv ("SPIKEWORKS_FASHION_MNIST_DIR");
  g_rmdir (empty);
  g_assert_null (plan);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "images"));
  g_assert_nonnull (strstr (error->message, "install the Debian package dataset-fashion-mnist"));
  g_clear_error (&error);

  dataset_node (late, "generated-images", 9990, 20, 0.1);
  plan = spk_build (late, &error);
  g_assert_null (plan);
  g_assert_nonnull (strstr (error->message, "images 9990 to 10009 do not exist"));
}

/* The training examples present images: their input changes every 0.1 s
 * and the first image is the data set's first. */
static void
test_examples (void)
{
  const char *names[] = { "autoencoder", "spiking-fashion-mnist" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) net = spk_example_new (names[i], &error);
      SpkProcess *p;

      g_assert_no_error (error);
      p = spk_node_get_output_process (SPK_NODE (spk_network_lookup (net, "input")));
      g_assert_nonnull (p);
      g_assert_cmpstr (p->dataset, ==, spk_image_set_default_name ());
      g_assert_cmpfloat (p->presentation_time, ==, 0.1);
      g_assert_nonnull (spk_network_lookup (net, "input_image"));
    }
  {
    g_autoptr (SpkNetwork) net = spk_example_new ("autoencoder", NULL);
    g_autofree double *data = NULL;
    g_autofree float *images = NULL;
    guint size, n;

    data = tu_run_probe (net, "input_image", 201, &size);
    g_assert_true (spk_image_set_load (spk_image_set_default_name (), NULL, FALSE, 0, 3, &images, NULL, &n, NULL));
    for (guint i = 0; i < 784; i++)
      {
        g_assert_cmpfloat (data[0 * 784 + i], ==, images[i]);
        g_assert_cmpfloat (data[99 * 784 + i], ==, images[i]);
        g_assert_cmpfloat (data[100 * 784 + i], ==, images[784 + i]);
        g_assert_cmpfloat (data[200 * 784 + i], ==, images[2 * 784 + i]);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/dataset-input/generated-images", test_generated_images);
  g_test_add_func ("/spk/dataset-input/image-set-errors", test_image_set_errors);
  g_test_add_func ("/spk/dataset-input/timing-float64", test_timing_float64);
  g_test_add_func ("/spk/dataset-input/timing-float32", test_timing_float32);
  g_test_add_func ("/spk/dataset-input/json", test_json);
  g_test_add_func ("/spk/dataset-input/json-errors", test_json_errors);
  g_test_add_func ("/spk/dataset-input/version-2-file", test_version_2_file);
  g_test_add_func ("/spk/dataset-input/build-errors", test_build_errors);
  g_test_add_func ("/spk/dataset-input/examples", test_examples);
  return g_test_run ();
}
