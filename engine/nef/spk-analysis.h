/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-analysis.h — what a built plan says about its ensembles and decoded
 * connections, computed without running it: tuning curves, the decoded
 * function of a connection against its target, the error per output, and
 * a recorded signal through a synapse.  The workbench's tuning and
 * decoded-function plots, `spikeworks-cli tuning` and `decoded` draw or
 * print these.
 *
 * Sweeps run along an ensemble's first dimension from −radius to +radius
 * (x_i = −r + 2r·i/(n − 1)), the other dimensions held at 0.
 */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "model/spk-connection.h"
#include "ops/spk-ops-synapse.h"

G_BEGIN_DECLS

/* Rates (n_points × n_neurons) of an ensemble (by its key) for inputs x
 * (n_points × dimensions) in the ensemble's own units: the neuron type's
 * rate function of gain·(e·x)/radius + bias.  Fails, naming the label,
 * when there is no such ensemble. */
gboolean spk_analysis_tuning_curves   (const SpkPlan  *plan,
                                       const char     *ensemble,
                                       const double   *x,
                                       gsize           n_points,
                                       double         *rates,
                                       GError        **error);

/* The sweep points: n_points values from −radius to +radius; and, when x
 * is not NULL, the same along the first of d dimensions (n_points × d,
 * the others 0). */
void     spk_analysis_sweep           (double          radius,
                                       guint           n_points,
                                       guint           d,
                                       double         *sweep,
                                       double         *x);

/* Tuning curves along the first dimension. */
typedef struct
{
  guint   n_points, n_neurons;
  double *x;          /* n_points: the sweep */
  double *rates;      /* n_points × n_neurons, Hz */
} SpkTuningCurves;

SpkTuningCurves *spk_analysis_tuning  (const SpkPlan  *plan,
                                       const char     *ensemble,
                                       guint           n_points,
                                       GError        **error) G_GNUC_WARN_UNUSED_RESULT;
void     spk_tuning_curves_free       (SpkTuningCurves *self);

/* A decoded connection's function along its pre's first dimension: what
 * its weights decode from the pre's rates, against the target
 * transform·f(x slice), and the RMSE per output over the sweep. */
typedef struct
{
  guint   n_points, n_dims;
  double *x;          /* n_points: the sweep of the pre's first dimension */
  double *decoded;    /* n_points × n_dims: W·rates(x) */
  double *target;     /* n_points × n_dims, or NULL when the transform is
                       * sampled (or into neurons) and so not known */
  double *rmse;       /* n_dims: decoded against target; NaN without target */
  double *solve_rmse; /* n_dims: the solve's own error at its evaluation
                       * points (spk_plan_get_decode_rmse()), or NULL */
} SpkDecodedFunction;

/* key is the connection's key in the plan (spk_network_dup_keys()).
 * Fails, naming the connection, when it is not decoded from an ensemble
 * of this plan. */
SpkDecodedFunction *spk_analysis_decoded_function (const SpkPlan  *plan,
                                                   SpkConnection  *connection,
                                                   const char     *key,
                                                   guint           n_points,
                                                   GError        **error) G_GNUC_WARN_UNUSED_RESULT;
void     spk_decoded_function_free    (SpkDecodedFunction *self);

/* The target transform·f(xs) (n_points × n_out) of a connection at xs
 * (n_points × n_pre, the function's input after the pre slice).  FALSE
 * when it is not known here: a sampled transform, a connection into
 * neurons, a function that does not compile or shapes that do not match
 * (a stale plan). */
gboolean spk_analysis_connection_target (SpkConnection *connection,
                                         const double  *xs,
                                         guint          n_points,
                                         guint          n_pre,
                                         guint          n_out,
                                         double        *target);

/* Root mean square of a − b over n_points rows, per column (n_cols). */
void     spk_analysis_rmse            (const double   *a,
                                       const double   *b,
                                       guint           n_points,
                                       guint           n_cols,
                                       double         *rmse);

/* A Lowpass(tau) discretised at dt exactly as the simulator's synapses are
 * (tau ≤ 0 or dt ≤ 0: the identity). */
gboolean spk_analysis_lowpass         (double              tau,
                                       double              dt,
                                       SpkDiscreteFilter  *filter,
                                       GError            **error);
/* n_rows rows of width channels (row-major floats) through filter, into
 * out; state (filter->order × width doubles, zeros at the start) carries
 * from one call to the next, so a recording can be filtered as it grows. */
void     spk_analysis_filter_rows     (const SpkDiscreteFilter *filter,
                                       const float             *in,
                                       float                   *out,
                                       gsize                    n_rows,
                                       guint                    width,
                                       double                  *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkTuningCurves, spk_tuning_curves_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkDecodedFunction, spk_decoded_function_free)

G_END_DECLS
