/* spk-expr.c — the expression language's public face: compile, share,
 * inspect, and measure against hand-written C.
 *
 * DESIGN
 *
 * An expression is compiled once, when the user commits the text field
 * or the model loads, and evaluated every step or over thousands of eval
 * points, so all the thinking happens at compile time:
 *
 *   source ──lex, bracket check, parse──▶ syntax tree   (spk-expr-parse.c)
 *          ──lower──▶ SSA list of scalar instructions  (spk-expr-lower.c)
 *          ──assemble──▶ uniform + varying programs    (spk-expr-lower.c)
 *
 * Lowering splits every vector into its components, checks sizes, folds
 * whatever is constant, and sorts the rest by what it depends on: values
 * of t alone are "uniform" and computed once per evaluation, values of x
 * are "varying" and computed per row.  So in `sin(2*pi*t) * x[0]`, the
 * sine runs once per call, not once per row.
 *
 * Evaluation (spk-expr-eval.c) runs the uniform program on one-element
 * slots, then the varying program over the batch in chunks of a few
 * hundred rows: one switch per instruction per chunk, each instruction a
 * tight loop over cache-resident registers.  For large batches this is
 * within a small factor of the same formula written as one C loop — the
 * figure spk_expr_bench_ratio() measures.
 *
 * A compiled SpkExpr is immutable and reference-counted; all per-call
 * state lives in an SpkExprScratch, one per evaluating thread.
 */
#define G_LOG_DOMAIN "spk-expr"

#include "spk-expr-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (spk-expr-error-quark, spk_expr_error)

/**
 * spk_expr_compile:
 * @source: the expression text
 * @size_in: the number of dimensions of x, or 0 when there is no input
 * @error: return location for a #SPK_EXPR_ERROR
 *
 * Returns: (transfer full) (nullable): the compiled expression, or %NULL
 *   with @error set to a message naming the column, followed by the
 *   source and a caret line.
 */
SpkExpr *
spk_expr_compile (const char  *source,
                  guint        size_in,
                  GError     **error)
{
  g_autoptr(GPtrArray) arena = NULL;
  const char *bad = NULL;
  SpkExprNode *root;
  SpkExpr *self;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (source, -1, &bad))
    {
      g_autofree char *shown = g_utf8_make_valid (source, -1);
      gsize offset = (gsize) (bad - source);

      _spk_expr_set_error (error, shown, offset, SPK_EXPR_ERROR_SYNTAX,
                           _("invalid UTF-8 text at column %u"),
                           _spk_expr_column (shown, offset));
      return NULL;
    }

  arena = g_ptr_array_new_with_free_func (g_free);
  root = _spk_expr_parse (source, arena, error);
  if (root == NULL)
    return NULL;
  self = _spk_expr_lower (source, root, size_in, error);
  if (self == NULL)
    return NULL;
  self->source = g_strdup (source);
  return self;
}

static void
expr_clear (gpointer data)
{
  SpkExpr *self = data;

  g_free (self->source);
  g_free (self->slot_init);
  g_free (self->uniform);
  g_free (self->varying);
}

/**
 * spk_expr_ref:
 * Returns: (transfer full): @self
 */
SpkExpr *
spk_expr_ref (SpkExpr *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
spk_expr_unref (SpkExpr *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, expr_clear);
}

const char *
spk_expr_get_source (const SpkExpr *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source;
}

guint
spk_expr_get_size_in (const SpkExpr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size_in;
}

guint
spk_expr_get_size_out (const SpkExpr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size_out;
}

gboolean
spk_expr_uses_time (const SpkExpr *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->uses_time;
}

gboolean
spk_expr_uses_input (const SpkExpr *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->uses_input;
}

/* The reference the benchmark compares against: the formula as anyone
 * would write it in C, with the sine hoisted out of the loop, as the
 * compiled expression does too.  Kept out of line so that the compiler
 * sees no more of the call site than it would in a real program. */
static G_GNUC_NO_INLINE void
bench_by_hand (double                 t,
               const double *restrict x,
               gsize                  n,
               double       *restrict out)
{
  const double s = sin (2 * G_PI * t);

  for (gsize i = 0; i < n; i++)
    out[i] = s * x[2 * i] + x[2 * i + 1] * x[2 * i + 1];
}

/**
 * spk_expr_bench:
 * @n_elements: batch size, e.g. 1 000 000
 * @expr_seconds: (out) (optional): best time of the compiled expression
 * @c_seconds: (out) (optional): best time of the hand-written loop
 *
 * Times `sin(2*pi*t) * x[0] + x[1]^2` over @n_elements rows of a
 * two-dimensional x, compiled and by hand, best of several runs each.
 *
 * Returns: time (expression) / time (C), or NaN if the two disagree.
 */
double
spk_expr_bench (gsize   n_elements,
                double *expr_seconds,
                double *c_seconds)
{
  const int repeats = 7;
  const double t = 0.123;
  g_autoptr(SpkExpr) expr = spk_expr_compile ("sin(2*pi*t) * x[0] + x[1]^2", 2, NULL);
  g_autoptr(SpkExprScratch) scratch = NULL;
  g_autofree double *x = NULL;
  g_autofree double *out_expr = NULL;
  g_autofree double *out_c = NULL;
  gint64 best_expr = G_MAXINT64, best_c = G_MAXINT64;
  guint64 state = 1;

  g_return_val_if_fail (n_elements > 0, NAN);
  g_assert (expr != NULL);

  scratch = spk_expr_scratch_new (expr, n_elements);
  x = g_new (double, 2 * n_elements);
  out_expr = g_new (double, n_elements);
  out_c = g_new (double, n_elements);
  for (gsize i = 0; i < 2 * n_elements; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      x[i] = (double) (state >> 11) / 9007199254740992.0 * 2 - 1;
    }

  /* Interleaved, so that frequency scaling and other tenants of the
   * machine treat both alike. */
  for (int r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 t1, t2;

      spk_expr_eval (expr, scratch, t, x, n_elements, out_expr);
      t1 = g_get_monotonic_time ();
      bench_by_hand (t, x, n_elements, out_c);
      t2 = g_get_monotonic_time ();
      best_expr = MIN (best_expr, t1 - t0);
      best_c = MIN (best_c, t2 - t1);
    }

  if (memcmp (out_expr, out_c, n_elements * sizeof (double)) != 0)
    return NAN;
  if (expr_seconds != NULL)
    *expr_seconds = best_expr * 1e-6;
  if (c_seconds != NULL)
    *c_seconds = best_c * 1e-6;
  return (double) MAX (best_expr, 1) / (double) MAX (best_c, 1);
}

/**
 * spk_expr_bench_ratio:
 * @n_elements: batch size
 *
 * Returns: time (expression) / time (hand-written C) for the benchmark
 *   expression; see spk_expr_bench().
 */
double
spk_expr_bench_ratio (gsize n_elements)
{
  return spk_expr_bench (n_elements, NULL, NULL);
}
