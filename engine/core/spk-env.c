/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-env.c — see spk-env.h. */
#include "core/spk-env.h"

gboolean
spk_env_switched_off (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && (g_str_equal (value, "0") || g_ascii_strcasecmp (value, "off") == 0
                           || g_ascii_strcasecmp (value, "false") == 0 || g_ascii_strcasecmp (value, "no") == 0);
}
