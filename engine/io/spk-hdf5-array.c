/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-hdf5-array.c — see spk-hdf5-array.h.  Callers hold spk_hdf5. */
#include "spk-hdf5-array.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

/* Deflate shrinks data at most about 1032 times (as spk-session-read.c):
 * a dataset claiming more than that over its stored bytes lies. */
#define MAX_COMPRESSION 1100

static gboolean
fail (GError    **error,
      SpkIoError  code,
      const char *prefix,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError    **error,
      SpkIoError  code,
      const char *prefix,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (error, SPK_IO_ERROR, code, prefix, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
read_checked (hid_t        dset,
              hid_t        type,
              hid_t        space,
              guint64      file_size,
              gboolean     integers,
              const char  *prefix,
              guint       *rank_out,
              gsize        dims_out[4],
              gsize       *size_out,
              double     **values,
              GError     **error)
{
  hsize_t dims[4] = { 0 };
  guint64 size = 1, bytes;
  hsize_t storage;
  int rank = -1;
  H5T_class_t class;

  if (dset < 0 || type < 0 || space < 0 || (rank = H5Sget_simple_extent_ndims (space)) < 0)
    return fail (error, SPK_IO_ERROR_PARSE, prefix, _("cannot be read (the file is damaged or truncated)"));
  class = H5Tget_class (type);
  if (class != H5T_FLOAT && !(integers && class == H5T_INTEGER))
    return fail (error, SPK_IO_ERROR_FORMAT, prefix,
                 integers ? _("expected numbers") : _("expected floating-point values"));
  if (rank > 4)
    return fail (error, SPK_IO_ERROR_FORMAT, prefix, _("expected at most 4 dimensions, found %d"), rank);
  if (H5Sget_simple_extent_dims (space, dims, NULL) < 0)
    return fail (error, SPK_IO_ERROR_PARSE, prefix, _("cannot be read (the file is damaged or truncated)"));
  for (int i = 0; i < rank; i++)
    {
      dims_out[i] = dims[i];
      size = dims[i] != 0 && size > G_MAXUINT64 / dims[i] ? G_MAXUINT64 : size * dims[i];
    }
  *rank_out = (guint) rank;
  bytes = size > G_MAXUINT64 / 8 ? G_MAXUINT64 : size * H5Tget_size (type);
  storage = H5Dget_storage_size (dset);
  /* A scalar or tiny array may be stored in the object header. */
  if (storage > file_size || bytes / MAX_COMPRESSION > storage + (64 << 10) / MAX_COMPRESSION
      || size > G_MAXSIZE / 16)
    return fail (error, SPK_IO_ERROR_VALUE, prefix, _("declares more data than the file holds"));
  if (!(*values = g_try_new (double, MAX (size, 1))))
    return fail (error, SPK_IO_ERROR_VALUE, prefix, _("not enough memory for %" PRIu64 " values"), size);
  if (size > 0 && H5Dread (dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *values) < 0)
    return fail (error, SPK_IO_ERROR_PARSE, prefix, _("cannot be read (the file is damaged or truncated)"));
  for (guint64 i = 0; i < size; i++)
    if (!isfinite ((*values)[i]))
      return fail (error, SPK_IO_ERROR_VALUE, prefix, _("holds a value that is NaN or infinite"));
  *size_out = size;
  return TRUE;
}

gboolean
spk_hdf5_read_doubles (hid_t        dset,
                       guint64      file_size,
                       gboolean     integers,
                       const char  *prefix,
                       guint       *rank,
                       gsize        dims[4],
                       gsize       *size,
                       double     **values,
                       GError     **error)
{
  hid_t type = dset >= 0 ? H5Dget_type (dset) : H5I_INVALID_HID;
  hid_t space = dset >= 0 ? H5Dget_space (dset) : H5I_INVALID_HID;
  gboolean ok;

  *values = NULL;
  ok = read_checked (dset, type, space, file_size, integers, prefix, rank, dims, size, values, error);
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  if (!ok)
    g_clear_pointer (values, g_free);
  return ok;
}

char *
spk_describe_dims (guint        rank,
                   const gsize *dims)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rank; i++)
    g_string_append_printf (text, "%s%" G_GSIZE_FORMAT, i ? " × " : "", dims[i]);
  if (rank == 0)
    g_string_append (text, "()");
  return g_string_free (text, FALSE);
}
