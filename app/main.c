/* main.c — the `spikeworks` workbench.  Everything but this and its
 * drawing benchmark lives in libspikeworks-ui, so the tests drive the
 * same code. */
#include <glib/gi18n.h>
#include <locale.h>

#include "ui/shell/spk-application.h"

#include "spk-workbench-bench.h"

/* Run from the build tree (./run.sh does), the catalogues meson compiled
 * are in build/po, not yet in LOCALEDIR. */
static const char *
locale_dir (void)
{
  static char *dir = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bin = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *ninja = bin ? g_build_filename (bin, "..", "build.ninja", NULL) : NULL;

  if (dir == NULL)
    dir = ninja && g_file_test (ninja, G_FILE_TEST_EXISTS)
          ? g_build_filename (bin, "..", "po", NULL)
          : g_strdup (LOCALEDIR);
  return dir;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (SpkApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = spk_application_new ();
  spk_workbench_bench_install (app);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : spk_application_get_status (app);
}
