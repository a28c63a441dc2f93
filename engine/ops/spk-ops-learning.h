/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* Nengo's SimBCM: delta = outer(alpha·post·(post − theta), pre),
 * alpha = κ·dt.  delta: rows × cols; pre: cols; post, theta: rows */
void spk_bcm_step_f32 (float *delta, const float *pre, const float *post, const float *theta,
                       float alpha, guint rows, guint cols);
void spk_bcm_step_f64 (double *delta, const double *pre, const double *post, const double *theta,
                       double alpha, guint rows, guint cols);
/* Nengo's SimOja: delta = −beta·W·(alpha·post²) + outer(alpha·post, pre),
 * alpha = κ·dt.  delta, W: rows × cols; pre: cols; post: rows */
void spk_oja_step_f32 (float *delta, const float *pre, const float *post, const float *W,
                       float alpha, float beta, guint rows, guint cols);
void spk_oja_step_f64 (double *delta, const double *pre, const double *post, const double *W,
                       double alpha, double beta, guint rows, guint cols);

/* Nengo's SimVoja: delta = alpha·L·(scale·outer(post, pre) − post·E),
 * alpha = κ·dt, L the learning signal.  delta, E (the scaled encoders):
 * rows × cols (neurons × dimensions); pre: cols (the connection's decoded
 * output); post, scale (gain/radius): rows; learning: 1 */
void spk_voja_step_f32 (float *delta, const float *pre, const float *post, const float *E,
                        const float *scale, const float *learning, float alpha, guint rows, guint cols);
void spk_voja_step_f64 (double *delta, const double *pre, const double *post, const double *E,
                        const double *scale, const double *learning, double alpha, guint rows, guint cols);
/* Nengo's SimRLS: Pr = P·r, g = 1/(1 + r·Pr), P −= g·outer(Pr, Pr),
 * delta = −g·outer(error, Pr).  delta: rows × cols; P: cols × cols
 * (updated); Pr: cols (scratch, written); error: rows; pre (r): cols */
void spk_rls_step_f32 (float *delta, float *P, float *Pr, const float *error, const float *pre,
                       guint rows, guint cols);
void spk_rls_step_f64 (double *delta, double *P, double *Pr, const double *error, const double *pre,
                       guint rows, guint cols);

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
