/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-expr.c — the expression language's public face: compile, share
 * and inspect.
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
 * figure `spikeworks-cli bench expr` measures (app/bench/spk-bench-expr.c).
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
