/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-neurons-private.h — the vectorised kernels (kernels library),
 * shared inside the engine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Kernels are compiled for AVX-512, AVX2 and baseline x86-64, the best
 * chosen at load time.  ThreadSanitizer's start-up runs before the ifunc
 * resolvers can, so its builds take the baseline only. */
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
#define SPK_TARGET_CLONES __attribute__ ((target_clones ("avx512f", "avx2", "default")))
#else
#define SPK_TARGET_CLONES
#endif

/* The vectorised float32 LIF step (spk-ops-lif-fast.c). */
void _spk_lif_step_fast_f32      (float                 dt,
                                  float                 tau_rc,
                                  float                 tau_ref,
                                  float                 min_voltage,
                                  float                 amplitude,
                                  const float *restrict J,
                                  float *restrict       out,
                                  float *restrict       voltage,
                                  float *restrict       refractory,
                                  gsize                 count);
/* Its naive twin, libm-based, for the tests. */
void _spk_lif_step_reference_f32 (float                 dt,
                                  float                 tau_rc,
                                  float                 tau_ref,
                                  float                 min_voltage,
                                  float                 amplitude,
                                  const float          *J,
                                  float                *out,
                                  float                *voltage,
                                  float                *refractory,
                                  gsize                 count);

G_END_DECLS
