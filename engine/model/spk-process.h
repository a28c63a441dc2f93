/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-process.h — Nengo's processes for Nodes and ensemble noise
 * (WhiteSignal, WhiteNoise, FilteredNoise, BrownNoise, PresentInput,
 * Piecewise) as an immutable, reference-counted value.
 * The running state of a process is in ops/spk-ops-process.h.
 */
#pragma once

#include <glib-object.h>

#include "core/spk-array.h"
#include "model/spk-distribution.h"
#include "model/spk-synapse.h"

G_BEGIN_DECLS

#define SPK_TYPE_PROCESS (spk_process_get_type ())

typedef enum
{
  SPK_PROCESS_WHITE_SIGNAL,   /* period, high, rms (defaults rms 0.5; period, high required) */
  SPK_PROCESS_WHITE_NOISE,    /* dist (default Gaussian(0, 1)), scale (TRUE) */
  SPK_PROCESS_PRESENT_INPUT,  /* inputs (rows = items), presentation_time */
  SPK_PROCESS_PIECEWISE,      /* times (rank 1), values (rows = vectors, one per time), interpolation */
  SPK_PROCESS_FILTERED_NOISE, /* synapse (Lowpass(0.005)), dist (Gaussian(0, 1)), scale (TRUE) */
  SPK_PROCESS_BROWN_NOISE,    /* dist (Gaussian(0, 1)), scale (TRUE): white noise integrated */
  SPK_PROCESS_N_KINDS
} SpkProcessKind;

/* Piecewise's interpolation between its keys, as Nengo's (scipy's
 * interp1d for all but "zero"). */
typedef enum
{
  SPK_INTERPOLATION_ZERO,
  SPK_INTERPOLATION_LINEAR,
  SPK_INTERPOLATION_NEAREST,
  SPK_INTERPOLATION_SLINEAR,
  SPK_INTERPOLATION_QUADRATIC,
  SPK_INTERPOLATION_CUBIC,
  SPK_INTERPOLATION_N_KINDS
} SpkInterpolation;

typedef struct
{
  SpkProcessKind   kind;
  double           period;
  double           high;
  double           rms;
  SpkDistribution *dist;
  gboolean         scale;
  SpkArray        *inputs;
  double           presentation_time;
  SpkArray        *times;
  SpkArray        *values;
  gint64           seed;      /* -1: derived from the Node's seed */
  double           y0;        /* WhiteSignal: start each dimension at the sample
                               * closest to y0; NAN (the default) = no shift */
  /* PresentInput over the images of a data set instead of inputs (the
   * builder loads them, see io/spk-image-set.h): */
  char            *dataset;       /* NULL: inputs; "fashion-mnist", "generated-images" */
  gboolean         dataset_train; /* the training split; FALSE (default): the test split */
  guint            dataset_first; /* the first image (0) */
  guint            dataset_count; /* how many images (100) */
  SpkInterpolation interpolation; /* Piecewise: zero (default) */
  SpkSynapse      *synapse;       /* FilteredNoise: the filter (Lowpass(0.005)) */
} SpkProcess;

/* The most images a data-set input presents (Fashion-MNIST's test split). */
#define SPK_PROCESS_DATASET_MAX_COUNT 10000
/* Each image of a data set has this many pixels (28 × 28). */
#define SPK_PROCESS_DATASET_IMAGE_SIZE 784

GType       spk_process_get_type       (void) G_GNUC_CONST;

/* The data sets a PresentInput may present, ending with NULL. */
const char *const *spk_process_dataset_names (void);

/* A process with Nengo's defaults (WhiteSignal: period 10, high 5, rms 0.5,
 * no y0; WhiteNoise: Gaussian(0, 1), scaled).  Parameters Nengo requires
 * start out unset (inputs, times, values: NULL) or, for PresentInput's
 * presentation_time, at 0.1 s. */
SpkProcess *spk_process_new            (SpkProcessKind    kind) G_GNUC_WARN_UNUSED_RESULT;
SpkProcess *spk_process_copy           (const SpkProcess *self) G_GNUC_WARN_UNUSED_RESULT;
SpkProcess *spk_process_ref            (SpkProcess       *self);
void        spk_process_unref          (SpkProcess       *self);
gboolean    spk_process_equal          (const SpkProcess *a,
                                        const SpkProcess *b);
const char *spk_process_kind_to_name   (SpkProcessKind    kind);
const char *spk_interpolation_to_name  (SpkInterpolation  kind);
gboolean    spk_interpolation_from_name (const char      *name,
                                         SpkInterpolation *kind);
gboolean    spk_process_kind_from_name (const char       *name,
                                        SpkProcessKind   *kind);
/* The natural output size: 1 for the noises, the row length of inputs
 * or values for the others. */
guint       spk_process_default_size_out (const SpkProcess *self);
/* Checks every parameter against Nengo's rules and that size_out fits;
 * the message names the process kind and the parameter.  The Nyquist
 * limit on WhiteSignal's high needs dt and is checked by
 * spk_process_state_new(). */
gboolean    spk_process_validate       (const SpkProcess *self,
                                        guint             size_out,
                                        GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkProcess, spk_process_unref)

G_END_DECLS
