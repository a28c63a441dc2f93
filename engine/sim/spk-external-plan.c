/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-external-plan.c — executes an operator list built outside the engine
 * (see the header for the contract).
 *
 * Every operator is a tagged struct in one array; a step is one loop with
 * a switch, compiled for float64 and float32 buffers from
 * spk-external-plan-step-tmpl.h.  Arithmetic follows numpy's for the same expression so the
 * results are Nengo's to round-off: the dot-increment computes A·x into a
 * scratch vector with the same BLAS call numpy makes and adds it after,
 * and the linear filter repeats Nengo's four step forms term by term.
 */
#define G_LOG_DOMAIN "spk-external-plan"

#include "spk-external-plan.h"

#include <cblas.h>
#include <string.h>

#include "core/spk-error.h"
#include "ops/spk-ops-neurons.h"

typedef enum
{
  OP_TIME_UPDATE,
  OP_RESET,
  OP_COPY,
  OP_ELEMENTWISE_INC,
  OP_DOT_INC,
  OP_SPARSE_DOT_INC,
  OP_BSR_DOT_INC,
  OP_NEURONS,
  OP_LINEAR_FILTER,
  OP_CALLBACK,
} OpKind;

typedef struct
{
  OpKind kind;
  SpkView a, x, y;           /* operands, by kind (dst is y, src is x) */
  double value;              /* reset value */
  gint64 *src_rows, *dst_rows;
  gsize n_rows;
  gboolean inc;
  gboolean repeats;          /* copy: repeated destination rows */
  gboolean dense;            /* copy: all of x onto all of y, both one contiguous block */
  gpointer scratch;          /* dot-inc: A·x before it is added (REAL) */
  gconstpointer sp_data;     /* REAL */
  const gint64 *sp_indices, *sp_indptr;
  gsize block_r, block_c;
  SpkNeuronType *neuron_type;
  gpointer states[SPK_NEURON_MAX_STATES + SPK_NEURON_MAX_STATES];
  gpointer time_step;        /* gint64, or gint32 in a float32 plan */
  gpointer time;             /* REAL */
  double *filter;            /* A (k×k), B (k), C (k), as given */
  double D;
  guint order;
  gsize count;
  SpkExternalStepFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} Op;

struct _SpkExternalPlan
{
  double dt;
  gboolean single;           /* float32 buffers (REAL = float) */
  GArray *ops;               /* of Op */
  guint n_native;
};

static void
op_clear (gpointer data)
{
  Op *op = data;

  g_free (op->src_rows);
  g_free (op->dst_rows);
  g_free (op->scratch);
  g_free (op->filter);
  g_clear_pointer (&op->neuron_type, spk_neuron_type_unref);
  if (op->destroy != NULL)
    op->destroy (op->user_data);
}

SpkExternalPlan *
spk_external_plan_new_full (double   dt,
                            gboolean single)
{
  SpkExternalPlan *self = g_atomic_rc_box_new0 (SpkExternalPlan);

  self->dt = dt;
  self->single = single;
  self->ops = g_array_new (FALSE, TRUE, sizeof (Op));
  g_array_set_clear_func (self->ops, op_clear);
  return self;
}

static void
plan_clear (gpointer data)
{
  SpkExternalPlan *self = data;

  g_array_unref (self->ops);
}

SpkExternalPlan *
spk_external_plan_new (double dt)
{
  return spk_external_plan_new_full (dt, FALSE);
}

gboolean
spk_external_plan_is_single (SpkExternalPlan *self)
{
  return self->single;
}

/* Bytes of one element of the plan's buffers. */
static gsize
real_size (SpkExternalPlan *self)
{
  return self->single ? sizeof (float) : sizeof (double);
}

SpkExternalPlan *
spk_external_plan_ref (SpkExternalPlan *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
spk_external_plan_unref (SpkExternalPlan *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, plan_clear);
}

guint
spk_external_plan_get_n_ops (SpkExternalPlan *self)
{
  return self->ops->len;
}

guint
spk_external_plan_get_n_native (SpkExternalPlan *self)
{
  return self->n_native;
}

static void
push (SpkExternalPlan *self,
      Op              *op)
{
  if (op->kind != OP_CALLBACK)
    self->n_native++;
  g_array_append_vals (self->ops, op, 1);
}

static gboolean
shape_error (GError    **error,
             const char *what,
             gsize       r1,
             gsize       c1,
             gsize       r2,
             gsize       c2)
{
  g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
               "%s: shapes %" G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT " and %"
               G_GSIZE_FORMAT "×%" G_GSIZE_FORMAT " do not fit",
               what, r1, c1, r2, c2);
  return FALSE;
}

void
spk_external_plan_add_time_update (SpkExternalPlan *self,
                                   gpointer         step,
                                   gpointer         time)
{
  Op op = { .kind = OP_TIME_UPDATE, .time_step = step, .time = time };

  push (self, &op);
}

void
spk_external_plan_add_reset (SpkExternalPlan *self,
                             const SpkView   *dst,
                             double           value)
{
  Op op = { .kind = OP_RESET, .y = *dst, .value = value };

  push (self, &op);
}

static gboolean
check_rows (const gint64 *rows,
            gsize         n,
            gsize         limit,
            const char   *what,
            GError      **error)
{
  for (gsize i = 0; i < n; i++)
    if (rows[i] < 0 || (guint64) rows[i] >= limit)
      {
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                     "copy: %s index %" G_GINT64_FORMAT " is outside 0…%" G_GSIZE_FORMAT,
                     what, rows[i], limit);
        return FALSE;
      }
  return TRUE;
}

/* Whether v's elements, row by row, are one contiguous block. */
static gboolean
view_is_block (const SpkView *v)
{
  return v->rows <= 1 ? v->cols <= 1 || v->col_stride == 1
                      : (v->cols == 1 && v->row_stride == 1) || (v->col_stride == 1 && v->row_stride == (gssize) v->cols);
}

gboolean
spk_external_plan_add_copy (SpkExternalPlan *self,
                            const SpkView   *src,
                            const gint64    *src_rows,
                            gsize            n_src_rows,
                            const SpkView   *dst,
                            const gint64    *dst_rows,
                            gsize            n_dst_rows,
                            gboolean         inc,
                            GError         **error)
{
  Op op = { .kind = OP_COPY, .x = *src, .y = *dst, .inc = inc };
  gsize sr = src_rows != NULL ? n_src_rows : src->rows;
  gsize dr = dst_rows != NULL ? n_dst_rows : dst->rows;

  if (!check_rows (src_rows, src_rows != NULL ? n_src_rows : 0, src->rows, "source", error)
      || !check_rows (dst_rows, dst_rows != NULL ? n_dst_rows : 0, dst->rows, "destination", error))
    return FALSE;
  if (sr * src->cols == 1)
    {
      op.x.row_stride = op.x.col_stride = 0;  /* one element: broadcast */
    }
  else if (sr != dr || src->cols != dst->cols)
    return shape_error (error, "copy", sr, src->cols, dr, dst->cols);

  /* Unify: both sides become explicit row lists of dr rows. */
  op.n_rows = dr;
  op.src_rows = g_new (gint64, MAX (dr, 1));
  op.dst_rows = g_new (gint64, MAX (dr, 1));
  for (gsize i = 0; i < dr; i++)
    {
      op.src_rows[i] = sr * src->cols == 1 ? 0 : (src_rows != NULL ? src_rows[i] : (gint64) i);
      op.dst_rows[i] = dst_rows != NULL ? dst_rows[i] : (gint64) i;
    }
  /* The common case, a whole signal onto a whole signal (Nengo's bias
   * into the neurons' input), skips the row lists. */
  op.dense = src_rows == NULL && dst_rows == NULL && sr * src->cols != 1
             && view_is_block (src) && view_is_block (dst);
  if (dst_rows != NULL)
    {
      g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

      for (gsize i = 0; i < dr; i++)
        if (!g_hash_table_add (seen, &op.dst_rows[i]))
          op.repeats = TRUE;
    }
  if (op.repeats && !inc)
    {
      g_free (op.src_rows);
      g_free (op.dst_rows);
      g_set_error_literal (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                           "copy: repeated destination indices need an increment");
      return FALSE;
    }
  push (self, &op);
  return TRUE;
}

/* The stride of operand dimension d against y's length there: a size-1
 * dimension broadcasts. */
static gboolean
broadcast (SpkView    *v,
           const SpkView *y)
{
  if (v->rows != y->rows)
    {
      if (v->rows != 1)
        return FALSE;
      v->row_stride = 0;
    }
  if (v->cols != y->cols)
    {
      if (v->cols != 1)
        return FALSE;
      v->col_stride = 0;
    }
  v->rows = y->rows;
  v->cols = y->cols;
  return TRUE;
}

gboolean
spk_external_plan_add_elementwise_inc (SpkExternalPlan *self,
                                       const SpkView   *a,
                                       const SpkView   *x,
                                       const SpkView   *y,
                                       GError         **error)
{
  Op op = { .kind = OP_ELEMENTWISE_INC, .a = *a, .x = *x, .y = *y };

  if (!broadcast (&op.a, y))
    return shape_error (error, "elementwise-inc", a->rows, a->cols, y->rows, y->cols);
  if (!broadcast (&op.x, y))
    return shape_error (error, "elementwise-inc", x->rows, x->cols, y->rows, y->cols);
  push (self, &op);
  return TRUE;
}

gboolean
spk_external_plan_add_dot_inc (SpkExternalPlan *self,
                               const SpkView   *a,
                               const SpkView   *x,
                               const SpkView   *y,
                               GError         **error)
{
  Op op = { .kind = OP_DOT_INC, .a = *a, .x = *x, .y = *y };

  if (x->cols != 1 || y->cols != 1)
    return shape_error (error, "dot-inc: x and y must be vectors", x->rows, x->cols,
                        y->rows, y->cols);
  if (a->cols != x->rows || a->rows != y->rows)
    return shape_error (error, "dot-inc", a->rows, a->cols, x->rows, y->rows);
  op.scratch = g_malloc0 (real_size (self) * MAX (a->rows, 1));
  push (self, &op);
  return TRUE;
}

gboolean
spk_external_plan_add_sparse_dot_inc (SpkExternalPlan *self,
                                      gconstpointer    data,
                                      const gint64    *indices,
                                      const gint64    *indptr,
                                      gsize            rows,
                                      gsize            n_cols,
                                      const SpkView   *x,
                                      const SpkView   *y,
                                      GError         **error)
{
  Op op = { .kind = OP_SPARSE_DOT_INC, .x = *x, .y = *y, .sp_data = data,
            .sp_indices = indices, .sp_indptr = indptr, .count = rows };

  if (x->cols != 1 || y->cols != 1 || x->rows != n_cols || y->rows != rows)
    return shape_error (error, "sparse-dot-inc", rows, n_cols, x->rows, y->rows);
  for (gsize r = 0; r < rows; r++)
    for (gint64 k = indptr[r]; k < indptr[r + 1]; k++)
      if (indices[k] < 0 || (guint64) indices[k] >= n_cols)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       "sparse-dot-inc: column %" G_GINT64_FORMAT " is outside 0…%"
                       G_GSIZE_FORMAT, indices[k], n_cols);
          return FALSE;
        }
  push (self, &op);
  return TRUE;
}

gboolean
spk_external_plan_add_bsr_dot_inc (SpkExternalPlan *self,
                                   gconstpointer    blocks,
                                   gsize            r,
                                   gsize            c,
                                   const gint64    *indices,
                                   const gint64    *indptr,
                                   gsize            n_block_rows,
                                   gsize            n_block_cols,
                                   gconstpointer    x,
                                   gpointer         y,
                                   GError         **error)
{
  Op op = { .kind = OP_BSR_DOT_INC, .sp_data = blocks, .sp_indices = indices,
            .sp_indptr = indptr, .count = n_block_rows, .block_r = r, .block_c = c };

  for (gsize i = 0; i < n_block_rows; i++)
    for (gint64 k = indptr[i]; k < indptr[i + 1]; k++)
      if (indices[k] < 0 || (guint64) indices[k] >= n_block_cols)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       "bsr-dot-inc: block column %" G_GINT64_FORMAT " is outside 0…%"
                       G_GSIZE_FORMAT, indices[k], n_block_cols);
          return FALSE;
        }
  op.x.data = (gpointer) x;
  op.y.data = y;
  op.scratch = g_malloc0 (real_size (self) * MAX (r, 1));
  push (self, &op);
  return TRUE;
}

gboolean
spk_external_plan_add_neurons (SpkExternalPlan     *self,
                               const SpkNeuronType *type,
                               gpointer             J,
                               gpointer             out,
                               gpointer const      *states,
                               gsize                count,
                               GError             **error)
{
  Op op = { .kind = OP_NEURONS, .count = count };
  guint n_states;

  if (!spk_neuron_type_validate (type, error))
    return FALSE;
  if (type->kind == SPK_NEURON_POISSON_SPIKING)
    {
      g_set_error_literal (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                           "PoissonSpiking draws from the caller's generator: not native");
      return FALSE;
    }
  n_states = spk_neuron_step_n_states (type);
  op.neuron_type = spk_neuron_type_copy (type);
  op.a.data = J;
  op.y.data = out;
  for (guint i = 0; i < n_states; i++)
    op.states[i] = states[i];
  push (self, &op);
  return TRUE;
}

gboolean
spk_external_plan_add_linear_filter (SpkExternalPlan *self,
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
                                     GError         **error)
{
  Op op = { .kind = OP_LINEAR_FILTER, .order = order, .D = D, .count = count,
            .inc = inc };

  if (order > 64)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "linear filter: order %u is too high", order);
      return FALSE;
    }
  op.filter = g_new0 (double, MAX ((gsize) order * order + 2 * order, 1));
  if (order > 0)
    {
      memcpy (op.filter, A, sizeof (double) * order * order);
      memcpy (op.filter + order * order, B, sizeof (double) * order);
      memcpy (op.filter + order * order + order, C, sizeof (double) * order);
    }
  op.scratch = g_malloc0 (real_size (self) * MAX ((gsize) order * count, 1));
  op.x.data = (gpointer) u;
  op.y.data = y;
  op.a.data = X;
  push (self, &op);
  return TRUE;
}

void
spk_external_plan_add_callback (SpkExternalPlan     *self,
                                SpkExternalStepFunc  func,
                                gpointer             user_data,
                                GDestroyNotify       destroy)
{
  Op op = { .kind = OP_CALLBACK, .func = func, .user_data = user_data, .destroy = destroy };

  push (self, &op);
}

#define REAL double
#define SUFFIX f64
#define GEMV cblas_dgemv
#define NEURON_STEP spk_neuron_step_f64
#include "spk-external-plan-step-tmpl.h"
#undef REAL
#undef SUFFIX
#undef GEMV
#undef NEURON_STEP

#define REAL float
#define SUFFIX f32
#define GEMV cblas_sgemv
#define NEURON_STEP spk_neuron_step_f32
#include "spk-external-plan-step-tmpl.h"
#undef REAL
#undef SUFFIX
#undef GEMV
#undef NEURON_STEP

gboolean
spk_external_plan_step (SpkExternalPlan *self,
                        GError         **error)
{
  return self->single ? plan_step_f32 (self, error) : plan_step_f64 (self, error);
}
