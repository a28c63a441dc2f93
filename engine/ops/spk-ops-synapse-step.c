/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-synapse-step.c — the filters' step (spk-ops-synapse-tmpl.h) in
 * float32 and float64, among the hot kernels (engine/meson.build): with
 * their flags the compiler vectorises the Lowpass and Alpha loops across
 * channels (chain-1000 filters 999 values a step on one core).  Each
 * channel gets the same arithmetic either way.
 */
#define G_LOG_DOMAIN "spk-ops-synapse"

#include "spk-ops-synapse.h"

#define REAL float
#define SUFFIX f32
#include "spk-ops-synapse-tmpl.h"
#undef REAL
#undef SUFFIX

#define REAL double
#define SUFFIX f64
#include "spk-ops-synapse-tmpl.h"
#undef REAL
#undef SUFFIX
