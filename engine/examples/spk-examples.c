/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-examples.c — the built-in example networks.  Each is built through
 * the public model API, exactly as a user's script would build it. */
#define G_LOG_DOMAIN "spk-examples"

#include "spk-examples.h"

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "io/spk-image-set.h"
#include "nef/spk-solver.h"

static const SpkExampleInfo examples[] = {
  { "rate-vs-spiking", N_("A 1 Hz sine into 10 rectified-linear and 10 spiking rectified-linear neurons") },
  { "nef-sin-x-squared", N_("White noise x through two ensembles computing x² then sin(x²)") },
  { "communication-channel", N_("A sine passed from one ensemble of 100 LIF neurons to another") },
  { "learn-communication-channel", N_("PES learns to pass a 2-D signal between two ensembles; the stop_learning slider inhibits the error") },
  { "integrator", N_("A recurrent ensemble integrating a piecewise-constant input") },
  { "oscillator", N_("A 2-D recurrent ensemble that oscillates after a kick") },
  { "product", N_("Two inputs multiplied by a 2-D ensemble and a decoded function") },
  { "autoencoder", N_("784-64-784 rectified-linear autoencoder with Glorot weights, for training") },
  { "spiking-fashion-mnist", N_("Convolutional layers feeding LIF neurons: a Fashion-MNIST classifier trained through rates, run with spikes") },
  { "spiking-classifier", N_("A small image classifier: a dense layer into 64 LIF neurons, then ten class scores; trained through rates, run with spikes") },
  { "relu-fashion-mnist", N_("A small Fashion-MNIST CNN of rectified-linear neurons: trained through rates, exported to Keras and converted back with spikes") },
  { NULL, NULL },
};

const SpkExampleInfo *
spk_examples_list (void)
{
  return examples;
}

/* Small builders so each example reads like its Nengo script. */

static SpkNetwork *
network_new (const char *label,
             gint64      seed)
{
  SpkNetwork *net = spk_network_new ();

  spk_network_set_label (net, label);
  spk_network_set_seed (net, seed);
  return net;
}

static void
add (SpkNetwork *net,
     gpointer    object)
{
  g_autoptr (GError) error = NULL;

  /* Example labels are unique by construction. */
  if (!spk_network_add (net, SPK_OBJECT (object), &error))
    g_error ("%s", error->message);
  g_object_unref (object);
}

static SpkNode *
node_expr (SpkNetwork *net,
           const char *label,
           const char *expr)
{
  SpkNode *node = spk_node_new ();

  spk_object_set_label (SPK_OBJECT (node), label);
  spk_node_set_output_expr (node, expr);
  add (net, node);
  return node;
}

static SpkNode *
node_process (SpkNetwork *net,
              const char *label,
              SpkProcess *process)
{
  SpkNode *node = spk_node_new ();

  spk_object_set_label (SPK_OBJECT (node), label);
  spk_node_set_output_process (node, process);
  spk_process_unref (process);
  add (net, node);
  return node;
}

static SpkProcess *
piecewise (const double *times,
           const double *values,
           gsize         n,
           gsize         width)
{
  SpkProcess *process = spk_process_new (SPK_PROCESS_PIECEWISE);

  process->times = spk_array_new_vector (times, n);
  process->values = spk_array_new_matrix (values, n, width);
  return process;
}

static SpkEnsemble *
ensemble (SpkNetwork   *net,
          const char   *label,
          int           n_neurons,
          int           dimensions,
          SpkNeuronKind kind)
{
  SpkEnsemble *ens = spk_ensemble_new ();
  g_autoptr (SpkNeuronType) type = spk_neuron_type_new (kind);

  spk_object_set_label (SPK_OBJECT (ens), label);
  spk_ensemble_set_n_neurons (ens, n_neurons);
  spk_ensemble_set_dimensions (ens, dimensions);
  spk_ensemble_set_neuron_type (ens, type);
  add (net, ens);
  return ens;
}

static SpkConnection *
connect_objects (SpkNetwork *net,
         gpointer    pre,
         gpointer    post)
{
  SpkConnection *conn = spk_connection_new ();

  spk_connection_set_pre (conn, SPK_OBJECT (pre));
  spk_connection_set_post (conn, SPK_OBJECT (post));
  add (net, conn);
  return conn;
}

static void
set_synapse (SpkConnection *conn,
             double         tau)
{
  g_autoptr (SpkSynapse) synapse = tau >= 0 ? spk_synapse_new_lowpass (tau) : NULL;

  spk_connection_set_synapse (conn, synapse);
}

static void
set_transform (SpkConnection *conn,
               SpkDistribution *dist)
{
  spk_connection_set_transform (conn, dist);
  spk_distribution_unref (dist);
}

static SpkProbe *
probe (SpkNetwork *net,
       const char *label,
       gpointer    target,
       gboolean    neurons,
       double      synapse)
{
  SpkProbe *p = spk_probe_new ();
  g_autoptr (SpkSynapse) syn = synapse > 0 ? spk_synapse_new_lowpass (synapse) : NULL;

  spk_object_set_label (SPK_OBJECT (p), label);
  spk_probe_set_target (p, SPK_OBJECT (target));
  spk_probe_set_target_neurons (p, neurons);
  spk_probe_set_synapse (p, syn);
  add (net, p);
  return p;
}

static SpkNetwork *
rate_vs_spiking (void)
{
  SpkNetwork *net = network_new ("rate-vs-spiking", 0);
  SpkNode *input = node_expr (net, "input", "sin(2*pi*t)");
  SpkEnsemble *rate = ensemble (net, "rate", 10, 1, SPK_NEURON_RECTIFIED_LINEAR);
  SpkEnsemble *spiking = ensemble (net, "spiking", 10, 1, SPK_NEURON_SPIKING_RECTIFIED_LINEAR);

  spk_object_set_seed (SPK_OBJECT (rate), 2);
  spk_object_set_seed (SPK_OBJECT (spiking), 2);
  connect_objects (net, input, rate);
  connect_objects (net, input, spiking);
  probe (net, "input_value", input, FALSE, 0);
  probe (net, "rate_activity", rate, TRUE, 0);
  probe (net, "spiking_activity", spiking, TRUE, 0);
  return net;
}

static SpkNetwork *
nef_sin_x_squared (void)
{
  SpkNetwork *net = network_new ("nef-sin-x-squared", 0);
  SpkProcess *white = spk_process_new (SPK_PROCESS_WHITE_SIGNAL);
  SpkNode *input, *output;
  SpkEnsemble *x, *x2;

  white->period = 1.0;
  white->high = 5.0;
  white->rms = 0.3;
  input = node_process (net, "input", white);
  x = ensemble (net, "x", 50, 1, SPK_NEURON_LIF);
  x2 = ensemble (net, "x_squared", 50, 1, SPK_NEURON_LIF);
  output = spk_node_new ();
  spk_object_set_label (SPK_OBJECT (output), "output");
  spk_node_set_size_in (output, 1);
  add (net, output);
  connect_objects (net, input, x);
  spk_connection_set_function (connect_objects (net, x, x2), "x**2");
  spk_connection_set_function (connect_objects (net, x2, output), "sin(x)");
  probe (net, "input_value", input, FALSE, 0);
  probe (net, "output_value", output, FALSE, 0.005);
  return net;
}

static SpkNetwork *
communication_channel (void)
{
  SpkNetwork *net = network_new ("communication-channel", 0);
  SpkNode *input = node_expr (net, "input", "sin(2*pi*t)");
  SpkEnsemble *a = ensemble (net, "a", 100, 1, SPK_NEURON_LIF);
  SpkEnsemble *b = ensemble (net, "b", 100, 1, SPK_NEURON_LIF);

  connect_objects (net, input, a);
  connect_objects (net, a, b);
  probe (net, "input_value", input, FALSE, 0);
  probe (net, "a_value", a, FALSE, 0.01);
  probe (net, "b_value", b, FALSE, 0.01);
  return net;
}

/* Nengo's learn_communication_channel: the connection starts out
 * computing zero and PES, driven by error = post − pre, teaches it to pass
 * the signal on.  stop_learning (a slider in the workbench) silences the
 * error ensemble's neurons, and with them the learning. */
static SpkNetwork *
learn_communication_channel (void)
{
  SpkNetwork *net = network_new ("learn-communication-channel", 0);
  SpkProcess *white = spk_process_new (SPK_PROCESS_WHITE_SIGNAL);
  SpkNode *input, *stop;
  SpkEnsemble *pre, *post, *error;
  SpkConnection *learned, *inhibit;
  g_autoptr (SpkLearningRuleType) pes = spk_learning_rule_type_new (SPK_LEARNING_PES);
  g_autoptr (SpkArray) weights = spk_array_new (2, 60, 1);
  g_autoptr (SpkArray) zero = spk_array_new_vector ((double[]) { 0 }, 1);

  white->period = 60.0;
  white->high = 5.0;
  input = node_process (net, "input", white);
  spk_node_set_size_out (input, 2);
  pre = ensemble (net, "pre", 60, 2, SPK_NEURON_LIF);
  post = ensemble (net, "post", 60, 2, SPK_NEURON_LIF);
  error = ensemble (net, "error", 60, 2, SPK_NEURON_LIF);
  connect_objects (net, input, pre);
  learned = connect_objects (net, pre, post);
  spk_object_set_label (SPK_OBJECT (learned), "learned");
  spk_connection_set_function (learned, "x*0");
  spk_connection_set_learning_rule_type (learned, pes);
  /* error = actual − target = post − pre, into the rule. */
  connect_objects (net, post, error);
  set_transform (connect_objects (net, pre, error), spk_distribution_new_scalar (-1.0));
  connect_objects (net, error, learned);

  stop = spk_node_new ();
  spk_object_set_label (SPK_OBJECT (stop), "stop_learning");
  spk_node_set_output_value (stop, zero);
  add (net, stop);
  for (guint i = 0; i < 60; i++)
    weights->data[i] = -20.0;
  inhibit = connect_objects (net, stop, error);
  spk_connection_set_post_neurons (inhibit, TRUE);
  set_transform (inhibit, spk_distribution_new_array (weights));

  probe (net, "input_value", input, FALSE, 0);
  probe (net, "pre_value", pre, FALSE, 0.01);
  probe (net, "post_value", post, FALSE, 0.01);
  probe (net, "error_value", error, FALSE, 0.03);
  return net;
}

static SpkNetwork *
integrator (void)
{
  static const double times[] = { 0, 0.2, 1, 2, 3, 4, 5 };
  static const double values[] = { 0, 1, 0, -2, 0, 1, 0 };
  const double tau = 0.1;
  SpkNetwork *net = network_new ("integrator", 0);
  SpkNode *input = node_process (net, "input", piecewise (times, values, 7, 1));
  SpkEnsemble *a = ensemble (net, "integral", 100, 1, SPK_NEURON_LIF);
  SpkConnection *feed, *recurrent;

  /* x' = u: feed u scaled by tau, and feed x back through the same tau. */
  recurrent = connect_objects (net, a, a);
  set_synapse (recurrent, tau);
  feed = connect_objects (net, input, a);
  set_synapse (feed, tau);
  set_transform (feed, spk_distribution_new_scalar (tau));
  probe (net, "input_value", input, FALSE, 0);
  probe (net, "integral_value", a, FALSE, 0.01);
  return net;
}

static SpkNetwork *
oscillator (void)
{
  static const double times[] = { 0, 0.1 };
  static const double kick[] = { 1, 0, 0, 0 };
  static const double rotation[] = { 1, 1, -1, 1 };
  SpkNetwork *net = network_new ("oscillator", 0);
  SpkNode *input = node_process (net, "kick", piecewise (times, kick, 2, 2));
  SpkEnsemble *osc = ensemble (net, "oscillator", 200, 2, SPK_NEURON_LIF);
  g_autoptr (SpkArray) matrix = spk_array_new_matrix (rotation, 2, 2);
  SpkConnection *recurrent;

  connect_objects (net, input, osc);
  /* With a 0.1 s synapse, [[1, 1], [-1, 1]] turns at 1/0.1 = 10 rad/s. */
  recurrent = connect_objects (net, osc, osc);
  set_synapse (recurrent, 0.1);
  set_transform (recurrent, spk_distribution_new_array (matrix));
  probe (net, "kick_value", input, FALSE, 0);
  probe (net, "oscillator_value", osc, FALSE, 0.01);
  return net;
}

static SpkNetwork *
product (void)
{
  static const double corners[] = { 1, 1, -1, 1, 1, -1, -1, -1 };
  SpkNetwork *net = network_new ("product", 0);
  SpkNode *a = node_expr (net, "a", "0.8*sin(2*pi*t)");
  SpkNode *b = node_expr (net, "b", "0.8*cos(pi*t)");
  SpkEnsemble *combined = ensemble (net, "combined", 200, 2, SPK_NEURON_LIF);
  SpkEnsemble *prod = ensemble (net, "product", 100, 1, SPK_NEURON_LIF);
  g_autoptr (SpkArray) options = spk_array_new_matrix (corners, 4, 2);
  g_autoptr (SpkDistribution) encoders = spk_distribution_new_choice (options, NULL);
  g_autoptr (SpkSlice) first = spk_slice_parse ("0", NULL);
  g_autoptr (SpkSlice) second = spk_slice_parse ("1", NULL);

  /* Encoders on the diagonals represent the product's inputs best. */
  spk_ensemble_set_radius (combined, 1.5);
  spk_ensemble_set_encoders (combined, encoders);
  spk_connection_set_post_slice (connect_objects (net, a, combined), first);
  spk_connection_set_post_slice (connect_objects (net, b, combined), second);
  spk_connection_set_function (connect_objects (net, combined, prod), "x[0]*x[1]");
  probe (net, "a_value", a, FALSE, 0);
  probe (net, "b_value", b, FALSE, 0);
  probe (net, "product_value", prod, FALSE, 0.01);
  return net;
}

/* The Node "input" of the image networks: Nengo's PresentInput over the
 * test images of Fashion-MNIST (or the generated stand-ins where it is
 * not installed), each shown for presentation_time seconds.  Training
 * and predict feed it their own images instead. */
static SpkNode *
image_input (SpkNetwork *net,
             double      presentation_time)
{
  SpkNode *input = spk_node_new ();
  g_autoptr (SpkProcess) images = spk_process_new (SPK_PROCESS_PRESENT_INPUT);

  images->dataset = g_strdup (spk_image_set_default_name ());
  images->presentation_time = presentation_time;
  spk_object_set_label (SPK_OBJECT (input), "input");
  spk_node_set_output_process (input, images);
  add (net, input);
  return input;
}

static SpkNetwork *
autoencoder (void)
{
  SpkNetwork *net = network_new ("autoencoder", 0);
  SpkNode *input = image_input (net, 0.1);
  SpkEnsemble *hidden, *output;
  g_autofree double *zeros = g_new0 (double, 784);
  g_autofree double *ones = g_new (double, 784);
  SpkConnection *encode, *decode;

  hidden = ensemble (net, "hidden", 64, 1, SPK_NEURON_RECTIFIED_LINEAR);
  output = ensemble (net, "output", 784, 1, SPK_NEURON_RECTIFIED_LINEAR);

  /* Gain 1 and bias 0: the neurons compute max(0, W·x) exactly. */
  for (guint i = 0; i < 784; i++)
    ones[i] = 1.0;
  {
    g_autoptr (SpkArray) g64 = spk_array_new_vector (ones, 64);
    g_autoptr (SpkArray) b64 = spk_array_new_vector (zeros, 64);
    g_autoptr (SpkArray) g784 = spk_array_new_vector (ones, 784);
    g_autoptr (SpkArray) b784 = spk_array_new_vector (zeros, 784);

    spk_ensemble_set_gain (hidden, g64);
    spk_ensemble_set_bias (hidden, b64);
    spk_ensemble_set_gain (output, g784);
    spk_ensemble_set_bias (output, b784);
  }
  encode = connect_objects (net, input, hidden);
  spk_connection_set_post_neurons (encode, TRUE);
  set_synapse (encode, -1);
  set_transform (encode, spk_distribution_new_glorot (1.0, FALSE));
  decode = connect_objects (net, hidden, output);
  spk_connection_set_pre_neurons (decode, TRUE);
  spk_connection_set_post_neurons (decode, TRUE);
  set_synapse (decode, -1);
  set_transform (decode, spk_distribution_new_glorot (1.0, FALSE));
  probe (net, "output_activity", output, TRUE, 0);
  /* After the training target (fit's default is the first probe). */
  probe (net, "input_image", input, FALSE, 0);
  return net;
}

/* A Keras layer of the classifier, fed from pre without a synapse; its
 * connection passes values through unchanged and does not train. */
static SpkLayer *
layer_after (SpkNetwork   *net,
             const char   *label,
             SpkLayerType  type,
             gpointer      pre,
             guint         h,
             guint         w,
             guint         c)
{
  SpkLayer *layer = spk_layer_new (type);
  SpkConnection *conn;

  spk_object_set_label (SPK_OBJECT (layer), label);
  spk_layer_set_shape (layer, h, w, c);
  add (net, layer);
  conn = connect_objects (net, pre, layer);
  spk_connection_set_pre_neurons (conn, SPK_IS_ENSEMBLE (pre));
  set_synapse (conn, -1);
  spk_object_set_trainable (SPK_OBJECT (conn), FALSE);
  return layer;
}

/* layer's values straight into ens's neurons, one to one, unfiltered and
 * fixed: what a Keras activation after a layer is. */
static void
feed_neurons (SpkNetwork  *net,
              SpkLayer    *layer,
              SpkEnsemble *ens)
{
  SpkConnection *conn = connect_objects (net, layer, ens);

  spk_connection_set_post_neurons (conn, TRUE);
  set_synapse (conn, -1);
  spk_object_set_trainable (SPK_OBJECT (conn), FALSE);
}

/* NengoDL's nengo_dl.Layer(neuron_type): one LIF neuron per value of
 * layer, driven straight into its current (max rate 100 Hz at 1,
 * threshold at 0), spikes of amplitude 0.01 so a neuron firing at 100 Hz
 * outputs about 1. */
static SpkEnsemble *
lif_after (SpkNetwork *net,
           const char *label,
           SpkLayer   *layer,
           guint       n)
{
  SpkEnsemble *ens = ensemble (net, label, (int) n, 1, SPK_NEURON_LIF);
  g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);
  const double hundred = 100.0, nought = 0.0;
  g_autoptr (SpkArray) rate = spk_array_new_vector (&hundred, 1), zero = spk_array_new_vector (&nought, 1);
  g_autoptr (SpkDistribution) max_rates = spk_distribution_new_choice (rate, NULL);
  g_autoptr (SpkDistribution) intercepts = spk_distribution_new_choice (zero, NULL);

  lif->amplitude = 0.01;
  spk_ensemble_set_neuron_type (ens, lif);
  spk_ensemble_set_max_rates (ens, max_rates);
  spk_ensemble_set_intercepts (ens, intercepts);
  feed_neurons (net, layer, ens);
  return ens;
}

/* NengoDL's spiking MNIST tutorial on Fashion-MNIST: three Conv2D layers
 * (32, 64 and 128 filters of 3 × 3, the last two with stride 2) each
 * into LIF neurons, then Dense 10.  Trained through rates with one step
 * on "output" (sparse categorical cross-entropy); run with spikes for
 * 30 steps, "output_filtered" (synapse 0.1 s) gives the class. */
static SpkNetwork *
spiking_fashion_mnist (void)
{
  SpkNetwork *net = network_new ("spiking-fashion-mnist", 0);
  SpkNode *input = image_input (net, 0.1);
  SpkLayer *conv0, *conv1, *conv2, *dense;
  SpkEnsemble *lif0, *lif1, *lif2;

  conv0 = layer_after (net, "conv0", SPK_LAYER_CONV2D, input, 28, 28, 1);
  g_object_set (conv0, "filters", 32, NULL);
  lif0 = lif_after (net, "lif0", conv0, 26 * 26 * 32);
  conv1 = layer_after (net, "conv1", SPK_LAYER_CONV2D, lif0, 26, 26, 32);
  g_object_set (conv1, "filters", 64, "strides", 2, NULL);
  lif1 = lif_after (net, "lif1", conv1, 12 * 12 * 64);
  conv2 = layer_after (net, "conv2", SPK_LAYER_CONV2D, lif1, 12, 12, 64);
  g_object_set (conv2, "filters", 128, "strides", 2, NULL);
  lif2 = lif_after (net, "lif2", conv2, 5 * 5 * 128);
  dense = layer_after (net, "dense", SPK_LAYER_DENSE, lif2, 5 * 5 * 128, 0, 0);
  g_object_set (dense, "units", 10, NULL);
  probe (net, "output", dense, FALSE, 0);
  probe (net, "output_filtered", dense, FALSE, 0.1);
  probe (net, "input_image", input, FALSE, 0);
  return net;
}

/* The classifier of the lesson "From rates to spikes", small enough to
 * train in seconds: the images (Fashion-MNIST when installed) through a
 * Dense layer into 64 LIF neurons (as in spiking_fashion_mnist), then
 * Dense 10.  "output" is the training target (sparse-ce on the class);
 * run with spikes, "output_filtered" (synapse 20 ms) gives the answer at
 * each image's last step. */
static SpkNetwork *
spiking_classifier (void)
{
  SpkNetwork *net = network_new ("spiking-classifier", 0);
  SpkNode *input = image_input (net, 0.1);
  SpkLayer *hidden, *output;
  SpkEnsemble *neurons;

  hidden = layer_after (net, "hidden", SPK_LAYER_DENSE, input, 784, 0, 0);
  g_object_set (hidden, "units", 64, NULL);
  neurons = lif_after (net, "neurons", hidden, 64);
  output = layer_after (net, "output", SPK_LAYER_DENSE, neurons, 64, 0, 0);
  g_object_set (output, "units", 10, NULL);
  probe (net, "output_value", output, FALSE, 0);
  probe (net, "output_filtered", output, FALSE, 0.02);
  probe (net, "input_image", input, FALSE, 0);
  return net;
}

/* One rectified-linear neuron per value of layer, gain 1 and no bias: a
 * Keras relu, which export-keras writes as an Activation layer.  Not
 * trainable, so that training leaves the biases at 0, as Keras's are. */
static SpkEnsemble *
relu_after (SpkNetwork *net,
            const char *label,
            SpkLayer   *layer,
            guint       n)
{
  SpkEnsemble *ens = ensemble (net, label, (int) n, 1, SPK_NEURON_RECTIFIED_LINEAR);
  g_autofree double *ones = g_new (double, n);
  g_autofree double *zeros = g_new0 (double, n);
  g_autoptr (SpkArray) gain = NULL, bias = NULL;

  for (guint i = 0; i < n; i++)
    ones[i] = 1.0;
  gain = spk_array_new_vector (ones, n);
  bias = spk_array_new_vector (zeros, n);
  spk_ensemble_set_gain (ens, gain);
  spk_ensemble_set_bias (ens, bias);
  spk_object_set_trainable (SPK_OBJECT (ens), FALSE);
  feed_neurons (net, layer, ens);
  return ens;
}

/* The network of docs/converter.md: what a Keras user would train, built
 * and trained here instead — Conv2D 8 (3 × 3) → relu → Conv2D 16 (3 × 3,
 * strides 2) → relu → AveragePooling2D 2 → Dense 10.  "output" is the
 * training target (sparse-ce); `spikeworks-cli export-keras` writes it as
 * a Keras model and `convert --swap relu=SpikingRectifiedLinear` brings it
 * back spiking. */
static SpkNetwork *
relu_fashion_mnist (void)
{
  SpkNetwork *net = network_new ("relu-fashion-mnist", 0);
  SpkNode *input = image_input (net, 0.1);
  SpkLayer *conv0, *conv1, *pool, *dense;
  SpkEnsemble *relu0, *relu1;

  conv0 = layer_after (net, "conv0", SPK_LAYER_CONV2D, input, 28, 28, 1);
  g_object_set (conv0, "filters", 8, NULL);
  relu0 = relu_after (net, "relu0", conv0, 26 * 26 * 8);
  conv1 = layer_after (net, "conv1", SPK_LAYER_CONV2D, relu0, 26, 26, 8);
  g_object_set (conv1, "filters", 16, "strides", 2, NULL);
  relu1 = relu_after (net, "relu1", conv1, 12 * 12 * 16);
  pool = layer_after (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, relu1, 12, 12, 16);
  g_object_set (pool, "kernel-size", 2, "strides", 2, NULL);
  dense = layer_after (net, "dense", SPK_LAYER_DENSE, pool, 6 * 6 * 16, 0, 0);
  g_object_set (dense, "units", 10, NULL);
  probe (net, "output", dense, FALSE, 0);
  probe (net, "input_image", input, FALSE, 0);
  return net;
}

SpkNetwork *
spk_example_new (const char  *name,
                 GError     **error)
{
  static const struct { const char *name; SpkNetwork *(*make) (void); } makers[] = {
    { "rate-vs-spiking", rate_vs_spiking },
    { "nef-sin-x-squared", nef_sin_x_squared },
    { "communication-channel", communication_channel },
    { "learn-communication-channel", learn_communication_channel },
    { "integrator", integrator },
    { "oscillator", oscillator },
    { "product", product },
    { "autoencoder", autoencoder },
    { "spiking-fashion-mnist", spiking_fashion_mnist },
    { "spiking-classifier", spiking_classifier },
    { "relu-fashion-mnist", relu_fashion_mnist },
  };
  g_autoptr (GString) known = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (makers); i++)
    {
      if (g_strcmp0 (name, makers[i].name) == 0)
        return makers[i].make ();
      g_string_append_printf (known, "%s%s", i ? ", " : "", makers[i].name);
    }
  g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_LABEL,
               _("there is no example '%s'; the examples are %s"), name, known->str);
  return NULL;
}
