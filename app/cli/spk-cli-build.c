/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-build.c — the command line's builds, with the decoder solves'
 * progress on the terminal: a line on standard error rewritten as each
 * whole per cent is reached and cleared when the build ends.  When
 * standard error is not a terminal (a pipe, a log file) nothing is
 * printed. */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

typedef struct
{
  int shown;  /* the per cent on the line, or −1 before the first */
} Progress;

static void
progress_cb (double   fraction,
             gpointer data)
{
  Progress *progress = data;
  int percent = (int) (fraction * 100.0);

  if (percent == progress->shown)
    return;
  progress->shown = percent;
  /* TRANSLATORS: the build's progress on the terminal; %d is a per cent. */
  fprintf (stderr, "\r\033[K");
  fprintf (stderr, _("Solving decoders: %d %%"), percent);
  fflush (stderr);
}

SpkPlan *
_spk_cli_build (SpkNetwork *network,
                GHashTable *params,
                GError    **error)
{
  Progress progress = { -1 };
  gboolean terminal = isatty (STDERR_FILENO);
  SpkPlan *plan;

  plan = spk_build_full (network, params, NULL, terminal ? progress_cb : NULL, &progress, error);
  if (progress.shown >= 0)
    {
      fprintf (stderr, "\r\033[K");
      fflush (stderr);
    }
  return plan;
}
