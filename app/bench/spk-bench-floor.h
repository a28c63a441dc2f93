/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-floor.h — the floor of a simulator's step on this machine,
 * measured on the spot: the time of the step's essential work in the best
 * layout.  `spikeworks-cli bench` reports every step as a multiple of it
 * (floor_ratio), so the target does not depend on the machine. */
#pragma once

#include <glib.h>

#include "sim/spk-simulator.h"

G_BEGIN_DECLS

typedef struct
{
  double step_s;         /* the step itself (its best pass) */
  double neurons_s;      /* every neuron group's update, each in one contiguous call */
  double products_s;     /* each product at max(bytes / bandwidth, flops / peak) */
  double floor_s;        /* the sum: one step's essential work */
  double bandwidth;      /* bytes/s reading the products' weights, all cores */
  double peak_flops;     /* multiply-add flops/s at the kernels' vector width, all cores */
  guint  n_threads;      /* threads the neuron update ran on at best */
} SpkBenchFloor;

typedef void (*SpkBenchFunc) (gpointer data);

/* Times one step of sim (step(step_data) runs steps_per_call of them)
 * beside the floor of that step as sim is now: its neuron currents and
 * states are copied, so the timed update does the running network's work.
 * Both are the best of 21 interleaved passes of about 2 ms each.  Takes a
 * second or so. */
void spk_bench_floor_measure (SpkSimulator  *sim,
                              SpkBenchFunc   step,
                              gpointer       step_data,
                              guint          steps_per_call,
                              SpkBenchFloor *floor);

G_END_DECLS
