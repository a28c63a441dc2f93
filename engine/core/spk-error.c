/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-error.c — the engine's error quarks. */
#include "spk-error.h"

G_DEFINE_QUARK (spk-model-error-quark, spk_model_error)
G_DEFINE_QUARK (spk-build-error-quark, spk_build_error)
G_DEFINE_QUARK (spk-sim-error-quark, spk_sim_error)
G_DEFINE_QUARK (spk-io-error-quark, spk_io_error)
