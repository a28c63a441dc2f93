/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-idx.c — the IDX reader.  zlib's gzread reads gzip and raw files
 * alike, so one path serves both; the whole file is read, then checked
 * against its header before a single value is converted. */
#define G_LOG_DOMAIN "spk-idx"

#include "io/spk-idx.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/spk-error.h"

/* The bytes the file will give: a gzip file's trailer says its size
 * (modulo 2^32), capped at 64 times the compressed size as a damaged one
 * may claim anything; only a hint for the first allocation. */
static guint
size_hint (const char *path)
{
  FILE *f = g_fopen (path, "rb");
  guint8 head[2] = { 0 }, tail[4] = { 0 };
  long size = 0;
  guint64 hint = 0;

  if (f == NULL)
    return 0;
  if (fread (head, 1, 2, f) == 2 && fseek (f, 0, SEEK_END) == 0 && (size = ftell (f)) > 0)
    {
      hint = (guint64) size;
      if (head[0] == 0x1f && head[1] == 0x8b && size >= 4 && fseek (f, -4, SEEK_END) == 0
          && fread (tail, 1, 4, f) == 4)
        hint = MIN ((guint64) tail[0] | (guint64) tail[1] << 8 | (guint64) tail[2] << 16 | (guint64) tail[3] << 24,
                    64 * (guint64) size);
    }
  fclose (f);
  return (guint) MIN (hint, G_MAXUINT / 2);
}

static GByteArray *
read_all (const char  *path,
          GError     **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_sized_new (size_hint (path));
  gzFile f = gzopen (path, "rb");
  guint8 buf[65536];
  int got;

  if (f == NULL)
    {
      int saved = errno;

      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("cannot open '%s': %s"), path,
                   g_strerror (saved));
      return NULL;
    }
  while ((got = gzread (f, buf, sizeof buf)) > 0)
    g_byte_array_append (bytes, buf, (guint) got);
  if (got < 0)
    {
      int code;
      const char *msg = gzerror (f, &code);

      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("'%s' is damaged: %s"), path, msg);
      gzclose (f);
      return NULL;
    }
  gzclose (f);
  return g_steal_pointer (&bytes);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* count values of IDX element type type (big-endian) from p as floats;
 * one loop per type, so the bytes' loop vectorises. */
static void
convert (const guint8 *restrict p,
         guint8                 type,
         gsize                  count,
         float *restrict        out)
{
  switch (type)
    {
    case 0x08:
      for (gsize i = 0; i < count; i++)
        out[i] = p[i];
      break;
    case 0x09:
      for (gsize i = 0; i < count; i++)
        out[i] = (gint8) p[i];
      break;
    case 0x0B:
      for (gsize i = 0; i < count; i++)
        out[i] = (gint16) (p[2 * i] << 8 | p[2 * i + 1]);
      break;
    case 0x0C:
      for (gsize i = 0; i < count; i++)
        out[i] = (float) (gint32) be32 (p + 4 * i);
      break;
    case 0x0D:
      for (gsize i = 0; i < count; i++)
        {
          guint32 bits = be32 (p + 4 * i);

          memcpy (out + i, &bits, sizeof bits);
        }
      break;
    default:
      for (gsize i = 0; i < count; i++)
        {
          guint64 bits = (guint64) be32 (p + 8 * i) << 32 | be32 (p + 8 * i + 4);
          double v;

          memcpy (&v, &bits, sizeof v);
          out[i] = (float) v;
        }
      break;
    }
}

float *
spk_idx_load (const char  *path,
              guint       *ndim,
              gsize        dims[SPK_IDX_MAX_DIMS],
              GError     **error)
{
  g_autoptr (GByteArray) bytes = NULL;
  const guint8 *p;
  gsize elem, count = 1, header;
  guint nd;
  float *out;

  g_return_val_if_fail (path != NULL && ndim != NULL && dims != NULL, NULL);
  if (!(bytes = read_all (path, error)))
    return NULL;
  p = bytes->data;
  if (bytes->len < 4 || p[0] != 0 || p[1] != 0)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("'%s' is not an IDX file (its magic number is wrong)"), path);
      return NULL;
    }
  switch (p[2])
    {
    case 0x08: case 0x09: elem = 1; break;
    case 0x0B: elem = 2; break;
    case 0x0C: case 0x0D: elem = 4; break;
    case 0x0E: elem = 8; break;
    default:
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("'%s': unknown IDX element type 0x%02x"), path, p[2]);
      return NULL;
    }
  nd = p[3];
  if (nd < 1 || nd > SPK_IDX_MAX_DIMS)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("'%s' has %u dimensions; 1 to %d are supported"), path, nd, SPK_IDX_MAX_DIMS);
      return NULL;
    }
  header = 4 + 4 * (gsize) nd;
  if (bytes->len < header)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("'%s' is truncated inside its header"), path);
      return NULL;
    }
  for (guint d = 0; d < nd; d++)
    {
      dims[d] = be32 (p + 4 + 4 * d);
      count *= dims[d];
    }
  if (bytes->len - header != count * elem)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE,
                   bytes->len - header < count * elem
                   ? _("'%s' is truncated: %zu bytes of data, but its header needs %zu")
                   : _("'%s' has trailing bytes: %zu bytes of data, but its header needs %zu"),
                   path, (gsize) (bytes->len - header), count * elem);
      return NULL;
    }
  out = g_try_new (float, MAX (count, 1));
  if (out == NULL)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("'%s': not enough memory for %zu values"),
                   path, count);
      return NULL;
    }
  convert (p + header, p[2], count, out);
  *ndim = nd;
  return out;
}

gboolean
spk_idx_load_fashion_mnist (const char  *dir,
                            const char  *split,
                            float      **images,
                            float      **labels,
                            guint       *n,
                            GError     **error)
{
  g_autofree char *img_path = NULL, *lab_path = NULL;
  g_autofree float *img = NULL, *lab = NULL;
  gsize idims[SPK_IDX_MAX_DIMS], ldims[SPK_IDX_MAX_DIMS];
  guint ind, lnd;

  if (g_strcmp0 (split, "train") != 0 && g_strcmp0 (split, "t10k") != 0)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                   _("Fashion-MNIST has the splits 'train' and 't10k', not '%s'"), split);
      return FALSE;
    }
  /* SPIKEWORKS_FASHION_MNIST_DIR points at a copy elsewhere (and lets the
   * tests see the message of a machine without the package). */
  if (dir == NULL)
    dir = g_getenv ("SPIKEWORKS_FASHION_MNIST_DIR");
  dir = dir ? dir : SPK_FASHION_MNIST_DIR;
  img_path = g_strdup_printf ("%s/%s-images-idx3-ubyte.gz", dir, split);
  lab_path = g_strdup_printf ("%s/%s-labels-idx1-ubyte.gz", dir, split);
  if (!g_file_test (img_path, G_FILE_TEST_EXISTS) || !g_file_test (lab_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE,
                   _("Fashion-MNIST is not installed: '%s' is missing (install the Debian "
                     "package dataset-fashion-mnist)"),
                   g_file_test (img_path, G_FILE_TEST_EXISTS) ? lab_path : img_path);
      return FALSE;
    }
  if (!(img = spk_idx_load (img_path, &ind, idims, error))
      || !(lab = spk_idx_load (lab_path, &lnd, ldims, error)))
    return FALSE;
  if (ind != 3 || idims[1] != 28 || idims[2] != 28 || lnd != 1 || ldims[0] != idims[0])
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("'%s' and '%s' are not Fashion-MNIST images (n × 28 × 28) and labels (n)"),
                   img_path, lab_path);
      return FALSE;
    }
  *images = g_steal_pointer (&img);
  *labels = g_steal_pointer (&lab);
  *n = (guint) idims[0];
  return TRUE;
}
