/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-connection.c — connections and probes: NEF decoders solved
 * from an ensemble's activities, transforms, synapses (an update, hence a
 * step of delay), and the weighted sums into the post. */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "core/spk-slice.h"
#include "builder/spk-decoder-cache-private.h"
#include "core/spk-pool.h"
#include "model/spk-transform.h"
#include "nef/spk-solver.h"
#include "nef/spk-nef-kernels.h"
#include "nef/spk-solver-blocked.h"
#include "ops/spk-ops-neurons.h"

/* {{{ The decoder cache's key: every input of a solve */

static void
key_add_neuron_type (SpkDecoderKey       *key,
                     const SpkNeuronType *type)
{
  const double fields[] = { type->amplitude, type->tau_rc, type->tau_ref, type->min_voltage, type->tau_n,
                            type->inc_n, type->tau_recovery, type->coupling, type->reset_voltage,
                            type->reset_recovery };

  _spk_decoder_key_add_uint (key, type->kind);
  _spk_decoder_key_add_doubles (key, fields, G_N_ELEMENTS (fields));
  _spk_decoder_key_add_uint (key, type->base != NULL);
  if (type->base != NULL)
    key_add_neuron_type (key, type->base);
}

/* Whether the solve draws from its random stream. */
static gboolean
solver_draws (const SpkSolver *solver)
{
  return solver != NULL
         && (solver->kind == SPK_SOLVER_LSTSQ_NOISE || solver->kind == SPK_SOLVER_LSTSQ_MULT_NOISE
             || solver_draws (solver->solver1) || solver_draws (solver->solver2));
}

static void
key_add_solver (SpkDecoderKey   *key,
                const SpkSolver *solver)
{
  const double fields[] = { solver->reg, solver->rcond, solver->noise, solver->drop };

  _spk_decoder_key_add_uint (key, solver->kind);
  _spk_decoder_key_add_doubles (key, fields, G_N_ELEMENTS (fields));
  _spk_decoder_key_add_uint (key, solver->weights);
  _spk_decoder_key_add_uint (key, (solver->solver1 != NULL) | (solver->solver2 != NULL) << 1);
  if (solver->solver1)
    key_add_solver (key, solver->solver1);
  if (solver->solver2)
    key_add_solver (key, solver->solver2);
}

/* The key of solving A (the rates of ens at its eval points) for the
 * targets Y (m × k) with solver and rng. */
static char *
solve_key (Builder         *b,
           ObjInfo         *pre,
           const double    *X,
           gsize            m,
           const double    *Y,
           gsize            k,
           const SpkSolver *solver,
           const SpkRng    *rng)
{
  SpkPlanEnsemble *ens = pre->ens;
  SpkDecoderKey *key = _spk_decoder_key_new ();

  _spk_decoder_key_add_uint (key, b->plan->dtype);
  _spk_decoder_key_add_doubles (key, &b->dt, 1);
  key_add_neuron_type (key, ens->neuron_type);
  _spk_decoder_key_add_uint (key, ens->n);
  _spk_decoder_key_add_uint (key, ens->d);
  _spk_decoder_key_add_doubles (key, &ens->radius, 1);
  _spk_decoder_key_add_doubles (key, ens->gain, ens->n);
  _spk_decoder_key_add_doubles (key, ens->bias, ens->n);
  _spk_decoder_key_add_doubles (key, ens->encoders, (gsize) ens->n * ens->d);
  _spk_decoder_key_add_uint (key, m);
  _spk_decoder_key_add_doubles (key, X, m * ens->d);
  _spk_decoder_key_add_uint (key, k);
  _spk_decoder_key_add_doubles (key, Y, m * k);
  key_add_solver (key, solver);
  _spk_decoder_key_add_uint (key, solver_draws (solver));
  if (solver_draws (solver))
    {
      /* Field by field: the struct has padding. */
      for (guint i = 0; i < G_N_ELEMENTS (rng->s); i++)
        _spk_decoder_key_add_uint (key, rng->s[i]);
      _spk_decoder_key_add_uint (key, rng->has_spare);
      _spk_decoder_key_add_doubles (key, rng->has_spare ? &rng->spare_normal : NULL, rng->has_spare);
    }
  return _spk_decoder_key_finish (key);
}

/* }}} */

/* {{{ Activities in blocks, for the big solves */

/* A solve whose activities would take at least this many doubles
 * (64 MiB) is done in blocks (nef/spk-solver-blocked.h) when its solver
 * allows: memory stays bounded, and in a float32 model the Gram products
 * run in float32.  Smaller solves keep the one-array solve, whose
 * round-off is Nengo's. */
#define BLOCKED_SOLVE_MIN_ELEMENTS ((gsize) 1 << 23)

typedef struct
{
  const SpkPlanEnsemble *ens;
  const double          *eval_points;
  double                 dt;
  gboolean               single;  /* a float32 model's solve */
  double                *A;
} BlockActivities;

/* The LIF family's rates eight at a time, for a float32 model only: the
 * vector log1p is a few ulps from libm's, far below float32's products;
 * float64 models keep libm's (Nengo's round-off). */
static gboolean
fast_lif_rates (const BlockActivities *ba,
                double                *A,
                gsize                  rows)
{
  const SpkPlanEnsemble *ens = ba->ens;
  const SpkNeuronType *t = ens->neuron_type;

  if (!ba->single || t == NULL)
    return FALSE;
  if (spk_neuron_kind_is_wrapper (t->kind) && t->base != NULL)
    t = t->base;
  switch (t->kind)
    {
    case SPK_NEURON_LIF:
    case SPK_NEURON_LIF_RATE:
    case SPK_NEURON_ADAPTIVE_LIF:
    case SPK_NEURON_ADAPTIVE_LIF_RATE:
      return _spk_nef_lif_rates (t->amplitude, t->tau_rc, t->tau_ref, ens->gain, ens->bias, rows, ens->n, A);
    default:
      return FALSE;
    }
}

static void
block_rates_cb (gpointer data,
                gsize    begin,
                gsize    end)
{
  BlockActivities *ba = data;
  const SpkPlanEnsemble *ens = ba->ens;
  double *A = ba->A + begin * ens->n;

  if (!fast_lif_rates (ba, A, end - begin))
    spk_neuron_rates (ens->neuron_type, A, ens->gain, ens->bias, end - begin, ens->n, ba->dt, A);
}

/* A = rates(X·Eᵀ / radius) for eval points first … first + rows − 1, the
 * rates on every core of the pool (they are a tenth of the solve). */
static void
block_activities_cb (gsize    first,
                     gsize    rows,
                     double  *A,
                     gpointer data)
{
  BlockActivities *ba = data;
  const SpkPlanEnsemble *ens = ba->ens;

  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) rows, (int) ens->n, (int) ens->d,
               1.0 / ens->radius, ba->eval_points + first * ens->d, (int) ens->d, ens->encoders,
               (int) ens->d, 0.0, A, (int) ens->n);
  ba->A = A;
  spk_pool_for (block_rates_cb, ba, rows, 1, 2);
}

/* activities: the m × n activities already computed, or NULL. */
static gboolean
use_blocked_solve (const double    *activities,
                   gsize            m,
                   guint            n,
                   const SpkSolver *solver)
{
  return activities == NULL && spk_solver_can_solve_blocked (solver, m, n)
         && (double) m * n >= (double) BLOCKED_SOLVE_MIN_ELEMENTS;
}

/* The build's progress within a blocked solve; FALSE once cancelled. */
static gboolean
solve_progress_cb (double   fraction,
                   gpointer data)
{
  Builder *b = data;

  if (b->progress && b->solves_total > 0)
    b->progress (MIN ((b->solves_done + fraction) / b->solves_total, 1.0), b->progress_data);
  return !g_cancellable_is_cancelled (b->cancellable);
}

/* One more solve done (or found in the cache). */
static void
solve_done (Builder *b)
{
  b->solves_done++;
  solve_progress_cb (0.0, b);
}

/* }}} */

/* The ensemble's activities at the m eval points X, into *A: those at
 * its own points are kept in pre until its last solve, those at a
 * connection's points serve its solve only.  A = rates(X·Eᵀ / radius),
 * computed in place. */
static gboolean
compute_activities (Builder          *b,
                    SpkPlanEnsemble  *ens,
                    const double     *X,
                    gsize             m,
                    double          **A,
                    GError          **error)
{
  gsize n = ens->n, d = ens->d;

  *A = g_try_new (double, m * n);
  if (*A == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("not enough memory for %zu × %zu activities"), m, n);
      return FALSE;
    }
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) m, (int) n, (int) d,
               1.0 / ens->radius, X, (int) d, ens->encoders, (int) d, 0.0, *A, (int) n);
  spk_neuron_rates (ens->neuron_type, *A, ens->gain, ens->bias, m, n, b->dt, *A);
  return TRUE;
}

/* A connection's own evaluation points (Nengo's Connection.eval_points):
 * X (m × d, in the ensemble's units) and, for a function given as points,
 * its targets (m × k).  NULL fields: the ensemble's points and f(X). */
typedef struct
{
  double         *X;
  gsize           m;
  const SpkArray *targets;
} EvalSet;

/* Decoders: A = rates at the eval points (computed once per ensemble),
 * Y = f(eval points[pre slice]); D (n × k) by the solver.  With
 * target_map M (rows × k) the solver is asked for M·f instead, D then
 * n × rows: Nengo's non-compositional solvers with weights=True solve
 * for the post neurons' currents directly.  NoSolver skips A and Y, as
 * Nengo does, and gives no decode error.  With points set, A is computed
 * at the connection's own points for this solve only, and Y is
 * points->targets when the function is given as points. */
static gboolean
solve_decoders (Builder         *b,
                ObjInfo         *pre,
                const EvalSet   *points,
                const guint     *pre_index,
                guint            n_pre_index,
                SpkExpr         *function,
                const SpkSolver *solver,
                SpkRng          *rng,
                const double    *target_map,
                guint            map_rows,
                double         **decoders,
                guint           *k_out,
                double         **rmse_out,
                GError         **error)
{
  SpkPlanEnsemble *ens = pre->ens;
  gboolean own = points != NULL && points->X != NULL;
  const double *X = own ? points->X : pre->eval_points;
  gsize m = own ? points->m : pre->m, n = ens->n, d = ens->d;
  const SpkArray *targets = points ? points->targets : NULL;
  guint k = targets ? (guint) targets->shape[1] : function ? spk_expr_get_size_out (function) : n_pre_index;
  g_autofree double *own_activities = NULL;
  guint k_solve = target_map ? map_rows : k;
  g_autofree double *xs = g_try_new (double, m * MAX (n_pre_index, 1));
  g_autofree double *Y = g_try_new (double, m * MAX (k, 1));
  g_autofree double *Ymap = target_map ? g_try_new (double, m * MAX (k_solve, 1)) : NULL;
  g_autofree double *D = g_try_new (double, n * MAX (k_solve, 1));
  g_autofree double *rmse = g_new0 (double, MAX (k_solve, 1));
  g_autofree char *key = NULL;

  if (xs == NULL || Y == NULL || D == NULL || (target_map && Ymap == NULL))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("not enough memory to solve for decoders"));
      return FALSE;
    }
  if (solver == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID, _("solver is not set"));
      return FALSE;
    }
  if (!spk_solver_validate (solver, error))
    return FALSE;

  if (solver->kind == SPK_SOLVER_NO_SOLVER)
    {
      if (pre->decoded_uses > 0 && --pre->decoded_uses == 0)
        g_clear_pointer (&pre->activities, g_free);
      if (!spk_solver_solve_with_rng (solver, NULL, 1, n, NULL, k, rng, D, NULL, error))
        return FALSE;
      solve_done (b);
      *decoders = g_steal_pointer (&D);
      *k_out = k;
      if (rmse_out)
        *rmse_out = NULL;
      return TRUE;
    }

  for (gsize i = 0; i < m; i++)
    for (guint j = 0; j < n_pre_index; j++)
      xs[i * n_pre_index + j] = X[i * d + pre_index[j]];
  if (targets)
    memcpy (Y, targets->data, m * k * sizeof (double));
  else if (function)
    {
      spk_expr_eval (function, NULL, 0.0, xs, m, Y);
      for (gsize i = 0; i < m * k; i++)
        if (!isfinite (Y[i]))
          {
            g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                         _("function '%s' gives NaN or infinity at an evaluation point"),
                         spk_expr_get_source (function));
            return FALSE;
          }
    }
  else
    memcpy (Y, xs, m * k * sizeof (double));
  /* Ymap = Y·Mᵀ (m × rows). */
  if (target_map)
    cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) m, (int) k_solve, (int) k,
                 1.0, Y, (int) k, target_map, (int) k, 0.0, Ymap, (int) k_solve);

  /* The same solve done before (this run, or an earlier one) gives its
   * decoders at once, without the activities. */
  key = solve_key (b, pre, X, m, target_map ? Ymap : Y, k_solve, solver, rng);
  if (!_spk_decoder_cache_lookup (key, n, k_solve, D, rmse))
    {
      double **A = own ? &own_activities : &pre->activities;

      if (g_cancellable_set_error_if_cancelled (b->cancellable, error))
        return FALSE;
      if (use_blocked_solve (*A, m, n, solver))
        {
          BlockActivities ba = { ens, X, b->dt, b->plan->dtype == SPK_DTYPE_FLOAT32, NULL };

          if (!spk_solver_solve_blocked (solver, block_activities_cb, &ba, m, n, target_map ? Ymap : Y,
                                         k_solve, b->plan->dtype == SPK_DTYPE_FLOAT32, 0,
                                         solve_progress_cb, b, D, rmse, error))
            return FALSE;
        }
      else
        {
          if (*A == NULL && !compute_activities (b, ens, X, m, A, error))
            return FALSE;
          if (!spk_solver_solve_with_rng (solver, *A, m, n, target_map ? Ymap : Y, k_solve,
                                          rng, D, rmse, error))
            return FALSE;
        }
      _spk_decoder_cache_store (key, n, k_solve, D, rmse);
    }
  solve_done (b);
  /* Activities are the largest thing a build holds (m × n doubles per
   * ensemble): keep them only while another solve will use them. */
  if (pre->decoded_uses > 0 && --pre->decoded_uses == 0)
    g_clear_pointer (&pre->activities, g_free);
  *decoders = g_steal_pointer (&D);
  *k_out = k_solve;
  if (rmse_out)
    *rmse_out = g_steal_pointer (&rmse);
  return TRUE;
}

static gboolean
make_transform (Builder               *b,
                const SpkDistribution *dist,
                guint                  size_out,
                guint                  size_mid,
                gboolean               structured,  /* a Sparse or convolution's values only, no matrix */
                SpkRng                *rng,
                Transform             *t,
                GError               **error)
{
  if (dist == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID, _("transform is not set"));
      return FALSE;
    }
  if (SPK_DIST_KIND_IS_TRANSFORM (dist->kind))
    {
      guint t_out, t_in;

      if (!spk_transform_check (dist, &t_out, &t_in, error))
        return FALSE;
      if (t_out != size_out || t_in != size_mid)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("the %s transform maps %u values to %u but this connection needs %u to %u "
                         "(input size to output size)"),
                       spk_distribution_kind_to_name (dist->kind), t_in, t_out, size_mid, size_out);
          return FALSE;
        }
      t->n_native = spk_transform_n_values (dist);
      t->values = structured ? NULL : g_try_new0 (double, (gsize) size_out * size_mid);
      t->native = g_try_new0 (double, MAX (t->n_native, 1));
      if ((!structured && t->values == NULL) || t->native == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                       _("not enough memory for a %u × %u transform"), size_out, size_mid);
          return FALSE;
        }
      return spk_transform_weights (dist, rng, t->values, t->native, error);
    }
  if (dist->kind == SPK_DIST_ARRAY)
    {
      SpkArray *a = dist->array;

      if (!_spk_builder_check_array_finite (a, "transform", error))
        return FALSE;
      if (a->ndim == 0)
        {
          if (size_mid != size_out)
            {
              g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                           _("a scalar transform needs equal input and output sizes, "
                             "but the input has %u dimensions and the output %u; "
                             "give a %u × %u matrix"),
                           size_mid, size_out, size_out, size_mid);
              return FALSE;
            }
          t->elementwise = t->scalar = TRUE;
          t->values = g_memdup2 (a->data, sizeof (double));
          return TRUE;
        }
      if (a->ndim == 1)
        {
          if (a->size != size_out || size_mid != size_out)
            {
              g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                           _("a vector transform is a diagonal and needs %u values with "
                             "equal input and output sizes, but it has %zu values, the "
                             "input %u and the output %u dimensions"),
                           size_out, a->size, size_mid, size_out);
              return FALSE;
            }
          t->elementwise = TRUE;
          t->values = g_memdup2 (a->data, a->size * sizeof (double));
          return TRUE;
        }
      if (a->shape[0] != size_out || a->shape[1] != size_mid)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("transform has shape (%zu, %zu) but this connection needs (%u, %u) "
                         "(output size × input size)"),
                       a->shape[0], a->shape[1], size_out, size_mid);
          return FALSE;
        }
      t->values = g_memdup2 (a->data, a->size * sizeof (double));
      return TRUE;
    }
  t->values = g_try_new (double, (gsize) size_out * size_mid);
  if (t->values == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("not enough memory for a %u × %u transform"), size_out, size_mid);
      return FALSE;
    }
  return _spk_builder_sample (dist, "transform", size_out, size_mid, rng, t->values, error);
}

/* The transform as a full rows × cols matrix (a scalar or a diagonal
 * spread out). */
static double *
dense_transform (const Transform *t,
                 guint            rows,
                 guint            cols)
{
  double *T = g_new0 (double, (gsize) rows * cols);

  if (!t->elementwise)
    memcpy (T, t->values, (gsize) rows * cols * sizeof (double));
  else
    for (guint r = 0; r < MIN (rows, cols); r++)
      T[(gsize) r * cols + r] = t->scalar ? t->values[0] : t->values[r];
  return T;
}

/* Nengo's scaled_encoders (e·gain/radius) of every neuron, on the
 * dimensions in index: n × n_index. */
static double *
sliced_scaled_encoders (const SpkPlanEnsemble *ens,
                        const guint           *index,
                        guint                  n_index)
{
  double *E = g_new (double, (gsize) ens->n * MAX (n_index, 1));

  for (guint i = 0; i < ens->n; i++)
    for (guint j = 0; j < n_index; j++)
      E[(gsize) i * n_index + j] = ens->encoders[(gsize) i * ens->d + index[j]] * ens->gain[i] / ens->radius;
  return E;
}

static gboolean
is_identity_index (const guint *index,
                   guint        n,
                   guint        size)
{
  if (n != size)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (index[i] != i)
      return FALSE;
  return TRUE;
}

/* Adds the synapse stage: an update op, hence one step of delay.  Returns
 * the signal to read downstream (src itself when there is no synapse). */
SpkView
_spk_builder_add_synapse (Builder          *b,
             const SpkSynapse *synapse,
             SpkView           src,
             const char       *who,
             GError          **error)
{
  SpkDiscreteFilter filter;
  SpkPlanOp *op;
  SpkView out;

  if (synapse == NULL)
    return src;
  if (!spk_synapse_validate (synapse, error) || !spk_synapse_discretize (synapse, b->dt, &filter, error))
    return NO_VIEW;
  out = _spk_builder_whole (b, _spk_builder_add_signal (b, src.len, NULL, "%s filtered", who));
  op = _spk_builder_add_op (b, SPK_OP_FILTER, out, src, who);
  op->filter = filter;
  op->n_states = spk_filter_n_states (&filter);
  for (guint s = 0; s < op->n_states; s++)
    {
      gsize width = (gsize) src.len * spk_filter_state_width (&filter, s);

      if (width > G_MAXUINT / 2)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                       _("%s: the synapse's state of %zu values is too large"), who, width);
          return NO_VIEW;
        }
      ITEM (op)->states[s] = _spk_builder_whole (b, _spk_builder_add_signal (b, (guint) width, NULL,
                                                                              "%s synapse state %u", who, s));
    }
  return out;
}

/* weighted = W·src for a decoded ensemble or a Node/neurons source, into a
 * signal of its own; or, with `into` set, W·src added straight into the
 * post (a connection with no synapse and no slice needs nothing between). */
static SpkView
add_weighted (Builder    *b,
              SpkView     src,
              Transform  *t,
              guint       size_out,
              guint       size_mid,
              SpkView     into,
              const char *key,
              const char *who)
{
  SpkView weighted = into;
  SpkPlanOp *op;

  if (weighted.sig < 0)
    {
      weighted = _spk_builder_whole (b, _spk_builder_add_signal (b, size_out, NULL, "%s weighted", who));
      _spk_builder_add_op (b, SPK_OP_RESET, weighted, NO_VIEW, who);
    }
  if (t->elementwise)
    {
      op = _spk_builder_add_op (b, SPK_OP_ELEM_INC, weighted, src, who);
      ITEM (op)->scalar = t->scalar;
      ITEM (op)->param = _spk_builder_add_params (b, t->values, t->scalar ? 1 : size_out);
      _spk_builder_map_param (b, key, ITEM (op)->param, size_out, 1, FALSE, t->scalar, NULL, 0.0);
    }
  else
    {
      op = _spk_builder_add_op (b, SPK_OP_DOT_INC, weighted, src, who);
      _spk_builder_set_matrix (b, ITEM (op), t->values, size_out, size_mid);
      _spk_builder_map_matrix (b, key, ITEM (op), NULL, 0.0);
    }
  return weighted;
}

static ObjInfo *
lookup_info (Builder    *b,
             SpkObject  *object,
             const char *role,
             SpkObject  *owner,
             GError    **error)
{
  ObjInfo *info = object ? g_hash_table_lookup (b->info, object) : NULL;

  if (info == NULL)
    {
      g_autofree char *who = _spk_builder_describe (owner);

      if (object == NULL)
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                     _("%s: %s is not set"), who, role);
      else if (SPK_IS_CONNECTION (object))
        {
          g_autofree char *target = _spk_builder_describe (object);

          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: %s %s has no learning rule to take an error"), who, role, target);
        }
      else
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                     _("%s: %s '%s' is not a node or ensemble of this network"), who, role,
                     spk_object_get_label (object) ? spk_object_get_label (object) : "?");
    }
  return info;
}

/* A saved transform: a vector (size_out) acts elementwise, a matrix
 * (size_out × size_in) as a full product. */
static gboolean
override_transform (Builder     *b,
                    const char  *key,
                    SpkArray    *saved,
                    Transform   *t,
                    guint        n_post,
                    guint        size_mid,
                    GError     **error)
{
  gboolean vector = saved->ndim <= 1 && saved->size == n_post && size_mid == n_post;
  gboolean taken;

  g_free (t->values);
  t->values = g_new (double, (gsize) n_post * (vector ? 1 : size_mid));
  t->elementwise = vector;
  t->scalar = FALSE;
  return _spk_builder_take_override (b, key, n_post, vector ? 1 : size_mid, t->values, &taken, error);
}

/* The connection's own evaluation points and function points, checked
 * as Nengo's Connection checks them; points stays empty without them. */
static gboolean
connection_eval_set (Builder       *b,
                     SpkConnection *conn,
                     ObjInfo       *pre,
                     gboolean       decoded,
                     gboolean       has_expression,
                     guint64        seed,
                     EvalSet       *points,
                     GError       **error)
{
  SpkObject *object = SPK_OBJECT (conn);
  g_autofree char *who = _spk_builder_describe (object);
  SpkDistribution *given = spk_connection_get_eval_points (conn);
  const SpkArray *targets = spk_connection_get_function_points (conn);
  guint d, m;
  SpkRng rng;

  if (given == NULL && targets == NULL)
    return TRUE;
  if (!decoded)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   given ? _("%s: eval_points are only valid on a connection from an ensemble's decoded value "
                             "(not from a node or neurons)")
                         : _("%s: a function given as points needs a connection from an ensemble's decoded "
                             "value (not from a node or neurons)"), who);
      return FALSE;
    }
  if (targets != NULL)
    {
      if (has_expression)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: function is given both as an expression and as points"), who);
          return FALSE;
        }
      if (given == NULL || given->kind != SPK_DIST_ARRAY)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: a function given as points needs eval_points given as points too "
                         "(one per row of the function)"), who);
          return FALSE;
        }
      if (targets->ndim != 2 || targets->shape[1] == 0)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: a function given as points must be a matrix, one row of targets per "
                         "evaluation point"), who);
          return FALSE;
        }
      if (!_spk_builder_check_array_finite ((SpkArray *) targets, "function", error))
        return _spk_builder_prefix_error (error, object), FALSE;
    }

  d = pre->ens->d;
  if (given->kind == SPK_DIST_ARRAY)
    m = given->array->ndim >= 1 && given->array->size % d == 0 ? (guint) (given->array->size / d) : 0;
  else
    {
      int wanted = spk_ensemble_get_n_eval_points (SPK_ENSEMBLE (spk_connection_get_pre (conn)));

      m = wanted > 0 ? (guint) wanted : _spk_builder_default_n_eval_points (pre->ens->n, d);
    }
  if (m == 0 || (given->kind == SPK_DIST_ARRAY && given->array->ndim == 2 && given->array->shape[1] != d))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("%s: eval_points must have one row of %u values (the pre's dimensions) per point"),
                   who, d);
      return FALSE;
    }
  if (targets != NULL && targets->shape[0] != m)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("%s: the function has %zu points but eval_points has %u; give one row of targets "
                     "per evaluation point"), who, targets->shape[0], m);
      return FALSE;
    }
  {
    g_autofree char *what = g_strdup_printf (_("%u evaluation points"), m);

    if (!_spk_builder_check_size (b, who, what, m, (gsize) d + pre->ens->n, 2, error))
      return FALSE;
  }
  /* A stream of its own, so that adding eval points changes nothing else. */
  spk_rng_init (&rng, spk_seed_derive (seed, "eval_points"));
  points->X = g_new (double, (gsize) m * d);
  points->m = m;
  points->targets = targets;
  if (!_spk_builder_sample (given, "eval_points", m, d, &rng, points->X, error))
    {
      g_clear_pointer (&points->X, g_free);
      return _spk_builder_prefix_error (error, object), FALSE;
    }
  /* Nengo's gen_eval_points: scaled by the pre's radius unless told not to. */
  if (spk_connection_get_scale_eval_points (conn))
    for (gsize i = 0; i < (gsize) m * d; i++)
      points->X[i] *= pre->ens->radius;
  return TRUE;
}

/* Connection probes */

void
_spk_builder_conn_probes_free (gpointer data)
{
  ConnProbes *cp = data;

  g_free (cp->weights);
  g_free (cp);
}

/* Whether a probe of the network reads attr (or, with attr "output", the
 * default of a connection without learning rule) of conn. */
static gboolean
connection_is_probed (Builder       *b,
                      SpkConnection *conn,
                      const char    *attr)
{
  GPtrArray *objects = spk_network_get_objects (b->network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *probed;

      if (!SPK_IS_PROBE (object) || spk_probe_get_target (SPK_PROBE (object)) != SPK_OBJECT (conn))
        continue;
      probed = spk_probe_get_attr (SPK_PROBE (object));
      if (probed == NULL || *probed == '\0')
        probed = spk_connection_get_learning_rule_type (conn) ? "weights" : "output";
      if (g_str_equal (probed, attr))
        return TRUE;
    }
  return FALSE;
}

/* Whether transform is the default, 1, which Nengo builds between
 * non-decoded signals as no transform: no weights to probe. */
static gboolean
is_default_transform (const SpkDistribution *transform)
{
  return transform != NULL && transform->kind == SPK_DIST_ARRAY && transform->array->ndim == 0
         && transform->array->data[0] == 1.0;
}

/* Keeps Nengo's weights of conn (rows × cols, no post gain) for a
 * "weights" probe; a scalar or diagonal transform as its values. */
static void
keep_probe_weights (ConnProbes      *cp,
                    const Transform *t,
                    guint            rows,
                    guint            cols)
{
  if (cp == NULL)
    return;
  g_free (cp->weights);
  if (t->native != NULL)
    {
      /* Nengo's weights of a Sparse or convolution transform: its entries
       * or its kernel, not the matrix they make. */
      cp->weights_rows = (guint) t->n_native;
      cp->weights_cols = 1;
      cp->weights = g_memdup2 (t->native, MAX (t->n_native, 1) * sizeof (double));
      return;
    }
  cp->weights_rows = t->elementwise ? (t->scalar ? 1 : rows) : rows;
  cp->weights_cols = t->elementwise ? 1 : cols;
  cp->weights = g_memdup2 (t->values, (gsize) cp->weights_rows * cp->weights_cols * sizeof (double));
}

/* The weighted input of a connection into neurons whose weights have
 * the post's gain folded in, without the gain (Nengo's, which its
 * "output" probe records): divided by the gain again, row by row.  A
 * neuron of gain 0 reads 0, the folded weights having lost the rest. */
static SpkView
add_ungained (Builder      *b,
              SpkView       out,
              const double *gain,
              const guint  *post_index,
              guint         n_post,
              const char   *who)
{
  g_autofree double *inverse = g_new (double, n_post);
  SpkView ungained = _spk_builder_whole (b, _spk_builder_add_signal (b, n_post, NULL, "%s output", who));
  SpkPlanOp *op;

  for (guint r = 0; r < n_post; r++)
    inverse[r] = gain[post_index[r]] != 0.0 ? 1.0 / gain[post_index[r]] : 0.0;
  _spk_builder_add_op (b, SPK_OP_RESET, ungained, NO_VIEW, who);
  op = _spk_builder_add_op (b, SPK_OP_ELEM_INC, ungained, out, who);
  ITEM (op)->param = _spk_builder_add_params (b, inverse, n_post);
  return ungained;
}

/* keep_probe_weights() of weights t that have the post's gain folded in
 * (gain: the post ensemble's, rows picked by post_index; NULL: none). */
static void
keep_probe_weights_without_gain (ConnProbes      *cp,
                                 const Transform *t,
                                 guint            rows,
                                 guint            cols,
                                 const double    *gain,
                                 const guint     *post_index)
{
  Transform nengo_weights = *t;
  g_autofree double *W = NULL;
  gsize n_cols = t->elementwise ? 1 : cols;

  if (cp == NULL)
    return;
  /* An older session's dense matrix of a Sparse or convolution transform
   * is what runs, not the entries it was made from. */
  nengo_weights.native = NULL;
  if (gain != NULL && !t->scalar)
    {
      W = g_memdup2 (t->values, (gsize) rows * n_cols * sizeof (double));
      for (guint r = 0; r < rows; r++)
        for (gsize c = 0; c < n_cols; c++)
          {
            double g = gain[post_index[r]];

            W[r * n_cols + c] = g != 0.0 ? W[r * n_cols + c] / g : 0.0;
          }
      nengo_weights.values = W;
    }
  keep_probe_weights (cp, &nengo_weights, rows, cols);
}

gboolean
_spk_builder_build_connection (Builder        *b,
                  SpkConnection  *conn,
                  GError        **error)
{
  SpkObject *object = SPK_OBJECT (conn);
  g_autofree char *who = _spk_builder_describe (object);
  /* Seeds keep the name they always had, so sampled transforms stay the same. */
  g_autofree char *key = g_strdup_printf ("connection%u", b->n_connections++);
  g_autofree char *k_weights = _spk_builder_param_key (b, object, "weights");
  SpkArray *saved = _spk_builder_find_override (b, k_weights);
  SpkObject *pre_obj = spk_connection_get_pre (conn), *post_obj = spk_connection_get_post (conn);
  gboolean pre_neurons = spk_connection_get_pre_neurons (conn);
  gboolean post_neurons = spk_connection_get_post_neurons (conn);
  const char *function_text = spk_connection_get_function (conn);
  g_autoptr (SpkExpr) function = NULL;
  g_autofree guint *pre_index = NULL, *post_index = NULL, *dim_index = NULL;
  g_autofree double *decoders = NULL;
  Transform t = { 0 };
  ObjInfo *pre, *post;
  guint pre_size, n_pre, n_post, post_size, size_mid, n_dims = 0;
  SpkView weighted, filtered, post_signal, direct = NO_VIEW;
  gboolean decoded;
  SpkPlanOp *op;
  SpkRng rng;
  gboolean ok = FALSE;
  SpkLearningRuleType *rule = spk_connection_get_learning_rule_type (conn);
  /* Voja learns the post's encoders; every other rule, these weights. */
  gboolean voja = rule != NULL && spk_learning_kind_modifies_encoders (rule->kind);
  gboolean learned = rule != NULL && !voja;
  const SpkSolver *solver = spk_connection_get_solver (conn);
  gboolean full = _spk_builder_full_weights (conn);
  SpkRng solver_rng;
  EvalSet points = { NULL, 0, NULL };
  g_autofree double *own_points = NULL;
  ConnProbes *cp = NULL;
  gboolean gain_after, structured;

  if (!(pre = lookup_info (b, pre_obj, "pre", object, error))
      || !(post = lookup_info (b, post_obj, "post", object, error)))
    return FALSE;
  if ((pre_neurons && !SPK_IS_ENSEMBLE (pre_obj)) || (post_neurons && !SPK_IS_ENSEMBLE (post_obj)))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: only an ensemble has neurons"), who);
      return FALSE;
    }
  if ((pre_neurons && pre->direct) || (post_neurons && post->direct))
    {
      gboolean from = pre_neurons && pre->direct;
      g_autofree char *ens_name = _spk_builder_describe (from ? pre_obj : post_obj);

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   from ? _("%s: %s is a Direct ensemble: it has no neurons to connect from (connect from its "
                            "value instead)")
                        : _("%s: %s is a Direct ensemble: it has no neurons to connect to (connect to its "
                            "value instead)"),
                   who, ens_name);
      return FALSE;
    }
  if (post->direct && solver != NULL && solver->weights && SPK_IS_ENSEMBLE (pre_obj) && !pre->direct)
    {
      g_autofree char *post_name = _spk_builder_describe (post_obj);

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: solver: weights=True solves for the post neurons' currents, but %s is a Direct "
                     "ensemble and has no neurons; leave weights out"),
                   who, post_name);
      return FALSE;
    }
  if (pre->direct && spk_connection_get_function_points (conn) != NULL)
    {
      g_autofree char *pre_name = _spk_builder_describe (pre_obj);

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: %s is a Direct ensemble, whose connections compute their function exactly: "
                     "give the function as an expression, not as points"),
                   who, pre_name);
      return FALSE;
    }
  spk_rng_init (&rng, _spk_builder_object_seed (b, object, key));
  /* The noise solvers draw from a stream of their own, so that choosing
   * one leaves a sampled transform as it was. */
  spk_rng_init (&solver_rng, spk_seed_derive (_spk_builder_object_seed (b, object, key), "solver"));
  /* From a Direct ensemble there is nothing to solve: Nengo ignores the
   * solver (and eval_points) of such a connection. */
  if (solver != NULL && solver->weights && !spk_solver_is_compositional (solver) && !full && !pre->direct)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: solver: %s with weights=True solves for the post neurons' currents, so it "
                     "needs an ensemble as pre and an ensemble (not its neurons) as post"),
                   who, spk_solver_kind_to_name (solver->kind));
      return FALSE;
    }

  decoded = SPK_IS_ENSEMBLE (pre_obj) && !pre_neurons && !pre->direct;
  {
    const SpkDistribution *tr = spk_connection_get_transform (conn);

    /* As in Nengo's builder: these transforms act on a signal, never on
     * decoders or learned weights. */
    if (tr != NULL && SPK_DIST_KIND_IS_TRANSFORM (tr->kind) && (decoded || rule != NULL))
      {
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                     decoded ? _("%s: a %s transform cannot be applied to a decoded connection (from an "
                                 "ensemble's value); connect from its neurons or a node")
                             : _("%s: a %s transform cannot learn; learning rules need a dense transform"),
                     who, spk_distribution_kind_to_name (tr->kind));
        return FALSE;
      }
  }
  pre_size = decoded ? pre->ens->d : pre->size_out;
  if (!(pre_index = spk_slice_resolve (spk_connection_get_pre_slice (conn), pre_size, &n_pre, error)))
    return _spk_builder_prefix_error (error, object), FALSE;

  if (function_text)
    {
      if (pre_neurons)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: a connection from neurons cannot compute a function"), who);
          return FALSE;
        }
      if (!(function = spk_expr_compile (function_text, n_pre, error)))
        {
          g_prefix_error (error, _("%s: function: "), who);
          return FALSE;
        }
    }
  if (!pre->direct && !connection_eval_set (b, conn, pre, decoded, function_text != NULL,
                            _spk_builder_object_seed (b, object, key), &points, error))
    return FALSE;
  own_points = points.X;
  size_mid = points.targets ? (guint) points.targets->shape[1] : function ? spk_expr_get_size_out (function) : n_pre;

  if (SPK_IS_ENSEMBLE (post_obj) && !post->direct)
    {
      post_size = post_neurons ? post->ens->n : post->ens->d;
      post_signal = post_neurons ? post->J : post->in;
    }
  else
    {
      post_size = post->size_in;
      post_signal = post->in;
      if (post_size == 0 && SPK_IS_CONNECTION (post_obj))
        {
          g_autofree char *target = _spk_builder_describe (post_obj);

          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: the learning rule of %s takes no input (only PES, RLS and Voja do)"), who, target);
          return FALSE;
        }
      if (post_size == 0)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: node '%s' takes no input (its size_in is 0)"), who,
                       spk_object_get_label (post_obj));
          return FALSE;
        }
    }
  if (!(post_index = spk_slice_resolve (spk_connection_get_post_slice (conn), post_size, &n_post, error)))
    return _spk_builder_prefix_error (error, object), FALSE;
  if (full)
    {
      /* weights=True: the transform still maps into post's dimensions
       * (dim_index, n_dims), but the connection delivers n_post = all of
       * post's neurons' currents, as Nengo's solver.weights does. */
      dim_index = g_steal_pointer (&post_index);
      n_dims = n_post;
      post_size = n_post = post->ens->n;
      post_signal = post->J;
      post_index = spk_slice_resolve (NULL, n_post, &n_post, NULL);
      if (learned && !is_identity_index (dim_index, n_dims, post->ens->d))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: learning_rule_type: a connection with weights=True learns on all "
                         "dimensions of post (no post_slice)"), who);
          return FALSE;
        }
    }
  /* Learned weights into neurons get the post's gain after the synapse
   * (the rule changes them without it), and so do structured transforms
   * (their operators keep the pattern); other weights into neurons have
   * it folded in, whatever probes the model has, so that a saved or
   * trained "weights" means the same matrix with or without a probe on
   * the output (whose probe divides the gain out again: add_ungained()). */
  /* A Sparse or convolution transform runs as operators of its own
   * (spk-builder-transform.c) unless a session saved it as the matrix it
   * makes (sessions before those operators). */
  {
    const SpkDistribution *tr = spk_connection_get_transform (conn);

    structured = _spk_builder_structured_native (tr)
                 && (saved == NULL || saved->size == spk_transform_n_values (tr));
  }
  gain_after = post_neurons && (learned || structured);
  /* What probes on this connection read (a learning connection's weights
   * are its learned signal). */
  if (connection_is_probed (b, conn, "input") || connection_is_probed (b, conn, "output")
      || (!rule && connection_is_probed (b, conn, "weights")))
    {
      cp = g_new0 (ConnProbes, 1);
      cp->in = pre->out;
      cp->out = NO_VIEW;
      g_hash_table_insert (b->conn_probes, conn, cp);
    }
  /* A probed output needs a signal of its own. */
  if (spk_connection_get_synapse (conn) == NULL && is_identity_index (post_index, n_post, post_size)
      && !gain_after && !voja && !structured && !connection_is_probed (b, conn, "output"))
    direct = post_signal;
  /* Sizes from the model: a transform, or full weights from an ensemble,
   * of n_post rows (the working array, the plan's and the recorded one). */
  if (!structured)
  {
    gsize cols = MAX (size_mid, decoded ? pre->ens->n : 1);
    g_autofree char *what = g_strdup_printf (_("%u × %zu weights"), n_post, cols);

    if (!_spk_builder_check_size (b, who, what, n_post, cols, 3, error))
      return FALSE;
  }

  if (!make_transform (b, spk_connection_get_transform (conn), full ? n_dims : n_post, size_mid, structured, &rng,
                       &t, error))
    {
      _spk_builder_prefix_error (error, object);
      goto out;
    }

  if (decoded && saved != NULL)
    {
      /* A saved or trained session: the weights as they were, no solve. */
      gboolean taken;

      g_free (t.values);
      t.values = g_new (double, (gsize) n_post * pre->ens->n);
      t.elementwise = t.scalar = FALSE;
      if (!_spk_builder_take_override (b, k_weights, n_post, pre->ens->n, t.values, &taken, error))
        {
          _spk_builder_prefix_error (error, object);
          goto out;
        }
      if (cp != NULL)
        {
          /* Nengo's weights, without the post's gain folded into the
           * saved ones. */
          g_autofree double *W = g_memdup2 (t.values, (gsize) n_post * pre->ens->n * sizeof (double));
          Transform nengo_weights = { FALSE, FALSE, W, NULL, 0 };

          if (post_neurons && !gain_after)
            for (guint r = 0; r < n_post; r++)
              for (guint j = 0; j < pre->ens->n; j++)
                {
                  double gain = post->ens->gain[post_index[r]];

                  W[(gsize) r * pre->ens->n + j] = gain != 0.0 ? W[(gsize) r * pre->ens->n + j] / gain : 0.0;
                }
          keep_probe_weights (cp, &nengo_weights, n_post, pre->ens->n);
        }
      weighted = learned
                 ? _spk_builder_add_learned (b, conn, post, pre->out, t.values, n_post, pre->ens->n, post_index,
                                             direct, k_weights, error)
                 : add_weighted (b, pre->out, &t, n_post, pre->ens->n, direct, k_weights, who);
      if (weighted.sig < 0)
        goto out;
      _spk_builder_record_param (b, object, k_weights, 2, n_post, pre->ens->n, t.values);
    }
  else if (decoded)
    {
      guint k, n = pre->ens->n;
      guint t_rows = full ? n_dims : n_post;
      g_autofree double *W = g_new0 (double, (gsize) n_post * n);
      g_autofree double *rmse = NULL;
      g_autofree double *T = dense_transform (&t, t_rows, size_mid);
      /* weights=True: post's scaled encoders on the chosen dimensions,
       * Nengo's encoders[post_slice] (n_post × n_dims). */
      g_autofree double *E = full ? sliced_scaled_encoders (post->ens, dim_index, n_dims) : NULL;
      g_autofree double *M = NULL;

      if (full && !spk_solver_is_compositional (solver))
        {
          /* The solver fits the currents E·T·f itself (M: n_post × size_mid). */
          M = g_new0 (double, (gsize) n_post * size_mid);
          cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n_post, (int) size_mid, (int) n_dims,
                       1.0, E, (int) n_dims, T, (int) size_mid, 0.0, M, (int) size_mid);
        }
      if (!solve_decoders (b, pre, &points, pre_index, n_pre, function, solver, &solver_rng, M, M ? n_post : 0,
                           &decoders, &k, &rmse, error))
        {
          _spk_builder_prefix_error (error, object);
          goto out;
        }
      /* The decode error, for the workbench's inspector and plots
       * (NoSolver has none). */
      if (rmse != NULL)
        {
          if (b->plan->decode_rmse == NULL)
            b->plan->decode_rmse = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) spk_array_unref);
          g_hash_table_replace (b->plan->decode_rmse, g_strdup (_spk_builder_key (b, object)),
                                spk_array_new_vector (rmse, k));
        }
      if (M != NULL)
        {
          /* W = Dᵀ (n_post × n). */
          for (guint r = 0; r < n_post; r++)
            for (guint j = 0; j < n; j++)
              W[(gsize) r * n + j] = decoders[(gsize) j * k + r];
        }
      else
        {
          /* W = T·Dᵀ (t_rows × n), then for weights=True E·W. */
          g_autofree double *TD = g_new0 (double, (gsize) t_rows * n);

          for (guint r = 0; r < t_rows; r++)
            for (guint j = 0; j < n; j++)
              {
                double sum = 0.0;

                if (t.elementwise)
                  sum = (t.scalar ? t.values[0] : t.values[r]) * decoders[(gsize) j * k + r];
                else
                  for (guint c = 0; c < k; c++)
                    sum += t.values[(gsize) r * k + c] * decoders[(gsize) j * k + c];
                TD[(gsize) r * n + j] = sum;
              }
          if (full)
            cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n_post, (int) n, (int) n_dims,
                         1.0, E, (int) n_dims, TD, (int) n, 0.0, W, (int) n);
          else
            memcpy (W, TD, (gsize) n_post * n * sizeof (double));
        }
      {
        Transform nengo_weights = { FALSE, FALSE, W };

        keep_probe_weights (cp, &nengo_weights, n_post, n);
      }
      if (post_neurons && !gain_after)
        for (guint r = 0; r < n_post; r++)
          for (guint j = 0; j < n; j++)
            W[(gsize) r * n + j] *= post->ens->gain[post_index[r]];
      g_free (t.values);
      t.values = g_steal_pointer (&W);
      t.elementwise = t.scalar = FALSE;
      weighted = learned
                 ? _spk_builder_add_learned (b, conn, post, pre->out, t.values, n_post, n, post_index, direct, k_weights, error)
                 : add_weighted (b, pre->out, &t, n_post, n, direct, k_weights, who);
      if (weighted.sig < 0)
        goto out;
      _spk_builder_record_param (b, object, k_weights, 2, n_post, n, t.values);
    }
  else
    {
      SpkView src = pre->out;

      if (!is_identity_index (pre_index, n_pre, pre_size))
        {
          SpkView sliced = _spk_builder_whole (b, _spk_builder_add_signal (b, n_pre, NULL, "%s sliced input", who));

          op = _spk_builder_add_op (b, SPK_OP_COPY, sliced, src, who);
          ITEM (op)->src_index = g_memdup2 (pre_index, n_pre * sizeof (guint));
          ITEM (op)->n_index = n_pre;
          src = sliced;
        }
      if (function)
        {
          SpkView mid = _spk_builder_whole (b, _spk_builder_add_signal (b, size_mid, NULL, "%s function output", who));

          op = _spk_builder_add_op (b, SPK_OP_EXPR, mid, src, who);
          op->expr = g_steal_pointer (&function);
          src = mid;
        }
      if (structured)
        {
          /* Its kernel or entries: as built, or as a session saved them
           * (what a "weights" probe records too). */
          gboolean taken;

          if (!_spk_builder_take_override (b, k_weights, t.n_native, 1, t.native, &taken, error))
            {
              _spk_builder_prefix_error (error, object);
              goto out;
            }
          keep_probe_weights (cp, &t, n_post, size_mid);
          weighted = _spk_builder_add_structured (b, spk_connection_get_transform (conn), src, t.native, k_weights,
                                                  who, error);
          if (weighted.sig < 0)
            goto out;
          _spk_builder_record_param (b, object, k_weights, 1, t.n_native, 1, t.native);
        }
      else
        {
          if (learned && t.elementwise && saved == NULL)
            {
              g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                           _("%s: learning_rule_type: the transform must be a %u × %u matrix for learning "
                             "(got a scalar or a diagonal)"), who, n_post, size_mid);
              goto out;
            }
          if (is_default_transform (spk_connection_get_transform (conn)) && cp != NULL && !learned)
            cp->no_transform = TRUE;
          else
            keep_probe_weights (cp, &t, n_post, size_mid);
          if (post_neurons && !gain_after)
            {
              /* Into neurons, the post's gain multiplies the input: fold it into
               * the transform, turning a scalar into a diagonal. */
              if (t.elementwise)
                {
                  double *diag = g_new (double, n_post);

                  for (guint r = 0; r < n_post; r++)
                    diag[r] = (t.scalar ? t.values[0] : t.values[r]) * post->ens->gain[post_index[r]];
                  g_free (t.values);
                  t.values = diag;
                  t.scalar = FALSE;
                }
              else
                for (guint r = 0; r < n_post; r++)
                  for (guint c = 0; c < size_mid; c++)
                    t.values[(gsize) r * size_mid + c] *= post->ens->gain[post_index[r]];
            }
          if (saved != NULL && !override_transform (b, k_weights, saved, &t, n_post, size_mid, error))
            {
              _spk_builder_prefix_error (error, object);
              goto out;
            }
          /* A probe records the saved or trained weights the step applies,
           * not the transform they replaced. */
          if (saved != NULL && cp != NULL && !cp->no_transform)
            keep_probe_weights_without_gain (cp, &t, n_post, size_mid,
                                             post_neurons && !gain_after ? post->ens->gain : NULL, post_index);
          if (learned && t.elementwise)
            {
              g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                           _("%s: saved weights must be a %u × %u matrix for learning"), who, n_post, size_mid);
              goto out;
            }
          weighted = learned
                     ? _spk_builder_add_learned (b, conn, post, src, t.values, n_post, size_mid, post_index, direct, k_weights, error)
                     : add_weighted (b, src, &t, n_post, size_mid, direct, k_weights, who);
          if (weighted.sig < 0)
            goto out;
          if (t.elementwise && t.scalar)
            {
              /* Saved as the vector it acts as, so any saved form reloads. */
              g_autofree double *diag = g_new (double, n_post);

              for (guint r = 0; r < n_post; r++)
                diag[r] = t.values[0];
              _spk_builder_record_param (b, object, k_weights, 1, n_post, 1, diag);
            }
          else if (t.elementwise)
            _spk_builder_record_param (b, object, k_weights, 1, n_post, 1, t.values);
          else
            _spk_builder_record_param (b, object, k_weights, 2, n_post, size_mid, t.values);
        }
    }

  if (direct.sig >= 0)
    {
      ok = TRUE;
      goto out;
    }
  filtered = _spk_builder_add_synapse (b, spk_connection_get_synapse (conn), weighted, who, error);
  if (filtered.sig < 0)
    {
      _spk_builder_prefix_error (error, object);
      goto out;
    }
  if (cp != NULL)
    cp->out = filtered;
  if (cp != NULL && post_neurons && !gain_after && connection_is_probed (b, conn, "output"))
    {
      /* Nengo's output is before the gain: the weighted input divided by
       * it, through a synapse of its own (a reader of the synapse's
       * output would see it a step late). */
      SpkView ungained = add_ungained (b, weighted, post->ens->gain, post_index, n_post, who);

      cp->out = _spk_builder_add_synapse (b, spk_connection_get_synapse (conn), ungained, who, error);
      if (cp->out.sig < 0)
        {
          _spk_builder_prefix_error (error, object);
          goto out;
        }
    }
  if (gain_after)
    {
      g_autofree double *gains = g_new (double, n_post);
      SpkView gained = _spk_builder_whole (b, _spk_builder_add_signal (b, n_post, NULL, "%s gained", who));

      for (guint r = 0; r < n_post; r++)
        gains[r] = post->ens->gain[post_index[r]];
      _spk_builder_add_op (b, SPK_OP_RESET, gained, NO_VIEW, who);
      op = _spk_builder_add_op (b, SPK_OP_ELEM_INC, gained, filtered, who);
      ITEM (op)->param = _spk_builder_add_params (b, gains, n_post);
      {
        g_autofree char *k_gain = _spk_builder_param_key (b, post_obj, "gain");

        _spk_builder_map_param (b, k_gain, ITEM (op)->param, n_post, 1, FALSE, FALSE, post_index, 0.0);
      }
      filtered = gained;
    }
  /* Voja reads what this connection delivers (Nengo's sig[conn]["out"]). */
  if (voja && !_spk_builder_add_voja (b, conn, post, filtered, error))
    goto out;
  op = _spk_builder_add_op (b, SPK_OP_COPY, post_signal, filtered, who);
  ITEM (op)->inc = TRUE;
  ITEM (op)->n_index = n_post;
  if (!is_identity_index (post_index, n_post, post_size))
    ITEM (op)->dst_index = g_memdup2 (post_index, n_post * sizeof (guint));
  ok = TRUE;

out:
  g_free (t.values);
  g_free (t.native);
  return ok;
}

/* Probes */


gboolean
_spk_builder_build_probe (Builder   *b,
             SpkProbe  *probe,
             guint      index,
             GError   **error)
{
  SpkObject *object = SPK_OBJECT (probe);
  g_autofree char *who = _spk_builder_describe (object);
  SpkObject *target_obj = spk_probe_get_target (probe);
  gboolean neurons = spk_probe_get_target_neurons (probe);
  const char *attr = spk_probe_get_attr (probe);
  double sample_every = spk_probe_get_sample_every (probe);
  SpkPlanProbe *plan_probe;
  ObjInfo *target;
  guint n_index, size;
  SpkView signal = NO_VIEW;
  g_autofree guint *slice_index = NULL;

  /* A connection without learning rule has no info: its probes read
   * what b->conn_probes keeps. */
  if (SPK_IS_CONNECTION (target_obj))
    target = g_hash_table_lookup (b->info, target_obj);
  else if (!(target = lookup_info (b, target_obj, "target", object, error)))
    return FALSE;
  if (neurons && !SPK_IS_ENSEMBLE (target_obj))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: only an ensemble has neurons"), who);
      return FALSE;
    }
  if (target != NULL && target->direct
      && (neurons || (attr != NULL && *attr != '\0' && !g_str_equal (attr, "decoded_output")
                      && !g_str_equal (attr, "input") && !g_str_equal (attr, "scaled_encoders"))))
    {
      g_autofree char *target_name = _spk_builder_describe (target_obj);

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: %s is a Direct ensemble: it has no neurons, so no '%s' to probe (probe its "
                     "decoded_output or input)"),
                   who, target_name, attr != NULL && *attr != '\0' ? attr : "output");
      return FALSE;
    }
  /* A connection's default is Nengo's "output", except that a learning
   * connection's is its weights. */
  if (attr == NULL || *attr == '\0')
    attr = SPK_IS_ENSEMBLE (target_obj) && !neurons ? "decoded_output"
           : SPK_IS_CONNECTION (target_obj) && spk_connection_get_learning_rule_type (SPK_CONNECTION (target_obj))
             ? "weights" : "output";

  if (SPK_IS_CONNECTION (target_obj))
    {
      ConnProbes *cp = g_hash_table_lookup (b->conn_probes, target_obj);

      if (cp != NULL && g_str_equal (attr, "input"))
        signal = cp->in;
      else if (cp != NULL && g_str_equal (attr, "output"))
        signal = cp->out;
      else if (cp != NULL && g_str_equal (attr, "weights") && cp->weights != NULL)
        signal = _spk_builder_whole (b, _spk_builder_add_signal (b, cp->weights_rows * cp->weights_cols,
                                                                 cp->weights, "%s weights", who));
      else if (cp != NULL && g_str_equal (attr, "weights") && cp->no_transform)
        {
          g_autofree char *target_name = _spk_builder_describe (target_obj);

          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: %s has no weights to probe: without a transform (the default, 1) it applies none, "
                         "as in Nengo; give it a transform"), who, target_name);
          return FALSE;
        }
      else
        signal = _spk_builder_learning_probe_view (target, attr);
    }
  else if (!SPK_IS_ENSEMBLE (target_obj))
    {
      if (g_str_equal (attr, "output"))
        signal = target->out;
      else if (g_str_equal (attr, "input") && target->in.sig >= 0)
        signal = target->in;
    }
  else if (target->direct)
    {
      /* Nengo's direct mode: the decoded value is the input itself, and the
       * scaled encoders are the identity. */
      if (g_str_equal (attr, "decoded_output"))
        signal = target->out;
      else if (g_str_equal (attr, "input"))
        signal = target->in;
      else if (g_str_equal (attr, "scaled_encoders"))
        {
          g_autofree double *identity = g_new0 (double, (gsize) target->size_in * target->size_in);

          for (guint i = 0; i < target->size_in; i++)
            identity[(gsize) i * target->size_in + i] = 1.0;
          signal = _spk_builder_whole (b, _spk_builder_add_signal (b, target->size_in * target->size_in, identity,
                                                                   "%s scaled encoders", who));
        }
    }
  else if (!neurons)
    {
      if (g_str_equal (attr, "decoded_output"))
        {
          guint n = target->ens->n, d = target->ens->d, k;
          g_autofree guint *all = NULL;
          g_autofree double *decoders = NULL;
          Transform t = { 0 };

          g_autofree char *k_weights = _spk_builder_param_key (b, object, "weights");
          gboolean taken;

          g_autofree double *values = g_new (double, (gsize) d * n);

          t.values = values;
          if (!_spk_builder_take_override (b, k_weights, d, n, t.values, &taken, error))
            return _spk_builder_prefix_error (error, object), FALSE;
          all = spk_slice_resolve (NULL, d, &k, NULL);
          if (!taken)
            {
              SpkRng rng;

              spk_rng_init (&rng, spk_seed_derive (_spk_builder_object_seed (b, object, _spk_builder_key (b, object)),
                                                   "solver"));
              if (!solve_decoders (b, target, NULL, all, d, NULL, spk_probe_get_solver (probe), &rng, NULL, 0,
                                   &decoders, &k, NULL, error))
                return _spk_builder_prefix_error (error, object), FALSE;
              for (guint r = 0; r < d; r++)
                for (guint j = 0; j < n; j++)
                  t.values[(gsize) r * n + j] = decoders[(gsize) j * k + r];
            }
          _spk_builder_record_param (b, object, k_weights, 2, d, n, t.values);
          signal = add_weighted (b, target->out, &t, d, n, NO_VIEW, k_weights, who);
        }
      else if (g_str_equal (attr, "input"))
        signal = target->in;
      else if (g_str_equal (attr, "scaled_encoders"))
        {
          /* Nengo's encoders with gain/radius folded in: the signal Voja
           * changes, or else a constant signal of them. */
          signal = target->encoders;
          if (signal.sig < 0)
            {
              SpkPlanEnsemble *ens = target->ens;
              g_autofree double *scaled = g_new (double, (gsize) ens->n * ens->d);

              for (guint i = 0; i < ens->n; i++)
                for (guint j = 0; j < ens->d; j++)
                  scaled[(gsize) i * ens->d + j] = ens->encoders[(gsize) i * ens->d + j] * ens->gain[i] / ens->radius;
              signal = _spk_builder_whole (b, _spk_builder_add_signal (b, ens->n * ens->d, scaled,
                                                                         "%s scaled encoders", who));
            }
        }
    }
  else
    {
      int state = spk_neuron_type_find_state (target->ens->neuron_type, attr);

      if (g_str_equal (attr, "output"))
        signal = target->out;
      else if (g_str_equal (attr, "input"))
        signal = target->J;
      else if (state >= 0)
        signal = target->states[state];
    }
  if (signal.sig < 0)
    {
      g_autofree char *target_name = _spk_builder_describe (target_obj);

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: %s%s has no '%s' to probe"), who,
                   target_name, neurons ? " neurons" : "", attr);
      return FALSE;
    }
  if (!isfinite (sample_every) || sample_every < 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: sample_every must be a non-negative number of seconds"), who);
      return FALSE;
    }

  if (spk_probe_get_synapse (probe) != NULL)
    {
      SpkView filtered = _spk_builder_add_synapse (b, spk_probe_get_synapse (probe), signal, who, error);
      SpkPlanOp *op;

      if (filtered.sig < 0)
        return _spk_builder_prefix_error (error, object), FALSE;
      /* The copy reads the filter's output before this step's update, so a
       * filtered probe lags one step, as Nengo's does. */
      signal = _spk_builder_whole (b, _spk_builder_add_signal (b, filtered.len, NULL, "%s", who));
      op = _spk_builder_add_op (b, SPK_OP_COPY, signal, filtered, who);
      ITEM (op)->n_index = filtered.len;
    }
  size = signal.len;
  if (!(slice_index = spk_slice_resolve (spk_probe_get_slice (probe), size, &n_index, error)))
    return _spk_builder_prefix_error (error, object), FALSE;

  plan_probe = g_new0 (SpkPlanProbe, 1);
  plan_probe->label = g_strdup (_spk_builder_key (b, object));
  plan_probe->probe = probe;
  plan_probe->view = signal;
  plan_probe->size = n_index;
  if (!is_identity_index (slice_index, n_index, size))
    plan_probe->index = g_steal_pointer (&slice_index);
  plan_probe->period = sample_every / b->dt;
  g_ptr_array_add (b->plan->probes, plan_probe);
  return TRUE;
}
