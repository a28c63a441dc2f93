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
/* Parses a command's options and refuses more than max_args arguments
 * after them (-1: any number); FALSE after printing the problem and usage
 * (the command then exits with 2). */
gboolean    _spk_cli_parse       (GOptionContext *context,
                                  int            *argc,
                                  char         ***argv,
                                  int             max_args,
                                  const char     *usage);
/* An option given as text (NULL: not given, value left alone) read as a
 * whole number in [min, max], or as a finite number above min (at least
 * min when min_allowed); a G_OPTION_ERROR naming the option otherwise. */
gboolean    _spk_cli_int_option  (const char  *option,
                                  const char  *text,
                                  gint64       min,
                                  gint64       max,
                                  gint64      *value,
                                  GError     **error);
gboolean    _spk_cli_double_option (const char  *option,
                                    const char  *text,
                                    double       min,
                                    gboolean     min_allowed,
                                    double      *value,
                                    GError     **error);
/* Appends a CSV field, quoted when it must be (spk-cli-run.c). */
void        _spk_cli_append_csv_field (GString    *csv,
                                       const char *field);

/* Sessions (spk-cli-session.c): whether path is a session file; the
 * network of a model, an example or a session; and a plan to run, which
 * for a session is rebuilt from its saved parameters (seed < 0 keeps
 * them, a seed rebuilds from it). */
gboolean    _spk_cli_is_session  (const char   *path);
/* spk_build_with_params() (params may be NULL) showing the decoder
 * solves' progress when standard error is a terminal. */
SpkPlan    *_spk_cli_build       (SpkNetwork   *network,
                                  GHashTable   *params,
                                  GError      **error);
SpkNetwork *_spk_cli_load_network (const char  *path,
                                   const char  *example,
                                   GError     **error);
SpkPlan    *_spk_cli_load_plan   (const char   *path,
                                  const char   *example,
                                  gint64        seed,
                                  SpkNetwork  **network,
                                  GError      **error);

int _spk_cli_bench    (int argc, char **argv);
int _spk_cli_convert  (int argc, char **argv);
int _spk_cli_export_keras (int argc, char **argv);
int _spk_cli_export_nir (int argc, char **argv);
/* spk-cli-nir.c: convert's NIR branch. */
int _spk_cli_convert_nir (const char *in,
                          const char *out,
                          const char *dt_text,
                          gboolean    euler,
                          const char *usage);
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
int _spk_cli_decoded  (int argc, char **argv);

G_END_DECLS
