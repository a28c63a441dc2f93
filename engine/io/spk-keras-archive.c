/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-keras-archive.c — a Keras 3 `.keras` archive, as keras/src/saving/
 * saving_lib.py writes it: a zip (read with libarchive) of config.json
 * (the model's JSON) and model.weights.h5, where each layer's variables
 * are the datasets layers/<name>/vars/0, 1, … — <name> being the layer's
 * class in snake_case, numbered _1, _2… for the second, third… layer of a
 * class, in the order of the model's layers — in the order Keras 2 lists
 * them (kernel, bias; gamma, beta, moving mean and variance).
 *
 * The archive is untrusted: entry sizes are bounded before anything is
 * read, the weights file is written to a private temporary file and read
 * in a checked child process first, like any HDF5 file from outside. */
#define G_LOG_DOMAIN "spk-keras"

#include "spk-keras-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "core/spk-error.h"
#include "io/spk-hdf5-check.h"

/* A model's JSON is a few kilobytes per layer. */
#define MAX_CONFIG_BYTES (64u << 20)

static gboolean
archive_fail (GError    **error,
              const char *display,
              const char *message)
{
  g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT, "%s: %s", display, message);
  return FALSE;
}

/* Reads the entry the archive is at into out (config) or fd (weights),
 * at most max bytes. */
static gboolean
read_entry (struct archive *a,
            gint64          max,
            GByteArray     *out,
            int             fd,
            const char     *display,
            GError        **error)
{
  char buf[65536];
  gint64 total = 0;
  la_ssize_t n;

  while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
    {
      total += n;
      if (total > max)
        return archive_fail (error, display, _("an entry of the archive is larger than the archive could hold"));
      if (out)
        g_byte_array_append (out, (const guint8 *) buf, (guint) n);
      else if (write (fd, buf, (size_t) n) != n)
        {
          int saved = errno;

          g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE, "%s: %s", display, g_strerror (saved));
          return FALSE;
        }
    }
  if (n < 0)
    return archive_fail (error, display, _("the archive is damaged or truncated"));
  return TRUE;
}

/* Keras's naming.to_snake_case: "BatchNormalization" → "batch_normalization",
 * "Conv2D" → "conv2d", "ReLU" → "re_lu". */
static char *
snake_case (const char *name)
{
  GString *first = g_string_new (NULL), *out = g_string_new (NULL);
  gsize n = strlen (name);

  /* (.)([A-Z][a-z]+) → \1_\2 */
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && g_ascii_isupper (name[i]) && i + 1 < n && g_ascii_islower (name[i + 1]))
        g_string_append_c (first, '_');
      g_string_append_c (first, name[i]);
    }
  /* ([a-z])([A-Z]) → \1_\2, then lower case. */
  for (gsize i = 0; i < first->len; i++)
    {
      if (i > 0 && g_ascii_islower (first->str[i - 1]) && g_ascii_isupper (first->str[i]))
        g_string_append_c (out, '_');
      g_string_append_c (out, g_ascii_tolower (first->str[i]));
    }
  g_string_free (first, TRUE);
  return g_string_free (out, FALSE);
}

SpkKerasModel *
_spk_keras_read_archive (const char  *path,
                         GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr (GByteArray) config = g_byte_array_new ();
  g_autofree char *weights_path = NULL;
  g_autoptr (SpkKerasModel) model = NULL;
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  struct stat st;
  gboolean have_config = FALSE, have_weights = FALSE, ok = TRUE;
  gint64 max_entry;
  int fd = -1, status;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("could not open the Keras model '%s': %s"),
                   display, g_strerror (saved));
      archive_read_free (a);
      return NULL;
    }
  /* Deflate shrinks at most about 1032 times. */
  max_entry = MIN ((gint64) st.st_size * 1100 + 4096, G_MAXINT64 / 2);
  archive_read_support_format_zip (a);
  archive_read_support_filter_none (a);
  if (archive_read_open_filename (a, path, 65536) != ARCHIVE_OK)
    {
      archive_read_free (a);
      archive_fail (error, display, _("not a zip archive, so not a Keras 3 model"));
      return NULL;
    }
  while (ok && (status = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (g_strcmp0 (name, "config.json") == 0 && !have_config)
        {
          ok = read_entry (a, MIN (max_entry, MAX_CONFIG_BYTES), config, -1, display, error);
          have_config = TRUE;
        }
      else if (g_strcmp0 (name, "model.weights.h5") == 0 && !have_weights)
        {
          fd = g_file_open_tmp ("spikeworks-keras-XXXXXX.h5", &weights_path, error);
          ok = fd >= 0 && read_entry (a, max_entry, NULL, fd, display, error);
          if (fd >= 0)
            close (fd);
          have_weights = TRUE;
        }
    }
  if (ok && status != ARCHIVE_EOF && status != ARCHIVE_OK)
    ok = archive_fail (error, display, _("the archive is damaged or truncated"));
  archive_read_free (a);
  if (ok && !have_config)
    ok = archive_fail (error, display, _("not a Keras 3 model: the archive has no config.json"));
  if (ok && !have_weights)
    ok = archive_fail (error, display, _("not a Keras 3 model: the archive has no model.weights.h5"));
  if (ok)
    {
      g_byte_array_append (config, (const guint8 *) "", 1);
      if (!g_utf8_validate ((const char *) config->data, -1, NULL))
        ok = archive_fail (error, display, _("config.json is not valid UTF-8"));
    }
  if (ok)
    {
      model = _spk_keras_model_new (path);
      ok = _spk_keras_parse_config (model, (const char *) config->data, error);
    }
  if (ok)
    {
      GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);

      /* The weights' group of each layer, as saving_lib names them. */
      for (guint i = 0; i < model->layers->len; i++)
        {
          SpkKerasLayer *layer = g_ptr_array_index (model->layers, i);
          char *snake = snake_case (layer->class_name);
          guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (counts, snake));

          g_ptr_array_add (groups, seen ? g_strdup_printf ("layers/%s_%u/vars", snake, seen)
                                        : g_strdup_printf ("layers/%s/vars", snake));
          g_hash_table_replace (counts, snake, GUINT_TO_POINTER (seen + 1));
        }
      g_hash_table_unref (counts);
      /* The weights file is as untrusted as the archive it came in. */
      g_autoptr (GError) local = NULL;

      if (!spk_hdf5_check_file (weights_path, &local))
        ok = archive_fail (error, display, _("model.weights.h5 is damaged (the HDF5 library crashed or "
                                              "did not finish reading it)"));
      else
        ok = _spk_keras_read_vars (model, weights_path, (const char *const *) groups->pdata, error);
    }
  if (weights_path)
    g_unlink (weights_path);
  if (!ok)
    return NULL;
  return g_steal_pointer (&model);
}
