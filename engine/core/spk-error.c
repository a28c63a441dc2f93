/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-error.c — the engine's error quarks and the one prefixed setter. */
#include "spk-error.h"

G_DEFINE_QUARK (spk-model-error-quark, spk_model_error)
G_DEFINE_QUARK (spk-build-error-quark, spk_build_error)
G_DEFINE_QUARK (spk-sim-error-quark, spk_sim_error)
G_DEFINE_QUARK (spk-io-error-quark, spk_io_error)

void
spk_error_set_at_valist (GError     **error,
                         GQuark       domain,
                         int          code,
                         const char  *prefix,
                         const char  *format,
                         va_list      args)
{
  g_autofree char *message = NULL;

  if (error == NULL)
    return;
  message = g_strdup_vprintf (format, args);
  g_set_error (error, domain, code, "%s: %s", prefix, message);
}
