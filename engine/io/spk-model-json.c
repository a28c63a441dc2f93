/* spk-model-json.c — the readable model file (docs/model-format.md).
 *
 * Loading walks the GObject properties of each model object: a JSON key
 * "n_neurons" is the property "n-neurons", and the value is converted by
 * the property's type, so new parameters need no code here.  Only the
 * keys whose JSON shape differs from their properties are special: a
 * node's "output" (three properties in one key) and the targets "pre",
 * "post" and "target" (an object, ".neurons" and a slice in one string).
 * The conversions between the boxed value types and JSON nodes sit in
 * their own section, so that the HDF5 writer can share them.
 *
 * Writing builds a JsonNode tree and prints it with our own printer:
 * json-glib prints doubles with 17 digits ("0.10000000000000001") and
 * loses the sign of -0.0, and we want the shortest text that reads back
 * to the very same double.
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "io/spk-model-json.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/spk-error.h"
#include "io/spk-file.h"
#include "io/spk-json-depth.h"
#include "model/spk-value-equal.h"

#define FORMAT_NAME    "spikeworks-model"
#define FORMAT_VERSION 1

/* Containers shorter than this go on one line when their children do. */
#define INLINE_WIDTH   72

/* {{{ Errors */

/* Every loader message starts with the object it is about ("ensemble
 * 'b': …"), so a long file still says where to look. */
static gboolean
fail (GError     **error,
      SpkIoError   code,
      const char  *owner,
      const char  *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError     **error,
      SpkIoError   code,
      const char  *owner,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SPK_IO_ERROR, code, "%s: %s", owner, message);
  return FALSE;
}

/* Re-raises an error of the model layer (a validation message) as a
 * value error of the file, keeping its text. */
static gboolean
fail_with (GError     **error,
           GError      *cause,
           const char  *owner,
           const char  *what)
{
  fail (error, SPK_IO_ERROR_VALUE, owner, "%s: %s", what, cause->message);
  g_error_free (cause);
  return FALSE;
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint best = MIN (row[j] + 1, row[j - 1] + 1);

          row[j] = MIN (best, diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }
  return row[lb];
}

/* The closest of candidates to word, when it is close enough to be a
 * likely typo. */
static const char *
closest (const char       *word,
         const char *const *candidates,
         gsize             n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  for (gsize i = 0; i < n_candidates; i++)
    {
      guint d = edit_distance (word, candidates[i]);

      if (d < best_distance)
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  if (best != NULL && best_distance <= 2 && best_distance < strlen (word))
    return best;
  return NULL;
}

/* what is NULL for a key of the object itself, or the value the key is
 * inside ("neuron_type"). */
static gboolean
fail_unknown_key (GError           **error,
                  const char        *owner,
                  const char        *what,
                  const char        *key,
                  const char *const *known,
                  gsize              n_known)
{
  const char *guess = closest (key, known, n_known);
  g_autofree char *where = what ? g_strdup_printf ("%s: ", what) : g_strdup ("");

  if (guess)
    return fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                 _("%sunknown parameter '%s' — did you mean '%s'?"), where, key, guess);
  return fail (error, SPK_IO_ERROR_UNKNOWN, owner,
               _("%sunknown parameter '%s'"), where, key);
}

/* "name — did you mean 'x'?" or "; expected one of a, b, c" for a kind
 * name, from a table of names. */
static gboolean
fail_unknown_kind (GError           **error,
                   const char        *owner,
                   const char        *what,
                   const char        *family,
                   const char        *name,
                   const char *const *known,
                   gsize              n_known)
{
  const char *guess = closest (name, known, n_known);
  g_autoptr (GString) list = g_string_new (NULL);

  if (guess)
    return fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                 _("%s: unknown %s '%s' — did you mean '%s'?"), what, family, name, guess);
  for (gsize i = 0; i < n_known; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", known[i]);
  return fail (error, SPK_IO_ERROR_UNKNOWN, owner,
               _("%s: unknown %s '%s'; expected one of %s"), what, family, name, list->str);
}

/* Fails on the first member of object that is not in known. */
static gboolean
check_members (JsonObject        *object,
               const char *const *known,
               const char        *owner,
               const char        *what,
               GError           **error)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      return fail_unknown_key (error, owner, what, l->data, known, g_strv_length ((GStrv) known));
  return TRUE;
}

/* }}} */
/* {{{ Numbers and arrays */

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* Nan and infinity are not JSON, but 1e999 parses to infinity: every
 * number goes through here so that none slips in. */
static gboolean
number_from_json (JsonNode    *node,
                  const char  *owner,
                  const char  *what,
                  double      *out,
                  GError     **error)
{
  double value;

  if (!is_number (node))
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a number"), what);
  value = json_node_get_double (node);
  if (!isfinite (value))
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a finite number"), what);
  *out = value;
  return TRUE;
}

static gboolean
integer_from_json (JsonNode    *node,
                   const char  *owner,
                   const char  *what,
                   gint64      *out,
                   GError     **error)
{
  double value;

  if (is_number (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  /* 2.0 is an integer too, as Python would take it. */
  if (is_number (node))
    {
      value = json_node_get_double (node);
      if (isfinite (value) && value == floor (value)
          && value >= -9007199254740992.0 && value <= 9007199254740992.0)
        {
          *out = (gint64) value;
          return TRUE;
        }
    }
  return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be an integer"), what);
}

static gboolean
boolean_from_json (JsonNode    *node,
                   const char  *owner,
                   const char  *what,
                   gboolean    *out,
                   GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be true or false"), what);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static const char *
string_from_json (JsonNode    *node,
                  const char  *owner,
                  const char  *what,
                  GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a string"), what);
      return NULL;
    }
  return json_node_get_string (node);
}

/* A number is rank 0, a list of numbers rank 1, a list of equally long
 * lists of numbers rank 2 (rows). */
static SpkArray *
array_from_json (JsonNode    *node,
                 const char  *owner,
                 const char  *what,
                 GError     **error)
{
  g_autoptr (SpkArray) array = NULL;
  JsonArray *list;
  guint rows, cols;

  if (is_number (node))
    {
      double value;

      if (!number_from_json (node, owner, what, &value, error))
        return NULL;
      return spk_array_new_scalar (value);
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a number or a list of numbers"), what);
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

          if (!number_from_json (json_array_get_element (list, i), owner, item,
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
          fail (error, SPK_IO_ERROR_VALUE, owner,
                _("%s must be a matrix: every row a list of %u numbers"), what, cols);
          return NULL;
        }
      row_list = json_node_get_array (row);
      for (guint j = 0; j < cols; j++)
        {
          g_autofree char *item = g_strdup_printf ("%s[%u][%u]", what, i, j);

          if (!number_from_json (json_array_get_element (row_list, j), owner, item,
                                 &array->data[(gsize) i * cols + j], error))
            return NULL;
        }
    }
  return g_steal_pointer (&array);
}

/* A vector even when the file writes a single number. */
static SpkArray *
vector_from_json (JsonNode    *node,
                  const char  *owner,
                  const char  *what,
                  GError     **error)
{
  g_autoptr (SpkArray) array = array_from_json (node, owner, what, error);

  if (array == NULL)
    return NULL;
  if (array->ndim == 0)
    return spk_array_new_vector (array->data, 1);
  if (array->ndim != 1)
    {
      fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a number or a list of numbers"), what);
      return NULL;
    }
  return g_steal_pointer (&array);
}

static JsonNode *
number_to_json (double value)
{
  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
array_to_json (const SpkArray *array)
{
  JsonArray *list;
  JsonNode *node;

  if (array == NULL)
    return json_node_init_null (json_node_alloc ());
  if (array->ndim == 0)
    return number_to_json (array->data[0]);
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
static gboolean
same_double (double a,
             double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  return a == b && signbit (a) == signbit (b);
}

/* The members of a value object, read when present. */
static gboolean
read_double (JsonObject  *object,
             const char  *key,
             const char  *owner,
             const char  *what,
             double      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *item = NULL;

  if (node == NULL)
    return TRUE;
  item = g_strdup_printf ("%s.%s", what, key);
  return number_from_json (node, owner, item, out, error);
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *key,
              const char  *owner,
              const char  *what,
              gboolean    *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *item = NULL;

  if (node == NULL)
    return TRUE;
  item = g_strdup_printf ("%s.%s", what, key);
  return boolean_from_json (node, owner, item, out, error);
}

/* Replaces *out with the array, or with NULL for null. */
static gboolean
read_array (JsonObject  *object,
            const char  *key,
            gboolean     vector,
            const char  *owner,
            const char  *what,
            SpkArray   **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *item = NULL;
  SpkArray *array = NULL;

  if (node == NULL)
    return TRUE;
  item = g_strdup_printf ("%s.%s", what, key);
  if (!JSON_NODE_HOLDS_NULL (node))
    {
      array = vector ? vector_from_json (node, owner, item, error)
                     : array_from_json (node, owner, item, error);
      if (array == NULL)
        return FALSE;
    }
  spk_array_unref (*out);
  *out = array;
  return TRUE;
}

static const char *
read_type_name (JsonObject  *object,
                const char  *key,
                const char  *owner,
                const char  *what,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *item = NULL;

  if (node == NULL)
    {
      fail (error, SPK_IO_ERROR_VALUE, owner, _("%s has no \"%s\""), what, key);
      return NULL;
    }
  item = g_strdup_printf ("%s.%s", what, key);
  return string_from_json (node, owner, item, error);
}

/* }}} */
/* {{{ Value types ↔ JSON
 *
 * One pair of functions per boxed type of the model.  The readers take
 * the name of the object (owner) and the path of the value inside it
 * (what, "neuron_type.base") for their messages, and never see null:
 * their callers decide what null means. */

static SpkDistribution *distribution_from_json (JsonNode    *node,
                                                const char  *owner,
                                                const char  *what,
                                                GError     **error);

static const char *const distribution_names[] = {
  "Uniform", "Gaussian", "Choice", "UniformHypersphere", "ScatteredHypersphere", "Glorot",
};

static SpkDistribution *
distribution_from_json (JsonNode    *node,
                        const char  *owner,
                        const char  *what,
                        GError     **error)
{
  static const char *const uniform_keys[] = { "type", "low", "high", "integer", NULL };
  static const char *const gaussian_keys[] = { "type", "mean", "std", NULL };
  static const char *const choice_keys[] = { "type", "options", "weights", NULL };
  static const char *const sphere_keys[] = { "type", "surface", "min_magnitude", NULL };
  static const char *const glorot_keys[] = { "type", "scale", "distribution", NULL };
  g_autoptr (SpkDistribution) dist = NULL;
  JsonObject *object;
  const char *name;
  SpkDistKind kind;
  gboolean ok = FALSE;

  if (is_number (node) || JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr (SpkArray) array = array_from_json (node, owner, what, error);

      return array ? spk_distribution_new_array (array) : NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, SPK_IO_ERROR_VALUE, owner,
            _("%s must be a distribution (an object with a \"type\") or numbers"), what);
      return NULL;
    }

  object = json_node_get_object (node);
  name = read_type_name (object, "type", owner, what, error);
  if (name == NULL)
    return NULL;
  if (!spk_distribution_kind_from_name (name, &kind) || kind == SPK_DIST_ARRAY)
    {
      fail_unknown_kind (error, owner, what, _("distribution"), name,
                         distribution_names, G_N_ELEMENTS (distribution_names));
      return NULL;
    }

  dist = spk_distribution_new (kind);
  switch (kind)
    {
    case SPK_DIST_UNIFORM:
      ok = check_members (object, uniform_keys, owner, what, error)
           && read_double (object, "low", owner, what, &dist->low, error)
           && read_double (object, "high", owner, what, &dist->high, error)
           && read_boolean (object, "integer", owner, what, &dist->integer, error);
      break;
    case SPK_DIST_GAUSSIAN:
      ok = check_members (object, gaussian_keys, owner, what, error)
           && read_double (object, "mean", owner, what, &dist->mean, error)
           && read_double (object, "std", owner, what, &dist->std, error);
      break;
    case SPK_DIST_CHOICE:
      ok = check_members (object, choice_keys, owner, what, error)
           && read_array (object, "options", FALSE, owner, what, &dist->options, error)
           && read_array (object, "weights", TRUE, owner, what, &dist->weights, error);
      if (ok && dist->options == NULL)
        ok = fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: Choice needs \"options\""), what);
      break;
    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
      ok = check_members (object, sphere_keys, owner, what, error)
           && read_boolean (object, "surface", owner, what, &dist->surface, error)
           && read_double (object, "min_magnitude", owner, what, &dist->min_magnitude, error);
      break;
    case SPK_DIST_GLOROT:
      ok = check_members (object, glorot_keys, owner, what, error)
           && read_double (object, "scale", owner, what, &dist->scale, error);
      if (ok && json_object_has_member (object, "distribution"))
        {
          g_autofree char *item = g_strdup_printf ("%s.distribution", what);
          const char *shape = string_from_json (json_object_get_member (object, "distribution"),
                                                owner, item, error);

          if (shape == NULL)
            ok = FALSE;
          else if (strcmp (shape, "uniform") == 0 || strcmp (shape, "normal") == 0)
            dist->normal = strcmp (shape, "normal") == 0;
          else
            ok = fail (error, SPK_IO_ERROR_VALUE, owner,
                       _("%s must be \"uniform\" or \"normal\""), item);
        }
      break;
    case SPK_DIST_ARRAY:
    default:
      g_assert_not_reached ();
    }
  return ok ? g_steal_pointer (&dist) : NULL;
}

/* An explicit array is written as the bare numbers; every other kind as
 * an object with its parameters, always all of them, because a
 * distribution reads best complete ("low" and "high" together). */
static JsonNode *
distribution_to_json (const SpkDistribution *dist)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (dist->kind == SPK_DIST_ARRAY)
    return array_to_json (dist->array);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_distribution_kind_to_name (dist->kind));
  switch (dist->kind)
    {
    case SPK_DIST_UNIFORM:
      json_builder_set_member_name (builder, "low");
      json_builder_add_double_value (builder, dist->low);
      json_builder_set_member_name (builder, "high");
      json_builder_add_double_value (builder, dist->high);
      if (dist->integer)
        {
          json_builder_set_member_name (builder, "integer");
          json_builder_add_boolean_value (builder, TRUE);
        }
      break;
    case SPK_DIST_GAUSSIAN:
      json_builder_set_member_name (builder, "mean");
      json_builder_add_double_value (builder, dist->mean);
      json_builder_set_member_name (builder, "std");
      json_builder_add_double_value (builder, dist->std);
      break;
    case SPK_DIST_CHOICE:
      json_builder_set_member_name (builder, "options");
      json_builder_add_value (builder, array_to_json (dist->options));
      if (dist->weights)
        {
          json_builder_set_member_name (builder, "weights");
          json_builder_add_value (builder, array_to_json (dist->weights));
        }
      break;
    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
      json_builder_set_member_name (builder, "surface");
      json_builder_add_boolean_value (builder, dist->surface);
      if (!same_double (dist->min_magnitude, 0.0))
        {
          json_builder_set_member_name (builder, "min_magnitude");
          json_builder_add_double_value (builder, dist->min_magnitude);
        }
      break;
    case SPK_DIST_GLOROT:
      json_builder_set_member_name (builder, "scale");
      json_builder_add_double_value (builder, dist->scale);
      json_builder_set_member_name (builder, "distribution");
      json_builder_add_string_value (builder, dist->normal ? "normal" : "uniform");
      break;
    case SPK_DIST_ARRAY:
    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static GPtrArray *
neuron_kind_names (void)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint k = 0; k < SPK_NEURON_N_KINDS; k++)
    g_ptr_array_add (names, (gpointer) spk_neuron_kind_to_name (k));
  return names;
}

static gboolean
neuron_kind_from_json (const char     *name,
                       const char     *owner,
                       const char     *what,
                       SpkNeuronKind  *kind,
                       GError        **error)
{
  g_autoptr (GPtrArray) names = NULL;

  if (spk_neuron_kind_from_name (name, kind))
    return TRUE;
  names = neuron_kind_names ();
  return fail_unknown_kind (error, owner, what, _("neuron type"), name,
                            (const char *const *) names->pdata, names->len);
}

/* A number is the constant every neuron starts at: a Choice of that one
 * value, which samples to the same number for any ensemble size. */
static SpkDistribution *
initial_state_from_json (JsonNode    *node,
                         const char  *owner,
                         const char  *what,
                         GError     **error)
{
  double value;
  g_autoptr (SpkArray) options = NULL;

  if (!is_number (node))
    return distribution_from_json (node, owner, what, error);
  if (!number_from_json (node, owner, what, &value, error))
    return NULL;
  options = spk_array_new_vector (&value, 1);
  return spk_distribution_new_choice (options, NULL);
}

static JsonNode *
initial_state_to_json (const SpkDistribution *dist)
{
  if (dist->kind == SPK_DIST_CHOICE && dist->weights == NULL && dist->options != NULL
      && dist->options->ndim == 1 && dist->options->size == 1)
    return number_to_json (dist->options->data[0]);
  return distribution_to_json (dist);
}

static SpkNeuronType *neuron_type_from_json (JsonNode    *node,
                                             const char  *owner,
                                             const char  *what,
                                             GError     **error);

static gboolean
neuron_initial_state_from_json (SpkNeuronType  *type,
                                JsonNode       *node,
                                const char     *owner,
                                const char     *what,
                                GError        **error)
{
  g_autofree char *where = g_strdup_printf ("%s.initial_state", what);
  g_autoptr (GList) members = NULL;
  const char *states[SPK_NEURON_MAX_STATES + 1] = { NULL };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("%s must be an object that maps state names to values"), where);

  spk_neuron_type_state_names (type, states);
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *state = l->data;
      JsonNode *value = json_object_get_member (json_node_get_object (node), state);
      int index = spk_neuron_type_find_state (type, state);
      g_autofree char *item = g_strdup_printf ("%s.%s", where, state);

      if (index < 0)
        {
          g_autofree char *list = g_strjoinv (", ", (GStrv) states);

          if (states[0] == NULL)
            return fail (error, SPK_IO_ERROR_UNKNOWN, owner, _("%s: %s has no state variables"),
                         where, spk_neuron_kind_to_name (type->kind));
          return fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                       _("%s: %s has no state '%s'; its states are %s"),
                       where, spk_neuron_kind_to_name (type->kind), state, list);
        }
      spk_distribution_unref (type->initial_state[index]);
      type->initial_state[index] = NULL;
      if (!JSON_NODE_HOLDS_NULL (value))
        {
          type->initial_state[index] = initial_state_from_json (value, owner, item, error);
          if (type->initial_state[index] == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

static SpkNeuronType *
neuron_type_from_json (JsonNode    *node,
                       const char  *owner,
                       const char  *what,
                       GError     **error)
{
  g_autoptr (SpkNeuronType) type = NULL;
  g_autoptr (GList) members = NULL;
  g_autoptr (GPtrArray) known = NULL;
  JsonObject *object;
  SpkNeuronKind kind;
  const char *name;
  GError *local = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!neuron_kind_from_json (json_node_get_string (node), owner, what, &kind, error))
        return NULL;
      return spk_neuron_type_new (kind);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, SPK_IO_ERROR_VALUE, owner,
            _("%s must be a neuron type name or an object with a \"type\""), what);
      return NULL;
    }

  object = json_node_get_object (node);
  name = read_type_name (object, "type", owner, what, error);
  if (name == NULL || !neuron_kind_from_json (name, owner, what, &kind, error))
    return NULL;
  type = spk_neuron_type_new (kind);

  known = g_ptr_array_new ();
  g_ptr_array_add (known, "type");
  for (const SpkNeuronParam *p = spk_neuron_kind_params (kind); p->name; p++)
    g_ptr_array_add (known, (gpointer) p->name);
  if (spk_neuron_kind_is_wrapper (kind))
    g_ptr_array_add (known, "base");
  g_ptr_array_add (known, "initial_state");
  g_ptr_array_add (known, NULL);
  if (!check_members (object, (const char *const *) known->pdata, owner, what, error))
    return NULL;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (object, key);
      const SpkNeuronParam *param = spk_neuron_kind_find_param (kind, key);
      g_autofree char *item = g_strdup_printf ("%s.%s", what, key);

      if (param != NULL)
        {
          double number;

          if (!number_from_json (value, owner, item, &number, error))
            return NULL;
          spk_neuron_type_set_param (type, param, number);
        }
      else if (strcmp (key, "base") == 0)
        {
          SpkNeuronType *base = neuron_type_from_json (value, owner, item, error);

          if (base == NULL)
            return NULL;
          spk_neuron_type_unref (type->base);
          type->base = base;
        }
      else if (strcmp (key, "initial_state") == 0)
        {
          if (!neuron_initial_state_from_json (type, value, owner, what, error))
            return NULL;
        }
    }

  if (!spk_neuron_type_validate (type, &local))
    {
      fail_with (error, local, owner, what);
      return NULL;
    }
  return g_steal_pointer (&type);
}

/* The bare name when nothing differs from the kind's defaults; else an
 * object with the parameters that differ, a wrapper's base and the
 * initial states that are set. */
static JsonNode *
neuron_type_to_json (const SpkNeuronType *type)
{
  g_autoptr (SpkNeuronType) defaults = spk_neuron_type_new (type->kind);
  g_autoptr (JsonBuilder) builder = NULL;
  const char *states[SPK_NEURON_MAX_STATES + 1] = { NULL };
  guint n_states;
  gboolean any_state = FALSE;

  if (spk_neuron_type_equal (type, defaults))
    return json_node_init_string (json_node_alloc (), spk_neuron_kind_to_name (type->kind));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_neuron_kind_to_name (type->kind));
  for (const SpkNeuronParam *p = spk_neuron_kind_params (type->kind); p->name; p++)
    {
      double value = spk_neuron_type_get_param (type, p);

      if (same_double (value, spk_neuron_type_get_param (defaults, p)))
        continue;
      json_builder_set_member_name (builder, p->name);
      json_builder_add_double_value (builder, value);
    }
  if (spk_neuron_kind_is_wrapper (type->kind) && type->base != NULL)
    {
      json_builder_set_member_name (builder, "base");
      json_builder_add_value (builder, neuron_type_to_json (type->base));
    }

  n_states = spk_neuron_type_state_names (type, states);
  for (guint i = 0; i < n_states; i++)
    any_state |= type->initial_state[i] != NULL;
  if (any_state)
    {
      json_builder_set_member_name (builder, "initial_state");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n_states; i++)
        {
          if (type->initial_state[i] == NULL)
            continue;
          json_builder_set_member_name (builder, states[i]);
          json_builder_add_value (builder, initial_state_to_json (type->initial_state[i]));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *const synapse_names[] = { "Lowpass", "Alpha", "LinearFilter" };

static gboolean
check_tau (double       tau,
           const char  *owner,
           const char  *what,
           GError     **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (tau >= 0.0)
    return TRUE;
  g_ascii_formatd (text, sizeof text, "%g", tau);
  return fail (error, SPK_IO_ERROR_VALUE, owner,
               _("%s tau must not be negative (got %s)"), what, text);
}

/* A number is a Lowpass time constant, as in Nengo. */
static SpkSynapse *
synapse_from_json (JsonNode    *node,
                   const char  *owner,
                   const char  *what,
                   GError     **error)
{
  static const char *const tau_keys[] = { "type", "tau", NULL };
  static const char *const filter_keys[] = { "type", "num", "den", NULL };
  g_autoptr (SpkSynapse) synapse = NULL;
  JsonObject *object;
  SpkSynapseKind kind;
  const char *name;
  GError *local = NULL;
  double tau;

  if (is_number (node))
    {
      if (!number_from_json (node, owner, what, &tau, error)
          || !check_tau (tau, owner, what, error))
        return NULL;
      return spk_synapse_new_lowpass (tau);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, SPK_IO_ERROR_VALUE, owner,
            _("%s must be null, a time constant or an object with a \"type\""), what);
      return NULL;
    }

  object = json_node_get_object (node);
  name = read_type_name (object, "type", owner, what, error);
  if (name == NULL)
    return NULL;
  if (!spk_synapse_kind_from_name (name, &kind))
    {
      fail_unknown_kind (error, owner, what, _("synapse"), name,
                         synapse_names, G_N_ELEMENTS (synapse_names));
      return NULL;
    }

  if (kind == SPK_SYNAPSE_LINEAR_FILTER)
    {
      g_autoptr (SpkArray) num = NULL;
      g_autoptr (SpkArray) den = NULL;

      if (!check_members (object, filter_keys, owner, what, error)
          || !read_array (object, "num", TRUE, owner, what, &num, error)
          || !read_array (object, "den", TRUE, owner, what, &den, error))
        return NULL;
      if (num == NULL || den == NULL)
        {
          fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: LinearFilter needs \"num\" and \"den\""),
                what);
          return NULL;
        }
      synapse = spk_synapse_new_linear_filter (num, den);
    }
  else
    {
      if (!check_members (object, tau_keys, owner, what, error))
        return NULL;
      if (!json_object_has_member (object, "tau"))
        {
          fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: %s needs \"tau\""), what, name);
          return NULL;
        }
      if (!read_double (object, "tau", owner, what, &tau, error)
          || !check_tau (tau, owner, what, error))
        return NULL;
      synapse = kind == SPK_SYNAPSE_ALPHA ? spk_synapse_new_alpha (tau)
                                          : spk_synapse_new_lowpass (tau);
    }

  if (!spk_synapse_validate (synapse, &local))
    {
      fail_with (error, local, owner, what);
      return NULL;
    }
  return g_steal_pointer (&synapse);
}

static JsonNode *
synapse_to_json (const SpkSynapse *synapse)
{
  g_autoptr (JsonBuilder) builder = NULL;

  if (synapse->kind == SPK_SYNAPSE_LOWPASS)
    return number_to_json (synapse->tau);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_synapse_kind_to_name (synapse->kind));
  if (synapse->kind == SPK_SYNAPSE_LINEAR_FILTER)
    {
      json_builder_set_member_name (builder, "num");
      json_builder_add_value (builder, array_to_json (synapse->num));
      json_builder_set_member_name (builder, "den");
      json_builder_add_value (builder, array_to_json (synapse->den));
    }
  else
    {
      json_builder_set_member_name (builder, "tau");
      json_builder_add_double_value (builder, synapse->tau);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *const process_names[] = {
  "WhiteSignal", "WhiteNoise", "PresentInput", "Piecewise",
};

G_STATIC_ASSERT (G_N_ELEMENTS (process_names) == SPK_PROCESS_N_KINDS);

/* An object keyed by "process", as a node's output. */
static SpkProcess *
process_from_json (JsonNode    *node,
                   const char  *owner,
                   const char  *what,
                   GError     **error)
{
  static const char *const signal_keys[] = { "process", "period", "high", "rms", "y0", "seed", NULL };
  static const char *const noise_keys[] = { "process", "dist", "scale", "seed", NULL };
  static const char *const present_keys[] = { "process", "inputs", "presentation_time", "seed", NULL };
  static const char *const piecewise_keys[] = { "process", "times", "values", "seed", NULL };
  static const char *const *const keys[] = { signal_keys, noise_keys, present_keys, piecewise_keys };
  g_autoptr (SpkProcess) process = NULL;
  JsonObject *object;
  JsonNode *member;
  SpkProcessKind kind;
  const char *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be an object with a \"process\""), what);
      return NULL;
    }
  object = json_node_get_object (node);
  name = read_type_name (object, "process", owner, what, error);
  if (name == NULL)
    return NULL;
  if (!spk_process_kind_from_name (name, &kind))
    {
      fail_unknown_kind (error, owner, what, _("process"), name,
                         process_names, G_N_ELEMENTS (process_names));
      return NULL;
    }
  if (!check_members (object, keys[kind], owner, what, error))
    return NULL;

  process = spk_process_new (kind);
  if (!read_double (object, "period", owner, what, &process->period, error)
      || !read_double (object, "high", owner, what, &process->high, error)
      || !read_double (object, "rms", owner, what, &process->rms, error)
      || !read_double (object, "y0", owner, what, &process->y0, error)
      || !read_boolean (object, "scale", owner, what, &process->scale, error)
      || !read_array (object, "inputs", FALSE, owner, what, &process->inputs, error)
      || !read_double (object, "presentation_time", owner, what, &process->presentation_time, error)
      || !read_array (object, "times", TRUE, owner, what, &process->times, error)
      || !read_array (object, "values", FALSE, owner, what, &process->values, error))
    return NULL;

  member = json_object_get_member (object, "dist");
  if (member != NULL)
    {
      g_autofree char *item = g_strdup_printf ("%s.dist", what);

      g_clear_pointer (&process->dist, spk_distribution_unref);
      if (!JSON_NODE_HOLDS_NULL (member))
        {
          process->dist = distribution_from_json (member, owner, item, error);
          if (process->dist == NULL)
            return NULL;
        }
    }

  member = json_object_get_member (object, "seed");
  if (member != NULL)
    {
      g_autofree char *item = g_strdup_printf ("%s.seed", what);

      if (!integer_from_json (member, owner, item, &process->seed, error))
        return NULL;
      if (process->seed < -1)
        {
          fail (error, SPK_IO_ERROR_VALUE, owner,
                _("%s must be at least -1 (got %" PRId64 ")"), item, process->seed);
          return NULL;
        }
    }
  return g_steal_pointer (&process);
}

/* The parameters that define each kind are always written; the
 * optional ones (y0, a WhiteNoise's dist and scale, the seed) only when
 * set. */
static JsonNode *
process_to_json (const SpkProcess *process)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (SpkProcess) defaults = spk_process_new (process->kind);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "process");
  json_builder_add_string_value (builder, spk_process_kind_to_name (process->kind));
  switch (process->kind)
    {
    case SPK_PROCESS_WHITE_SIGNAL:
      json_builder_set_member_name (builder, "period");
      json_builder_add_double_value (builder, process->period);
      json_builder_set_member_name (builder, "high");
      json_builder_add_double_value (builder, process->high);
      json_builder_set_member_name (builder, "rms");
      json_builder_add_double_value (builder, process->rms);
      if (!isnan (process->y0))
        {
          json_builder_set_member_name (builder, "y0");
          json_builder_add_double_value (builder, process->y0);
        }
      break;
    case SPK_PROCESS_WHITE_NOISE:
      if (!spk_distribution_equal (process->dist, defaults->dist))
        {
          json_builder_set_member_name (builder, "dist");
          if (process->dist)
            json_builder_add_value (builder, distribution_to_json (process->dist));
          else
            json_builder_add_null_value (builder);
        }
      if (!process->scale)
        {
          json_builder_set_member_name (builder, "scale");
          json_builder_add_boolean_value (builder, FALSE);
        }
      break;
    case SPK_PROCESS_PRESENT_INPUT:
      json_builder_set_member_name (builder, "inputs");
      json_builder_add_value (builder, array_to_json (process->inputs));
      json_builder_set_member_name (builder, "presentation_time");
      json_builder_add_double_value (builder, process->presentation_time);
      break;
    case SPK_PROCESS_PIECEWISE:
      json_builder_set_member_name (builder, "times");
      json_builder_add_value (builder, array_to_json (process->times));
      json_builder_set_member_name (builder, "values");
      json_builder_add_value (builder, array_to_json (process->values));
      break;
    case SPK_PROCESS_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  if (process->seed != -1)
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, process->seed);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *const solver_names[] = { "LstsqL2", "LstsqL2nz" };

G_STATIC_ASSERT (G_N_ELEMENTS (solver_names) == SPK_SOLVER_N_KINDS);

/* {"type": "LstsqL2", "reg": 0.1}, or just the name for the default reg. */
static SpkSolver *
solver_from_json (JsonNode    *node,
                  const char  *owner,
                  const char  *what,
                  GError     **error)
{
  static const char *const solver_keys[] = { "type", "reg", NULL };
  g_autoptr (SpkSolver) solver = NULL;
  JsonObject *object = NULL;
  SpkSolverKind kind;
  const char *name;
  GError *local = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    name = json_node_get_string (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      name = read_type_name (object, "type", owner, what, error);
      if (name == NULL)
        return NULL;
    }
  else
    {
      fail (error, SPK_IO_ERROR_VALUE, owner,
            _("%s must be a solver name or an object with a \"type\""), what);
      return NULL;
    }

  if (!spk_solver_kind_from_name (name, &kind))
    {
      fail_unknown_kind (error, owner, what, _("solver"), name,
                         solver_names, G_N_ELEMENTS (solver_names));
      return NULL;
    }
  solver = spk_solver_new (kind, 0.1);
  if (object != NULL
      && (!check_members (object, solver_keys, owner, what, error)
          || !read_double (object, "reg", owner, what, &solver->reg, error)))
    return NULL;
  if (!spk_solver_validate (solver, &local))
    {
      fail_with (error, local, owner, what);
      return NULL;
    }
  return g_steal_pointer (&solver);
}

static JsonNode *
solver_to_json (const SpkSolver *solver)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_solver_kind_to_name (solver->kind));
  json_builder_set_member_name (builder, "reg");
  json_builder_add_double_value (builder, solver->reg);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* An index (0), a list of indices ([0, 2]) or a slice string ("1:3"). */
static SpkSlice *
slice_from_json (JsonNode    *node,
                 const char  *owner,
                 const char  *what,
                 GError     **error)
{
  GError *local = NULL;
  SpkSlice *slice;

  if (is_number (node))
    {
      gint64 index;

      if (!integer_from_json (node, owner, what, &index, error))
        return NULL;
      return spk_slice_new_list (&index, 1);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);
      guint n = json_array_get_length (list);
      g_autofree gint64 *indices = g_new (gint64, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *item = g_strdup_printf ("%s[%u]", what, i);

          if (!integer_from_json (json_array_get_element (list, i), owner, item, &indices[i], error))
            return NULL;
        }
      return spk_slice_new_list (indices, n);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      slice = spk_slice_parse (json_node_get_string (node), &local);
      if (slice == NULL)
        fail_with (error, local, owner, what);
      return slice;
    }
  fail (error, SPK_IO_ERROR_VALUE, owner,
        _("%s must be an index, a list of indices or a slice such as \"1:3\""), what);
  return NULL;
}

/* }}} */
/* {{{ Properties ↔ JSON */

/* "n-neurons" ↔ "n_neurons". */
static char *
key_from_property (const char *name)
{
  char *key = g_strdup (name);

  g_strdelimit (key, "-", '_');
  return key;
}

static gboolean
values_equal (GParamSpec   *pspec,
              const GValue *a,
              const GValue *b)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  /* g_param_values_cmp() compares doubles within an epsilon and boxed
   * values by address; the file needs exact values. */
  if (type == G_TYPE_DOUBLE)
    return same_double (g_value_get_double (a), g_value_get_double (b));
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
    return fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("%s must be at least %" PRId64 " (got %" PRId64 ")"),
                 what, min, value);
  if (value > max)
    return fail (error, SPK_IO_ERROR_VALUE, owner,
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
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be at least %s (got %s)"),
                 what, g_ascii_formatd (bound, sizeof bound, "%g", pspec->minimum), got);
  if (value > pspec->maximum)
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be at most %s (got %s)"),
                 what, g_ascii_formatd (bound, sizeof bound, "%g", pspec->maximum), got);
  return TRUE;
}

/* Converts node to a value of the property's type, checking its range.
 * null is "none" for every boxed type. */
static gboolean
value_from_json (GParamSpec  *pspec,
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

      if (!integer_from_json (node, owner, what, &number, error)
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

      if (!number_from_json (node, owner, what, &number, error)
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
          && (text = string_from_json (node, owner, what, error)) == NULL)
        return FALSE;
      g_value_set_string (value, text);
      return TRUE;
    }
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      const char *nick = string_from_json (node, owner, what, error);
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
      return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be one of %s (got '%s')"),
                   what, list->str, nick);
    }

  if (JSON_NODE_HOLDS_NULL (node) && G_TYPE_FUNDAMENTAL (type) == G_TYPE_BOXED)
    return TRUE;
  if (type == SPK_TYPE_ARRAY)
    boxed = array_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_DISTRIBUTION)
    boxed = distribution_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_NEURON_TYPE)
    boxed = neuron_type_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_SYNAPSE)
    boxed = synapse_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_PROCESS)
    boxed = process_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_SOLVER)
    boxed = solver_from_json (node, owner, what, error);
  else if (type == SPK_TYPE_SLICE)
    boxed = slice_from_json (node, owner, what, error);
  else
    return fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                 _("%s has a type the model file cannot hold (%s)"), what, g_type_name (type));
  if (boxed == NULL)
    return FALSE;
  g_value_take_boxed (value, boxed);
  return TRUE;
}

static JsonNode *
value_to_json (GParamSpec   *pspec,
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
    return number_to_json (g_value_get_double (value));
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
    return array_to_json (boxed);
  if (type == SPK_TYPE_DISTRIBUTION)
    return distribution_to_json (boxed);
  if (type == SPK_TYPE_NEURON_TYPE)
    return neuron_type_to_json (boxed);
  if (type == SPK_TYPE_SYNAPSE)
    return synapse_to_json (boxed);
  if (type == SPK_TYPE_PROCESS)
    return process_to_json (boxed);
  if (type == SPK_TYPE_SOLVER)
    return solver_to_json (boxed);
  if (type == SPK_TYPE_SLICE)
    {
      g_autofree char *text = spk_slice_to_string (boxed);

      return json_node_init_string (json_node_alloc (), text);
    }
  g_return_val_if_reached (NULL);
}

/* }}} */
/* {{{ Object types */

/* Properties whose JSON shape is not their own: a node's three outputs
 * are its one "output" key, and targets with their ".neurons" flag are
 * the strings "pre", "post" and "target". */
static const char *const node_special[] = { "output-value", "output-expr", "output-process", NULL };
static const char *const connection_special[] = {
  "pre", "pre-neurons", "post", "post-neurons", NULL
};
static const char *const probe_special[] = { "target", "target-neurons", NULL };
static const char *const no_special[] = { NULL };

static const char *const node_keys[] = { "output", NULL };
static const char *const connection_keys[] = { "pre", "post", NULL };
static const char *const probe_keys[] = { "target", NULL };

static GType
object_type_from_name (const char *name)
{
  if (g_strcmp0 (name, "node") == 0)
    return SPK_TYPE_NODE;
  if (g_strcmp0 (name, "ensemble") == 0)
    return SPK_TYPE_ENSEMBLE;
  if (g_strcmp0 (name, "connection") == 0)
    return SPK_TYPE_CONNECTION;
  if (g_strcmp0 (name, "probe") == 0)
    return SPK_TYPE_PROBE;
  if (g_strcmp0 (name, "layer") == 0)
    return SPK_TYPE_LAYER;
  return G_TYPE_INVALID;
}

static const char *const *
special_properties (GType type)
{
  if (type == SPK_TYPE_NODE)
    return node_special;
  if (type == SPK_TYPE_CONNECTION)
    return connection_special;
  if (type == SPK_TYPE_PROBE)
    return probe_special;
  return no_special;
}

static const char *const *
special_keys (GType type)
{
  if (type == SPK_TYPE_NODE)
    return node_keys;
  if (type == SPK_TYPE_CONNECTION)
    return connection_keys;
  if (type == SPK_TYPE_PROBE)
    return probe_keys;
  return no_special;
}

/* Every key an object of type may have, for suggestions. */
static GPtrArray *
known_keys (GType type)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GObjectClass *klass = g_type_class_peek (type);
  const char *const *special = special_properties (type);
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  if (g_type_is_a (type, SPK_TYPE_OBJECT))
    g_ptr_array_add (keys, g_strdup ("type"));
  for (const char *const *k = special_keys (type); *k; k++)
    g_ptr_array_add (keys, g_strdup (*k));
  pspecs = g_object_class_list_properties (klass, &n);
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains (special, pspecs[i]->name))
      g_ptr_array_add (keys, key_from_property (pspecs[i]->name));
  return keys;
}

/* Sets the property that JSON key names; fails on keys that are not
 * properties of object, or whose JSON shape is special. */
static gboolean
property_from_json (GObject     *object,
                    const char  *key,
                    JsonNode    *node,
                    const char  *owner,
                    GError     **error)
{
  GType type = G_OBJECT_TYPE (object);
  g_autofree char *name = g_strdup (key);
  g_auto (GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  g_strdelimit (name, "_", '-');
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
  if (pspec == NULL || strchr (key, '-') != NULL
      || g_strv_contains (special_properties (type), name))
    {
      g_autoptr (GPtrArray) keys = known_keys (type);

      return fail_unknown_key (error, owner, NULL, key,
                               (const char *const *) keys->pdata, keys->len);
    }

  /* Nengo writes "every step" as sample_every=None. */
  if (SPK_IS_PROBE (object) && strcmp (name, "sample-every") == 0 && JSON_NODE_HOLDS_NULL (node))
    {
      spk_probe_set_sample_every (SPK_PROBE (object), 0.0);
      return TRUE;
    }

  if (!value_from_json (pspec, node, owner, key, &value, error))
    return FALSE;
  g_object_set_property (object, name, &value);
  return TRUE;
}

static void
property_to_json (JsonObject *out,
                  GObject    *object,
                  GParamSpec *pspec)
{
  g_auto (GValue) value = G_VALUE_INIT;
  g_autofree char *key = key_from_property (pspec->name);

  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (object, pspec->name, &value);
  json_object_set_member (out, key, value_to_json (pspec, &value));
}

/* Writes every property of object that differs from its value in a new
 * object of the same type, except those in skip; seed goes last. */
static void
properties_to_json (JsonObject        *out,
                    GObject           *object,
                    const char *const *skip)
{
  g_autoptr (GObject) defaults = g_object_new (G_OBJECT_TYPE (object), NULL);
  g_autofree GParamSpec **pspecs = NULL;
  GParamSpec *seed = NULL;
  guint n;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;
      g_auto (GValue) fresh = G_VALUE_INIT;

      if (g_strv_contains (skip, pspecs[i]->name))
        continue;
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_value_init (&fresh, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (object, pspecs[i]->name, &value);
      g_object_get_property (defaults, pspecs[i]->name, &fresh);
      if (values_equal (pspecs[i], &value, &fresh))
        continue;
      if (strcmp (pspecs[i]->name, "seed") == 0)
        seed = pspecs[i];
      else
        property_to_json (out, object, pspecs[i]);
    }
  if (seed != NULL)
    property_to_json (out, object, seed);
}

/* }}} */
/* {{{ Targets: "b", "b.neurons", "b[1:3]", "b.neurons[0:10]", "#2" */

typedef struct
{
  char     *label;
  gboolean  neurons;
  SpkSlice *slice;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->label, g_free);
  g_clear_pointer (&target->slice, spk_slice_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

/* Splits text into label, ".neurons" and a trailing "[slice]".  A text
 * that is an existing label as a whole is that label, so labels may hold
 * dots and brackets. */
static gboolean
target_parse (SpkNetwork  *network,
              const char  *text,
              const char  *owner,
              const char  *what,
              Target      *target,
              GError     **error)
{
  g_autofree char *rest = g_strdup (text);
  gsize len = strlen (rest);

  if (spk_network_lookup (network, text) != NULL)
    {
      target->label = g_steal_pointer (&rest);
      return TRUE;
    }

  if (len > 0 && rest[len - 1] == ']')
    {
      int depth = 0;
      gsize open = len;
      g_autofree char *inside = NULL;
      GError *local = NULL;

      /* The matching bracket, so that "b[[0, 2]]" keeps its list. */
      for (gsize i = len; i-- > 0;)
        {
          depth += rest[i] == ']' ? 1 : rest[i] == '[' ? -1 : 0;
          if (depth == 0)
            {
              open = i;
              break;
            }
        }
      if (open == len || open == 0)
        return fail (error, SPK_IO_ERROR_VALUE, owner,
                     _("%s '%s' has unbalanced brackets"), what, text);
      rest[len - 1] = '\0';
      inside = g_strdup (rest + open + 1);
      rest[open] = '\0';
      /* "b[0, 2]" as Python's b[[0, 2]]. */
      if (strchr (inside, ',') != NULL && inside[0] != '[')
        {
          char *list = g_strdup_printf ("[%s]", inside);

          g_free (inside);
          inside = list;
        }
      target->slice = spk_slice_parse (inside, &local);
      if (target->slice == NULL)
        return fail_with (error, local, owner, what);
    }

  if (g_str_has_suffix (rest, ".neurons") && spk_network_lookup (network, rest) == NULL)
    {
      rest[strlen (rest) - strlen (".neurons")] = '\0';
      target->neurons = TRUE;
    }
  target->label = g_steal_pointer (&rest);
  return TRUE;
}

/* The object a target label names: a label, or "#<index>" for an
 * unlabelled object at that position in "objects". */
static SpkObject *
target_lookup (SpkNetwork *network,
               const char *label)
{
  SpkObject *object = spk_network_lookup (network, label);
  GPtrArray *objects = spk_network_get_objects (network);
  guint64 index;

  if (object == NULL && label[0] == '#' && g_ascii_isdigit (label[1])
      && g_ascii_string_to_unsigned (label + 1, 10, 0, G_MAXUINT, &index, NULL)
      && index < objects->len)
    object = g_ptr_array_index (objects, index);
  return object;
}

static gboolean
target_from_json (SpkNetwork  *network,
                  JsonObject  *json,
                  const char  *key,
                  const char  *owner,
                  SpkObject  **object,
                  Target      *target,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (json, key);
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("missing \"%s\""), key);
  text = string_from_json (node, owner, key, error);
  if (text == NULL || !target_parse (network, text, owner, key, target, error))
    return FALSE;
  *object = target_lookup (network, target->label);
  if (*object == NULL)
    return fail (error, SPK_IO_ERROR_UNKNOWN, owner, _("unknown label '%s'"), target->label);
  if (target->neurons && !SPK_IS_ENSEMBLE (*object))
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("%s '%s' has no neurons; only an ensemble has"),
                 spk_object_get_type_name (*object), target->label);
  return TRUE;
}

static gboolean
target_set_slice (GObject     *object,
                  const char  *property,
                  const char  *key,
                  SpkSlice    *slice,
                  const char  *owner,
                  GError     **error)
{
  g_autoptr (SpkSlice) current = NULL;
  g_autofree char *slice_key = key_from_property (property);

  if (slice == NULL)
    return TRUE;
  g_object_get (object, property, &current, NULL);
  if (current != NULL)
    return fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("the slice is given twice: in \"%s\" and in \"%s\""), key, slice_key);
  g_object_set (object, property, slice, NULL);
  return TRUE;
}

static gboolean
connection_targets_from_json (SpkNetwork     *network,
                              SpkConnection  *connection,
                              JsonObject     *json,
                              const char     *owner,
                              GError        **error)
{
  g_auto (Target) pre = { NULL };
  g_auto (Target) post = { NULL };
  SpkObject *pre_object = NULL, *post_object = NULL;

  if (!target_from_json (network, json, "pre", owner, &pre_object, &pre, error)
      || !target_from_json (network, json, "post", owner, &post_object, &post, error))
    return FALSE;
  if (!SPK_IS_NODE (pre_object) && !SPK_IS_ENSEMBLE (pre_object) && !SPK_IS_LAYER (pre_object))
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("pre must be a node, an ensemble or a layer, not %s '%s'"),
                 spk_object_get_type_name (pre_object), pre.label);
  if (!SPK_IS_NODE (post_object) && !SPK_IS_ENSEMBLE (post_object) && !SPK_IS_LAYER (post_object))
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("post must be a node, an ensemble or a layer, not %s '%s'"),
                 spk_object_get_type_name (post_object), post.label);
  if (!target_set_slice (G_OBJECT (connection), "pre-slice", "pre", pre.slice, owner, error)
      || !target_set_slice (G_OBJECT (connection), "post-slice", "post", post.slice, owner, error))
    return FALSE;
  spk_connection_set_pre (connection, pre_object);
  spk_connection_set_pre_neurons (connection, pre.neurons);
  spk_connection_set_post (connection, post_object);
  spk_connection_set_post_neurons (connection, post.neurons);
  return TRUE;
}

static gboolean
probe_target_from_json (SpkNetwork  *network,
                        SpkProbe    *probe,
                        JsonObject  *json,
                        const char  *owner,
                        GError     **error)
{
  g_auto (Target) target = { NULL };
  SpkObject *object = NULL;

  if (!target_from_json (network, json, "target", owner, &object, &target, error))
    return FALSE;
  if (SPK_IS_PROBE (object))
    return fail (error, SPK_IO_ERROR_VALUE, owner, _("a probe cannot record probe '%s'"),
                 target.label);
  if (!target_set_slice (G_OBJECT (probe), "slice", "target", target.slice, owner, error))
    return FALSE;
  spk_probe_set_target (probe, object);
  spk_probe_set_target_neurons (probe, target.neurons);
  return TRUE;
}

/* The label, or "#<index>" for an unlabelled object; then ".neurons"
 * and the slice, as target_parse() reads them.  NULL when the target is
 * not in the network. */
static char *
target_to_string (SpkNetwork     *network,
                  SpkObject      *object,
                  gboolean        neurons,
                  const SpkSlice *slice)
{
  GString *text;
  guint index;

  if (object == NULL || !g_ptr_array_find (spk_network_get_objects (network), object, &index))
    return NULL;
  text = g_string_new (spk_object_get_label (object));
  if (spk_object_get_label (object) == NULL)
    g_string_append_printf (text, "#%u", index);
  if (neurons)
    g_string_append (text, ".neurons");
  if (slice != NULL)
    {
      g_autofree char *inside = spk_slice_to_string (slice);

      g_string_append_printf (text, "[%s]", inside);
    }
  return g_string_free (text, FALSE);
}

static void
set_target_member (JsonObject *out,
                   const char *key,
                   char       *text)
{
  if (text != NULL)
    json_object_set_string_member (out, key, text);
  else
    json_object_set_null_member (out, key);
  g_free (text);
}

/* }}} */
/* {{{ Nodes' output */

static gboolean
node_output_from_json (SpkNode     *node,
                       JsonNode    *json,
                       const char  *owner,
                       GError     **error)
{
  if (JSON_NODE_HOLDS_NULL (json))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (json) && json_node_get_value_type (json) == G_TYPE_STRING)
    {
      spk_node_set_output_expr (node, json_node_get_string (json));
      return TRUE;
    }
  if (is_number (json) || JSON_NODE_HOLDS_ARRAY (json))
    {
      g_autoptr (SpkArray) value = vector_from_json (json, owner, "output", error);

      if (value == NULL)
        return FALSE;
      spk_node_set_output_value (node, value);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (json) && json_object_has_member (json_node_get_object (json), "process"))
    {
      g_autoptr (SpkProcess) process = process_from_json (json, owner, "output", error);

      if (process == NULL)
        return FALSE;
      spk_node_set_output_process (node, process);
      return TRUE;
    }
  return fail (error, SPK_IO_ERROR_VALUE, owner,
               _("output must be a number, a list of numbers, an expression or an object with a \"process\""));
}

/* A one-value vector is written as the bare number, which reads back as
 * that vector. */
static JsonNode *
node_output_to_json (SpkNode *node)
{
  SpkArray *value = spk_node_get_output_value (node);

  if (value != NULL)
    {
      if (value->ndim == 1 && value->size == 1)
        return number_to_json (value->data[0]);
      return array_to_json (value);
    }
  if (spk_node_get_output_expr (node) != NULL)
    return json_node_init_string (json_node_alloc (), spk_node_get_output_expr (node));
  if (spk_node_get_output_process (node) != NULL)
    return process_to_json (spk_node_get_output_process (node));
  return NULL;
}

/* }}} */
/* {{{ Loading */

/* "ensemble 'b'", "connection a → b" or "object 3". */
static char *
object_name (JsonObject *json,
             const char *type_name,
             guint       index)
{
  JsonNode *label = json_object_get_member (json, "label");
  JsonNode *pre = json_object_get_member (json, "pre");
  JsonNode *post = json_object_get_member (json, "post");

  if (label && JSON_NODE_HOLDS_VALUE (label) && json_node_get_value_type (label) == G_TYPE_STRING)
    return g_strdup_printf ("%s '%s'", type_name, json_node_get_string (label));
  if (g_strcmp0 (type_name, "connection") == 0 && pre && post
      && JSON_NODE_HOLDS_VALUE (pre) && json_node_get_value_type (pre) == G_TYPE_STRING
      && JSON_NODE_HOLDS_VALUE (post) && json_node_get_value_type (post) == G_TYPE_STRING)
    return g_strdup_printf ("connection %s → %s", json_node_get_string (pre),
                            json_node_get_string (post));
  return g_strdup_printf (_("object %u"), index);
}

typedef struct
{
  SpkObject  *object;
  JsonObject *json;
  char       *name;
} Pending;

static void
pending_clear (gpointer data)
{
  Pending *pending = data;

  g_object_unref (pending->object);
  g_free (pending->name);
}

/* Creates the object with every key but its targets, which may name
 * objects further down the file, and adds it to network. */
static gboolean
object_from_json (SpkNetwork  *network,
                  JsonNode    *node,
                  guint        index,
                  GArray      *pending,
                  GError     **error)
{
  g_autofree char *index_name = g_strdup_printf (_("object %u"), index);
  g_autofree char *name = NULL;
  g_autoptr (SpkObject) object = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *json;
  JsonNode *type_node;
  const char *type_name;
  const char *label;
  GType type;
  Pending item;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, SPK_IO_ERROR_VALUE, index_name, _("expected a JSON object"));
  json = json_node_get_object (node);
  type_node = json_object_get_member (json, "type");
  if (type_node == NULL)
    return fail (error, SPK_IO_ERROR_VALUE, index_name,
                 _("missing \"type\"; expected node, ensemble, connection or probe"));
  type_name = string_from_json (type_node, index_name, "type", error);
  if (type_name == NULL)
    return FALSE;
  type = object_type_from_name (type_name);
  if (type == G_TYPE_INVALID)
    return fail (error, SPK_IO_ERROR_UNKNOWN, index_name,
                 _("unknown type '%s'; expected node, ensemble, connection or probe"), type_name);

  name = object_name (json, type_name, index);
  object = g_object_new (type, NULL);
  members = json_object_get_members (json);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (json, key);

      if (strcmp (key, "type") == 0 || g_strv_contains (special_keys (type), key))
        {
          if (strcmp (key, "output") == 0
              && !node_output_from_json (SPK_NODE (object), value, name, error))
            return FALSE;
          continue;
        }
      if (!property_from_json (G_OBJECT (object), key, value, name, error))
        return FALSE;
    }

  label = spk_object_get_label (object);
  if (label != NULL && spk_network_lookup (network, label) != NULL)
    return fail (error, SPK_IO_ERROR_VALUE, name, _("the label '%s' is already used"), label);
  if (!spk_network_add (network, object, error))
    return FALSE;

  item.object = g_steal_pointer (&object);
  item.json = json;
  item.name = g_steal_pointer (&name);
  g_array_append_val (pending, item);
  return TRUE;
}

static gboolean
check_format (JsonNode    *root,
              GError     **error)
{
  JsonObject *json;
  JsonNode *format, *version;
  gint64 number;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("not a Spikeworks model file: the file is not a JSON object"));
      return FALSE;
    }
  json = json_node_get_object (root);
  format = json_object_get_member (json, "format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format)
      || json_node_get_value_type (format) != G_TYPE_STRING
      || strcmp (json_node_get_string (format), FORMAT_NAME) != 0)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("not a Spikeworks model file: \"format\" must be \"%s\""), FORMAT_NAME);
      return FALSE;
    }
  version = json_object_get_member (json, "version");
  if (version == NULL || !is_number (version) || json_node_get_value_type (version) != G_TYPE_INT64
      || (number = json_node_get_int (version)) < 1)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("not a Spikeworks model file: \"version\" must be a positive integer"));
      return FALSE;
    }
  if (number > FORMAT_VERSION)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("the model file was written by a newer Spikeworks (version %" PRId64
                     "); this one reads version %d"),
                   number, FORMAT_VERSION);
      return FALSE;
    }
  return TRUE;
}

/* json-glib says "<data>:3:14: Parse error: unexpected …"; keep the
 * position and the reason. */
static void
set_parse_error (GError     **error,
                 const GError *cause)
{
  g_autoptr (GString) message = g_string_new (cause->message);

  if (g_str_has_prefix (message->str, "<data>:"))
    g_string_erase (message, 0, strlen ("<data>:"));
  g_string_replace (message, "Parse error: ", "", 1);
  g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("malformed JSON at %s"), message->str);
}

SpkNetwork *
spk_model_load_data (const char  *data,
                     gssize       length,
                     GError     **error)
{
  static const char *const top_keys[] = { "format", "version", "network", "objects", NULL };
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (GArray) pending = NULL;
  g_autoptr (GError) local = NULL;
  JsonObject *root;
  JsonNode *member;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Bounded before json-glib, which recurses once per level. */
  if (!spk_json_check_depth (data, length, SPK_JSON_MAX_DEPTH, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      set_parse_error (error, local);
      return NULL;
    }
  if (!check_format (json_parser_get_root (parser), error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!check_members (root, top_keys, _("model file"), NULL, error))
    return NULL;

  network = spk_network_new ();
  member = json_object_get_member (root, "network");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr (GList) keys = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          fail (error, SPK_IO_ERROR_VALUE, _("model file"), _("\"network\" must be an object"));
          return NULL;
        }
      keys = json_object_get_members (json_node_get_object (member));
      for (GList *l = keys; l != NULL; l = l->next)
        if (!property_from_json (G_OBJECT (network), l->data,
                                 json_object_get_member (json_node_get_object (member), l->data),
                                 _("network"), error))
          return NULL;
    }

  pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (pending, pending_clear);
  member = json_object_get_member (root, "objects");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonArray *objects;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          fail (error, SPK_IO_ERROR_VALUE, _("model file"), _("\"objects\" must be a list"));
          return NULL;
        }
      objects = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (objects); i++)
        if (!object_from_json (network, json_array_get_element (objects, i), i, pending, error))
          return NULL;
    }

  /* Targets last, so that a connection may come before its ends. */
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *item = &g_array_index (pending, Pending, i);

      if (SPK_IS_CONNECTION (item->object)
          && !connection_targets_from_json (network, SPK_CONNECTION (item->object), item->json,
                                            item->name, error))
        return NULL;
      if (SPK_IS_PROBE (item->object)
          && !probe_target_from_json (network, SPK_PROBE (item->object), item->json,
                                      item->name, error))
        return NULL;
    }
  return g_steal_pointer (&network);
}

SpkNetwork *
spk_model_load_file (const char  *path,
                     GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;
  SpkNetwork *network;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  network = spk_model_load_data (data, length, error);
  if (network == NULL)
    g_prefix_error (error, "%s: ", path);
  return network;
}

/* }}} */
/* {{{ Writing */

static JsonObject *
object_to_json (SpkNetwork *network,
                SpkObject  *object)
{
  JsonObject *out = json_object_new ();
  g_autoptr (GPtrArray) skip = g_ptr_array_new ();
  const char *label = spk_object_get_label (object);

  json_object_set_string_member (out, "type", spk_object_get_type_name (object));
  if (label != NULL)
    json_object_set_string_member (out, "label", label);

  g_ptr_array_add (skip, "label");
  for (const char *const *k = special_properties (G_OBJECT_TYPE (object)); *k; k++)
    g_ptr_array_add (skip, (gpointer) *k);

  if (SPK_IS_NODE (object))
    {
      JsonNode *output = node_output_to_json (SPK_NODE (object));

      if (output != NULL)
        json_object_set_member (out, "output", output);
    }
  else if (SPK_IS_ENSEMBLE (object))
    {
      GObjectClass *klass = G_OBJECT_GET_CLASS (object);

      /* Sizes always, even at their defaults: a reader needs them. */
      property_to_json (out, G_OBJECT (object), g_object_class_find_property (klass, "n-neurons"));
      property_to_json (out, G_OBJECT (object), g_object_class_find_property (klass, "dimensions"));
      g_ptr_array_add (skip, "n-neurons");
      g_ptr_array_add (skip, "dimensions");
    }
  else if (SPK_IS_CONNECTION (object))
    {
      SpkConnection *connection = SPK_CONNECTION (object);

      set_target_member (out, "pre",
                         target_to_string (network, spk_connection_get_pre (connection),
                                           spk_connection_get_pre_neurons (connection),
                                           spk_connection_get_pre_slice (connection)));
      set_target_member (out, "post",
                         target_to_string (network, spk_connection_get_post (connection),
                                           spk_connection_get_post_neurons (connection),
                                           spk_connection_get_post_slice (connection)));
      g_ptr_array_add (skip, "pre-slice");
      g_ptr_array_add (skip, "post-slice");
    }
  else if (SPK_IS_PROBE (object))
    {
      SpkProbe *probe = SPK_PROBE (object);

      set_target_member (out, "target",
                         target_to_string (network, spk_probe_get_target (probe),
                                           spk_probe_get_target_neurons (probe),
                                           spk_probe_get_slice (probe)));
      g_ptr_array_add (skip, "slice");
    }

  g_ptr_array_add (skip, NULL);
  properties_to_json (out, G_OBJECT (object), (const char *const *) skip->pdata);
  return out;
}

/* The shortest decimal that reads back to the same double; integral
 * values without a fraction ("200", not "200.0"), except -0.0, whose
 * sign only survives as a float.  JSON has no NaN or infinity: they are
 * written as null, which the loader refuses, as a model holding them
 * cannot be run anyway. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (value == 0.0 && signbit (value))
    {
      g_string_append (out, "-0.0");
      return;
    }
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%.0f", value);
      return;
    }
  for (int digits = 1; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
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
static void
append_node (GString  *out,
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
          append_node (out, json_array_get_element (list, i), depth + 1);
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
          append_node (out, json_object_get_member (object, l->data), depth + 1);
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

char *
spk_model_to_data (SpkNetwork *network,
                   gsize      *length)
{
  static const char *const network_always[] = { "dt", "dtype", NULL };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *top = json_object_new ();
  JsonObject *header = json_object_new ();
  JsonArray *objects = json_array_new ();
  GPtrArray *list;
  GString *out;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  json_object_set_string_member (top, "format", FORMAT_NAME);
  json_object_set_int_member (top, "version", FORMAT_VERSION);

  /* dt and dtype always: they decide what a run gives. */
  properties_to_json (header, G_OBJECT (network), network_always);
  for (const char *const *k = network_always; *k; k++)
    property_to_json (header, G_OBJECT (network),
                      g_object_class_find_property (G_OBJECT_GET_CLASS (network), *k));
  json_object_set_object_member (top, "network", header);

  list = spk_network_get_objects (network);
  for (guint i = 0; i < list->len; i++)
    json_array_add_object_element (objects, object_to_json (network, g_ptr_array_index (list, i)));
  json_object_set_array_member (top, "objects", objects);

  root = json_node_init_object (json_node_alloc (), top);
  json_object_unref (top);
  out = g_string_new (NULL);
  append_node (out, root, 0);
  g_string_append_c (out, '\n');
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
spk_model_save_file (SpkNetwork  *network,
                     const char  *path,
                     GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local = NULL;
  gsize length;

  g_return_val_if_fail (SPK_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = spk_model_to_data (network, &length);
  /* A temporary file renamed over the model, so a crash never leaves half
   * a model behind; a device (/dev/stdout) is written in place. */
  if (!spk_file_write_all (path, data, length, &local))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE,
                   _("could not save the model to '%s': %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
