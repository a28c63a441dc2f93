/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-f32.c — the step functions in float32. */
#define G_LOG_DOMAIN "spk-simulator"

#include <glib.h>

#define REAL float
#define SFX(name) name##_f32
#define cblas_gemv_f32 cblas_sgemv
#define cblas_gemm_f32 cblas_sgemm
/* Products through our own kernel (spk-gemm-small.c): a minibatch
 * through a matrix of up to 256 k elements (1 MB, within a core's L2), a
 * single row through one of up to 64 k.  Past those OpenBLAS, whose two
 * threads then read twice the L2 bandwidth of one. */
#define SMALL_GEMM _spk_gemm_small_f32
#define SMALL_GEMM_MAX_W (256 * 1024)
#define SMALL_GEMV_MAX_W (64 * 1024)
#define expr_eval_f32 spk_expr_eval_f32
/* One-row products sum in this many interleaved partial sums (see
 * dot_row in the template); float64 sums in order, as Nengo's tests
 * expect to round-off. */
#define DOT_LANES 8
/* The float's bits, read through a type allowed to alias it. */
typedef guint32 __attribute__ ((may_alias)) SpkBits;
#define UINT SpkBits
#define EXP_MASK 0x7f800000u
#include "spk-simulator-tmpl.h"
