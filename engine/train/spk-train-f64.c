/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-f64.c — the forward and backward passes in float64, which the
 * finite-difference checks run against. */
#define G_LOG_DOMAIN "spk-train"

#include <glib.h>

#define REAL double
#define REAL_IS_FLOAT 0
#define SFX(name) name##_f64
#define cblas_gemm_f64 cblas_dgemm
#define sqrt_f64 sqrt
#include "spk-train-tmpl.h"
