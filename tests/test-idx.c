/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-idx.c — the IDX reader on tiny files the test writes itself, raw
 * and gzip-compressed, and its messages for damaged or missing data; the
 * PNG grids of image pairs, read back chunk by chunk. */
#include <math.h>
#include <string.h>
#include <zlib.h>

#include <glib/gstdio.h>

#include "core/spk-error.h"
#include "io/spk-idx.h"
#include "io/spk-png.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("spk-idx-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);

      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture      *f,
            const char   *name,
            const guint8 *bytes,
            gsize         len,
            gboolean      gzip)
{
  char *path = g_build_filename (f->dir, name, NULL);

  if (gzip)
    {
      gzFile z = gzopen (path, "wb");

      g_assert_nonnull (z);
      g_assert_cmpint (gzwrite (z, bytes, (unsigned) len), ==, (int) len);
      g_assert_cmpint (gzclose (z), ==, Z_OK);
    }
  else
    g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) len, NULL));
  return path;
}

/* A 2 × 3 ubyte image stack and the same as big-endian int16 and float32. */
static const guint8 ubyte_2x3[] = { 0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 253, 254, 255 };
static const guint8 int16_3[] = { 0, 0, 0x0B, 1, 0, 0, 0, 3, 0xff, 0xfe, 0x01, 0x00, 0, 7 };
static const guint8 float_1[] = { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0x40, 0x49, 0x0f, 0xdb };
/* The other element types: int8, int32 and float64 (−2.5). */
static const guint8 byte_2[] = { 0, 0, 0x09, 1, 0, 0, 0, 2, 0xff, 0x7f };
static const guint8 int32_2[] = { 0, 0, 0x0C, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfd, 0, 1, 0, 0 };
static const guint8 double_1[] = { 0, 0, 0x0E, 1, 0, 0, 0, 1, 0xc0, 0x04, 0, 0, 0, 0, 0, 0 };

static void
test_read (Fixture       *f,
           gconstpointer  data)
{
  for (int gzip = 0; gzip < 2; gzip++)
    {
      g_autofree char *p1 = write_file (f, "a.idx", ubyte_2x3, sizeof ubyte_2x3, gzip);
      g_autofree char *p2 = write_file (f, "b.idx", int16_3, sizeof int16_3, gzip);
      g_autofree char *p3 = write_file (f, "c.idx", float_1, sizeof float_1, gzip);
      g_autoptr (GError) error = NULL;
      gsize dims[SPK_IDX_MAX_DIMS];
      guint nd;
      g_autofree float *a = spk_idx_load (p1, &nd, dims, &error);
      g_autofree float *b = NULL, *c = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (nd, ==, 2);
      g_assert_cmpuint (dims[0], ==, 2);
      g_assert_cmpuint (dims[1], ==, 3);
      g_assert_cmpfloat (a[0], ==, 0.0f);
      g_assert_cmpfloat (a[3], ==, 253.0f);
      g_assert_cmpfloat (a[5], ==, 255.0f);
      b = spk_idx_load (p2, &nd, dims, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (b[0], ==, -2.0f);
      g_assert_cmpfloat (b[1], ==, 256.0f);
      g_assert_cmpfloat (b[2], ==, 7.0f);
      c = spk_idx_load (p3, &nd, dims, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (c[0], 3.14159265f, 1e-6);
    }
}

static void
test_read_other_types (Fixture       *f,
                       gconstpointer  data)
{
  static const struct
  {
    const guint8 *bytes;
    gsize len, n;
    float want[2];
  } cases[] = {
    { byte_2, sizeof byte_2, 2, { -1, 127 } },
    { int32_2, sizeof int32_2, 2, { -3, 65536 } },
    { double_1, sizeof double_1, 1, { -2.5f } },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *path = write_file (f, "t.idx", cases[k].bytes, cases[k].len, k % 2);
      g_autoptr (GError) error = NULL;
      gsize dims[SPK_IDX_MAX_DIMS];
      guint nd;
      g_autofree float *v = spk_idx_load (path, &nd, dims, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (dims[0], ==, cases[k].n);
      for (gsize i = 0; i < cases[k].n; i++)
        g_assert_cmpfloat (v[i], ==, cases[k].want[i]);
    }
}

static void
expect_error (const char *path,
              int         code,
              const char *fragment)
{
  g_autoptr (GError) error = NULL;
  gsize dims[SPK_IDX_MAX_DIMS];
  guint nd;
  float *v = spk_idx_load (path, &nd, dims, &error);

  g_assert_null (v);
  g_assert_error (error, SPK_IO_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  guint8 bad[sizeof ubyte_2x3 + 1];
  g_autofree char *trunc = write_file (f, "t.idx", ubyte_2x3, sizeof ubyte_2x3 - 1, TRUE);
  g_autofree char *magic = NULL, *type = NULL, *trailing = NULL, *header = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "none.idx", NULL);

  expect_error (trunc, SPK_IO_ERROR_PARSE, "is truncated: 5 bytes of data, but its header needs 6");
  memcpy (bad, ubyte_2x3, sizeof ubyte_2x3);
  bad[sizeof ubyte_2x3] = 9;
  trailing = write_file (f, "x.idx", bad, sizeof bad, FALSE);
  expect_error (trailing, SPK_IO_ERROR_PARSE, "has trailing bytes: 7 bytes of data");
  bad[0] = 1;
  magic = write_file (f, "m.idx", bad, sizeof ubyte_2x3, FALSE);
  expect_error (magic, SPK_IO_ERROR_FORMAT, "is not an IDX file");
  bad[0] = 0;
  bad[2] = 0x42;
  type = write_file (f, "y.idx", bad, sizeof ubyte_2x3, TRUE);
  expect_error (type, SPK_IO_ERROR_FORMAT, "unknown IDX element type 0x42");
  header = write_file (f, "h.idx", ubyte_2x3, 9, FALSE);
  expect_error (header, SPK_IO_ERROR_PARSE, "truncated inside its header");
  expect_error (missing, SPK_IO_ERROR_PARSE, "cannot open");
}

static void
test_fashion_missing (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  float *images = NULL, *labels = NULL;
  guint n;

  g_assert_false (spk_idx_load_fashion_mnist (f->dir, "train", &images, &labels, &n, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "install the Debian package dataset-fashion-mnist"));
  g_assert_nonnull (strstr (error->message, "train-images-idx3-ubyte.gz"));
  g_clear_error (&error);
  g_assert_false (spk_idx_load_fashion_mnist (f->dir, "valid", &images, &labels, &n, &error));
  g_assert_nonnull (strstr (error->message, "splits 'train' and 't10k', not 'valid'"));
}

/* A fake two-image Fashion-MNIST in the layout the package installs. */
static void
test_fashion_layout (Fixture       *f,
                     gconstpointer  data)
{
  guint8 img[16 + 2 * 784] = { 0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28 };
  const guint8 lab[] = { 0, 0, 0x08, 1, 0, 0, 0, 2, 9, 4 };
  g_autofree char *p1 = NULL, *p2 = NULL;
  g_autofree float *images = NULL, *labels = NULL;
  g_autoptr (GError) error = NULL;
  guint n;

  img[16 + 784 + 5] = 200;
  p1 = write_file (f, "t10k-images-idx3-ubyte.gz", img, sizeof img, TRUE);
  p2 = write_file (f, "t10k-labels-idx1-ubyte.gz", lab, sizeof lab, TRUE);
  g_assert_true (spk_idx_load_fashion_mnist (f->dir, "t10k", &images, &labels, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (images[784 + 5], ==, 200.0f);
  g_assert_cmpfloat (labels[0], ==, 9.0f);
  g_assert_cmpfloat (labels[1], ==, 4.0f);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Reads back a PNG this writer made: signature, IHDR, one IDAT, IEND,
 * each CRC checked; returns the width × height grey pixels. */
static guint8 *
read_png (const char *path,
          guint      *width,
          guint      *height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree guint8 *data = NULL, *raw = NULL;
  guint8 *pixels;
  gsize len, at = 8;
  const char *types[] = { "IHDR", "IDAT", "IEND" };
  const guint8 *idat = NULL;
  gsize idat_len = 0;
  uLongf raw_len;

  g_assert_true (g_file_get_contents (path, (char **) &data, &len, NULL));
  g_assert_cmpmem (data, 8, signature, 8);
  for (guint c = 0; c < 3; c++)
    {
      guint32 n = be32 (data + at);
      const guint8 *type = data + at + 4, *body = data + at + 8;

      g_assert_cmpmem (type, 4, types[c], 4);
      g_assert_cmpuint (be32 (body + n), ==, (guint32) crc32 (0L, type, n + 4));
      if (c == 0)
        {
          *width = be32 (body);
          *height = be32 (body + 4);
          g_assert_cmpuint (body[8], ==, 8);   /* bits */
          g_assert_cmpuint (body[9], ==, 0);   /* grey */
        }
      if (c == 1)
        idat = body, idat_len = n;
      at += 12 + n;
    }
  g_assert_cmpuint (at, ==, len);
  raw_len = (uLongf) (*width + 1) * *height;
  raw = g_malloc (raw_len);
  g_assert_cmpint (uncompress (raw, &raw_len, idat, idat_len), ==, Z_OK);
  g_assert_cmpuint (raw_len, ==, (uLongf) (*width + 1) * *height);
  pixels = g_malloc ((gsize) *width * *height);
  for (guint y = 0; y < *height; y++)
    {
      g_assert_cmpuint (raw[y * (*width + 1)], ==, 0);   /* filter "none" */
      memcpy (pixels + (gsize) y * *width, raw + y * (*width + 1) + 1, *width);
    }
  return pixels;
}

/* Three pairs of 2 × 2 images, two pairs per row, each pixel 2 × 2:
 * 19 × 11 pixels with grey lines between pairs and an empty fourth cell;
 * values map 0 → black, 255 → white, clamped, NaN black. */
static void
test_png_pairs (Fixture       *f,
                gconstpointer  data)
{
  const float left[12] = { 0, 255, 300, -5, 51, 51, 51, 51, 102, 0, 0, 0 };
  const float right[12] = { 255, 0, 0, 0, NAN, 0, 0, 0, 0, 0, 0, 204 };
  g_autofree char *path = g_build_filename (f->dir, "pairs.png", NULL);
  g_autofree guint8 *px = NULL;
  g_autoptr (GError) error = NULL;
  guint w = 0, h = 0;

  g_assert_true (spk_png_write_pairs (path, left, right, 3, 2, 2, 2, 2, 0.0, 255.0, &error));
  g_assert_no_error (error);
  px = read_png (path, &w, &h);
  g_assert_cmpuint (w, ==, 19);
  g_assert_cmpuint (h, ==, 11);
#define PX(x, y) px[(y) * w + (x)]
  g_assert_cmpuint (PX (0, 0), ==, 128);               /* border */
  g_assert_cmpuint (PX (1, 1), ==, 0);                 /* pair 0, left (0, 0) */
  g_assert_cmpuint (PX (2, 2), ==, 0);                 /* the same pixel, scaled */
  g_assert_cmpuint (PX (3, 1), ==, 255);               /* left (1, 0) */
  g_assert_cmpuint (PX (1, 3), ==, 255);               /* left (0, 1): 300 clamped */
  g_assert_cmpuint (PX (4, 4), ==, 0);                 /* left (1, 1): −5 clamped */
  g_assert_cmpuint (PX (5, 1), ==, 255);               /* pair 0, right (0, 0) */
  g_assert_cmpuint (PX (9, 1), ==, 128);               /* line between pairs */
  g_assert_cmpuint (PX (10, 1), ==, 51);               /* pair 1, left */
  g_assert_cmpuint (PX (14, 1), ==, 0);                /* pair 1, right (0, 0): NaN */
  g_assert_cmpuint (PX (5, 5), ==, 128);               /* line between rows */
  g_assert_cmpuint (PX (1, 6), ==, 102);               /* pair 2, left (0, 0) */
  g_assert_cmpuint (PX (8, 9), ==, 204);               /* pair 2, right (1, 1) */
  g_assert_cmpuint (PX (12, 8), ==, 128);              /* the empty fourth cell */
#undef PX
}

static void
test_png_bad (Fixture       *f,
              gconstpointer  data)
{
  const float img[4] = { 0 };
  g_autofree char *path = g_build_filename (f->dir, "bad.png", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "no-such-dir", "x.png", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (spk_png_write_pairs (path, img, img, 0, 2, 2, 1, 1, 0.0, 1.0, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "an image grid needs at least one pair"));
  g_clear_error (&error);
  g_assert_false (spk_png_write_pairs (path, img, img, 1, 2, 2, 1, 1, 1.0, 1.0, &error));
  g_assert_nonnull (strstr (error->message, "a value range with lo < hi"));
  g_clear_error (&error);
  g_assert_false (spk_png_write_pairs (path, img, img, 1, 2, 2, 1, 5000, 0.0, 1.0, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "would be 20002 × 10002 pixels, more than 16384 per side"));
  g_clear_error (&error);
  g_assert_false (spk_png_write_pairs (nowhere, img, img, 1, 2, 2, 1, 1, 0.0, 1.0, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "x.png"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/spk/idx/read", Fixture, NULL, fixture_setup, test_read, fixture_teardown);
  g_test_add ("/spk/idx/read-other-types", Fixture, NULL, fixture_setup, test_read_other_types, fixture_teardown);
  g_test_add ("/spk/idx/bad-files", Fixture, NULL, fixture_setup, test_bad_files, fixture_teardown);
  g_test_add ("/spk/idx/fashion-missing", Fixture, NULL, fixture_setup, test_fashion_missing, fixture_teardown);
  g_test_add ("/spk/idx/fashion-layout", Fixture, NULL, fixture_setup, test_fashion_layout, fixture_teardown);
  g_test_add ("/spk/idx/png-pairs", Fixture, NULL, fixture_setup, test_png_pairs, fixture_teardown);
  g_test_add ("/spk/idx/png-bad", Fixture, NULL, fixture_setup, test_png_bad, fixture_teardown);
  return g_test_run ();
}
