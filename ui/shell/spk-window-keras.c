/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-keras.c — opening a Keras model (.h5, .keras): a dialog with
 * NengoDL Converter's options (which neurons replace relu, scale firing
 * rates, synapse, max-to-average pooling, inference only, fallback), then
 * the converted network with the file's weights, unsaved and untitled by
 * file (Save asks where to write the session).  The conversion itself is
 * the engine's (engine/io/spk-keras.h): the file is checked in a child
 * process first, as sessions are. */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

#include <glib/gi18n.h>

#include "io/spk-image-set.h"
#include "io/spk-keras.h"
#include "io/spk-session.h"
#include "model/spk-node.h"

/* The neuron types offered for relu, in the drop-down's order. */
static const char *const relu_types[] = { "RectifiedLinear", "SpikingRectifiedLinear", "LIF", NULL };

/* A 28 × 28 × 1 (784-value) input Node shows the test images of the data
 * set the examples use (Fashion-MNIST when installed), 0.1 s each, so that
 * the converted classifier has something to classify when Play is
 * pressed. */
static void
present_images (SpkNetwork *network)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkArray *value;

      if (SPK_IS_NODE (object) && (value = spk_node_get_output_value (SPK_NODE (object))) && value->size == 784)
        {
          g_autoptr (SpkProcess) images = spk_process_new (SPK_PROCESS_PRESENT_INPUT);

          images->dataset = g_strdup (spk_image_set_default_name ());
          images->presentation_time = 0.1;
          spk_node_set_output_process (SPK_NODE (object), images);
        }
    }
}

static gboolean
open_keras (SpkWindow             *self,
            GFile                 *file,
            const SpkKerasOptions *options,
            gboolean               images,
            GError               **error)
{
  g_autofree char *path = NULL;
  g_autoptr (SpkSession) session = NULL;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!(path = _spk_window_local_path (file, error))
      || !(session = spk_keras_convert_file (path, options, error)))
    return FALSE;
  if (images)
    present_images (spk_session_get_network (session));
  _spk_window_show_converted (self, session);
  return TRUE;
}

gboolean
spk_window_open_keras (SpkWindow             *self,
                       GFile                 *file,
                       const SpkKerasOptions *options,
                       GError               **error)
{
  return open_keras (self, file, options, FALSE, error);
}

gboolean
_spk_window_is_keras_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;

  return lower != NULL && (g_str_has_suffix (lower, ".h5") || g_str_has_suffix (lower, ".keras")
                           || g_str_has_suffix (lower, ".hdf5"));
}

/* The options as the dialog's controls set them. */
static void
read_options (GtkWidget       *grid,
              SpkKerasOptions *options)
{
  GtkWidget *relu = g_object_get_data (G_OBJECT (grid), "relu");
  GtkWidget *scale = g_object_get_data (G_OBJECT (grid), "scale");
  GtkWidget *synapse = g_object_get_data (G_OBJECT (grid), "synapse");
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (relu));
  double tau = gtk_spin_button_get_value (GTK_SPIN_BUTTON (synapse));

  spk_keras_options_init (options);
  if (selected > 0 && selected < G_N_ELEMENTS (relu_types) - 1)
    {
      g_autofree char *swap = g_strconcat ("relu=", relu_types[selected], NULL);

      spk_keras_options_add_swap (options, swap, NULL);
    }
  options->scale_firing_rates = gtk_spin_button_get_value (GTK_SPIN_BUTTON (scale));
  options->synapse = tau > 0 ? tau : -1;
  options->max_to_avg_pool = gtk_check_button_get_active (g_object_get_data (G_OBJECT (grid), "max-to-avg-pool"));
  options->inference_only = gtk_check_button_get_active (g_object_get_data (G_OBJECT (grid), "inference-only"));
  options->allow_fallback = gtk_check_button_get_active (g_object_get_data (G_OBJECT (grid), "allow-fallback"));
}

static void
keras_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   SpkWindow        *self)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");
  g_autoptr (GError) error = NULL;
  SpkKerasOptions options;

  if (!g_str_equal (response, "convert"))
    return;
  read_options (adw_message_dialog_get_extra_child (dialog), &options);
  if (!open_keras (self, file, &options,
                   gtk_check_button_get_active (g_object_get_data (G_OBJECT (adw_message_dialog_get_extra_child (dialog)),
                                                                   "images")),
                   &error))
    _spk_window_show_error (self, _("Could not convert the Keras model"), error);
  spk_keras_options_clear (&options);
}

static GtkWidget *
add_row (GtkGrid    *grid,
         int         row,
         const char *text,
         GtkWidget  *control,
         const char *key)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, control, 1, row, 1, 1);
  gtk_widget_set_name (control, key);
  g_object_set_data (G_OBJECT (grid), key, control);
  return control;
}

static GtkWidget *
add_check (GtkGrid    *grid,
           int         row,
           const char *text,
           gboolean    active,
           const char *key)
{
  GtkWidget *check = gtk_check_button_new_with_mnemonic (text);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  gtk_grid_attach (grid, check, 0, row, 2, 1);
  gtk_widget_set_name (check, key);
  g_object_set_data (G_OBJECT (grid), key, check);
  return check;
}

GtkWidget *
_spk_window_ask_keras (SpkWindow *self,
                       GFile     *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *body = g_strdup_printf (_("“%s” becomes a Spikeworks network: its layers with their trained "
                                             "weights, and neurons for its activations, as NengoDL’s Converter makes it."),
                                           name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Convert a Keras Model"), body);
  GtkWidget *grid = gtk_grid_new ();
  const char *relu_names[] = { _("RectifiedLinear (rates)"), _("SpikingRectifiedLinear (spikes)"),
                               _("LIF (spikes)"), NULL };
  GtkWidget *scale = gtk_spin_button_new_with_range (0.001, 100000, 1);
  GtkWidget *synapse = gtk_spin_button_new_with_range (0, 1, 0.001);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  add_row (GTK_GRID (grid), 0, _("_Neurons for relu"), gtk_drop_down_new_from_strings (relu_names), "relu");
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (scale), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (scale), 1);
  add_row (GTK_GRID (grid), 1, _("_Scale firing rates"), scale, "scale");
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (synapse), 3);
  add_row (GTK_GRID (grid), 2, _("S_ynapse (s, 0: none)"), synapse, "synapse");
  add_check (GTK_GRID (grid), 3, _("_Max pooling as average pooling"), FALSE, "max-to-avg-pool");
  add_check (GTK_GRID (grid), 4, _("_Inference only: fold batch normalisation, drop dropout"), FALSE, "inference-only");
  add_check (GTK_GRID (grid), 5, _("_Allow non-spiking fallback layers"), TRUE, "allow-fallback");
  add_check (GTK_GRID (grid), 6, _("_Present test images on a 28 × 28 input"), TRUE, "images");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "convert", _("C_onvert"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "convert", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "convert");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (keras_response_cb), self, 0);
  _spk_window_present_dialog (self, dialog);
  return dialog;
}
