/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-node.c — a Node: a non-neural source or sink.  Its output is a constant vector (output-value), an expression of t or (t, x) (output-expr), a process (output-process), or nothing: a pass-through of its size_in inputs.  Setting one output clears the others. */
#define G_LOG_DOMAIN "spk-node"

#include "spk-node.h"
#include "model/spk-object-private.h"

#include <glib/gi18n-lib.h>

struct _SpkNode
{
  SpkObject parent_instance;

  guint size_in;
  int size_out;
  SpkArray *output_value;
  char *output_expr;
  SpkProcess *output_process;
};

G_DEFINE_FINAL_TYPE (SpkNode, spk_node, SPK_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SIZE_IN,
  PROP_SIZE_OUT,
  PROP_OUTPUT_VALUE,
  PROP_OUTPUT_EXPR,
  PROP_OUTPUT_PROCESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SpkNode *
spk_node_new (void)
{
  return g_object_new (SPK_TYPE_NODE, NULL);
}

static void
spk_node_finalize (GObject *object)
{
  SpkNode *self = SPK_NODE (object);

  g_clear_pointer (&self->output_value, spk_array_unref);
  g_free (self->output_expr);
  g_clear_pointer (&self->output_process, spk_process_unref);
  G_OBJECT_CLASS (spk_node_parent_class)->finalize (object);
}

static void
spk_node_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SpkNode *self = SPK_NODE (object);

  switch (prop_id)
    {
    case PROP_SIZE_IN:
      g_value_set_uint (value, self->size_in);
      break;
    case PROP_SIZE_OUT:
      g_value_set_int (value, self->size_out);
      break;
    case PROP_OUTPUT_VALUE:
      g_value_set_boxed (value, self->output_value);
      break;
    case PROP_OUTPUT_EXPR:
      g_value_set_string (value, self->output_expr);
      break;
    case PROP_OUTPUT_PROCESS:
      g_value_set_boxed (value, self->output_process);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_node_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SpkNode *self = SPK_NODE (object);

  switch (prop_id)
    {
    case PROP_SIZE_IN:
      spk_node_set_size_in (self, g_value_get_uint (value));
      break;
    case PROP_SIZE_OUT:
      spk_node_set_size_out (self, g_value_get_int (value));
      break;
    case PROP_OUTPUT_VALUE:
      spk_node_set_output_value (self, g_value_get_boxed (value));
      break;
    case PROP_OUTPUT_EXPR:
      spk_node_set_output_expr (self, g_value_get_string (value));
      break;
    case PROP_OUTPUT_PROCESS:
      spk_node_set_output_process (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_node_class_init (SpkNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = spk_node_finalize;
  object_class->get_property = spk_node_get_property;
  object_class->set_property = spk_node_set_property;
  SPK_OBJECT_CLASS (klass)->type_name = "node";

  properties[PROP_SIZE_IN] =
    g_param_spec_uint ("size-in", N_("Input size"), N_("Dimensions of the input x; 0 for a source"),
                         0, G_MAXINT, 0, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE_OUT] =
    g_param_spec_int ("size-out", N_("Output size"), N_("Dimensions of the output; -1 infers it from the output"),
                         -1, G_MAXINT, -1, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTPUT_VALUE] =
    g_param_spec_boxed ("output-value", N_("Constant output"), N_("A constant output vector"),
                         SPK_TYPE_ARRAY, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTPUT_EXPR] =
    g_param_spec_string ("output-expr", N_("Output expression"), N_("An expression of t, or of t and x, such as sin(2*pi*t)"),
                         NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTPUT_PROCESS] =
    g_param_spec_boxed ("output-process", N_("Output process"), N_("A process that sets the output each step"),
                         SPK_TYPE_PROCESS, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
spk_node_init (SpkNode *self)
{
  self->size_in = 0;
  self->size_out = -1;
}

guint 
spk_node_get_size_in (SpkNode *self)
{
  g_return_val_if_fail (SPK_IS_NODE (self), 0);
  return self->size_in;
}

void
spk_node_set_size_in (SpkNode *self,
                     guint size_in)
{
  g_return_if_fail (SPK_IS_NODE (self));
  if (self->size_in == size_in)
    return;
  self->size_in = size_in;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE_IN]);
}

int 
spk_node_get_size_out (SpkNode *self)
{
  g_return_val_if_fail (SPK_IS_NODE (self), 0);
  return self->size_out;
}

void
spk_node_set_size_out (SpkNode *self,
                      int size_out)
{
  g_return_if_fail (SPK_IS_NODE (self));
  if (self->size_out == size_out)
    return;
  self->size_out = size_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE_OUT]);
}

SpkArray *
spk_node_get_output_value (SpkNode *self)
{
  g_return_val_if_fail (SPK_IS_NODE (self), NULL);
  return self->output_value;
}

const char *
spk_node_get_output_expr (SpkNode *self)
{
  g_return_val_if_fail (SPK_IS_NODE (self), NULL);
  return self->output_expr;
}

SpkProcess *
spk_node_get_output_process (SpkNode *self)
{
  g_return_val_if_fail (SPK_IS_NODE (self), NULL);
  return self->output_process;
}

/* The three output forms exclude each other: setting one clears the rest,
 * each change notified. */
static void
clear_outputs_except (SpkNode *self,
                      guint    keep)
{
  if (keep != PROP_OUTPUT_VALUE && self->output_value)
    {
      g_clear_pointer (&self->output_value, spk_array_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_VALUE]);
    }
  if (keep != PROP_OUTPUT_EXPR && self->output_expr)
    {
      g_clear_pointer (&self->output_expr, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_EXPR]);
    }
  if (keep != PROP_OUTPUT_PROCESS && self->output_process)
    {
      g_clear_pointer (&self->output_process, spk_process_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_PROCESS]);
    }
}

void
spk_node_set_output_value (SpkNode  *self,
                           SpkArray *output_value)
{
  g_return_if_fail (SPK_IS_NODE (self));
  if (output_value)
    clear_outputs_except (self, PROP_OUTPUT_VALUE);
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->output_value, output_value,
                         SPK_TYPE_ARRAY, (GEqualFunc) spk_array_equal,
                         properties[PROP_OUTPUT_VALUE]);
}

void
spk_node_set_output_expr (SpkNode    *self,
                          const char *output_expr)
{
  g_return_if_fail (SPK_IS_NODE (self));
  if (output_expr)
    clear_outputs_except (self, PROP_OUTPUT_EXPR);
  _spk_object_set_string (G_OBJECT (self), &self->output_expr, output_expr, properties[PROP_OUTPUT_EXPR]);
}

void
spk_node_set_output_process (SpkNode    *self,
                             SpkProcess *output_process)
{
  g_return_if_fail (SPK_IS_NODE (self));
  if (output_process)
    clear_outputs_except (self, PROP_OUTPUT_PROCESS);
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->output_process, output_process,
                         SPK_TYPE_PROCESS, (GEqualFunc) spk_process_equal,
                         properties[PROP_OUTPUT_PROCESS]);
}
