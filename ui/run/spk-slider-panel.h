/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-slider-panel.h — sliders for the Nodes with a constant output: one
 * per dimension, range editable, value typed or dragged, applied to the
 * running network at the next step. */
#pragma once

#include <gtk/gtk.h>

#include "model/spk-network.h"
#include "runner/spk-runner.h"

G_BEGIN_DECLS

#define SPK_TYPE_SLIDER_PANEL (spk_slider_panel_get_type ())
G_DECLARE_FINAL_TYPE (SpkSliderPanel, spk_slider_panel, SPK, SLIDER_PANEL, GtkWidget)

GtkWidget *spk_slider_panel_new          (void) G_GNUC_WARN_UNUSED_RESULT;

/* Rebuilds the sliders for network's constant Nodes (of at most
 * SPK_SLIDER_PANEL_MAX_DIMS values; not those a built-in network made);
 * the panel hides when there are none. */
#define SPK_SLIDER_PANEL_MAX_DIMS 16
void       spk_slider_panel_set_network  (SpkSliderPanel *self,
                                          SpkNetwork     *network);
/* The runner that slider values go to; values already moved are sent. */
void       spk_slider_panel_set_runner   (SpkSliderPanel *self,
                                          SpkRunner      *runner);
/* The sliders go back to the Nodes' model values and the runner is told
 * to use the model's values again (a reset of the run). */
void       spk_slider_panel_reset        (SpkSliderPanel *self);
guint      spk_slider_panel_get_n_sliders (SpkSliderPanel *self);
/* (transfer none) (nullable): the adjustment of a Node's dimension. */
GtkAdjustment *spk_slider_panel_get_adjustment (SpkSliderPanel *self,
                                                const char     *node,
                                                guint           dimension);

G_END_DECLS
