/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-idx.h — IDX files (the MNIST family's format), gzip-compressed or
 * raw, and the Fashion-MNIST data set as Debian's dataset-fashion-mnist
 * package installs it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_IDX_MAX_DIMS 4
#define SPK_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* Reads an IDX file (gzip or raw; element types unsigned and signed byte,
 * int16, int32, float32, float64) into floats.  dims receives the ndim
 * sizes.  Fails with SPK_IO_ERROR naming the file: missing, not IDX, an
 * unknown type, truncated or with trailing bytes.  (transfer full) */
float    *spk_idx_load               (const char  *path,
                                      guint       *ndim,
                                      gsize        dims[SPK_IDX_MAX_DIMS],
                                      GError     **error);

/* Loads split "train" (60000) or "t10k" (10000) of Fashion-MNIST from
 * dir (NULL: $SPIKEWORKS_FASHION_MNIST_DIR, else SPK_FASHION_MNIST_DIR):
 * images n × 784 as raw pixel values
 * 0–255, labels n class indices 0–9.  When the files are missing the
 * message names the Debian package to install. */
gboolean  spk_idx_load_fashion_mnist (const char  *dir,
                                      const char  *split,
                                      float      **images,
                                      float      **labels,
                                      guint       *n,
                                      GError     **error);

G_END_DECLS
