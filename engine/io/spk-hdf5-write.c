/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-hdf5-write.c — an HDF5 file written whole or not at all. */
#include "io/spk-hdf5-write.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "io/spk-hdf5-check.h"

gboolean
spk_hdf5_write_atomic (const char       *path,
                       SpkHdf5WriteFunc  write,
                       gpointer          data,
                       int              *saved_errno)
{
  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  gboolean ok = FALSE;
  hid_t file;
  int fd;

  *saved_errno = 0;
  if ((fd = g_mkstemp (tmp)) < 0)
    {
      *saved_errno = errno;
      return FALSE;
    }
  close (fd);
  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  file = H5Fcreate (tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file >= 0)
    {
      ok = write (file, data);
      ok = H5Fclose (file) >= 0 && ok;
    }
  G_UNLOCK (spk_hdf5);
  if (ok && g_rename (tmp, path) != 0)
    {
      *saved_errno = errno;
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  return ok;
}
