/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spikeworks-cli — the headless front end of Spikeworks. */
#include "cli/spk-cli.h"

#include "spk-locale.h"

int
main (int    argc,
      char **argv)
{
  spk_locale_init ();
  return spk_cli_main (argc, argv);
}
