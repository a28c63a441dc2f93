/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-palette.h — the column of object types to add to the canvas. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SPK_TYPE_PALETTE (spk_palette_get_type ())
G_DECLARE_FINAL_TYPE (SpkPalette, spk_palette, SPK, PALETTE, GtkWidget)

GtkWidget  *spk_palette_new           (void);
GMenuModel *spk_palette_networks_menu (void);

G_END_DECLS
