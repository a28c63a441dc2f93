/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-png.c — greyscale PNG writing with zlib: the signature, an IHDR
 * chunk (8-bit grey, no interlace), one IDAT chunk holding the
 * zlib-compressed scanlines (each led by filter byte 0, "none") and IEND;
 * every chunk closes with the CRC-32 of its type and data (PNG 1.2 §5). */
#define G_LOG_DOMAIN "spk-io"

#include "io/spk-png.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "core/spk-error.h"

/* Wide enough for any grid a person looks at; keeps sizes in 32 bits. */
#define MAX_SIDE 16384

static void
put_be32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
put_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  put_be32 (out, (guint32) len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len)
    g_byte_array_append (out, data, (guint) len);
  crc = crc32 (crc, (const Bytef *) type, 4);
  if (len)
    crc = crc32 (crc, data, (uInt) len);
  put_be32 (out, (guint32) crc);
}

gboolean
spk_png_write_gray (const char   *path,
                    const guint8 *pixels,
                    guint         width,
                    guint         height,
                    GError      **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *raw = NULL, *packed = NULL;
  g_autoptr (GError) local = NULL;
  const gsize row = (gsize) width + 1;
  guint8 ihdr[13];
  uLongf packed_len;

  g_return_val_if_fail (path != NULL && pixels != NULL, FALSE);

  if (width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                   _("%s: a PNG image of %u × %u pixels cannot be written (1 to %u per side)"),
                   path, width, height, MAX_SIDE);
      return FALSE;
    }
  raw = g_malloc (row * height);
  for (guint y = 0; y < height; y++)
    {
      raw[y * row] = 0;
      memcpy (raw + y * row + 1, pixels + (gsize) y * width, width);
    }
  packed_len = compressBound ((uLong) (row * height));
  packed = g_malloc (packed_len);
  if (compress2 (packed, &packed_len, raw, (uLong) (row * height), 6) != Z_OK)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE, _("%s: compressing the image failed"), path);
      return FALSE;
    }

  ihdr[0] = width >> 24, ihdr[1] = (width >> 16) & 0xff, ihdr[2] = (width >> 8) & 0xff, ihdr[3] = width & 0xff;
  ihdr[4] = height >> 24, ihdr[5] = (height >> 16) & 0xff, ihdr[6] = (height >> 8) & 0xff, ihdr[7] = height & 0xff;
  ihdr[8] = 8;    /* bit depth */
  ihdr[9] = 0;    /* greyscale */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;   /* deflate, adaptive filtering, no interlace */
  g_byte_array_append (out, signature, sizeof signature);
  put_chunk (out, "IHDR", ihdr, sizeof ihdr);
  put_chunk (out, "IDAT", packed, packed_len);
  put_chunk (out, "IEND", NULL, 0);

  if (!g_file_set_contents (path, (const char *) out->data, out->len, &local))
    {
      /* GLib's message already names the file. */
      g_set_error_literal (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
spk_png_write_pairs (const char   *path,
                     const float  *left,
                     const float  *right,
                     guint         n,
                     guint         width,
                     guint         height,
                     guint         columns,
                     guint         scale,
                     double        lo,
                     double        hi,
                     GError      **error)
{
  g_autofree guint8 *pixels = NULL;
  guint rows, cell_w, cell_h;
  guint64 W, H;

  g_return_val_if_fail (path != NULL && left != NULL && right != NULL, FALSE);

  if (n == 0 || width == 0 || height == 0 || columns == 0 || scale == 0 || !(hi > lo))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                   _("%s: an image grid needs at least one pair, non-empty images, one column, "
                     "a scale of at least 1 and a value range with lo < hi"), path);
      return FALSE;
    }
  columns = MIN (columns, n);
  rows = (n + columns - 1) / columns;
  /* A pair is two images side by side; a one-pixel line after each. */
  W = (guint64) columns * (2 * (guint64) width * scale + 1) + 1;
  H = (guint64) rows * ((guint64) height * scale + 1) + 1;
  if (W > MAX_SIDE || H > MAX_SIDE)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                   _("%s: a grid of %u pairs of %u × %u images at scale %u would be %" PRIu64
                     " × %" PRIu64 " pixels, more than %u per side"),
                   path, n, width, height, scale, (uint64_t) W, (uint64_t) H, MAX_SIDE);
      return FALSE;
    }
  cell_w = 2 * width * scale + 1;
  cell_h = height * scale + 1;
  pixels = g_malloc (W * H);
  memset (pixels, 128, W * H);
  for (guint i = 0; i < n; i++)
    {
      const guint x0 = (i % columns) * cell_w + 1, y0 = (i / columns) * cell_h + 1;

      for (guint side = 0; side < 2; side++)
        {
          const float *img = (side ? right : left) + (gsize) i * width * height;

          for (guint y = 0; y < height * scale; y++)
            for (guint x = 0; x < width * scale; x++)
              {
                const double v = (img[(gsize) (y / scale) * width + x / scale] - lo) / (hi - lo);
                const double c = isnan (v) ? 0.0 : CLAMP (v, 0.0, 1.0);

                pixels[(gsize) (y0 + y) * W + x0 + side * width * scale + x] = (guint8) lround (c * 255.0);
              }
        }
    }
  return spk_png_write_gray (path, pixels, (guint) W, (guint) H, error);
}
