/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-refusals.c — spikeworks-cli given what a careless or hostile
 * user gives it: out-of-range and extra arguments (exit 2 with usage),
 * sizes that cannot be allocated, outputs that cannot be written, probe
 * labels that are paths, and models that once crashed or hung it.  Each
 * run must end with a message and an exit status, never a signal. */
/* symlink() */
#define _DEFAULT_SOURCE

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "spk-cli-test-util.h"

#define HEAD "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": ["

/* Runs the CLI and checks it exits with status, saying message (and the
 * usage line when status is 2). */
#define assert_refused(f, status, message, ...) \
  G_STMT_START { \
    g_autofree char *err_ = NULL; \
    g_assert_cmpint (cli (NULL, &err_, __VA_ARGS__, NULL), ==, (status)); \
    g_assert_nonnull (err_); \
    if (strstr (err_, (message)) == NULL) \
      g_error ("expected '%s' in: %s", (message), err_); \
    if ((status) == 2) \
      g_assert_nonnull (strstr (err_, "usage: spikeworks-cli ")); \
  } G_STMT_END

static void
test_bad_arguments (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *model = write_file (f, "a.json", HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": 1}]}");

  assert_refused (f, 2, "Unknown option --bogus", "examples", "--bogus");
  assert_refused (f, 2, "unexpected argument 'x'", "examples", "x");
  assert_refused (f, 2, "unexpected argument '", "info", model, model);
  assert_refused (f, 2, "unexpected argument 'c'", "export", "a", "b", "c");
  assert_refused (f, 2, "unexpected argument '", "run", model, model, "--out-dir", f->dir);
  assert_refused (f, 2, "--steps must be a whole number of at least 0, not '-1'",
                  "run", "--example", "integrator", "--out-dir", f->dir, "--steps", "-1");
  assert_refused (f, 2, "--steps must be a whole number of at least 0, not '12x'",
                  "run", "--example", "integrator", "--out-dir", f->dir, "--steps", "12x");
  assert_refused (f, 2, "--time must be a finite number of at least 0, not 'nan'",
                  "run", "--example", "integrator", "--out-dir", f->dir, "--time", "nan");
  assert_refused (f, 2, "--time must be a finite number of at least 0, not '-1'",
                  "run", "--example", "integrator", "--out-dir", f->dir, "--time", "-1");
  assert_refused (f, 2, "--time must be a finite number of at least 0, not 'inf'",
                  "run", "--example", "integrator", "--out-dir", f->dir, "--time", "inf");
  assert_refused (f, 2, "--seed must be a whole number of at least 0",
                  "run", "--example", "integrator", "--out-dir", f->dir, "--seed", "-3");
  assert_refused (f, 2, "give --steps or --time, not both",
                  "run", "--example", "integrator", "--out-dir", f->dir, "--steps", "1", "--time", "1");
  assert_refused (f, 2, "--run-steps must be a whole number of at least 0",
                  "save", "--example", "integrator", "x.spkw", "--run-steps", "-1");
  assert_refused (f, 2, "--lr must be a finite number greater than 0, not 'nan'",
                  "fit", "--example", "integrator", "--out", "x.spkw", "--lr", "nan");
  assert_refused (f, 2, "--lr must be a finite number greater than 0, not '0'",
                  "fit", "--example", "integrator", "--out", "x.spkw", "--lr", "0");
  assert_refused (f, 2, "--lif-smoothing must be a finite number of at least 0, not '-1'",
                  "fit", "--example", "integrator", "--out", "x.spkw", "--lif-smoothing", "-1");
  assert_refused (f, 2, "--epochs must be a whole number from 1 to",
                  "fit", "--example", "integrator", "--out", "x.spkw", "--epochs", "0");
  assert_refused (f, 2, "--batch must be a whole number from 1 to 2147483647, not '-1'",
                  "evaluate", "--example", "integrator", "--batch", "-1");
  assert_refused (f, 2, "--steps must be a whole number from 1 to",
                  "evaluate", "--example", "integrator", "--steps", "0");
  assert_refused (f, 2, "--n must be a whole number from 1 to",
                  "predict", "--example", "integrator", "--n", "-5", "--out", "p.csv");
  assert_refused (f, 2, "--png-count must be a whole number from 1 to",
                  "predict", "--example", "integrator", "--png", "p.png", "--png-count", "0");
  /* F8: the tuning curve's points size two buffers and the CSV. */
  assert_refused (f, 2, "--points must be a whole number from 2 to 1000000, not '2147483647'",
                  "tuning", "--example", "communication-channel", "--ensemble", "a", "--out", "t.csv",
                  "--points", "2147483647");
  /* decoded: the same checks as tuning, and what it needs named. */
  assert_refused (f, 2, "decoded needs --connection and --out",
                  "decoded", "--example", "communication-channel", "--out", "d.csv");
  assert_refused (f, 2, "decoded needs --connection and --out",
                  "decoded", "--example", "communication-channel", "--connection", "connection1");
  assert_refused (f, 2, "--points must be a whole number from 2 to 1000000, not '1'",
                  "decoded", "--example", "communication-channel", "--connection", "connection1",
                  "--out", "d.csv", "--points", "1");
  assert_refused (f, 2, "unexpected argument '", "decoded", model, model, "--connection", "c", "--out", "d.csv");
  assert_refused (f, 2, "Unknown option --ensemble", "decoded", "--example", "communication-channel",
                  "--ensemble", "a", "--connection", "connection1", "--out", "d.csv");
  assert_refused (f, 1, "there is no connection 'nope' in this model",
                  "decoded", "--example", "communication-channel", "--connection", "nope", "--out", "d.csv");
  /* F9: more steps than a 64-bit count holds, and llround() of them. */
  assert_refused (f, 2, "--time is too long", "run", "--example", "integrator", "--out-dir", f->dir, "--time", "1e300");
  assert_refused (f, 2, "--time is too long", "run", "--example", "integrator", "--out-dir", f->dir, "--time", "1e19");
}

/* F7: a run whose records cannot fit is refused before it starts. */
static void
test_huge_run (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *outdir = g_build_filename (f->dir, "o", NULL);

  assert_refused (f, 1, "not enough memory to record 9223372036854775807 steps of probe",
                  "run", "--example", "integrator", "--out-dir", outdir, "--steps", "9223372036854775807");
  g_assert_false (g_file_test (outdir, G_FILE_TEST_EXISTS));
}

/* F10: no steps, no samples: a CSV with only its header. */
static void
test_zero_steps (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *outdir = g_build_filename (f->dir, "o", NULL);
  g_autofree char *path = g_build_filename (outdir, "integral_value.csv", NULL);
  g_autofree char *csv = NULL;

  g_assert_cmpint (cli (NULL, NULL, "run", "--example", "integrator", "--out-dir", outdir, "--steps", "0", NULL), ==, 0);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_cmpstr (csv, ==, "t,integral_value[0]\n");
  g_assert_cmpint (cli (NULL, NULL, "run", "--example", "integrator", "--out-dir", outdir, "--time", "0.0004", NULL), ==, 0);
}

/* F13: --batch sizes buffers only up to the number of examples. */
static void
test_huge_batch (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *small = NULL, *huge = NULL, *err = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "p.csv", NULL);

  g_assert_cmpint (cli (&small, NULL, "evaluate", "--example", "communication-channel", "--data", "noise-lowpass",
                        "--n", "4", "--steps", "10", "--batch", "4", NULL), ==, 0);
  g_assert_cmpint (cli (&huge, &err, "evaluate", "--example", "communication-channel", "--data", "noise-lowpass",
                        "--n", "4", "--steps", "10", "--batch", "100000000", NULL), ==, 0);
  g_assert_cmpstr (huge, ==, small);
  g_assert_cmpint (cli (NULL, NULL, "predict", "--example", "communication-channel", "--data", "noise-lowpass",
                        "--n", "4", "--steps", "10", "--batch", "2000000000", "--out", csv, NULL), ==, 0);
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
}

/* IDX files of Fashion-MNIST's names holding no examples. */
static void
write_empty_fashion (Fixture *f)
{
  static const char *splits[] = { "train", "t10k" };

  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    {
      g_autofree char *img = g_strdup_printf ("%s/%s-images-idx3-ubyte.gz", f->dir, splits[i]);
      g_autofree char *lab = g_strdup_printf ("%s/%s-labels-idx1-ubyte.gz", f->dir, splits[i]);
      const char img_head[16] = { 0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28 };
      const char lab_head[8] = { 0, 0, 8, 1, 0, 0, 0, 0 };

      g_assert_true (g_file_set_contents (img, img_head, sizeof img_head, NULL));
      g_assert_true (g_file_set_contents (lab, lab_head, sizeof lab_head, NULL));
    }
}

/* A loss over no examples is refused, not printed as 0. */
static void
test_no_examples (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *trained = g_build_filename (f->dir, "t.spkw", NULL);
  int status;

  write_empty_fashion (f);
  status = cli (&out, &err, "evaluate", "--example", "autoencoder", "--data", "fashion-mnist",
                "--data-dir", f->dir, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_null (strstr (out, "loss"));
  g_assert_nonnull (strstr (err, "the data set has no examples"));
  status = cli (&out, &err, "fit", "--example", "autoencoder", "--data", "fashion-mnist",
                "--data-dir", f->dir, "--out", trained, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "there are no training examples"));
  g_assert_false (g_file_test (trained, G_FILE_TEST_EXISTS));
}

/* Writes that fail are errors: /dev/full (a device is written in place,
 * never replaced), a full stdout, and a file size limit while saving. */
static void
test_full_disk (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *session = g_build_filename (f->dir, "s.spkw", NULL);
  g_autofree char *big = NULL, *before = NULL, *after = NULL, *err = NULL;
  gsize before_len, after_len;
  g_autofree char *script = g_strdup_printf ("exec \"%s\" info --example integrator >/dev/full", g_getenv ("SPK_CLI"));
  const char *sh[] = { "sh", "-c", script, NULL };
  GStatBuf st;
  int status;

  /* Through a link to /dev/full: a CLI that renamed a temporary file over
   * its output replaces the link, never the device itself (as root it
   * would replace /dev/full with a regular file). */
  g_autofree char *full = g_build_filename (f->dir, "full", NULL);

  g_assert_cmpint (symlink ("/dev/full", full), ==, 0);
  assert_refused (f, 1, "could not write '", "export", "--example", "integrator", full);
  assert_refused (f, 1, "it is not a regular file", "save", "--example", "integrator", full);
  assert_refused (f, 1, "could not write '", "tuning", "--example", "communication-channel",
                  "--ensemble", "a", "--out", full);
  assert_refused (f, 1, "could not write '", "decoded", "--example", "communication-channel",
                  "--connection", "connection1", "--out", full);
  g_assert_true (g_file_test (full, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (g_stat ("/dev/full", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  g_assert_true (g_spawn_sync (NULL, (char **) sh, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL) == FALSE);
  g_assert_nonnull (strstr (err, "could not write the output"));

  /* F12: a save that fails part way keeps the old session and exits
   * cleanly (the failed HDF5 file was left open and crashed at exit). */
  big = write_file (f, "big.json", HEAD
                    "{\"type\": \"node\", \"label\": \"in\", \"output\": \"sin(2*pi*t)\"},"
                    "{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 2000, \"dimensions\": 1},"
                    "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"e\"},"
                    "{\"type\": \"probe\", \"label\": \"v\", \"target\": \"e.neurons\", \"attr\": \"voltage\"}]}");
  g_assert_cmpint (cli (NULL, NULL, "save", "--example", "integrator", session, "--run-steps", "100", NULL), ==, 0);
  g_assert_true (g_file_get_contents (session, &before, &before_len, NULL));
  status = cli_fsize_limited (1 << 20, NULL, &err, "save", big, session, "--run-steps", "1000", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "could not"));
  g_assert_true (g_file_get_contents (session, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* A probe label is the user's text: its CSV file stays inside --out-dir
 * whatever it holds, names that collide after cleaning get suffixes, and
 * the header quotes it. */
static void
test_probe_labels (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *model = write_file (f, "m.json", HEAD
                                       "{\"type\": \"node\", \"label\": \"a\", \"output\": 1},"
                                       "{\"type\": \"probe\", \"label\": \"../escaped\", \"target\": \"a\"},"
                                       "{\"type\": \"probe\", \"label\": \"x/y\", \"target\": \"a\"},"
                                       "{\"type\": \"probe\", \"label\": \"x_y\", \"target\": \"a\"},"
                                       "{\"type\": \"probe\", \"label\": \"q,\\\"r\", \"target\": \"a\"}]}");
  g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *escaped = g_build_filename (f->dir, "escaped.csv", NULL);
  g_autofree char *err = NULL, *csv = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_cmpint (cli (NULL, &err, "run", model, "--steps", "2", "--out-dir", outdir, NULL), ==, 0);
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
  dir = g_dir_open (outdir, 0, NULL);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "_._escaped.csv");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "q,\"r.csv");
  g_assert_cmpstr (g_ptr_array_index (names, 2), ==, "x_y-2.csv");
  g_assert_cmpstr (g_ptr_array_index (names, 3), ==, "x_y.csv");
  g_assert_nonnull (strstr (err, "probe '../escaped' is written as '_._escaped.csv'"));
  g_assert_nonnull (strstr (err, "probe 'x_y' is written as 'x_y-2.csv'"));
  {
    g_autofree char *path = g_build_filename (outdir, "q,\"r.csv", NULL);

    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    g_assert_true (g_str_has_prefix (csv, "t,\"q,\"\"r[0]\"\n"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/spk/cli-refusals/bad-arguments", test_bad_arguments);
  ADD ("/spk/cli-refusals/huge-run", test_huge_run);
  ADD ("/spk/cli-refusals/zero-steps", test_zero_steps);
  ADD ("/spk/cli-refusals/huge-batch", test_huge_batch);
  ADD ("/spk/cli-refusals/no-examples", test_no_examples);
  ADD ("/spk/cli-refusals/full-disk", test_full_disk);
  ADD ("/spk/cli-refusals/probe-labels", test_probe_labels);
  return g_test_run ();
}
