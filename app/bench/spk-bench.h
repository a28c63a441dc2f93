/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench.h — the engine's micro-benchmarks behind `spikeworks-cli
 * bench expr|runner|fit-autoencoder|fit-conv`.  They live beside the command line,
 * not in the engine: the library carries only what models need.  Speed is
 * reported as ratios measured in one run, never asserted in a test. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Times `sin(2*pi*t) * x[0] + x[1]^2` over n_elements rows, compiled and
 * as a hand-written C loop; returns time(expression) / time(C), or NaN if
 * the two results differ.  The seconds (best of several runs) are
 * optional outputs. */
double spk_bench_expr              (gsize        n_elements,
                                    double      *expr_seconds,
                                    double      *c_seconds);

/* (wall time of n_steps steps through a runner at unlimited rate, with a
 * consumer draining every probe) / (wall time of the same steps on a bare
 * simulator).  example_or_null names a built-in example; NULL is
 * chain-100, a sine Node into a chain of 100 ensembles of 50 LIF neurons.
 * Returns a negative value and sets error on failure.  Call it from a
 * thread with no other main loop running in its thread-default context. */
double spk_bench_runner_overhead   (const char  *example_or_null,
                                    guint64      n_steps,
                                    GError     **error);

/* Trains the "autoencoder" example on n_images random images (values
 * 0–255, batch 50, float32, RMSprop) and returns training images/s, or a
 * negative value with error set. */
double spk_bench_train_autoencoder (guint        n_images,
                                    GError     **error);

/* Trains the "spiking-fashion-mnist" example (three Conv2D layers into
 * LIF rates, Dense 10; sparse cross-entropy, Adam, batch 50, float32) on
 * n_batches minibatches of Fashion-MNIST's training images (the generated
 * stand-in when the data set is not installed; *data_name says which),
 * after one untimed minibatch that allocates the trainer's buffers, and
 * returns training images/s, or a negative value with error set.
 * *cpu_s (may be NULL) receives the process's CPU time (user + system,
 * every thread) over the timed part, or a negative value where unknown. */
double spk_bench_train_conv        (guint        n_batches,
                                    const char **data_name,
                                    double      *cpu_s,
                                    GError     **error);

G_END_DECLS
