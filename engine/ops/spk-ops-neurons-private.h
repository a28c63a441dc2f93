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

G_END_DECLS
