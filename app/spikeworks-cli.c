/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spikeworks-cli — the headless front end of Spikeworks. */
#include <locale.h>

#include <glib/gi18n.h>

#include "cli/spk-cli.h"

int
main (int    argc,
      char **argv)
{
  /* `meson devenv` points this at the catalogues compiled in the build tree. */
  const char *locale_dir = g_getenv ("SPIKEWORKS_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return spk_cli_main (argc, argv);
}
