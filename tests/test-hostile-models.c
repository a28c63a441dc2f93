/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-hostile-models.c — models built to break the engine: nesting that
 * overflowed json-glib's stack, slices that select nothing, sizes that
 * cannot be allocated, expressions long enough to expose quadratic work,
 * and dimensions that once sized arrays on the stack.  Each must end in a
 * GError with a message, never a crash, an abort or a hang. */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "expr/spk-expr.h"
#include "io/spk-json-depth.h"
#include "io/spk-model-json.h"
#include "model/spk-distribution.h"
#include "model/spk-node.h"

#define HEAD "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": ["

/* Loads and builds text; returns the error's message (which must exist). */
static char *
build_error (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = spk_model_load_data (text, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;

  if (network != NULL)
    {
      g_assert_no_error (error);
      plan = spk_build (network, &error);
      g_assert_null (plan);
    }
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

#define assert_build_error(text, expected) \
  G_STMT_START { \
    g_autofree char *message_ = build_error (text); \
    if (strstr (message_, (expected)) == NULL) \
      g_error ("expected '%s' in: %s", (expected), message_); \
  } G_STMT_END

/* F1: json-glib recurses per level; 100,000 levels overflowed the stack. */
static void
test_deep_nesting (void)
{
  GString *text = g_string_new (HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": ");
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  g_string_append (text, "1");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}]}");
  data = g_string_free (text, FALSE);
  assert_build_error (data, "lists and objects are nested more than 64 levels deep");

  /* Brackets in strings do not count; 64 levels are allowed. */
  g_assert_true (spk_json_check_depth ("{\"a\": \"[[[[[[[[[[[[[[[[[[[[[\\\"[[[[[[\"}", -1, 2, &error));
  g_assert_no_error (error);
  g_assert_false (spk_json_check_depth ("[[[\n[]]]]", -1, 3, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 2:"));
}

/* F2: an empty selection returned NULL without an error. */
static void
test_empty_slices (void)
{
  assert_build_error (HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": [0.5]},"
                      "{\"type\": \"node\", \"label\": \"b\", \"size_in\": 1},"
                      "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b[1:]\"}]}",
                      "connection a → b: the slice '1:' selects nothing from a vector of size 1");
  assert_build_error (HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": [0.5]},"
                      "{\"type\": \"node\", \"label\": \"b\", \"size_in\": 1},"
                      "{\"type\": \"connection\", \"pre\": \"a[5:]\", \"post\": \"b\"}]}",
                      "the slice '5:' selects nothing from a vector of size 1");
  assert_build_error (HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": [0.5]},"
                      "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"a\", \"slice\": []}]}",
                      "probe 'p': the slice '[]' selects nothing from a vector of size 1");
}

/* F3/F4 and the connection weights: sizes from the model are refused
 * before an allocation aborts. */
static void
test_huge_sizes (void)
{
  assert_build_error (HEAD "{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 2000000000, \"dimensions\": 1}]}",
                      "ensemble 'e': not enough memory for 2000000000 neurons");
  assert_build_error (HEAD "{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 2147483647, \"dimensions\": 1}]}",
                      "ensemble 'e': not enough memory for 2147483647 neurons");
  assert_build_error (HEAD "{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 100000, \"dimensions\": 100000}]}",
                      "ensemble 'e': not enough memory for 100000 × 100000 encoders");
  assert_build_error (HEAD "{\"type\": \"layer\", \"label\": \"L\", \"shape_in\": [100000], \"units\": 1000000000}]}",
                      "layer 'L': not enough memory for 100000 × 1000000000 weights");
  assert_build_error (HEAD "{\"type\": \"node\", \"label\": \"a\", \"size_in\": 100000},"
                      "{\"type\": \"node\", \"label\": \"b\", \"size_in\": 100000},"
                      "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", "
                      "\"transform\": {\"type\": \"Uniform\", \"low\": 0, \"high\": 1}}]}",
                      "not enough memory for 100000 × 100000 weights");
}

/* F6: a 100,000-item vector compiles (columns were counted for every name:
 * quadratic, over 100 s); a regression shows as this test's timeout. */
static void
test_long_expression (void)
{
  GString *text = g_string_new ("[x");
  g_autoptr (SpkExpr) expr = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 1; i < 100000; i++)
    g_string_append (text, ",x");
  g_string_append_c (text, ']');
  expr = spk_expr_compile (text->str, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_expr_get_size_out (expr), ==, 100000);
  g_string_free (text, TRUE);
}

/* Quasi-random points in a million dimensions: the offsets, steps, row
 * swaps and angles were stack arrays of d doubles (8 MB of stack). */
static void
test_many_dimensions (void)
{
  g_autoptr (SpkDistribution) sphere = spk_distribution_new_hypersphere (FALSE, FALSE);
  g_autoptr (GError) error = NULL;
  const gsize d = 1000000;
  g_autofree double *points = g_new (double, 2 * d);
  SpkRng rng;

  spk_rng_init (&rng, 1);
  g_assert_true (spk_distribution_sample (sphere, 2, d, &rng, points, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < 2 * d; i++)
    g_assert_true (points[i] >= -1.0 && points[i] <= 1.0);
}

/* JSON has no NaN or infinity: a model holding one is refused on save
 * (it was written as null and silently lost on reload). */
static void
test_non_finite_save (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = spk_model_load_data (HEAD "{\"type\": \"node\", \"label\": \"a\", \"output\": [1, 2, 3]}]}",
                                                        -1, &error);
  g_autofree char *dir = g_dir_make_tmp ("spk-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "m.json", NULL);
  const double values[] = { 1.0, NAN, 3.0 };
  g_autoptr (SpkArray) output = spk_array_new_vector (values, 3);

  g_assert_no_error (error);
  spk_node_set_output_value (SPK_NODE (spk_network_lookup (network, "a")), output);
  g_assert_false (spk_model_save_file (network, path, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "node 'a': output[1] is NaN or infinite, which a model file cannot hold "
                                       "(JSON has no such numbers)");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/hostile-models/deep-nesting", test_deep_nesting);
  g_test_add_func ("/spk/hostile-models/empty-slices", test_empty_slices);
  g_test_add_func ("/spk/hostile-models/huge-sizes", test_huge_sizes);
  g_test_add_func ("/spk/hostile-models/long-expression", test_long_expression);
  g_test_add_func ("/spk/hostile-models/many-dimensions", test_many_dimensions);
  g_test_add_func ("/spk/hostile-models/non-finite-save", test_non_finite_save);
  return g_test_run ();
}
