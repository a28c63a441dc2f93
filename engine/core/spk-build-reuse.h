/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-build-reuse.h — the one switch for what a build keeps for the next
 * (the decoder cache and the sample memo): off when SPK_DECODER_CACHE=0
 * is in the environment or the preference set here is off. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean spk_build_reuse_get_enabled (void);
/* The preference (the workbench's decoder-cache setting); the
 * environment's switch wins over it. */
void     spk_build_reuse_set_enabled (gboolean enabled);

G_END_DECLS
