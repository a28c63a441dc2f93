/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-learning.c — instantiates the learning kernels for float32 and
 * float64 (spk-ops-learning-tmpl.h). */
#define G_LOG_DOMAIN "spk-ops-learning"

#include "spk-ops-learning.h"

#include <cblas.h>

#define REAL float
#define SUFFIX f32
#define GEMV cblas_sgemv
#include "spk-ops-learning-tmpl.h"
#undef REAL
#undef SUFFIX
#undef GEMV

#define REAL double
#define SUFFIX f64
#define GEMV cblas_dgemv
#include "spk-ops-learning-tmpl.h"
#undef REAL
#undef SUFFIX
#undef GEMV
