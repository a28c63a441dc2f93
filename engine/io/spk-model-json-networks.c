/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-networks.c — Nengo's built-in networks as the model
 * file's objects: the table of kinds, their parameters and checks.
 *
 * A built-in network is a "network" object with a "kind" and Nengo's
 * parameters; the loader asks here for the objects it is made of, written
 * as the model file would write them (spk-model-json-network-make.c), and
 * reads them as it reads a file, so a built-in network is exactly the
 * objects a user could have written out by hand.  Every kind is one row
 * of kinds[] below: its parameters with Nengo's defaults, the attributes
 * Nengo makes point at objects of an inner network (Thalamus's "input" is
 * its "actions.input"), an example the workbench's palette adds, and the
 * function that makes its objects.  Objects are labelled by their Python
 * attribute path ("ea.input", "ea.ea_ensembles[0]", "prod.sq1.square"),
 * which is how a user refers to them, as in Nengo.
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "io/spk-model-json-private.h"
#include "core/spk-array.h"
#include "model/spk-subnetwork.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

typedef enum
{
  PARAM_COUNT,      /* an integer ≥ 1 */
  PARAM_POSITIVE,   /* a finite number > 0 */
  PARAM_NUMBER,     /* a finite number */
  PARAM_OTHER,      /* a flag or a synapse: the reader checked it */
  PARAM_VECTORS,    /* a matrix, one row per vector */
  PARAM_PER_ITEM,   /* one number, or one per vector */
  PARAM_ADD_ON,     /* AssociativeMemory's add-ons: spk-model-json-assoc-mem.c */
} ParamCheck;

typedef struct
{
  const char *key;
  ParamCheck  check;
  const char *value;   /* Nengo's default as JSON; NULL: it must be given */
} Param;

typedef struct
{
  const char        *kind;
  const Param       *params;     /* ends with a NULL key */
  const char *const *aliases;    /* attribute, path of the object it is; pairs, NULL-ended */
  const char        *example;    /* JSON members the palette starts from */
  const char        *description;
  void             (*make) (JsonArray     *out,
                            const char    *prefix,
                            SpkSubnetwork *net);
} Kind;

static const Param ensemble_array_params[] = {
  { "n_neurons", PARAM_COUNT, NULL }, { "n_ensembles", PARAM_COUNT, NULL },
  { "ens_dimensions", PARAM_COUNT, "1" }, { NULL }
};
static const Param product_params[] = {
  { "n_neurons", PARAM_COUNT, NULL }, { "dimensions", PARAM_COUNT, NULL },
  { "input_magnitude", PARAM_POSITIVE, "1" }, { NULL }
};
static const Param circular_convolution_params[] = {
  { "n_neurons", PARAM_COUNT, NULL }, { "dimensions", PARAM_COUNT, NULL },
  { "invert_a", PARAM_OTHER, "false" }, { "invert_b", PARAM_OTHER, "false" },
  { "input_magnitude", PARAM_POSITIVE, "1" }, { NULL }
};
static const Param integrator_params[] = {
  { "recurrent_tau", PARAM_POSITIVE, NULL }, { "n_neurons", PARAM_COUNT, NULL },
  { "dimensions", PARAM_COUNT, NULL }, { NULL }
};
static const Param oscillator_params[] = {
  { "recurrent_tau", PARAM_POSITIVE, NULL }, { "frequency", PARAM_NUMBER, NULL },
  { "n_neurons", PARAM_COUNT, NULL }, { NULL }
};
static const Param input_gated_memory_params[] = {
  { "n_neurons", PARAM_COUNT, NULL }, { "dimensions", PARAM_COUNT, NULL },
  { "feedback", PARAM_NUMBER, "1" }, { "difference_gain", PARAM_NUMBER, "1" },
  { "recurrent_synapse", PARAM_OTHER, "0.1" }, { "difference_synapse", PARAM_OTHER, "null" }, { NULL }
};
static const Param basal_ganglia_params[] = {
  { "dimensions", PARAM_COUNT, NULL }, { "n_neurons_per_ensemble", PARAM_COUNT, "100" },
  { "output_weight", PARAM_NUMBER, "-3" }, { "input_bias", PARAM_NUMBER, "0" },
  { "ampa_synapse", PARAM_OTHER, "0.002" }, { "gaba_synapse", PARAM_OTHER, "0.008" }, { NULL }
};
static const Param thalamus_params[] = {
  { "dimensions", PARAM_COUNT, NULL }, { "n_neurons_per_ensemble", PARAM_COUNT, "50" },
  { "mutual_inhib", PARAM_NUMBER, "1" }, { "threshold", PARAM_NUMBER, "0" }, { NULL }
};
static const Param associative_memory_params[] = {
  { "input_vectors", PARAM_VECTORS, NULL }, { "output_vectors", PARAM_VECTORS, "null" },
  { "n_neurons", PARAM_COUNT, "50" }, { "threshold", PARAM_PER_ITEM, "0.3" },
  { "input_scales", PARAM_PER_ITEM, "1" }, { "inhibitable", PARAM_OTHER, "false" },
  { "input_mappings", PARAM_ADD_ON, "null" }, { "output_mappings", PARAM_ADD_ON, "null" },
  { "default_output_vectors", PARAM_ADD_ON, "null" }, { "wta_network", PARAM_ADD_ON, "null" },
  { "threshold_outputs", PARAM_ADD_ON, "null" }, { NULL }
};

static const char *const no_aliases[] = { NULL };
static const char *const igm_aliases[] = { "input", "diff.input", "output", "mem.output", NULL };
static const char *const thalamus_aliases[] = { "input", "actions.input", "output", "actions.output", NULL };
static const char *const am_aliases[] = {
  "utilities", "elem_output", "thresholded_utilities", "thresh_ens.output", NULL
};

static const Kind kinds[] = {
  { "EnsembleArray", ensemble_array_params, no_aliases,
    "\"n_neurons\": 50, \"n_ensembles\": 2",
    N_("An array of ensembles, each representing its slice of one vector"), _spk_network_make_ensemble_array },
  { "Product", product_params, no_aliases,
    "\"n_neurons\": 100, \"dimensions\": 1",
    N_("The element-wise product of two vectors"), _spk_network_make_product },
  { "CircularConvolution", circular_convolution_params, no_aliases,
    "\"n_neurons\": 200, \"dimensions\": 4",
    N_("The circular convolution of two vectors, through the Fourier domain"),
    _spk_network_make_circular_convolution },
  { "Integrator", integrator_params, no_aliases,
    "\"recurrent_tau\": 0.1, \"n_neurons\": 100, \"dimensions\": 1",
    N_("An ensemble that integrates its input over time"), _spk_network_make_integrator },
  { "Oscillator", oscillator_params, no_aliases,
    "\"recurrent_tau\": 0.1, \"frequency\": 6.28, \"n_neurons\": 200",
    N_("A two-dimensional ensemble that oscillates at a given frequency"), _spk_network_make_oscillator },
  { "InputGatedMemory", input_gated_memory_params, igm_aliases,
    "\"n_neurons\": 50, \"dimensions\": 2",
    N_("A memory that stores its input while the gate is open (0) and holds it while closed"),
    _spk_network_make_input_gated_memory },
  { "BasalGanglia", basal_ganglia_params, no_aliases,
    "\"dimensions\": 3",
    N_("Action selection: the output inhibits every action but the one with the largest input"),
    _spk_network_make_basal_ganglia },
  { "Thalamus", thalamus_params, thalamus_aliases,
    "\"dimensions\": 3",
    N_("Turns the basal ganglia's inhibition into one active action"), _spk_network_make_thalamus },
  { "AssociativeMemory", associative_memory_params, am_aliases,
    "\"input_vectors\": [[1, 0], [0, 1]]",
    N_("A clean-up memory: maps an input near one of its vectors onto that vector's output"),
    _spk_network_make_associative_memory },
};

static const Kind *
find_kind (const char *kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, kind) == 0)
      return &kinds[i];
  return NULL;
}

static const Param *
find_param (const Kind *k,
            const char *key)
{
  for (const Param *p = k->params; p->key; p++)
    if (strcmp (p->key, key) == 0)
      return p;
  return NULL;
}

/* {{{ The public table, for the workbench's palette */

const char *const *
spk_model_network_kinds (void)
{
  static const char *names[G_N_ELEMENTS (kinds) + 1];

  if (names[0] == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
      names[i] = kinds[i].kind;
  return names;
}

const char *
spk_model_network_example_params (const char *kind)
{
  const Kind *k = find_kind (kind);

  return k ? k->example : NULL;
}

const char *
spk_model_network_kind_description (const char *kind)
{
  const Kind *k = find_kind (kind);

  return k ? _(k->description) : NULL;
}

char **
spk_model_network_kind_params (const char *kind)
{
  const Kind *k = find_kind (kind);
  g_autoptr (GStrvBuilder) keys = NULL;

  if (k == NULL)
    return NULL;
  keys = g_strv_builder_new ();
  for (const Param *p = k->params; p->key; p++)
    g_strv_builder_add (keys, p->key);
  return g_strv_builder_end (keys);
}

/* }}} */

gboolean
_spk_model_json_network_is_param (const char *kind,
                                  const char *key)
{
  const Kind *k = find_kind (kind);

  return k != NULL && find_param (k, key) != NULL;
}

gboolean
_spk_model_json_network_is_any_param (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (find_param (&kinds[i], key) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
_spk_model_json_network_check_kind (const char  *kind,
                                    const char  *owner,
                                    GError     **error)
{
  const char *const *names = spk_model_network_kinds ();

  if (find_kind (kind) != NULL)
    return TRUE;
  return _spk_model_json_fail_unknown_kind (error, owner, "kind", _("network"), kind, names,
                                            G_N_ELEMENTS (kinds));
}

static GParamSpec *
param_spec (SpkSubnetwork *net,
            const char    *key)
{
  g_autofree char *name = g_strdelimit (g_strdup (key), "_", '-');

  return g_object_class_find_property (G_OBJECT_GET_CLASS (net), name);
}

void
_spk_model_json_network_apply_defaults (SpkSubnetwork *net,
                                        const char    *kind)
{
  const Kind *k = find_kind (kind);

  if (k == NULL)
    return;
  for (const Param *p = k->params; p->key; p++)
    if (p->value != NULL)
      {
        g_autoptr (JsonNode) node = json_from_string (p->value, NULL);
        GParamSpec *pspec = param_spec (net, p->key);
        g_auto (GValue) value = G_VALUE_INIT;

        if (_spk_model_json_value_from_json (pspec, node, "", p->key, &value, NULL))
          g_object_set_property (G_OBJECT (net), pspec->name, &value);
      }
}

GPtrArray *
_spk_model_json_network_required (const char *kind)
{
  const Kind *k = find_kind (kind);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (const Param *p = k ? k->params : NULL; p && p->key; p++)
    if (p->value == NULL)
      g_ptr_array_add (names, g_strdelimit (g_strdup (p->key), "_", '-'));
  return names;
}

/* {{{ Checks */

static SpkArray *
array_param (SpkSubnetwork *net,
             const char    *key)
{
  SpkArray *array = NULL;
  g_autofree char *name = g_strdelimit (g_strdup (key), "_", '-');

  g_object_get (net, name, &array, NULL);
  return array;
}

static gboolean
check_param (SpkSubnetwork *net,
             const Param   *p,
             gsize          n_items,
             const char    *owner,
             GError       **error)
{
  GParamSpec *pspec = param_spec (net, p->key);
  g_auto (GValue) value = G_VALUE_INIT;
  g_autoptr (SpkArray) array = NULL;
  double number = 0;

  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (net), pspec->name, &value);
  if (G_VALUE_HOLDS_INT (&value))
    number = g_value_get_int (&value);
  else if (G_VALUE_HOLDS_DOUBLE (&value))
    number = g_value_get_double (&value);
  else if (G_VALUE_HOLDS (&value, SPK_TYPE_ARRAY))
    array = g_value_dup_boxed (&value);

  switch (p->check)
    {
    case PARAM_COUNT:
      if (number < 1)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("\"%s\" must be at least 1"), p->key);
      return TRUE;
    case PARAM_POSITIVE:
      if (!(isfinite (number) && number > 0))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" must be a positive number (got %g)"), p->key, number);
      return TRUE;
    case PARAM_NUMBER:
      if (array != NULL)
        {
          if (array->ndim != 0)
            return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("\"%s\" must be one number"), p->key);
          number = array->data[0];
        }
      if (!isfinite (number))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" must be a finite number (got %g)"), p->key, number);
      return TRUE;
    case PARAM_VECTORS:
      if (array == NULL && p->value != NULL)
        return TRUE;   /* output_vectors: none gives the input vectors */
      if (array == NULL)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" must be a list of vectors (rows of numbers)"), p->key);
      if (array->ndim != 2 || array->size == 0)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" must be a list of vectors (rows of numbers)"), p->key);
      if (n_items > 0 && spk_array_rows (array) != n_items)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" has %u vectors; \"input_vectors\" has %u"),
                                     p->key, (guint) spk_array_rows (array), (guint) n_items);
      return TRUE;
    case PARAM_PER_ITEM:
      if (array == NULL || array->ndim == 2 || (array->ndim == 1 && array->size != n_items))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" must be one number or one per input vector (%u)"),
                                     p->key, (guint) n_items);
      return TRUE;
    case PARAM_OTHER:
    case PARAM_ADD_ON:
    default:
      return TRUE;
    }
}

gboolean
_spk_model_json_network_check_params (SpkSubnetwork  *net,
                                      JsonObject     *json,
                                      const char     *owner,
                                      GError        **error)
{
  const Kind *k = find_kind (spk_subnetwork_get_kind (net));
  g_autoptr (SpkArray) vectors = NULL;
  gsize n_items = 0;

  if (k == NULL)
    return TRUE;
  for (const Param *p = k->params; p->key; p++)
    if (p->value == NULL && json != NULL && !json_object_has_member (json, p->key))
      return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("missing \"%s\""), p->key);
  if (find_param (k, "input_vectors") != NULL && (vectors = array_param (net, "input_vectors")) != NULL
      && vectors->ndim == 2)
    n_items = spk_array_rows (vectors);
  for (const Param *p = k->params; p->key; p++)
    if (!check_param (net, p, n_items, owner, error))
      return FALSE;
  if (find_param (k, "wta_network") != NULL && vectors != NULL)
    {
      g_autoptr (SpkArray) outputs = array_param (net, "output_vectors");
      SpkAmAddons addons;

      if (outputs == NULL)
        outputs = spk_array_ref (vectors);
      if (!_spk_am_addons_read (net, n_items, outputs->shape[1], &addons, owner, error))
        return FALSE;
      _spk_am_addons_clear (&addons);
    }
  return TRUE;
}

/* }}} */

/* "thal.input" → "thal.actions.input": the attributes of a built-in
 * network that are objects of an inner one.  NULL when label is none. */
char *
_spk_model_json_network_alias (SpkNetwork *network,
                               const char *label)
{
  for (const char *dot = strchr (label, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
    {
      g_autofree char *prefix = g_strndup (label, dot - label);
      SpkObject *object = spk_network_lookup (network, prefix);
      const Kind *k;

      if (object == NULL || !SPK_IS_SUBNETWORK (object)
          || (k = find_kind (spk_subnetwork_get_kind (SPK_SUBNETWORK (object)))) == NULL)
        continue;
      for (const char *const *a = k->aliases; *a; a += 2)
        {
          gsize n = strlen (a[0]);

          if (strncmp (dot + 1, a[0], n) == 0 && (dot[1 + n] == '\0' || dot[1 + n] == '.'))
            {
              g_autofree char *real = g_strdup_printf ("%s.%s%s", prefix, a[1], dot + 1 + n);
              char *deeper;

              if (spk_network_lookup (network, real) != NULL)
                return g_steal_pointer (&real);
              if ((deeper = _spk_model_json_network_alias (network, real)) != NULL)
                return deeper;
            }
        }
    }
  return NULL;
}

gboolean
_spk_model_json_network_objects (SpkSubnetwork  *net,
                                 const char     *owner,
                                 JsonArray     **out,
                                 GError        **error)
{
  const char *kind = spk_subnetwork_get_kind (net);
  const char *label = spk_object_get_label (SPK_OBJECT (net));
  g_autoptr (JsonArray) objects = json_array_new ();

  if (!_spk_model_json_network_check_kind (kind, owner, error))
    return FALSE;
  if (label == NULL || *label == '\0')
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("a built-in network (%s) needs a label: its objects are named after it"),
                                 kind);
  if (!_spk_model_json_network_check_params (net, NULL, owner, error))
    return FALSE;
  find_kind (kind)->make (objects, label, net);
  *out = g_steal_pointer (&objects);
  return TRUE;
}
