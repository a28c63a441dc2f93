/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-private.h — the builder's state and the helpers its files
 * share: spk-builder.c (entry, nodes, ensembles and their neuron groups),
 * spk-builder-connection.c (decoders, transforms, synapses, connections,
 * probes), spk-builder-order.c (ordering and merging operators) and
 * spk-builder-util.c (signals, parameters, operators, sampling, names). */
#pragma once

#include "spk-plan-private.h"
#include "model/spk-distribution.h"

G_BEGIN_DECLS

/* Ensembles with equal neuron types that no synapse-free path joins share
 * their current, output and state signals, so one kernel call per step
 * updates them all. */
typedef struct
{
  SpkNeuronType *type;
  guint          depth;          /* longest synapse-free path reaching it */
  guint          n;
  GPtrArray     *members;        /* ObjInfo, in network order */
  char          *name;
} NeuronGroup;

typedef struct
{
  SpkView          in;           /* node input / ensemble input vector */
  SpkView          out;          /* node output / neuron output */
  SpkView          J;            /* ensemble: neuron input current */
  SpkView          states[SPK_NEURON_MAX_STATES];
  double          *state_init;   /* ensemble: n_states × n initial values */
  guint            n_states;
  NeuronGroup     *group;        /* ensemble: the neurons it shares signals with */
  SpkObject       *object;
  guint            group_off;    /* ensemble: its first neuron in the group */
  guint            size_in, size_out;
  /* A Direct ensemble (Nengo's direct mode): no neurons and no ens; in
   * and out are its d-vector (size_in = size_out = d), as for a node. */
  gboolean         direct;
  SpkPlanEnsemble *ens;
  double          *eval_points;  /* ensemble: m × d, in the ensemble's units */
  guint            m;
  double          *activities;   /* ensemble: m × n, computed when first needed */
  guint            decoded_uses; /* ensemble: solves still to come; activities go at 0 */
  guint64          seed;
  /* A connection with a learning rule: `in` is the rule's error input
   * (what an error connection writes into), and these its learned state. */
  SpkView          weights;      /* rows × cols, the weights as they learn */
  SpkView          delta;        /* rows × cols, this step's change */
  SpkView          learn_acts;   /* cols: the filtered pre activities the rule reads */
  SpkView          learn_post;   /* BCM, Oja: rows, the filtered post activities */
  SpkView          learn_theta;  /* BCM: rows, the post activities' slow average */
  SpkView          learn_inv_gamma; /* RLS: cols × cols, the inverse correlations P */
  /* An ensemble whose encoders Voja changes: n × d scaled encoders
   * (gain/radius folded in) as a signal; for a Voja connection, its
   * post's.  NO_VIEW otherwise. */
  SpkView          encoders;
} ObjInfo;

/* What a probe on a (non-learning) connection reads, as Nengo names it:
 * "input" the pre's whole output, "output" what the connection delivers
 * after its synapse (Nengo's "weighted": before a post neurons' gain,
 * which such a connection then applies after its synapse), and
 * "weights" Nengo's weights (transform·decoders, no gain), constant. */
typedef struct
{
  SpkView  in;
  SpkView  out;
  double  *weights;
  guint    weights_rows, weights_cols;
  /* No weights: the default transform between non-decoded signals, which
   * Nengo builds as no transform at all (NoTransform). */
  gboolean no_transform;
} ConnProbes;

typedef struct
{
  SpkNetwork *network;
  SpkPlan    *plan;
  GArray     *params;            /* double */
  GHashTable *info;              /* SpkObject → ObjInfo */
  guint64     seed;
  double      dt;
  guint       n_connections;     /* connections built so far: their seeds' fallback names */
  GHashTable *keys;              /* SpkObject → its key (spk_network_dup_keys) */
  GHashTable *overrides;         /* "<object>/<parameter>" → SpkArray, or NULL */
  GHashTable *depth;             /* SpkObject → longest synapse-free path reaching it */
  GPtrArray  *groups;            /* NeuronGroup */
  GHashTable *conn_probes;       /* SpkConnection → ConnProbes, for connections a probe reads */
  GHashTable *external;          /* keys of the Nodes computed outside (spk_build_external), or NULL */
  GCancellable        *cancellable;
  SpkBuildProgressFunc progress;
  gpointer             progress_data;
  guint                solves_total;  /* decoded solves this build makes (cache hits too) */
  guint                solves_done;
} Builder;

#define NO_VIEW ((SpkView) { -1, 0, 0 })
#define ITEM(op) spk_plan_op_item ((op), 0)

/* Transforms: a scalar or diagonal (ELEM_INC), or a full matrix. */
typedef struct
{
  gboolean  elementwise;
  gboolean  scalar;
  double   *values;    /* scalar: 1; diagonal: size_out; matrix: size_out × size_mid */
  /* A Sparse or convolution transform's own values (its entries or its
   * kernel, as Nengo's "weights" signal holds them), or NULL. */
  double   *native;
  gsize     n_native;
} Transform;

/* spk-builder-transform.c: whether a Sparse or convolution transform
 * runs as operators of its own (else as the dense matrix it makes), and
 * those operators: a new signal holding T·src every step, from values
 * (spk_transform_n_values(), Nengo's order) mapped as parameter key. */
gboolean      _spk_builder_structured_native (const SpkDistribution *dist);
SpkView       _spk_builder_add_structured (Builder               *b,
                                           const SpkDistribution *t,
                                           SpkView                src,
                                           const double          *values,
                                           const char            *key,
                                           const char            *who,
                                           GError               **error);

void          _spk_builder_obj_info_free (gpointer data);
void          _spk_builder_plan_signal_free (gpointer data);
void          _spk_builder_plan_op_free (gpointer data);
void          _spk_builder_plan_probe_free (gpointer data);
void          _spk_builder_plan_ensemble_free (gpointer data);
char *        _spk_builder_describe (SpkObject *object);
void          _spk_builder_prefix_error (GError **error, SpkObject *object);
int
_spk_builder_add_signal (Builder *b,
                         guint size,
                         const double *init,
                         const char *format,
                         ...) G_GNUC_PRINTF (4, 5);
gsize         _spk_builder_add_params (Builder *b, const double *values, gsize n);
/* Whether rows × cols values of what, held `copies` times (the working
 * array, the plan's parameters, the recorded copy…), can be allocated:
 * sizes come from the model, so a product that overflows, passes the
 * 32-bit length of the plan's parameter array or cannot be allocated is
 * refused with "<who>: not enough memory for <what>" before anything
 * aborts. */
gboolean      _spk_builder_check_size (Builder     *b,
                                       const char  *who,
                                       const char  *what,
                                       gsize        rows,
                                       gsize        cols,
                                       guint        copies,
                                       GError     **error);
SpkView       _spk_builder_whole (Builder *b, int sig);
char *        _spk_builder_param_key (Builder *b, SpkObject *object, const char *name);
const char *  _spk_builder_key (Builder *b, SpkObject *object);
void
_spk_builder_record_param (Builder *b,
                           SpkObject *owner,
                           const char *key,
                           guint ndim,
                           gsize rows,
                           gsize cols,
                           const double *values);
/* Records in the plan's parameter map that arena values from offset hold
 * rows × cols values of parameter key (see SpkPlanParamSlot: transposed,
 * broadcast and row_index as there; radius > 0 for values scaled by
 * gain/radius).  Called where the values enter the arena. */
void
_spk_builder_map_param (Builder     *b,
                        const char  *key,
                        gsize        offset,
                        guint        rows,
                        guint        cols,
                        gboolean     transposed,
                        gboolean     broadcast,
                        const guint *row_index,
                        double       radius);
/* The same for a DOT_INC item's matrix (_spk_builder_set_matrix()). */
void
_spk_builder_map_matrix (Builder         *b,
                         const char      *key,
                         const SpkOpItem *item,
                         const guint     *row_index,
                         double           radius);
SpkArray *    _spk_builder_find_override (Builder *b, const char *key);
gboolean
_spk_builder_take_override (Builder *b,
                            const char *key,
                            gsize rows,
                            gsize cols,
                            double *out,
                            gboolean *taken,
                            GError **error);
void
_spk_builder_set_matrix (Builder *b,
                         SpkOpItem *item,
                         const double *values,
                         guint rows,
                         guint cols);
SpkPlanOp *
_spk_builder_add_op (Builder *b,
                     SpkOpKind kind,
                     SpkView dst,
                     SpkView src,
                     const char *owner);
guint64       _spk_builder_object_seed (Builder *b, SpkObject *object, const char *fallback_key);
/* Whether object is an ensemble of Nengo's Direct neuron type. */
gboolean      _spk_builder_is_direct (SpkObject *object);
gboolean      _spk_builder_check_array_finite (SpkArray *array, const char *what, GError **error);
gboolean
_spk_builder_sample (const SpkDistribution *dist,
                     const char *what,
                     gsize n,
                     gsize d,
                     SpkRng *rng,
                     double *out,
                     GError **error);
/* Nengo's default_n_eval_points: max(clip(500·d, 750, 2500), 2·n). */
guint         _spk_builder_default_n_eval_points (guint n, guint d);
gboolean      _spk_builder_build_layer (Builder *b, SpkLayer *layer, ObjInfo *info, GError **error);
gboolean      _spk_builder_build_connection (Builder *b, SpkConnection *conn, GError **error);
SpkView
_spk_builder_add_synapse (Builder          *b,
                          const SpkSynapse *synapse,
                          SpkView           src,
                          const char       *who,
                          GError          **error);

/* Learning rules (spk-builder-learning.c). */
gboolean      _spk_builder_prepare_learning (Builder *b, SpkConnection *conn, GError **error);
/* Nengo's solver.weights taking effect: a decoded connection from an
 * ensemble into an ensemble (not its neurons) with weights=True, which
 * delivers full weights into the post neurons' currents. */
gboolean      _spk_builder_full_weights (SpkConnection *conn);
SpkView
_spk_builder_add_learned (Builder       *b,
                          SpkConnection *conn,
                          ObjInfo       *post,
                          SpkView        src,
                          const double  *W,
                          guint          rows,
                          guint          cols,
                          const guint   *post_index,
                          SpkView        into,
                          const char    *key,
                          GError       **error);
gboolean      _spk_builder_add_voja (Builder       *b,
                                     SpkConnection *conn,
                                     ObjInfo       *post,
                                     SpkView        decoded,
                                     GError       **error);
gboolean      _spk_builder_voja_changes (Builder *b, SpkObject *ensemble);
SpkView       _spk_builder_learning_probe_view (ObjInfo *conn_info, const char *attr);
gboolean      _spk_builder_build_probe (Builder *b, SpkProbe *probe, guint index, GError **error);
void          _spk_builder_conn_probes_free (gpointer data);
gboolean      _spk_builder_sort_ops (Builder *b, GError **error);
/* Lays the signals of many small objects side by side and fuses the
 * items that then continue each other (spk-builder-coalesce.c). */
void          _spk_builder_coalesce_signals (SpkPlan *plan);
extern gboolean _spk_builder_coalesce_enabled; /* TRUE; tests turn it off to compare */

G_END_DECLS
