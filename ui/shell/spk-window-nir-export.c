/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-nir-export.c — the main menu's Export as NIR Graph…: the
 * window's model, built with the parameters every build takes (a session's
 * or a converted file's, the trained ones), written as a NIR graph
 * (engine/io/spk-nir-write.h, docs/nir.md).  The file dialog offers the
 * export's one choice, approximating LIF neurons NIR cannot represent
 * exactly; a refusal shows its message, which names the object, and a
 * toast says how many objects were replaced or approximated. */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

#include <glib/gi18n.h>

#include "builder/spk-plan.h"
#include "io/spk-nir-write.h"

gboolean
spk_window_export_nir (SpkWindow  *self,
                       GFile      *file,
                       gboolean    approximate,
                       guint      *n_notes,
                       GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  SpkNirExportOptions options;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->network != NULL, FALSE);

  if (!(path = g_file_get_path (file)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be saved"));
      return FALSE;
    }
  spk_nir_export_options_init (&options);
  options.approximate = approximate;
  if (!(plan = spk_build_with_params (self->network, self->params, error))
      || !spk_nir_export_full (self->network, plan, path, &options, notes, error))
    return FALSE;
  for (guint i = 0; i < notes->len; i++)
    g_message ("%s", (const char *) g_ptr_array_index (notes, i));
  if (n_notes)
    *n_notes = notes->len;
  return TRUE;
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    SpkWindow       *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    {
      g_autofree char *name = g_file_get_basename (file);
      gboolean approximate = g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "approximate"),
                                        "true") == 0;
      guint n_notes = 0;

      /* Give the file its extension, so it opens as what it is. */
      if (!g_str_has_suffix (name, ".nir"))
        {
          g_autofree char *with = g_strconcat (name, ".nir", NULL);
          g_autoptr (GFile) parent = g_file_get_parent (file);

          g_set_object (&file, g_file_get_child (parent, with));
        }
      if (!spk_window_export_nir (self, file, approximate, &n_notes, &error))
        _spk_window_show_error (self, _("Could not export the NIR graph"), error);
      else
        {
          g_autofree char *message = NULL;

          if (n_notes == 0)
            message = g_strdup_printf (_("Exported to “%s”"), g_file_peek_path (file));
          else
            message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "Exported to “%s”, %u object replaced or approximated",
                                                    "Exported to “%s”, %u objects replaced or approximated",
                                                    n_notes),
                                       g_file_peek_path (file), n_notes);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
        }
    }
  g_object_unref (self);
  g_object_unref (chooser);
}

void
_spk_window_export_nir_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  const char *label = self->network ? spk_network_get_label (self->network) : NULL;
  g_autofree char *name = NULL;

  if (self->network == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export as NIR Graph"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("NIR Graphs (.nir)"));
  gtk_file_filter_add_pattern (filter, "*.nir");
  gtk_file_filter_add_mime_type (filter, "application/x-nir");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "approximate",
                               _("Approximate LIF neurons (no refractory period, voltage floor or random start)"),
                               NULL, NULL);
  /* Translators: the file name offered for a model without a label */
  name = g_strconcat (label && *label ? label : _("model"), ".nir", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
