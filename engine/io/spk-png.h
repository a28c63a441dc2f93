/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-png.h — grey PNG images of image data sets: a grid of pairs (an
 * input beside the network's reconstruction of it), written with zlib
 * alone so that the engine needs no image library. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes pixels (width × height, row-major, 0 black … 255 white) as an
 * 8-bit greyscale PNG.  Fails with SPK_IO_ERROR_WRITE naming path. */
gboolean spk_png_write_gray  (const char   *path,
                              const guint8 *pixels,
                              guint         width,
                              guint         height,
                              GError      **error);

/* Writes n pairs of images, left[i] beside right[i] (each width × height
 * floats, row-major), as a grid of columns pairs per row, every pixel
 * scale × scale, values mapped linearly from [lo, hi] to black … white
 * and clamped.  A one-pixel grey line separates the pairs.  Fails with
 * SPK_IO_ERROR_VALUE for empty or oversized grids, SPK_IO_ERROR_WRITE
 * when the file cannot be written. */
gboolean spk_png_write_pairs (const char   *path,
                              const float  *left,
                              const float  *right,
                              guint         n,
                              guint         width,
                              guint         height,
                              guint         columns,
                              guint         scale,
                              double        lo,
                              double        hi,
                              GError      **error);

G_END_DECLS
