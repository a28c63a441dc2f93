/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli.h — the entry point of spikeworks-cli, in a library so the
 * tests can drive it. */
#pragma once

int spk_cli_main (int    argc,
                  char **argv);
