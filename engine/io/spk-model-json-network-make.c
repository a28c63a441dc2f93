/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-network-make.c — the objects each of Nengo's built-in
 * networks is made of, written as model-file JSON.
 *
 * Each function follows its Nengo 4.1.0 source (Integrator and Oscillator
 * follow Nengo 3.0's, their last release): the same objects, sizes,
 * transforms, synapses and functions.  A connection Nengo makes without a
 * synapse argument is written without "synapse", so the defaults of the
 * networks around it apply as in Nengo; one made with synapse=None gets
 * null.  An inner network (an EnsembleArray inside Product) is a nested
 * network object whose "config" holds what Nengo gives its ensembles
 * (EnsembleArray's **ens_kwargs and the Config context it is made in), and
 * whose "objects" are what is added to it afterwards (add_output,
 * add_neuron_input).
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "io/spk-model-json-private.h"
#include "core/spk-array.h"
#include "model/spk-subnetwork.h"

#include <math.h>

/* {{{ Parameters and JSON */

static GValue *
param_value (SpkSubnetwork *net,
             const char    *key,
             GValue        *value)
{
  g_autofree char *name = g_strdelimit (g_strdup (key), "_", '-');
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (net), name);

  g_value_init (value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (net), name, value);
  return value;
}

static int
int_param (SpkSubnetwork *net,
           const char    *key)
{
  g_auto (GValue) value = G_VALUE_INIT;

  return g_value_get_int (param_value (net, key, &value));
}

static double
double_param (SpkSubnetwork *net,
              const char    *key)
{
  g_auto (GValue) value = G_VALUE_INIT;

  return g_value_get_double (param_value (net, key, &value));
}

static gboolean
bool_param (SpkSubnetwork *net,
            const char    *key)
{
  g_auto (GValue) value = G_VALUE_INIT;

  return g_value_get_boolean (param_value (net, key, &value));
}

/* (transfer full) (nullable) */
static SpkArray *
array_param (SpkSubnetwork *net,
             const char    *key)
{
  g_auto (GValue) value = G_VALUE_INIT;

  return g_value_dup_boxed (param_value (net, key, &value));
}

/* The parameter as the file writes it (a synapse: its JSON, or null). */
static JsonNode *
json_param (SpkSubnetwork *net,
            const char    *key)
{
  g_auto (GValue) value = G_VALUE_INIT;
  g_autofree char *name = g_strdelimit (g_strdup (key), "_", '-');

  param_value (net, key, &value);
  return _spk_model_json_value_to_json (g_object_class_find_property (G_OBJECT_GET_CLASS (net), name), &value);
}

static JsonObject *
new_object (JsonArray  *out,
            const char *type,
            const char *label)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", type);
  if (label)
    json_object_set_string_member (object, "label", label);
  json_array_add_object_element (out, object);
  return object;
}

static void
add_node (JsonArray  *out,
          const char *label,
          int         size_in)
{
  json_object_set_int_member (new_object (out, "node", label), "size_in", size_in);
}

/* A node whose output is value in each of its n dimensions. */
static void
add_constant_node (JsonArray  *out,
                   const char *label,
                   int         n,
                   double      value)
{
  JsonArray *output = json_array_new ();

  for (int i = 0; i < n; i++)
    json_array_add_double_element (output, value);
  json_object_set_array_member (new_object (out, "node", label), "output", output);
}

static JsonObject *
add_ensemble (JsonArray  *out,
              const char *label,
              int         n_neurons,
              int         dimensions)
{
  JsonObject *object = new_object (out, "ensemble", label);

  json_object_set_int_member (object, "n_neurons", n_neurons);
  json_object_set_int_member (object, "dimensions", dimensions);
  return object;
}

/* synapse: NULL leaves the key out (Nengo's default synapse, through the
 * configs around); transform may be NULL (the identity); function may be
 * NULL.  Takes synapse and transform. */
static JsonObject *
add_connection (JsonArray  *out,
                const char *pre,
                const char *post,
                JsonNode   *synapse,
                JsonNode   *transform,
                const char *function)
{
  JsonObject *object = new_object (out, "connection", NULL);

  json_object_set_string_member (object, "pre", pre);
  json_object_set_string_member (object, "post", post);
  if (transform)
    json_object_set_member (object, "transform", transform);
  if (function)
    json_object_set_string_member (object, "function", function);
  if (synapse)
    json_object_set_member (object, "synapse", synapse);
  return object;
}

static JsonNode *
none (void)
{
  return json_node_init_null (json_node_alloc ());
}

static JsonNode *
scalar (double value)
{
  return json_node_init_double (json_node_alloc (), value);
}

/* rows × cols, entry (i, j) = at (i, j, data). */
static JsonNode *
matrix (int      rows,
        int      cols,
        double (*at) (int, int, gconstpointer),
        gconstpointer data)
{
  JsonArray *list = json_array_new ();

  for (int i = 0; i < rows; i++)
    {
      JsonArray *row = json_array_new ();

      for (int j = 0; j < cols; j++)
        json_array_add_double_element (row, at (i, j, data));
      json_array_add_array_element (list, row);
    }
  return json_node_init_array (json_node_alloc (), list);
}

static double
at_array (int           i,
          int           j,
          gconstpointer data)
{
  const SpkArray *array = data;

  return array->data[(gsize) i * array->shape[1] + j];
}

static double
at_value (int           i,
          int           j,
          gconstpointer data)
{
  return *(const double *) data;
}

/* (eye(n) - 1) * m */
static double
at_off_diagonal (int           i,
                 int           j,
                 gconstpointer data)
{
  return ((i == j ? 1.0 : 0.0) - 1.0) * *(const double *) data;
}

static JsonNode *
filled (int    rows,
        int    cols,
        double value)
{
  return matrix (rows, cols, at_value, &value);
}

static JsonObject *
typed (const char *type)
{
  JsonObject *dist = json_object_new ();

  json_object_set_string_member (dist, "type", type);
  return dist;
}

static JsonObject *
uniform (double low,
         double high)
{
  JsonObject *dist = typed ("Uniform");

  json_object_set_double_member (dist, "low", low);
  json_object_set_double_member (dist, "high", high);
  return dist;
}

/* Choice([[1]]): every encoder points the positive way. */
static JsonObject *
choice_one (void)
{
  JsonObject *dist = typed ("Choice");
  JsonArray *options = json_array_new ();
  JsonArray *row = json_array_new ();

  json_array_add_double_element (row, 1.0);
  json_array_add_array_element (options, row);
  json_object_set_array_member (dist, "options", options);
  return dist;
}

/* }}} */
/* {{{ EnsembleArray */

/* EnsembleArray.add_output(name, function): a node gathering each
 * ensemble's decoded function (elementwise here, so of the array's size). */
static void
ensemble_array_output (JsonArray  *out,
                       const char *prefix,
                       int         n_ensembles,
                       int         ens_dimensions,
                       const char *name,
                       const char *function)
{
  g_autofree char *node = g_strdup_printf ("%s.%s", prefix, name);

  add_node (out, node, n_ensembles * ens_dimensions);
  for (int i = 0; i < n_ensembles; i++)
    {
      g_autofree char *ens = g_strdup_printf ("%s.ea_ensembles[%d]", prefix, i);
      g_autofree char *post = g_strdup_printf ("%s[%d:%d]", node, i * ens_dimensions, (i + 1) * ens_dimensions);

      add_connection (out, ens, post, none (), NULL, function);
    }
}

/* EnsembleArray.add_neuron_input(): a node into every ensemble's neurons. */
static void
ensemble_array_neuron_input (JsonArray  *out,
                             const char *prefix,
                             int         n_neurons,
                             int         n_ensembles)
{
  g_autofree char *node = g_strdup_printf ("%s.neuron_input", prefix);

  add_node (out, node, n_neurons * n_ensembles);
  for (int i = 0; i < n_ensembles; i++)
    {
      g_autofree char *pre = g_strdup_printf ("%s[%d:%d]", node, i * n_neurons, (i + 1) * n_neurons);
      g_autofree char *post = g_strdup_printf ("%s.ea_ensembles[%d].neurons", prefix, i);

      add_connection (out, pre, post, none (), NULL, NULL);
    }
}

static void
ensemble_array (JsonArray  *out,
                const char *prefix,
                int         n_neurons,
                int         n_ensembles,
                int         ens_dimensions)
{
  g_autofree char *input = g_strdup_printf ("%s.input", prefix);

  add_node (out, input, n_ensembles * ens_dimensions);
  for (int i = 0; i < n_ensembles; i++)
    {
      g_autofree char *ens = g_strdup_printf ("%s.ea_ensembles[%d]", prefix, i);
      g_autofree char *pre = g_strdup_printf ("%s[%d:%d]", input, i * ens_dimensions, (i + 1) * ens_dimensions);

      add_ensemble (out, ens, n_neurons, ens_dimensions);
      add_connection (out, pre, ens, none (), NULL, NULL);
    }
  ensemble_array_output (out, prefix, n_ensembles, ens_dimensions, "output", NULL);
}

/* EnsembleArray.__init__, which ends with add_output("output", None). */
void
_spk_network_make_ensemble_array (JsonArray     *out,
                                  const char    *prefix,
                                  SpkSubnetwork *net)
{
  ensemble_array (out, prefix, int_param (net, "n_neurons"), int_param (net, "n_ensembles"),
                  int_param (net, "ens_dimensions"));
}

/* A nested EnsembleArray(n_neurons, n_ensembles) network object with
 * config (transfer full, nullable); returns the list of what is added to
 * it after it is made (transfer none). */
static JsonArray *
nested_array (JsonArray  *out,
              const char *label,
              int         n_neurons,
              int         n_ensembles,
              JsonObject *config)
{
  JsonObject *net = new_object (out, "network", label);
  JsonArray *objects = json_array_new ();

  json_object_set_string_member (net, "kind", "EnsembleArray");
  json_object_set_int_member (net, "n_neurons", n_neurons);
  json_object_set_int_member (net, "n_ensembles", n_ensembles);
  if (config)
    json_object_set_object_member (net, "config", config);
  json_object_set_array_member (net, "objects", objects);
  return objects;
}

/* A config of ensemble defaults (transfer full) with one distribution. */
static JsonObject *
ensemble_config (const char *key,
                 JsonObject *value)
{
  JsonObject *config = json_object_new ();
  JsonObject *ens = json_object_new ();

  json_object_set_object_member (ens, key, value);
  json_object_set_object_member (config, "ensemble", ens);
  return config;
}

/* }}} */
/* {{{ Product and CircularConvolution */

static void
product (JsonArray  *out,
         const char *prefix,
         int         n_neurons,
         int         dimensions,
         double      input_magnitude)
{
  g_autofree char *a = g_strdup_printf ("%s.input_a", prefix);
  g_autofree char *b = g_strdup_printf ("%s.input_b", prefix);
  g_autofree char *output = g_strdup_printf ("%s.output", prefix);
  const char *sq[2] = { "sq1", "sq2" };
  double radius = input_magnitude * sqrt (2.0);
  double tr = 1.0 / sqrt (2.0);
  int half = MAX (1, n_neurons / 2);

  add_node (out, a, dimensions);
  add_node (out, b, dimensions);
  add_node (out, output, dimensions);
  for (int s = 0; s < 2; s++)
    {
      g_autofree char *label = g_strdup_printf ("%s.%s", prefix, sq[s]);
      JsonObject *config = json_object_new ();
      JsonObject *ens = json_object_new ();

      /* Nengo's EnsembleArray(…, radius=r) puts r in its config. */
      json_object_set_double_member (ens, "radius", radius);
      json_object_set_object_member (config, "ensemble", ens);
      ensemble_array_output (nested_array (out, label, half, dimensions, config), label, dimensions, 1,
                             "square", "x**2");
    }
  for (int s = 0; s < 2; s++)
    {
      g_autofree char *in = g_strdup_printf ("%s.%s.input", prefix, sq[s]);

      add_connection (out, a, in, none (), scalar (tr), NULL);
      add_connection (out, b, in, none (), scalar (s == 0 ? tr : -tr), NULL);
    }
  for (int s = 0; s < 2; s++)
    {
      g_autofree char *square = g_strdup_printf ("%s.%s.square", prefix, sq[s]);

      add_connection (out, square, output, none (), scalar (s == 0 ? 0.5 : -0.5), NULL);
    }
}

void
_spk_network_make_product (JsonArray     *out,
                           const char    *prefix,
                           SpkSubnetwork *net)
{
  product (out, prefix, int_param (net, "n_neurons"), int_param (net, "dimensions"),
           double_param (net, "input_magnitude"));
}

/* Nengo's dft_half(n)[w, x] = exp(-2πi/n · w·x), its real or imaginary
 * part, conjugated when invert. */
static double
dft_half (int      n,
          int      w,
          int      x,
          gboolean imag,
          gboolean invert)
{
  double angle = (-2.0 * G_PI / n) * (double) (w * x);

  if (!imag)
    return cos (angle);
  return invert ? -sin (angle) : sin (angle);
}

typedef struct
{
  int      dims;
  gboolean align_b;
  gboolean invert;
} TransformIn;

/* Nengo's transform_in(dims, align, invert): row i is the real or
 * imaginary part of DFT row i // 4 (its rows that Nengo calls imaginary
 * and zero are kept, as Nengo keeps them). */
static double
at_transform_in (int           i,
                 int           j,
                 gconstpointer data)
{
  const TransformIn *t = data;
  gboolean real = t->align_b ? (i % 4 == 0 || i % 4 == 3) : (i % 2 == 0);

  return dft_half (t->dims, i / 4, j, !real, t->invert);
}

/* Nengo's transform_out(dims): dims × 4·(dims // 2 + 1), the inverse DFT
 * of the products, halves doubled but for the first and the middle. */
static double
at_transform_out (int           i,
                  int           j,
                  gconstpointer data)
{
  int dims = *(const int *) data;
  int w = j / 4;
  double scale = (w == 0 || 2 * w == dims) ? 1.0 : 2.0;
  /* idft = conj(dft_half): real cos, imaginary −sin. */
  double re = scale * dft_half (dims, w, i, FALSE, FALSE);
  double im = scale * -dft_half (dims, w, i, TRUE, FALSE);
  double value = (j % 4 == 0) ? re : (j % 4 == 1) ? -re : -im;

  return value / dims;
}

void
_spk_network_make_circular_convolution (JsonArray     *out,
                                        const char    *prefix,
                                        SpkSubnetwork *net)
{
  int n_neurons = int_param (net, "n_neurons");
  int dims = int_param (net, "dimensions");
  int dims2 = 4 * (dims / 2 + 1);
  g_autofree char *a = g_strdup_printf ("%s.input_a", prefix);
  g_autofree char *b = g_strdup_printf ("%s.input_b", prefix);
  g_autofree char *prod = g_strdup_printf ("%s.product", prefix);
  g_autofree char *prod_a = g_strdup_printf ("%s.input_a", prod);
  g_autofree char *prod_b = g_strdup_printf ("%s.input_b", prod);
  g_autofree char *prod_out = g_strdup_printf ("%s.output", prod);
  g_autofree char *output = g_strdup_printf ("%s.output", prefix);
  TransformIn tr_a = { dims, FALSE, bool_param (net, "invert_a") };
  TransformIn tr_b = { dims, TRUE, bool_param (net, "invert_b") };
  JsonObject *inner;

  add_node (out, a, dims);
  add_node (out, b, dims);
  inner = new_object (out, "network", prod);
  json_object_set_string_member (inner, "kind", "Product");
  json_object_set_int_member (inner, "n_neurons", n_neurons);
  json_object_set_int_member (inner, "dimensions", dims2);
  json_object_set_double_member (inner, "input_magnitude", double_param (net, "input_magnitude") * 2);
  add_node (out, output, dims);
  add_connection (out, a, prod_a, none (), matrix (dims2, dims, at_transform_in, &tr_a), NULL);
  add_connection (out, b, prod_b, none (), matrix (dims2, dims, at_transform_in, &tr_b), NULL);
  add_connection (out, prod_out, output, none (), matrix (dims, dims2, at_transform_out, &dims), NULL);
}

/* }}} */
/* {{{ Integrator, Oscillator and InputGatedMemory */

void
_spk_network_make_integrator (JsonArray     *out,
                              const char    *prefix,
                              SpkSubnetwork *net)
{
  g_autofree char *input = g_strdup_printf ("%s.input", prefix);
  g_autofree char *ens = g_strdup_printf ("%s.ensemble", prefix);
  double tau = double_param (net, "recurrent_tau");

  add_node (out, input, int_param (net, "dimensions"));
  add_ensemble (out, ens, int_param (net, "n_neurons"), int_param (net, "dimensions"));
  add_connection (out, ens, ens, scalar (tau), NULL, NULL);
  add_connection (out, input, ens, none (), scalar (tau), NULL);
}

static double
at_rotation (int           i,
             int           j,
             gconstpointer data)
{
  double ft = *(const double *) data;

  return i == j ? 1.0 : (i == 0 ? -ft : ft);
}

void
_spk_network_make_oscillator (JsonArray     *out,
                              const char    *prefix,
                              SpkSubnetwork *net)
{
  g_autofree char *input = g_strdup_printf ("%s.input", prefix);
  g_autofree char *ens = g_strdup_printf ("%s.ensemble", prefix);
  double tau = double_param (net, "recurrent_tau");
  double ft = double_param (net, "frequency") * tau;

  add_node (out, input, 2);
  add_ensemble (out, ens, int_param (net, "n_neurons"), 2);
  add_connection (out, ens, ens, scalar (tau), matrix (2, 2, at_rotation, &ft), NULL);
  add_connection (out, input, ens, none (), NULL, NULL);
}

void
_spk_network_make_input_gated_memory (JsonArray     *out,
                                      const char    *prefix,
                                      SpkSubnetwork *net)
{
  int n = int_param (net, "n_neurons");
  int d = int_param (net, "dimensions");
  g_autofree char *mem = g_strdup_printf ("%s.mem", prefix);
  g_autofree char *diff = g_strdup_printf ("%s.diff", prefix);
  g_autofree char *mem_in = g_strdup_printf ("%s.input", mem);
  g_autofree char *mem_out = g_strdup_printf ("%s.output", mem);
  g_autofree char *diff_in = g_strdup_printf ("%s.input", diff);
  g_autofree char *diff_out = g_strdup_printf ("%s.output", diff);
  g_autofree char *gate = g_strdup_printf ("%s.gate", prefix);
  g_autofree char *reset = g_strdup_printf ("%s.reset", prefix);
  g_autofree char *diff_neurons = g_strdup_printf ("%s.neuron_input", diff);
  g_autofree char *mem_neurons = g_strdup_printf ("%s.neuron_input", mem);
  JsonNode *difference_synapse = json_param (net, "difference_synapse");

  /* difference_synapse None: the recurrent synapse. */
  if (JSON_NODE_HOLDS_NULL (difference_synapse))
    {
      json_node_unref (difference_synapse);
      difference_synapse = json_param (net, "recurrent_synapse");
    }
  ensemble_array_neuron_input (nested_array (out, mem, n, d, NULL), mem, n, d);
  add_connection (out, mem_out, mem_in, json_param (net, "recurrent_synapse"),
                  scalar (double_param (net, "feedback")), NULL);
  ensemble_array_neuron_input (nested_array (out, diff, n, d, NULL), diff, n, d);
  add_connection (out, mem_out, diff_in, NULL, scalar (-1), NULL);
  add_connection (out, diff_out, mem_in, difference_synapse, scalar (double_param (net, "difference_gain")), NULL);
  add_node (out, gate, 1);
  add_connection (out, gate, diff_neurons, none (), filled (n * d, 1, -10), NULL);
  add_node (out, reset, 1);
  add_connection (out, reset, mem_neurons, none (), filled (n * d, 1, -3), NULL);
}

/* }}} */
/* {{{ BasalGanglia and Thalamus */

/* Nengo's actionselection.Weights. */
#define W_MM 1.0
#define W_MP 1.0
#define W_ME 1.0
#define W_MG 1.0
#define W_WS 1.0
#define W_WT 1.0
#define W_WM 1.0
#define W_WG 1.0
#define W_WP 0.9
#define W_WE 0.3
#define W_E 0.2
#define W_EP -0.25
#define W_EE -0.2
#define W_EG -0.2
#define W_LE 0.2
#define W_LG 0.2

/* One of BasalGanglia's arrays: radius 1.5, encoders Choice([[1]]) and
 * the NnlsL2nz solver from the Config it is made in, its intercepts
 * Uniform(low, 1), and one output of f(x) = max(x − low, 0) · 1
 * (Weights.str_func and its siblings). */
static void
basal_ganglia_array (JsonArray  *out,
                     const char *label,
                     int         n_neurons,
                     int         dimensions,
                     double      low,
                     const char *output)
{
  JsonObject *config = ensemble_config ("intercepts", uniform (low, 1.0));
  JsonObject *ens = json_object_get_object_member (config, "ensemble");
  JsonObject *conn = json_object_new ();
  g_autofree char *function = NULL;

  json_object_set_double_member (ens, "radius", 1.5);
  json_object_set_object_member (ens, "encoders", choice_one ());
  json_object_set_object_member (conn, "solver", typed ("NnlsL2nz"));
  json_object_set_object_member (config, "connection", conn);
  /* x < e gives 0, else m·(x − e), with m = 1: max(x − e, 0) exactly. */
  function = g_strdup_printf ("maximum(x - (%.17g), 0)", low);
  ensemble_array_output (nested_array (out, label, n_neurons, dimensions, config), label, dimensions, 1,
                         output, output ? function : NULL);
}

void
_spk_network_make_basal_ganglia (JsonArray     *out,
                                 const char    *prefix,
                                 SpkSubnetwork *net)
{
  static const struct { const char *name; double low; const char *output; } arrays[] = {
    { "strD1", W_E, "func_str" }, { "strD2", W_E, "func_str" }, { "stn", W_EP, "func_stn" },
    { "gpi", W_EG, "func_gpi" }, { "gpe", W_EE, "func_gpe" },
  };
  int d = int_param (net, "dimensions");
  int n = int_param (net, "n_neurons_per_ensemble");
  double input_bias = double_param (net, "input_bias");
  g_autofree char *input = g_strdup_printf ("%s.input", prefix);
  g_autofree char *output = g_strdup_printf ("%s.output", prefix);
  char *in[G_N_ELEMENTS (arrays)], *func[G_N_ELEMENTS (arrays)];

  for (gsize i = 0; i < G_N_ELEMENTS (arrays); i++)
    {
      g_autofree char *label = g_strdup_printf ("%s.%s", prefix, arrays[i].name);

      basal_ganglia_array (out, label, n, d, arrays[i].low, arrays[i].output);
      in[i] = g_strdup_printf ("%s.input", label);
      func[i] = g_strdup_printf ("%s.%s", label, arrays[i].output);
    }
  add_node (out, input, d);
  add_node (out, output, d);
  if (fabs (input_bias) > 0.0)
    {
      g_autofree char *bias = g_strdup_printf ("%s.bias_input", prefix);

      add_constant_node (out, bias, d, input_bias);
      add_connection (out, bias, input, NULL, NULL, NULL);
    }
  /* strD1, strD2, stn, gpi, gpe = 0 … 4 */
  add_connection (out, input, in[0], none (), scalar (W_WS * (1 + W_LG)), NULL);
  add_connection (out, input, in[1], none (), scalar (W_WS * (1 - W_LE)), NULL);
  add_connection (out, input, in[2], none (), scalar (W_WT), NULL);
  /* with gaba_config / with ampa_config: their synapse (a config that
   * sets none gets Lowpass(0.008) / Lowpass(0.002), the defaults here). */
  add_connection (out, func[0], in[3], json_param (net, "gaba_synapse"), scalar (-W_WM), NULL);
  add_connection (out, func[1], in[4], json_param (net, "gaba_synapse"), scalar (-W_WM), NULL);
  add_connection (out, func[2], in[3], json_param (net, "ampa_synapse"), filled (d, d, W_WP), NULL);
  add_connection (out, func[2], in[4], json_param (net, "ampa_synapse"), filled (d, d, W_WP), NULL);
  add_connection (out, func[4], in[3], json_param (net, "gaba_synapse"), scalar (-W_WE), NULL);
  add_connection (out, func[4], in[2], json_param (net, "gaba_synapse"), scalar (-W_WG), NULL);
  add_connection (out, func[3], output, none (), scalar (double_param (net, "output_weight")), NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (arrays); i++)
    {
      g_free (in[i]);
      g_free (func[i]);
    }
}

void
_spk_network_make_thalamus (JsonArray     *out,
                            const char    *prefix,
                            SpkSubnetwork *net)
{
  int d = int_param (net, "dimensions");
  double mutual_inhib = double_param (net, "mutual_inhib");
  g_autoptr (SpkArray) threshold = array_param (net, "threshold");
  g_autofree char *actions = g_strdup_printf ("%s.actions", prefix);
  g_autofree char *input = g_strdup_printf ("%s.input", actions);
  g_autofree char *output = g_strdup_printf ("%s.output", actions);
  g_autofree char *bias = g_strdup_printf ("%s.bias", prefix);
  JsonObject *config = ensemble_config ("intercepts", uniform (threshold->data[0], 1.0));

  json_object_set_object_member (json_object_get_object_member (config, "ensemble"), "encoders", choice_one ());
  nested_array (out, actions, int_param (net, "n_neurons_per_ensemble"), d, config);
  add_connection (out, output, input, NULL, matrix (d, d, at_off_diagonal, &mutual_inhib), NULL);
  add_constant_node (out, bias, 1, 1.0);
  add_connection (out, bias, input, NULL, filled (d, 1, 1.0), NULL);
}

/* }}} */
/* {{{ AssociativeMemory */

typedef struct
{
  const SpkArray *vectors;
  const SpkArray *scales;
} ScaledVectors;

/* input_vectors * input_scales.T: row i scaled by scale i. */
static double
at_scaled (int           i,
           int           j,
           gconstpointer data)
{
  const ScaledVectors *s = data;
  double scale = s->scales->ndim == 0 ? s->scales->data[0] : s->scales->data[i];

  return at_array (i, j, s->vectors) * scale;
}

/* output_vectors.T */
static double
at_transposed (int           i,
               int           j,
               gconstpointer data)
{
  return at_array (j, i, data);
}

/* np.array(vector, ndmin=2).T */
static double
at_column (int           i,
           int           j,
           gconstpointer data)
{
  return ((const SpkArray *) data)->data[i];
}

/* What Nengo's am_ens_config and default_ens_config give an ensemble. */
static void
am_ensemble_defaults (JsonObject *ens)
{
  JsonObject *exponential = typed ("Exponential");

  json_object_set_double_member (ens, "radius", 1.0);
  json_object_set_double_member (exponential, "scale", 0.15);
  json_object_set_double_member (exponential, "shift", 0.0);
  json_object_set_double_member (exponential, "high", 1.0);
  json_object_set_object_member (ens, "intercepts", exponential);
  json_object_set_object_member (ens, "encoders", choice_one ());
  json_object_set_object_member (ens, "eval_points", uniform (0.0, 1.0));
  json_object_set_int_member (ens, "n_eval_points", 5000);
}

/* thresh_ens_config, the Config context of add_threshold_to_outputs's
 * EnsembleArrays (transfer full). */
static JsonObject *
thresh_ens_config (void)
{
  JsonObject *config = ensemble_config ("intercepts", uniform (0.5, 1.0));
  JsonObject *ens = json_object_get_object_member (config, "ensemble");

  json_object_set_double_member (ens, "radius", 1.0);
  json_object_set_object_member (ens, "encoders", choice_one ());
  json_object_set_object_member (ens, "eval_points", uniform (0.75, 1.1));
  json_object_set_int_member (ens, "n_eval_points", 5000);
  return config;
}

typedef struct
{
  const char *prefix;
  const char *bias;
  const char *elem_input;
  const char *elem_output;
  const char *inhibit;      /* NULL unless inhibitable */
  int         n_items;
  /* With thresholded outputs, the connections Nengo makes from elem_output
   * and add_threshold_to_outputs reroutes from thresh_ens.output: they
   * are made after its own, default vectors' first, as Nengo remakes
   * them (out: those still to come, NULL without threshold). */
  JsonArray  *rerouted_defaults;
  JsonArray  *rerouted_outputs;
} AssocMem;

/* A connection from the utilities (elem_output, or thresh_ens.output once
 * thresholded) into post, kept for rerouting when there is a threshold. */
static void
from_utilities (AssocMem   *am,
                JsonArray  *out,
                JsonArray  *rerouted,
                const char *post,
                JsonNode   *synapse,
                JsonNode   *transform)
{
  if (rerouted != NULL)
    {
      g_autofree char *pre = g_strdup_printf ("%s.thresh_ens.output", am->prefix);

      add_connection (rerouted, pre, post, synapse, transform, NULL);
    }
  else
    add_connection (out, am->elem_output, post, synapse, transform, NULL);
}

/* add_input_mapping(name, input_vectors, input_scales) */
static void
am_input_mapping (AssocMem        *am,
                  JsonArray       *out,
                  const char      *name,
                  const SpkArray  *vectors,
                  const SpkArray  *scales)
{
  g_autofree char *node = g_strdup_printf ("%s.%s", am->prefix, name);
  ScaledVectors scaled = { vectors, scales };

  add_node (out, node, vectors->shape[1]);
  add_connection (out, node, am->elem_input, none (), matrix (am->n_items, vectors->shape[1], at_scaled, &scaled),
                  NULL);
}

/* add_output_mapping(name, output_vectors) */
static void
am_output_mapping (AssocMem       *am,
                   JsonArray      *out,
                   const char     *name,
                   const SpkArray *vectors)
{
  g_autofree char *node = g_strdup_printf ("%s.%s", am->prefix, name);

  add_node (out, node, vectors->shape[1]);
  from_utilities (am, out, am->rerouted_outputs, node, none (),
                  matrix (vectors->shape[1], am->n_items, at_transposed, vectors));
}

/* add_default_output_vector(output_vector, output_name, n_neurons,
 * min_activation_value): an ensemble driven by the bias and inhibited by
 * the utilities, into the output. */
static void
am_default_vector (AssocMem           *am,
                   JsonArray          *out,
                   const SpkAmDefault *item)
{
  g_autofree char *ens = g_strdup_printf ("%s.default_%s_vector", am->prefix, item->output_name);
  g_autofree char *output = g_strdup_printf ("%s.%s", am->prefix, item->output_name);

  am_ensemble_defaults (add_ensemble (out, ens, item->n_neurons, 1));
  add_connection (out, am->bias, ens, none (), NULL, NULL);
  /* Made in a Config of ensembles only: Nengo's default synapse. */
  from_utilities (am, out, am->rerouted_defaults, ens, NULL,
                  filled (1, am->n_items, -(1.0 / item->min_activation_value)));
  add_connection (out, ens, output, none (), matrix (item->vector->size, 1, at_column, item->vector), NULL);
  if (am->inhibit != NULL)
    add_connection (out, am->inhibit, ens, none (), scalar (-1.5), NULL);
}

/* add_threshold_to_outputs(n_neurons, inhibit_scale) */
static void
am_threshold (AssocMem    *am,
              JsonArray   *out,
              int          n_neurons,
              double       inhibit_scale)
{
  g_autofree char *bias_net = g_strdup_printf ("%s.thresh_bias", am->prefix);
  g_autofree char *ens_net = g_strdup_printf ("%s.thresh_ens", am->prefix);
  g_autofree char *bias_in = g_strdup_printf ("%s.input", bias_net);
  g_autofree char *bias_out = g_strdup_printf ("%s.output", bias_net);
  g_autofree char *ens_in = g_strdup_printf ("%s.input", ens_net);

  nested_array (out, bias_net, n_neurons, am->n_items, thresh_ens_config ());
  nested_array (out, ens_net, n_neurons, am->n_items, thresh_ens_config ());
  add_connection (out, am->bias, bias_in, none (), filled (am->n_items, 1, 1.0), NULL);
  add_connection (out, am->bias, ens_in, none (), filled (am->n_items, 1, 1.0), NULL);
  add_connection (out, am->elem_output, bias_in, NULL, scalar (-inhibit_scale), NULL);
  add_connection (out, bias_out, ens_in, NULL, scalar (-inhibit_scale), NULL);
  for (guint i = 0; i < json_array_get_length (am->rerouted_defaults); i++)
    json_array_add_element (out, json_array_dup_element (am->rerouted_defaults, i));
  for (guint i = 0; i < json_array_get_length (am->rerouted_outputs); i++)
    json_array_add_element (out, json_array_dup_element (am->rerouted_outputs, i));
  if (am->inhibit != NULL)
    for (int i = 0; i < am->n_items; i++)
      {
        g_autofree char *ens = g_strdup_printf ("%s.ea_ensembles[%d]", ens_net, i);

        add_connection (out, am->inhibit, ens, none (), scalar (-1.5), NULL);
      }
}

void
_spk_network_make_associative_memory (JsonArray     *out,
                                      const char    *prefix,
                                      SpkSubnetwork *net)
{
  g_autoptr (SpkArray) input_vectors = array_param (net, "input_vectors");
  g_autoptr (SpkArray) output_vectors = array_param (net, "output_vectors");
  g_autoptr (SpkArray) threshold = array_param (net, "threshold");
  g_autoptr (SpkArray) scales = array_param (net, "input_scales");
  g_autoptr (JsonArray) rerouted_defaults = json_array_new ();
  g_autoptr (JsonArray) rerouted_outputs = json_array_new ();
  int n_items = spk_array_rows (input_vectors);
  int n_neurons = int_param (net, "n_neurons");
  g_autofree char *bias = g_strdup_printf ("%s.bias_node", prefix);
  g_autofree char *elem_input = g_strdup_printf ("%s.elem_input", prefix);
  g_autofree char *elem_output = g_strdup_printf ("%s.elem_output", prefix);
  g_autofree char *inhibit = g_strdup_printf ("%s.inhibit", prefix);
  SpkAmAddons addons;
  AssocMem am = { prefix, bias, elem_input, elem_output, NULL, n_items, NULL, NULL };

  if (output_vectors == NULL)
    output_vectors = spk_array_ref (input_vectors);
  /* Checked with the other parameters before. */
  if (!_spk_am_addons_read (net, n_items, output_vectors->shape[1], &addons, prefix, NULL))
    g_return_if_reached ();
  if (addons.threshold)
    {
      am.rerouted_defaults = rerouted_defaults;
      am.rerouted_outputs = rerouted_outputs;
    }
  add_constant_node (out, bias, 1, 1.0);
  add_node (out, elem_input, n_items);
  add_node (out, elem_output, n_items);
  for (int i = 0; i < n_items; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s.am_ensembles[%d]", prefix, i);
      g_autofree char *in = g_strdup_printf ("%s[%d]", elem_input, i);
      g_autofree char *out_i = g_strdup_printf ("%s[%d]", elem_output, i);
      double t = threshold->ndim == 0 ? threshold->data[0] : threshold->data[i];

      /* The am_ens_config Config context: it wins over the network's, and
       * gives its connections synapse None. */
      am_ensemble_defaults (add_ensemble (out, label, n_neurons, 1));
      add_connection (out, bias, label, none (), scalar (-t), NULL);
      add_connection (out, in, label, none (), NULL, NULL);
      /* filtered_step(x, 0.0, scale=15) */
      add_connection (out, label, out_i, none (), NULL, "maximum(-1 / exp((x - 0.0) * 15) + 1, 0)");
    }
  if (bool_param (net, "inhibitable"))
    {
      am.inhibit = inhibit;
      add_node (out, inhibit, 1);
      add_connection (out, inhibit, elem_input, none (), filled (n_items, 1, -1.5), NULL);
    }
  am_input_mapping (&am, out, "input", input_vectors, scales);
  am_output_mapping (&am, out, "output", output_vectors);
  for (guint i = 0; i < addons.inputs->len; i++)
    {
      SpkAmMapping *mapping = g_ptr_array_index (addons.inputs, i);

      am_input_mapping (&am, out, mapping->name, mapping->vectors, mapping->scales);
    }
  for (guint i = 0; i < addons.outputs->len; i++)
    {
      SpkAmMapping *mapping = g_ptr_array_index (addons.outputs, i);

      am_output_mapping (&am, out, mapping->name, mapping->vectors);
    }
  for (guint i = 0; i < addons.defaults->len; i++)
    am_default_vector (&am, out, g_ptr_array_index (addons.defaults, i));
  /* add_wta_network(inhibit_scale, inhibit_synapse) */
  if (addons.wta)
    add_connection (out, elem_output, elem_input, json_node_copy (addons.wta_synapse),
                    matrix (n_items, n_items, at_off_diagonal, &addons.wta_inhibit_scale), NULL);
  if (addons.threshold)
    am_threshold (&am, out, addons.threshold_n_neurons, addons.threshold_inhibit_scale);
  _spk_am_addons_clear (&addons);
}

/* }}} */
