/* spk-plan.h — what the builder makes of a network, and the simulator runs.
 *
 * A plan is immutable once built and may be shared by any number of
 * simulators (each has its own signal memory).  Public API: the builder
 * entry point, reference counting, and read-only queries the CLI and UI
 * need (probes, built ensemble parameters, decode errors).
 */
#pragma once

#include <glib.h>

#include "model/spk-network.h"

G_BEGIN_DECLS

typedef struct _SpkPlan SpkPlan;

/* Builds network into a plan: samples every distribution from the seeds,
 * computes gain and bias, solves the decoders of every decoded connection
 * and orders the operators of a step.  Fails, naming the object, on any
 * invalid model. */
SpkPlan      *spk_build                 (SpkNetwork    *network,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;
SpkPlan      *spk_plan_ref              (SpkPlan       *self);
void          spk_plan_unref            (SpkPlan       *self);

double        spk_plan_get_dt           (const SpkPlan *self);
SpkDtype      spk_plan_get_dtype        (const SpkPlan *self);
gint64        spk_plan_get_seed         (const SpkPlan *self);
guint         spk_plan_get_n_neurons    (const SpkPlan *self);
guint         spk_plan_get_n_ops        (const SpkPlan *self);

guint         spk_plan_get_n_probes     (const SpkPlan *self);
/* The probe's label (or "probe<i>" for an unlabelled one) and width. */
const char   *spk_plan_get_probe_label  (const SpkPlan *self,
                                         guint          probe);
guint         spk_plan_get_probe_size   (const SpkPlan *self,
                                         guint          probe);
int           spk_plan_find_probe       (const SpkPlan *self,
                                         const char    *label);

/* The built parameters of an ensemble (n_neurons, dimensions; encoders are
 * n × d unit vectors as sampled, before gain/radius scaling).  FALSE if
 * label names no ensemble. */
gboolean      spk_plan_get_ensemble     (const SpkPlan  *self,
                                         const char     *label,
                                         guint          *n_neurons,
                                         guint          *dimensions,
                                         double         *radius,
                                         const double  **gain,
                                         const double  **bias,
                                         const double  **encoders);
/* Tuning curves of an ensemble: rates (n_points × n_neurons) for inputs x
 * (n_points × dimensions) in the ensemble's own units. */
gboolean      spk_plan_tuning_curves    (const SpkPlan  *self,
                                         const char     *label,
                                         const double   *x,
                                         gsize           n_points,
                                         double         *rates,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkPlan, spk_plan_unref)

G_END_DECLS
