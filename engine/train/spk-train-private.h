/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-private.h — the trainer's state, shared by the dtype-generic
 * driver (spk-train.c) and the per-dtype forward/backward passes
 * (spk-train-tmpl.h, compiled as spk-train-f32.c and spk-train-f64.c). */
#pragma once

#include "builder/spk-plan-private.h"
#include "core/spk-rng.h"
#include "ops/spk-ops-process.h"
#include "train/spk-train.h"

G_BEGIN_DECLS

/* What a trainable part of the arena is, for writing it back. */
typedef enum
{
  SLOT_WEIGHTS,    /* a connection's weights: the named values themselves */
  SLOT_ENCODERS,   /* gain·e/radius: named encoders = value·radius/gain */
  SLOT_BIAS,
} SlotKind;

/* A trainable range of the arena [off, off + len), element i being
 * element index[i] of the named parameter key. */
typedef struct
{
  gsize     off, len;
  SlotKind  kind;
  char     *key;
  gsize    *index;
  double    radius;      /* ENCODERS */
  guint     d;           /* ENCODERS: dimensions */
} TrainSlot;

/* One minibatch run: which examples, fed from where. */
typedef struct
{
  guint         batch;         /* rows in this run */
  guint         n_steps;
  const guint  *examples;      /* batch example indices */
  const float **inputs;        /* per op: the data replacing its output, or NULL */
  guint        *input_steps;   /* per op: steps of that data (n_steps or 1) */
} TrainRun;

/* A target: the loss gradient is injected into the probe's view. */
typedef struct
{
  const SpkPlanProbe *probe;
  SpkLossKind         loss;
  const float        *data;
  guint               steps;   /* n_steps or 1 (last step) */
  guint               size;    /* probe size, or 1 for sparse CE */
  double              weight;  /* of this loss in the sum trained */
} TrainTarget;

struct _SpkTrainer
{
  gatomicrefcount  ref_count;
  SpkNetwork      *network;
  SpkPlan         *plan;         /* float64, rebuilt from named parameters */
  GHashTable      *named;        /* key → SpkArray: the parameters trained from */
  SpkDtype         dtype;
  gsize            elem;         /* sizeof (REAL) */
  double           lif_sigma;
  SpkOptimizer     opt;
  guint64          t;            /* optimizer steps taken (Adam) */
  GHashTable      *losses;       /* probe label → SpkLossKind + 1 */
  GHashTable      *loss_weights; /* probe label → double * (unset: 1) */

  /* Signals: signal s occupies batch × size values from sig_base[s]·batch. */
  guint            n_signals;
  gsize           *sig_base;
  gsize            row_len;      /* Σ sizes: one batch row of every signal */
  gboolean        *needs_grad;   /* per signal */

  /* The tape: per op item, the offset (per batch row) of what backward
   * needs from the forward pass, or G_MAXSIZE. */
  gsize          **tape_off;     /* [op][item] */
  gsize            tape_row;     /* per batch row and step */
  /* [op][item]: nothing after this product writes its input in a step, so
   * a one-step run reads the input from the arena instead of the tape. */
  gboolean       **src_final;

  /* Parameters, their gradients and two optimizer moments: one layout. */
  gsize            n_params;
  void            *params, *grads, *m1, *m2;
  void            *m3;           /* RMSprop centered's mean gradient, AMSGrad's largest v */
  GArray          *slots;        /* TrainSlot */
  GArray          *state_slots;  /* TrainSlot: values training moves but no optimizer does
                                  * (a BatchNormalization's moving statistics) */
  SpkRng          *layer_rngs;   /* per op: a Dropout layer's masks */
  gsize            n_trainable;

  /* Scratch, sized for alloc_batch rows and alloc_steps steps. */
  guint            alloc_batch, alloc_steps;
  void            *arena, *adjoint, *tape, *scratch;
  gsize            scratch_len;
  gsize            grad_tape_len; /* doubles: loss gradients per step */
  double          *grad_tape;
  double          *ybuf;          /* one probe row */
  SpkProcessState **processes;   /* per op, PROCESS only */
  SpkExprScratch  **expr_scratch; /* per op, EXPR only */

  GArray          *hist_loss, *hist_val;  /* double */
  /* Sparse categorical targets scored since the counters were zeroed, and
   * how many had their class as the largest output (the accuracy metric). */
  guint64          n_correct, n_scored;
};

gboolean _spk_train_alloc          (SpkTrainer     *self,
                                    guint           batch,
                                    guint           n_steps,
                                    GError        **error);

/* Forward over every step of run, filling the tape; then, when targets
 * is not NULL, the loss (sum over targets, each a mean) and, when
 * backward, the gradients (added to self->grads, which the caller zeroes).
 * out, when not NULL, receives per probe p of probes (n_probes)
 * batch × n_steps × size doubles. */
gboolean _spk_train_run_f32        (SpkTrainer        *self,
                                    const TrainRun    *run,
                                    const TrainTarget *targets,
                                    guint              n_targets,
                                    gboolean           backward,
                                    double            *loss,
                                    GError           **error);
gboolean _spk_train_run_f64        (SpkTrainer        *self,
                                    const TrainRun    *run,
                                    const TrainTarget *targets,
                                    guint              n_targets,
                                    gboolean           backward,
                                    double            *loss,
                                    GError           **error);
/* One optimizer update over the trainable slots from self->grads. */
void     _spk_train_update_f32     (SpkTrainer     *self);
void     _spk_train_update_f64     (SpkTrainer     *self);

/* The loss of one (batch row, step) of a target and, when grad is not
 * NULL, its gradient scaled by scale, written into grad (size). */
gboolean _spk_train_loss_row       (SpkLossKind     kind,
                                    const char     *label,
                                    const double   *y,
                                    const float    *t,
                                    guint           size,
                                    double          scale,
                                    double         *grad,
                                    double         *loss,
                                    GError        **error);

/* Shared between the trainer's files (spk-train*.c). */
SpkNetwork *_spk_train_copy_network_f64 (SpkNetwork  *network,
                                         GError     **error);
GHashTable *_spk_train_new_param_table (void);
/* What a layer keeps on the tape per batch row: its own record, then
 * (with_activation) its activated output when it has an activation. */
gsize _spk_train_layer_tape_len (const SpkPlanLayer *L,
                                 gboolean            with_activation);
void _spk_train_slot_clear (gpointer data);
void _spk_train_map_slots (SpkTrainer *self);

G_END_DECLS
