/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-f32.c — the forward and backward passes in float32, for speed
 * (the autoencoder benchmark). */
#define G_LOG_DOMAIN "spk-train"

#include <glib.h>

#define REAL float
#define REAL_IS_FLOAT 1
#define SFX(name) name##_f32
#define cblas_gemm_f32 cblas_sgemm
#define sqrt_f32 sqrtf
#include "spk-train-tmpl.h"
