/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-neurons-private.h — the vectorised kernels (kernels library),
 * shared inside the engine. */
#pragma once

#include <glib.h>

#include "core/spk-cpu.h"

G_BEGIN_DECLS

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

/* The float64 LIF step for AVX-512 (spk-ops-lif-fast-f64.c): updates the
 * first count − count mod 8 neurons and returns how many it did (0 on a
 * processor without AVX-512); the scalar loop does the rest. */
gsize _spk_lif_step_avx512_f64   (double                 dt,
                                  double                 tau_rc,
                                  double                 tau_ref,
                                  double                 min_voltage,
                                  double                 amplitude,
                                  const double *restrict J,
                                  double *restrict       out,
                                  double *restrict       voltage,
                                  double *restrict       refractory,
                                  gsize                  count);
/* The scalar float64 LIF loop alone (libm's expm1 and log1p), for the tests. */
void _spk_lif_step_reference_f64 (double                 dt,
                                  double                 tau_rc,
                                  double                 tau_ref,
                                  double                 min_voltage,
                                  double                 amplitude,
                                  const double          *J,
                                  double                *out,
                                  double                *voltage,
                                  double                *refractory,
                                  gsize                  count);

G_END_DECLS
