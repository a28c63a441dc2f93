/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-pool.h — helper threads for the simulator's elementwise work.
 *
 * One process-wide pool: spk_pool_for() splits [0, n) into one part per
 * thread, runs the first part in the calling thread and the others in the
 * helpers, and returns when all are done.  Helpers spin briefly between
 * calls (a running simulation calls every few tens of microseconds), then
 * sleep, yielding while they spin so that OpenBLAS's own threads, which
 * share the cores, are not starved.  A call made while another is in
 * flight (a second simulator in another thread) runs in the caller alone.
 *
 * SPK_THREADS=N in the environment sets the number of threads (1: no
 * helpers); the default is the number of processors, at most 4.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Does elements [begin, end) of the work described by data. */
typedef void (*SpkPoolFunc) (gpointer data,
                             gsize    begin,
                             gsize    end);

/* The threads a call may use, the caller's included. */
guint    spk_pool_get_n_threads (void);

/* Runs func over [0, n): in parts whose bounds are multiples of grain
 * (so vector loops keep their alignment) when the pool has helpers and
 * n is at least min_n, else in one call from this thread. */
void     spk_pool_for           (SpkPoolFunc func,
                                 gpointer    data,
                                 gsize       n,
                                 gsize       grain,
                                 gsize       min_n);

G_END_DECLS
