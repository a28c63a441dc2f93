/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-write-graph.c — a Spikeworks network, with the parameters of a
 * plan built from it, as a NIR graph (docs/nir.md, "Export").
 *
 * NIR carries values as the platforms do, one number per step and a
 * spike a 1 in its step, so every weight out of spiking neurons is
 * multiplied by their amplitude/dt (what one engine spike is worth).
 *   Node with an output   Input of its size (the output itself — a value,
 *                         an expression, a process — is not NIR's: a note
 *                         names the node)
 *   pass-through Node     Scale of ones (edges into it add up)
 *   Ensemble (LIF)        LIF, or CubaLIF when every connection into it
 *                         has the same Lowpass synapse (tau_syn, w_in 1).
 *                         With v = u − c (u the engine's voltage, c the one
 *                         voltage every neuron starts at, NIR starting at
 *                         v = 0): tau = tau_rc, r = 1, v_leak = bias − c,
 *                         v_threshold = 1 − c, v_reset = −c.  The input
 *                         current arrives through the weights, gain folded in.
 *   Layer (Dense)         Affine (bias) or Linear: weight = kernelᵀ (fed an
 *                         image: a Flatten first, the kernel's rows in its order)
 *   Layer (Conv2D)        Conv2d: weight F × C × k × k, bias (zeros without
 *                         one), stride, padding (Keras's "same" as the same
 *                         count on both sides, or "same" itself at stride 1),
 *                         input_shape
 *   Layer (AveragePooling2D)  AvgPool2d; when a window reaches into "same"
 *                         padding, SumPool2d and a Scale by one over the
 *                         cells it covers (Keras leaves padding out of the mean)
 *   Connection between images, one to one (no slices, no function, diagonal
 *                         weights): a Scale of its weights, none when all 1
 *   Connection            its full weight matrix (post entry × pre output:
 *                         decoders, transform, the post's encoders·gain/
 *                         radius when it enters an ensemble, amplitude/dt)
 *                         as a Linear node named after it, none when that is
 *                         the identity; its synapse: Lowpass(tau) an LI node
 *                         (tau, r 1, v_leak 0) unless the post's CubaLIF
 *                         holds it, Lowpass(0) — a step of delay — nothing
 *                         on a cycle (the platforms feed a loop back a step
 *                         later) and a Delay of dt elsewhere
 *   Probe                 Output of what it records (decoded output through
 *                         a Linear of its decoders; its Lowpass an LI node)
 * Images are channels last here (H × W × C) and channels first in NIR
 * (C × H × W): the objects a Conv2D or pooling layer feeds or is fed by
 * one to one (ensembles' neurons, Nodes, a Dense layer's input) carry
 * their values as images, in NIR's order and shape (find_layouts()), so
 * NIR's type checks see an image where one is; values leaving an image
 * for a vector pass a Flatten.
 * Anything else is refused with a message naming the object.  The layers
 * are made in spk-nir-write-layers.c. */
#define G_LOG_DOMAIN "spk-nir"

#include "spk-nir-export-private.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-slice.h"
#include "expr/spk-expr.h"
#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-neuron-type.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"
#include "model/spk-process.h"
#include "model/spk-subnetwork.h"
#include "model/spk-synapse.h"

/* Below this a LIF's voltage floor is no floor (the importer's). */
#define NO_FLOOR (-1e29)

/* "<Type> '<key>': <problem>". */
gboolean
object_fail (Exporter   *x,
             SpkObject  *object,
             const char *format,
             ...)
{
  g_autofree char *prefix = g_strdup_printf (_("%s '%s'"), spk_object_get_type_name (object),
                                             (const char *) g_hash_table_lookup (x->keys, object));
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (x->error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, prefix, format, args);
  va_end (args);
  return FALSE;
}

static void
note (Exporter   *x,
      SpkObject  *object,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
note (Exporter   *x,
      SpkObject  *object,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (x->notes == NULL)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (x->notes, g_strdup_printf (_("%s '%s': %s"), spk_object_get_type_name (object),
                                              (const char *) g_hash_table_lookup (x->keys, object), text));
}

const char *
key_of (Exporter *x,
        gpointer  object)
{
  return g_hash_table_lookup (x->keys, object);
}

SpkArray *
param (Exporter   *x,
       SpkObject  *object,
       const char *name,
       gsize       size)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", key_of (x, object), name);
  SpkArray *array = spk_plan_dup_param (x->plan, key);

  if (array == NULL || (size > 0 && array->size != size))
    {
      g_clear_pointer (&array, spk_array_unref);
      object_fail (x, object, _("the plan has no parameter '%s' of %" PRIu64 " values"), key, (guint64) size);
    }
  return array;
}

Port *
add_port (Exporter *x,
          gpointer  object)
{
  Port *port = g_new0 (Port, 1);

  port->out_scale = 1;
  port->in_tau = -1;
  g_hash_table_insert (x->ports, object, port);
  return port;
}

/* ---- images --------------------------------------------------------------- */

gboolean
is_image (const guint img[3])
{
  return img != NULL && img[0] != 0;
}

/* NIR's shape of a value of size n: C × H × W for an image. */
static SpkNirShape
shape_of (const guint img[3],
          gsize       n)
{
  if (is_image (img))
    return (SpkNirShape) { 3, { img[2], img[0], img[1] } };
  return (SpkNirShape) { 1, { n, 0, 0 } };
}

/* The engine's index (H × W × C) of the k-th value in NIR's order (C × H × W). */
gsize
engine_index (const guint img[3],
              gsize       k)
{
  const gsize hw = (gsize) img[0] * img[1], c = k / hw, h = (k % hw) / img[1], w = k % img[1];

  return (h * img[1] + w) * img[2] + c;
}

/* The position in NIR's order (C × H × W) of the engine's value e (H × W × C). */
static gsize
nir_index (const guint img[3],
           gsize       e)
{
  const gsize c = e % img[2], w = (e / img[2]) % img[1], h = e / ((gsize) img[2] * img[1]);

  return (c * img[0] + h) * img[1] + w;
}

/* values (engine order) in NIR's order, in place of out. */
static void
to_nir_order (const guint   img[3],
              const double *values,
              gsize         n,
              double       *out)
{
  for (gsize k = 0; k < n; k++)
    out[k] = values[is_image (img) ? engine_index (img, k) : k];
}

Layout *
layout_of (Exporter *x,
           gpointer  object)
{
  return g_hash_table_lookup (x->layouts, object);
}

static Layout *
ensure_layout (Exporter *x,
               gpointer  object)
{
  Layout *layout = layout_of (x, object);

  if (layout == NULL)
    {
      layout = g_new0 (Layout, 1);
      g_hash_table_insert (x->layouts, object, layout);
    }
  return layout;
}

static gsize
image_size (const guint img[3])
{
  return (gsize) img[0] * img[1] * img[2];
}

/* A Conv2D or pooling layer's images. */
static gboolean
is_window_layer (SpkObject *object)
{
  return SPK_IS_LAYER (object) && (spk_layer_get_layer_type (SPK_LAYER (object)) == SPK_LAYER_CONV2D
                                   || spk_layer_get_layer_type (SPK_LAYER (object)) == SPK_LAYER_AVERAGE_POOLING2D);
}

static gboolean node_size_out (Exporter *x, SpkNode *node, gsize *size);

/* The size of what enters (in) or leaves an object that can carry an image
 * it is connected to one to one, or 0 when it cannot: an ensemble's
 * neurons, a Node's output (and a pass-through Node's input), a Dense
 * layer's input. */
static gsize
flexible_size (Exporter  *x,
               SpkObject *object,
               gboolean   neurons,
               gboolean   in)
{
  if (SPK_IS_ENSEMBLE (object))
    return neurons ? (gsize) spk_ensemble_get_n_neurons (SPK_ENSEMBLE (object)) : 0;
  if (SPK_IS_NODE (object))
    {
      SpkNode *node = SPK_NODE (object);
      gboolean output = spk_node_get_output_value (node) || spk_node_get_output_expr (node)
                        || spk_node_get_output_process (node);
      GError **error = x->error;
      gsize size = 0;

      if (in)
        return output ? 0 : spk_node_get_size_in (node);
      /* Quietly: the Node's export says what is wrong with it. */
      x->error = NULL;
      if (!node_size_out (x, node, &size))
        size = 0;
      x->error = error;
      return size;
    }
  if (SPK_IS_LAYER (object) && in && spk_layer_get_layer_type (SPK_LAYER (object)) == SPK_LAYER_DENSE)
    {
      guint shape[3], size_in, size_out;

      return spk_layer_get_shape_out (SPK_LAYER (object), shape, &size_in, &size_out) ? size_in : 0;
    }
  return 0;
}

/* Whether conn passes its pre's values on one to one, each times a
 * factor: no slices, no function, diagonal weights. */
static gboolean
one_to_one (Exporter      *x,
            SpkConnection *conn,
            gsize          size)
{
  g_autofree char *key = g_strdup_printf ("%s/weights", key_of (x, conn));
  g_autoptr (SpkArray) w = NULL;

  if (spk_connection_get_pre_slice (conn) || spk_connection_get_post_slice (conn)
      || spk_connection_get_function (conn) || spk_connection_get_learning_rule_type (conn))
    return FALSE;
  w = spk_plan_dup_param (x->plan, key);
  return w != NULL && (w->size == 1 || (w->ndim == 1 && w->size == size));
}

/* Which objects carry images: Conv2D and pooling layers, and from them,
 * along one-to-one connections, the ensembles, Nodes and Dense inputs
 * they feed or are fed by (NIR's neurons between convolutions hold
 * C × H × W parameters, and a Flatten comes before a Dense layer). */
static void
find_layouts (Exporter *x)
{
  GPtrArray *objects = spk_network_get_objects (x->net);
  gboolean changed = TRUE;

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      guint in[3], out[3], size_in, size_out;
      Layout *layout;

      if (!is_window_layer (object) || !spk_layer_get_shape_in_dims (SPK_LAYER (object), in, NULL)
          || !spk_layer_get_shape_out (SPK_LAYER (object), out, &size_in, &size_out))
        continue;
      layout = ensure_layout (x, object);
      memcpy (layout->in, in, sizeof in);
      memcpy (layout->out, out, sizeof out);
    }
  for (guint round = 0; changed && round <= objects->len; round++)
    {
      changed = FALSE;
      for (guint i = 0; i < objects->len; i++)
        {
          SpkObject *object = g_ptr_array_index (objects, i);
          SpkConnection *conn;
          SpkObject *pre, *post;
          Layout *from, *to;

          if (!SPK_IS_CONNECTION (object))
            continue;
          conn = SPK_CONNECTION (object);
          pre = spk_connection_get_pre (conn);
          post = spk_connection_get_post (conn);
          from = layout_of (x, pre);
          to = layout_of (x, post);
          if (from && is_image (from->out) && !(to && is_image (to->in)))
            {
              gsize n = flexible_size (x, post, spk_connection_get_post_neurons (conn), TRUE);

              if (n == 0 || n != image_size (from->out) || !one_to_one (x, conn, n))
                continue;
              to = ensure_layout (x, post);
              memcpy (to->in, from->out, sizeof to->in);
              /* Neurons and pass-through Nodes give out what comes in. */
              if (!SPK_IS_LAYER (post))
                memcpy (to->out, from->out, sizeof to->out);
              changed = TRUE;
            }
          else if (to && is_image (to->in) && !(from && is_image (from->out)))
            {
              gsize n = flexible_size (x, pre, spk_connection_get_pre_neurons (conn), FALSE);

              if (n == 0 || n != image_size (to->in) || !one_to_one (x, conn, n))
                continue;
              from = ensure_layout (x, pre);
              memcpy (from->out, to->in, sizeof from->out);
              if (SPK_IS_ENSEMBLE (pre) || flexible_size (x, pre, FALSE, TRUE) == n)
                memcpy (from->in, to->in, sizeof from->in);
              changed = TRUE;
            }
        }
    }
}

/* ---- Nodes ------------------------------------------------------------------- */

static gboolean
node_size_out (Exporter *x,
               SpkNode  *node,
               gsize    *size)
{
  SpkArray *value = spk_node_get_output_value (node);
  const char *expr_text = spk_node_get_output_expr (node);
  SpkProcess *process = spk_node_get_output_process (node);
  int size_out = spk_node_get_size_out (node);

  if (value)
    *size = value->ndim == 0 ? 1 : value->size;
  else if (expr_text)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (SpkExpr) expr = spk_expr_compile (expr_text, spk_node_get_size_in (node), &local);

      if (expr == NULL)
        return object_fail (x, SPK_OBJECT (node), "%s", local->message);
      *size = spk_expr_get_size_out (expr);
    }
  else if (process)
    *size = size_out >= 0 ? (gsize) size_out : spk_process_default_size_out (process);
  else
    *size = spk_node_get_size_in (node);
  return *size > 0 || object_fail (x, SPK_OBJECT (node), _("it has no output"));
}

/* Zeros until driven: what an Input is anyway. */
static gboolean
all_zero (const SpkArray *value)
{
  for (gsize i = 0; value && i < value->size; i++)
    if (value->data[i] != 0)
      return FALSE;
  return TRUE;
}

static gboolean
export_node (Exporter *x,
             SpkNode  *node)
{
  SpkObject *object = SPK_OBJECT (node);
  gboolean output = spk_node_get_output_value (node) || spk_node_get_output_expr (node)
                    || spk_node_get_output_process (node);
  guint size_in = spk_node_get_size_in (node);
  Layout *layout = layout_of (x, node);
  SpkNirShape shape;
  SpkNirOutNode *n;
  Port *port;
  gsize size;

  if (!node_size_out (x, node, &size))
    return FALSE;
  if (output && size_in > 0)
    return object_fail (x, object, _("it computes its output from its input (%s), which NIR cannot represent"),
                        spk_node_get_output_expr (node) ? spk_node_get_output_expr (node) : "");
  port = add_port (x, node);
  if (layout)
    {
      memcpy (port->out_img, layout->out, sizeof port->out_img);
      memcpy (port->in_img, layout->in, sizeof port->in_img);
    }
  shape = shape_of (port->out_img, size);
  if (output || size_in == 0)
    {
      n = _spk_nir_out_add_node (x->graph, key_of (x, node), "Input");
      _spk_nir_out_add_shape (n, &shape);
      if (spk_node_get_output_expr (node))
        note (x, object, _("its output %s is not exported: the NIR Input '%s' takes the values"),
              spk_node_get_output_expr (node), n->name);
      else if (spk_node_get_output_process (node))
        note (x, object, _("its process is not exported: the NIR Input '%s' takes the values"), n->name);
      else if (!all_zero (spk_node_get_output_value (node)))
        note (x, object, _("its constant output is not exported: the NIR Input '%s' takes the values"), n->name);
    }
  else
    {
      /* A pass-through: NIR adds the edges into a node, and Scale(1)
       * passes the sum on. */
      n = _spk_nir_out_add_node (x->graph, key_of (x, node), "Scale");
      _spk_nir_out_add_filled (n, "scale", &shape, 1.0);
      port->in = n->name;
      port->in_size = size;
    }
  port->out = n->name;
  port->out_size = size;
  return TRUE;
}

/* ---- Ensembles ------------------------------------------------------------- */

/* The one voltage every neuron starts at, when it is one. */
static gboolean
start_voltage (const SpkNeuronType *type,
               double              *c)
{
  const SpkDistribution *d = type->initial_state[0];
  const SpkArray *values = NULL;

  if (d == NULL)
    return FALSE;
  if (d->kind == SPK_DIST_UNIFORM && d->low == d->high && !d->integer)
    {
      *c = d->low;
      return TRUE;
    }
  if (d->kind == SPK_DIST_ARRAY)
    values = d->array;
  else if (d->kind == SPK_DIST_CHOICE && d->options && d->options->size == 1)
    values = d->options;
  if (values == NULL || values->size == 0)
    return FALSE;
  for (gsize i = 1; i < values->size; i++)
    if (values->data[i] != values->data[0])
      return FALSE;
  *c = values->data[0];
  return TRUE;
}

/* The tau of the Lowpass synapse every connection into ens has, when
 * they all have one (> 0) and there is at least one. */
static double
shared_synapse (Exporter    *x,
                SpkEnsemble *ens)
{
  GPtrArray *objects = spk_network_get_objects (x->net);
  double tau = -1;

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkSynapse *synapse;

      if (!SPK_IS_CONNECTION (object) || spk_connection_get_post (SPK_CONNECTION (object)) != SPK_OBJECT (ens))
        continue;
      synapse = spk_connection_get_synapse (SPK_CONNECTION (object));
      if (synapse == NULL || synapse->kind != SPK_SYNAPSE_LOWPASS || !(synapse->tau > 0)
          || (tau >= 0 && synapse->tau != tau))
        return -1;
      tau = synapse->tau;
    }
  return tau;
}

static gboolean
export_ensemble (Exporter    *x,
                 SpkEnsemble *ens)
{
  SpkObject *object = SPK_OBJECT (ens);
  SpkNeuronType *type = spk_ensemble_get_neuron_type (ens);
  gsize n = (gsize) spk_ensemble_get_n_neurons (ens);
  g_autoptr (SpkArray) bias = NULL;
  g_autofree double *leak = NULL, *nir_leak = NULL;
  double c = 0, tau_syn;
  gboolean approximate = x->options->approximate;
  Layout *layout = layout_of (x, ens);
  SpkNirShape shape = shape_of (layout ? layout->out : NULL, n);
  SpkNirOutNode *node;
  Port *port;

  if (type->kind != SPK_NEURON_LIF)
    return object_fail (x, object, _("%s neurons have no NIR counterpart (LIF neurons export as NIR's LIF "
                                     "or CubaLIF)"), spk_neuron_kind_to_name (type->kind));
  if (spk_ensemble_get_noise (ens))
    return object_fail (x, object, _("its noise process has no NIR counterpart"));
  if (type->tau_ref != 0)
    {
      if (!approximate)
        return object_fail (x, object, _("its neurons have a refractory period (tau_ref = %g s), which NIR's "
                                         "LIF does not; set tau_ref to 0, or export approximately"), type->tau_ref);
      note (x, object, _("written without its refractory period (tau_ref = %g s)"), type->tau_ref);
    }
  if (type->min_voltage > NO_FLOOR)
    {
      if (!approximate)
        return object_fail (x, object, _("its neurons' voltage stops at min_voltage = %g, which NIR's LIF "
                                         "does not; set min_voltage to -1e30, or export approximately"),
                            type->min_voltage);
      note (x, object, _("written without its voltage floor (min_voltage = %g)"), type->min_voltage);
    }
  if (!start_voltage (type, &c))
    {
      if (!approximate)
        return object_fail (x, object, _("its neurons start at random voltages, and NIR's all start at 0; "
                                         "give initial_state a voltage of one value, or export approximately"));
      note (x, object, _("its neurons start at voltage 0 instead of at random"));
      c = 0;
    }
  if (!(c < 1))
    return object_fail (x, object, _("its neurons start at voltage %g, above their threshold"), c);
  if (!(bias = param (x, object, "bias", n)))
    return FALSE;
  leak = g_new (double, n);
  nir_leak = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    leak[i] = bias->data[i] - c;
  to_nir_order (layout ? layout->out : NULL, leak, n, nir_leak);
  tau_syn = shared_synapse (x, ens);
  node = _spk_nir_out_add_node (x->graph, key_of (x, ens), tau_syn > 0 ? "CubaLIF" : "LIF");
  _spk_nir_out_add_filled (node, tau_syn > 0 ? "tau_mem" : "tau", &shape, type->tau_rc);
  if (tau_syn > 0)
    {
      _spk_nir_out_add_filled (node, "tau_syn", &shape, tau_syn);
      _spk_nir_out_add_filled (node, "w_in", &shape, 1.0);
    }
  _spk_nir_out_add_filled (node, "r", &shape, 1.0);
  _spk_nir_out_add_tensor (node, "v_leak", FALSE, shape.rank, shape.dims, nir_leak);
  _spk_nir_out_add_filled (node, "v_threshold", &shape, 1 - c);
  _spk_nir_out_add_filled (node, "v_reset", &shape, c == 0 ? 0.0 : -c);
  port = add_port (x, ens);
  if (layout)
    {
      memcpy (port->out_img, layout->out, sizeof port->out_img);
      memcpy (port->in_img, layout->out, sizeof port->in_img);
    }
  port->out = port->in = node->name;
  port->out_size = port->in_size = n;
  port->out_scale = type->amplitude / x->dt;
  port->in_tau = tau_syn;
  return TRUE;
}

/* ---- Connections ------------------------------------------------------------- */

/* Whether post reaches pre along connections: conn closes a cycle. */
static gboolean
on_cycle (Exporter      *x,
          SpkConnection *conn)
{
  GPtrArray *objects = spk_network_get_objects (x->net);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  SpkObject *pre = spk_connection_get_pre (conn);

  g_ptr_array_add (stack, spk_connection_get_post (conn));
  while (stack->len > 0)
    {
      SpkObject *at = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      if (at == pre)
        return TRUE;
      if (!g_hash_table_add (seen, at))
        continue;
      for (guint i = 0; i < objects->len; i++)
        {
          SpkObject *object = g_ptr_array_index (objects, i);

          if (SPK_IS_CONNECTION (object) && spk_connection_get_pre (SPK_CONNECTION (object)) == at)
            g_ptr_array_add (stack, spk_connection_get_post (SPK_CONNECTION (object)));
        }
    }
  return FALSE;
}

/* The connection's weights as the plan applies them, spread into M
 * (post_space × pre_out): rows by post_index, columns by pre_index (all
 * of pre's neurons for a decoded connection). */
static gboolean
spread_weights (Exporter      *x,
                SpkConnection *conn,
                const Port    *pre,
                gsize          post_space,
                gboolean       decoded,
                gsize          pre_space,
                double        *M)
{
  SpkObject *object = SPK_OBJECT (conn);
  g_autoptr (GError) local = NULL;
  g_autofree guint *pre_index = NULL, *post_index = NULL;
  g_autoptr (SpkArray) w = NULL;
  guint n_pre, n_post;
  gsize cols;

  if (!(pre_index = spk_slice_resolve (spk_connection_get_pre_slice (conn), (guint) pre_space, &n_pre, &local))
      || !(post_index = spk_slice_resolve (spk_connection_get_post_slice (conn), (guint) post_space, &n_post,
                                           &local)))
    return object_fail (x, object, "%s", local->message);
  cols = decoded ? pre->out_size : n_pre;
  if (!(w = param (x, object, "weights", 0)))
    return FALSE;
  if (w->ndim == 1 && w->size == n_post && cols == n_post)
    {
      /* A scalar or diagonal transform, kept as its diagonal. */
      for (gsize r = 0; r < n_post; r++)
        M[post_index[r] * pre->out_size + pre_index[r]] += w->data[r];
    }
  else if (w->size == (gsize) n_post * cols)
    {
      for (gsize r = 0; r < n_post; r++)
        for (gsize c = 0; c < cols; c++)
          M[post_index[r] * pre->out_size + (decoded ? c : pre_index[c])] += w->data[r * cols + c];
    }
  else
    return object_fail (x, object, _("the plan's weights (%" PRIu64 " values) do not fit %u × %" PRIu64),
                        (guint64) w->size, n_post, (guint64) cols);
  return TRUE;
}

static gboolean
is_identity (const double *W,
             gsize         rows,
             gsize         cols)
{
  if (rows != cols)
    return FALSE;
  for (gsize i = 0; i < rows; i++)
    for (gsize j = 0; j < cols; j++)
      if (W[i * cols + j] != (i == j ? 1.0 : 0.0))
        return FALSE;
  return TRUE;
}

/* The NIR node giving pre's output flattened: pre's own, or (for an
 * image) one Flatten of it, made once. */
static const char *
flat_out (Exporter   *x,
          Port       *pre,
          const char *base)
{
  if (!is_image (pre->out_img))
    return pre->out;
  if (pre->flat == NULL)
    {
      SpkNirOutNode *flatten = add_flatten (x, base, pre->out_img);

      _spk_nir_out_add_edge (x->graph, pre->out, flatten->name);
      pre->flat = flatten->name;
    }
  return pre->flat;
}

/* NIR's weights of a connection whose weights are a diagonal (one_to_one):
 * a Scale of them in the post's shape and order, or nothing when they
 * are all 1.  The name of the node edges leave from. */
static const char *
add_one_to_one (Exporter      *x,
                SpkConnection *conn,
                const Port    *pre,
                const Port    *post,
                gboolean      *ok)
{
  g_autoptr (SpkArray) w = param (x, SPK_OBJECT (conn), "weights", 0);
  const gsize n = post->in_size;
  g_autofree double *d = NULL, *scale = NULL;
  const SpkNirShape shape = shape_of (post->in_img, n);
  gboolean ones = TRUE;
  SpkNirOutNode *node;

  *ok = w != NULL;
  if (w == NULL)
    return NULL;
  d = g_new (double, n);
  scale = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    d[i] = w->data[w->size == 1 ? 0 : i] * pre->out_scale;
  to_nir_order (post->in_img, d, n, scale);
  for (gsize i = 0; i < n; i++)
    ones = ones && scale[i] == 1.0;
  if (ones)
    return pre->out;
  node = _spk_nir_out_add_node (x->graph, key_of (x, conn), "Scale");
  _spk_nir_out_add_tensor (node, "scale", FALSE, shape.rank, shape.dims, scale);
  _spk_nir_out_add_edge (x->graph, pre->out, node->name);
  return node->name;
}

/* No weight matrix larger than this is written (values). */
#define MAX_MATRIX ((gsize) 1 << 26)

static gboolean
export_connection (Exporter      *x,
                   SpkConnection *conn)
{
  SpkObject *object = SPK_OBJECT (conn);
  SpkObject *pre_obj = spk_connection_get_pre (conn), *post_obj = spk_connection_get_post (conn);
  Port *pre = g_hash_table_lookup (x->ports, pre_obj), *post = g_hash_table_lookup (x->ports, post_obj);
  gboolean decoded = SPK_IS_ENSEMBLE (pre_obj) && !spk_connection_get_pre_neurons (conn);
  gboolean into_ensemble = SPK_IS_ENSEMBLE (post_obj) && !spk_connection_get_post_neurons (conn);
  SpkSynapse *synapse = spk_connection_get_synapse (conn);
  gsize pre_space = decoded ? (gsize) spk_ensemble_get_dimensions (SPK_ENSEMBLE (pre_obj)) : pre ? pre->out_size : 0;
  gsize post_space;
  g_autofree double *M = NULL, *W = NULL;
  const char *from;
  SpkNirShape shape;

  if (spk_connection_get_learning_rule_type (conn))
    return object_fail (x, object, _("it learns, and NIR has no learning rules"));
  if (spk_connection_get_function (conn) && !decoded)
    return object_fail (x, object, _("it computes %s of a node's or layer's output, which NIR cannot represent"),
                        spk_connection_get_function (conn));
  if (pre == NULL || post == NULL)
    return object_fail (x, object, _("it connects an object that is not exported"));
  if (post->in == NULL)
    return object_fail (x, object, _("it ends at an object that takes no input in NIR"));
  post_space = into_ensemble ? (gsize) spk_ensemble_get_dimensions (SPK_ENSEMBLE (post_obj)) : post->in_size;
  if (synapse && !(synapse->kind == SPK_SYNAPSE_LOWPASS && synapse->tau >= 0))
    return object_fail (x, object, _("its synapse (%s) has no NIR counterpart (Lowpass synapses have)"),
                        spk_synapse_kind_to_name (synapse->kind));
  shape = shape_of (post->in_img, post->in_size);

  if (is_image (post->in_img) && !decoded && memcmp (pre->out_img, post->in_img, sizeof pre->out_img) == 0
      && one_to_one (x, conn, post->in_size))
    {
      /* Image to image value by value, each times a factor: NIR's Linear
       * takes vectors only. */
      gboolean ok;

      from = add_one_to_one (x, conn, pre, post, &ok);
      if (!ok)
        return FALSE;
    }
  else if (is_image (post->in_img))
    return object_fail (x, object, _("it feeds the image input of '%s' other than value by value from an image "
                                     "of its shape, and NIR cannot shape values into an image"),
                        key_of (x, post_obj));
  else if ((gsize) post->in_size * pre->out_size > MAX_MATRIX
           || (gsize) post_space * pre->out_size > MAX_MATRIX)
    return object_fail (x, object, _("its weight matrix (%" PRIu64 " × %" PRIu64 ") is too large for NIR's "
                                     "Linear node"), (guint64) post->in_size, (guint64) pre->out_size);
  else
    {
      /* W: post entry × pre output, in NIR's units. */
      M = g_new0 (double, post_space * pre->out_size);
      if (!spread_weights (x, conn, pre, post_space, decoded, pre_space, M))
        return FALSE;
      if (into_ensemble)
        {
          SpkEnsemble *ens = SPK_ENSEMBLE (post_obj);
          gsize n = post->in_size, d = post_space;
          double radius = spk_ensemble_get_radius (ens);
          g_autoptr (SpkArray) gain = param (x, post_obj, "gain", n);
          g_autoptr (SpkArray) enc = gain ? param (x, post_obj, "encoders", n * d) : NULL;

          if (enc == NULL)
            return FALSE;
          W = g_new0 (double, n * pre->out_size);
          for (gsize i = 0; i < n; i++)
            for (gsize k = 0; k < d; k++)
              {
                double e = gain->data[i] * enc->data[i * d + k] / radius;

                if (e != 0)
                  for (gsize j = 0; j < pre->out_size; j++)
                    W[i * pre->out_size + j] += e * M[k * pre->out_size + j];
              }
        }
      else
        W = g_steal_pointer (&M);
      if (pre->out_scale != 1)
        for (gsize i = 0; i < post->in_size * pre->out_size; i++)
          W[i] *= pre->out_scale;
      from = flat_out (x, pre, key_of (x, pre_obj));
      if (is_image (pre->out_img))
        {
          /* The Flatten gives the image's values in NIR's order. */
          g_autofree double *row = g_new (double, pre->out_size);

          for (gsize i = 0; i < post->in_size; i++)
            {
              to_nir_order (pre->out_img, W + i * pre->out_size, pre->out_size, row);
              memcpy (W + i * pre->out_size, row, pre->out_size * sizeof (double));
            }
        }
      if (!is_identity (W, post->in_size, pre->out_size))
        {
          SpkNirOutNode *linear = _spk_nir_out_add_node (x->graph, key_of (x, conn), "Linear");

          _spk_nir_out_add_param (linear, "weight", post->in_size, pre->out_size, W);
          _spk_nir_out_add_edge (x->graph, from, linear->name);
          from = linear->name;
        }
    }
  if (synapse && synapse->tau > 0 && synapse->tau != post->in_tau)
    {
      g_autofree char *base = g_strdup_printf ("%s.synapse", key_of (x, conn));
      SpkNirOutNode *li = _spk_nir_out_add_node (x->graph, base, "LI");

      _spk_nir_out_add_filled (li, "tau", &shape, synapse->tau);
      _spk_nir_out_add_filled (li, "r", &shape, 1.0);
      _spk_nir_out_add_filled (li, "v_leak", &shape, 0.0);
      _spk_nir_out_add_edge (x->graph, from, li->name);
      from = li->name;
    }
  else if (synapse && synapse->tau == 0 && !on_cycle (x, conn))
    {
      g_autofree char *base = g_strdup_printf ("%s.delay", key_of (x, conn));
      SpkNirOutNode *delay = _spk_nir_out_add_node (x->graph, base, "Delay");

      _spk_nir_out_add_filled (delay, "delay", &shape, x->dt);
      _spk_nir_out_add_edge (x->graph, from, delay->name);
      from = delay->name;
    }
  _spk_nir_out_add_edge (x->graph, from, post->in);
  return TRUE;
}

/* ---- Probes ------------------------------------------------------------------- */

static gboolean
export_probe (Exporter *x,
              SpkProbe *probe)
{
  SpkObject *object = SPK_OBJECT (probe), *target = spk_probe_get_target (probe);
  Port *port = target ? g_hash_table_lookup (x->ports, target) : NULL;
  const char *attr = spk_probe_get_attr (probe);
  gboolean neurons = spk_probe_get_target_neurons (probe);
  SpkSynapse *synapse = spk_probe_get_synapse (probe);
  gboolean decoded = target && SPK_IS_ENSEMBLE (target) && !neurons;
  g_autoptr (GError) local = NULL;
  g_autofree guint *index = NULL;
  g_autofree double *W = NULL;
  const char *from;
  gsize space, rows;
  guint n_index;
  SpkNirShape shape;
  SpkNirOutNode *out;

  if (attr == NULL || *attr == '\0')
    attr = decoded ? "decoded_output" : "output";
  if (port == NULL)
    return object_fail (x, object, _("it records an object that is not exported"));
  if (!(decoded ? g_str_equal (attr, "decoded_output")
                : g_str_equal (attr, "output") || g_str_equal (attr, "spikes")
                  || (g_str_equal (attr, "input") && port->in == port->out && SPK_IS_NODE (target))))
    return object_fail (x, object, _("it records '%s', which a NIR Output cannot carry (outputs, spikes and "
                                     "decoded outputs can)"), attr);
  if (synapse && !(synapse->kind == SPK_SYNAPSE_LOWPASS && synapse->tau > 0))
    return object_fail (x, object, _("its synapse (%s) has no NIR counterpart (Lowpass synapses have)"),
                        spk_synapse_kind_to_name (synapse->kind));
  space = decoded ? (gsize) spk_ensemble_get_dimensions (SPK_ENSEMBLE (target)) : port->out_size;
  if (!(index = spk_slice_resolve (spk_probe_get_slice (probe), (guint) space, &n_index, &local)))
    return object_fail (x, object, "%s", local->message);
  rows = n_index;
  from = port->out;
  if (!decoded && spk_probe_get_slice (probe) == NULL)
    /* All of it, as it is: an image stays an image. */
    shape = shape_of (port->out_img, port->out_size);
  else
    {
      shape = shape_of (NULL, rows);
      if (rows * port->out_size > MAX_MATRIX)
        return object_fail (x, object, _("its weight matrix (%" PRIu64 " × %" PRIu64 ") is too large for NIR's "
                                         "Linear node"), (guint64) rows, (guint64) port->out_size);
      W = g_new0 (double, rows * port->out_size);
      if (decoded)
        {
          g_autoptr (SpkArray) dec = param (x, object, "weights", space * port->out_size);

          if (dec == NULL)
            return FALSE;
          for (gsize r = 0; r < rows; r++)
            for (gsize j = 0; j < port->out_size; j++)
              W[r * port->out_size + (is_image (port->out_img) ? nir_index (port->out_img, j) : j)]
                = dec->data[index[r] * port->out_size + j] * port->out_scale;
        }
      else
        {
          /* Spikes stay NIR's 1 per spike; a slice picks rows. */
          for (gsize r = 0; r < rows; r++)
            W[r * port->out_size + (is_image (port->out_img) ? nir_index (port->out_img, index[r]) : index[r])] = 1;
        }
      from = flat_out (x, port, key_of (x, target));
      if (!is_identity (W, rows, port->out_size))
        {
          g_autofree char *base = g_strdup_printf ("%s.%s", key_of (x, probe), decoded ? "decoders" : "slice");
          SpkNirOutNode *linear = _spk_nir_out_add_node (x->graph, base, "Linear");

          _spk_nir_out_add_param (linear, "weight", rows, port->out_size, W);
          _spk_nir_out_add_edge (x->graph, from, linear->name);
          from = linear->name;
        }
    }
  if (synapse)
    {
      g_autofree char *base = g_strdup_printf ("%s.synapse", key_of (x, probe));
      SpkNirOutNode *li = _spk_nir_out_add_node (x->graph, base, "LI");

      _spk_nir_out_add_filled (li, "tau", &shape, synapse->tau);
      _spk_nir_out_add_filled (li, "r", &shape, 1.0);
      _spk_nir_out_add_filled (li, "v_leak", &shape, 0.0);
      _spk_nir_out_add_edge (x->graph, from, li->name);
      from = li->name;
    }
  if (spk_probe_get_sample_every (probe) > 0 && fabs (spk_probe_get_sample_every (probe) - x->dt) > 1e-12)
    note (x, object, _("a NIR Output has a value every step (sample_every = %g s is not kept)"),
          spk_probe_get_sample_every (probe));
  out = _spk_nir_out_add_node (x->graph, key_of (x, probe), "Output");
  _spk_nir_out_add_shape (out, &shape);
  _spk_nir_out_add_edge (x->graph, from, out->name);
  return TRUE;
}

/* ---- the network ---------------------------------------------------------------- */

SpkNirOutGraph *
_spk_nir_out_from_network (SpkNetwork                *network,
                           SpkPlan                   *plan,
                           const SpkNirExportOptions *options,
                           GPtrArray                 *notes,
                           GError                   **error)
{
  g_autoptr (GHashTable) keys = spk_network_dup_keys (network);
  g_autoptr (GHashTable) ports = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GHashTable) layouts = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (SpkNirOutGraph) graph = _spk_nir_out_graph_new ();
  GPtrArray *objects = spk_network_get_objects (network);
  Exporter x = { network, plan, options, notes, error, keys, ports, layouts, graph, spk_plan_get_dt (plan) };
  gboolean any = FALSE;

  /* What NIR has no node for, first: nothing is written when one is refused. */
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_PROBE (object) && spk_probe_get_target (SPK_PROBE (object))
          && SPK_IS_CONNECTION (spk_probe_get_target (SPK_PROBE (object))))
        return object_fail (&x, object, _("it records a connection, which a NIR Output cannot")), NULL;
      if (!SPK_IS_NODE (object) && !SPK_IS_ENSEMBLE (object) && !SPK_IS_LAYER (object)
          && !SPK_IS_CONNECTION (object) && !SPK_IS_PROBE (object) && !SPK_IS_SUBNETWORK (object))
        return object_fail (&x, object, _("it has no NIR counterpart")), NULL;
    }
  /* Which objects carry images, then the objects, then what connects and
   * records them. */
  find_layouts (&x);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      gboolean ok = TRUE;

      if (SPK_IS_NODE (object))
        ok = export_node (&x, SPK_NODE (object));
      else if (SPK_IS_ENSEMBLE (object))
        ok = export_ensemble (&x, SPK_ENSEMBLE (object));
      else if (SPK_IS_LAYER (object))
        ok = export_layer (&x, SPK_LAYER (object));
      else
        continue;
      if (!ok)
        return NULL;
      any = TRUE;
    }
  if (!any)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("the network has nothing to export"));
      return NULL;
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object) && !export_connection (&x, SPK_CONNECTION (object)))
        return NULL;
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_PROBE (object) && !export_probe (&x, SPK_PROBE (object)))
        return NULL;
    }
  return g_steal_pointer (&graph);
}
