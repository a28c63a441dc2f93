/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-expr-eval.c — running a compiled expression over a batch.
 *
 * The uniform program runs once per call on one-element slots; then the
 * batch is cut into chunks of at most SPK_EXPR_CHUNK rows and the varying
 * program runs over each chunk, one instruction at a time, each a tight
 * loop over the chunk.  A chunk of registers stays in the first-level
 * cache, so the interpretive overhead is one switch per instruction per
 * chunk and the loops themselves are what hand-written C would compile to.
 *
 * Contract: nothing here writes to the SpkExpr, so any number of threads
 * may evaluate one expression at once, each with its own scratch.  With a
 * scratch, evaluation does not allocate.
 */
#define G_LOG_DOMAIN "spk-expr"

#include "spk-expr-private.h"

#include <math.h>
#include <string.h>

/* Rows per chunk: 512 doubles is 4 KiB a register, so a few registers
 * and the chunk of x they come from fit in a 32 KiB L1 cache. */
#define SPK_EXPR_CHUNK 512

struct _SpkExprScratch
{
  const SpkExpr *expr;
  gsize          rows;
  double        *slots;  /* n_slots */
  double        *regs;   /* n_regs × rows */
  double        *x;      /* rows × size_in, for float32 input */
  double        *out;    /* rows × size_out, for float32 output */
};

/* Python's and numpy's remainder: the result takes the divisor's sign. */
static inline double
py_mod (double a,
        double b)
{
  double r = fmod (a, b);

  if (r != 0)
    {
      if ((b < 0) != (r < 0))
        r += b;
    }
  else
    r = copysign (0.0, b);
  return r;
}

/* numpy's minimum and maximum: a NaN on either side wins. */
static inline double
nan_min (double a,
         double b)
{
  return (a < b || isnan (a)) ? a : b;
}

static inline double
nan_max (double a,
         double b)
{
  return (a > b || isnan (a)) ? a : b;
}

/* Each operand is a pointer and a stride: 0 for a slot, 1 for a
 * register, size_in or size_out for a column of x or of the output.  The
 * common all-register case gets its own loop, which compilers unroll and
 * vectorise; the strided loop serves the rest. */
#define UNARY(expr) \
  G_STMT_START { \
    if (sd == 1 && sa == 1) \
      for (gsize i = 0; i < n; i++) \
        { \
          const double a = pa[i]; \
          d[i] = (expr); \
        } \
    else \
      for (gsize i = 0; i < n; i++) \
        { \
          const double a = pa[i * sa]; \
          d[i * sd] = (expr); \
        } \
  } G_STMT_END

#define BINARY(expr) \
  G_STMT_START { \
    if (sd == 1 && sa == 1 && sb == 1) \
      for (gsize i = 0; i < n; i++) \
        { \
          const double a = pa[i]; \
          const double b = pb[i]; \
          d[i] = (expr); \
        } \
    else if (sd == 1 && sa == 1 && sb == 0) \
      { \
        const double b = pb[0]; \
        for (gsize i = 0; i < n; i++) \
          { \
            const double a = pa[i]; \
            d[i] = (expr); \
          } \
      } \
    else if (sd == 1 && sa == 0 && sb == 1) \
      { \
        const double a = pa[0]; \
        for (gsize i = 0; i < n; i++) \
          { \
            const double b = pb[i]; \
            d[i] = (expr); \
          } \
      } \
    else if (sd == 1) \
      for (gsize i = 0; i < n; i++) \
        { \
          const double a = pa[i * sa]; \
          const double b = pb[i * sb]; \
          d[i] = (expr); \
        } \
    else \
      for (gsize i = 0; i < n; i++) \
        { \
          const double a = pa[i * sa]; \
          const double b = pb[i * sb]; \
          d[i * sd] = (expr); \
        } \
  } G_STMT_END

/* d = op (pa, pb, pc) over n rows, each with its stride; d overlaps none
 * of the operands.  The uniform program and constant folding call this
 * with n = 1 and every stride 0. */
void
_spk_expr_run_op (guint                  op,
                  double       *restrict d,
                  gsize                  sd,
                  const double *restrict pa,
                  gsize                  sa,
                  const double *restrict pb,
                  gsize                  sb,
                  const double *restrict pc,
                  gsize                  sc,
                  gsize                  n)
{
  switch ((SpkExprOp) op)
    {
    case SPK_EXPR_OP_STORE: UNARY (a); break;
    case SPK_EXPR_OP_NEG:   UNARY (-a); break;
    case SPK_EXPR_OP_NOT:   UNARY (a == 0 ? 1.0 : 0.0); break;
    case SPK_EXPR_OP_SIN:   UNARY (sin (a)); break;
    case SPK_EXPR_OP_COS:   UNARY (cos (a)); break;
    case SPK_EXPR_OP_TAN:   UNARY (tan (a)); break;
    case SPK_EXPR_OP_ASIN:  UNARY (asin (a)); break;
    case SPK_EXPR_OP_ACOS:  UNARY (acos (a)); break;
    case SPK_EXPR_OP_ATAN:  UNARY (atan (a)); break;
    case SPK_EXPR_OP_SINH:  UNARY (sinh (a)); break;
    case SPK_EXPR_OP_COSH:  UNARY (cosh (a)); break;
    case SPK_EXPR_OP_TANH:  UNARY (tanh (a)); break;
    case SPK_EXPR_OP_EXP:   UNARY (exp (a)); break;
    case SPK_EXPR_OP_LOG:   UNARY (log (a)); break;
    case SPK_EXPR_OP_LOG10: UNARY (log10 (a)); break;
    case SPK_EXPR_OP_LOG2:  UNARY (log2 (a)); break;
    case SPK_EXPR_OP_SQRT:  UNARY (sqrt (a)); break;
    case SPK_EXPR_OP_ABS:   UNARY (fabs (a)); break;
    /* Zero and NaN are their own sign, as in numpy. */
    case SPK_EXPR_OP_SIGN:  UNARY (a > 0 ? 1.0 : a < 0 ? -1.0 : a); break;
    case SPK_EXPR_OP_FLOOR: UNARY (floor (a)); break;
    case SPK_EXPR_OP_CEIL:  UNARY (ceil (a)); break;
    /* The default rounding mode breaks ties to even, like numpy.round. */
    case SPK_EXPR_OP_ROUND: UNARY (nearbyint (a)); break;

    case SPK_EXPR_OP_ADD:   BINARY (a + b); break;
    case SPK_EXPR_OP_SUB:   BINARY (a - b); break;
    case SPK_EXPR_OP_MUL:   BINARY (a * b); break;
    case SPK_EXPR_OP_DIV:   BINARY (a / b); break;
    case SPK_EXPR_OP_MOD:   BINARY (py_mod (a, b)); break;
    case SPK_EXPR_OP_POW:   BINARY (pow (a, b)); break;
    case SPK_EXPR_OP_ATAN2: BINARY (atan2 (a, b)); break;
    case SPK_EXPR_OP_MIN:   BINARY (nan_min (a, b)); break;
    case SPK_EXPR_OP_MAX:   BINARY (nan_max (a, b)); break;
    case SPK_EXPR_OP_LT:    BINARY (a < b ? 1.0 : 0.0); break;
    case SPK_EXPR_OP_LE:    BINARY (a <= b ? 1.0 : 0.0); break;
    case SPK_EXPR_OP_GT:    BINARY (a > b ? 1.0 : 0.0); break;
    case SPK_EXPR_OP_GE:    BINARY (a >= b ? 1.0 : 0.0); break;
    case SPK_EXPR_OP_EQ:    BINARY (a == b ? 1.0 : 0.0); break;
    case SPK_EXPR_OP_NE:    BINARY (a != b ? 1.0 : 0.0); break;
    /* Logical on nonzero, so NaN counts as true, as in numpy. */
    case SPK_EXPR_OP_AND:   BINARY (a != 0 && b != 0 ? 1.0 : 0.0); break;
    case SPK_EXPR_OP_OR:    BINARY (a != 0 || b != 0 ? 1.0 : 0.0); break;

    case SPK_EXPR_OP_SELECT:
      /* Rare enough for the strided loop alone. */
      for (gsize i = 0; i < n; i++)
        d[i * sd] = pa[i * sa] != 0 ? pb[i * sb] : pc[i * sc];
      break;

    case SPK_EXPR_OP_MADD:
      /* Written to the output or a register, from a slot or x times x
       * plus a register: the shape of `k*x[0] + x[1]**2`. */
      if (sd == 1 && sc == 1 && sa == 0)
        {
          const double a = pa[0];

          for (gsize i = 0; i < n; i++)
            d[i] = a * pb[i * sb] + pc[i];
        }
      else if (sd == 1 && sc == 1)
        for (gsize i = 0; i < n; i++)
          d[i] = pa[i * sa] * pb[i * sb] + pc[i];
      else
        for (gsize i = 0; i < n; i++)
          d[i * sd] = pa[i * sa] * pb[i * sb] + pc[i * sc];
      break;

    case SPK_EXPR_OP_CONST:
    case SPK_EXPR_OP_TIME:
    case SPK_EXPR_OP_LOAD:
    default:
      g_assert_not_reached ();
    }
}

SpkExprScratch *
spk_expr_scratch_new (const SpkExpr *self,
                      gsize          max_batch)
{
  SpkExprScratch *scratch;
  gsize rows;

  g_return_val_if_fail (self != NULL, NULL);

  rows = CLAMP (max_batch, 1, SPK_EXPR_CHUNK);
  scratch = g_new0 (SpkExprScratch, 1);
  scratch->expr = self;
  scratch->rows = rows;
  scratch->slots = g_new (double, self->n_slots + rows * (self->n_regs + self->size_in + self->size_out));
  scratch->regs = scratch->slots + self->n_slots;
  scratch->x = scratch->regs + rows * self->n_regs;
  scratch->out = scratch->x + rows * self->size_in;
  if (self->n_slots > 0)
    memcpy (scratch->slots, self->slot_init, self->n_slots * sizeof (double));
  return scratch;
}

void
spk_expr_scratch_free (SpkExprScratch *scratch)
{
  if (scratch == NULL)
    return;
  g_free (scratch->slots);
  g_free (scratch);
}

typedef struct
{
  const SpkExprScratch *scratch;
  const double         *x;    /* this chunk's first row */
  double               *out;
  gsize                 size_in;
  gsize                 size_out;
} Chunk;

static inline double *
locate (const Chunk *chunk,
        guint8       place,
        guint        index,
        gsize       *stride)
{
  switch (place)
    {
    case SPK_EXPR_AT_SLOT:
      *stride = 0;
      return chunk->scratch->slots + index;
    case SPK_EXPR_AT_REG:
      *stride = 1;
      return chunk->scratch->regs + (gsize) index * chunk->scratch->rows;
    case SPK_EXPR_AT_X:
      *stride = chunk->size_in;
      return (double *) chunk->x + index;
    case SPK_EXPR_AT_OUT:
      *stride = chunk->size_out;
      return chunk->out + index;
    default:
      g_assert_not_reached ();
    }
}

/* float32 batches go through double copies of the chunk, so both entry
 * points compute exactly the same doubles and round once at the end. */
static void
eval (const SpkExpr  *self,
      SpkExprScratch *scratch,
      double          t,
      const void     *x,
      gboolean        f32,
      gsize           batch,
      void           *out)
{
  g_autoptr(SpkExprScratch) own = NULL;
  double *slots;

  if (scratch == NULL)
    scratch = own = spk_expr_scratch_new (self, batch);
  slots = scratch->slots;

  if (self->uses_time)
    slots[self->time_slot] = t;
  for (guint k = 0; k < self->n_uniform; k++)
    {
      const SpkExprInstr *in = &self->uniform[k];

      _spk_expr_run_op (in->op, slots + in->index[0], 0, slots + in->index[1], 0,
                        slots + in->index[2], 0, slots + in->index[3], 0, 1);
    }

  for (gsize first = 0; first < batch; first += scratch->rows)
    {
      gsize n = MIN (scratch->rows, batch - first);
      Chunk chunk = { scratch, NULL, NULL, self->size_in, self->size_out };

      if (!f32)
        {
          chunk.x = x != NULL ? (const double *) x + first * self->size_in : NULL;
          chunk.out = (double *) out + first * self->size_out;
        }
      else
        {
          const float *xf = (const float *) x + first * self->size_in;

          if (self->uses_input)
            for (gsize i = 0; i < n * self->size_in; i++)
              scratch->x[i] = xf[i];
          chunk.x = scratch->x;
          chunk.out = scratch->out;
        }

      for (guint k = 0; k < self->n_varying; k++)
        {
          const SpkExprInstr *in = &self->varying[k];
          gsize s[4] = { 0 };
          double *p[4];

          p[0] = locate (&chunk, in->place[0], in->index[0], &s[0]);
          p[1] = locate (&chunk, in->place[1], in->index[1], &s[1]);
          p[2] = p[3] = p[1];
          if (SPK_EXPR_OP_IS_BINARY (in->op) || in->op >= SPK_EXPR_OP_SELECT)
            p[2] = locate (&chunk, in->place[2], in->index[2], &s[2]);
          if (in->op >= SPK_EXPR_OP_SELECT)
            p[3] = locate (&chunk, in->place[3], in->index[3], &s[3]);
          _spk_expr_run_op (in->op, p[0], s[0], p[1], s[1], p[2], s[2], p[3], s[3], n);
        }

      if (f32)
        {
          float *of = (float *) out + first * self->size_out;

          for (gsize i = 0; i < n * self->size_out; i++)
            of[i] = (float) scratch->out[i];
        }
    }
}

void
spk_expr_eval (const SpkExpr  *self,
               SpkExprScratch *scratch,
               double          t,
               const double   *x,
               gsize           batch,
               double         *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (scratch == NULL || scratch->expr == self);
  g_return_if_fail (x != NULL || self->size_in == 0 || batch == 0);
  g_return_if_fail (out != NULL || batch == 0);

  eval (self, scratch, t, x, FALSE, batch, out);
}

void
spk_expr_eval_f32 (const SpkExpr  *self,
                   SpkExprScratch *scratch,
                   double          t,
                   const float    *x,
                   gsize           batch,
                   float          *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (scratch == NULL || scratch->expr == self);
  g_return_if_fail (x != NULL || self->size_in == 0 || batch == 0);
  g_return_if_fail (out != NULL || batch == 0);

  eval (self, scratch, t, x, TRUE, batch, out);
}
