/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-expr.c — the expression language: values against libm, shapes,
 * every error by message and column, random input that must never crash,
 * concurrent evaluation, and the speed against hand-written C. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "bench/spk-bench.h"
#include "expr/spk-expr.h"

/* The inputs every table row is evaluated at. */
static const double T = 0.3;
static const double X[3] = { 0.7, -1.3, 2.2 };

/* Two units in the last place: the evaluator calls the same libm
 * functions in the same order as the reference, but GCC may fold the
 * reference's calls on constants with MPFR, which rounds correctly where
 * glibc is allowed an ulp.  NaN must meet NaN and infinities match
 * exactly. */
static gboolean
close_ulps (double got,
            double want)
{
  double ulp;

  if (isnan (want))
    return isnan (got);
  if (isinf (want) || want == 0)
    return got == want;
  ulp = nextafter (fabs (want), INFINITY) - fabs (want);
  return fabs (got - want) <= 2 * ulp;
}

static double *
eval_one (const SpkExpr *expr,
          double         t,
          const double  *x)
{
  double *out = g_new0 (double, spk_expr_get_size_out (expr));

  spk_expr_eval (expr, NULL, t, x, 1, out);
  return out;
}

typedef struct
{
  const char *source;
  guint       size_in;
  guint       size_out;
  double      want[6];
} ValueCase;

static void
check_cases (const ValueCase *cases,
             guint            n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      const ValueCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(SpkExpr) expr = spk_expr_compile (c->source, c->size_in, &error);
      g_autofree double *out = NULL;

      g_test_message ("%s", c->source);
      g_assert_no_error (error);
      g_assert_cmpuint (spk_expr_get_size_out (expr), ==, c->size_out);
      out = eval_one (expr, T, c->size_in > 0 ? X : NULL);
      for (guint k = 0; k < c->size_out; k++)
        if (!close_ulps (out[k], c->want[k]))
          g_error ("%s [%u]: got %.17g, want %.17g", c->source, k, out[k], c->want[k]);
    }
}

static void
test_values (void)
{
  const double t = T, x0 = X[0], x1 = X[1], x2 = X[2];
  const ValueCase cases[] = {
    { "sin(2*pi*t)", 0, 1, { sin (2 * G_PI * t) } },
    { "np.sin(2 * np.pi * t)", 0, 1, { sin (2 * G_PI * t) } },
    { "sin(2*pi*t) * x[0] + x[1]^2", 2, 1, { sin (2 * G_PI * t) * x0 + x1 * x1 } },
    { "cos(t) + tan(t)", 0, 1, { cos (t) + tan (t) } },
    { "asin(t) - acos(t) * atan(t)", 0, 1, { asin (t) - acos (t) * atan (t) } },
    { "atan2(x[1], x[0])", 2, 1, { atan2 (x1, x0) } },
    { "np.arctan2(x[1], x[0])", 2, 1, { atan2 (x1, x0) } },
    { "sinh(x)", 3, 3, { sinh (x0), sinh (x1), sinh (x2) } },
    { "[cosh(t), tanh(t), exp(t)]", 0, 3, { cosh (t), tanh (t), exp (t) } },
    { "[log(t), log10(t), log2(t), sqrt(t)]", 0, 4, { log (t), log10 (t), log2 (t), sqrt (t) } },
    { "abs(x)", 3, 3, { fabs (x0), fabs (x1), fabs (x2) } },
    { "sign(x)", 3, 3, { 1, -1, 1 } },
    { "[sign(0), sign(-0.0)]", 0, 2, { 0, 0 } },
    { "floor(x)", 3, 3, { floor (x0), floor (x1), floor (x2) } },
    { "ceil(x)", 3, 3, { ceil (x0), ceil (x1), ceil (x2) } },
    /* numpy rounds half to even. */
    { "[round(2.5), round(3.5), round(-2.5), round(0.4999)]", 0, 4, { 2, 4, -2, 0 } },
    { "min(x)", 3, 1, { x1 } },
    { "max(x)", 3, 1, { x2 } },
    { "min(x, 0)", 3, 3, { 0, x1, 0 } },
    { "np.maximum(x, 0.5)", 3, 3, { x0, 0.5, x2 } },
    { "pow(t, 0.5)", 0, 1, { pow (t, 0.5) } },
    { "clip(x, -1, 1)", 3, 3, { x0, -1, 1 } },
    { "square(x)", 3, 3, { x0 * x0, x1 * x1, x2 * x2 } },
    { "numpy.square(t)", 0, 1, { t * t } },
    { "where(x > 0, x, 0)", 3, 3, { x0, 0, x2 } },
    { "norm(x)", 3, 1, { sqrt (x0 * x0 + x1 * x1 + x2 * x2) } },
    { "np.linalg.norm(x)", 3, 1, { sqrt (x0 * x0 + x1 * x1 + x2 * x2) } },
    { "dot(x, [1, 2, 3])", 3, 1, { x0 * 1 + x1 * 2 + x2 * 3 } },
    { "dot(2, x)", 3, 3, { 2 * x0, 2 * x1, 2 * x2 } },
    { "sum(x)", 3, 1, { x0 + x1 + x2 } },
    { "mean(x)", 3, 1, { (x0 + x1 + x2) / 3 } },
    { "[pi, e, tau, math.pi]", 0, 4, { G_PI, G_E, 2 * G_PI, G_PI } },
    { "x[0]*x[1]", 2, 1, { x0 * x1 } },
    { "[x[0]*x[1]]", 2, 1, { x0 * x1 } },
    { "[sin(t), cos(t)]", 0, 2, { sin (t), cos (t) } },
    { "[x, x**2]", 2, 4, { x0, x1, x0 * x0, x1 * x1 } },
    { "x[1:]", 3, 2, { x1, x2 } },
    { "x[::-1]", 3, 3, { x2, x1, x0 } },
    { "x[-1]", 3, 1, { x2 } },
    { "x[0:3:2]", 3, 2, { x0, x2 } },
    { "[t, 2*t, 3*t][1:]", 0, 2, { 2 * t, 3 * t } },
    { "t > 1 ? x : -x", 2, 2, { -x0, -x1 } },
    { "x ** 3", 1, 1, { x0 * x0 * x0 } },
    /* x with one dimension is a scalar and broadcasts. */
    { "x * [1, 2]", 1, 2, { x0, 2 * x0 } },
    /* Python's precedence: ** binds tighter than unary minus and nests to
     * the right; its exponent may carry a sign. */
    { "-x**2", 1, 1, { -(x0 * x0) } },
    { "2**3**2", 0, 1, { 512 } },
    { "2^-1", 0, 1, { 0.5 } },
    { "1 + 2 * 3 - 4 / 8", 0, 1, { 6.5 } },
    { "[1 < 2, 2 <= 1, 3 > 2, 2 >= 3, 1 == 1, 1 != 1]", 0, 6, { 1, 0, 1, 0, 1, 0 } },
    /* Python chains comparisons. */
    { "[0 < t < 1, 0 < t < 0.1]", 0, 2, { 1, 0 } },
    { "[not 0, not 2, 1 and 0, 1 or 0, not 0 and 1]", 0, 5, { 1, 0, 0, 1, 1 } },
    { "t > 0.5 ? 1 : x[0] < 0 ? 2 : 3", 1, 1, { 3 } },
    { "[7 % 3, -7 % 3, 7 % -3]", 0, 3, { 1, 2, -2 } },
    /* IEEE at run time: the simulator's NaN check reports these. */
    { "[1/(x-x), log(-x), 0/0*x]", 1, 3, { INFINITY, NAN, NAN } },
    { "[nan and 1, max(nan, 1), min(1, nan)]", 0, 3, { 1, NAN, NAN } },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Many rows, crossing chunk boundaries at several scratch sizes, against
 * the same formula row by row in C (two ulps, see close_ulps). */
static void
test_batch (void)
{
  const gsize batch = 1001;
  const gsize max_batches[] = { 1, 7, 256, 5000 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SpkExpr) expr =
    spk_expr_compile ("[sin(2*pi*t) * x[0] + x[1]^2, max(x), 3, t, x[2] / (1 + abs(x[0]))]",
                      3, &error);
  g_autofree double *x = g_new (double, batch * 3);
  g_autofree double *out = g_new (double, batch * 5);
  g_autofree float *xf = g_new (float, batch * 3);
  g_autofree float *outf = g_new (float, batch * 5);
  const double t = 0.77;

  g_assert_no_error (error);
  g_assert_cmpuint (spk_expr_get_size_out (expr), ==, 5);
  for (gsize i = 0; i < batch * 3; i++)
    {
      x[i] = g_test_rand_double_range (-2, 2);
      xf[i] = (float) x[i];
    }

  for (guint m = 0; m < G_N_ELEMENTS (max_batches); m++)
    {
      g_autoptr(SpkExprScratch) scratch = spk_expr_scratch_new (expr, max_batches[m]);

      memset (out, 0, batch * 5 * sizeof (double));
      spk_expr_eval (expr, scratch, t, x, batch, out);
      spk_expr_eval_f32 (expr, scratch, t, xf, batch, outf);
      for (gsize i = 0; i < batch; i++)
        {
          const double *r = x + 3 * i;
          const float *rf = xf + 3 * i;
          double want[5] = {
            sin (2 * G_PI * t) * r[0] + r[1] * r[1],
            MAX (MAX (r[0], r[1]), r[2]),
            3, t, r[2] / (1 + fabs (r[0])),
          };
          double want_f[5] = {
            sin (2 * G_PI * t) * rf[0] + (double) rf[1] * rf[1],
            MAX (MAX (rf[0], rf[1]), rf[2]),
            3, t, rf[2] / (1 + fabs ((double) rf[0])),
          };

          for (int k = 0; k < 5; k++)
            {
              g_assert_true (close_ulps (out[5 * i + k], want[k]));
              /* float32 in and out, double inside: exactly the double
               * result rounded once to float. */
              g_assert_cmpfloat (outf[5 * i + k], ==, (float) want_f[k]);
            }
        }
    }
}

static void
test_properties (void)
{
  struct { const char *source; guint size_in, size_out; gboolean time, input; } cases[] = {
    { "sin(t)", 0, 1, TRUE, FALSE },
    { "x", 4, 4, FALSE, TRUE },
    { "[x, x**2]", 3, 6, FALSE, TRUE },
    { "[1, 2, 3]", 2, 3, FALSE, FALSE },
    { "x[0] * 0 + t", 2, 1, TRUE, TRUE },
    /* A known condition drops the other branch, and what it used. */
    { "1 > 0 ? t : x", 1, 1, TRUE, FALSE },
    { "x[1:3] * t", 5, 2, TRUE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpkExpr) expr = spk_expr_compile (cases[i].source, cases[i].size_in, &error);
      SpkExpr *extra;

      g_assert_no_error (error);
      g_assert_cmpstr (spk_expr_get_source (expr), ==, cases[i].source);
      g_assert_cmpuint (spk_expr_get_size_in (expr), ==, cases[i].size_in);
      g_assert_cmpuint (spk_expr_get_size_out (expr), ==, cases[i].size_out);
      g_assert_cmpint (spk_expr_uses_time (expr), ==, cases[i].time);
      g_assert_cmpint (spk_expr_uses_input (expr), ==, cases[i].input);
      extra = spk_expr_ref (expr);
      g_assert_true (extra == expr);
      spk_expr_unref (extra);
    }
}

/* The first line of an error is the message, the second the source (cut
 * to 40 characters either side of the column, with "…" where it was cut),
 * the third a caret under the column the message names. */
static void
check_error_layout (const char   *source,
                    const GError *error)
{
  g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
  const char *at = strstr (lines[0], "column ");
  glong quoted, caret;
  guint column;

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (at);
  column = (guint) g_ascii_strtoull (at + strlen ("column "), NULL, 10);
  g_assert_true (g_str_has_prefix (lines[1], "  "));
  g_assert_true (g_str_has_prefix (lines[2], "  "));
  g_assert_cmpint (lines[2][strlen (lines[2]) - 1], ==, '^');
  g_assert_cmpuint (column, >=, 1);
  quoted = g_utf8_strlen (lines[1], -1) - 2;
  caret = (glong) strlen (lines[2]) - 2;
  g_assert_cmpint (quoted, <=, 1 + 81 + 1);
  g_assert_cmpint (caret, <=, quoted + 1);
  if (!g_str_has_prefix (lines[1], "  …"))
    g_assert_cmpint (caret, ==, column);
  else
    g_assert_cmpint (caret, ==, 1 + 40 + 1);
  if (g_utf8_validate (source, -1, NULL))
    g_assert_cmpuint (column, <=, g_utf8_strlen (source, -1) + 1);
}

typedef struct
{
  const char  *source;
  guint        size_in;
  SpkExprError code;
  const char  *message;
  guint        column;
} ErrorCase;

static void
test_errors (void)
{
  static const ErrorCase cases[] = {
    { "sine(t)", 0, SPK_EXPR_ERROR_NAME,
      "unknown function 'sine' at column 1 — did you mean 'sin'?", 1 },
    { "2 * np.sine(t)", 0, SPK_EXPR_ERROR_NAME,
      "unknown function 'np.sine' at column 5 — did you mean 'sin'?", 5 },
    { "frobnicate(t)", 0, SPK_EXPR_ERROR_NAME, "unknown function 'frobnicate' at column 1", 1 },
    { "x[3]", 2, SPK_EXPR_ERROR_TYPE,
      "x[3] is out of range: x has 2 dimensions (column 3)", 3 },
    { "x[-3]", 2, SPK_EXPR_ERROR_TYPE,
      "x[-3] is out of range: x has 2 dimensions (column 3)", 3 },
    { "x[5:9]", 2, SPK_EXPR_ERROR_TYPE, "x[5:9] is empty: x has 2 dimensions (column 3)", 3 },
    { "x[::0]", 2, SPK_EXPR_ERROR_TYPE, "a slice step cannot be zero (column 5)", 5 },
    { "x[t]", 2, SPK_EXPR_ERROR_TYPE, "an index must be a constant integer (column 3)", 3 },
    { "x[0.5]", 2, SPK_EXPR_ERROR_TYPE, "an index must be a constant integer (column 3)", 3 },
    { "sin(2*(t+1)", 0, SPK_EXPR_ERROR_SYNTAX, "unbalanced parenthesis at column 4", 4 },
    { "t + 1)", 0, SPK_EXPR_ERROR_SYNTAX, "unbalanced parenthesis at column 6", 6 },
    { "[1, 2", 0, SPK_EXPR_ERROR_SYNTAX, "unbalanced bracket at column 1", 1 },
    { "(t]", 0, SPK_EXPR_ERROR_SYNTAX, "unbalanced bracket at column 3", 3 },
    { "t + y", 0, SPK_EXPR_ERROR_NAME, "unknown name 'y' at column 5", 5 },
    { "tt * 2", 0, SPK_EXPR_ERROR_NAME, "unknown name 'tt' at column 1 — did you mean 't'?", 1 },
    { "x + 1", 0, SPK_EXPR_ERROR_NAME,
      "x is not available here: this expression has no input (column 1)", 1 },
    { "sin + 1", 0, SPK_EXPR_ERROR_NAME, "'sin' is a function: call it as sin(…) (column 1)", 1 },
    { "2 * t(2)", 0, SPK_EXPR_ERROR_NAME, "'t' is not a function (column 5)", 5 },
    { "pi(2)", 0, SPK_EXPR_ERROR_NAME, "'pi' is not a function (column 1)", 1 },
    { "sin(1, 2)", 0, SPK_EXPR_ERROR_TYPE, "sin takes 1 argument, not 2 (column 1)", 1 },
    { "atan2(1)", 0, SPK_EXPR_ERROR_TYPE, "atan2 takes 2 arguments, not 1 (column 1)", 1 },
    { "min()", 0, SPK_EXPR_ERROR_TYPE, "min takes 1 or 2 arguments, not 0 (column 1)", 1 },
    { "x + [1, 2, 3]", 2, SPK_EXPR_ERROR_TYPE,
      "size mismatch: cannot combine 2 and 3 dimensions (column 3)", 3 },
    { "dot(x, [1, 2, 3])", 2, SPK_EXPR_ERROR_TYPE,
      "size mismatch: cannot combine 2 and 3 dimensions (column 1)", 1 },
    { "1 +", 0, SPK_EXPR_ERROR_SYNTAX, "unexpected end of expression at column 4", 4 },
    { "t ? 1", 0, SPK_EXPR_ERROR_SYNTAX, "unexpected end of expression at column 6", 6 },
    { "1 2", 0, SPK_EXPR_ERROR_SYNTAX, "unexpected '2' at column 3", 3 },
    { "(1)(2)", 0, SPK_EXPR_ERROR_SYNTAX, "unexpected '(' at column 4", 4 },
    { "x[0, 1]", 2, SPK_EXPR_ERROR_SYNTAX, "unexpected ',' at column 4", 4 },
    { "", 0, SPK_EXPR_ERROR_SYNTAX, "the expression is empty (column 1)", 1 },
    { "  \n ", 0, SPK_EXPR_ERROR_SYNTAX, "the expression is empty (column 1)", 1 },
    { "[]", 0, SPK_EXPR_ERROR_SYNTAX, "an empty vector has no value (column 1)", 1 },
    { "t $ 2", 0, SPK_EXPR_ERROR_SYNTAX, "unexpected character '$' at column 3", 3 },
    { "1 + é", 0, SPK_EXPR_ERROR_SYNTAX, "unexpected character 'é' at column 5", 5 },
    { "t + \xff", 0, SPK_EXPR_ERROR_SYNTAX, "invalid UTF-8 text at column 5", 5 },
    { "2pi", 0, SPK_EXPR_ERROR_SYNTAX, "malformed number '2pi' at column 1", 1 },
    { "t * 1e+", 0, SPK_EXPR_ERROR_SYNTAX, "malformed number '1e+' at column 5", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpkExpr) expr = spk_expr_compile (cases[i].source, cases[i].size_in, &error);
      g_autofree char *first = NULL;

      {
        /* TAP output must stay valid UTF-8: some sources are raw bytes. */
        g_autofree char *shown = g_strescape (cases[i].source, NULL);

        g_test_message ("%s", shown);
      }
      g_assert_null (expr);
      g_assert_error (error, SPK_EXPR_ERROR, (int) cases[i].code);
      first = g_strndup (error->message, strcspn (error->message, "\n"));
      g_assert_cmpstr (first, ==, cases[i].message);
      check_error_layout (cases[i].source, error);
      g_assert_cmpuint (strlen (strrchr (error->message, '\n')) - 3, ==, cases[i].column);
    }
}

static void
test_error_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpkExpr) expr = spk_expr_compile ("sine(t)", 0, &error);

  g_assert_null (expr);
  g_assert_cmpstr (error->message, ==,
                   "unknown function 'sine' at column 1 — did you mean 'sin'?\n"
                   "  sine(t)\n"
                   "  ^");

  /* Newlines in a multi-line field print as spaces so the caret lines up. */
  g_clear_error (&error);
  expr = spk_expr_compile ("t +\n y", 0, &error);
  g_assert_null (expr);
  g_assert_cmpstr (error->message, ==,
                   "unknown name 'y' at column 6\n"
                   "  t +  y\n"
                   "       ^");
}

/* A long expression is quoted only around the error: a 120 KB source
 * once filled the error dialog and the terminal. */
static void
test_error_quote_cut (void)
{
  g_autoptr(GString) source = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpkExpr) expr = NULL;
  g_autofree char *expected = NULL;

  /* Cut on both sides: 60,000 characters before the bad name, 60,000
   * after. */
  g_string_append_c (source, '[');
  for (guint i = 0; i < 30000; i++)
    g_string_append (source, "t,");
  g_string_append (source, "y");
  for (guint i = 0; i < 30000; i++)
    g_string_append (source, ",t");
  g_string_append_c (source, ']');
  expr = spk_expr_compile (source->str, 0, &error);
  g_assert_null (expr);
  g_assert_cmpuint (source->len, >, 120000);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_assert_cmpstr (error->message, ==,
                   "unknown name 'y' at column 60002\n"
                   "  …t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,y,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t,t…\n"
                   "                                           ^");
  g_clear_error (&error);

  /* Cut only at the end, with the error near the start. */
  g_string_assign (source, "sine(t)");
  for (guint i = 0; i < 50; i++)
    g_string_append (source, " + t");
  expr = spk_expr_compile (source->str, 0, &error);
  g_assert_null (expr);
  expected = g_strdup_printf ("unknown function 'sine' at column 1 — did you mean 'sin'?\n"
                              "  sine(t) + t + t + t + t + t + t + t + t +…\n"
                              "  ^");
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Cut only at the start, with the error at the very end; the quote
   * counts characters, not bytes. */
  g_string_truncate (source, 0);
  for (guint i = 0; i < 100; i++)
    g_string_append (source, "t+");
  g_string_append (source, "π+");
  expr = spk_expr_compile (source->str, 0, &error);
  g_assert_null (expr);
  check_error_layout (source->str, error);
  g_assert_true (g_str_has_suffix (strchr (error->message, '\n'),
                                   "\n  …t+t+t+t+t+t+t+t+t+t+t+t+t+t+t+t+t+t+t+t+π+\n"
                                   "                                           ^"));
}

/* Nesting deeper than the limit is refused with a message rather than by
 * running out of stack, however the depth is built. */
static void
test_deep (void)
{
  const char *shapes[][2] = {
    { "(", ")" }, { "[", "]" }, { "-", "" }, { "not ", "" }, { "sin(", ")" }, { "2**", "" },
  };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      g_autoptr(GString) deep = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpkExpr) expr = NULL;

      for (int i = 0; i < 100000; i++)
        g_string_append (deep, shapes[s][0]);
      g_string_append (deep, "1");
      for (int i = 0; i < 100000; i++)
        g_string_append (deep, shapes[s][1]);
      expr = spk_expr_compile (deep->str, 0, &error);
      g_assert_null (expr);
      g_assert_error (error, SPK_EXPR_ERROR, SPK_EXPR_ERROR_SYNTAX);
      g_assert_true (g_str_has_prefix (error->message, "the expression is nested too deeply"));
    }

  /* A long flat sum is not deep in the source but is in the tree. */
    {
      g_autoptr(GString) flat = g_string_new ("1");
      g_autoptr(GError) error = NULL;
      g_autoptr(SpkExpr) expr = NULL;

      for (int i = 0; i < 100000; i++)
        g_string_append (flat, "+1");
      expr = spk_expr_compile (flat->str, 0, &error);
      g_assert_null (expr);
      g_assert_error (error, SPK_EXPR_ERROR, SPK_EXPR_ERROR_SYNTAX);
    }

  /* Just under the limit still compiles. */
    {
      g_autoptr(GString) ok = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SpkExpr) expr = NULL;

      for (int i = 0; i < 150; i++)
        g_string_append (ok, "(");
      g_string_append (ok, "t");
      for (int i = 0; i < 150; i++)
        g_string_append (ok, ")");
      expr = spk_expr_compile (ok->str, 0, &error);
      g_assert_no_error (error);
    }
}

static void
fuzz_one (const char *source)
{
  g_autoptr(GError) error = NULL;
  guint size_in = (guint) g_test_rand_int_range (0, 5);
  g_autoptr(SpkExpr) expr = spk_expr_compile (source, size_in, &error);

  g_assert_true ((expr == NULL) != (error == NULL));
  if (expr == NULL)
    {
      g_assert_true (error->domain == SPK_EXPR_ERROR);
      check_error_layout (source, error);
      return;
    }

  g_assert_cmpuint (spk_expr_get_size_out (expr), >=, 1);
  if (spk_expr_get_size_out (expr) <= 1000)
    {
      gsize batch = (gsize) g_test_rand_int_range (1, 300);
      g_autoptr(SpkExprScratch) scratch =
        spk_expr_scratch_new (expr, (gsize) g_test_rand_int_range (1, 400));
      g_autofree double *x = g_new (double, batch * MAX (size_in, 1));
      g_autofree double *out = g_new (double, batch * spk_expr_get_size_out (expr));

      for (gsize i = 0; i < batch * MAX (size_in, 1); i++)
        x[i] = g_test_rand_double_range (-3, 3);
      spk_expr_eval (expr, scratch, g_test_rand_double (), x, batch, out);
      spk_expr_eval (expr, NULL, g_test_rand_double (), x, batch, out);
    }
}

static void
test_fuzz_bytes (void)
{
  for (int n = 0; n < 5000; n++)
    {
      int len = g_test_rand_int_range (0, 40);
      g_autofree char *bytes = g_new0 (char, len + 1);

      for (int i = 0; i < len; i++)
        {
          /* Mostly printable ASCII, where the lexer has the most to do. */
          if (g_test_rand_int_range (0, 4) == 0)
            bytes[i] = (char) g_test_rand_int_range (1, 256);
          else
            bytes[i] = (char) g_test_rand_int_range (32, 127);
        }
      fuzz_one (bytes);
    }
}

static void
test_fuzz_tokens (void)
{
  static const char *soup[] = {
    "x", "t", "[", "]", "(", ")", "0", "1", "2", "-1", "2.5", "1e308", ".5", "-", "+",
    "*", "/", "%", "**", "^", "<", "<=", ">", ">=", "==", "!=", "?", ":", ",", " ",
    "and", "or", "not", "pi", "e", "tau", "nan", "inf", "np.", "np.sin", "math.pi",
    "sin", "log", "max", "min", "clip", "where", "norm", "dot", "sum", "mean", "round",
    "sign", "pow", "square", "atan2", "x[0]", "x[1:]", "x[::-1]", "x[-1]", "[x, x]",
  };

  for (int n = 0; n < 20000; n++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      int len = g_test_rand_int_range (1, 30);

      for (int i = 0; i < len; i++)
        g_string_append (s, soup[g_test_rand_int_range (0, G_N_ELEMENTS (soup))]);
      fuzz_one (s->str);
    }
}

typedef struct
{
  const SpkExpr *expr;
  const double  *x;
  gsize          batch;
  double        *out;
} ThreadJob;

static gpointer
thread_cb (gpointer data)
{
  ThreadJob *job = data;
  g_autoptr(SpkExprScratch) scratch = spk_expr_scratch_new (job->expr, job->batch);

  for (int r = 0; r < 50; r++)
    spk_expr_eval (job->expr, scratch, 0.25, job->x, job->batch, job->out);
  return NULL;
}

/* One compiled expression, four threads, each with its own scratch: every
 * thread must get exactly the single-threaded result. */
static void
test_threads (void)
{
  const gsize batch = 3000;
  g_autoptr(SpkExpr) expr =
    spk_expr_compile ("[sin(2*pi*t) * x[0], x[1]**2 + x[2], norm(x)]", 3, NULL);
  g_autofree double *x = g_new (double, batch * 3);
  g_autofree double *want = g_new (double, batch * 3);
  ThreadJob jobs[4];
  GThread *threads[4];

  for (gsize i = 0; i < batch * 3; i++)
    x[i] = g_test_rand_double_range (-1, 1);
  spk_expr_eval (expr, NULL, 0.25, x, batch, want);

  for (int k = 0; k < 4; k++)
    {
      jobs[k] = (ThreadJob) { expr, x, batch, g_new0 (double, batch * 3) };
      threads[k] = g_thread_new ("expr", thread_cb, &jobs[k]);
    }
  for (int k = 0; k < 4; k++)
    {
      g_thread_join (threads[k]);
      g_assert_cmpmem (jobs[k].out, batch * 3 * sizeof (double), want, batch * 3 * sizeof (double));
      g_free (jobs[k].out);
    }
}

/* The target: within 2× of the same loop written by hand at
 * -O2, for a million rows.  Timing is only meaningful in an optimised,
 * uninstrumented build on a quiet machine, so the bound is checked in
 * perf mode (-m perf); otherwise only the agreement of the two results. */
static void
test_bench (void)
{
  double expr_s = 0, c_s = 0, ratio;

  if (!g_test_perf ())
    {
      ratio = spk_bench_expr (10000, &expr_s, &c_s);
      g_assert_true (isfinite (ratio));
      return;
    }
  ratio = spk_bench_expr (1000000, &expr_s, &c_s);
  g_test_minimized_result (ratio, "time(expression) / time(C) = %.2f (%.3f ms vs %.3f ms)",
                           ratio, expr_s * 1e3, c_s * 1e3);
  g_assert_cmpfloat (ratio, <, 2.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spk/expr/values", test_values);
  g_test_add_func ("/spk/expr/batch", test_batch);
  g_test_add_func ("/spk/expr/properties", test_properties);
  g_test_add_func ("/spk/expr/errors", test_errors);
  g_test_add_func ("/spk/expr/error-format", test_error_format);
  g_test_add_func ("/spk/expr/error-quote-cut", test_error_quote_cut);
  g_test_add_func ("/spk/expr/deep", test_deep);
  g_test_add_func ("/spk/expr/fuzz-bytes", test_fuzz_bytes);
  g_test_add_func ("/spk/expr/fuzz-tokens", test_fuzz_tokens);
  g_test_add_func ("/spk/expr/threads", test_threads);
  g_test_add_func ("/spk/expr/bench", test_bench);

  return g_test_run ();
}
