/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-network-kinds-fallback.h — the engine's table of built-in network
 * kinds, as the workbench asks for it (declared by io/spk-model-json.h
 * once the engine has it; the same declarations here are compatible). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *const *spk_model_network_kinds (void);
const char *spk_model_network_example_params (const char *kind);

G_END_DECLS
