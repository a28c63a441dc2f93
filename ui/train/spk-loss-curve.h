/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-loss-curve.h — a training run's loss as it falls: each minibatch's
 * loss as a faint line, each epoch's mean loss (and validation loss) as
 * points joined by a bold line, against epochs. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  SPK_LOSS_CURVE_BATCH,  /* one point per minibatch, at epoch − 1 + batch / n_batches */
  SPK_LOSS_CURVE_EPOCH,  /* the epoch's mean loss, at the epoch */
  SPK_LOSS_CURVE_VAL,    /* the validation loss, at the epoch */
} SpkLossCurveSeries;

#define SPK_TYPE_LOSS_CURVE (spk_loss_curve_get_type ())
G_DECLARE_FINAL_TYPE (SpkLossCurve, spk_loss_curve, SPK, LOSS_CURVE, GtkWidget)

GtkWidget *spk_loss_curve_new          (void) G_GNUC_WARN_UNUSED_RESULT;
void       spk_loss_curve_clear        (SpkLossCurve       *self);
/* Adds a point (non-finite values are skipped). */
void       spk_loss_curve_add          (SpkLossCurve       *self,
                                        SpkLossCurveSeries  series,
                                        double              epoch,
                                        double              loss);
/* Replaces everything with a history: n epochs of loss and val_loss
 * (nullable; NaN where there was none). */
void       spk_loss_curve_set_history  (SpkLossCurve       *self,
                                        guint               n,
                                        const double       *loss,
                                        const double       *val_loss);
/* (transfer full): the note an empty chart shows, laid out (wrapped and
 * centred) for width pixels. */
PangoLayout *spk_loss_curve_layout_placeholder (SpkLossCurve  *self,
                                                int            width);
guint      spk_loss_curve_get_n_points (SpkLossCurve       *self,
                                        SpkLossCurveSeries  series);
/* The series' points: (transfer none), x and y interleaved. */
const double *spk_loss_curve_get_points (SpkLossCurve      *self,
                                         SpkLossCurveSeries series,
                                         guint             *n);

G_END_DECLS
