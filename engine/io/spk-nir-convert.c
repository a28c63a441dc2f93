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

#include "spk-nir-convert-private.h"

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
#include "model/spk-subnetwork.h"
#include "model/spk-synapse.h"

/* A voltage floor no neuron reaches: NIR neurons have none. */
#define NO_FLOOR (-1e30)

typedef SpkNirConverter Converter;
typedef SpkNirValue Value;

void
spk_nir_options_init (SpkNirOptions *options)
{
  memset (options, 0, sizeof *options);
  options->dt = SPK_NIR_DEFAULT_DT;
  options->integration = SPK_NIR_EXACT;
}

/* "<file>: node '<name>' (<Type>): <problem>". */
gboolean
_spk_nir_node_fail (Converter  *c,
                    SpkIoError  code,
                    const char *format,
                    ...)
{
  g_autofree char *prefix = g_strdup_printf (_("%s: node '%s' (%s)"), c->graph->display,
                                             c->node->name, c->node->type);
  va_list args;

  if (c->error && *c->error)
    return FALSE;
  va_start (args, format);
  spk_error_set_at_valist (c->error, SPK_IO_ERROR, code, prefix, format, args);
  va_end (args);
  return FALSE;
}

#define node_fail _spk_nir_node_fail

/* ---- parameters ----------------------------------------------------------- */

SpkNirArray *
_spk_nir_param (Converter  *c,
                const char *name)
{
  SpkNirArray *a = _spk_nir_node_param (c->node, name);

  if (a == NULL)
    node_fail (c, SPK_IO_ERROR_FORMAT, _("the parameter '%s' is missing"), name);
  return a;
}

#define param _spk_nir_param

/* A parameter of rank, each dimension ≥ 1. */
SpkNirArray *
_spk_nir_param_shaped (Converter  *c,
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

#define param_shaped _spk_nir_param_shaped

/* The parameters of an elementwise node: all of one shape, which is the
 * node's shape (or one value for all).  An optional one (v_reset, w_in)
 * may be missing and then reads as its default. */
gboolean
_spk_nir_elementwise (Converter          *c,
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
          if (optional != NULL && optional[i])
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

double
_spk_nir_at (const SpkNirArray *a,
             gsize              i,
             double             fallback)
{
  if (a == NULL)
    return fallback;
  return a->size == 1 ? a->values[0] : a->values[i];
}

/* In Euler mode the τ' that makes the exact update Euler's. */
gboolean
_spk_nir_tau (Converter  *c,
              const char *name,
              double      tau,
              double     *out)
{
  double dt = c->options->dt;

  if (!(tau > 0) || !isfinite (tau))
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

/* Whether name is a number, as the frameworks name their nodes. */
static gboolean
is_number (const char *name)
{
  gboolean numeric = *name != '\0';

  for (const char *p = name; *p; p++)
    numeric &= g_ascii_isdigit (*p);
  return numeric;
}

/* NIR names nodes as it likes; the frameworks number them ("0", "1"),
 * which makes poor labels: a number becomes "<Type> <number>".  Inside a
 * nested graph the label is qualified by its sub-network's, as Nengo
 * names the objects of a network ("sub.lif"), so that labels are unique
 * in the whole model. */
char *
_spk_nir_label (Converter  *c,
                const char *suffix)
{
  SpkNirNode *node = c->node;

  /* Worked out once per node, before any of its objects are added. */
  if (c->labelled != node)
    {
      const char *outer = node->sub ? spk_object_get_label (c->networks[node->sub->index]) : NULL;
      g_autofree char *prefix = outer ? g_strconcat (outer, ".", NULL) : g_strdup ("");
      char *base = NULL;

      if (is_number (node->local))
        {
          base = g_strdup_printf ("%s%s %s", prefix, node->type, node->local);
          if (spk_network_lookup (c->net, base) != NULL)
            g_clear_pointer (&base, g_free);
        }
      if (base == NULL)
        base = g_strconcat (prefix, node->local, NULL);
      g_free (c->label);
      c->label = base;
      c->labelled = node;
    }
  if (suffix == NULL)
    return g_strdup (c->label);
  return g_strdup_printf ("%s %s", c->label, suffix);
}

/* Each nested graph is a sub-network labelled as a node would be (a
 * numbered one "NIRGraph 3"), the outer ones made first. */
static gboolean
make_networks (Converter *c)
{
  SpkNirGraph *g = c->graph;

  for (guint i = 0; i < g->subs->len; i++)
    {
      SpkNirSub *sub = g_ptr_array_index (g->subs, i);
      g_autoptr (SpkSubnetwork) net = spk_subnetwork_new ();
      const char *outer = sub->parent ? spk_object_get_label (c->networks[sub->parent->index]) : NULL;
      g_autofree char *local = is_number (sub->local) ? g_strdup_printf ("NIRGraph %s", sub->local)
                                                      : g_strdup (sub->local);
      g_autofree char *label = outer ? g_strdup_printf ("%s.%s", outer, local) : g_strdup (local);
      g_autoptr (GError) local_error = NULL;

      spk_object_set_label (SPK_OBJECT (net), label);
      if (!spk_network_add (c->net, SPK_OBJECT (net), &local_error)
          || (sub->parent && !spk_object_set_network (SPK_OBJECT (net), c->networks[sub->parent->index],
                                                      &local_error)))
        {
          g_set_error (c->error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("%s: graph '%s': %s"), g->display, sub->name,
                       local_error->message);
          return FALSE;
        }
      c->networks[i] = SPK_OBJECT (net);
    }
  return TRUE;
}

gboolean
_spk_nir_add_object (Converter  *c,
                     gpointer    object,
                     const char *label)
{
  g_autoptr (GError) local = NULL;

  spk_object_set_label (SPK_OBJECT (object), label);
  if (!spk_network_add (c->net, SPK_OBJECT (object), &local)
      || (c->container && !spk_object_set_network (SPK_OBJECT (object), c->container, &local)))
    return node_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  return TRUE;
}

/* The innermost sub-network holding both a and b (NULL: the top). */
static SpkObject *
common_network (SpkObject *a,
                SpkObject *b)
{
  for (SpkObject *up = spk_object_get_network (a); up != NULL; up = spk_object_get_network (up))
    if (spk_subnetwork_contains (SPK_SUBNETWORK (up), b))
      return up;
  return NULL;
}

#define add_object _spk_nir_add_object

void
_spk_nir_set_param (Converter  *c,
                    SpkObject  *object,
                    const char *name,
                    SpkArray   *array)
{
  g_hash_table_replace (c->params, g_strdup_printf ("%s/%s", spk_object_get_label (object), name), array);
}

static void
entry_free (gpointer data)
{
  SpkNirEntry *e = data;

  g_clear_pointer (&e->pre_slice, spk_slice_unref);
  g_clear_pointer (&e->post_slice, spk_slice_unref);
  g_clear_pointer (&e->synapse, spk_synapse_unref);
  g_clear_pointer (&e->scale, spk_array_unref);
  g_free (e);
}

SpkNirEntry *
_spk_nir_add_entry (Value      *v,
                    SpkObject  *post,
                    gboolean    post_neurons,
                    SpkSlice   *pre_slice,
                    SpkSlice   *post_slice,
                    SpkSynapse *synapse,
                    SpkArray   *scale)
{
  SpkNirEntry *e = g_new0 (SpkNirEntry, 1);

  e->post = post;
  e->post_neurons = post_neurons;
  e->pre_slice = pre_slice;
  e->post_slice = post_slice;
  e->synapse = synapse;
  e->scale = scale;
  if (v->entries == NULL)
    v->entries = g_ptr_array_new_with_free_func (entry_free);
  g_ptr_array_add (v->entries, e);
  return e;
}

gboolean
_spk_nir_connect (Converter  *c,
                  SpkObject  *pre,
                  gboolean    pre_neurons,
                  SpkObject  *post,
                  gboolean    post_neurons,
                  SpkSlice   *pre_slice,
                  SpkSlice   *post_slice,
                  SpkSynapse *synapse,
                  SpkArray   *scale)
{
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (GError) local = NULL;

  spk_connection_set_pre (conn, pre);
  spk_connection_set_pre_neurons (conn, pre_neurons);
  spk_connection_set_post (conn, post);
  spk_connection_set_post_neurons (conn, post_neurons);
  if (pre_slice)
    spk_connection_set_pre_slice (conn, pre_slice);
  if (post_slice)
    spk_connection_set_post_slice (conn, post_slice);
  spk_connection_set_synapse (conn, synapse);
  if (scale)
    {
      g_autoptr (SpkDistribution) transform = spk_distribution_new_array (scale);

      spk_connection_set_transform (conn, transform);
    }
  spk_object_set_trainable (SPK_OBJECT (conn), FALSE);
  if (!spk_network_add (c->net, SPK_OBJECT (conn), &local))
    return node_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  {
    SpkObject *inside = common_network (pre, post);

    if (inside && !spk_object_set_network (SPK_OBJECT (conn), inside, &local))
      return node_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  }
  return TRUE;
}

gboolean
_spk_nir_out_delayed (Converter *c,
                      guint      src)
{
  g_autofree char *prefix = g_strdup_printf ("%u\n", src);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, c->delayed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, prefix))
      return TRUE;
  return FALSE;
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
  g_autofree char *label = _spk_nir_label (c, NULL);
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
  if (!add_object (c, layer, label))
    return FALSE;
  {
    /* NIR's weight is out × in; the Layer's kernel in × out (Keras's). */
    SpkArray *kernel = spk_array_new (2, in, out);

    for (gsize i = 0; i < out; i++)
      for (gsize j = 0; j < in; j++)
        kernel->data[j * out + i] = weight->values[i * in + j];
    _spk_nir_set_param (c, SPK_OBJECT (layer), "weights", kernel);
  }
  if (bias)
    _spk_nir_set_param (c, SPK_OBJECT (layer), "bias", spk_array_new_vector (bias->values, out));
  v->object = SPK_OBJECT (layer);
  _spk_nir_add_entry (v, SPK_OBJECT (layer), FALSE, NULL, NULL, NULL, NULL);
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
  g_autofree char *label = _spk_nir_label (c, NULL);
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
  if (!add_object (c, node, label))
    return FALSE;
  v->object = SPK_OBJECT (node);
  _spk_nir_add_entry (v, SPK_OBJECT (node), FALSE, NULL, NULL, NULL,
                      spk_array_new_vector (scale->values, scale->size));
  v->in_size = v->size;
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
  v->entries = NULL;
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

/* Connects the output of src into each of dst's entries. */
static gboolean
connect_edge (Converter   *c,
              guint        src_index,
              guint        dst_index)
{
  Value *src = &c->values[src_index], *dst = &c->values[dst_index];
  g_autofree char *key = g_strdup_printf ("%u\n%u", src_index, dst_index);
  gboolean delayed = g_hash_table_contains (c->delayed, key);

  if (dst->in_size != 0 && src->size != dst->in_size)
    {
      SpkNirNode *from = g_ptr_array_index (c->graph->nodes, src_index);
      g_autofree char *shape = spk_describe_dims (src->rank, src->dims);

      return node_fail (c, SPK_IO_ERROR_VALUE,
                        _("it takes %" PRIu64 " values, but '%s' gives it %s"),
                        (guint64) dst->in_size, from->name, shape);
    }
  for (guint k = 0; dst->entries && k < dst->entries->len; k++)
    {
      SpkNirEntry *e = g_ptr_array_index (dst->entries, k);
      g_autoptr (SpkSynapse) wait = NULL;

      /* The edge out of a neuron on a cycle waits a step (a synapse of 0,
       * or the synapse the edge has: every synapse passes its value on
       * in the next step). */
      if (delayed && e->synapse == NULL)
        wait = spk_synapse_new_lowpass (0);
      if (!_spk_nir_connect (c, src->object, src->neurons, e->post, e->post_neurons, e->pre_slice, e->post_slice,
                             wait ? wait : e->synapse, e->scale))
        return FALSE;
    }
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
      out->entries = NULL;
      out->in_size = 0;
      return TRUE;
    }
  {
    g_autoptr (SpkNode) sum = spk_node_new ();
    g_autofree char *label = _spk_nir_label (c, "in");
    Value *first = &c->values[GPOINTER_TO_UINT (g_ptr_array_index (in, 0))];
    Value saved = c->values[index];
    gboolean ok = TRUE;

    memset (out, 0, sizeof *out);
    out->rank = first->rank;
    memcpy (out->dims, first->dims, sizeof out->dims);
    out->size = out->in_size = first->size;
    spk_node_set_size_in (sum, (guint) first->size);
    if (!add_object (c, sum, label))
      return FALSE;
    out->object = SPK_OBJECT (sum);
    out->done = TRUE;
    _spk_nir_add_entry (out, SPK_OBJECT (sum), FALSE, NULL, NULL, NULL, NULL);
    /* Recorded as this node's value for the duration of the edges. */
    c->values[index] = *out;
    for (guint k = 0; ok && k < in->len; k++)
      {
        guint src = GPOINTER_TO_UINT (g_ptr_array_index (in, k));

        if (!c->values[src].done)
          ok = node_fail (c, SPK_IO_ERROR_VALUE, _("it is fed through a cycle without a neuron"));
        else
          ok = connect_edge (c, src, index);
      }
    c->values[index] = saved;
    /* Its edges are connected: the sum is an output only. */
    g_clear_pointer (&out->entries, g_ptr_array_unref);
    out->in_size = 0;
    return ok;
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
    return _spk_nir_convert_lif (c, v, FALSE);
  if (g_str_equal (type, "CubaLIF"))
    return _spk_nir_convert_lif (c, v, TRUE);
  if (g_str_equal (type, "IF"))
    return _spk_nir_convert_if (c, v);
  if (g_str_equal (type, "LI"))
    return _spk_nir_convert_li (c, v, FALSE);
  if (g_str_equal (type, "CubaLI"))
    return _spk_nir_convert_li (c, v, TRUE);
  if (g_str_equal (type, "I"))
    return _spk_nir_convert_integrator (c, v);
  if (g_str_equal (type, "Threshold"))
    return _spk_nir_convert_threshold (c, v);
  if (g_str_equal (type, "Delay"))
    return _spk_nir_convert_delay (c, v);
  if (g_str_equal (type, "Conv2d"))
    return _spk_nir_convert_conv (c, v, 2);
  if (g_str_equal (type, "Conv1d"))
    return _spk_nir_convert_conv (c, v, 1);
  if (g_str_equal (type, "SumPool2d"))
    return _spk_nir_convert_pool (c, v, TRUE);
  if (g_str_equal (type, "AvgPool2d"))
    return _spk_nir_convert_pool (c, v, FALSE);
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
                      "Scale, Flatten, LIF, CubaLIF, LI, CubaLI, IF, I, Threshold, Delay, Conv1d, Conv2d, "
                      "SumPool2d, AvgPool2d and nested graphs"));
}

/* Appends object and, when it is a sub-network, what is inside it. */
static void
add_in_file_order (SpkNetwork *out,
                   SpkObject  *object,
                   GHashTable *children)
{
  GPtrArray *inside = g_hash_table_lookup (children, object);

  spk_network_add (out, object, NULL);
  for (guint i = 0; inside && i < inside->len; i++)
    add_in_file_order (out, g_ptr_array_index (inside, i), children);
}

/* The network with its objects in the order a model file lists them
 * (each sub-network followed by what is inside it), which is the order a
 * saved session reads them back in: the keys of unlabelled objects
 * ("connection2"), which name their parameters, are counted in it. */
static SpkNetwork *
in_file_order (SpkNetwork *net)
{
  GPtrArray *objects = spk_network_get_objects (net);
  g_autoptr (GHashTable) children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  SpkNetwork *out = spk_network_new ();

  spk_network_set_label (out, spk_network_get_label (net));
  spk_network_set_seed (out, spk_network_get_seed (net));
  spk_network_set_dt (out, spk_network_get_dt (net));
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *up = spk_object_get_network (object);
      GPtrArray *list = g_hash_table_lookup (children, up);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (children, up, list);
        }
      g_ptr_array_add (list, object);
    }
  {
    GPtrArray *top = g_hash_table_lookup (children, NULL);

    for (guint i = 0; top && i < top->len; i++)
      add_in_file_order (out, g_ptr_array_index (top, i), children);
  }
  return out;
}

static void
value_clear (Value *v)
{
  g_clear_pointer (&v->entries, g_ptr_array_unref);
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
  g_autofree SpkObject **networks = g_new0 (SpkObject *, MAX (graph->subs->len, 1));
  Converter c = { graph, options, net, NULL, NULL, params, delayed, networks, NULL, 0, NULL, NULL, NULL, error };
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

  if (!make_networks (&c) || !(order = sort_nodes (&c)))
    ok = FALSE;
  /* Objects first, in dependency order (each needs its input's shape)… */
  for (guint k = 0; ok && k < order->len; k++)
    {
      guint index = g_array_index (order, guint, k);

      c.node = g_ptr_array_index (graph->nodes, index);
      c.index = index;
      c.container = c.node->sub ? networks[c.node->sub->index] : NULL;
      ok = convert_node (&c, index) && check_inputs (&c, index);
      c.values[index].done = ok;
    }
  /* …then one connection per edge into an object that takes them. */
  for (guint e = 0; ok && e + 1 < graph->edges->len; e += 2)
    {
      SpkNirNode *src = g_hash_table_lookup (graph->by_name, g_ptr_array_index (graph->edges, e));
      SpkNirNode *dst = g_hash_table_lookup (graph->by_name, g_ptr_array_index (graph->edges, e + 1));

      c.node = dst;
      c.container = NULL;
      if (c.values[dst->order].entries != NULL)
        ok = connect_edge (&c, src->order, dst->order);
    }
  if (ok)
    {
      SpkNetwork *ordered = in_file_order (net);

      g_object_unref (net);
      net = ordered;
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
  g_free (c.label);
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
