/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — the `spikeworks` workbench.  Everything but this and its
 * drawing benchmark lives in libspikeworks-ui, so the tests drive the
 * same code. */
#include <gtk/gtk.h>

#include "ui/shell/spk-application.h"

#include "spk-locale.h"

#include "spk-workbench-bench.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (SpkApplication) app = NULL;
  int status;

  spk_locale_init ();
  /* GTK would set the locale again and undo a C.UTF-8 fallback. */
  gtk_disable_setlocale ();

  app = spk_application_new ();
  spk_workbench_bench_install (app);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : spk_application_get_status (app);
}
