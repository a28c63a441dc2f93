/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-slice.h — an index into a vector, as Nengo's slicing of a
 * connection's pre or post or a probe's target: one index (`a[0]`), a
 * range (`b[1:3]`, `b[::2]`, negative ends from the back) or a list of
 * indices (`[0, 2]`).  Immutable and reference-counted. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SPK_TYPE_SLICE (spk_slice_get_type ())

typedef struct
{
  gboolean is_list;
  /* range form; has_* FALSE means the default end */
  gboolean has_start, has_stop;
  gint64   start, stop, step;
  /* list form (also a single index: a list of one) */
  gint64  *indices;
  gsize    n_indices;
} SpkSlice;

GType     spk_slice_get_type  (void) G_GNUC_CONST;

SpkSlice *spk_slice_new_range (gboolean        has_start,
                               gint64          start,
                               gboolean        has_stop,
                               gint64          stop,
                               gint64          step) G_GNUC_WARN_UNUSED_RESULT;
SpkSlice *spk_slice_new_list  (const gint64   *indices,
                               gsize           n) G_GNUC_WARN_UNUSED_RESULT;
/* Parses "0", "1:3", "::2", "-1", "[0, 2]"; the message says what is wrong. */
SpkSlice *spk_slice_parse     (const char     *text,
                               GError        **error) G_GNUC_WARN_UNUSED_RESULT;
/* The text spk_slice_parse() reads back ("1:3", "[0, 2]"). */
char     *spk_slice_to_string (const SpkSlice *self) G_GNUC_WARN_UNUSED_RESULT;
SpkSlice *spk_slice_ref       (SpkSlice       *self);
void      spk_slice_unref     (SpkSlice       *self);
gboolean  spk_slice_equal     (const SpkSlice *a,
                               const SpkSlice *b);
/* The indices this slice selects from a vector of `size`, as a new array
 * (length in *n_out); fails when an index is out of range.  A NULL slice
 * selects everything. */
guint    *spk_slice_resolve   (const SpkSlice *self,
                               guint           size,
                               guint          *n_out,
                               GError        **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkSlice, spk_slice_unref)

G_END_DECLS
