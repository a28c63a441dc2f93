/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-workbench-bench.h — `spikeworks --plots N --benchmark SECONDS`: how
 * fast the workbench draws, and how much drawing slows the simulation.
 * Part of the program, not of the workbench library. */
#pragma once

#include "ui/shell/spk-application.h"

G_BEGIN_DECLS

/* Gives app its --benchmark: without --example it runs chain-100 (a
 * network whose step costs what a real model's does, docs/workbench.md);
 * --example may name any network of `spikeworks-cli bench` or any
 * example.  Once the window shows it runs SECONDS of simulated time as
 * fast as it can without plots, then with N plots (rasters of 1,000
 * neurons among them: every ensemble is given at least 1,000 neurons
 * first), prints frames/s and steps/s of both runs and quits. */
void spk_workbench_bench_install (SpkApplication *app);

G_END_DECLS
