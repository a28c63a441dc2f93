/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — the `spikeworks` workbench.  Everything but this and its
 * drawing benchmark lives in libspikeworks-ui, so the tests drive the
 * same code. */
#include <glib/gi18n.h>
#include <locale.h>

#include "ui/shell/spk-application.h"

#include "spk-workbench-bench.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (SpkApplication) app = NULL;
  /* `meson devenv` points this at the catalogues compiled in the build tree. */
  const char *locale_dir = g_getenv ("SPIKEWORKS_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = spk_application_new ();
  spk_workbench_bench_install (app);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : spk_application_get_status (app);
}
