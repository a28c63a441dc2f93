/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-hdf5-array.h — a numeric dataset of another tool's HDF5 file (Keras
 * weights, NIR parameters) read whole as doubles, every size checked
 * against the file before anything is allocated. */
#pragma once

#include <glib.h>
#include <hdf5.h>

G_BEGIN_DECLS

/* Reads dset (any id: a negative one counts as damaged) of at most four
 * dimensions into a new array *values (row-major) of *size values.
 * integers: integer datasets are read too, not only floating point.
 * Errors are SPK_IO_ERROR, reading "prefix: problem". */
gboolean spk_hdf5_read_doubles (hid_t        dset,
                                guint64      file_size,
                                gboolean     integers,
                                const char  *prefix,
                                guint       *rank,
                                gsize        dims[4],
                                gsize       *size,
                                double     **values,
                                GError     **error);

/* "16 × 11", or "()" for rank 0. */
char    *spk_describe_dims     (guint        rank,
                                const gsize *dims);

G_END_DECLS
