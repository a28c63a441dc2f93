/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-nir.c — opening a NIR graph (.nir, or any HDF5 file that
 * holds one): a dialog asks for the time step (NIR's files carry none: the
 * NIR paper's 0.1 ms by default, as `spikeworks-cli convert`; a Sinabs
 * network needs 1 s per step) and the stepping (exact, or forward Euler as
 * snnTorch and Norse train), remembered per file while the application
 * runs; then the converted network, with the file's weights, unsaved and
 * untitled by file (Save asks where to write the session).  The conversion
 * is the engine's (engine/io/spk-nir.h): the file is checked in a child
 * process first, as sessions are. */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

#include <math.h>

#include <glib/gi18n.h>

#include "io/spk-hdf5-check.h"
#include "io/spk-nir.h"
#include "io/spk-session.h"

gboolean
_spk_window_is_nir_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;
  g_autofree char *path = g_file_get_path (file);

  if (lower != NULL && g_str_has_suffix (lower, ".nir"))
    return TRUE;
  /* An HDF5 file named otherwise: its content tells. */
  if (path == NULL || lower == NULL || !(g_str_has_suffix (lower, ".h5") || g_str_has_suffix (lower, ".hdf5")))
    return FALSE;
  return spk_hdf5_check_file (path, NULL) && spk_nir_file_is_nir (path);
}

gboolean
spk_window_open_nir (SpkWindow           *self,
                     GFile               *file,
                     const SpkNirOptions *options,
                     GError             **error)
{
  g_autofree char *path = NULL;
  g_autoptr (SpkSession) session = NULL;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!(path = _spk_window_local_path (file, error))
      || !(session = spk_nir_convert_file (path, options, error)))
    return FALSE;
  _spk_window_show_converted (self, session);
  return TRUE;
}

/* The options last chosen for each file (its path), while the application
 * runs: opening it again offers them. */
static GHashTable *
remembered_options (void)
{
  static GHashTable *options;

  if (options == NULL)
    options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return options;
}

static void
nir_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 SpkWindow        *self)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");
  GtkWidget *grid = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *step = g_object_get_data (G_OBJECT (grid), "dt");
  GtkWidget *euler = g_object_get_data (G_OBJECT (grid), "euler");
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  SpkNirOptions options;

  if (!g_str_equal (response, "open"))
    return;
  spk_nir_options_init (&options);
  /* The spin button shows milliseconds. */
  options.dt = gtk_spin_button_get_value (GTK_SPIN_BUTTON (step)) * 1e-3;
  options.integration = gtk_check_button_get_active (GTK_CHECK_BUTTON (euler)) ? SPK_NIR_EULER : SPK_NIR_EXACT;
  if (path != NULL)
    g_hash_table_replace (remembered_options (), g_strdup (path), g_memdup2 (&options, sizeof options));
  if (!spk_window_open_nir (self, file, &options, &error))
    _spk_window_show_error (self, _("Could not open the NIR graph"), error);
}

GtkWidget *
_spk_window_ask_nir (SpkWindow *self,
                     GFile     *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *body = g_strdup_printf (_("“%s” becomes a Spikeworks network that steps the graph’s equations. "
                                             "A NIR graph does not say its time step: 0.1 ms is the NIR paper’s and "
                                             "snnTorch’s; a Sinabs network adds its input once per step, so open it "
                                             "with 1000 ms."), name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Open a NIR Graph"), body);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Time step (ms)"));
  GtkWidget *step = gtk_spin_button_new_with_range (0.001, 1000000, 0.1);
  GtkWidget *euler = gtk_check_button_new_with_mnemonic (_("Step the neurons by forward _Euler, as snnTorch and "
                                                           "Norse train them"));
  const SpkNirOptions *last = path ? g_hash_table_lookup (remembered_options (), path) : NULL;
  SpkNirOptions options;

  spk_nir_options_init (&options);
  if (last != NULL)
    options = *last;
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), step);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (step), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (step), options.dt * 1e3);
  gtk_widget_set_hexpand (step, TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (euler), options.integration == SPK_NIR_EULER);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), step, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), euler, 0, 1, 2, 1);
  gtk_widget_set_name (step, "dt");
  gtk_widget_set_name (euler, "euler");
  g_object_set_data (G_OBJECT (grid), "dt", step);
  g_object_set_data (G_OBJECT (grid), "euler", euler);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "open", _("_Open"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (nir_response_cb), self, 0);
  _spk_window_present_dialog (self, dialog);
  return dialog;
}
