/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-application.h — the workbench application. */
#pragma once

#include <adwaita.h>

#include "model/spk-network.h"
#include "ui/shell/spk-window.h"

G_BEGIN_DECLS

#define SPK_TYPE_APPLICATION (spk_application_get_type ())
G_DECLARE_FINAL_TYPE (SpkApplication, spk_application, SPK, APPLICATION, AdwApplication)

SpkApplication *spk_application_new        (void) G_GNUC_WARN_UNUSED_RESULT;
/* What the process should exit with after g_application_run(): 1 when
 * a file or example on the command line could not be opened or the
 * screenshot not written, else 0. */
int             spk_application_get_status (SpkApplication *self);

/* `--benchmark SECONDS`: the program provides the benchmark
 * (app/spk-workbench-bench.c), so the workbench library carries none. */
typedef struct
{
  /* The benchmark network called name (NULL: the default one); NULL and
   * no error when name is no benchmark network; NULL and error on failure. */
  SpkNetwork *(*network_new) (const char  *name_or_null,
                              GError     **error);
  /* Once the window shows: runs the benchmark, prints its figures and
   * quits the application; sets *status to 1 on failure. */
  void        (*start)       (SpkWindow   *window,
                              guint        n_plots,
                              double       seconds,
                              int         *status);
} SpkApplicationBenchmark;

/* Without one, --benchmark is refused. */
void            spk_application_set_benchmark (SpkApplication                *self,
                                               const SpkApplicationBenchmark *benchmark);

G_END_DECLS
