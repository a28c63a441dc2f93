/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-array.h — an immutable, reference-counted array of doubles with a
 * shape of rank 0 (scalar), 1 (vector) or 2 (row-major matrix).
 *
 * Model properties that hold numbers (a transform, explicit encoders, gains,
 * a constant Node output) use it, so the inspector, the JSON and HDF5 writers
 * and the builder all see one type.  Treat a shared array as read-only;
 * spk_array_new() hands out a writable one until it is shared.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SPK_TYPE_ARRAY (spk_array_get_type ())

typedef struct
{
  guint   ndim;
  gsize   shape[2];
  gsize   size;
  double *data;
} SpkArray;

GType     spk_array_get_type   (void) G_GNUC_CONST;

SpkArray *spk_array_new        (guint           ndim,
                                gsize           rows,
                                gsize           cols) G_GNUC_WARN_UNUSED_RESULT;
SpkArray *spk_array_new_scalar (double          value) G_GNUC_WARN_UNUSED_RESULT;
SpkArray *spk_array_new_vector (const double   *values,
                                gsize           n) G_GNUC_WARN_UNUSED_RESULT;
SpkArray *spk_array_new_matrix (const double   *values,
                                gsize           rows,
                                gsize           cols) G_GNUC_WARN_UNUSED_RESULT;
SpkArray *spk_array_ref        (SpkArray       *self);
void      spk_array_unref      (SpkArray       *self);
gboolean  spk_array_equal      (const SpkArray *a,
                                const SpkArray *b);
gboolean  spk_array_all_finite (const SpkArray *self);
gsize     spk_array_rows       (const SpkArray *self);
gsize     spk_array_cols       (const SpkArray *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkArray, spk_array_unref)

G_END_DECLS
