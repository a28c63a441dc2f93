/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-image-set.h — the 28 × 28 images a data-set input presents and
 * training learns from, by name:
 *
 *   fashion-mnist     Debian's dataset-fashion-mnist (spk-idx.h); raw pixel
 *                     values 0–255, class labels 0–9.
 *   generated-images  Synthetic stand-ins that need no files: image e is of
 *                     class k = e mod 10, a bright band (200) over rows 2k
 *                     to 2k + 5 on a faint pattern ((i·7 + e) mod 40 at
 *                     pixel i).  The tests and a fresh machine use them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_IMAGE_SET_SIZE 784

/* Loads images first … first + count − 1 of a split (train: FALSE is
 * Fashion-MNIST's 10000 "t10k" images, TRUE its 60000 "train" images;
 * generated sets have as many) as count × 784 floats, and their labels
 * (nullable).  count 0 takes the rest of the split (none from its end).  data_dir (nullable)
 * overrides Fashion-MNIST's directory.  Fails with a message that says
 * what to do: an unknown name, a missing package, a range past the end. */
gboolean spk_image_set_load (const char  *name,
                             const char  *data_dir,
                             gboolean     train,
                             guint        first,
                             guint        count,
                             float      **images,
                             float      **labels,
                             guint       *n,
                             GError     **error);

/* "fashion-mnist" when its files are installed, else "generated-images":
 * what the examples present. */
const char *spk_image_set_default_name (void);

G_END_DECLS
