/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-f64.c — the step functions in float64. */
#define G_LOG_DOMAIN "spk-simulator"

#include <glib.h>

#define REAL double
#define SFX(name) name##_f64
#define cblas_gemv_f64 cblas_dgemv
#define cblas_gemm_f64 cblas_dgemm
#define expr_eval_f64 spk_expr_eval
/* The float's bits, read through a type allowed to alias it. */
typedef guint64 __attribute__ ((may_alias)) SpkBits;
#define UINT SpkBits
#define EXP_MASK G_GUINT64_CONSTANT (0x7ff0000000000000)
#include "spk-simulator-tmpl.h"
