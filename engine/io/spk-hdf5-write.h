/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-hdf5-write.h — writing an HDF5 file so that a reader never sees half
 * of it: into a temporary file beside it, renamed over it only when every
 * write and the close succeeded. */
#pragma once

#include <glib.h>
#include <hdf5.h>

G_BEGIN_DECLS

/* Fills the newly created file; FALSE when something could not be written. */
typedef gboolean (*SpkHdf5WriteFunc) (hid_t    file,
                                      gpointer data);

/* Creates path's temporary twin, lets write fill it (with the spk_hdf5
 * lock held and libhdf5's error printing off) and renames it over path.
 * On failure nothing is left behind and *saved_errno holds the system's
 * reason, or 0 when libhdf5 or write failed; the caller words the error. */
gboolean spk_hdf5_write_atomic (const char       *path,
                                SpkHdf5WriteFunc  write,
                                gpointer          data,
                                int              *saved_errno);

G_END_DECLS
