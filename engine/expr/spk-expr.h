/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-expr.h — the expression language users type for Node outputs and
 * connection functions: `sin(2*pi*t)`, `x[0]*x[1]`, `[x, x**2]`.
 *
 * An expression is compiled once against the size of its input x and is
 * then immutable: any number of threads may evaluate it at once, each with
 * its own scratch.  Evaluation works over a whole batch of inputs and never
 * allocates when given a scratch.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_EXPR_ERROR (spk_expr_error_quark ())

typedef enum
{
  SPK_EXPR_ERROR_SYNTAX,    /* unbalanced parenthesis, unexpected token… */
  SPK_EXPR_ERROR_NAME,      /* unknown variable or function */
  SPK_EXPR_ERROR_TYPE,      /* wrong argument count, size mismatch, index out of range */
} SpkExprError;

typedef struct _SpkExpr        SpkExpr;
typedef struct _SpkExprScratch SpkExprScratch;

GQuark          spk_expr_error_quark      (void);

/* Compiles `source` for an input x of size_in dimensions (0: x is not
 * available, and using it is an error).  On error the message names the
 * 1-based column and ends with the source and a caret line. */
SpkExpr        *spk_expr_compile          (const char     *source,
                                           guint           size_in,
                                           GError        **error) G_GNUC_WARN_UNUSED_RESULT;
SpkExpr        *spk_expr_ref              (SpkExpr        *self);
void            spk_expr_unref            (SpkExpr        *self);
const char     *spk_expr_get_source       (const SpkExpr  *self);
guint           spk_expr_get_size_in      (const SpkExpr  *self);
guint           spk_expr_get_size_out     (const SpkExpr  *self);
gboolean        spk_expr_uses_time        (const SpkExpr  *self);
gboolean        spk_expr_uses_input       (const SpkExpr  *self);

/* Scratch for evaluating batches of up to max_batch rows. */
SpkExprScratch *spk_expr_scratch_new      (const SpkExpr  *self,
                                           gsize           max_batch) G_GNUC_WARN_UNUSED_RESULT;
void            spk_expr_scratch_free     (SpkExprScratch *scratch);

/* out (batch × size_out) = f(t, x) for x of batch × size_in (row-major;
 * NULL when size_in is 0).  scratch may be NULL, which allocates. */
void            spk_expr_eval             (const SpkExpr  *self,
                                           SpkExprScratch *scratch,
                                           double          t,
                                           const double   *x,
                                           gsize           batch,
                                           double         *out);
void            spk_expr_eval_f32         (const SpkExpr  *self,
                                           SpkExprScratch *scratch,
                                           double          t,
                                           const float    *x,
                                           gsize           batch,
                                           float          *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkExpr, spk_expr_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkExprScratch, spk_expr_scratch_free)

G_END_DECLS
