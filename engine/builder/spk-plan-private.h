/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plan-private.h — the layout of a plan, shared by the builder and the
 * simulator and nobody else.
 *
 * Signals are views into one arena per simulator: signal s occupies
 * batch × size elements from offset, row b at offset + b·size.  Parameters
 * (weights, biases, encoders) live once in the plan's parameter arena, in
 * the plan's dtype.  Operators are stored in execution order.
 */
#pragma once

#include "builder/spk-plan.h"
#include "expr/spk-expr.h"
#include "model/spk-layer.h"
#include "model/spk-neuron-type.h"
#include "model/spk-process.h"
#include "ops/spk-ops-synapse.h"
#include "ops/spk-ops-layer.h"

G_BEGIN_DECLS

#define SPK_OP_MAX_STATES 8

typedef enum
{
  SPK_OP_RESET,        /* dst = 0 */
  SPK_OP_SET_PARAM,    /* dst row = params[param … param+len) for every row */
  SPK_OP_COPY,         /* dst[dst_index] (+)= src[src_index] */
  SPK_OP_DOT_INC,      /* dst += W·src, W rows × cols at params[param] */
  SPK_OP_ELEM_INC,     /* dst += w ⊙ src, w a scalar or len-vector at params[param] */
  SPK_OP_NEURONS,      /* out (dst) from J (src); updates states */
  SPK_OP_FILTER,       /* dst = filter(src); updates states */
  SPK_OP_EXPR,         /* dst = f(t, src) */
  SPK_OP_PROCESS,      /* dst = process(step) */
  SPK_OP_CONST,        /* dst row = params (a constant Node output, kept as an op so inputs can replace it) */
  SPK_OP_LAYER,        /* dst = layer(src), one item; op->layer says how */
  SPK_OP_DOT_INC_SIGNAL, /* dst += W·src, W (rows × cols) the signal view states[0]: learned weights */
  SPK_OP_PES,          /* dst (rows × cols) = outer(scale·states[0], src): Nengo's SimPES delta */
  SPK_OP_BCM,          /* dst = Nengo's SimBCM delta; src pre, states[0] post, states[1] theta */
  SPK_OP_OJA,          /* dst = Nengo's SimOja delta; src pre, states[0] post, states[1] the weights */
  SPK_OP_VOJA,         /* dst = Nengo's SimVoja delta; src the connection's output, states[0] post,
                        * states[1] the scaled encoders, states[2] the learning signal; params: gain/radius */
  SPK_OP_RLS,          /* dst = Nengo's SimRLS delta; src pre, states[0] error; updates states[1] P
                        * and states[2] (P·r, scratch) */
  SPK_OP_CALLBACK,     /* dst = f(t, src) for the whole batch, f a function the simulator was given
                        * for op->callback (spk_simulator_set_callback): a Node computed outside */
  SPK_OP_N_KINDS
} SpkOpKind;

typedef struct
{
  char    *name;        /* "ensemble 'b' neuron input current", for messages */
  guint    size;        /* values per batch row */
  double  *init;        /* initial value of one row, or NULL for zeros */
} SpkPlanSignal;

/* A contiguous part of every row of a signal: values [off, off + len) of
 * each batch row.  Ensembles of one neuron type share signals (so one
 * kernel call updates them all); each ensemble sees its part as a view. */
typedef struct
{
  int   sig;          /* -1: none */
  guint off;
  guint len;
} SpkView;

typedef struct
{
  SpkView   dst;
  SpkView   src;
  gsize     param;          /* offset into the parameter arena */
  guint     rows, cols;     /* DOT_INC */
  gboolean  transposed;     /* DOT_INC: W stored cols × rows (tall-skinny W) */
  gboolean  scalar;         /* ELEM_INC: one weight for all */
  gboolean  inc;            /* COPY: += instead of = */
  guint    *src_index;      /* COPY gather, relative to src (NULL: contiguous) */
  guint    *dst_index;      /* COPY scatter, relative to dst (NULL: contiguous) */
  guint     n_index;        /* COPY: values per row moved */
  SpkView   states[SPK_OP_MAX_STATES];  /* NEURONS, FILTER; DOT_INC_SIGNAL: W; PES: the error */
  double    scale;          /* PES: −learning_rate·dt/n_pre; BCM, Oja: learning_rate·dt */
  double    beta;           /* OJA */
  gboolean  set_mode;       /* FILTER: Nengo's mode="set" (a learning rule's filter): readers
                             * see this step's output; otherwise an update, read next step */
} SpkOpItem;

/* What a connection's structured transform runs as (SPK_OP_LAYER ops
 * the builder makes for it, spk-builder-transform.c): a Convolution is a
 * CONV2D without bias; a ConvolutionTranspose the transpose of the CONV2D
 * its window describes (dst, the window's input shape, = Kᵀ-product of
 * src, the window's output shape); a Sparse transform dst = S·src with
 * its nnz values at `weights` (type is DENSE, units 0: no kernel). */
typedef enum
{
  SPK_PLAN_TRANSFORM_NONE,
  SPK_PLAN_TRANSFORM_CONV,
  SPK_PLAN_TRANSFORM_CONV_TRANSPOSE,
  SPK_PLAN_TRANSFORM_SPARSE,
} SpkPlanTransform;

/* A built Layer (SPK_OP_LAYER): its shape and where its parameters sit
 * in the arena (G_MAXSIZE: none).  Weights are stored as named, Keras's
 * layout: Dense n_in × units, Conv2D kh × kw × c × filters. */
typedef struct
{
  SpkLayerType   type;
  SpkPlanTransform transform;  /* NONE for a model Layer */
  guint         *sparse_rows;  /* SPARSE: nnz row (dst) and column (src) indices */
  guint         *sparse_cols;
  gsize          nnz;
  SpkLayerWindow win;          /* CONV2D, AVERAGE_POOLING2D */
  guint          n_in, n_out;  /* values per batch row */
  guint          units;        /* DENSE: units; CONV2D: filters */
  guint          channels;     /* BATCH_NORMALIZATION: values normalised together per row */
  guint          inner;        /* BATCH_NORMALIZATION: values after the normalised axis (1: it is the last) */
  gsize          weights, bias, gamma, beta, moving_mean, moving_var;
  double         rate, momentum, epsilon;
  guint64        seed;         /* DROPOUT */
  SpkActivation  activation;   /* DENSE, CONV2D: applied to the output in place */
} SpkPlanLayer;

/* A Conv2D's patches per batch row: out_h·out_w × kh·kw·c values. */
static inline gsize
spk_plan_layer_patches_len (const SpkPlanLayer *L)
{
  return (gsize) L->win.out_h * L->win.out_w * L->win.kh * L->win.kw * L->win.c;
}

/* An operator: one kind of work over one or more items.  The builder
 * merges runs of same-kind operators into one, so a step is a handful of
 * operators each looping over its items. */
typedef struct
{
  SpkOpKind          kind;
  GArray            *items;        /* SpkOpItem, run in order */
  SpkNeuronType     *neuron_type;  /* NEURONS */
  guint              n_states;     /* NEURONS, FILTER */
  SpkDiscreteFilter  filter;       /* FILTER: shared by every item */
  SpkExpr           *expr;         /* EXPR */
  SpkProcess        *process;      /* PROCESS */
  guint64            seed;         /* PROCESS, NEURONS (Poisson) */
  SpkPlanLayer      *layer;        /* LAYER */
  SpkObject         *node;         /* CONST, EXPR, PROCESS of a source Node (a reference): what an input replaces */
  char              *callback;     /* CALLBACK: the Node's key, which its function is set under */
  char              *owner;        /* "node 'x'", for messages */
} SpkPlanOp;

static inline SpkOpItem *
spk_plan_op_item (const SpkPlanOp *op,
                  guint            i)
{
  return &g_array_index (op->items, SpkOpItem, i);
}

/* A name for a part of a shared signal, for messages. */
typedef struct
{
  SpkView  view;
  char    *name;
} SpkNamedView;

typedef struct
{
  char       *label;
  SpkProbe   *probe;            /* not owned */
  SpkView     view;
  guint      *index;            /* relative to view; NULL: the whole view */
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
  GArray          *named_views; /* SpkNamedView: parts of shared signals */
  GPtrArray       *ops;         /* SpkPlanOp, in execution order */
  GPtrArray       *probes;      /* SpkPlanProbe */
  GPtrArray       *ensembles;   /* SpkPlanEnsemble */
  double          *params;      /* the parameter arena, float64 plans */
  gsize            n_params;
  float           *params_f32;  /* the parameter arena, float32 plans */
  GHashTable      *named;       /* "<object>/<parameter>" → SpkArray, for sessions */
  GHashTable      *param_objects; /* the same keys → the SpkObject each came from (a reference) */
  GHashTable      *learned;     /* "<connection>/weights" → SpkView: weights a learning rule
                                 * changes, in their signal; NULL when nothing learns;
                                 * also "<ensemble>/encoders" that Voja changes */
  GHashTable      *learned_scale; /* "<ensemble>/encoders" → double[n]: the row scale
                                   * (gain/radius) the learned signal holds, divided out on save */
  GHashTable      *decode_rmse; /* "<connection>" → SpkArray (k): the solve's RMSE per
                                 * function output; NULL until a decoded connection is solved */
  GArray          *param_slots; /* SpkPlanParamSlot, in arena order; key and row_index owned */
};

/* The built ensemble labelled label, or NULL. */
const SpkPlanEnsemble *_spk_plan_find_ensemble (const SpkPlan *self,
                                                const char    *label);

G_END_DECLS
