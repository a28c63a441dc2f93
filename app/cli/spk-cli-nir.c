/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-nir.c — NIR graphs on the command line: `convert` hands a .nir
 * file (recognised by its content) here, and `export-nir` writes a
 * network out (engine/io/spk-nir.h, docs/nir.md). */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <glib/gi18n.h>

#include "io/spk-nir.h"
#include "io/spk-session.h"

int
_spk_cli_convert_nir (const char *in,
                      const char *out,
                      const char *dt_text,
                      gboolean    euler,
                      const char *usage)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = NULL;
  SpkNirOptions options;

  spk_nir_options_init (&options);
  options.integration = euler ? SPK_NIR_EULER : SPK_NIR_EXACT;
  if (!_spk_cli_double_option ("--dt", dt_text, 0, FALSE, &options.dt, &error))
    return _spk_cli_usage (error->message, usage);
  if (!(session = spk_nir_convert_file (in, &options, &error)) || !spk_session_save (session, out, &error))
    return _spk_cli_fail (error);
  return 0;
}
