/* spk-ops-learning.h — the per-step kernels of learning rules, for float32
 * and float64 plans.  The builder (builder/spk-builder-learning.c) wires
 * them as Nengo's operators are wired; the shapes of every pointer are
 * written beside it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Nengo's SimPES: delta = outer(alpha·error, pre), alpha = −κ·dt/n_pre.
 *   delta: rows × cols (written), error: rows, pre: cols */
void spk_pes_step_f32 (float        *delta,
                       const float  *error,
                       const float  *pre,
                       float         alpha,
                       guint         rows,
                       guint         cols);
void spk_pes_step_f64 (double       *delta,
                       const double *error,
                       const double *pre,
                       double        alpha,
                       guint         rows,
                       guint         cols);

/* A connection's product with weights that change while it runs:
 *   dst += W·src,  W: rows × cols (row-major), src: cols, dst: rows */
void spk_dot_signal_inc_f32 (float        *dst,
                             const float  *W,
                             const float  *src,
                             guint         rows,
                             guint         cols);
void spk_dot_signal_inc_f64 (double       *dst,
                             const double *W,
                             const double *src,
                             guint         rows,
                             guint         cols);

G_END_DECLS
