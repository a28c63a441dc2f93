/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-data.h — the data sets training knows by name, assembled for
 * a built network: the examples feed the Node labelled `input` and are
 * compared with a probe.  The command line (`spikeworks-cli fit --data`)
 * and the workbench's training panel share this one implementation.
 *
 *   fashion-mnist   Debian's dataset-fashion-mnist: the image (784 raw
 *                   pixel values, 0–255) is held for every step; the probe
 *                   is compared with the image (mse) or the label
 *                   (sparse-ce) at the last step.
 *   generated-images  Generated stand-ins for Fashion-MNIST, 28 × 28 images
 *                   of ten classes (io/spk-image-set.h), used the same way.
 *   noise-lowpass   Generated, nothing to install: a smooth random signal
 *                   (a new level every 20 ms, through a 10 ms lowpass), and
 *                   as target that signal through a 30 ms lowpass — a
 *                   delayed, smoothed copy that a channel of synapses can
 *                   learn.  mse only.
 *   noise-integral  The same input; the target is its running integral
 *                   (∫ u dt), the integrator's task.  mse only.
 *
 * Generated sets draw from seed: the training split and the test split
 * use different streams, so validation sees new signals.
 */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "train/spk-train.h"

G_BEGIN_DECLS

typedef enum
{
  SPK_TRAIN_SPLIT_TRAIN,  /* Fashion-MNIST's 60000 "train" images */
  SPK_TRAIN_SPLIT_TEST,   /* Fashion-MNIST's 10000 "t10k" images */
} SpkTrainSplit;

typedef struct
{
  const char *name;         /* "fashion-mnist", … */
  const char *title;        /* N_(): translate with _() */
  const char *description;  /* N_() */
  gboolean    generated;    /* needs no files */
  gboolean    classes;      /* has labels for sparse-ce */
} SpkTrainDataInfo;

/* (transfer none): the data sets, ending with one whose name is NULL. */
const SpkTrainDataInfo *spk_train_data_list (void);
/* (transfer none) (nullable) */
const SpkTrainDataInfo *spk_train_data_lookup (const char *name);

typedef struct
{
  const char  *name;      /* a data set of spk_train_data_list () */
  const char  *data_dir;  /* (nullable) Fashion-MNIST's files; NULL: the Debian package's */
  const char  *input;     /* (nullable) the Node fed; NULL: "input" */
  const char  *probe;     /* (nullable) the probe compared; NULL: the plan's first */
  SpkLossKind  loss;      /* MSE */
  guint        steps;     /* 0: the data set's own (images 1, noise 200) */
  guint        n_max;     /* 0: the whole split (generated images: 2000 train, 500 test;
                           * noise: 128 train, 32 test) */
  guint64      seed;      /* of the generated signals; 0 */
} SpkTrainDataOptions;

void        spk_train_data_options_init (SpkTrainDataOptions *options);

/* The examples of split for plan: inputs named by the input Node, targets
 * by the probe (ready for spk_trainer_fit () and spk_trainer_set_loss ()).
 * Fails with a message that says what to change: an unknown data set,
 * missing files (naming the package), no such probe, a loss the data set
 * cannot give, a probe whose size does not fit the targets. */
gboolean    spk_train_data_load         (const SpkTrainDataOptions *options,
                                         SpkPlan                   *plan,
                                         SpkTrainSplit              split,
                                         SpkDataset               **inputs,
                                         SpkDataset               **targets,
                                         GError                   **error);

G_END_DECLS
