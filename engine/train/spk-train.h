/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train.h — training a built network end to end by gradient descent,
 * as NengoDL does: fit, evaluate, losses, optimizers and data sets.
 *
 * A trainer holds a copy of a plan's parameter arena (in float32 or
 * float64), runs the plan's operators itself over a minibatch of examples
 * with every spiking neuron replaced by its rate equivalent, and
 * backpropagates through the steps of an example (docs/training.md).
 * The trained parameters go back into a plan through
 * spk_build_with_params(), so the spiking network runs with them and a
 * session saves them.  A trainer is used from one thread at a time.
 */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "io/spk-session.h"
#include "model/spk-network.h"

G_BEGIN_DECLS

#define SPK_TRAIN_ERROR (spk_train_error_quark ())

typedef enum
{
  SPK_TRAIN_ERROR_UNSUPPORTED,  /* an operator or neuron type training cannot go through */
  SPK_TRAIN_ERROR_DATA,         /* inputs or targets that do not fit the network */
  SPK_TRAIN_ERROR_OPTIONS,      /* a bad option value */
  SPK_TRAIN_ERROR_NOT_FINITE,   /* the loss or a parameter became NaN or infinite */
  SPK_TRAIN_ERROR_CANCELLED,
  SPK_TRAIN_ERROR_NO_MEMORY,
} SpkTrainError;

GQuark spk_train_error_quark (void);

typedef enum
{
  SPK_LOSS_MSE,          /* mean of (y − t)² over steps, batch and values */
  SPK_LOSS_SPARSE_CE,    /* sparse categorical cross-entropy from logits; t holds class indices */
  SPK_LOSS_SPARSE_CE_PROBS, /* the same from probabilities (Keras's from_logits=False): y clipped
                             * to [1e-7, 1 − 1e-7], −log(y[c] / Σ y) */
} SpkLossKind;

/* Whether a loss's targets are class indices (one value per step). */
#define SPK_LOSS_IS_SPARSE(kind) ((kind) == SPK_LOSS_SPARSE_CE || (kind) == SPK_LOSS_SPARSE_CE_PROBS)

const char *spk_loss_kind_to_name   (SpkLossKind  kind);
gboolean    spk_loss_kind_from_name (const char  *name,
                                     SpkLossKind *kind);

typedef enum
{
  SPK_OPTIMIZER_SGD,
  SPK_OPTIMIZER_ADAM,
  SPK_OPTIMIZER_RMSPROP,
} SpkOptimizerKind;

/* An optimizer and its hyperparameters, Keras's meaning and defaults. */
typedef struct
{
  SpkOptimizerKind kind;
  double   learning_rate;  /* SGD 0.01, Adam 0.001, RMSprop 0.001 */
  double   momentum;       /* SGD and RMSprop: 0 */
  gboolean nesterov;       /* SGD: FALSE */
  double   beta1, beta2;   /* Adam: 0.9, 0.999 */
  gboolean amsgrad;        /* Adam: FALSE */
  double   rho;            /* RMSprop: 0.9 */
  gboolean centered;       /* RMSprop: FALSE */
  double   epsilon;        /* Adam and RMSprop: 1e-7 */
} SpkOptimizer;

/* Fills opt with kind's Keras defaults. */
void        spk_optimizer_init      (SpkOptimizer     *opt,
                                     SpkOptimizerKind  kind);
gboolean    spk_optimizer_kind_from_name (const char       *name,
                                          SpkOptimizerKind *kind);

/* A data set: named float arrays over the same examples, each
 * n_examples × steps × size with steps either the data set's n_steps or 1.
 * Inputs are named by source Node label (one step: held for every step);
 * targets by probe label (one step: the loss looks at the last step only).
 * Arrays are shared GBytes, so one array can be both an input and a target. */
typedef struct _SpkDataset SpkDataset;

SpkDataset *spk_dataset_new            (guint        n_examples,
                                        guint        n_steps) G_GNUC_WARN_UNUSED_RESULT;
SpkDataset *spk_dataset_ref            (SpkDataset  *self);
void        spk_dataset_unref          (SpkDataset  *self);
guint       spk_dataset_get_n_examples (SpkDataset  *self);
guint       spk_dataset_get_n_steps    (SpkDataset  *self);
/* values: n_examples × steps × size floats (a reference is taken).  Fails
 * naming the array when its byte count does not match or name is taken. */
gboolean    spk_dataset_add            (SpkDataset  *self,
                                        const char  *name,
                                        GBytes      *values,
                                        guint        steps,
                                        guint        size,
                                        GError     **error);
/* (transfer none) (nullable): the array of name, its steps and size. */
const float *spk_dataset_get           (SpkDataset  *self,
                                        const char  *name,
                                        guint       *steps,
                                        guint       *size);
/* (transfer full): the names, in the order they were added. */
GStrv       spk_dataset_list           (SpkDataset  *self);

typedef struct
{
  guint    epoch, n_epochs;     /* 1-based */
  guint    batch, n_batches;    /* 1-based; batch == n_batches at epoch end */
  double   loss;                /* mean of this epoch's batch losses so far */
  double   val_loss;            /* NaN unless the epoch ended with validation */
  double   seconds;             /* of this epoch so far, training only */
  gboolean epoch_done;
  double   accuracy;            /* of this epoch so far; NaN without a sparse CE target */
  double   val_accuracy;        /* NaN unless the epoch ended with validation of one */
} SpkFitProgress;

/* Return FALSE to cancel: fit stops with SPK_TRAIN_ERROR_CANCELLED,
 * keeping the parameters of the last completed minibatch. */
typedef gboolean (*SpkFitProgressFunc) (const SpkFitProgress *progress,
                                        gpointer              user_data);

typedef struct
{
  guint               epochs;        /* 1 */
  guint               batch_size;    /* 32, as Keras */
  gboolean            shuffle;       /* TRUE */
  guint64             seed;          /* of the shuffling; 0 */
  SpkDataset         *val_inputs;    /* (nullable) */
  SpkDataset         *val_targets;   /* (nullable) */
  SpkFitProgressFunc  progress;      /* (nullable): after every minibatch and epoch */
  gpointer            user_data;
  /* OpenBLAS threads during fit (0: as they are).  The count is
   * process-wide: fit sets it and restores it on return. */
  guint               blas_threads;
} SpkFitOptions;

void        spk_fit_options_init   (SpkFitOptions *options);

typedef struct _SpkTrainer SpkTrainer;

/* A trainer of network, starting from plan's parameters (NULL: builds
 * the network).  dtype is the precision training runs in.  Fails naming
 * the operator when the plan holds something training cannot go through
 * (an adaptive or Izhikevich neuron, a probe that samples less than every
 * step). */
SpkTrainer *spk_trainer_new        (SpkNetwork    *network,
                                    SpkPlan       *plan,
                                    SpkDtype       dtype,
                                    GError       **error) G_GNUC_WARN_UNUSED_RESULT;
SpkTrainer *spk_trainer_ref        (SpkTrainer    *self);
void        spk_trainer_unref      (SpkTrainer    *self);

void        spk_trainer_set_optimizer (SpkTrainer         *self,
                                       const SpkOptimizer *optimizer);
/* The loss of a probe's target (MSE unless set). */
gboolean    spk_trainer_set_loss   (SpkTrainer    *self,
                                    const char    *probe_label,
                                    SpkLossKind    kind,
                                    GError       **error);
/* The weight of a probe's loss in the loss trained (Keras's
 * loss_weights; 1 unless set). */
gboolean    spk_trainer_set_loss_weight (SpkTrainer *self,
                                         const char *probe_label,
                                         double      weight,
                                         GError    **error);
/* sigma of the SoftLIF curve whose derivative LIF neurons train with
 * (NengoDL's lif_smoothing); 0 uses LIFRate's own derivative.  Default 1. */
void        spk_trainer_set_lif_smoothing (SpkTrainer *self,
                                           double      sigma);
/* The number of trainable values: connection weights, encoders (gain and
 * radius folded in), biases. */
gsize       spk_trainer_get_n_trainable (SpkTrainer *self);

gboolean    spk_trainer_fit        (SpkTrainer          *self,
                                    SpkDataset          *inputs,
                                    SpkDataset          *targets,
                                    const SpkFitOptions *options,
                                    GError             **error);
/* The accuracy of the last fit epoch or evaluation: the share of sparse
 * categorical targets whose class was the largest output; NaN if none. */
double      spk_trainer_get_accuracy (SpkTrainer  *self);
/* The mean loss over the examples, the training forward pass (rates). */
gboolean    spk_trainer_evaluate   (SpkTrainer    *self,
                                    SpkDataset    *inputs,
                                    SpkDataset    *targets,
                                    guint          batch_size,
                                    double        *loss,
                                    GError       **error);
/* The history of the fits so far: n epochs of loss (and val_loss, NaN
 * where there was no validation).  (transfer none) */
guint       spk_trainer_get_history (SpkTrainer    *self,
                                     const double **loss,
                                     const double **val_loss);

/* The trained parameters as named built parameters (spk_plan_list_params()
 * keys, (transfer full), key → SpkArray), and a plan built from them for
 * the network's own dtype: the spiking network with the trained values. */
GHashTable *spk_trainer_dup_params (SpkTrainer    *self);
SpkPlan    *spk_trainer_build_plan (SpkTrainer    *self,
                                    GError       **error) G_GNUC_WARN_UNUSED_RESULT;
/* Puts the trained plan and the history into session. */
gboolean    spk_trainer_save_to_session (SpkTrainer  *self,
                                         SpkSession  *session,
                                         GError     **error);

/* One training step's loss and gradient for a fixed minibatch (the first
 * n examples), without updating: for gradient checks.  grad receives
 * spk_trainer_get_n_trainable() values in the order of
 * spk_trainer_get_trainable(); either may be NULL. */
gboolean    spk_trainer_loss_and_grad (SpkTrainer *self,
                                       SpkDataset *inputs,
                                       SpkDataset *targets,
                                       double     *loss,
                                       double     *grad,
                                       GError    **error);
/* Copies the trainable values out (n_trainable) or in. */
void        spk_trainer_get_trainable (SpkTrainer   *self,
                                       double       *values);
void        spk_trainer_set_trainable (SpkTrainer   *self,
                                       const double *values);

/* The index of the largest of n values (the first of equal ones): the
 * class a sparse categorical output names, for the accuracy metric. */
guint       spk_loss_argmax        (const double  *values,
                                    guint          n);

/* Mean loss of predictions y against targets t, as the trainer computes
 * it: y is n × steps × size, t n × t_steps × (size, or 1 for sparse CE)
 * with t_steps steps or 1 (last step only).  Fails naming label for a
 * class index out of range. */
gboolean    spk_loss_compute       (SpkLossKind    kind,
                                    const char    *label,
                                    const double  *y,
                                    const float   *t,
                                    guint          n,
                                    guint          steps,
                                    guint          t_steps,
                                    guint          size,
                                    double        *loss,
                                    GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkDataset, spk_dataset_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkTrainer, spk_trainer_unref)

G_END_DECLS
