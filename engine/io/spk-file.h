/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-file.h — writing a whole output file safely. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes length bytes of data as the file at path.  A regular file (or a
 * new one) is replaced atomically (g_file_set_contents: a temporary file
 * renamed over it).  Anything else that exists there — a terminal, a
 * pipe, /dev/stdout, /dev/full — is written in place, never replaced, and
 * every write and the close are checked.  A directory is refused.  The
 * error (G_FILE_ERROR) names the path. */
gboolean spk_file_write_all (const char  *path,
                             const char  *data,
                             gsize        length,
                             GError     **error);

/* FALSE with an error naming path when something other than a regular
 * file exists there: formats that write through a library (HDF5) and
 * rename a temporary file over the path must not replace a device. */
gboolean spk_file_check_replaceable (const char  *path,
                                     GError     **error);

G_END_DECLS
