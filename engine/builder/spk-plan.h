/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plan.h — what the builder makes of a network, and the simulator runs.
 *
 * A plan is immutable once built and may be shared by any number of
 * simulators (each has its own signal memory).  Public API: the builder
 * entry point, reference counting, and read-only queries the CLI and UI
 * need (probes, built ensemble parameters, decode errors).
 */
#pragma once

#include <gio/gio.h>

#include "model/spk-network.h"

G_BEGIN_DECLS

typedef struct _SpkPlan SpkPlan;

/* Builds network into a plan: samples every distribution from the seeds,
 * computes gain and bias, solves the decoders of every decoded connection
 * and orders the operators of a step.  Fails, naming the object, on any
 * invalid model. */
SpkPlan      *spk_build                 (SpkNetwork    *network,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same, taking built parameters from params (key → SpkArray, see
 * spk_plan_list_params()) instead of sampling and solving them: how a
 * saved or trained session is rebuilt exactly.  A parameter of the wrong
 * shape fails, naming it. */
SpkPlan      *spk_build_with_params     (SpkNetwork    *network,
                                         GHashTable    *params,
                                         GError       **error) G_GNUC_WARN_UNUSED_RESULT;
/* Called by a build, in its thread, with the fraction of its decoder
 * solves done (0–1): after each solve, and within a big one (blocked,
 * nef/spk-solver-blocked.h) every block and every panel. */
typedef void (*SpkBuildProgressFunc) (double   fraction,
                                      gpointer user_data);
/* spk_build_with_params() (params may be NULL) that reports progress and
 * stops when cancellable is cancelled: between solves, and inside a big
 * solve between its blocks and panels (within a fraction of a second),
 * failing with G_IO_ERROR_CANCELLED.  Either may be NULL. */
SpkPlan      *spk_build_full            (SpkNetwork          *network,
                                         GHashTable          *params,
                                         GCancellable        *cancellable,
                                         SpkBuildProgressFunc progress,
                                         gpointer             progress_data,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* spk_build_with_params () in which the Nodes whose keys are in external
 * (NULL-terminated) are computed outside the engine: each is an operator
 * between its input (size_in values, summed as for any Node) and its
 * output, ordered as an expression of (t, x) is, that calls the function
 * a simulator was given for it (spk_simulator_set_callback ()) once per
 * step with the whole batch.  Such a Node has a constant output, which
 * only gives its size (its values are not used).  How Python code runs in
 * the engine's batched build (NengoDL's predict); such a plan cannot be
 * trained and a simulator without the function fails its first step. */
SpkPlan      *spk_build_external        (SpkNetwork         *network,
                                         GHashTable         *params,
                                         const char *const  *external,
                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
SpkPlan      *spk_plan_ref              (SpkPlan       *self);
void          spk_plan_unref            (SpkPlan       *self);

double        spk_plan_get_dt           (const SpkPlan *self);
SpkDtype      spk_plan_get_dtype        (const SpkPlan *self);
gint64        spk_plan_get_seed         (const SpkPlan *self);
guint         spk_plan_get_n_neurons    (const SpkPlan *self);
guint         spk_plan_get_n_ops        (const SpkPlan *self);
guint         spk_plan_get_n_probes     (const SpkPlan *self);
/* The probe's key (its label, or "probe<i>" made unique: spk_network_dup_keys()) and width. */
const char   *spk_plan_get_probe_label  (const SpkPlan *self,
                                         guint          probe);
guint         spk_plan_get_probe_size   (const SpkPlan *self,
                                         guint          probe);
int           spk_plan_find_probe       (const SpkPlan *self,
                                         const char    *label);

/* Built parameters by name, "<object>/<parameter>", where <object> is the
 * object's key (spk_network_dup_keys(): its label, or "connection<i>" /
 * "probe<i>" … counting every object of its type in network order, made
 * unique against the labels):
 *   <ensemble>/eval_points (m × d), /encoders (n × d unit vectors),
 *   /gain (n), /bias (n);
 *   <connection>/weights: the matrix (size_out × size_in) a step applies,
 *     decoders and gain folded in, or a vector (size_out) for a scalar or
 *     diagonal transform;
 *   <probe>/weights: a decoded_output probe's decoders (d × n).
 * Sorted; (transfer full). */
GStrv         spk_plan_list_params      (const SpkPlan *self);
/* (transfer full) (nullable) */
SpkArray     *spk_plan_dup_param        (const SpkPlan *self,
                                         const char    *key);

/* Where each named parameter sits in the plan's parameter arena (the
 * parameter map).  The builder records one slot for every run of arena
 * values it derived from one named parameter, in arena order:
 *
 * - rows × cols values of the parameter, row-major as named, stored from
 *   arena offset `offset`, column by column when `transposed`;
 * - row r of the run is row row_index[r] of the parameter (NULL: row r);
 * - `broadcast`: one arena value stands for every element (a scalar
 *   transform, named as the vector it acts as);
 * - `scale`: SPK_PARAM_SLOT_GAIN_OVER_RADIUS when each value is the named
 *   value times the ensemble's gain of its row over its radius (encoders,
 *   as the neuron currents apply them; `radius` says which).
 *
 * Keys are those of spk_plan_list_params().  spk_plan_param_slot_element()
 * says which element of the named parameter arena value j holds. */
typedef enum
{
  SPK_PARAM_SLOT_AS_NAMED,
  SPK_PARAM_SLOT_GAIN_OVER_RADIUS,
} SpkParamSlotScale;

typedef struct
{
  const char        *key;
  gsize              offset;
  guint              rows, cols;
  gboolean           transposed;
  gboolean           broadcast;
  const guint       *row_index;
  SpkParamSlotScale  scale;
  double             radius;
} SpkPlanParamSlot;

guint         spk_plan_get_n_param_slots (const SpkPlan *self);
/* Slot i, in arena order (offsets increase with i). */
const SpkPlanParamSlot *
              spk_plan_get_param_slot   (const SpkPlan *self,
                                         guint          i);
/* The first slot whose offset is at or after offset (n_param_slots: none). */
guint         spk_plan_find_param_slot  (const SpkPlan *self,
                                         gsize          offset);
/* Arena values the slot covers. */
gsize         spk_plan_param_slot_len   (const SpkPlanParamSlot *slot);
/* The element (row-major index into the named parameter) arena value
 * offset + j holds. */
gsize         spk_plan_param_slot_element (const SpkPlanParamSlot *slot,
                                           gsize                   j);

/* The decode error of a decoded connection (by its key,
 * spk_network_dup_keys()): RMSE per function output, from the solve; NULL if
 * its decoders were not solved in this plan. */
const double *spk_plan_get_decode_rmse  (const SpkPlan  *self,
                                         const char     *key,
                                         guint          *n_dims);

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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkPlan, spk_plan_unref)

G_END_DECLS
