/* spk-run-bench.h — `spikeworks --plots N --benchmark SECONDS`: how fast
 * the workbench draws, and how much drawing slows the simulation. */
#pragma once

#include "ui/shell/spk-window.h"

G_BEGIN_DECLS

/* Once window shows: runs SECONDS of simulated time as fast as it can
 * without plots, then with n_plots plots (rasters of 1,000 neurons among
 * them: every ensemble is given at least 1,000 neurons first), prints
 * frames/s and steps/s of both runs and quits the application.  *status
 * is set to 1 on failure. */
void spk_run_bench_start (SpkWindow *window,
                          guint      n_plots,
                          double     seconds,
                          int       *status);

G_END_DECLS
