/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-shapes.c — what each port of a card carries, and whether a
 * connection between two ports can be made.
 *
 * The canvas refuses a decoded connection whose sizes differ, since only an
 * explicit transform (set in the inspector) can bridge them and guessing
 * one would hide a modelling mistake.  Connections into or out of neurons
 * are different: their sizes almost never agree, and Nengo's habit there is
 * a random weight matrix, so the canvas makes one (Glorot, post × pre) and
 * reports that it needs it.  Sizes are computed the way the builder does,
 * without building.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include <glib/gi18n.h>

#include "expr/spk-expr.h"

static guint
node_output_size (SpkNode *node)
{
  int size_out = spk_node_get_size_out (node);
  SpkArray *value = spk_node_get_output_value (node);
  const char *expr = spk_node_get_output_expr (node);
  SpkProcess *process = spk_node_get_output_process (node);

  if (size_out >= 0)
    return (guint) size_out;
  if (value != NULL)
    return (guint) value->size;
  if (expr != NULL && *expr != '\0')
    {
      g_autoptr (SpkExpr) compiled = spk_expr_compile (expr, spk_node_get_size_in (node), NULL);

      /* An expression that does not compile has an error badge of its
       * own; its output size is unknown until it is fixed. */
      return compiled != NULL ? spk_expr_get_size_out (compiled) : 0;
    }
  if (process != NULL)
    return spk_process_default_size_out (process);
  return spk_node_get_size_in (node);
}

/* A layer's input or output size; 0 while it cannot be built. */
static guint
layer_size (SpkLayer *layer,
            gboolean  input)
{
  guint shape[3], in, out;

  spk_layer_get_shape_out (layer, shape, &in, &out);
  return input ? in : out;
}

/* The size of what leaves a card's output (or neurons) port; 0 when there
 * is no such port. */
guint
_spk_graph_output_size (SpkObject *object,
                        gboolean   neurons)
{
  if (SPK_IS_ENSEMBLE (object))
    return (guint) MAX (0, neurons ? spk_ensemble_get_n_neurons (SPK_ENSEMBLE (object))
                                   : spk_ensemble_get_dimensions (SPK_ENSEMBLE (object)));
  if (SPK_IS_NODE (object) && !neurons)
    return node_output_size (SPK_NODE (object));
  if (SPK_IS_LAYER (object) && !neurons)
    return layer_size (SPK_LAYER (object), FALSE);
  return 0;
}

/* The size a card's input (or neurons) port accepts; 0 when there is no
 * such port.  A probe accepts anything. */
guint
_spk_graph_input_size (SpkObject *object,
                       gboolean   neurons)
{
  if (SPK_IS_ENSEMBLE (object))
    return (guint) MAX (0, neurons ? spk_ensemble_get_n_neurons (SPK_ENSEMBLE (object))
                                   : spk_ensemble_get_dimensions (SPK_ENSEMBLE (object)));
  if (SPK_IS_NODE (object) && !neurons)
    return spk_node_get_size_in (SPK_NODE (object));
  if (SPK_IS_LAYER (object) && !neurons)
    return layer_size (SPK_LAYER (object), TRUE);
  if (SPK_IS_PROBE (object) && !neurons)
    return G_MAXUINT;
  return 0;
}

static const char *
name_of (SpkObject *object)
{
  const char *label = spk_object_get_label (object);

  return label != NULL && *label != '\0' ? label : spk_object_get_type_name (object);
}

static char *
describe_size (SpkObject *object,
               gboolean   neurons,
               guint      size)
{
  if (neurons)
    return g_strdup_printf (ngettext ("%u neuron", "%u neurons", size), size);
  if (SPK_IS_NODE (object) || SPK_IS_LAYER (object))
    return g_strdup_printf (ngettext ("%u value", "%u values", size), size);
  return g_strdup_printf (ngettext ("%u dimension", "%u dimensions", size), size);
}

/* Whether object has neurons to connect to or from (a Direct ensemble
 * has none); if not, says so. */
static gboolean
check_neurons (SpkObject  *object,
               GError    **error)
{
  if (!SPK_IS_ENSEMBLE (object))
    {
      g_set_error (error, SPK_GRAPH_VIEW_ERROR, SPK_GRAPH_VIEW_ERROR_NO_PORT,
                   _("%s has no neurons; only ensembles do"), name_of (object));
      return FALSE;
    }
  if (spk_neuron_kind_is_direct (spk_ensemble_get_neuron_type (SPK_ENSEMBLE (object))->kind))
    {
      g_set_error (error, SPK_GRAPH_VIEW_ERROR, SPK_GRAPH_VIEW_ERROR_NO_PORT,
                   _("%s is a Direct ensemble: it has no neurons, only its value"), name_of (object));
      return FALSE;
    }
  return TRUE;
}

/* Whether pre's port can feed post's port.  On success *needs_transform
 * says whether the connection needs a weight matrix of post × pre (into or
 * out of neurons with different sizes).  Connecting into a probe means
 * setting its target: it fits whatever the size. */
gboolean
_spk_graph_check_connection (SpkObject  *pre,
                             gboolean    pre_neurons,
                             SpkObject  *post,
                             gboolean    post_neurons,
                             gboolean   *needs_transform,
                             GError    **error)
{
  guint out, in;

  g_return_val_if_fail (SPK_IS_OBJECT (pre) && SPK_IS_OBJECT (post), FALSE);

  if (needs_transform != NULL)
    *needs_transform = FALSE;
  if (SPK_IS_PROBE (pre) || SPK_IS_CONNECTION (pre))
    {
      g_set_error (error, SPK_GRAPH_VIEW_ERROR, SPK_GRAPH_VIEW_ERROR_NO_PORT,
                   _("%s records a signal; it has no output to connect from"), name_of (pre));
      return FALSE;
    }
  if (SPK_IS_CONNECTION (post))
    {
      g_set_error (error, SPK_GRAPH_VIEW_ERROR, SPK_GRAPH_VIEW_ERROR_NO_PORT,
                   _("connect to a node, an ensemble, a layer or a probe"));
      return FALSE;
    }
  if ((pre_neurons && !check_neurons (pre, error)) || (post_neurons && !check_neurons (post, error)))
    return FALSE;
  if (SPK_IS_PROBE (post))
    return TRUE;

  out = _spk_graph_output_size (pre, pre_neurons);
  in = _spk_graph_input_size (post, post_neurons);
  if (out == 0)
    {
      g_set_error (error, SPK_GRAPH_VIEW_ERROR, SPK_GRAPH_VIEW_ERROR_NO_PORT,
                   _("%s has no output; give it a value, an expression or an input size in the inspector"),
                   name_of (pre));
      return FALSE;
    }
  if (in == 0)
    {
      g_set_error (error, SPK_GRAPH_VIEW_ERROR, SPK_GRAPH_VIEW_ERROR_NO_PORT,
                   _("%s takes no input; set its input size in the inspector"), name_of (post));
      return FALSE;
    }
  if (out != in)
    {
      g_autofree char *has = NULL;
      g_autofree char *takes = NULL;

      if (pre_neurons || post_neurons)
        {
          if (needs_transform != NULL)
            *needs_transform = TRUE;
          return TRUE;
        }
      has = describe_size (pre, pre_neurons, out);
      takes = describe_size (post, post_neurons, in);
      /* TRANSLATORS: "a has 2 dimensions but b takes 1 dimension; …" */
      g_set_error (error, SPK_GRAPH_VIEW_ERROR, SPK_GRAPH_VIEW_ERROR_SHAPE,
                   _("%s has %s but %s takes %s; add a transform in the inspector"),
                   name_of (pre), has, name_of (post), takes);
      return FALSE;
    }
  return TRUE;
}
