/* spk-plan-private.h — the layout of a plan, shared by the builder and the
 * simulator and nobody else.
 *
 * Signals are views into one arena per simulator: signal s occupies
 * batch × size elements from offset, row b at offset + b·size.  Parameters
 * (weights, biases, encoders) live once in the plan's parameter arena, in
 * the plan's dtype.  Operators are stored in execution order.
 */
#pragma once

#include "build/spk-plan.h"
#include "expr/spk-expr.h"
#include "model/spk-neuron-type.h"
#include "model/spk-process.h"
#include "ops/spk-ops-synapse.h"

G_BEGIN_DECLS

#define SPK_OP_MAX_STATES 8

typedef enum
{
  SPK_OP_RESET,        /* dst = 0 */
  SPK_OP_SET_PARAM,    /* dst row = params[param … param+size) for every row */
  SPK_OP_COPY,         /* dst[dst_index] (+)= src[src_index] */
  SPK_OP_DOT_INC,      /* dst += W·src, W rows × cols at params[param] */
  SPK_OP_ELEM_INC,     /* dst += w ⊙ src, w a scalar or size-vector at params[param] */
  SPK_OP_NEURONS,      /* out (dst) from J (src); updates states */
  SPK_OP_FILTER,       /* dst = filter(src); updates states */
  SPK_OP_EXPR,         /* dst = f(t, src) */
  SPK_OP_PROCESS,      /* dst = process(step) */
  SPK_OP_CONST,        /* dst row = params (a constant Node output, kept as an op so inputs can replace it) */
} SpkOpKind;

typedef struct
{
  char    *name;        /* "ensemble 'b' neuron input current", for messages */
  gsize    offset;      /* per-row offset × batch, filled in by the simulator */
  guint    size;
  double  *init;        /* initial value of one row, or NULL for zeros */
} SpkPlanSignal;

typedef struct
{
  SpkOpKind          kind;
  int                dst;          /* signal index or -1 */
  int                src;          /* signal index or -1 */
  gboolean           inc;          /* COPY: += instead of = */
  guint              rows, cols;   /* DOT_INC */
  gsize              param;        /* offset into the parameter arena */
  gboolean           scalar;       /* ELEM_INC: one weight for all */
  guint             *src_index;    /* COPY gather (NULL: contiguous) */
  guint             *dst_index;    /* COPY scatter (NULL: contiguous) */
  guint              n_index;      /* COPY: elements per row moved */
  SpkNeuronType     *neuron_type;  /* NEURONS */
  SpkDiscreteFilter  filter;       /* FILTER */
  int                states[SPK_OP_MAX_STATES];
  guint              n_states;
  SpkExpr           *expr;         /* EXPR */
  SpkProcess        *process;      /* PROCESS */
  guint64            seed;         /* PROCESS, NEURONS (Poisson) */
  SpkObject         *node;         /* CONST, EXPR, PROCESS of a source Node: what an input replaces */
  char              *owner;        /* "node 'x'", for messages */
} SpkPlanOp;

typedef struct
{
  char       *label;
  SpkProbe   *probe;            /* not owned */
  int         signal;
  guint      *index;            /* NULL: the whole signal */
  guint       size;
  double      period;           /* sample_every / dt; ≤ 1: every step */
} SpkPlanProbe;

typedef struct
{
  char          *label;
  SpkNeuronType *neuron_type;
  guint          n, d;
  double         radius;
  double        *gain, *bias, *encoders;
} SpkPlanEnsemble;

struct _SpkPlan
{
  gatomicrefcount  ref_count;
  double           dt;
  SpkDtype         dtype;
  gint64           seed;
  guint            n_neurons;
  GPtrArray       *signals;     /* SpkPlanSignal */
  GPtrArray       *ops;         /* SpkPlanOp, in execution order */
  GPtrArray       *probes;      /* SpkPlanProbe */
  GPtrArray       *ensembles;   /* SpkPlanEnsemble */
  double          *params;      /* the parameter arena in double */
  gsize            n_params;
  float           *params_f32;  /* the same, converted, when dtype is float32 */
  GHashTable      *named;       /* "<object>/<parameter>" → SpkArray, for sessions */
};

G_END_DECLS
