/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-gemm-small-private.h — a float32 matrix product for the simulator's batched
 * DOT_INC: dst (batch × rows) += src (batch × cols) · Wᵀ, with W stored
 * rows × cols, or cols × rows when transposed.  Register-blocked kernels
 * for AVX-512, AVX2 with FMA and baseline x86-64, the best chosen at run
 * time; built for the small products of a minibatch (an autoencoder
 * layer), where a BLAS call spends more on packing and waking its threads
 * than on the arithmetic.  Private to the engine: the simulator and the
 * tests call it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kernels, in the order a processor can run them. */
typedef enum
{
  SPK_GEMM_BASELINE,  /* baseline x86-64 (SSE2), or plain C elsewhere */
  SPK_GEMM_AVX2,      /* AVX2 with FMA */
  SPK_GEMM_AVX512,    /* AVX-512F */
} SpkGemmKernel;

/* Row b of dst starts at dst + b·ld_dst, row b of src at src + b·ld_src. */
void     _spk_gemm_small_f32           (float *restrict       dst,
                                        gsize                 ld_dst,
                                        const float *restrict W,
                                        gboolean              transposed,
                                        const float *restrict src,
                                        gsize                 ld_src,
                                        guint                 rows,
                                        guint                 cols,
                                        guint                 batch);
/* The same with a given kernel, for the tests: FALSE (and nothing
 * computed) if this processor cannot run it. */
gboolean _spk_gemm_small_with_f32      (SpkGemmKernel         kernel,
                                        float *restrict       dst,
                                        gsize                 ld_dst,
                                        const float *restrict W,
                                        gboolean              transposed,
                                        const float *restrict src,
                                        gsize                 ld_src,
                                        guint                 rows,
                                        guint                 cols,
                                        guint                 batch);
/* The transposed product with W's rows ldw apart (W cols × rows, read
 * in place): dst (batch × rows) += src (batch × cols) · W. */
void     _spk_gemm_small_ldw_f32       (float *restrict       dst,
                                        gsize                 ld_dst,
                                        const float *restrict W,
                                        gsize                 ldw,
                                        const float *restrict src,
                                        gsize                 ld_src,
                                        guint                 rows,
                                        guint                 cols,
                                        guint                 batch);
/* Its naive twin (a plain loop summing in double), for the tests. */
void     _spk_gemm_small_reference_f32 (float                *dst,
                                        gsize                 ld_dst,
                                        const float          *W,
                                        gboolean              transposed,
                                        const float          *src,
                                        gsize                 ld_src,
                                        guint                 rows,
                                        guint                 cols,
                                        guint                 batch);
/* Whether this processor runs a vector kernel with FMA (AVX2 or
 * AVX-512); without one, BLAS is the better choice. */
gboolean _spk_gemm_small_fast          (void);
/* The best kernel this processor runs. */
SpkGemmKernel _spk_gemm_small_best     (void);

G_END_DECLS
