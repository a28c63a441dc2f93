/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-nir.c — opening a NIR graph (.nir, or any HDF5 file that
 * holds one): the converted network, with the file's weights, unsaved and
 * untitled by file (Save asks where to write the session).  The conversion
 * is the engine's (engine/io/spk-nir.h): the file is checked in a child
 * process first, as sessions are.  NIR's own step (0.1 ms) and exact
 * integration are used; `spikeworks-cli convert` offers the others. */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

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
