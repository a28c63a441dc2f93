/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-convert.c — a NIR graph, as read by spk-nir-read.c, into a
 * Spikeworks network that computes the same equations (docs/nir.md).
 *
 * Every NIR value travels as the NIR platforms carry it — one number per
 * step, a spike a 1 in its step — so an edge is a plain connection
 * (transform 1, no synapse).  Nodes map as follows:
 *   Input            a Node of zeros (fed by slider, expression or data)
 *   Output           a Probe on what feeds it
 *   Affine, Linear   a Dense Layer with the file's weights (and bias)
 *   Scale            a pass-through Node; its factors sit on the edges in
 *   Flatten, the ports of nested graphs   nothing: the value passes
 *   LIF              an Ensemble of engine LIF neurons, an exact mapping:
 *                    with u = (v − v_reset)/(v_threshold − v_reset) the
 *                    NIR equation τ v̇ = v_leak − v + R I is Nengo's
 *                    τ u̇ = J − u with J = gain·I + bias, gain =
 *                    R/(v_threshold − v_reset), bias = (v_leak −
 *                    v_reset)/(v_threshold − v_reset); u > 1 spikes and
 *                    resets to 0; tau_ref 0, no floor on u; amplitude dt,
 *                    so a spike is 1 in its step
 *   CubaLIF          the same, fed through a Lowpass(tau_syn) synapse on
 *                    every edge in, w_in folded into the gain; the
 *                    synapse's one-step delay is the reference order (the
 *                    membrane reads the current of the step before)
 * Exact integration holds the input over the step, as Nengo's LIF does.
 * Forward Euler (SPK_NIR_EULER) is the same update with the decay factor
 * 1 − dt/τ in place of exp(−dt/τ): a time constant τ' = −dt/log(1 − dt/τ)
 * gives exactly that, so Euler needs no other code.
 *
 * A cycle must pass through a neuron: the edge out of the cycle's first
 * neuron takes a one-step delay (a synapse of 0), as the platforms feed
 * spikes back in the next step. */
#define G_LOG_DOMAIN "spk-nir"

#include "spk-nir-private.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "io/spk-hdf5-array.h"
#include "io/spk-hdf5-check.h"
#include "model/spk-connection.h"
#include "model/spk-distribution.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-neuron-type.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"
#include "model/spk-synapse.h"

/* A voltage floor no neuron reaches: NIR neurons have none. */
#define NO_FLOOR (-1e30)

/* What a converted NIR node outputs, and how edges enter it. */
typedef struct
{
  SpkObject  *object;      /* its output (NULL until converted) */
  gboolean    neurons;     /* the output is object's neurons */
  guint       rank;        /* NIR shape of the output */
  gsize       dims[4];
  gsize       size;
  SpkObject  *entry;       /* where edges in connect (NULL: a pass-through) */
  gboolean    entry_neurons;
  double      entry_tau;   /* Lowpass on edges in; < 0: none */
  SpkArray   *entry_scale; /* (owned) diagonal transform on edges in, or NULL */
  gsize       in_size;     /* the size edges in must have; 0: any */
  gboolean    done;
} Value;

typedef struct
{
  SpkNirGraph         *graph;
  const SpkNirOptions *options;
  SpkNetwork          *net;
  Value               *values;     /* per node, in graph->nodes order */
  GPtrArray          **in_edges;   /* per node: source node indices (GUINT_TO_POINTER) */
  GHashTable          *params;     /* parameter key → SpkArray */
  GHashTable          *delayed;    /* "src\ndst" of edges that close a cycle */
  SpkNirNode          *node;       /* the node being converted */
  GError             **error;
} Converter;

void
spk_nir_options_init (SpkNirOptions *options)
{
  memset (options, 0, sizeof *options);
  options->dt = SPK_NIR_DEFAULT_DT;
  options->integration = SPK_NIR_EXACT;
}

static gboolean
node_fail (Converter  *c,
           SpkIoError  code,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

/* "<file>: node '<name>' (<Type>): <problem>". */
static gboolean
node_fail (Converter  *c,
           SpkIoError  code,
           const char *format,
           ...)
{
  g_autofree char *prefix = g_strdup_printf (_("%s: node '%s' (%s)"), c->graph->display,
                                             c->node->name, c->node->type);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (c->error, SPK_IO_ERROR, code, prefix, format, args);
  va_end (args);
  return FALSE;
}

/* ---- parameters ----------------------------------------------------------- */

static SpkNirArray *
param (Converter  *c,
       const char *name)
{
  SpkNirArray *a = _spk_nir_node_param (c->node, name);

  if (a == NULL)
    node_fail (c, SPK_IO_ERROR_FORMAT, _("the parameter '%s' is missing"), name);
  return a;
}

/* A parameter of rank, each dimension ≥ 1 (or 0 for any). */
static SpkNirArray *
param_shaped (Converter  *c,
              const char *name,
              guint       rank)
{
  SpkNirArray *a = param (c, name);

  if (a == NULL)
    return NULL;
  if (a->rank != rank)
    {
      g_autofree char *got = spk_describe_dims (a->rank, a->dims);

      node_fail (c, SPK_IO_ERROR_VALUE, _("the parameter '%s' has the shape %s; it must have %u dimensions"),
                 name, got, rank);
      return NULL;
    }
  for (guint i = 0; i < rank; i++)
    if (a->dims[i] == 0 || a->dims[i] > G_MAXINT)
      {
        node_fail (c, SPK_IO_ERROR_VALUE, _("the parameter '%s' has an empty or too large dimension"), name);
        return NULL;
      }
  return a;
}

/* The neuron parameters of a neuron node: all of one shape, which is
 * the node's shape.  An optional one (v_reset, w_in) may be missing and
 * then reads as fallback. */
static gboolean
neuron_params (Converter          *c,
               const char *const  *names,
               const gboolean     *optional,
               SpkNirArray       **out,
               Value              *v)
{
  SpkNirArray *first = NULL;

  for (guint i = 0; names[i]; i++)
    {
      SpkNirArray *a = _spk_nir_node_param (c->node, names[i]);

      out[i] = a;
      if (a == NULL)
        {
          if (optional[i])
            continue;
          return node_fail (c, SPK_IO_ERROR_FORMAT, _("the parameter '%s' is missing"), names[i]);
        }
      if (first == NULL)
        {
          first = a;
          if (a->rank > 3 || a->size == 0 || a->size > G_MAXINT)
            {
              g_autofree char *got = spk_describe_dims (a->rank, a->dims);

              return node_fail (c, SPK_IO_ERROR_VALUE, _("the parameter '%s' has the shape %s; neurons come "
                                                         "in 1 to %d of up to 3 dimensions"),
                                names[i], got, G_MAXINT);
            }
          v->rank = MAX (a->rank, 1);
          v->size = a->size;
          for (guint d = 0; d < a->rank; d++)
            v->dims[d] = a->dims[d];
          if (a->rank == 0)
            v->dims[0] = 1;
        }
      else if (a->size != first->size && a->size != 1)
        {
          g_autofree char *want = spk_describe_dims (first->rank, first->dims);
          g_autofree char *got = spk_describe_dims (a->rank, a->dims);

          return node_fail (c, SPK_IO_ERROR_VALUE, _("the parameter '%s' has the shape %s; the others have %s"),
                            names[i], got, want);
        }
    }
  return TRUE;
}

static double
at (const SpkNirArray *a,
    gsize              i,
    double             fallback)
{
  if (a == NULL)
    return fallback;
  return a->size == 1 ? a->values[0] : a->values[i];
}

/* One time constant for all of a's values (an engine neuron type or
 * synapse has one); in Euler mode the τ' that makes the exact update
 * Euler's. */
static gboolean
one_tau (Converter         *c,
         const char        *name,
         const SpkNirArray *a,
         double            *out)
{
  double tau = a->values[0], dt = c->options->dt;

  for (gsize i = 1; i < a->size; i++)
    if (a->values[i] != tau)
      return node_fail (c, SPK_IO_ERROR_VALUE,
                        _("the neurons have different values of '%s' (%g and %g); Spikeworks converts one "
                          "value for all neurons of a node"), name, tau, a->values[i]);
  if (!(tau > 0))
    return node_fail (c, SPK_IO_ERROR_VALUE, _("'%s' must be positive (got %g)"), name, tau);
  if (c->options->integration == SPK_NIR_EULER)
    {
      if (!(dt < tau))
        return node_fail (c, SPK_IO_ERROR_VALUE,
                          _("forward Euler needs a step shorter than '%s' (dt %g s, %s %g s)"),
                          name, dt, name, tau);
      tau = -dt / log1p (-dt / tau);
    }
  *out = tau;
  return TRUE;
}

/* ---- building blocks -------------------------------------------------------- */

static gboolean
add_object (Converter  *c,
            gpointer    object,
            const char *label)
{
  g_autoptr (GError) local = NULL;

  spk_object_set_label (SPK_OBJECT (object), label);
  if (!spk_network_add (c->net, SPK_OBJECT (object), &local))
    return node_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  return TRUE;
}

static void
set_param (Converter  *c,
           const char *label,
           const char *name,
           SpkArray   *array)
{
  g_hash_table_replace (c->params, g_strdup_printf ("%s/%s", label, name), array);
}

/* ---- nodes ------------------------------------------------------------------- */

static gboolean
convert_input (Converter *c,
               Value     *v)
{
  SpkNirArray *shape = param (c, "shape");
  g_autoptr (SpkNode) node = spk_node_new ();
  g_autoptr (SpkArray) zeros = NULL;

  if (shape == NULL)
    return FALSE;
  if (shape->rank != 1 || shape->size < 1 || shape->size > 4)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("'shape' must list 1 to 4 sizes"));
  v->rank = (guint) shape->size;
  v->size = 1;
  for (guint i = 0; i < v->rank; i++)
    {
      double n = shape->values[i];

      if (!(n >= 1) || n != floor (n) || n > G_MAXINT || v->size > (gsize) G_MAXINT / (gsize) n)
        return node_fail (c, SPK_IO_ERROR_VALUE, _("'shape' must hold whole numbers of at least 1, "
                                                   "%d values in all at most"), G_MAXINT);
      v->dims[i] = (gsize) n;
      v->size *= (gsize) n;
    }
  zeros = spk_array_new (1, v->size, 1);
  memset (zeros->data, 0, v->size * sizeof (double));
  spk_node_set_output_value (node, zeros);
  if (!add_object (c, node, c->node->name))
    return FALSE;
  v->object = SPK_OBJECT (node);
  return TRUE;
}

static gboolean
convert_dense (Converter *c,
               Value     *v,
               gboolean   affine)
{
  g_autoptr (SpkLayer) layer = spk_layer_new (SPK_LAYER_DENSE);
  SpkNirArray *weight = param_shaped (c, "weight", 2), *bias = NULL;
  gsize out, in;

  if (weight == NULL || (affine && !(bias = param_shaped (c, "bias", 1))))
    return FALSE;
  out = weight->dims[0];
  in = weight->dims[1];
  if (bias && bias->dims[0] != out)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("'bias' has %" PRIu64 " values for %" PRIu64 " outputs"),
                             (guint64) bias->dims[0], (guint64) out);
  spk_layer_set_shape (layer, (guint) in, 0, 0);
  g_object_set (layer, "units", (guint) out, "use-bias", affine, NULL);
  if (!add_object (c, layer, c->node->name))
    return FALSE;
  {
    /* NIR's weight is out × in; the Layer's kernel in × out (Keras's). */
    SpkArray *kernel = spk_array_new (2, in, out);

    for (gsize i = 0; i < out; i++)
      for (gsize j = 0; j < in; j++)
        kernel->data[j * out + i] = weight->values[i * in + j];
    set_param (c, c->node->name, "weights", kernel);
  }
  if (bias)
    set_param (c, c->node->name, "bias", spk_array_new_vector (bias->values, out));
  v->object = v->entry = SPK_OBJECT (layer);
  v->rank = 1;
  v->dims[0] = v->size = out;
  v->in_size = in;
  return TRUE;
}

static gboolean
convert_scale (Converter *c,
               Value     *v)
{
  g_autoptr (SpkNode) node = spk_node_new ();
  SpkNirArray *scale = param (c, "scale");

  if (scale == NULL)
    return FALSE;
  if (scale->size == 0 || scale->size > G_MAXINT || scale->rank > 3)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("'scale' must hold 1 to %d values"), G_MAXINT);
  v->rank = MAX (scale->rank, 1);
  v->size = scale->size;
  for (guint d = 0; d < scale->rank; d++)
    v->dims[d] = scale->dims[d];
  if (scale->rank == 0)
    v->dims[0] = 1;
  spk_node_set_size_in (node, (guint) v->size);
  if (!add_object (c, node, c->node->name))
    return FALSE;
  v->object = v->entry = SPK_OBJECT (node);
  v->entry_scale = spk_array_new_vector (scale->values, scale->size);
  v->in_size = v->size;
  return TRUE;
}

/* LIF and CubaLIF (cuba): engine LIF neurons, see the top of the file. */
static gboolean
convert_lif (Converter *c,
             Value     *v,
             gboolean   cuba)
{
  static const char *const lif_names[] = { "tau", "r", "v_leak", "v_threshold", "v_reset", NULL };
  static const char *const cuba_names[] = { "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "tau_syn",
                                            "w_in", NULL };
  static const gboolean optional[] = { FALSE, FALSE, FALSE, FALSE, TRUE, FALSE, TRUE };
  const char *const *names = cuba ? cuba_names : lif_names;
  SpkNirArray *p[8] = { NULL };
  g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
  g_autoptr (SpkNeuronType) type = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (SpkArray) gain = NULL, bias = NULL;
  double tau, u0 = 0;

  if (!neuron_params (c, names, optional, p, v) || !one_tau (c, names[0], p[0], &tau))
    return FALSE;
  if (cuba && !one_tau (c, "tau_syn", p[5], &v->entry_tau))
    return FALSE;
  gain = spk_array_new (1, v->size, 1);
  bias = spk_array_new (1, v->size, 1);
  for (gsize i = 0; i < v->size; i++)
    {
      double r = at (p[1], i, 1), leak = at (p[2], i, 0), threshold = at (p[3], i, 1);
      double reset = at (p[4], i, 0), w_in = cuba ? at (p[6], i, 1) : 1;
      double range = threshold - reset, start = (0 - reset) / range;

      if (!(range > 0))
        return node_fail (c, SPK_IO_ERROR_VALUE,
                          _("neuron %" PRIu64 ": v_threshold (%g) must be above v_reset (%g)"),
                          (guint64) i, threshold, reset);
      /* Every neuron starts at v = 0, as on the NIR platforms; the engine
       * starts a whole population at one value. */
      if (i > 0 && start != u0)
        return node_fail (c, SPK_IO_ERROR_VALUE,
                          _("the neurons start at different fractions of their threshold "
                            "(v_reset/(v_reset − v_threshold) differs); Spikeworks converts one for all"));
      u0 = start;
      gain->data[i] = r * w_in / range;
      bias->data[i] = (leak - reset) / range;
      if (!isfinite (gain->data[i]) || !isfinite (bias->data[i]))
        return node_fail (c, SPK_IO_ERROR_VALUE, _("neuron %" PRIu64 ": the parameters overflow"), (guint64) i);
    }
  type->tau_rc = tau;
  type->tau_ref = 0;
  type->min_voltage = NO_FLOOR;
  /* A spike is amplitude/dt: 1 in its step. */
  type->amplitude = c->options->dt;
  {
    g_autoptr (SpkArray) start = spk_array_new (2, v->size, 1);

    for (gsize i = 0; i < v->size; i++)
      start->data[i] = u0;
    type->initial_state[0] = spk_distribution_new_array (start);
  }
  spk_ensemble_set_n_neurons (ens, (int) v->size);
  spk_ensemble_set_dimensions (ens, 1);
  spk_ensemble_set_neuron_type (ens, type);
  spk_ensemble_set_gain (ens, gain);
  spk_ensemble_set_bias (ens, bias);
  if (!add_object (c, ens, c->node->name))
    return FALSE;
  v->object = v->entry = SPK_OBJECT (ens);
  v->neurons = v->entry_neurons = TRUE;
  v->in_size = v->size;
  if (!cuba)
    v->entry_tau = -1;
  return TRUE;
}

/* Flatten: NIR's start_dim and end_dim (of the shape without batch). */
static gboolean
convert_flatten (Converter   *c,
                 Value       *v,
                 const Value *in)
{
  SpkNirArray *start_a = _spk_nir_node_param (c->node, "start_dim");
  SpkNirArray *end_a = _spk_nir_node_param (c->node, "end_dim");
  gint64 start = start_a && start_a->size == 1 ? (gint64) start_a->values[0] : 0;
  gint64 end = end_a && end_a->size == 1 ? (gint64) end_a->values[0] : -1;
  gint64 rank = in->rank;
  gsize merged = 1;
  guint k = 0;

  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  if (start < 0 || end >= rank || start > end)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("start_dim and end_dim do not fit an input of %u dimensions"),
                      in->rank);
  *v = *in;
  for (gint64 i = 0; i < rank; i++)
    {
      if (i < start || i > end)
        v->dims[k++] = in->dims[i];
      else
        {
          merged *= in->dims[i];
          if (i == end)
            v->dims[k++] = merged;
        }
    }
  v->rank = k;
  v->entry = NULL;
  v->entry_scale = NULL;
  return TRUE;
}

/* ---- edges and order -------------------------------------------------------- */

static gboolean is_stateful (const char *type);

static gboolean
is_stateful (const char *type)
{
  static const char *const types[] = { "LIF", "CubaLIF", "LI", "CubaLI", "IF", "I", "Delay", NULL };

  return g_strv_contains (types, type);
}

/* Depth-first from every node in file order: the edges to a node still on
 * the stack close a cycle.  Such a cycle must hold a neuron. */
static gboolean
visit (Converter *c,
       guint      index,
       guint8    *state,     /* 0 new, 1 on the stack, 2 done */
       guint     *stack,
       guint      depth,
       GArray    *order,
       GPtrArray **out_edges)
{
  SpkNirGraph *g = c->graph;

  state[index] = 1;
  stack[depth] = index;
  for (guint k = 0; out_edges[index] && k < out_edges[index]->len; k++)
    {
      guint next = GPOINTER_TO_UINT (g_ptr_array_index (out_edges[index], k));

      if (state[next] == 1)
        {
          gboolean stateful = FALSE;
          g_autoptr (GString) path = g_string_new (NULL);
          guint from = depth;

          while (stack[from] != next)
            from--;
          for (guint i = from; i <= depth; i++)
            {
              SpkNirNode *n = g_ptr_array_index (g->nodes, stack[i]);

              stateful |= is_stateful (n->type);
              g_string_append_printf (path, "%s → ", n->name);
            }
          g_string_append (path, ((SpkNirNode *) g_ptr_array_index (g->nodes, next))->name);
          if (!stateful)
            {
              c->node = g_ptr_array_index (g->nodes, next);
              return node_fail (c, SPK_IO_ERROR_VALUE,
                                _("the cycle %s has no neuron or delay in it, so it has no value to start from"),
                                path->str);
            }
          /* The platforms feed a neuron's spikes back in the next step:
           * the edge out of the cycle's first neuron waits one. */
          for (guint i = from; i <= depth; i++)
            if (is_stateful (((SpkNirNode *) g_ptr_array_index (g->nodes, stack[i]))->type))
              {
                guint after = i < depth ? stack[i + 1] : next;

                g_hash_table_add (c->delayed, g_strdup_printf ("%u\n%u", stack[i], after));
                break;
              }
        }
      else if (state[next] == 0 && !visit (c, next, state, stack, depth + 1, order, out_edges))
        return FALSE;
    }
  state[index] = 2;
  g_array_prepend_val (order, index);
  return TRUE;
}

/* The nodes in an order where every node comes after the nodes feeding
 * it, except along the edges that close cycles. */
static GArray *
sort_nodes (Converter *c)
{
  SpkNirGraph *g = c->graph;
  guint n = g->nodes->len;
  g_autofree guint8 *state = g_new0 (guint8, n);
  g_autofree guint *stack = g_new (guint, MAX (n, 1));
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray **out_edges = g_new0 (GPtrArray *, MAX (n, 1));
  gboolean ok = TRUE;

  for (guint e = 0; e + 1 < g->edges->len; e += 2)
    {
      SpkNirNode *src = g_hash_table_lookup (g->by_name, g_ptr_array_index (g->edges, e));
      SpkNirNode *dst = g_hash_table_lookup (g->by_name, g_ptr_array_index (g->edges, e + 1));

      if (out_edges[src->order] == NULL)
        out_edges[src->order] = g_ptr_array_new ();
      if (c->in_edges[dst->order] == NULL)
        c->in_edges[dst->order] = g_ptr_array_new ();
      g_ptr_array_add (out_edges[src->order], GUINT_TO_POINTER (dst->order));
      g_ptr_array_add (c->in_edges[dst->order], GUINT_TO_POINTER (src->order));
    }
  /* Inputs first, so that a cycle is entered where the data enters it. */
  for (int pass = 0; ok && pass < 2; pass++)
    for (guint i = 0; ok && i < n; i++)
      {
        SpkNirNode *node = g_ptr_array_index (g->nodes, i);

        if (state[i] == 0 && (pass == 1 || g_str_equal (node->type, "Input")))
          ok = visit (c, i, state, stack, 0, order, out_edges);
      }
  for (guint i = 0; i < n; i++)
    if (out_edges[i])
      g_ptr_array_unref (out_edges[i]);
  g_free (out_edges);
  return ok ? g_steal_pointer (&order) : NULL;
}

/* Connects the output of src into dst's entry. */
static gboolean
connect_edge (Converter   *c,
              guint        src_index,
              guint        dst_index)
{
  Value *src = &c->values[src_index], *dst = &c->values[dst_index];
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (GError) local = NULL;
  g_autofree char *key = g_strdup_printf ("%u\n%u", src_index, dst_index);
  double tau = dst->entry_tau;

  if (dst->in_size != 0 && src->size != dst->in_size)
    {
      SpkNirNode *from = g_ptr_array_index (c->graph->nodes, src_index);
      g_autofree char *shape = spk_describe_dims (src->rank, src->dims);

      return node_fail (c, SPK_IO_ERROR_VALUE,
                        _("it takes %" PRIu64 " values, but '%s' gives it %s"),
                        (guint64) dst->in_size, from->name, shape);
    }
  /* The edge out of a neuron on a cycle waits a step (a synapse of 0). */
  if (g_hash_table_contains (c->delayed, key))
    {
      if (tau >= 0)
        return node_fail (c, SPK_IO_ERROR_VALUE, _("a cycle through a synaptic current must leave a neuron "
                                                   "before it enters one"));
      tau = 0;
    }
  spk_connection_set_pre (conn, src->object);
  spk_connection_set_pre_neurons (conn, src->neurons);
  spk_connection_set_post (conn, dst->entry);
  spk_connection_set_post_neurons (conn, dst->entry_neurons);
  if (tau >= 0)
    {
      g_autoptr (SpkSynapse) synapse = spk_synapse_new_lowpass (tau);

      spk_connection_set_synapse (conn, synapse);
    }
  else
    spk_connection_set_synapse (conn, NULL);
  if (dst->entry_scale)
    {
      g_autoptr (SpkDistribution) transform = spk_distribution_new_array (spk_array_ref (dst->entry_scale));

      spk_connection_set_transform (conn, transform);
    }
  spk_object_set_trainable (SPK_OBJECT (conn), FALSE);
  if (!spk_network_add (c->net, SPK_OBJECT (conn), &local))
    return node_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  return TRUE;
}

/* The value flowing into node: its one source's, or, from several, their
 * sum in a pass-through Node. */
static gboolean
input_value (Converter *c,
             guint      index,
             Value     *out)
{
  GPtrArray *in = c->in_edges[index];

  if (in == NULL || in->len == 0)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("nothing feeds it"));
  if (in->len == 1)
    {
      *out = c->values[GPOINTER_TO_UINT (g_ptr_array_index (in, 0))];
      if (!out->done)
        return node_fail (c, SPK_IO_ERROR_VALUE, _("it is fed only through a cycle without a neuron"));
      out->entry = NULL;
      out->entry_scale = NULL;
      out->in_size = 0;
      return TRUE;
    }
  {
    g_autoptr (SpkNode) sum = spk_node_new ();
    g_autofree char *label = g_strdup_printf ("%s.in", c->node->name);
    Value *first = &c->values[GPOINTER_TO_UINT (g_ptr_array_index (in, 0))];

    memset (out, 0, sizeof *out);
    out->rank = first->rank;
    memcpy (out->dims, first->dims, sizeof out->dims);
    out->size = out->in_size = first->size;
    out->entry_tau = -1;
    spk_node_set_size_in (sum, (guint) first->size);
    if (!add_object (c, sum, label))
      return FALSE;
    out->object = out->entry = SPK_OBJECT (sum);
    out->done = TRUE;
    /* Recorded as this node's value for the duration of the edges. */
    {
      Value saved = c->values[index];

      c->values[index] = *out;
      for (guint k = 0; k < in->len; k++)
        {
          guint src = GPOINTER_TO_UINT (g_ptr_array_index (in, k));

          if (!c->values[src].done)
            {
              c->values[index] = saved;
              return node_fail (c, SPK_IO_ERROR_VALUE, _("it is fed through a cycle without a neuron"));
            }
          if (!connect_edge (c, src, index))
            {
              c->values[index] = saved;
              return FALSE;
            }
        }
      c->values[index] = saved;
    }
    /* Its edges are connected: the sum is an output only. */
    out->entry = NULL;
    out->in_size = 0;
    return TRUE;
  }
}

static gboolean
convert_output (Converter *c,
                guint      index,
                Value     *v)
{
  g_autoptr (SpkProbe) probe = spk_probe_new ();
  SpkNirArray *shape = _spk_nir_node_param (c->node, "shape");
  Value in;

  if (!input_value (c, index, &in))
    return FALSE;
  if (shape && shape->rank == 1)
    {
      gsize size = 1;

      for (gsize i = 0; i < shape->size; i++)
        size = shape->values[i] >= 1 && shape->values[i] <= G_MAXINT ? size * (gsize) shape->values[i] : 0;
      if (size != in.size)
        {
          g_autofree char *got = spk_describe_dims (in.rank, in.dims);

          return node_fail (c, SPK_IO_ERROR_VALUE, _("its shape holds %" PRIu64 " values, but it is fed %s"),
                            (guint64) size, got);
        }
    }
  spk_probe_set_target (probe, in.object);
  spk_probe_set_target_neurons (probe, in.neurons);
  if (!add_object (c, probe, c->node->name))
    return FALSE;
  *v = in;
  return TRUE;
}

/* Every converted node feeding this one gives it the size it takes. */
static gboolean
check_inputs (Converter *c,
              guint      index)
{
  GPtrArray *in = c->in_edges[index];
  Value *dst = &c->values[index];

  for (guint k = 0; in && dst->in_size != 0 && k < in->len; k++)
    {
      Value *src = &c->values[GPOINTER_TO_UINT (g_ptr_array_index (in, k))];

      if (src->done && src->size != dst->in_size)
        {
          SpkNirNode *from = g_ptr_array_index (c->graph->nodes, GPOINTER_TO_UINT (g_ptr_array_index (in, k)));
          g_autofree char *shape = spk_describe_dims (src->rank, src->dims);

          return node_fail (c, SPK_IO_ERROR_VALUE,
                            _("it takes %" PRIu64 " values, but '%s' gives it %s"),
                            (guint64) dst->in_size, from->name, shape);
        }
    }
  return TRUE;
}

static gboolean
convert_node (Converter *c,
              guint      index)
{
  const char *type = c->node->type;
  Value *v = &c->values[index];

  v->entry_tau = -1;
  if (g_str_equal (type, "Input"))
    return convert_input (c, v);
  if (g_str_equal (type, "Output"))
    return convert_output (c, index, v);
  if (g_str_equal (type, "Affine"))
    return convert_dense (c, v, TRUE);
  if (g_str_equal (type, "Linear"))
    return convert_dense (c, v, FALSE);
  if (g_str_equal (type, "Scale"))
    return convert_scale (c, v);
  if (g_str_equal (type, "LIF"))
    return convert_lif (c, v, FALSE);
  if (g_str_equal (type, "CubaLIF"))
    return convert_lif (c, v, TRUE);
  if (g_str_equal (type, "Flatten") || g_str_equal (type, "_pass"))
    {
      Value in;

      if (!input_value (c, index, &in))
        return FALSE;
      if (g_str_equal (type, "_pass"))
        {
          *v = in;
          return TRUE;
        }
      return convert_flatten (c, v, &in);
    }
  return node_fail (c, SPK_IO_ERROR_UNKNOWN,
                    _("this type of node is not converted; Spikeworks converts Input, Output, Affine, Linear, "
                      "Scale, Flatten, LIF, CubaLIF and nested graphs"));
}

static void
value_clear (Value *v)
{
  g_clear_pointer (&v->entry_scale, spk_array_unref);
}

SpkSession *
_spk_nir_convert (SpkNirGraph         *graph,
                  const SpkNirOptions *options,
                  GError             **error)
{
  g_autoptr (SpkNetwork) net = spk_network_new ();
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (GHashTable) delayed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GArray) order = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GError) local = NULL;
  guint n = graph->nodes->len;
  Converter c = { graph, options, net, NULL, NULL, params, delayed, NULL, error };
  SpkSession *session = NULL;
  gboolean ok = TRUE;

  if (n == 0)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("%s: the graph has no nodes"), graph->display);
      return NULL;
    }
  c.values = g_new0 (Value, n);
  c.in_edges = g_new0 (GPtrArray *, n);
  {
    g_autofree char *base = g_path_get_basename (graph->display);
    char *dot = strrchr (base, '.');

    if (dot && dot != base)
      *dot = '\0';
    spk_network_set_label (net, base);
  }
  spk_network_set_seed (net, 0);
  spk_network_set_dt (net, options->dt);

  if (!(order = sort_nodes (&c)))
    ok = FALSE;
  /* Objects first, in dependency order (each needs its input's shape)… */
  for (guint k = 0; ok && k < order->len; k++)
    {
      guint index = g_array_index (order, guint, k);

      c.node = g_ptr_array_index (graph->nodes, index);
      ok = convert_node (&c, index) && check_inputs (&c, index);
      c.values[index].done = ok;
    }
  /* …then one connection per edge into an object that takes them. */
  for (guint e = 0; ok && e + 1 < graph->edges->len; e += 2)
    {
      SpkNirNode *src = g_hash_table_lookup (graph->by_name, g_ptr_array_index (graph->edges, e));
      SpkNirNode *dst = g_hash_table_lookup (graph->by_name, g_ptr_array_index (graph->edges, e + 1));

      c.node = dst;
      if (c.values[dst->order].entry != NULL)
        ok = connect_edge (&c, src->order, dst->order);
    }
  if (ok)
    {
      if (!(plan = spk_build_with_params (net, params, &local)))
        g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, "%s: %s", graph->display, local->message);
      else
        {
          session = spk_session_new (net);
          spk_session_set_plan (session, plan);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      value_clear (&c.values[i]);
      if (c.in_edges[i])
        g_ptr_array_unref (c.in_edges[i]);
    }
  g_free (c.values);
  g_free (c.in_edges);
  return session;
}

SpkSession *
spk_nir_convert_file (const char          *path,
                      const SpkNirOptions *options,
                      GError             **error)
{
  g_autoptr (SpkNirGraph) graph = NULL;
  SpkNirOptions defaults;

  g_return_val_if_fail (path != NULL, NULL);

  spk_nir_options_init (&defaults);
  if (options == NULL)
    options = &defaults;
  if (!(options->dt > 0 && isfinite (options->dt)))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("the step dt must be a positive number"));
      return NULL;
    }
  if (!spk_hdf5_check_file (path, error) || !(graph = _spk_nir_read (path, error)))
    return NULL;
  return _spk_nir_convert (graph, options, error);
}
