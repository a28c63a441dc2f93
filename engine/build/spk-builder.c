/* spk-builder.c — turns a network into a plan.
 *
 * DESIGN
 * Every object becomes signals and operators, as in Nengo's builder:
 *  - a Node: an input signal (reset each step, connections add into it)
 *    and an output signal set by a CONST, EXPR or PROCESS op, or the input
 *    itself for a pass-through;
 *  - an Ensemble: an input vector, the neurons' current J (set to the bias,
 *    then J += (gain/radius)·E·x), the neuron output and its state;
 *  - a Connection: weighted = W·pre (reset each step), then the synapse
 *    (an *update*, hence one step of delay), then post += filtered;
 *  - a Probe: a view of a signal, optionally through its own synapse.
 * Each op declares what it sets, increments, reads and updates; ops are
 * ordered so that for every signal its setter runs before its incrementers,
 * those before its readers, and those before its updater (NEF-FACTS §1).
 * A loop with no synapse in it cannot be ordered and is reported.
 *
 * Randomness: each object draws from streams derived from its own seed,
 * which defaults to spk_seed_derive (network seed, object key), so adding
 * an object never changes another's draws.
 */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-plan-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "core/spk-slice.h"
#include "nef/spk-solver.h"
#include "ops/spk-ops-neurons.h"

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
  SpkPlanEnsemble *ens;
  double          *eval_points;  /* ensemble: m × d, in the ensemble's units */
  guint            m;
  double          *activities;   /* ensemble: m × n, computed when first needed */
  guint            decoded_uses; /* ensemble: solves still to come; activities go at 0 */
  guint64          seed;
} ObjInfo;

typedef struct
{
  SpkNetwork *network;
  SpkPlan    *plan;
  GArray     *params;            /* double */
  GHashTable *info;              /* SpkObject → ObjInfo */
  guint64     seed;
  double      dt;
  guint       n_connections;
  GHashTable *overrides;         /* "<object>/<parameter>" → SpkArray, or NULL */
  GHashTable *depth;             /* SpkObject → longest synapse-free path reaching it */
  GPtrArray  *groups;            /* NeuronGroup */
} Builder;

static void
obj_info_free (gpointer data)
{
  ObjInfo *info = data;

  g_free (info->eval_points);
  g_free (info->activities);
  g_free (info->state_init);
  g_free (info);
}

static void
plan_signal_free (gpointer data)
{
  SpkPlanSignal *signal = data;

  g_free (signal->name);
  g_free (signal->init);
  g_free (signal);
}

static void
plan_op_free (gpointer data)
{
  SpkPlanOp *op = data;

  for (guint i = 0; op->items && i < op->items->len; i++)
    {
      g_free (spk_plan_op_item (op, i)->src_index);
      g_free (spk_plan_op_item (op, i)->dst_index);
    }
  if (op->items)
    g_array_unref (op->items);
  if (op->neuron_type)
    spk_neuron_type_unref (op->neuron_type);
  if (op->expr)
    spk_expr_unref (op->expr);
  if (op->process)
    spk_process_unref (op->process);
  g_clear_object (&op->node);
  g_free (op->owner);
  g_free (op);
}

static void
plan_probe_free (gpointer data)
{
  SpkPlanProbe *probe = data;

  g_free (probe->label);
  g_free (probe->index);
  g_free (probe);
}

static void
plan_ensemble_free (gpointer data)
{
  SpkPlanEnsemble *ens = data;

  g_free (ens->label);
  spk_neuron_type_unref (ens->neuron_type);
  g_free (ens->gain);
  g_free (ens->bias);
  g_free (ens->encoders);
  g_free (ens);
}

/* Names objects in messages the way users wrote them. */
static char *
describe (SpkObject *object)
{
  const char *label = spk_object_get_label (object);

  if (SPK_IS_CONNECTION (object))
    {
      SpkConnection *conn = SPK_CONNECTION (object);
      SpkObject *pre = spk_connection_get_pre (conn), *post = spk_connection_get_post (conn);
      const char *pre_label = pre ? spk_object_get_label (pre) : NULL;
      const char *post_label = post ? spk_object_get_label (post) : NULL;

      if (label)
        return g_strdup_printf ("connection '%s'", label);
      return g_strdup_printf ("connection %s%s → %s%s", pre_label ? pre_label : "?",
                              spk_connection_get_pre_neurons (conn) ? ".neurons" : "",
                              post_label ? post_label : "?",
                              spk_connection_get_post_neurons (conn) ? ".neurons" : "");
    }
  if (label)
    return g_strdup_printf ("%s '%s'", spk_object_get_type_name (object), label);
  return g_strdup_printf ("unlabelled %s", spk_object_get_type_name (object));
}

/* Prefixes an error with the object it concerns. */
static void
prefix_error (GError   **error,
              SpkObject *object)
{
  g_autofree char *who = describe (object);

  g_prefix_error (error, "%s: ", who);
}

static int
add_signal (Builder      *b,
            guint         size,
            const double *init,
            const char   *format,
            ...) G_GNUC_PRINTF (4, 5);

static int
add_signal (Builder      *b,
            guint         size,
            const double *init,
            const char   *format,
            ...)
{
  SpkPlanSignal *signal = g_new0 (SpkPlanSignal, 1);
  va_list args;

  va_start (args, format);
  signal->name = g_strdup_vprintf (format, args);
  va_end (args);
  signal->size = size;
  if (init)
    signal->init = g_memdup2 (init, size * sizeof (double));
  g_ptr_array_add (b->plan->signals, signal);
  return (int) b->plan->signals->len - 1;
}

static gsize
add_params (Builder      *b,
            const double *values,
            gsize         n)
{
  gsize offset = b->params->len;

  g_array_append_vals (b->params, values, n);
  return offset;
}

#define NO_VIEW ((SpkView) { -1, 0, 0 })
#define ITEM(op) spk_plan_op_item ((op), 0)

/* All of signal sig. */
static SpkView
whole (Builder *b,
       int      sig)
{
  SpkPlanSignal *signal = g_ptr_array_index (b->plan->signals, sig);

  return (SpkView) { sig, 0, signal->size };
}

/* Named parameters: recorded for sessions, and taken from overrides when a
 * saved or trained session is rebuilt. */
static char *
param_key (SpkObject  *object,
           const char *fallback,
           const char *name)
{
  const char *label = spk_object_get_label (object);

  return g_strdup_printf ("%s/%s", label ? label : fallback, name);
}

static void
record_param (Builder      *b,
              const char   *key,
              guint         ndim,
              gsize         rows,
              gsize         cols,
              const double *values)
{
  SpkArray *array = spk_array_new (ndim, rows, cols);

  memcpy (array->data, values, array->size * sizeof (double));
  g_hash_table_replace (b->plan->named, g_strdup (key), array);
}

static SpkArray *
find_override (Builder    *b,
               const char *key)
{
  return b->overrides ? g_hash_table_lookup (b->overrides, key) : NULL;
}

/* Copies the override of key into out when there is one of rows × cols
 * values; fails naming the parameter when its size is wrong. */
static gboolean
take_override (Builder     *b,
               const char  *key,
               gsize        rows,
               gsize        cols,
               double      *out,
               gboolean    *taken,
               GError     **error)
{
  SpkArray *array = find_override (b, key);

  *taken = FALSE;
  if (array == NULL)
    return TRUE;
  if (array->size != rows * cols || (cols > 1 && array->ndim == 2 && array->shape[1] != cols))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("parameter '%s' has %zu values but %zu × %zu are needed"),
                   key, array->size, rows, cols);
      return FALSE;
    }
  if (!spk_array_all_finite (array))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("parameter '%s' contains NaN or infinite values"), key);
      return FALSE;
    }
  memcpy (out, array->data, rows * cols * sizeof (double));
  *taken = TRUE;
  return TRUE;
}

/* A matrix for DOT_INC: tall-skinny ones (more rows than columns, like an
 * ensemble's encoders) are stored transposed, so the step streams through
 * them column by column. */
static void
set_matrix (Builder      *b,
            SpkOpItem    *item,
            const double *values,
            guint         rows,
            guint         cols)
{
  item->rows = rows;
  item->cols = cols;
  item->transposed = rows > cols;
  if (!item->transposed)
    {
      item->param = add_params (b, values, (gsize) rows * cols);
      return;
    }
  item->param = b->params->len;
  g_array_set_size (b->params, b->params->len + (gsize) rows * cols);
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      g_array_index (b->params, double, item->param + (gsize) c * rows + r) = values[(gsize) r * cols + c];
}

/* A new operator with one item, dst ← src. */
static SpkPlanOp *
add_op (Builder    *b,
        SpkOpKind   kind,
        SpkView     dst,
        SpkView     src,
        const char *owner)
{
  SpkPlanOp *op = g_new0 (SpkPlanOp, 1);
  SpkOpItem item = { 0 };

  item.dst = dst;
  item.src = src;
  op->kind = kind;
  op->items = g_array_sized_new (FALSE, TRUE, sizeof (SpkOpItem), 1);
  g_array_append_val (op->items, item);
  op->owner = g_strdup (owner);
  g_ptr_array_add (b->plan->ops, op);
  return op;
}

static guint64
object_seed (Builder    *b,
             SpkObject  *object,
             const char *fallback_key)
{
  gint64 seed = spk_object_get_seed (object);
  const char *label = spk_object_get_label (object);

  if (seed >= 0)
    return (guint64) seed;
  return spk_seed_derive (b->seed, label ? label : fallback_key);
}

static gboolean
check_array_finite (SpkArray   *array,
                    const char *what,
                    GError    **error)
{
  if (array && !spk_array_all_finite (array))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s contains NaN or infinite values"), what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sample (const SpkDistribution *dist,
        const char            *what,
        gsize                  n,
        gsize                  d,
        SpkRng                *rng,
        double                *out,
        GError               **error)
{
  if (dist == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID, _("%s is not set"), what);
      return FALSE;
    }
  if (dist->kind == SPK_DIST_ARRAY && !check_array_finite (dist->array, what, error))
    return FALSE;
  if (!spk_distribution_sample (dist, n, d, rng, out, error))
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }
  return TRUE;
}

/* Nodes */

static gboolean
build_node (Builder  *b,
            SpkNode  *node,
            ObjInfo  *info,
            GError  **error)
{
  SpkObject *object = SPK_OBJECT (node);
  g_autofree char *who = describe (object);
  SpkArray *value = spk_node_get_output_value (node);
  const char *expr_text = spk_node_get_output_expr (node);
  SpkProcess *process = spk_node_get_output_process (node);
  int size_out = spk_node_get_size_out (node);
  guint size_in = spk_node_get_size_in (node);
  SpkPlanOp *op;

  info->size_in = size_in;
  info->in = NO_VIEW;
  info->seed = object_seed (b, object, "node");
  if (size_in > 0)
    {
      info->in = whole (b, add_signal (b, size_in, NULL, "%s input", who));
      add_op (b, SPK_OP_RESET, info->in, NO_VIEW, who);
    }

  if (value)
    {
      guint n = value->ndim == 0 ? 1 : (guint) value->size;

      if (value->ndim == 2 && value->shape[1] != 1 && value->shape[0] != 1)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: output must be a vector, not a matrix"), who);
          return FALSE;
        }
      if (!check_array_finite (value, "output", error))
        return prefix_error (error, object), FALSE;
      if (size_out >= 0 && (guint) size_out != n)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: output has %u values but size_out is %d"), who, n, size_out);
          return FALSE;
        }
      info->size_out = n;
      info->out = whole (b, add_signal (b, n, value->data, "%s output", who));
      op = add_op (b, SPK_OP_CONST, info->out, NO_VIEW, who);
      ITEM (op)->param = add_params (b, value->data, n);
      op->node = g_object_ref (object);
    }
  else if (expr_text)
    {
      g_autoptr (SpkExpr) expr = spk_expr_compile (expr_text, size_in, error);

      if (expr == NULL)
        return prefix_error (error, object), FALSE;
      if (size_out >= 0 && (guint) size_out != spk_expr_get_size_out (expr))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: output expression gives %u values but size_out is %d"),
                       who, spk_expr_get_size_out (expr), size_out);
          return FALSE;
        }
      info->size_out = spk_expr_get_size_out (expr);
      info->out = whole (b, add_signal (b, info->size_out, NULL, "%s output", who));
      op = add_op (b, SPK_OP_EXPR, info->out, info->in, who);
      op->expr = g_steal_pointer (&expr);
      if (size_in == 0)
        op->node = g_object_ref (object);
    }
  else if (process)
    {
      info->size_out = size_out >= 0 ? (guint) size_out : spk_process_default_size_out (process);
      if (!spk_process_validate (process, info->size_out, error))
        return prefix_error (error, object), FALSE;
      info->out = whole (b, add_signal (b, info->size_out, NULL, "%s output", who));
      op = add_op (b, SPK_OP_PROCESS, info->out, NO_VIEW, who);
      op->process = spk_process_ref (process);
      op->seed = process->seed >= 0 ? (guint64) process->seed : spk_seed_derive (info->seed, "process");
      op->node = g_object_ref (object);
    }
  else
    {
      if (size_in == 0)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s has neither an output nor an input (set output or size_in)"), who);
          return FALSE;
        }
      if (size_out >= 0 && (guint) size_out != size_in)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: a pass-through node has size_out equal to size_in (%u), not %d"),
                       who, size_in, size_out);
          return FALSE;
        }
      info->size_out = size_in;
      info->out = info->in;
    }
  return TRUE;
}

static void
neuron_group_free (gpointer data)
{
  NeuronGroup *group = data;

  g_ptr_array_unref (group->members);
  g_free (group->name);
  g_free (group);
}

/* The longest chain of synapse-free connections that reaches each object.
 * Two ensembles at the same depth are never joined by such a chain, so
 * they may share one neuron update without creating a loop. */
static guint
depth_of (Builder    *b,
          SpkObject  *object,
          GHashTable *visiting)
{
  GPtrArray *objects = spk_network_get_objects (b->network);
  gpointer known;
  guint depth = 0;

  if (g_hash_table_lookup_extended (b->depth, object, NULL, &known))
    return GPOINTER_TO_UINT (known);
  if (g_hash_table_contains (visiting, object))
    return 0;   /* a loop with no synapse: the sort reports it */
  g_hash_table_add (visiting, object);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *other = g_ptr_array_index (objects, i);
      SpkConnection *conn;

      if (!SPK_IS_CONNECTION (other))
        continue;
      conn = SPK_CONNECTION (other);
      if (spk_connection_get_synapse (conn) == NULL && spk_connection_get_post (conn) == object
          && spk_connection_get_pre (conn) != NULL)
        depth = MAX (depth, depth_of (b, spk_connection_get_pre (conn), visiting) + 1);
    }
  g_hash_table_remove (visiting, object);
  g_hash_table_insert (b->depth, object, GUINT_TO_POINTER (depth));
  return depth;
}

static void
join_group (Builder       *b,
            ObjInfo       *info,
            SpkNeuronType *type)
{
  g_autoptr (GHashTable) visiting = g_hash_table_new (NULL, NULL);
  guint depth = depth_of (b, info->object, visiting);
  NeuronGroup *group = NULL;

  for (guint i = 0; i < b->groups->len && group == NULL; i++)
    {
      NeuronGroup *g = g_ptr_array_index (b->groups, i);

      if (g->depth == depth && spk_neuron_type_equal (g->type, type))
        group = g;
    }
  if (group == NULL)
    {
      group = g_new0 (NeuronGroup, 1);
      group->type = type;
      group->depth = depth;
      group->members = g_ptr_array_new ();
      g_ptr_array_add (b->groups, group);
    }
  info->group = group;
  info->group_off = group->n;
  group->n += info->ens->n;
  g_ptr_array_add (group->members, info);
}

/* Ensembles */

static guint
default_n_eval_points (guint n,
                       guint d)
{
  return MAX (CLAMP (500 * d, 750u, 2500u), 2 * n);
}

static gboolean
build_ensemble (Builder      *b,
                SpkEnsemble  *ensemble,
                ObjInfo      *info,
                GError      **error)
{
  SpkObject *object = SPK_OBJECT (ensemble);
  g_autofree char *who = describe (object);
  int n_neurons = spk_ensemble_get_n_neurons (ensemble);
  int dims = spk_ensemble_get_dimensions (ensemble);
  double radius = spk_ensemble_get_radius (ensemble);
  SpkNeuronType *type = spk_ensemble_get_neuron_type (ensemble);
  SpkArray *gain = spk_ensemble_get_gain (ensemble), *bias = spk_ensemble_get_bias (ensemble);
  SpkPlanEnsemble *ens;
  const char *state_names[SPK_NEURON_MAX_STATES];
  double *state_ptrs[SPK_NEURON_MAX_STATES];
  guint n, d, n_states, m;
  SpkRng rng, state_rng;
  g_autofree char *k_eval = param_key (SPK_OBJECT (ensemble), "ensemble", "eval_points");
  g_autofree char *k_enc = param_key (SPK_OBJECT (ensemble), "ensemble", "encoders");
  g_autofree char *k_gain = param_key (SPK_OBJECT (ensemble), "ensemble", "gain");
  g_autofree char *k_bias = param_key (SPK_OBJECT (ensemble), "ensemble", "bias");
  SpkArray *saved;
  gboolean taken, taken_bias;

  if (n_neurons <= 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: n_neurons must be at least 1 (got %d)"), who, n_neurons);
      return FALSE;
    }
  if (dims <= 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: dimensions must be at least 1 (got %d)"), who, dims);
      return FALSE;
    }
  if (!isfinite (radius) || radius <= 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: radius must be a positive number (got %g)"), who, radius);
      return FALSE;
    }
  if (type == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: neuron_type is not set"), who);
      return FALSE;
    }
  if (!spk_neuron_type_validate (type, error))
    return prefix_error (error, object), FALSE;

  n = (guint) n_neurons;
  d = (guint) dims;
  info->seed = object_seed (b, object, "ensemble");
  spk_rng_init (&rng, info->seed);
  spk_rng_init (&state_rng, spk_seed_derive (info->seed, "neuron-state"));

  ens = g_new0 (SpkPlanEnsemble, 1);
  ens->label = g_strdup (spk_object_get_label (object));
  ens->neuron_type = spk_neuron_type_ref (type);
  ens->n = n;
  ens->d = d;
  ens->radius = radius;
  ens->gain = g_new0 (double, n);
  ens->bias = g_new0 (double, n);
  ens->encoders = g_try_new0 (double, (gsize) n * d);
  g_ptr_array_add (b->plan->ensembles, ens);
  info->ens = ens;
  if (ens->encoders == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("%s: not enough memory for %u × %u encoders"), who, n, d);
      return FALSE;
    }

  /* Evaluation points first, then encoders, then rates and intercepts:
   * each from the ensemble's stream, in a fixed order. */
  m = spk_ensemble_get_n_eval_points (ensemble) > 0
      ? (guint) spk_ensemble_get_n_eval_points (ensemble) : default_n_eval_points (n, d);
  {
    SpkDistribution *ep = spk_ensemble_get_eval_points (ensemble);

    if (ep && ep->kind == SPK_DIST_ARRAY && ep->array->ndim == 2 && ep->array->shape[1] == d)
      m = (guint) ep->array->shape[0];
    if ((saved = find_override (b, k_eval)) && saved->size % d == 0 && saved->size > 0)
      m = (guint) (saved->size / d);
  }
  info->m = m;
  info->eval_points = g_try_new (double, (gsize) m * d);
  if (info->eval_points == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("%s: not enough memory for %u evaluation points"), who, m);
      return FALSE;
    }
  if (!take_override (b, k_eval, m, d, info->eval_points, &taken, error))
    return prefix_error (error, object), FALSE;
  if (!taken)
    {
      if (!sample (spk_ensemble_get_eval_points (ensemble), "eval_points", m, d, &rng,
                   info->eval_points, error))
        return prefix_error (error, object), FALSE;
      /* Eval points given as a distribution are in the unit ball; arrays
       * are taken as given, in the ensemble's units (as Nengo does). */
      if (spk_ensemble_get_eval_points (ensemble)->kind != SPK_DIST_ARRAY)
        for (gsize i = 0; i < (gsize) m * d; i++)
          info->eval_points[i] *= radius;
    }

  if (!take_override (b, k_enc, n, d, ens->encoders, &taken, error))
    return prefix_error (error, object), FALSE;
  if (!taken && !sample (spk_ensemble_get_encoders (ensemble), "encoders", n, d, &rng, ens->encoders, error))
    return prefix_error (error, object), FALSE;
  if (!taken && spk_ensemble_get_normalize_encoders (ensemble))
    for (guint i = 0; i < n; i++)
      {
        double norm = 0.0;

        for (guint j = 0; j < d; j++)
          norm += ens->encoders[i * d + j] * ens->encoders[i * d + j];
        norm = sqrt (norm);
        if (norm > 0.0)
          for (guint j = 0; j < d; j++)
            ens->encoders[i * d + j] /= norm;
      }

  if (!take_override (b, k_gain, n, 1, ens->gain, &taken, error)
      || !take_override (b, k_bias, n, 1, ens->bias, &taken_bias, error))
    return prefix_error (error, object), FALSE;
  if (taken != taken_bias)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: saved gain and bias must be given together"), who);
      return FALSE;
    }
  if (taken)
    ;
  else if (gain != NULL || bias != NULL)
    {
      if (gain == NULL || bias == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: gain and bias must be given together"), who);
          return FALSE;
        }
      if (gain->size != n || bias->size != n)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: gain and bias need %u values each (got %zu and %zu)"),
                       who, n, gain->size, bias->size);
          return FALSE;
        }
      if (!check_array_finite (gain, "gain", error) || !check_array_finite (bias, "bias", error))
        return prefix_error (error, object), FALSE;
      memcpy (ens->gain, gain->data, n * sizeof (double));
      memcpy (ens->bias, bias->data, n * sizeof (double));
    }
  else
    {
      g_autofree double *max_rates = g_new (double, n);
      g_autofree double *intercepts = g_new (double, n);

      if (!sample (spk_ensemble_get_max_rates (ensemble), "max_rates", n, 1, &rng, max_rates, error)
          || !sample (spk_ensemble_get_intercepts (ensemble), "intercepts", n, 1, &rng, intercepts, error)
          || !spk_neuron_gain_bias (type, max_rates, intercepts, n, ens->gain, ens->bias, error))
        return prefix_error (error, object), FALSE;
    }

  record_param (b, k_eval, 2, m, d, info->eval_points);
  record_param (b, k_enc, 2, n, d, ens->encoders);
  record_param (b, k_gain, 1, n, 1, ens->gain);
  record_param (b, k_bias, 1, n, 1, ens->bias);

  /* The input vector is the ensemble's own; J, the output and the state
   * are parts of its group's signals, made once every ensemble is known
   * (finish_groups). */
  info->in = whole (b, add_signal (b, d, NULL, "%s input", who));
  add_op (b, SPK_OP_RESET, info->in, NO_VIEW, who);
  info->size_out = n;
  /* A wrapper (RegularSpiking of an adaptive base) carries its base's
   * states after its own. */
  n_states = spk_neuron_step_n_states (type);
  {
    guint own = spk_neuron_type_state_names (type, state_names);

    if (own < n_states && type->base)
      spk_neuron_type_state_names (type->base, state_names + own);
  }
  info->n_states = n_states;
  info->state_init = g_new0 (double, (gsize) MAX (n_states, 1) * n);
  for (guint s = 0; s < n_states; s++)
    state_ptrs[s] = info->state_init + (gsize) s * n;
  if (!spk_neuron_init_state (type, n, &state_rng, state_ptrs, error))
    return prefix_error (error, object), FALSE;
  join_group (b, info, type);
  return TRUE;
}

static void
name_view (Builder    *b,
           SpkView     view,
           const char *who,
           const char *what)
{
  SpkNamedView named = { view, g_strdup_printf ("%s %s", who, what) };

  g_array_append_val (b->plan->named_views, named);
}

/* Makes each group's shared signals — J (set to the biases), the output and
 * the state — its one neuron update, and each member's encoders
 * J += (gain/radius)·E·x on its part of J. */
static void
finish_groups (Builder *b)
{
  for (guint g = 0; g < b->groups->len; g++)
    {
      NeuronGroup *group = g_ptr_array_index (b->groups, g);
      ObjInfo *first = g_ptr_array_index (group->members, 0);
      guint n_states = first->n_states, n = group->n;
      g_autofree double *bias = g_new (double, n);
      g_autofree double *init = g_new0 (double, (gsize) MAX (n_states, 1) * n);
      g_autofree char *name = NULL;
      const char *state_names[SPK_NEURON_MAX_STATES];
      SpkView J, out, states[SPK_NEURON_MAX_STATES];
      SpkPlanOp *op;

      if (group->members->len == 1)
        name = describe (first->object);
      else
        name = g_strdup_printf ("%u %s ensembles", group->members->len,
                                spk_neuron_kind_to_name (group->type->kind));
      {
        guint own = spk_neuron_type_state_names (group->type, state_names);

        if (own < n_states && group->type->base)
          spk_neuron_type_state_names (group->type->base, state_names + own);
      }
      for (guint m = 0; m < group->members->len; m++)
        {
          ObjInfo *info = g_ptr_array_index (group->members, m);

          memcpy (bias + info->group_off, info->ens->bias, info->ens->n * sizeof (double));
          for (guint s = 0; s < n_states; s++)
            memcpy (init + (gsize) s * n + info->group_off, info->state_init + (gsize) s * info->ens->n,
                    info->ens->n * sizeof (double));
        }

      J = whole (b, add_signal (b, n, NULL, "%s neuron input current", name));
      op = add_op (b, SPK_OP_SET_PARAM, J, NO_VIEW, name);
      ITEM (op)->param = add_params (b, bias, n);
      out = whole (b, add_signal (b, n, NULL, "%s neuron output", name));
      for (guint s = 0; s < n_states; s++)
        states[s] = whole (b, add_signal (b, n, init + (gsize) s * n, "%s neuron %s", name, state_names[s]));
      op = add_op (b, SPK_OP_NEURONS, out, J, name);
      op->neuron_type = spk_neuron_type_ref (group->type);
      op->seed = spk_seed_derive (first->seed, "neuron-noise");
      op->n_states = n_states;
      for (guint s = 0; s < n_states; s++)
        ITEM (op)->states[s] = states[s];

      for (guint m = 0; m < group->members->len; m++)
        {
          ObjInfo *info = g_ptr_array_index (group->members, m);
          SpkPlanEnsemble *ens = info->ens;
          g_autofree char *who = describe (info->object);
          g_autofree double *scaled = g_new (double, (gsize) ens->n * ens->d);

          info->J = (SpkView) { J.sig, info->group_off, ens->n };
          info->out = (SpkView) { out.sig, info->group_off, ens->n };
          for (guint s = 0; s < n_states; s++)
            info->states[s] = (SpkView) { states[s].sig, info->group_off, ens->n };
          name_view (b, info->J, who, "neuron input current");
          name_view (b, info->out, who, "neuron output");
          for (guint s = 0; s < n_states; s++)
            {
              g_autofree char *what = g_strdup_printf ("neuron %s", state_names[s]);

              name_view (b, info->states[s], who, what);
            }
          for (guint i = 0; i < ens->n; i++)
            for (guint j = 0; j < ens->d; j++)
              scaled[(gsize) i * ens->d + j] = ens->encoders[(gsize) i * ens->d + j] * ens->gain[i] / ens->radius;
          op = add_op (b, SPK_OP_DOT_INC, info->J, info->in, who);
          set_matrix (b, ITEM (op), scaled, ens->n, ens->d);
          b->plan->n_neurons += ens->n;
        }
    }
}

/* Decoders: A = rates at the eval points (computed once per ensemble),
 * Y = f(eval points[pre slice]); D (n × k) by the solver. */
static gboolean
solve_decoders (Builder         *b,
                ObjInfo         *pre,
                const guint     *pre_index,
                guint            n_pre_index,
                SpkExpr         *function,
                const SpkSolver *solver,
                double         **decoders,
                guint           *k_out,
                GError         **error)
{
  SpkPlanEnsemble *ens = pre->ens;
  gsize m = pre->m, n = ens->n, d = ens->d;
  guint k = function ? spk_expr_get_size_out (function) : n_pre_index;
  g_autofree double *xs = g_try_new (double, m * MAX (n_pre_index, 1));
  g_autofree double *Y = g_try_new (double, m * MAX (k, 1));
  g_autofree double *D = g_try_new (double, n * MAX (k, 1));

  if (xs == NULL || Y == NULL || D == NULL)
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

  if (pre->activities == NULL)
    {
      /* A = rates(X·Eᵀ / radius), computed in place: one m × n array. */
      pre->activities = g_try_new (double, m * n);
      if (pre->activities == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                       _("not enough memory for %zu × %zu activities"), m, n);
          return FALSE;
        }
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) m, (int) n, (int) d,
                   1.0 / ens->radius, pre->eval_points, (int) d, ens->encoders, (int) d,
                   0.0, pre->activities, (int) n);
      spk_neuron_rates (ens->neuron_type, pre->activities, ens->gain, ens->bias, m, n, b->dt,
                        pre->activities);
    }

  for (gsize i = 0; i < m; i++)
    for (guint j = 0; j < n_pre_index; j++)
      xs[i * n_pre_index + j] = pre->eval_points[i * d + pre_index[j]];
  if (function)
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

  if (!spk_solver_solve (solver, pre->activities, m, n, Y, k, D, NULL, error))
    return FALSE;
  /* Activities are the largest thing a build holds (m × n doubles per
   * ensemble): keep them only while another solve will use them. */
  if (pre->decoded_uses > 0 && --pre->decoded_uses == 0)
    g_clear_pointer (&pre->activities, g_free);
  *decoders = g_steal_pointer (&D);
  *k_out = k;
  return TRUE;
}

/* Transforms: a scalar or diagonal (ELEM_INC), or a full matrix. */
typedef struct
{
  gboolean  elementwise;
  gboolean  scalar;
  double   *values;    /* scalar: 1; diagonal: size_out; matrix: size_out × size_mid */
} Transform;

static gboolean
make_transform (Builder               *b,
                const SpkDistribution *dist,
                guint                  size_out,
                guint                  size_mid,
                SpkRng                *rng,
                Transform             *t,
                GError               **error)
{
  if (dist == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID, _("transform is not set"));
      return FALSE;
    }
  if (dist->kind == SPK_DIST_ARRAY)
    {
      SpkArray *a = dist->array;

      if (!check_array_finite (a, "transform", error))
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
  return sample (dist, "transform", size_out, size_mid, rng, t->values, error);
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
static SpkView
add_synapse (Builder          *b,
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
  out = whole (b, add_signal (b, src.len, NULL, "%s filtered", who));
  op = add_op (b, SPK_OP_FILTER, out, src, who);
  op->filter = filter;
  op->n_states = filter.order;
  for (guint s = 0; s < filter.order; s++)
    ITEM (op)->states[s] = whole (b, add_signal (b, src.len, NULL, "%s synapse state %u", who, s));
  return out;
}

/* weighted = W·src for a decoded ensemble or a Node/neurons source. */
static SpkView
add_weighted (Builder    *b,
              SpkView     src,
              Transform  *t,
              guint       size_out,
              guint       size_mid,
              const char *who)
{
  SpkView weighted = whole (b, add_signal (b, size_out, NULL, "%s weighted", who));
  SpkPlanOp *op;

  add_op (b, SPK_OP_RESET, weighted, NO_VIEW, who);
  if (t->elementwise)
    {
      op = add_op (b, SPK_OP_ELEM_INC, weighted, src, who);
      ITEM (op)->scalar = t->scalar;
      ITEM (op)->param = add_params (b, t->values, t->scalar ? 1 : size_out);
    }
  else
    {
      op = add_op (b, SPK_OP_DOT_INC, weighted, src, who);
      set_matrix (b, ITEM (op), t->values, size_out, size_mid);
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
      g_autofree char *who = describe (owner);

      if (object == NULL)
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                     _("%s: %s is not set"), who, role);
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
  return take_override (b, key, n_post, vector ? 1 : size_mid, t->values, &taken, error);
}

static gboolean
build_connection (Builder        *b,
                  SpkConnection  *conn,
                  GError        **error)
{
  SpkObject *object = SPK_OBJECT (conn);
  g_autofree char *who = describe (object);
  g_autofree char *key = g_strdup_printf ("connection%u", b->n_connections++);
  g_autofree char *k_weights = param_key (object, key, "weights");
  SpkArray *saved = find_override (b, k_weights);
  SpkObject *pre_obj = spk_connection_get_pre (conn), *post_obj = spk_connection_get_post (conn);
  gboolean pre_neurons = spk_connection_get_pre_neurons (conn);
  gboolean post_neurons = spk_connection_get_post_neurons (conn);
  const char *function_text = spk_connection_get_function (conn);
  g_autoptr (SpkExpr) function = NULL;
  g_autofree guint *pre_index = NULL, *post_index = NULL;
  g_autofree double *decoders = NULL;
  Transform t = { 0 };
  ObjInfo *pre, *post;
  guint pre_size, n_pre, n_post, post_size, size_mid;
  SpkView weighted, filtered, post_signal;
  gboolean decoded;
  SpkPlanOp *op;
  SpkRng rng;
  gboolean ok = FALSE;

  if (!(pre = lookup_info (b, pre_obj, "pre", object, error))
      || !(post = lookup_info (b, post_obj, "post", object, error)))
    return FALSE;
  if ((pre_neurons && !SPK_IS_ENSEMBLE (pre_obj)) || (post_neurons && !SPK_IS_ENSEMBLE (post_obj)))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: only an ensemble has neurons"), who);
      return FALSE;
    }
  spk_rng_init (&rng, object_seed (b, object, key));

  decoded = SPK_IS_ENSEMBLE (pre_obj) && !pre_neurons;
  pre_size = decoded ? pre->ens->d : pre->size_out;
  if (!(pre_index = spk_slice_resolve (spk_connection_get_pre_slice (conn), pre_size, &n_pre, error)))
    return prefix_error (error, object), FALSE;

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
  size_mid = function ? spk_expr_get_size_out (function) : n_pre;

  if (SPK_IS_ENSEMBLE (post_obj))
    {
      post_size = post_neurons ? post->ens->n : post->ens->d;
      post_signal = post_neurons ? post->J : post->in;
    }
  else
    {
      post_size = post->size_in;
      post_signal = post->in;
      if (post_size == 0)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: node '%s' takes no input (its size_in is 0)"), who,
                       spk_object_get_label (post_obj));
          return FALSE;
        }
    }
  if (!(post_index = spk_slice_resolve (spk_connection_get_post_slice (conn), post_size, &n_post, error)))
    return prefix_error (error, object), FALSE;

  if (!make_transform (b, spk_connection_get_transform (conn), n_post, size_mid, &rng, &t, error))
    {
      prefix_error (error, object);
      goto out;
    }

  if (decoded && saved != NULL)
    {
      /* A saved or trained session: the weights as they were, no solve. */
      gboolean taken;

      g_free (t.values);
      t.values = g_new (double, (gsize) n_post * pre->ens->n);
      t.elementwise = t.scalar = FALSE;
      if (!take_override (b, k_weights, n_post, pre->ens->n, t.values, &taken, error))
        {
          prefix_error (error, object);
          goto out;
        }
      weighted = add_weighted (b, pre->out, &t, n_post, pre->ens->n, who);
      record_param (b, k_weights, 2, n_post, pre->ens->n, t.values);
    }
  else if (decoded)
    {
      guint k, n = pre->ens->n;
      g_autofree double *W = g_new0 (double, (gsize) n_post * n);

      if (!solve_decoders (b, pre, pre_index, n_pre, function, spk_connection_get_solver (conn),
                           &decoders, &k, error))
        {
          prefix_error (error, object);
          goto out;
        }
      /* W = T·Dᵀ (n_post × n). */
      for (guint r = 0; r < n_post; r++)
        for (guint j = 0; j < n; j++)
          {
            double sum = 0.0;

            if (t.elementwise)
              sum = (t.scalar ? t.values[0] : t.values[r]) * decoders[(gsize) j * k + r];
            else
              for (guint c = 0; c < k; c++)
                sum += t.values[(gsize) r * k + c] * decoders[(gsize) j * k + c];
            W[(gsize) r * n + j] = sum;
          }
      if (post_neurons)
        for (guint r = 0; r < n_post; r++)
          for (guint j = 0; j < n; j++)
            W[(gsize) r * n + j] *= post->ens->gain[post_index[r]];
      g_free (t.values);
      t.values = g_steal_pointer (&W);
      t.elementwise = t.scalar = FALSE;
      weighted = add_weighted (b, pre->out, &t, n_post, n, who);
      record_param (b, k_weights, 2, n_post, n, t.values);
    }
  else
    {
      SpkView src = pre->out;

      if (!is_identity_index (pre_index, n_pre, pre_size))
        {
          SpkView sliced = whole (b, add_signal (b, n_pre, NULL, "%s sliced input", who));

          op = add_op (b, SPK_OP_COPY, sliced, src, who);
          ITEM (op)->src_index = g_memdup2 (pre_index, n_pre * sizeof (guint));
          ITEM (op)->n_index = n_pre;
          src = sliced;
        }
      if (function)
        {
          SpkView mid = whole (b, add_signal (b, size_mid, NULL, "%s function output", who));

          op = add_op (b, SPK_OP_EXPR, mid, src, who);
          op->expr = g_steal_pointer (&function);
          src = mid;
        }
      if (post_neurons)
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
          prefix_error (error, object);
          goto out;
        }
      weighted = add_weighted (b, src, &t, n_post, size_mid, who);
      if (t.elementwise && t.scalar)
        {
          /* Saved as the vector it acts as, so any saved form reloads. */
          g_autofree double *diag = g_new (double, n_post);

          for (guint r = 0; r < n_post; r++)
            diag[r] = t.values[0];
          record_param (b, k_weights, 1, n_post, 1, diag);
        }
      else if (t.elementwise)
        record_param (b, k_weights, 1, n_post, 1, t.values);
      else
        record_param (b, k_weights, 2, n_post, size_mid, t.values);
    }

  filtered = add_synapse (b, spk_connection_get_synapse (conn), weighted, who, error);
  if (filtered.sig < 0)
    {
      prefix_error (error, object);
      goto out;
    }
  op = add_op (b, SPK_OP_COPY, post_signal, filtered, who);
  ITEM (op)->inc = TRUE;
  ITEM (op)->n_index = n_post;
  if (!is_identity_index (post_index, n_post, post_size))
    ITEM (op)->dst_index = g_memdup2 (post_index, n_post * sizeof (guint));
  ok = TRUE;

out:
  g_free (t.values);
  return ok;
}

/* Probes */

static gboolean
build_probe (Builder   *b,
             SpkProbe  *probe,
             guint      index,
             GError   **error)
{
  SpkObject *object = SPK_OBJECT (probe);
  g_autofree char *who = describe (object);
  SpkObject *target_obj = spk_probe_get_target (probe);
  gboolean neurons = spk_probe_get_target_neurons (probe);
  const char *attr = spk_probe_get_attr (probe);
  double sample_every = spk_probe_get_sample_every (probe);
  SpkPlanProbe *plan_probe;
  ObjInfo *target;
  guint n_index, size;
  SpkView signal = NO_VIEW;
  g_autofree guint *slice_index = NULL;

  if (!(target = lookup_info (b, target_obj, "target", object, error)))
    return FALSE;
  if (neurons && !SPK_IS_ENSEMBLE (target_obj))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: only an ensemble has neurons"), who);
      return FALSE;
    }
  if (attr == NULL || *attr == '\0')
    attr = SPK_IS_ENSEMBLE (target_obj) && !neurons ? "decoded_output" : "output";

  if (SPK_IS_NODE (target_obj))
    {
      if (g_str_equal (attr, "output"))
        signal = target->out;
      else if (g_str_equal (attr, "input") && target->in.sig >= 0)
        signal = target->in;
    }
  else if (!neurons)
    {
      if (g_str_equal (attr, "decoded_output"))
        {
          guint n = target->ens->n, d = target->ens->d, k;
          g_autofree guint *all = NULL;
          g_autofree double *decoders = NULL;
          Transform t = { 0 };

          g_autofree char *fallback = g_strdup_printf ("probe%u", index);
          g_autofree char *k_weights = param_key (object, fallback, "weights");
          gboolean taken;

          t.values = g_new (double, (gsize) d * n);
          if (!take_override (b, k_weights, d, n, t.values, &taken, error))
            return prefix_error (error, object), FALSE;
          all = spk_slice_resolve (NULL, d, &k, NULL);
          if (!taken)
            {
              if (!solve_decoders (b, target, all, d, NULL, spk_probe_get_solver (probe), &decoders, &k, error))
                return prefix_error (error, object), FALSE;
              for (guint r = 0; r < d; r++)
                for (guint j = 0; j < n; j++)
                  t.values[(gsize) r * n + j] = decoders[(gsize) j * k + r];
            }
          record_param (b, k_weights, 2, d, n, t.values);
          signal = add_weighted (b, target->out, &t, d, n, who);
          g_free (t.values);
        }
      else if (g_str_equal (attr, "input"))
        signal = target->in;
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
      g_autofree char *target_name = describe (target_obj);

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
      SpkView filtered = add_synapse (b, spk_probe_get_synapse (probe), signal, who, error);
      SpkPlanOp *op;

      if (filtered.sig < 0)
        return prefix_error (error, object), FALSE;
      /* The copy reads the filter's output before this step's update, so a
       * filtered probe lags one step, as Nengo's does. */
      signal = whole (b, add_signal (b, filtered.len, NULL, "%s", who));
      op = add_op (b, SPK_OP_COPY, signal, filtered, who);
      ITEM (op)->n_index = filtered.len;
    }
  size = signal.len;
  if (!(slice_index = spk_slice_resolve (spk_probe_get_slice (probe), size, &n_index, error)))
    return prefix_error (error, object), FALSE;

  plan_probe = g_new0 (SpkPlanProbe, 1);
  plan_probe->label = spk_object_get_label (object)
                      ? g_strdup (spk_object_get_label (object))
                      : g_strdup_printf ("probe%u", index);
  plan_probe->probe = probe;
  plan_probe->view = signal;
  plan_probe->size = n_index;
  if (!is_identity_index (slice_index, n_index, size))
    plan_probe->index = g_steal_pointer (&slice_index);
  plan_probe->period = sample_every / b->dt;
  g_ptr_array_add (b->plan->probes, plan_probe);
  return TRUE;
}

/* Ordering (NEF-FACTS §1): per signal, setters → incrementers → readers →
 * updaters.  Kahn's algorithm; among the ready operators it keeps taking
 * the kind it took last, so that same-kind operators end up side by side
 * and merge (merge_runs) into one operator with many items. */
typedef enum { ROLE_SET, ROLE_INC, ROLE_READ, ROLE_UPDATE, N_ROLES } Role;

typedef void (*RoleVisit) (gpointer data, int signal, Role role, guint op_index);

static void
op_roles (const SpkPlanOp *op,
          RoleVisit        visit,
          gpointer         data,
          guint            op_index)
{
  for (guint i = 0; i < op->items->len; i++)
    {
      const SpkOpItem *item = spk_plan_op_item (op, i);

      switch (op->kind)
        {
        case SPK_OP_RESET:
        case SPK_OP_SET_PARAM:
        case SPK_OP_PROCESS:
        case SPK_OP_CONST:
          visit (data, item->dst.sig, ROLE_SET, op_index);
          break;
        case SPK_OP_COPY:
          visit (data, item->dst.sig, item->inc ? ROLE_INC : ROLE_SET, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          break;
        case SPK_OP_DOT_INC:
        case SPK_OP_ELEM_INC:
          visit (data, item->dst.sig, ROLE_INC, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          break;
        case SPK_OP_NEURONS:
          visit (data, item->dst.sig, ROLE_SET, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          for (guint s = 0; s < op->n_states; s++)
            visit (data, item->states[s].sig, ROLE_UPDATE, op_index);
          break;
        case SPK_OP_FILTER:
          visit (data, item->dst.sig, ROLE_UPDATE, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          for (guint s = 0; s < op->n_states; s++)
            visit (data, item->states[s].sig, ROLE_UPDATE, op_index);
          break;
        case SPK_OP_EXPR:
          visit (data, item->dst.sig, ROLE_SET, op_index);
          if (item->src.sig >= 0)
            visit (data, item->src.sig, ROLE_READ, op_index);
          break;
        case SPK_OP_N_KINDS:
          g_assert_not_reached ();
        }
    }
}

typedef struct
{
  GArray **by_role;   /* [signal * N_ROLES + role] → GArray of op indices */
} RoleTable;

static void
collect_role (gpointer data,
              int      signal,
              Role     role,
              guint    op_index)
{
  RoleTable *table = data;
  GArray **slot = &table->by_role[(gsize) signal * N_ROLES + role];

  if (*slot == NULL)
    *slot = g_array_new (FALSE, FALSE, sizeof (guint));
  /* An op with many items may touch one signal in one role many times. */
  if ((*slot)->len == 0 || g_array_index (*slot, guint, (*slot)->len - 1) != op_index)
    g_array_append_val (*slot, op_index);
}

/* Operators that may share one operator: every item runs in the order the
 * sort put them, so merging a run of neighbours never changes a result. */
static gboolean
can_merge (const SpkPlanOp *a,
           const SpkPlanOp *c)
{
  if (a->kind != c->kind)
    return FALSE;
  switch (a->kind)
    {
    case SPK_OP_RESET:
    case SPK_OP_SET_PARAM:
    case SPK_OP_COPY:
    case SPK_OP_DOT_INC:
    case SPK_OP_ELEM_INC:
      return TRUE;
    case SPK_OP_FILTER:
      return a->n_states == c->n_states && memcmp (&a->filter, &c->filter, sizeof a->filter) == 0;
    case SPK_OP_NEURONS:
    case SPK_OP_EXPR:
    case SPK_OP_PROCESS:
    case SPK_OP_CONST:
    case SPK_OP_N_KINDS:
      return FALSE;
    }
  return FALSE;
}

static void
merge_runs (SpkPlan *plan)
{
  GPtrArray *ops = plan->ops;
  g_autoptr (GPtrArray) merged = g_ptr_array_new_with_free_func (plan_op_free);

  for (guint i = 0; i < ops->len; i++)
    {
      SpkPlanOp *op = g_ptr_array_index (ops, i);
      SpkPlanOp *last = merged->len ? g_ptr_array_index (merged, merged->len - 1) : NULL;

      if (last != NULL && can_merge (last, op))
        {
          /* The items move; their index arrays now belong to last. */
          g_array_append_vals (last->items, op->items->data, op->items->len);
          g_array_set_size (op->items, 0);
          plan_op_free (op);
          if (!g_str_equal (last->owner, "merged"))
            {
              g_free (last->owner);
              last->owner = g_strdup ("merged");
            }
        }
      else
        g_ptr_array_add (merged, op);
    }
  g_ptr_array_set_free_func (ops, NULL);
  g_ptr_array_unref (ops);
  plan->ops = g_steal_pointer (&merged);
}

static gboolean
sort_ops (Builder  *b,
          GError  **error)
{
  GPtrArray *ops = b->plan->ops;
  guint n_ops = ops->len, n_signals = b->plan->signals->len;
  g_autofree guint *indegree = g_new0 (guint, n_ops);
  g_autofree GArray **succ = g_new0 (GArray *, n_ops);
  RoleTable table = { g_new0 (GArray *, (gsize) n_signals * N_ROLES) };
  static const Role before[][2] = {
    { ROLE_SET, ROLE_INC }, { ROLE_SET, ROLE_READ }, { ROLE_SET, ROLE_UPDATE },
    { ROLE_INC, ROLE_READ }, { ROLE_INC, ROLE_UPDATE }, { ROLE_READ, ROLE_UPDATE },
  };
  g_autoptr (GPtrArray) sorted = g_ptr_array_new_full (n_ops, plan_op_free);
  GQueue ready[SPK_OP_N_KINDS];
  SpkOpKind current = SPK_OP_RESET;
  gboolean ok = TRUE;

  for (guint k = 0; k < SPK_OP_N_KINDS; k++)
    g_queue_init (&ready[k]);
  for (guint i = 0; i < n_ops; i++)
    op_roles (g_ptr_array_index (ops, i), collect_role, &table, i);
  for (guint s = 0; s < n_signals; s++)
    for (guint e = 0; e < G_N_ELEMENTS (before); e++)
      {
        GArray *from = table.by_role[(gsize) s * N_ROLES + before[e][0]];
        GArray *to = table.by_role[(gsize) s * N_ROLES + before[e][1]];

        if (from == NULL || to == NULL)
          continue;
        for (guint i = 0; i < from->len; i++)
          for (guint j = 0; j < to->len; j++)
            {
              guint a = g_array_index (from, guint, i), c = g_array_index (to, guint, j);

              if (a == c)
                continue;
              if (succ[a] == NULL)
                succ[a] = g_array_new (FALSE, FALSE, sizeof (guint));
              g_array_append_val (succ[a], c);
              indegree[c]++;
            }
      }

  for (guint i = 0; i < n_ops; i++)
    if (indegree[i] == 0)
      g_queue_push_tail (&ready[((SpkPlanOp *) g_ptr_array_index (ops, i))->kind], GUINT_TO_POINTER (i));
  for (;;)
    {
      guint i;

      /* Stay with the current kind while it has ready operators; else
       * switch to the kind whose first ready operator was made first. */
      if (g_queue_is_empty (&ready[current]))
        {
          guint best = G_MAXUINT;

          for (guint k = 0; k < SPK_OP_N_KINDS; k++)
            if (!g_queue_is_empty (&ready[k])
                && GPOINTER_TO_UINT (g_queue_peek_head (&ready[k])) < best)
              {
                best = GPOINTER_TO_UINT (g_queue_peek_head (&ready[k]));
                current = k;
              }
          if (best == G_MAXUINT)
            break;
        }
      i = GPOINTER_TO_UINT (g_queue_pop_head (&ready[current]));
      g_ptr_array_add (sorted, g_ptr_array_index (ops, i));
      if (succ[i])
        for (guint j = 0; j < succ[i]->len; j++)
          {
            guint c = g_array_index (succ[i], guint, j);

            if (--indegree[c] == 0)
              g_queue_push_tail (&ready[((SpkPlanOp *) g_ptr_array_index (ops, c))->kind],
                                 GUINT_TO_POINTER (c));
          }
    }

  if (sorted->len != n_ops)
    {
      const char *culprit = NULL;

      /* Name an object on the loop: prefer a connection's op. */
      for (guint i = 0; i < n_ops; i++)
        if (indegree[i] > 0)
          {
            SpkPlanOp *op = g_ptr_array_index (ops, i);

            if (culprit == NULL || g_str_has_prefix (op->owner, "connection"))
              culprit = op->owner;
          }
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_CYCLE,
                   _("the network has a loop with no synapse in it (through %s); "
                     "give one of the loop's connections a synapse"),
                   culprit ? culprit : "?");
      ok = FALSE;
      g_ptr_array_set_free_func (sorted, NULL);
    }
  else
    {
      /* The ops now belong to sorted. */
      g_ptr_array_set_free_func (ops, NULL);
      g_ptr_array_unref (ops);
      b->plan->ops = g_steal_pointer (&sorted);
      merge_runs (b->plan);
    }

  for (guint i = 0; i < n_ops; i++)
    if (succ[i])
      g_array_unref (succ[i]);
  for (gsize i = 0; i < (gsize) n_signals * N_ROLES; i++)
    if (table.by_role[i])
      g_array_unref (table.by_role[i]);
  g_free (table.by_role);
  return ok;
}

/* How many solves each ensemble's activities serve: decoded connections
 * and decoded_output probes. */
static void
count_decoded_uses (Builder   *b,
                    GPtrArray *objects)
{
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *source = NULL;
      ObjInfo *info;

      if (SPK_IS_CONNECTION (object) && !spk_connection_get_pre_neurons (SPK_CONNECTION (object)))
        source = spk_connection_get_pre (SPK_CONNECTION (object));
      else if (SPK_IS_PROBE (object) && !spk_probe_get_target_neurons (SPK_PROBE (object)))
        {
          const char *attr = spk_probe_get_attr (SPK_PROBE (object));

          if (attr == NULL || *attr == '\0' || g_str_equal (attr, "decoded_output"))
            source = spk_probe_get_target (SPK_PROBE (object));
        }
      if (source && SPK_IS_ENSEMBLE (source) && (info = g_hash_table_lookup (b->info, source)))
        info->decoded_uses++;
    }
}

static SpkPlan *
plan_new (void)
{
  SpkPlan *plan = g_new0 (SpkPlan, 1);

  g_atomic_ref_count_init (&plan->ref_count);
  plan->signals = g_ptr_array_new_with_free_func (plan_signal_free);
  plan->ops = g_ptr_array_new_with_free_func (plan_op_free);
  plan->probes = g_ptr_array_new_with_free_func (plan_probe_free);
  plan->ensembles = g_ptr_array_new_with_free_func (plan_ensemble_free);
  plan->named_views = g_array_new (FALSE, FALSE, sizeof (SpkNamedView));
  plan->named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) spk_array_unref);
  return plan;
}

SpkPlan *
spk_build (SpkNetwork  *network,
           GError     **error)
{
  return spk_build_with_params (network, NULL, error);
}

SpkPlan *
spk_build_with_params (SpkNetwork  *network,
                       GHashTable  *saved,
                       GError     **error)
{
  g_autoptr (SpkPlan) plan = plan_new ();
  g_autoptr (GHashTable) info = g_hash_table_new_full (NULL, NULL, NULL, obj_info_free);
  g_autoptr (GArray) params = g_array_new (FALSE, FALSE, sizeof (double));
  GPtrArray *objects;
  g_autoptr (GHashTable) depth = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (neuron_group_free);
  Builder b = { 0 };
  guint n_probes = 0;
  double dt;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  dt = spk_network_get_dt (network);
  if (!isfinite (dt) || dt <= 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("network: dt must be a positive number of seconds (got %g)"), dt);
      return NULL;
    }
  b.network = network;
  b.plan = plan;
  b.params = params;
  b.info = info;
  b.overrides = saved;
  b.depth = depth;
  b.groups = groups;
  b.dt = plan->dt = dt;
  plan->dtype = spk_network_get_dtype (network);
  plan->seed = spk_network_get_seed (network);
  if (plan->seed < 0)
    plan->seed = g_random_int_range (0, G_MAXINT32);
  b.seed = (guint64) plan->seed;

  /* Nodes and ensembles first, so connections and probes know their sizes. */
  objects = spk_network_get_objects (network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      ObjInfo *oi;

      if (!SPK_IS_NODE (object) && !SPK_IS_ENSEMBLE (object))
        continue;
      oi = g_new0 (ObjInfo, 1);
      oi->in = oi->out = oi->J = NO_VIEW;
      oi->object = object;
      g_hash_table_insert (info, object, oi);
      if (SPK_IS_NODE (object) ? !build_node (&b, SPK_NODE (object), oi, error)
                               : !build_ensemble (&b, SPK_ENSEMBLE (object), oi, error))
        return NULL;
    }
  finish_groups (&b);
  count_decoded_uses (&b, objects);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object) && !build_connection (&b, SPK_CONNECTION (object), error))
        return NULL;
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_PROBE (object) && !build_probe (&b, SPK_PROBE (object), n_probes++, error))
        return NULL;
    }
  if (!sort_ops (&b, error))
    return NULL;

  /* A plan keeps its parameters in the precision it runs in only. */
  plan->n_params = params->len;
  if (plan->dtype == SPK_DTYPE_FLOAT32)
    {
      plan->params_f32 = g_try_new (float, MAX (plan->n_params, 1));
      if (plan->params_f32 == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                       _("not enough memory for %zu parameters"), plan->n_params);
          return NULL;
        }
      for (gsize i = 0; i < plan->n_params; i++)
        plan->params_f32[i] = (float) g_array_index (params, double, i);
    }
  else
    plan->params = (double *) g_array_free (g_steal_pointer (&params), FALSE);
  return g_steal_pointer (&plan);
}
