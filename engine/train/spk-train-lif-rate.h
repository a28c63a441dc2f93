/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-lif-rate.h — LIFRate and its derivative for training, eight
 * neurons at a time (spk-train-lif-rate.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* out, deriv = LIFRate(J) and its derivative (SoftLIF's with sigma > 0),
 * as rate_forward's scalar loop in spk-train-tmpl.h computes them, for
 * the first neurons of count in groups of eight; returns how many it did
 * (0 without AVX-512), the caller does the rest. */
gsize _spk_train_lif_rate_f32 (double               amp,
                               double               tau_rc,
                               double               tau_ref,
                               double               sigma,
                               const float *restrict J,
                               float *restrict       out,
                               float *restrict       deriv,
                               gsize                 count);
gsize _spk_train_lif_rate_f64 (double                amp,
                               double                tau_rc,
                               double                tau_ref,
                               double                sigma,
                               const double *restrict J,
                               double *restrict       out,
                               double *restrict       deriv,
                               gsize                  count);

G_END_DECLS
