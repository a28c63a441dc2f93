/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-external-plan.h — a plan built from an operator list made outside
 * the engine (Nengo's builder, through the Python backend), executed in
 * float64 over buffers the caller owns.
 *
 * The engine's own builder lays out its signals itself; an external
 * builder has already decided where every signal lives (numpy arrays in
 * Nengo's case) and in which order its operators run.  This plan keeps
 * that order and that memory: each operator reads and writes the caller's
 * buffers through strided 2-D views, so the caller sees every result in
 * place.  Operators the engine has natively (reset, copy, elementwise and
 * dense or sparse dot-increments, neuron updates, linear filters, the time
 * update) run as C loops, BLAS calls and the engine's neuron kernels;
 * anything else is a callback the caller registers at its place in the
 * order.
 *
 * Contract: one plan belongs to one thread; a step runs the operators in
 * the order they were added, and stops at the first callback that fails,
 * passing its error on.  The buffers must outlive the plan and must not
 * move.  No allocation happens during a step.
 *
 * Precision: a plan runs over float64 buffers (spk_external_plan_new), or
 * over float32 ones (spk_external_plan_new_full with single), as Nengo's
 * `rc` precision makes them.  Every buffer argument below (gpointer, or a
 * view's data) then points at doubles or at floats, and strides count
 * those elements; the time update's step counter is gint64 or gint32
 * (Nengo's int dtype of that precision).  Filter coefficients and reset
 * values are always given as double.
 */
#pragma once

#include <glib.h>

#include "model/spk-neuron-type.h"

G_BEGIN_DECLS

/* A strided 2-D view of the plan's elements (double, or float in a
 * float32 plan): element (r, c) is data[r * row_stride + c * col_stride]
 * (strides in elements, 0 to broadcast).  A vector of n is (n, 1); a
 * scalar (1, 1). */
typedef struct
{
  gpointer data;
  gsize   rows;
  gsize   cols;
  gssize  row_stride;
  gssize  col_stride;
} SpkView;

typedef struct _SpkExternalPlan SpkExternalPlan;

/* A step that is not native: returns FALSE and sets error to stop the step. */
typedef gboolean (*SpkExternalStepFunc) (gpointer  user_data,
                                         GError  **error);

SpkExternalPlan *spk_external_plan_new    (double           dt) G_GNUC_WARN_UNUSED_RESULT;
/* A plan over float32 buffers when single is TRUE. */
SpkExternalPlan *spk_external_plan_new_full (double         dt,
                                             gboolean       single) G_GNUC_WARN_UNUSED_RESULT;
gboolean         spk_external_plan_is_single (SpkExternalPlan *self);
SpkExternalPlan *spk_external_plan_ref    (SpkExternalPlan *self);
void             spk_external_plan_unref  (SpkExternalPlan *self);
guint            spk_external_plan_get_n_ops     (SpkExternalPlan *self);
guint            spk_external_plan_get_n_native  (SpkExternalPlan *self);

/* step += 1; time = step · dt (Nengo's TimeUpdate; its step counter is
 * an integer). */
void     spk_external_plan_add_time_update (SpkExternalPlan *self,
                                            gpointer         step,
                                            gpointer         time);
/* dst[...] = value. */
void     spk_external_plan_add_reset       (SpkExternalPlan *self,
                                            const SpkView   *dst,
                                            double           value);
/* dst[dst_rows] (+)= src[src_rows]: rows picked by index lists (NULL:
 * all rows in order), whole rows copied.  The selections must have the
 * same shape, or the source selection be a single element (broadcast).
 * With inc, repeated destination rows add up (numpy's add.at); without,
 * they are refused. */
gboolean spk_external_plan_add_copy        (SpkExternalPlan *self,
                                            const SpkView   *src,
                                            const gint64    *src_rows,
                                            gsize            n_src_rows,
                                            const SpkView   *dst,
                                            const gint64    *dst_rows,
                                            gsize            n_dst_rows,
                                            gboolean         inc,
                                            GError         **error);
/* y += a ⊙ x, a and x broadcast to y's shape (a dimension of 1, or a
 * stride of 0, broadcasts). */
gboolean spk_external_plan_add_elementwise_inc (SpkExternalPlan *self,
                                                const SpkView   *a,
                                                const SpkView   *x,
                                                const SpkView   *y,
                                                GError         **error);
/* y (m) += A (m × n) · x (n); x and y are vectors (one column). */
gboolean spk_external_plan_add_dot_inc     (SpkExternalPlan *self,
                                            const SpkView   *a,
                                            const SpkView   *x,
                                            const SpkView   *y,
                                            GError         **error);
/* y (rows) += A · x for A in compressed sparse rows (data, indices,
 * indptr of rows + 1), x of n_cols. */
gboolean spk_external_plan_add_sparse_dot_inc (SpkExternalPlan *self,
                                               gconstpointer    data,
                                               const gint64    *indices,
                                               const gint64    *indptr,
                                               gsize            rows,
                                               gsize            n_cols,
                                               const SpkView   *x,
                                               const SpkView   *y,
                                               GError         **error);
/* y (n_block_rows · r) += A · x for A in block sparse rows: blocks
 * (n_blocks × r × c, row-major), the block column of each block in
 * indices, indptr of n_block_rows + 1; x has n_block_cols · c values.
 * x and y are contiguous vectors. */
gboolean spk_external_plan_add_bsr_dot_inc (SpkExternalPlan *self,
                                            gconstpointer    blocks,
                                            gsize            r,
                                            gsize            c,
                                            const gint64    *indices,
                                            const gint64    *indptr,
                                            gsize            n_block_rows,
                                            gsize            n_block_cols,
                                            gconstpointer    x,
                                            gpointer         y,
                                            GError         **error);
/* One neuron update of `type` for contiguous J, out and state vectors
 * (spk_neuron_step_n_states() of them, in the type's state order). */
gboolean spk_external_plan_add_neurons     (SpkExternalPlan     *self,
                                            const SpkNeuronType *type,
                                            gpointer             J,
                                            gpointer             out,
                                            gpointer const      *states,
                                            gsize                count,
                                            GError             **error);
/* A linear filter of order k in Nengo's discretised state-space form,
 * stepped as Nengo's LinearFilter does for `count` channels: with k = 0
 * y = D·u; with D = 0, x ← A·x + B·u then y = C·x (k = 1: x ← a·x + CB·u,
 * y = x); otherwise y = C·x + D·u then x ← A·x + B·u.  A is k × k
 * row-major, B and C have k elements; the state X is k rows of count
 * (contiguous, row-major); u and y are contiguous vectors of count.  With
 * inc the output is added to y instead of written. */
gboolean spk_external_plan_add_linear_filter (SpkExternalPlan *self,
                                              const double    *A,
                                              const double    *B,
                                              const double    *C,
                                              double           D,
                                              guint            order,
                                              gpointer         X,
                                              gconstpointer    u,
                                              gpointer         y,
                                              gsize            count,
                                              gboolean         inc,
                                              GError         **error);
/* A step the engine does not have, run at this place in the order. */
void     spk_external_plan_add_callback    (SpkExternalPlan     *self,
                                            SpkExternalStepFunc  func,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);

/* One step: every operator in order.  Stops at a failing callback. */
gboolean spk_external_plan_step            (SpkExternalPlan *self,
                                            GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkExternalPlan, spk_external_plan_unref)

G_END_DECLS
