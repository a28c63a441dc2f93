/* spk-simulator-f32.c — the step functions in float32. */
#define G_LOG_DOMAIN "spk-simulator"

#define REAL float
#define SFX(name) name##_f32
#define cblas_gemv_f32 cblas_sgemv
#define cblas_gemm_f32 cblas_sgemm
#define expr_eval_f32 spk_expr_eval_f32
#include "spk-simulator-tmpl.h"
