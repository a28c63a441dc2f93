/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-image-set.c — named image data sets (spk-image-set.h): Fashion-MNIST
 * read from its IDX files, or generated stand-ins. */
#define G_LOG_DOMAIN "spk-io"

#include "io/spk-image-set.h"

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "io/spk-idx.h"

/* The stand-in's pixel i of image e (see the header). */
static float
generated_pixel (guint e,
                 guint i)
{
  guint k = e % 10;

  return (i / 28 >= 2 * k && i / 28 < 2 * k + 6) ? 200.0f : (float) ((i * 7 + e) % 40);
}

static gboolean
check_range (const char  *name,
             guint        first,
             guint       *count,
             guint        total,
             GError     **error)
{
  if (first > total || (*count > 0 && (first == total || *count > total - first)))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                   _("the data set '%s' has %u images in this split; images %u to %u do not exist"),
                   name, total, first, first + MAX (*count, 1) - 1);
      return FALSE;
    }
  if (*count == 0)
    *count = total - first;
  return TRUE;
}

gboolean
spk_image_set_load (const char  *name,
                    const char  *data_dir,
                    gboolean     train,
                    guint        first,
                    guint        count,
                    float      **images,
                    float      **labels,
                    guint       *n,
                    GError     **error)
{
  g_autofree float *img = NULL, *lab = NULL;
  guint total;

  g_return_val_if_fail (images != NULL && n != NULL, FALSE);

  if (g_strcmp0 (name, "generated-images") == 0)
    {
      total = train ? 60000 : 10000;
      if (!check_range (name, first, &count, total, error))
        return FALSE;
      img = g_new (float, (gsize) count * SPK_IMAGE_SET_SIZE);
      lab = g_new (float, count);
      for (guint e = 0; e < count; e++)
        {
          /* The test split continues the training split's numbering, so
           * the two never show the same faint pattern. */
          guint index = first + e + (train ? 0 : 60000);

          lab[e] = (float) (index % 10);
          for (guint i = 0; i < SPK_IMAGE_SET_SIZE; i++)
            img[(gsize) e * SPK_IMAGE_SET_SIZE + i] = generated_pixel (index, i);
        }
    }
  else if (g_strcmp0 (name, "fashion-mnist") == 0)
    {
      if (!spk_idx_load_fashion_mnist (data_dir, train ? "train" : "t10k", &img, &lab, &total, error)
          || !check_range (name, first, &count, total, error))
        return FALSE;
      if (count < total)
        {
          /* Keep only the images asked for, not the whole split. */
          float *part = g_memdup2 (img + (gsize) first * SPK_IMAGE_SET_SIZE,
                                   (gsize) count * SPK_IMAGE_SET_SIZE * sizeof (float));
          float *part_lab = g_memdup2 (lab + first, count * sizeof (float));

          g_free (img);
          g_free (lab);
          img = part;
          lab = part_lab;
        }
    }
  else
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                   _("there is no image data set '%s' (known: fashion-mnist, generated-images)"),
                   name ? name : "");
      return FALSE;
    }
  *images = g_steal_pointer (&img);
  if (labels)
    *labels = g_steal_pointer (&lab);
  *n = count;
  return TRUE;
}

const char *
spk_image_set_default_name (void)
{
  const char *dir = g_getenv ("SPIKEWORKS_FASHION_MNIST_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : SPK_FASHION_MNIST_DIR, "t10k-images-idx3-ubyte.gz", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS) ? "fashion-mnist" : "generated-images";
}
