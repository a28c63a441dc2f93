/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-hdf5-check.c — the child-process check of untrusted HDF5 files.
 *
 * Damaged sessions (one flipped byte is enough) crash or hang Debian's
 * libhdf5 1.10 inside its own code — variable-length strings read through
 * the global heap, attribute lookups — where no check of ours can reach.
 * So a file from outside is first read in a forked child: every object
 * H5Ovisit reaches, every attribute and every dataset whose size is sane
 * is read exactly as the loaders read them.  If the child crashes, is
 * killed by its memory limit or runs past the time limit, the file is
 * refused with a message; only a file the child read to the end is then
 * opened in-process.
 *
 * The fork happens while holding spk_hdf5, so the child's copy of the
 * library is never caught half way through another thread's call.  The
 * child leaves by _exit(): it must not run the parent's atexit handlers
 * or flush its stdio buffers. */
#define G_LOG_DOMAIN "spk-io"

#include "io/spk-hdf5-check.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <hdf5.h>

#include "core/spk-error.h"

G_LOCK_DEFINE (spk_hdf5);

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

void
spk_hdf5_init (void)
{
  static gboolean done = FALSE;

  if (!done)
    {
      H5dont_atexit ();
      H5open ();
      done = TRUE;
    }
}

typedef struct
{
  hsize_t max_bytes;   /* the most one attribute or dataset may need read */
} Walk;

/* Reads npoints values of type ftype through `read` (H5Aread or H5Dread
 * of obj), when they fit in the walk's limit. */
static void
read_values (Walk    *w,
             hid_t    obj,
             gboolean attribute,
             hid_t    ftype,
             hid_t    space)
{
  hid_t mtype = H5Tget_native_type (ftype, H5T_DIR_DEFAULT);
  hssize_t npoints = H5Sget_simple_extent_npoints (space);
  size_t size = mtype >= 0 ? H5Tget_size (mtype) : 0;
  gpointer buf;

  if (mtype < 0 || npoints < 0 || size == 0 || (hsize_t) npoints > w->max_bytes / size)
    {
      if (mtype >= 0)
        H5Tclose (mtype);
      return;
    }
  buf = g_try_malloc0 (MAX ((gsize) npoints * size, 1));
  if (buf != NULL)
    {
      herr_t status = attribute ? H5Aread (obj, mtype, buf)
                                : H5Dread (obj, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);

      if (status >= 0 && (H5Tis_variable_str (mtype) > 0 || H5Tdetect_class (mtype, H5T_VLEN) > 0))
        H5Dvlen_reclaim (mtype, space, H5P_DEFAULT, buf);
      g_free (buf);
    }
  H5Tclose (mtype);
}

static herr_t
visit_attribute (hid_t             location,
                 const char       *name,
                 const H5A_info_t *info,
                 void             *data)
{
  hid_t attr = H5Aopen (location, name, H5P_DEFAULT);
  hid_t type, space;

  if (attr < 0)
    return 0;
  type = H5Aget_type (attr);
  space = H5Aget_space (attr);
  if (type >= 0 && space >= 0)
    read_values (data, attr, TRUE, type, space);
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  H5Aclose (attr);
  return 0;
}

static herr_t
visit_object (hid_t             root,
              const char       *name,
              const H5O_info_t *info,
              void             *data)
{
  hid_t obj = H5Oopen (root, name, H5P_DEFAULT);

  if (obj < 0)
    return 0;
  H5Aiterate2 (obj, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, visit_attribute, data);
  if (info->type == H5O_TYPE_DATASET)
    {
      hid_t type = H5Dget_type (obj), space = H5Dget_space (obj);

      if (type >= 0 && space >= 0)
        read_values (data, obj, FALSE, type, space);
      if (space >= 0)
        H5Sclose (space);
      if (type >= 0)
        H5Tclose (type);
    }
  H5Oclose (obj);
  return 0;
}

G_GNUC_NORETURN static void
child_main (const char *path,
            gsize       file_size)
{
  Walk w = { 0 };
  hid_t file;

  /* A bomb (a tiny file declaring gigabytes) is the loader's to refuse;
   * here nothing is read that is much larger than the file. */
  w.max_bytes = MAX ((hsize_t) file_size * 16, 16 << 20);
#ifndef UNDER_ASAN
  {
    /* AddressSanitizer reserves terabytes of address space up front. */
    struct rlimit limit = { 1ul << 32, 1ul << 32 };

    setrlimit (RLIMIT_AS, &limit);
  }
#endif
  /* A crash here is the expected way to refuse a file: the process that
   * embeds us (Python's faulthandler, a crash reporter) must not report
   * it from the child as its own. */
  {
    const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

    for (gsize i = 0; i < G_N_ELEMENTS (fatal); i++)
      signal (fatal[i], SIG_DFL);
  }
  /* Quiet: the parent reports, in its own words. */
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file >= 0)
    {
      H5Ovisit2 (file, H5_INDEX_NAME, H5_ITER_NATIVE, visit_object, &w, H5O_INFO_BASIC);
      H5Fclose (file);
    }
  _exit (0);
}

static guint
time_limit (void)
{
  const char *text = g_getenv ("SPK_HDF5_CHECK_SECONDS");
  guint64 seconds;

  if (text && g_ascii_string_to_unsigned (text, 10, 1, 3600, &seconds, NULL))
    return (guint) seconds;
  return SPK_HDF5_CHECK_SECONDS;
}

gboolean
spk_hdf5_check_file (const char  *path,
                     GError     **error)
{
  g_autofree char *display = NULL;
  struct stat st;
  gint64 deadline;
  guint seconds = time_limit ();
  int status = 0;
  pid_t pid, done;

  g_return_val_if_fail (path != NULL, FALSE);

  /* A file that cannot be opened is the loader's to report. */
  if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return TRUE;

  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  pid = fork ();
  if (pid == 0)
    child_main (path, (gsize) st.st_size);
  G_UNLOCK (spk_hdf5);
  if (pid < 0)
    {
      int saved = errno;

      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("could not check '%s' before opening it: %s"), path, g_strerror (saved));
      return FALSE;
    }

  deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  while ((done = waitpid (pid, &status, WNOHANG)) == 0 || (done < 0 && errno == EINTR))
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
            ;
          display = g_filename_display_name (path);
          g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                       _("%s: the file is damaged (the HDF5 library did not finish reading it in %u s)"),
                       display, seconds);
          return FALSE;
        }
      g_usleep (2000);
    }
  if (done == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return TRUE;
  display = g_filename_display_name (path);
  if (done == pid && WIFSIGNALED (status))
    g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                 _("%s: the file is damaged (the HDF5 library crashed reading it: %s)"),
                 display, g_strsignal (WTERMSIG (status)));
  else
    g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                 _("%s: the file is damaged (the HDF5 library failed reading it)"), display);
  return FALSE;
}
