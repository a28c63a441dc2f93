/* test-idx.c — the IDX reader on tiny files the test writes itself, raw
 * and gzip-compressed, and its messages for damaged or missing data. */
#include <string.h>
#include <zlib.h>

#include <glib/gstdio.h>

#include "core/spk-error.h"
#include "io/spk-idx.h"

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/spk/idx/read", Fixture, NULL, fixture_setup, test_read, fixture_teardown);
  g_test_add ("/spk/idx/bad-files", Fixture, NULL, fixture_setup, test_bad_files, fixture_teardown);
  g_test_add ("/spk/idx/fashion-missing", Fixture, NULL, fixture_setup, test_fashion_missing, fixture_teardown);
  g_test_add ("/spk/idx/fashion-layout", Fixture, NULL, fixture_setup, test_fashion_layout, fixture_teardown);
  return g_test_run ();
}
