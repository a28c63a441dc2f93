/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-print.c — the JSON printer: the shortest text
 * that reads back to the very same double (json-glib prints 17 digits
 * and loses the sign of -0.0), short containers on one line. */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/spk-format.h"

/* Containers shorter than this go on one line when their children do. */
#define INLINE_WIDTH   72

/* The shortest decimal that reads back to the same double
 * (spk_format_double()); integral values without a fraction or exponent
 * ("200", not "200.0" or "2e+02"), except -0.0, whose sign only survives
 * as a float.  JSON has no NaN or infinity: they are written as null,
 * which the loader refuses, as a model holding them cannot be run anyway. */
static void
append_double (GString *out,
               double   value)
{
  char buf[SPK_FORMAT_BUF_SIZE];

  if (!isfinite (value))
    g_string_append (out, "null");
  else if (value == 0.0 && signbit (value))
    g_string_append (out, "-0.0");
  else if (value == floor (value) && fabs (value) < 1e15)
    g_string_append_printf (out, "%.0f", value);
  else
    g_string_append (out, spk_format_double (buf, value));
}

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_scalar (GString  *out,
               JsonNode *node)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    append_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else
    append_string (out, json_node_get_string (node));
}

static gboolean
is_scalar (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
all_scalars (JsonArray *list)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (!is_scalar (json_array_get_element (list, i)))
      return FALSE;
  return TRUE;
}

/* The one-line form of node, or NULL when it does not fit: a list of
 * numbers always fits (a vector reads best on one line), other
 * containers when they are short. */
static char *
inline_text (JsonNode *node)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (is_scalar (node))
    append_scalar (out, node);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);
      gboolean flat = all_scalars (list);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          g_autofree char *item = inline_text (json_array_get_element (list, i));

          if (item == NULL)
            return NULL;
          g_string_append_printf (out, "%s%s", i ? ", " : "", item);
          if (!flat && out->len > INLINE_WIDTH)
            return NULL;
        }
      g_string_append_c (out, ']');
    }
  else
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *item = inline_text (json_object_get_member (object, l->data));

          if (item == NULL)
            return NULL;
          if (l != members)
            g_string_append (out, ", ");
          append_string (out, l->data);
          g_string_append_printf (out, ": %s", item);
          if (out->len > INLINE_WIDTH)
            return NULL;
        }
      g_string_append_c (out, '}');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* Pretty-prints with two spaces per level.  The file's frame (the top
 * object, "network", "objects" and each object in it) is always laid out
 * one member per line; inside it, short values stay on one line. */
void
_spk_model_json_append_node (GString  *out,
                             JsonNode *node,
                             guint     depth)
{
  g_autofree char *flat = NULL;

  if (depth > 2 || is_scalar (node)
      || (JSON_NODE_HOLDS_ARRAY (node) && all_scalars (json_node_get_array (node))))
    flat = inline_text (node);
  if (flat != NULL)
    {
      g_string_append (out, flat);
      return;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);
      guint n = json_array_get_length (list);

      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          g_string_append_c (out, '\n');
          append_indent (out, depth + 1);
          _spk_model_json_append_node (out, json_array_get_element (list, i), depth + 1);
          if (i + 1 < n)
            g_string_append_c (out, ',');
        }
      if (n > 0)
        {
          g_string_append_c (out, '\n');
          append_indent (out, depth);
        }
      g_string_append_c (out, ']');
    }
  else
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_string_append_c (out, '\n');
          append_indent (out, depth + 1);
          append_string (out, l->data);
          g_string_append (out, ": ");
          _spk_model_json_append_node (out, json_object_get_member (object, l->data), depth + 1);
          if (l->next != NULL)
            g_string_append_c (out, ',');
        }
      if (members != NULL)
        {
          g_string_append_c (out, '\n');
          append_indent (out, depth);
        }
      g_string_append_c (out, '}');
    }
}
