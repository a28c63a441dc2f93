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

/* Rows per chunk: 256 doubles is 2 KiB a register, so a dozen registers
 * and the chunk of x they come from fit in a 32 KiB L1 cache. */
#define SPK_EXPR_CHUNK 256

struct _SpkExprScratch
{
  const SpkExpr *expr;
  gsize          rows;
  double        *slots;  /* n_slots */
  double        *regs;   /* n_regs × rows */
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

/* In the varying program at most one operand of a binary instruction is
 * a slot (two would make the result uniform); in the uniform program
 * both are and n is 1, which the first branch handles as well. */
#define UNARY(expr) \
  G_STMT_START { \
    for (gsize i = 0; i < n; i++) \
      { \
        const double a = pa[i]; \
        d[i] = (expr); \
      } \
  } G_STMT_END

#define BINARY(expr) \
  G_STMT_START { \
    if (scalar & SPK_EXPR_SCALAR_A) \
      { \
        const double a = pa[0]; \
        for (gsize i = 0; i < n; i++) \
          { \
            const double b = pb[i]; \
            d[i] = (expr); \
          } \
      } \
    else if (scalar & SPK_EXPR_SCALAR_B) \
      { \
        const double b = pb[0]; \
        for (gsize i = 0; i < n; i++) \
          { \
            const double a = pa[i]; \
            d[i] = (expr); \
          } \
      } \
    else \
      for (gsize i = 0; i < n; i++) \
        { \
          const double a = pa[i]; \
          const double b = pb[i]; \
          d[i] = (expr); \
        } \
  } G_STMT_END

/* d (n) = op (pa, pb, pc), each operand n rows or, when its bit is set in
 * `scalar`, one value for all rows.  d may be one of the operands. */
void
_spk_expr_run_op (guint         op,
                  guint         scalar,
                  double       *d,
                  const double *pa,
                  const double *pb,
                  const double *pc,
                  gsize         n)
{
  switch ((SpkExprOp) op)
    {
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
      {
        /* Rare enough that one loop with strides 0 or 1 serves all
         * combinations of slots and registers. */
        const gsize sa = (scalar & SPK_EXPR_SCALAR_A) ? 0 : 1;
        const gsize sb = (scalar & SPK_EXPR_SCALAR_B) ? 0 : 1;
        const gsize sc = (scalar & SPK_EXPR_SCALAR_C) ? 0 : 1;

        for (gsize i = 0; i < n; i++)
          d[i] = pa[i * sa] != 0 ? pb[i * sb] : pc[i * sc];
      }
      break;

    case SPK_EXPR_OP_CONST:
    case SPK_EXPR_OP_TIME:
    case SPK_EXPR_OP_LOAD:
    case SPK_EXPR_OP_STORE:
    default:
      g_assert_not_reached ();
    }
}

SpkExprScratch *
spk_expr_scratch_new (const SpkExpr *self,
                      gsize          max_batch)
{
  SpkExprScratch *scratch;

  g_return_val_if_fail (self != NULL, NULL);

  scratch = g_new0 (SpkExprScratch, 1);
  scratch->expr = self;
  scratch->rows = CLAMP (max_batch, 1, SPK_EXPR_CHUNK);
  scratch->slots = g_new (double, self->n_slots + self->n_regs * scratch->rows + 1);
  scratch->regs = scratch->slots + self->n_slots;
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

static inline const double *
operand (const SpkExprScratch *scratch,
         guint                 index,
         gboolean              is_slot)
{
  return is_slot ? scratch->slots + index : scratch->regs + (gsize) index * scratch->rows;
}

static void
load (double     *restrict d,
      const void *x,
      gboolean    f32,
      gsize       size_in,
      gsize       first,
      guint       column,
      gsize       n)
{
  if (f32)
    {
      const float *restrict xs = (const float *) x + first * size_in + column;

      for (gsize i = 0; i < n; i++)
        d[i] = xs[i * size_in];
    }
  else if (size_in == 1)
    memcpy (d, (const double *) x + first, n * sizeof (double));
  else
    {
      const double *restrict xs = (const double *) x + first * size_in + column;

      for (gsize i = 0; i < n; i++)
        d[i] = xs[i * size_in];
    }
}

static void
store (void         *out,
       gboolean      f32,
       gsize         size_out,
       gsize         first,
       guint         column,
       const double *restrict s,
       gboolean      broadcast,
       gsize         n)
{
  if (f32)
    {
      float *restrict o = (float *) out + first * size_out + column;

      if (broadcast)
        for (gsize i = 0; i < n; i++)
          o[i * size_out] = (float) s[0];
      else
        for (gsize i = 0; i < n; i++)
          o[i * size_out] = (float) s[i];
    }
  else
    {
      double *restrict o = (double *) out + first * size_out + column;

      if (broadcast)
        for (gsize i = 0; i < n; i++)
          o[i * size_out] = s[0];
      else if (size_out == 1)
        memcpy (o, s, n * sizeof (double));
      else
        for (gsize i = 0; i < n; i++)
          o[i * size_out] = s[i];
    }
}

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

  if (scratch == NULL)
    scratch = own = spk_expr_scratch_new (self, batch);

  if (self->uses_time)
    scratch->slots[self->time_slot] = t;
  for (guint k = 0; k < self->n_uniform; k++)
    {
      const SpkExprInstr *in = &self->uniform[k];
      double *slots = scratch->slots;

      _spk_expr_run_op (in->op, in->scalar, slots + in->dst,
                        slots + in->a, slots + in->b, slots + in->c, 1);
    }

  for (gsize first = 0; first < batch; first += scratch->rows)
    {
      gsize n = MIN (scratch->rows, batch - first);

      for (guint k = 0; k < self->n_varying; k++)
        {
          const SpkExprInstr *in = &self->varying[k];
          double *d = scratch->regs + (gsize) in->dst * scratch->rows;

          switch (in->op)
            {
            case SPK_EXPR_OP_LOAD:
              load (d, x, f32, self->size_in, first, in->a, n);
              break;

            case SPK_EXPR_OP_STORE:
              store (out, f32, self->size_out, first, in->dst,
                     operand (scratch, in->a, in->scalar & SPK_EXPR_SCALAR_A),
                     in->scalar & SPK_EXPR_SCALAR_A, n);
              break;

            default:
              _spk_expr_run_op (in->op, in->scalar, d,
                                operand (scratch, in->a, in->scalar & SPK_EXPR_SCALAR_A),
                                operand (scratch, in->b, in->scalar & SPK_EXPR_SCALAR_B),
                                operand (scratch, in->c, in->scalar & SPK_EXPR_SCALAR_C),
                                n);
              break;
            }
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
