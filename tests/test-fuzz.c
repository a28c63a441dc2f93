/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fuzz.c — seeded, bounded fuzzing of everything a user is sent or
 * types: mutated models, damaged sessions (flipped, zeroed and truncated
 * bytes, and structural edits as h5py makes them: link cycles, deleted
 * objects, attributes and datasets of the wrong type), IDX data files and
 * command lines.  Files and arguments go through spikeworks-cli in a
 * child process with a time limit, so a crash or a hang is counted, not
 * fatal; damaged sessions also through the workbench's way in,
 * spk_session_load_checked() in a forked copy of this test; IDX files are
 * read in-process (AddressSanitizer watches there).
 * Expressions are fuzzed in test-expr.c.
 *
 * Each target prints "fuzz TARGET: N inputs, A accepted, E clean errors,
 * C crashes, H hangs" and fails on any crash or hang.  The default run is
 * small enough for ./test.sh (under a minute); SPK_FUZZ_SCALE=K runs K
 * times as many inputs and SPK_FUZZ_SEED=S another sequence
 * (docs/testing.md has the long run and its counts). */
/* symlink() */
#define _DEFAULT_SOURCE

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <hdf5.h>

#include "examples/spk-examples.h"
#include "io/spk-idx.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "spk-cli-test-util.h"

typedef struct
{
  const char *target;
  guint       inputs, ok, refused, crashed, hung;
} Tally;

static guint
scaled (guint n)
{
  const char *text = g_getenv ("SPK_FUZZ_SCALE");
  guint64 k = 1;

  if (text)
    g_assert_true (g_ascii_string_to_unsigned (text, 10, 1, 100000, &k, NULL));
  return n * (guint) k;
}

static GRand *
new_rand (const char *target)
{
  const char *text = g_getenv ("SPK_FUZZ_SEED");
  guint64 seed = 1;

  if (text)
    g_assert_true (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &seed, NULL));
  /* Each target its own stream, so adding inputs to one moves no other. */
  return g_rand_new_with_seed ((guint32) seed ^ g_str_hash (target));
}

/* Counts one run; a crash or hang keeps its input in the build directory
 * for reproduction. */
static void
tally_add (Tally      *t,
           CliOutcome  outcome,
           const char *input,
           const char *what)
{
  t->inputs++;
  switch (outcome)
    {
    case CLI_OK: t->ok++; return;
    case CLI_REFUSED: t->refused++; return;
    case CLI_CRASHED: t->crashed++; break;
    case CLI_HUNG: t->hung++; break;
    }
  if (input != NULL)
    {
      g_autofree char *contents = NULL;
      g_autofree char *keep = g_strdup_printf ("%s/fuzz-%s-%u%s", g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                               t->target, t->inputs, strrchr (input, '.') ? strrchr (input, '.') : "");
      gsize length;

      if (g_file_get_contents (input, &contents, &length, NULL))
        g_file_set_contents (keep, contents, (gssize) length, NULL);
      g_printerr ("fuzz %s: %s %s (input kept as %s)\n", t->target,
                  outcome == CLI_HUNG ? "hang in" : "crash in", what, keep);
    }
  else
    g_printerr ("fuzz %s: %s %s\n", t->target, outcome == CLI_HUNG ? "hang in" : "crash in", what);
}

static void
tally_report (Tally *t)
{
  g_autofree char *line = g_strdup_printf ("fuzz %s: %u inputs, %u accepted, %u clean errors, %u crashes, %u hangs",
                                           t->target, t->inputs, t->ok, t->refused, t->crashed, t->hung);

  g_test_message ("%s", line);
  g_printerr ("%s\n", line);
  g_assert_cmpuint (t->crashed, ==, 0);
  g_assert_cmpuint (t->hung, ==, 0);
}

/* {{{ Models */

/* Values that have broken parsers and builders: sizes at the limits of
 * their types, non-numbers where numbers go, empty containers. */
static const char *const interesting[] = {
  "0", "-1", "1", "2", "0.5", "-0.0", "1e300", "-1e300", "1e-320", "2147483647", "2147483648",
  "4294967296", "9223372036854775807", "-9223372036854775808", "1e19", "null", "true", "\"\"",
  "\"x\"", "[]", "{}", "[[]]", "[0]", "\"a[5:]\"", "\"a.neurons\"", "\"x**2\"", "\"[x,x]\"",
};

/* (MIN and MAX evaluate their arguments twice: random draws go into
 * variables first.) */
static char *
mutate_text (GRand      *rand,
             const char *base)
{
  GString *s = g_string_new (base);
  guint n_edits = g_rand_int_range (rand, 0, 4) ? 1 : 2;

  for (guint e = 0; e < n_edits && s->len > 0; e++)
    {
      gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) s->len);

      /* Mostly values replaced, so that most models still parse. */
      switch (g_rand_int_range (rand, 0, 12))
        {
        case 0: /* a byte replaced */
          s->str[at] = (char) g_rand_int_range (rand, 1, 256);
          break;
        case 1: /* a range removed */
          {
            gsize len = (gsize) g_rand_int_range (rand, 1, 40);

            g_string_erase (s, (gssize) at, (gssize) MIN (len, s->len - at));
          }
          break;
        case 2: /* a range repeated */
          {
            gsize len = (gsize) g_rand_int_range (rand, 1, 80);
            g_autofree char *copy = g_strndup (s->str + at, MIN (len, s->len - at));

            g_string_insert (s, (gssize) at, copy);
          }
          break;
        case 3: /* truncated */
          g_string_truncate (s, at);
          break;
        default: /* the number or literal at a value position replaced */
          {
            const char *colon = strchr (s->str + at, ':');
            gsize start, end;

            if (colon == NULL)
              break;
            start = (gsize) (colon - s->str) + 1;
            while (start < s->len && s->str[start] == ' ')
              start++;
            end = start;
            if (end < s->len && (s->str[end] == '[' || s->str[end] == '{'))
              break;
            if (end < s->len && s->str[end] == '"')
              {
                end++;
                while (end < s->len && s->str[end] != '"')
                  end += s->str[end] == '\\' ? 2 : 1;
                end = MIN (end + 1, s->len);
              }
            else
              while (end < s->len && !strchr (",}]", s->str[end]))
                end++;
            g_string_erase (s, (gssize) start, (gssize) (end - start));
            g_string_insert (s, (gssize) start, interesting[g_rand_int_range (rand, 0, G_N_ELEMENTS (interesting))]);
          }
          break;
        }
    }
  return g_string_free (s, FALSE);
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GRand) rand = new_rand ("models");
  g_autoptr (GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_build_filename (f->dir, "m.json", NULL);
  g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
  Tally t = { "models" };
  guint n = scaled (60);

  /* The small examples (the Fashion-MNIST ones build for seconds). */
  for (const SpkExampleInfo *info = spk_examples_list (); info->name; info++)
    {
      g_autoptr (SpkNetwork) net = NULL;

      if (strstr (info->name, "fashion") || strstr (info->name, "autoencoder"))
        continue;
      net = spk_example_new (info->name, NULL);
      g_assert_nonnull (net);
      g_ptr_array_add (bases, spk_model_to_data (net, NULL));
    }
  /* The learning rules' reference networks: every rule and its keys. */
  {
    static const char *const learning[] = { "pes-decoded", "pes-neurons", "bcm", "oja", "voja", "rls" };

    for (guint i = 0; i < G_N_ELEMENTS (learning); i++)
      {
        g_autofree char *file = g_strdup_printf ("%s.json", learning[i]);
        g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "learning", file, NULL);
        g_autoptr (JsonParser) parser = json_parser_new ();

        g_assert_true (json_parser_load_from_file (parser, source, NULL));
        g_ptr_array_add (bases, json_to_string (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                                        "model"), TRUE));
      }
  }
  /* The newer Nengo features' files: every solver, synapse and their keys. */
  {
    g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "v3", "solvers.json", NULL);
    g_autofree char *networks = g_test_build_filename (G_TEST_DIST, "data", "v4", "networks.json", NULL);
    g_autofree char *synapses = g_test_build_filename (G_TEST_DIST, "data", "nengo-features", "synapses.json", NULL);
    g_autoptr (JsonParser) parser = json_parser_new ();
    char *text = NULL;

    g_assert_true (g_file_get_contents (source, &text, NULL, NULL));
    g_ptr_array_add (bases, text);
    /* Sub-networks: nesting, configs and every built-in network. */
    g_assert_true (g_file_get_contents (networks, &text, NULL, NULL));
    g_ptr_array_add (bases, text);
    g_assert_true (json_parser_load_from_file (parser, synapses, NULL));
    g_ptr_array_add (bases, json_to_string (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                                    "model"), TRUE));
  }
  {
    g_autofree char *piecewise = g_test_build_filename (G_TEST_DIST, "data", "nengo-features", "piecewise.json", NULL);
    g_autoptr (JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_file (parser, piecewise, NULL));
    g_ptr_array_add (bases, json_to_string (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                                    "model"), TRUE));
    /* The noises and an ensemble's noise, small. */
    g_ptr_array_add (bases, g_strdup ("{\"format\": \"spikeworks-model\", \"version\": 3, \"objects\": ["
                                      "{\"type\": \"node\", \"label\": \"f\", \"output\": {\"process\": "
                                      "\"FilteredNoise\", \"synapse\": {\"type\": \"Triangle\", \"t\": 0.003}, "
                                      "\"scale\": false}},"
                                      "{\"type\": \"node\", \"label\": \"b\", \"output\": {\"process\": "
                                      "\"BrownNoise\", \"seed\": 3}},"
                                      "{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"noise\": "
                                      "{\"process\": \"WhiteNoise\"}},"
                                      "{\"type\": \"connection\", \"pre\": \"f\", \"post\": \"e\"}]}"));
  }
  {
    /* Version 4: a connection's eval_points and a function as points. */
    g_autofree char *points = g_test_build_filename (G_TEST_DIST, "data", "nengo-features", "connection-points.json",
                                                     NULL);
    g_autoptr (JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_file (parser, points, NULL));
    g_ptr_array_add (bases, json_to_string (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                                    "model"), TRUE));
  }
  {
    /* Version 5: Sparse, Convolution and ConvolutionTranspose transforms. */
    g_autofree char *transforms = g_test_build_filename (G_TEST_DIST, "data", "v5", "transforms.json", NULL);
    char *text = NULL;

    g_assert_true (g_file_get_contents (transforms, &text, NULL, NULL));
    g_ptr_array_add (bases, text);
  }
  {
    /* Version 6: Direct ensembles (into and out of neurons, recurrent,
     * with noise, with a solver and eval points they ignore). */
    static const char *const direct[] = { "direct-chain", "direct-integrator" };

    for (guint i = 0; i < G_N_ELEMENTS (direct); i++)
      {
        g_autofree char *file = g_strdup_printf ("%s.json", direct[i]);
        g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "nengo-features", file, NULL);
        g_autoptr (JsonParser) parser = json_parser_new ();

        g_assert_true (json_parser_load_from_file (parser, source, NULL));
        g_ptr_array_add (bases, json_to_string (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                                        "model"), TRUE));
      }
    g_ptr_array_add (bases, g_strdup ("{\"format\": \"spikeworks-model\", \"version\": 6, \"objects\": ["
                                      "{\"type\": \"node\", \"label\": \"in\", \"output\": [0.5, 1]},"
                                      "{\"type\": \"ensemble\", \"label\": \"d\", \"n_neurons\": 1, "
                                      "\"dimensions\": 2, \"neuron_type\": {\"type\": \"Direct\"}, \"noise\": "
                                      "{\"process\": \"WhiteNoise\"}},"
                                      "{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, "
                                      "\"dimensions\": 2},"
                                      "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"d\", "
                                      "\"synapse\": null},"
                                      "{\"type\": \"connection\", \"pre\": \"d\", \"post\": \"e\", "
                                      "\"function\": \"[x[0]*x[1], x[1]]\", \"solver\": {\"type\": \"LstsqL2\", "
                                      "\"weights\": true}, \"eval_points\": [[0, 0]]},"
                                      "{\"type\": \"connection\", \"pre\": \"d\", \"post\": \"d\", "
                                      "\"transform\": 0.5, \"synapse\": 0.1},"
                                      "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"d\", "
                                      "\"attr\": \"decoded_output\"}]}"));
  }
  /* Version 7: layers with strides per axis (and version 6's one number). */
  g_ptr_array_add (bases, g_strdup ("{\"format\": \"spikeworks-model\", \"version\": 7, \"objects\": ["
                                    "{\"type\": \"node\", \"label\": \"in\", \"output\": [0.5, 1, 0, -1, 2, 0.25]},"
                                    "{\"type\": \"layer\", \"label\": \"c\", \"layer_type\": \"conv2d\", "
                                    "\"shape_in\": [3, 2, 1], \"filters\": 2, \"kernel_size\": 2, \"kernel_width\": 1, "
                                    "\"strides\": [2, 1], \"padding\": \"same\"},"
                                    "{\"type\": \"layer\", \"label\": \"a\", \"layer_type\": \"average-pooling2d\", "
                                    "\"shape_in\": [2, 2, 2], \"kernel_size\": 1, \"strides\": [1, 2]},"
                                    "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"c\", \"synapse\": null},"
                                    "{\"type\": \"connection\", \"pre\": \"c\", \"post\": \"a\", \"synapse\": null},"
                                    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"a\"}]}"));
  {
    g_autofree char *layers = g_test_build_filename (G_TEST_DIST, "data", "v6", "layers.json", NULL);
    char *text = NULL;

    g_assert_true (g_file_get_contents (layers, &text, NULL, NULL));
    g_ptr_array_add (bases, text);
  }
  /* BasalGanglia's synapses and AssociativeMemory's add-ons, small. */
  g_ptr_array_add (bases, g_strdup ("{\"format\": \"spikeworks-model\", \"version\": 6, \"objects\": ["
                                    "{\"type\": \"node\", \"label\": \"in\", \"output\": [0.5, 1]},"
                                    "{\"type\": \"network\", \"label\": \"bg\", \"kind\": \"BasalGanglia\", "
                                    "\"dimensions\": 2, \"n_neurons_per_ensemble\": 4, \"ampa_synapse\": "
                                    "{\"type\": \"Alpha\", \"tau\": 0.003}, \"gaba_synapse\": null},"
                                    "{\"type\": \"network\", \"label\": \"am\", \"kind\": \"AssociativeMemory\", "
                                    "\"input_vectors\": [[1, 0], [0, 1]], \"n_neurons\": 4, \"inhibitable\": true, "
                                    "\"input_mappings\": [{\"name\": \"alt\", \"input_vectors\": [[0, 1], [1, 0]], "
                                    "\"input_scales\": [1, 0.5]}], "
                                    "\"output_mappings\": [{\"name\": \"names\", \"output_vectors\": [[1], [2]]}], "
                                    "\"default_output_vectors\": [{\"output_vector\": [0.5, 0], \"n_neurons\": 3, "
                                    "\"min_activation_value\": 0.4}, {\"output_vector\": [1], \"output_name\": \"names\"}], "
                                    "\"wta_network\": {\"inhibit_scale\": 2, \"inhibit_synapse\": 0.004}, "
                                    "\"threshold_outputs\": {\"n_neurons\": 3, \"inhibit_scale\": 8}},"
                                    "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"bg.input\"},"
                                    "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"am.alt\"},"
                                    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"am.names\"}]}"));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = mutate_text (rand, g_ptr_array_index (bases, g_rand_int_range (rand, 0, (gint32) bases->len)));
      const char *info_args[] = { "info", path, NULL };
      const char *run_args[] = { "run", path, "--steps", "3", "--out-dir", outdir, NULL };

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      tally_add (&t, cli_outcome (30, i % 2 ? run_args : info_args), path, i % 2 ? "run" : "info");
    }
  tally_report (&t);
}

/* }}} */
/* {{{ Sessions */

typedef struct
{
  GPtrArray *paths;
} Objects;

static herr_t
collect_object (hid_t             root,
                const char       *name,
                const H5O_info_t *info,
                void             *data)
{
  Objects *o = data;

  if (strcmp (name, ".") != 0)
    g_ptr_array_add (o->paths, g_strdup_printf ("/%s", name));
  return 0;
}

static herr_t
collect_attribute (hid_t             location,
                   const char       *name,
                   const H5A_info_t *info,
                   void             *data)
{
  g_ptr_array_add (data, g_strdup (name));
  return 0;
}

/* One edit of the kind h5py makes easy, on a copy of a valid session. */
static void
edit_structure (GRand      *rand,
                const char *path)
{
  hid_t file = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  Objects o = { paths };
  const char *victim;
  hid_t space, obj;

  g_assert_cmpint (file, >=, 0);
  H5Ovisit2 (file, H5_INDEX_NAME, H5_ITER_NATIVE, collect_object, &o, H5O_INFO_BASIC);
  g_assert_cmpuint (paths->len, >, 0);
  victim = g_ptr_array_index (paths, g_rand_int_range (rand, 0, (gint32) paths->len));
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0: /* a hard link cycle: f["layout/loop"] = f["layout"] */
      H5Lcreate_hard (file, H5Lexists (file, "/layout", H5P_DEFAULT) > 0 ? "/layout" : "/",
                      file, H5Lexists (file, "/layout", H5P_DEFAULT) > 0 ? "/layout/loop" : "/loop",
                      H5P_DEFAULT, H5P_DEFAULT);
      break;
    case 1: /* a soft link to an ancestor, or dangling */
      {
        g_autofree char *link = g_strdup_printf ("%s_link", victim);

        H5Lcreate_soft (g_rand_boolean (rand) ? "/" : "/nowhere", file, link, H5P_DEFAULT, H5P_DEFAULT);
      }
      break;
    case 2: /* an object removed */
      H5Ldelete (file, victim, H5P_DEFAULT);
      break;
    case 3: /* an attribute replaced by a number */
      obj = H5Oopen (file, victim, H5P_DEFAULT);
      if (obj >= 0)
        {
          g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

          H5Aiterate2 (obj, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, collect_attribute, names);
          if (names->len > 0)
            {
              const char *name = g_ptr_array_index (names, g_rand_int_range (rand, 0, (gint32) names->len));
              gint64 value = g_rand_boolean (rand) ? -1 : G_MAXINT64;
              hid_t attr;

              H5Adelete (obj, name);
              space = H5Screate (H5S_SCALAR);
              attr = H5Acreate2 (obj, name, H5T_NATIVE_INT64, space, H5P_DEFAULT, H5P_DEFAULT);
              H5Awrite (attr, H5T_NATIVE_INT64, &value);
              H5Aclose (attr);
              H5Sclose (space);
            }
          H5Oclose (obj);
        }
      break;
    default: /* a dataset replaced by one of another type and shape */
      {
        hsize_t dims[3] = { 2, 3, 1 };
        int values[6] = { 1, -1, 0, 7, 1 << 30, -5 };
        hid_t ds;

        H5Ldelete (file, victim, H5P_DEFAULT);
        space = H5Screate_simple (g_rand_int_range (rand, 1, 4), dims, NULL);
        ds = H5Dcreate2 (file, victim, H5T_NATIVE_INT, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (ds >= 0)
          {
            H5Dwrite (ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
            H5Dclose (ds);
          }
        H5Sclose (space);
      }
      break;
    }
  H5Fclose (file);
}

/* A copy of a valid session damaged in one of the ways a download or a
 * disk does it, or edited as h5py would, written to path. */
static void
write_damaged_session (GRand      *rand,
                       const char *contents,
                       gsize       length,
                       const char *path)
{
  g_autofree char *bytes = g_memdup2 (contents, length);
  gsize len = length;
  guint kind = (guint) g_rand_int_range (rand, 0, 4);

  if (kind == 0)        /* bytes flipped */
    for (guint k = (guint) g_rand_int_range (rand, 1, 5); k > 0; k--)
      bytes[g_rand_int_range (rand, 0, (gint32) len)] ^= (char) (1 << g_rand_int_range (rand, 0, 8));
  else if (kind == 1)   /* a range zeroed */
    {
      gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) len);
      gsize zeros = (gsize) g_rand_int_range (rand, 1, 64);

      memset (bytes + at, 0, MIN (zeros, len - at));
    }
  else if (kind == 2)   /* truncated */
    len = (gsize) g_rand_int_range (rand, 0, (gint32) len);
  g_assert_true (g_file_set_contents (path, bytes, (gssize) len, NULL));
  if (kind == 3)        /* edited as h5py would */
    edit_structure (rand, path);
}

typedef struct
{
  char  *contents;
  gsize  length;
} Base;

static void
base_clear (gpointer data)
{
  g_free (((Base *) data)->contents);
}

/* Valid sessions to damage, so that every group of the format is there:
 * a trained one (parameters, history), one with a recorded run (probe
 * data), the version-1 files and one with the old variable-length
 * strings, where libhdf5 itself crashed on damage. */
static GArray *
make_base_sessions (Fixture *f)
{
  g_autofree char *fitted = g_build_filename (f->dir, "fitted.spkw", NULL);
  g_autofree char *recorded = g_build_filename (f->dir, "recorded.spkw", NULL);
  g_autofree char *v1 = g_test_build_filename (G_TEST_DIST, "data", "v1", "communication-channel.spkw", NULL);
  g_autofree char *v1_trained = g_test_build_filename (G_TEST_DIST, "data", "v1", "communication-channel-trained.spkw", NULL);
  g_autofree char *vlen = g_test_build_filename (G_TEST_DIST, "data", "integrator-v1-vlen.spkw", NULL);
  const char *paths[] = { fitted, recorded, v1, v1_trained, vlen };
  GArray *bases = g_array_new (FALSE, TRUE, sizeof (Base));

  g_array_set_clear_func (bases, base_clear);
  g_assert_cmpint (cli (NULL, NULL, "fit", "--example", "communication-channel", "--data", "noise-lowpass",
                        "--probe", "b_value", "--n", "4", "--steps", "5", "--epochs", "2",
                        "--out", fitted, NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "save", fitted, recorded, "--run-steps", "20", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      Base base = { 0 };

      g_assert_true (g_file_get_contents (paths[i], &base.contents, &base.length, NULL));
      g_array_append_val (bases, base);
    }
  return bases;
}

static const Base *
pick_base (GRand  *rand,
           GArray *bases)
{
  return &g_array_index (bases, Base, g_rand_int_range (rand, 0, (gint32) bases->len));
}

static void
test_sessions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GRand) rand = new_rand ("sessions");
  g_autofree char *path = g_build_filename (f->dir, "s.spkw", NULL);
  g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
  g_autoptr (GArray) bases = make_base_sessions (f);
  Tally t = { "sessions" };
  guint n = scaled (60);

  /* A check that hangs is given up quickly here. */
  g_setenv ("SPK_HDF5_CHECK_SECONDS", "3", TRUE);
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *info_args[] = { "info", path, NULL };
      const char *run_args[] = { "run", path, "--steps", "3", "--out-dir", outdir, NULL };

      const Base *base = pick_base (rand, bases);

      write_damaged_session (rand, base->contents, base->length, path);
      tally_add (&t, cli_outcome (60, i % 2 ? run_args : info_args), path, i % 2 ? "run" : "info");
    }
  g_unsetenv ("SPK_HDF5_CHECK_SECONDS");
  tally_report (&t);
}

/* Everything the workbench reads from a session it opened, so that
 * AddressSanitizer sees every byte the loader handed out. */
static void
read_everything (SpkSession *session)
{
  g_auto (GStrv) probes = spk_session_list_probes (session);
  g_auto (GStrv) plots = spk_session_list_plot_data (session);
  g_auto (GStrv) layout = spk_session_list_layout (session);
  g_auto (GStrv) metrics = spk_session_list_history_metrics (session);
  g_autofree char *json = spk_model_to_data (spk_session_get_network (session), NULL);
  guint n_epochs = 0;
  g_autofree guint *epochs = spk_session_dup_history_epochs (session, &n_epochs);
  volatile double sum = 0;

  for (guint i = 0; probes[i]; i++)
    {
      guint batch, size;
      guint64 n_samples;
      const double *t;
      const float *values = spk_session_get_probe_data (session, probes[i], &batch, &n_samples, &size, &t);

      for (guint64 k = 0; k < n_samples; k++)
        sum += t[k];
      for (guint64 k = 0; k < (guint64) batch * n_samples * size; k++)
        sum += values[k];
    }
  for (guint i = 0; plots[i]; i++)
    {
      guint size;
      guint64 n_samples;
      const double *t;
      const float *values = spk_session_get_plot_data (session, plots[i], &n_samples, &size, &t);

      for (guint64 k = 0; k < n_samples; k++)
        sum += t[k] + values[k * size];
    }
  for (guint i = 0; layout[i]; i++)
    {
      g_autofree char *text = g_variant_print (spk_session_get_layout (session, layout[i]), TRUE);

      sum += strlen (text);
    }
  for (guint m = 0; metrics[m]; m++)
    for (guint e = 0; e < n_epochs; e++)
      {
        double value;

        if (spk_session_get_history (session, epochs[e], metrics[m], &value))
          sum += value;
      }
  sum += strlen (json);
}

/* The workbench's way in (spk_session_load_checked, in-process), in a
 * forked copy of this test so that a crash or a hang is counted.  The
 * copy exits 0 when the session loaded, 1 when it was refused with a
 * message naming the file, 3 when it was refused without one. */
static CliOutcome
load_in_child (const char *path,
               guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  int status = 0;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkSession) session = spk_session_load_checked (path, &error);
      g_autofree char *name = g_path_get_basename (path);

      if (session != NULL)
        {
          read_everything (session);
          _exit (0);
        }
      _exit (error != NULL && strstr (error->message, name) != NULL ? 1 : 3);
    }
  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          return CLI_HUNG;
        }
      g_usleep (500);
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return CLI_OK;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 1)
    return CLI_REFUSED;
  return CLI_CRASHED;
}

static void
test_sessions_checked (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GRand) rand = new_rand ("sessions-checked");
  g_autofree char *path = g_build_filename (f->dir, "s.spkw", NULL);
  g_autoptr (GArray) bases = make_base_sessions (f);
  Tally t = { "sessions-checked" };
  guint n = scaled (120);

  g_setenv ("SPK_HDF5_CHECK_SECONDS", "3", TRUE);
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      const Base *base = pick_base (rand, bases);

      write_damaged_session (rand, base->contents, base->length, path);
      tally_add (&t, load_in_child (path, 60), path, "spk_session_load_checked");
    }
  g_unsetenv ("SPK_HDF5_CHECK_SECONDS");
  tally_report (&t);
}

/* }}} */
/* {{{ IDX files */

static void
test_idx (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr (GRand) rand = new_rand ("idx");
  g_autofree char *path = g_build_filename (f->dir, "d-idx3-ubyte", NULL);
  /* 3 images of 2 × 2 bytes. */
  const guint8 base[16 + 12] = { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  Tally t = { "idx" };
  guint n = scaled (400);

  for (guint i = 0; i < n; i++)
    {
      guint8 bytes[sizeof base + 16];
      gsize len = sizeof base;
      g_autoptr (GError) error = NULL;
      g_autofree float *values = NULL;
      gsize dims[SPK_IDX_MAX_DIMS];
      guint ndim;

      memcpy (bytes, base, sizeof base);
      memset (bytes + sizeof base, 0xff, 16);
      for (guint k = (guint) g_rand_int_range (rand, 1, 4); k > 0; k--)
        {
          /* Mostly the header, where the sizes and the type are. */
          gsize at = g_rand_int_range (rand, 0, 4) ? (gsize) g_rand_int_range (rand, 0, 16)
                                                   : (gsize) g_rand_int_range (rand, 0, (gint32) sizeof bytes);

          bytes[at] = g_rand_boolean (rand) ? (guint8) g_rand_int_range (rand, 0, 256) : 0xff;
        }
      if (g_rand_boolean (rand))
        len = (gsize) g_rand_int_range (rand, 0, (gint32) sizeof bytes + 1);
      g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) len, NULL));
      values = spk_idx_load (path, &ndim, dims, &error);
      g_assert_true ((values == NULL) != (error == NULL));
      tally_add (&t, values ? CLI_OK : CLI_REFUSED, NULL, NULL);
    }
  tally_report (&t);
}

/* }}} */
/* {{{ Command lines */

static const char *const commands[] = { "examples", "info", "run", "save", "export", "tuning", "evaluate", "predict", "fit", "frobnicate" };
static const char *const options[] = {
  "--example", "--steps", "--time", "--seed", "--out-dir", "--run-steps", "--ensemble", "--out", "--points",
  "--data", "--n", "--batch", "--lr", "--epochs", "--lif-smoothing", "--png", "--png-count", "--loss",
  "--probe", "--split", "--optimizer", "--dtype", "--bogus", "-n", "-x", "--",
};
static const char *const values[] = {
  "integrator", "communication-channel", "noise-lowpass", "a", "b_value", "-1", "0", "1", "3", "nan", "inf",
  "1e300", "-0", "2147483648", "9223372036854775807", "abc", "", "x.csv", "x.f32", "x.spkw", "x.png",
  "full", "mse", "sparse-ce", "t10k", "sgd", "float64",
};

/* Command lines that work, each mutated in one place. */
static const char *const valid[][14] = {
  { "run", "--example", "integrator", "--steps", "3", "--out-dir", "o", NULL },
  { "info", "--example", "communication-channel", NULL },
  { "save", "--example", "integrator", "x.spkw", "--run-steps", "5", NULL },
  { "export", "--example", "integrator", "x.json", NULL },
  { "tuning", "--example", "communication-channel", "--ensemble", "a", "--out", "t.csv", "--points", "5", NULL },
  { "evaluate", "--example", "communication-channel", "--data", "noise-lowpass", "--n", "2", "--steps", "2", NULL },
  { "predict", "--example", "communication-channel", "--data", "noise-lowpass", "--n", "2", "--steps", "2",
    "--out", "p.csv", NULL },
  { "fit", "--example", "communication-channel", "--data", "noise-lowpass", "--probe", "b_value", "--n", "2",
    "--steps", "2", "--out", "f.spkw", NULL },
};

static void
test_command_lines (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GRand) rand = new_rand ("cli");
  Tally t = { "command-lines" };
  guint n = scaled (120);
  g_autofree char *cwd = g_get_current_dir ();

  /* Outputs with relative names land in the fixture's directory; "full"
   * is a link to /dev/full, never the device itself (a broken CLI would
   * replace what it is given). */
  g_assert_cmpint (g_chdir (f->dir), ==, 0);
  g_assert_cmpint (symlink ("/dev/full", "full"), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      const char *const *base = valid[g_rand_int_range (rand, 0, G_N_ELEMENTS (valid))];
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_autoptr (GString) shown = g_string_new (NULL);
      guint len = g_strv_length ((char **) base), at = (guint) g_rand_int_range (rand, 1, (gint32) len + 1);
      guint kind = (guint) g_rand_int_range (rand, 0, 5);

      for (guint k = 0; k < len; k++)
        {
          if (k == at && kind == 0)        /* one argument replaced by a value */
            g_ptr_array_add (args, (gpointer) values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);
          else if (k == at && kind == 1)   /* one argument replaced by an option */
            g_ptr_array_add (args, (gpointer) options[g_rand_int_range (rand, 0, G_N_ELEMENTS (options))]);
          else if (k == at && kind == 2)   /* one argument left out */
            continue;
          else
            g_ptr_array_add (args, (gpointer) base[k]);
        }
      if (kind == 3)                       /* an option and a value added */
        {
          g_ptr_array_add (args, (gpointer) options[g_rand_int_range (rand, 0, G_N_ELEMENTS (options))]);
          g_ptr_array_add (args, (gpointer) values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);
        }
      else if (kind == 4)                  /* the command replaced */
        args->pdata[0] = (gpointer) commands[g_rand_int_range (rand, 0, G_N_ELEMENTS (commands))];
      g_ptr_array_add (args, NULL);
      for (guint k = 0; args->pdata[k]; k++)
        g_string_append_printf (shown, " '%s'", (const char *) args->pdata[k]);
      tally_add (&t, cli_outcome (60, (const char *const *) args->pdata), NULL, shown->str);
    }
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  tally_report (&t);
}

/* }}} */

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/spk/fuzz/models", test_models);
  ADD ("/spk/fuzz/sessions", test_sessions);
  ADD ("/spk/fuzz/sessions-checked", test_sessions_checked);
  ADD ("/spk/fuzz/idx", test_idx);
  ADD ("/spk/fuzz/command-lines", test_command_lines);
  return g_test_run ();
}
