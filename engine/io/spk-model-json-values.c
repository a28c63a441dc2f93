/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-values.c — the loader's errors (each names its
 * object, and an unknown key its closest known one) and the conversions
 * between JSON and numbers, arrays and property values. */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/spk-names.h"
#include "model/spk-connection.h"
#include "model/spk-value-equal.h"

/* {{{ Errors */

gboolean
_spk_model_json_fail (GError     **error,
                      SpkIoError   code,
                      const char  *owner,
                      const char  *format,
                      ...)
{
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (error, SPK_IO_ERROR, code, owner, format, args);
  va_end (args);
  return FALSE;
}

/* Re-raises an error of the model layer (a validation message) as a
 * value error of the file, keeping its text. */
gboolean
_spk_model_json_fail_with (GError     **error,
                           GError      *cause,
                           const char  *owner,
                           const char  *what)
{
  _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, "%s: %s", what, cause->message);
  g_error_free (cause);
  return FALSE;
}

/* what is NULL for a key of the object itself, or the value the key is
 * inside ("neuron_type"). */
gboolean
_spk_model_json_fail_unknown_key (GError           **error,
                                  const char        *owner,
                                  const char        *what,
                                  const char        *key,
                                  const char *const *known,
                                  gsize              n_known)
{
  const char *guess = spk_names_closest (key, known, n_known);
  g_autofree char *where = what ? g_strdup_printf ("%s: ", what) : g_strdup ("");

  if (guess)
    return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                 _("%sunknown parameter '%s' — did you mean '%s'?"), where, key, guess);
  return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner,
               _("%sunknown parameter '%s'"), where, key);
}

/* "name — did you mean 'x'?" or "; expected one of a, b, c" for a kind
 * name, from a table of names. */
gboolean
_spk_model_json_fail_unknown_kind (GError           **error,
                                   const char        *owner,
                                   const char        *what,
                                   const char        *family,
                                   const char        *name,
                                   const char *const *known,
                                   gsize              n_known)
{
  const char *guess = spk_names_closest (name, known, n_known);
  g_autoptr (GString) list = g_string_new (NULL);

  if (guess)
    return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                 _("%s: unknown %s '%s' — did you mean '%s'?"), what, family, name, guess);
  for (gsize i = 0; i < n_known; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", known[i]);
  return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner,
               _("%s: unknown %s '%s'; expected one of %s"), what, family, name, list->str);
}

/* Fails on the first member of object that is not in known. */
gboolean
_spk_model_json_check_members (JsonObject        *object,
                               const char *const *known,
                               const char        *owner,
                               const char        *what,
                               GError           **error)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      return _spk_model_json_fail_unknown_key (error, owner, what, l->data, known, g_strv_length ((GStrv) known));
  return TRUE;
}

/* }}} */
/* {{{ Numbers and arrays */

gboolean
_spk_model_json_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* Nan and infinity are not JSON, but 1e999 parses to infinity: every
 * number goes through here so that none slips in. */
gboolean
_spk_model_json_number_from_json (JsonNode    *node,
                                  const char  *owner,
                                  const char  *what,
                                  double      *out,
                                  GError     **error)
{
  double value;

  if (!_spk_model_json_is_number (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a number"), what);
  value = json_node_get_double (node);
  if (!isfinite (value))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a finite number"), what);
  *out = value;
  return TRUE;
}

gboolean
_spk_model_json_integer_from_json (JsonNode    *node,
                                   const char  *owner,
                                   const char  *what,
                                   gint64      *out,
                                   GError     **error)
{
  double value;

  if (_spk_model_json_is_number (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  /* 2.0 is an integer too, as Python would take it. */
  if (_spk_model_json_is_number (node))
    {
      value = json_node_get_double (node);
      if (isfinite (value) && value == floor (value)
          && value >= -9007199254740992.0 && value <= 9007199254740992.0)
        {
          *out = (gint64) value;
          return TRUE;
        }
    }
  return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be an integer"), what);
}

static gboolean
boolean_from_json (JsonNode    *node,
                   const char  *owner,
                   const char  *what,
                   gboolean    *out,
                   GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be true or false"), what);
  *out = json_node_get_boolean (node);
  return TRUE;
}

const char *
_spk_model_json_string_from_json (JsonNode    *node,
                                  const char  *owner,
                                  const char  *what,
                                  GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a string"), what);
      return NULL;
    }
  return json_node_get_string (node);
}

/* A number is rank 0, a list of numbers rank 1, a list of equally long
 * lists of numbers rank 2 (rows). */
SpkArray *
_spk_model_json_array_from_json (JsonNode    *node,
                                 const char  *owner,
                                 const char  *what,
                                 GError     **error)
{
  g_autoptr (SpkArray) array = NULL;
  JsonArray *list;
  guint rows, cols;

  if (_spk_model_json_is_number (node))
    {
      double value;

      if (!_spk_model_json_number_from_json (node, owner, what, &value, error))
        return NULL;
      return spk_array_new_scalar (value);
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a number or a list of numbers"), what);
      return NULL;
    }

  list = json_node_get_array (node);
  rows = json_array_get_length (list);
  if (rows == 0 || !JSON_NODE_HOLDS_ARRAY (json_array_get_element (list, 0)))
    {
      array = spk_array_new (1, rows, 1);
      for (guint i = 0; i < rows; i++)
        {
          g_autofree char *item = g_strdup_printf ("%s[%u]", what, i);

          if (!_spk_model_json_number_from_json (json_array_get_element (list, i), owner, item,
                                 &array->data[i], error))
            return NULL;
        }
      return g_steal_pointer (&array);
    }

  cols = json_array_get_length (json_node_get_array (json_array_get_element (list, 0)));
  array = spk_array_new (2, rows, cols);
  for (guint i = 0; i < rows; i++)
    {
      JsonNode *row = json_array_get_element (list, i);
      JsonArray *row_list;

      if (!JSON_NODE_HOLDS_ARRAY (row)
          || json_array_get_length (json_node_get_array (row)) != cols)
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                _("%s must be a matrix: every row a list of %u numbers"), what, cols);
          return NULL;
        }
      row_list = json_node_get_array (row);
      for (guint j = 0; j < cols; j++)
        {
          g_autofree char *item = g_strdup_printf ("%s[%u][%u]", what, i, j);

          if (!_spk_model_json_number_from_json (json_array_get_element (row_list, j), owner, item,
                                 &array->data[(gsize) i * cols + j], error))
            return NULL;
        }
    }
  return g_steal_pointer (&array);
}

/* A vector even when the file writes a single number. */
SpkArray *
_spk_model_json_vector_from_json (JsonNode    *node,
                                  const char  *owner,
                                  const char  *what,
                                  GError     **error)
{
  g_autoptr (SpkArray) array = _spk_model_json_array_from_json (node, owner, what, error);

  if (array == NULL)
    return NULL;
  if (array->ndim == 0)
    return spk_array_new_vector (array->data, 1);
  if (array->ndim != 1)
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a number or a list of numbers"), what);
      return NULL;
    }
  return g_steal_pointer (&array);
}

JsonNode *
_spk_model_json_number_to_json (double value)
{
  return json_node_init_double (json_node_alloc (), value);
}

JsonNode *
_spk_model_json_array_to_json (const SpkArray *array)
{
  JsonArray *list;
  JsonNode *node;

  if (array == NULL)
    return json_node_init_null (json_node_alloc ());
  if (array->ndim == 0)
    return _spk_model_json_number_to_json (array->data[0]);
  list = json_array_sized_new (array->shape[0]);
  for (gsize i = 0; i < array->shape[0]; i++)
    {
      if (array->ndim == 1)
        json_array_add_double_element (list, array->data[i]);
      else
        {
          JsonArray *row = json_array_sized_new (array->shape[1]);

          for (gsize j = 0; j < array->shape[1]; j++)
            json_array_add_double_element (row, array->data[i * array->shape[1] + j]);
          json_array_add_array_element (list, row);
        }
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, list);
  return node;
}

/* Doubles are equal for the writer only when they print the same: -0.0
 * differs from 0.0, and NaN (an unset y0) equals NaN. */
gboolean
_spk_model_json_same_double (double a,
                             double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  return a == b && signbit (a) == signbit (b);
}

/* The member key of a value object, or NULL when it is absent; *item
 * then names it for messages ("what.key"). */
static JsonNode *
value_member (JsonObject  *object,
              const char  *key,
              const char  *what,
              char       **item)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node != NULL)
    *item = g_strdup_printf ("%s.%s", what, key);
  return node;
}

/* The members of a value object, read when present. */
gboolean
_spk_model_json_read_double (JsonObject  *object,
                             const char  *key,
                             const char  *owner,
                             const char  *what,
                             double      *out,
                             GError     **error)
{
  g_autofree char *item = NULL;
  JsonNode *node = value_member (object, key, what, &item);

  return node == NULL || _spk_model_json_number_from_json (node, owner, item, out, error);
}

gboolean
_spk_model_json_read_boolean (JsonObject  *object,
                              const char  *key,
                              const char  *owner,
                              const char  *what,
                              gboolean    *out,
                              GError     **error)
{
  g_autofree char *item = NULL;
  JsonNode *node = value_member (object, key, what, &item);

  return node == NULL || boolean_from_json (node, owner, item, out, error);
}

/* Replaces *out with the array, or with NULL for null. */
gboolean
_spk_model_json_read_array (JsonObject  *object,
                            const char  *key,
                            gboolean     vector,
                            const char  *owner,
                            const char  *what,
                            SpkArray   **out,
                            GError     **error)
{
  g_autofree char *item = NULL;
  JsonNode *node = value_member (object, key, what, &item);
  SpkArray *array = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_NULL (node))
    {
      array = vector ? _spk_model_json_vector_from_json (node, owner, item, error)
                     : _spk_model_json_array_from_json (node, owner, item, error);
      if (array == NULL)
        return FALSE;
    }
  spk_array_unref (*out);
  *out = array;
  return TRUE;
}

const char *
_spk_model_json_read_type_name (JsonObject  *object,
                                const char  *key,
                                const char  *owner,
                                const char  *what,
                                GError     **error)
{
  g_autofree char *item = NULL;
  JsonNode *node = value_member (object, key, what, &item);

  if (node == NULL)
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s has no \"%s\""), what, key);
      return NULL;
    }
  return _spk_model_json_string_from_json (node, owner, item, error);
}

/* The one way a family of typed values (solvers, learning rules) is
 * written: its name alone for the defaults, or an object {"type": name,
 * …parameters}.  *kind is the name's index in known; *object is the
 * object form, or NULL for a bare name.  shape_format is the translated
 * message for a node of neither form, with one %s for what. */
gboolean
_spk_model_json_read_named_kind (JsonNode           *node,
                                 const char         *owner,
                                 const char         *what,
                                 const char         *family,
                                 const char         *shape_format,
                                 const char *const  *known,
                                 gsize               n_known,
                                 guint              *kind,
                                 JsonObject        **object,
                                 GError            **error)
{
  const char *name;

  *object = NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    name = json_node_get_string (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      name = _spk_model_json_read_type_name (json_node_get_object (node), "type", owner, what, error);
      if (name == NULL)
        return FALSE;
    }
  else
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, shape_format, what);

  for (gsize i = 0; i < n_known; i++)
    if (g_str_equal (name, known[i]))
      {
        *kind = (guint) i;
        if (JSON_NODE_HOLDS_OBJECT (node))
          *object = json_node_get_object (node);
        return TRUE;
      }
  return _spk_model_json_fail_unknown_kind (error, owner, what, family, name, known, n_known);
}

/* }}} */
/* {{{ Properties ↔ JSON */

/* "n-neurons" ↔ "n_neurons". */
char *
_spk_model_json_key_from_property (const char *name)
{
  char *key = g_strdup (name);

  g_strdelimit (key, "-", '_');
  return key;
}

gboolean
_spk_model_json_values_equal (GParamSpec   *pspec,
                              const GValue *a,
                              const GValue *b)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  /* g_param_values_cmp() compares doubles within an epsilon and boxed
   * values by address; the file needs exact values. */
  if (type == G_TYPE_DOUBLE)
    return _spk_model_json_same_double (g_value_get_double (a), g_value_get_double (b));
  if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_BOXED)
    {
      GEqualFunc equal = spk_model_value_equal_func (type);

      if (equal != NULL)
        return equal (g_value_get_boxed (a), g_value_get_boxed (b));
    }
  return g_param_values_cmp (pspec, a, b) == 0;
}

static gboolean
integer_in_range (GParamSpec  *pspec,
                  gint64       value,
                  const char  *owner,
                  const char  *what,
                  GError     **error)
{
  gint64 min, max;

  if (G_IS_PARAM_SPEC_INT (pspec))
    {
      min = G_PARAM_SPEC_INT (pspec)->minimum;
      max = G_PARAM_SPEC_INT (pspec)->maximum;
    }
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      min = G_PARAM_SPEC_UINT (pspec)->minimum;
      max = G_PARAM_SPEC_UINT (pspec)->maximum;
    }
  else
    {
      min = G_PARAM_SPEC_INT64 (pspec)->minimum;
      max = G_PARAM_SPEC_INT64 (pspec)->maximum;
    }
  if (value < min)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("%s must be at least %" PRId64 " (got %" PRId64 ")"),
                 what, min, value);
  if (value > max)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("%s must be at most %" PRId64 " (got %" PRId64 ")"),
                 what, max, value);
  return TRUE;
}

static gboolean
double_in_range (GParamSpecDouble  *pspec,
                 double             value,
                 const char        *owner,
                 const char        *what,
                 GError           **error)
{
  char bound[G_ASCII_DTOSTR_BUF_SIZE];
  char got[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (got, sizeof got, "%g", value);
  if (value < pspec->minimum)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be at least %s (got %s)"),
                 what, g_ascii_formatd (bound, sizeof bound, "%g", pspec->minimum), got);
  if (value > pspec->maximum)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be at most %s (got %s)"),
                 what, g_ascii_formatd (bound, sizeof bound, "%g", pspec->maximum), got);
  return TRUE;
}

/* Converts node to a value of the property's type, checking its range.
 * null is "none" for every boxed type. */
gboolean
_spk_model_json_value_from_json (GParamSpec  *pspec,
                                 JsonNode    *node,
                                 const char  *owner,
                                 const char  *what,
                                 GValue      *value,
                                 GError     **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  gpointer boxed = NULL;

  g_value_init (value, type);
  if (type == G_TYPE_INT || type == G_TYPE_UINT || type == G_TYPE_INT64)
    {
      gint64 number;

      if (!_spk_model_json_integer_from_json (node, owner, what, &number, error)
          || !integer_in_range (pspec, number, owner, what, error))
        return FALSE;
      if (type == G_TYPE_INT)
        g_value_set_int (value, (int) number);
      else if (type == G_TYPE_UINT)
        g_value_set_uint (value, (guint) number);
      else
        g_value_set_int64 (value, number);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double number;

      if (!_spk_model_json_number_from_json (node, owner, what, &number, error)
          || !double_in_range (G_PARAM_SPEC_DOUBLE (pspec), number, owner, what, error))
        return FALSE;
      g_value_set_double (value, number);
      return TRUE;
    }
  if (type == G_TYPE_BOOLEAN)
    {
      gboolean flag;

      if (!boolean_from_json (node, owner, what, &flag, error))
        return FALSE;
      g_value_set_boolean (value, flag);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      const char *text = NULL;

      if (!JSON_NODE_HOLDS_NULL (node)
          && (text = _spk_model_json_string_from_json (node, owner, what, error)) == NULL)
        return FALSE;
      g_value_set_string (value, text);
      return TRUE;
    }
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      const char *nick = _spk_model_json_string_from_json (node, owner, what, error);
      GEnumValue *item;
      g_autoptr (GString) list = NULL;

      if (nick == NULL)
        return FALSE;
      item = g_enum_get_value_by_nick (klass, nick);
      if (item != NULL)
        {
          g_value_set_enum (value, item->value);
          return TRUE;
        }
      list = g_string_new (NULL);
      for (guint i = 0; i < klass->n_values; i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "", klass->values[i].value_nick);
      return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be one of %s (got '%s')"),
                   what, list->str, nick);
    }

  if (JSON_NODE_HOLDS_NULL (node) && G_TYPE_FUNDAMENTAL (type) == G_TYPE_BOXED)
    return TRUE;
  if (type == SPK_TYPE_ARRAY)
    boxed = _spk_model_json_array_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_DISTRIBUTION && pspec->owner_type == SPK_TYPE_CONNECTION
           && strcmp (pspec->name, "transform") == 0)
    boxed = _spk_model_json_transform_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_DISTRIBUTION)
    boxed = _spk_model_json_distribution_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_NEURON_TYPE)
    boxed = _spk_model_json_neuron_type_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_SYNAPSE)
    boxed = _spk_model_json_synapse_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_PROCESS)
    boxed = _spk_model_json_process_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_SOLVER)
    boxed = _spk_model_json_solver_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    boxed = _spk_model_json_learning_rule_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_SLICE)
    boxed = _spk_model_json_slice_from_json (node, owner, what, error);
  else if (type == JSON_TYPE_NODE)
    boxed = json_node_copy (node);   /* checked by its owner */
  else
    return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                 _("%s has a type the model file cannot hold (%s)"), what, g_type_name (type));
  if (boxed == NULL)
    return FALSE;
  g_value_take_boxed (value, boxed);
  return TRUE;
}

JsonNode *
_spk_model_json_value_to_json (GParamSpec   *pspec,
                               const GValue *value)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  gconstpointer boxed;

  if (type == G_TYPE_INT)
    return json_node_init_int (json_node_alloc (), g_value_get_int (value));
  if (type == G_TYPE_UINT)
    return json_node_init_int (json_node_alloc (), g_value_get_uint (value));
  if (type == G_TYPE_INT64)
    return json_node_init_int (json_node_alloc (), g_value_get_int64 (value));
  if (type == G_TYPE_DOUBLE)
    return _spk_model_json_number_to_json (g_value_get_double (value));
  if (type == G_TYPE_BOOLEAN)
    return json_node_init_boolean (json_node_alloc (), g_value_get_boolean (value));
  if (type == G_TYPE_STRING)
    return g_value_get_string (value)
           ? json_node_init_string (json_node_alloc (), g_value_get_string (value))
           : json_node_init_null (json_node_alloc ());
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumValue *item = g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class,
                                           g_value_get_enum (value));

      return item ? json_node_init_string (json_node_alloc (), item->value_nick)
                  : json_node_init_null (json_node_alloc ());
    }

  g_return_val_if_fail (G_TYPE_FUNDAMENTAL (type) == G_TYPE_BOXED, NULL);
  boxed = g_value_get_boxed (value);
  if (boxed == NULL)
    return json_node_init_null (json_node_alloc ());
  if (type == SPK_TYPE_ARRAY)
    return _spk_model_json_array_to_json (boxed);
  if (type == SPK_TYPE_DISTRIBUTION)
    return _spk_model_json_transform_to_json (boxed);
  if (type == SPK_TYPE_NEURON_TYPE)
    return _spk_model_json_neuron_type_to_json (boxed);
  if (type == SPK_TYPE_SYNAPSE)
    return _spk_model_json_synapse_to_json (boxed);
  if (type == SPK_TYPE_PROCESS)
    return _spk_model_json_process_to_json (boxed);
  if (type == SPK_TYPE_SOLVER)
    return _spk_model_json_solver_to_json (boxed);
  if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    return _spk_model_json_learning_rule_to_json (boxed);
  if (type == SPK_TYPE_SLICE)
    {
      g_autofree char *text = spk_slice_to_string (boxed);

      return json_node_init_string (json_node_alloc (), text);
    }
  if (type == JSON_TYPE_NODE)
    return json_node_copy ((JsonNode *) boxed);
  g_return_val_if_reached (NULL);
}

/* }}} */
