/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-array.c — the shaped double array shared by model properties. */
#define G_LOG_DOMAIN "spk-array"

#include "spk-array.h"

#include <math.h>
#include <string.h>

G_DEFINE_BOXED_TYPE (SpkArray, spk_array, spk_array_ref, spk_array_unref)

/* The data lives in the same allocation, right after the header. */
SpkArray *
spk_array_new (guint ndim,
               gsize rows,
               gsize cols)
{
  gsize size;
  SpkArray *self;

  g_return_val_if_fail (ndim <= 2, NULL);
  size = ndim == 0 ? 1 : ndim == 1 ? rows : rows * cols;
  self = g_atomic_rc_box_alloc0 (sizeof (SpkArray) + size * sizeof (double));
  self->ndim = ndim;
  self->shape[0] = ndim >= 1 ? rows : 1;
  self->shape[1] = ndim == 2 ? cols : 1;
  self->size = size;
  self->data = (double *) (self + 1);
  return self;
}

SpkArray *
spk_array_new_scalar (double value)
{
  SpkArray *self = spk_array_new (0, 1, 1);

  self->data[0] = value;
  return self;
}

SpkArray *
spk_array_new_vector (const double *values,
                      gsize         n)
{
  SpkArray *self = spk_array_new (1, n, 1);

  if (n > 0)
    memcpy (self->data, values, n * sizeof (double));
  return self;
}

SpkArray *
spk_array_new_matrix (const double *values,
                      gsize         rows,
                      gsize         cols)
{
  SpkArray *self = spk_array_new (2, rows, cols);

  if (rows * cols > 0)
    memcpy (self->data, values, rows * cols * sizeof (double));
  return self;
}

SpkArray *
spk_array_ref (SpkArray *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
spk_array_unref (SpkArray *self)
{
  if (self != NULL)
    g_atomic_rc_box_release (self);
}

gboolean
spk_array_equal (const SpkArray *a,
                 const SpkArray *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (a->ndim != b->ndim || a->shape[0] != b->shape[0] || a->shape[1] != b->shape[1])
    return FALSE;
  return memcmp (a->data, b->data, a->size * sizeof (double)) == 0;
}

gboolean
spk_array_all_finite (const SpkArray *self)
{
  for (gsize i = 0; i < self->size; i++)
    if (!isfinite (self->data[i]))
      return FALSE;
  return TRUE;
}

gsize
spk_array_rows (const SpkArray *self)
{
  return self->shape[0];
}

gsize
spk_array_cols (const SpkArray *self)
{
  return self->shape[1];
}
