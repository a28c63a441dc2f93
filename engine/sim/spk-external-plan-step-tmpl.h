/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-external-plan-step-tmpl.h — one step of an external plan, written
 * once and included by spk-external-plan.c for float64 and float32.
 *
 * The includer defines REAL (double or float), SUFFIX (f64 or f32),
 * GEMV (cblas_dgemv or cblas_sgemv) and NEURON_STEP
 * (spk_neuron_step_f64 or _f32).  Arithmetic stays in REAL, as numpy's
 * does for arrays of that type; the filter coefficients and the reset
 * value, which Nengo keeps as Python floats, are rounded to REAL once per
 * use, as numpy rounds a Python float meeting a float32 array.
 */

#define STEP_CAT_(a, b) a##b
#define STEP_CAT(a, b) STEP_CAT_(a, b)
#define FN(name) STEP_CAT (name, SUFFIX)
#define EL(v, r, c) (((REAL *) (v).data)[(gssize) (r) * (v).row_stride + (gssize) (c) * (v).col_stride])

static void
FN (run_copy_) (const Op *op)
{
  const gsize cols = op->y.cols;

  if (op->dense)
    {
      const REAL *restrict x = op->x.data;
      REAL *restrict y = op->y.data;
      const gsize n = op->n_rows * cols;

      if (!op->inc)
        memcpy (y, x, n * sizeof (REAL));
      else
        for (gsize i = 0; i < n; i++)
          y[i] += x[i];
      return;
    }
  for (gsize i = 0; i < op->n_rows; i++)
    for (gsize c = 0; c < cols; c++)
      {
        REAL v = EL (op->x, op->src_rows[i], c);
        REAL *d = &EL (op->y, op->dst_rows[i], c);

        *d = op->inc ? *d + v : v;
      }
}

static void
FN (run_dot_inc_) (const Op *op)
{
  const SpkView *a = &op->a;
  const gsize m = a->rows, n = a->cols;
  REAL *scratch = op->scratch;

  if (m == 0 || n == 0)
    return;
  if (a->col_stride == 1 && a->row_stride >= (gssize) n && op->x.row_stride != 0)
    GEMV (CblasRowMajor, CblasNoTrans, (int) m, (int) n, 1, a->data, (int) a->row_stride,
          op->x.data, (int) op->x.row_stride, 0, scratch, 1);
  else if (a->row_stride == 1 && a->col_stride >= (gssize) m && op->x.row_stride != 0)
    GEMV (CblasColMajor, CblasNoTrans, (int) m, (int) n, 1, a->data, (int) a->col_stride,
          op->x.data, (int) op->x.row_stride, 0, scratch, 1);
  else
    for (gsize r = 0; r < m; r++)
      {
        REAL s = 0;

        for (gsize c = 0; c < n; c++)
          s += EL (*a, r, c) * EL (op->x, c, 0);
        scratch[r] = s;
      }
  for (gsize r = 0; r < m; r++)
    EL (op->y, r, 0) += scratch[r];
}

/* As scipy's bsr_matvec: each block row's products summed into a
 * scratch row, then added to y (numpy adds the whole product after). */
static void
FN (run_bsr_dot_inc_) (const Op *op)
{
  const gsize r = op->block_r, c = op->block_c;
  const REAL *data = op->sp_data, *x = op->x.data;
  REAL *y = op->y.data;

  for (gsize i = 0; i < op->count; i++)
    {
      REAL *acc = op->scratch;

      if (c == 1)
        {
          /* A column of blocks (Nengo's merged encoders): the same sums
           * as below (0 + a·x is a·x), in a loop that vectorises. */
          memset (acc, 0, sizeof (REAL) * r);
          for (gint64 k = op->sp_indptr[i]; k < op->sp_indptr[i + 1]; k++)
            {
              const REAL *restrict block = data + (gsize) k * r;
              const REAL xk = x[op->sp_indices[k]];

              for (gsize a = 0; a < r; a++)
                acc[a] += block[a] * xk;
            }
          for (gsize a = 0; a < r; a++)
            y[i * r + a] += acc[a];
          continue;
        }
      if (r == 1)
        {
          /* A row of blocks (Nengo's merged decoders): one long dot
           * product, summed in four lanes so the additions overlap.  The
           * order differs from scipy's by round-off only. */
          REAL lane[4] = { 0, 0, 0, 0 };

          for (gint64 k = op->sp_indptr[i]; k < op->sp_indptr[i + 1]; k++)
            {
              const REAL *restrict block = data + (gsize) k * c;
              const REAL *restrict xb = x + (gsize) op->sp_indices[k] * c;
              gsize b = 0;

              for (; b + 4 <= c; b += 4)
                for (gsize l = 0; l < 4; l++)
                  lane[l] += block[b + l] * xb[b + l];
              for (; b < c; b++)
                lane[0] += block[b] * xb[b];
            }
          y[i] += (lane[0] + lane[1]) + (lane[2] + lane[3]);
          continue;
        }
      memset (acc, 0, sizeof (REAL) * r);
      for (gint64 k = op->sp_indptr[i]; k < op->sp_indptr[i + 1]; k++)
        {
          const REAL *block = data + (gsize) k * r * c;
          const REAL *xb = x + (gsize) op->sp_indices[k] * c;

          for (gsize a = 0; a < r; a++)
            {
              REAL s = 0;

              for (gsize b = 0; b < c; b++)
                s += block[a * c + b] * xb[b];
              acc[a] += s;
            }
        }
      for (gsize a = 0; a < r; a++)
        y[i * r + a] += acc[a];
    }
}

static void
FN (run_linear_filter_) (const Op *op)
{
  const guint k = op->order;
  const gsize n = op->count;
  const double *A = op->filter, *B = A + k * k, *C = B + k;
  const REAL D = (REAL) op->D;
  const REAL *u = op->x.data;
  REAL *y = op->y.data, *X = op->a.data, *tmp = op->scratch;

  if (k == 0)
    {
      for (gsize i = 0; i < n; i++)
        y[i] = op->inc ? y[i] + D * u[i] : D * u[i];
      return;
    }
  if (op->D == 0.0 && k == 1)
    {
      const REAL a = (REAL) A[0], b = (REAL) (C[0] * B[0]);

      for (gsize i = 0; i < n; i++)
        {
          X[i] = a * X[i] + b * u[i];
          y[i] = op->inc ? y[i] + X[i] : X[i];
        }
      return;
    }
  if (op->D != 0.0)
    for (gsize i = 0; i < n; i++)   /* y = C·x + D·u, from the old state */
      {
        REAL s = 0;

        for (guint j = 0; j < k; j++)
          s += (REAL) C[j] * X[j * n + i];
        s += D * u[i];
        y[i] = op->inc ? y[i] + s : s;
      }
  for (guint r = 0; r < k; r++)       /* x ← A·x + B·u */
    for (gsize i = 0; i < n; i++)
      {
        REAL s = 0;

        for (guint j = 0; j < k; j++)
          s += (REAL) A[r * k + j] * X[j * n + i];
        tmp[r * n + i] = s + (REAL) B[r] * u[i];
      }
  memcpy (X, tmp, sizeof (REAL) * k * n);
  if (op->D == 0.0)
    for (gsize i = 0; i < n; i++)   /* y = C·x, from the new state */
      {
        REAL s = 0;

        for (guint j = 0; j < k; j++)
          s += (REAL) C[j] * X[j * n + i];
        y[i] = op->inc ? y[i] + s : s;
      }
}

static gboolean
FN (plan_step_) (SpkExternalPlan *self,
                 GError         **error)
{
  for (guint o = 0; o < self->ops->len; o++)
    {
      Op *op = &g_array_index (self->ops, Op, o);

      switch (op->kind)
        {
        case OP_TIME_UPDATE:
          /* Nengo: step += 1; time = step * dt, the product in float64
           * (numpy promotes an integer array times a Python float) and
           * stored in the time signal's type. */
          if (self->single)
            {
              gint32 *step = op->time_step;

              *step += 1;
              *(REAL *) op->time = (REAL) ((double) *step * self->dt);
            }
          else
            {
              gint64 *step = op->time_step;

              *step += 1;
              *(REAL *) op->time = (REAL) ((double) *step * self->dt);
            }
          break;

        case OP_RESET:
          {
            const REAL value = (REAL) op->value;

            for (gsize r = 0; r < op->y.rows; r++)
              for (gsize c = 0; c < op->y.cols; c++)
                EL (op->y, r, c) = value;
          }
          break;

        case OP_COPY:
          FN (run_copy_) (op);
          break;

        case OP_ELEMENTWISE_INC:
          for (gsize r = 0; r < op->y.rows; r++)
            for (gsize c = 0; c < op->y.cols; c++)
              EL (op->y, r, c) += EL (op->a, r, c) * EL (op->x, r, c);
          break;

        case OP_DOT_INC:
          FN (run_dot_inc_) (op);
          break;

        case OP_SPARSE_DOT_INC:
          {
            const REAL *data = op->sp_data;

            for (gsize r = 0; r < op->count; r++)
              {
                REAL s = 0;

                for (gint64 k = op->sp_indptr[r]; k < op->sp_indptr[r + 1]; k++)
                  s += data[k] * EL (op->x, op->sp_indices[k], 0);
                EL (op->y, r, 0) += s;
              }
          }
          break;

        case OP_BSR_DOT_INC:
          FN (run_bsr_dot_inc_) (op);
          break;

        case OP_NEURONS:
          NEURON_STEP (op->neuron_type, (REAL) self->dt, op->a.data, op->y.data,
                       (REAL *const *) op->states, op->count, NULL);
          break;

        case OP_LINEAR_FILTER:
          FN (run_linear_filter_) (op);
          break;

        case OP_CALLBACK:
          if (!op->func (op->user_data, error))
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

#undef EL
#undef FN
#undef STEP_CAT
#undef STEP_CAT_
