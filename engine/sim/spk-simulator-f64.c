/* spk-simulator-f64.c — the step functions in float64. */
#define G_LOG_DOMAIN "spk-simulator"

#define REAL double
#define SFX(name) name##_f64
#define cblas_gemv_f64 cblas_dgemv
#define cblas_gemm_f64 cblas_dgemm
#define expr_eval_f64 spk_expr_eval
#include "spk-simulator-tmpl.h"
