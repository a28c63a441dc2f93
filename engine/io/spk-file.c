/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-file.c — whole output files written safely.  A rename over the
 * target keeps a crash from leaving half a file, but a rename over a
 * device would replace the device with a regular file (a process with
 * the rights to /dev would silently "succeed" at writing to /dev/full),
 * so what is not a regular file is written in place with every write and
 * the close checked. */
#define G_LOG_DOMAIN "spk-io"

#include "io/spk-file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

static gboolean
set_errno_error (GError     **error,
                 int          saved,
                 const char  *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
               _("could not write '%s': %s"), path, g_strerror (saved));
  return FALSE;
}

gboolean
spk_file_check_replaceable (const char  *path,
                            GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return TRUE;
  g_set_error (error, G_FILE_ERROR, S_ISDIR (st.st_mode) ? G_FILE_ERROR_ISDIR : G_FILE_ERROR_INVAL,
               _("could not write '%s': it is not a regular file"), path);
  return FALSE;
}

static gboolean
write_in_place (const char  *path,
                const char  *data,
                gsize        length,
                GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_TRUNC, 0);

  if (fd < 0)
    return set_errno_error (error, errno, path);
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : ENOSPC;

          close (fd);
          return set_errno_error (error, saved, path);
        }
      data += n;
      length -= (gsize) n;
    }
  if (close (fd) != 0)
    return set_errno_error (error, errno, path);
  return TRUE;
}

gboolean
spk_file_write_all (const char  *path,
                    const char  *data,
                    gsize        length,
                    GError     **error)
{
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      if (S_ISDIR (st.st_mode))
        return spk_file_check_replaceable (path, error);
      return write_in_place (path, data, length, error);
    }
  return g_file_set_contents (path, data, (gssize) length, error);
}
