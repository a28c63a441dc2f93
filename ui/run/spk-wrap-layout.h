/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-wrap-layout.h — SpkWrapLayout: a layout that sets a widget's
 * children in a row and wraps them onto more rows when the width is short
 * (the run bar on a 1024-pixel projector). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SPK_TYPE_WRAP_LAYOUT (spk_wrap_layout_get_type ())
G_DECLARE_FINAL_TYPE (SpkWrapLayout, spk_wrap_layout, SPK, WRAP_LAYOUT, GtkLayoutManager)

/* The children in order, left to right, spacing apart; a child that does
 * not fit starts the next row, row_spacing below.  A child that expands
 * horizontally takes the rest of its row.  The widget asks for the width
 * of its widest child (its natural width: all in one row) and for the
 * height its rows need at the width it gets. */
GtkLayoutManager *spk_wrap_layout_new (int spacing,
                                       int row_spacing) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
