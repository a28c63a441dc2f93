/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-build-reuse.c — see spk-build-reuse.h. */
#include "core/spk-build-reuse.h"

#include "core/spk-env.h"

static gint preference_on = TRUE;

static gboolean
environment_off (void)
{
  static gsize once;
  static gboolean off;

  if (g_once_init_enter (&once))
    {
      off = spk_env_switched_off ("SPK_DECODER_CACHE");
      g_once_init_leave (&once, 1);
    }
  return off;
}

gboolean
spk_build_reuse_get_enabled (void)
{
  return !environment_off () && g_atomic_int_get (&preference_on);
}

void
spk_build_reuse_set_enabled (gboolean enabled)
{
  g_atomic_int_set (&preference_on, !!enabled);
}
