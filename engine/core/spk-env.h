/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-env.h — the engine's switches in the environment, read one way. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether the environment variable name turns something off: set to 0,
 * off, false or no (any case). */
gboolean spk_env_switched_off (const char *name);

G_END_DECLS
