/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-nets.h — the benchmark networks of `spikeworks-cli bench` and
 * `spikeworks --benchmark`, the same networks the reference scripts build
 * in Nengo and PyTorch, so that speed can be compared as ratios. */
#pragma once

#include "model/spk-network.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *description;
  guint64     n_steps;      /* steps per run (dense-relu: images) */
  const char *input;        /* the Node fed by predict, or NULL */
} SpkBenchInfo;

/* The benchmarks, NULL-name terminated. */
const SpkBenchInfo *spk_bench_list        (void);
const SpkBenchInfo *spk_bench_find        (const char  *name);
SpkNetwork         *spk_bench_network_new (const char  *name,
                                           GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
