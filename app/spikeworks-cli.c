/* spikeworks-cli — the headless front end of Spikeworks. */
#include <locale.h>

#include <glib/gi18n.h>

#include "cli/spk-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return spk_cli_main (argc, argv);
}
