/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-private.h — shared pieces of the spikeworks-cli commands. */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "model/spk-network.h"

G_BEGIN_DECLS

/* A command: returns the process exit status (0 ok, 1 failed, 2 usage). */
typedef int (*SpkCliCommand) (int argc, char **argv);

/* Loads the model a command names: a MODEL.json path or --example NAME. */
SpkNetwork *_spk_cli_load_model  (const char  *path,
                                  const char  *example,
                                  GError     **error);
/* Prints "spikeworks-cli: <message>" to stderr and returns 1. */
int         _spk_cli_fail        (const GError *error);
int         _spk_cli_usage       (const char   *message,
                                  const char   *usage);
/* Parses a command's options; FALSE after printing the problem. */
gboolean    _spk_cli_parse       (GOptionContext *context,
                                  int            *argc,
                                  char         ***argv);

/* Sessions (spk-cli-session.c): whether path is a session file; the
 * network of a model, an example or a session; and a plan to run, which
 * for a session is rebuilt from its saved parameters (seed < 0 keeps
 * them, a seed rebuilds from it). */
gboolean    _spk_cli_is_session  (const char   *path);
SpkNetwork *_spk_cli_load_network (const char  *path,
                                   const char  *example,
                                   GError     **error);
SpkPlan    *_spk_cli_load_plan   (const char   *path,
                                  const char   *example,
                                  gint64        seed,
                                  SpkNetwork  **network,
                                  GError      **error);

int _spk_cli_bench    (int argc, char **argv);
int _spk_cli_evaluate (int argc, char **argv);
int _spk_cli_examples (int argc, char **argv);
int _spk_cli_fit      (int argc, char **argv);
int _spk_cli_info     (int argc, char **argv);
int _spk_cli_lesson   (int argc, char **argv);
int _spk_cli_lessons  (int argc, char **argv);
int _spk_cli_predict  (int argc, char **argv);
int _spk_cli_export   (int argc, char **argv);
int _spk_cli_run      (int argc, char **argv);
int _spk_cli_save     (int argc, char **argv);
int _spk_cli_tuning   (int argc, char **argv);

G_END_DECLS
