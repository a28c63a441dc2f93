/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator.h — runs a plan: step, run, reset, probe data, and
 * predict-style batched runs.
 *
 * A simulator owns its signal memory and probe records; the plan it runs
 * is shared and read-only, so several simulators may run side by side
 * (each from one thread at a time).  Time: step n runs at t = n·dt,
 * nothing is computed or recorded at t = 0 (NEF-FACTS §1).
 */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"

G_BEGIN_DECLS

typedef struct _SpkSimulator SpkSimulator;

/* A simulator of batch independent copies of the network (batch ≥ 1). */
SpkSimulator *spk_simulator_new          (SpkPlan       *plan,
                                          guint          batch,
                                          GError       **error) G_GNUC_WARN_UNUSED_RESULT;
void          spk_simulator_free         (SpkSimulator  *self);
SpkPlan      *spk_simulator_get_plan     (SpkSimulator  *self);
guint         spk_simulator_get_batch    (SpkSimulator  *self);

/* Back to t = 0: initial state, probe records emptied, inputs kept. */
void          spk_simulator_reset        (SpkSimulator  *self);
gboolean      spk_simulator_step         (SpkSimulator  *self,
                                          GError       **error);
/* Runs n steps; stops with SPK_SIM_ERROR_NOT_FINITE, naming the object,
 * when the state blows up to NaN or infinity.  The whole state is checked
 * every SPK_SIMULATOR_CHECK_STEPS steps and at the end of each call, so a
 * caller stepping often should run many steps a call (the check scans
 * every signal). */
#define SPK_SIMULATOR_CHECK_STEPS 32
gboolean      spk_simulator_run_steps    (SpkSimulator  *self,
                                          guint64        n_steps,
                                          GError       **error);
guint64       spk_simulator_get_n_steps  (SpkSimulator  *self);
double        spk_simulator_get_time     (SpkSimulator  *self);

/* Goes on with from's run in self, a simulator of a rebuilt plan (more
 * probes, filters or taps): every signal, part of a shared signal, random
 * stream and process whose object and size match takes from's state, the
 * rest keeps its initial state, and the step count goes on.  Probe
 * records are not taken.  FALSE (nothing taken) when the two differ in
 * dtype, dt or batch. */
gboolean      spk_simulator_carry_state  (SpkSimulator       *self,
                                          const SpkSimulator *from);

/* Feeds a source Node (one without input) from data instead of its own
 * output: data is batch × n_steps × size_out (row-major, copied); step k
 * (1-based) reads row k − 1, and steps past n_steps hold the last row.
 * NULL data goes back to the Node's own output. */
gboolean      spk_simulator_set_input    (SpkSimulator  *self,
                                          const char    *node_label,
                                          const double  *data,
                                          guint64        n_steps,
                                          GError       **error);

/* Sets a constant source Node's output (size_out values, every batch row)
 * from the next step on, as a slider does; NULL returns to the model's
 * value.  Survives reset, like any input. */
gboolean      spk_simulator_set_node_output (SpkSimulator *self,
                                             const char   *node_label,
                                             const double *values,
                                             GError      **error);

/* The function a Node computed outside the engine (spk_build_external ())
 * runs as: y (batch × size_out, row-major) from the time t and the Node's
 * input x (batch × size_in; NULL when size_in is 0), called once per step
 * with the whole batch, in the thread that runs the step.  Returning FALSE
 * with error set stops the run with that error after the step. */
typedef gboolean (*SpkSimulatorCallback) (gpointer      user_data,
                                          double        t,
                                          const double *x,
                                          guint         size_in,
                                          double       *y,
                                          guint         size_out,
                                          guint         batch,
                                          GError      **error);

/* Sets the function (NULL: none) of the Node computed outside whose key is
 * node_key; user_data must outlive its use.  FALSE if the plan computes no
 * such Node outside.  A step that reaches such a Node without a function
 * fails, naming it. */
gboolean      spk_simulator_set_callback (SpkSimulator          *self,
                                          const char            *node_key,
                                          SpkSimulatorCallback   func,
                                          gpointer               user_data,
                                          GError               **error);

/* Probe records since the last reset: n_samples samples of size values per
 * batch row.  Copies into out (batch × n_samples × size) when not NULL. */
guint64       spk_simulator_get_probe_n_samples (SpkSimulator *self,
                                                 guint         probe);
/* The plan's named parameters (the keys of spk_plan_list_params()), with
 * weights that a learning rule changes as they are now in batch row 0:
 * what a session saves so that the model, rebuilt from them
 * (spk_build_with_params()), goes on from what it learned.
 * (transfer full): key → SpkArray */
GHashTable   *spk_simulator_dup_params          (SpkSimulator *self);
void          spk_simulator_get_probe_data      (SpkSimulator *self,
                                                 guint         probe,
                                                 double       *out);
/* Copies sample k (0-based, < n_samples) of a probe, all batch rows
 * (batch × size), into out; its time into *t when not NULL. */
void          spk_simulator_get_probe_sample    (SpkSimulator *self,
                                                 guint         probe,
                                                 guint64       k,
                                                 double       *out,
                                                 double       *t);
/* Empties one probe's record (keeping its memory), for a caller that
 * streams the samples elsewhere as they come (the runner for live plots):
 * the record then only ever holds the samples since the last clear, and
 * sample indices start again at 0. */
void          spk_simulator_clear_probe         (SpkSimulator *self,
                                                 guint         probe);
/* The time of each sample of a probe (n_samples values), Nengo's trange. */
void          spk_simulator_get_probe_times     (SpkSimulator *self,
                                                 guint         probe,
                                                 double       *out);

/* Whether a large neuron update (8192 neurons or more over the batch)
 * is split between the threads of the pool (core/spk-pool.h).  By default
 * it is, unless a step's products go to OpenBLAS, whose threads would take
 * turns with the pool's on the same cores; this overrides that choice.
 * The results are the same either way. */
void          spk_simulator_set_parallel (SpkSimulator  *self,
                                          gboolean       parallel);

/* Predicts: resets, feeds each named input Node its batch × n_steps ×
 * size_out data (read in place, not copied), runs n_steps.  Probe data is
 * then read as above; afterwards those Nodes give their own output again. */
gboolean      spk_simulator_predict      (SpkSimulator        *self,
                                          const char *const   *input_labels,
                                          const double *const *inputs,
                                          guint64              n_steps,
                                          GError             **error);

/* As spk_simulator_predict (), going on from the current state instead
 * of the initial one (NengoDL's stateful predict): the probe records are
 * emptied, the step count and time go on, and each input's first row
 * feeds the next step. */
gboolean      spk_simulator_predict_on   (SpkSimulator        *self,
                                          const char *const   *input_labels,
                                          const double *const *inputs,
                                          guint64              n_steps,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkSimulator, spk_simulator_free)

G_END_DECLS
