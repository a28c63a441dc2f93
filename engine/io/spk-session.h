/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-session.h — a session: everything a user would hate to lose (the
 * network, its built and trained parameters, the workbench layout, the
 * recorded probe data and the training history), saved to and loaded from
 * one HDF5 file (`.spkw`).  The schema is docs/session-format.md.
 *
 * A session is a plain reference-counted struct, used from one thread at
 * a time.  Saving and loading may run in any thread: the HDF5 library is
 * serialised behind one lock inside spk-session.c.
 */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "model/spk-network.h"
#include "sim/spk-simulator.h"

G_BEGIN_DECLS

typedef struct _SpkSession SpkSession;

/* The version of docs/session-format.md this engine writes; it reads
 * every version up to this one. */
#define SPK_SESSION_VERSION 1

/* A session of network (a reference is taken), with no plan, probe data,
 * layout or history yet. */
SpkSession   *spk_session_new                (SpkNetwork    *network) G_GNUC_WARN_UNUSED_RESULT;
SpkSession   *spk_session_ref                (SpkSession    *self);
void          spk_session_unref              (SpkSession    *self);

/* (transfer none) */
SpkNetwork   *spk_session_get_network        (SpkSession    *self);

/* The plan built from the session's network, whose parameters
 * (spk_plan_list_params()) are saved so that a loaded session runs
 * exactly as this plan does.  NULL saves no parameters (a network that
 * does not build yet can still be saved). */
void          spk_session_set_plan           (SpkSession    *self,
                                              SpkPlan       *plan);
/* (transfer none) (nullable): after spk_session_load(), the plan rebuilt
 * from the saved parameters, or NULL when the file saved none. */
SpkPlan      *spk_session_get_plan           (SpkSession    *self);

/* Probe data, stored as float32 (as the file holds it): data is
 * batch × n_samples × size, t the n_samples sample times.  Replaces any
 * data of that label; fails when the float32 copy cannot be allocated. */
gboolean      spk_session_set_probe_data     (SpkSession    *self,
                                              const char    *label,
                                              const double  *t,
                                              const double  *data,
                                              guint          batch,
                                              guint64        n_samples,
                                              guint          size,
                                              GError       **error);
/* Takes every probe's records from sim (one sample at a time, so no
 * double-precision copy of the whole run is ever made). */
gboolean      spk_session_record_simulator   (SpkSession    *self,
                                              SpkSimulator  *sim,
                                              GError       **error);
/* The same for the probes labelled in labels only (NULL: every probe),
 * leaving the session's plan as it is. */
gboolean      spk_session_record_probes      (SpkSession         *self,
                                              SpkSimulator       *sim,
                                              const char * const *labels,
                                              GError            **error);
/* (transfer full): the labels of the recorded probes, sorted. */
GStrv         spk_session_list_probes        (SpkSession    *self);
/* (transfer none) (nullable): a probe's data (batch × n_samples × size)
 * and, when t is not NULL, its sample times; NULL for an unknown label. */
const float  *spk_session_get_probe_data     (SpkSession    *self,
                                              const char    *label,
                                              guint         *batch,
                                              guint64       *n_samples,
                                              guint         *size,
                                              const double **t);

/* What the workbench's plots recorded, under keys the UI owns (a plot's
 * position in the grid): n_samples sample times t and n_samples × size
 * values.  Unlike probe data these name no probe of the network (the
 * plots record through probes of their own).  Replaces any data of key. */
gboolean      spk_session_set_plot_data      (SpkSession    *self,
                                              const char    *key,
                                              const double  *t,
                                              const float   *data,
                                              guint64        n_samples,
                                              guint          size,
                                              GError       **error);
/* (transfer full): the keys with plot data, sorted. */
GStrv         spk_session_list_plot_data     (SpkSession    *self);
/* (transfer none) (nullable): NULL for an unknown key. */
const float  *spk_session_get_plot_data      (SpkSession    *self,
                                              const char    *key,
                                              guint64       *n_samples,
                                              guint         *size,
                                              const double **t);

/* The workbench's layout: opaque values the UI owns, under keys such as
 * "canvas/a" or "plots/0" ('/'-separated names, none empty, "." or "..").
 * NULL removes a key; a floating value is sunk. */
void          spk_session_set_layout         (SpkSession    *self,
                                              const char    *key,
                                              GVariant      *value);
/* (transfer none) (nullable) */
GVariant     *spk_session_get_layout         (SpkSession    *self,
                                              const char    *key);
/* (transfer full): the layout keys, sorted. */
GStrv         spk_session_list_layout        (SpkSession    *self);

/* Training history: the value of a metric ("loss", "val_loss", …; not
 * "epoch", no '/') at an epoch; a second value for the same pair
 * replaces the first. */
void          spk_session_add_history        (SpkSession    *self,
                                              guint          epoch,
                                              const char    *metric,
                                              double         value);
gboolean      spk_session_get_history        (SpkSession    *self,
                                              guint          epoch,
                                              const char    *metric,
                                              double        *value);
/* (transfer full): the metric names, sorted. */
GStrv         spk_session_list_history_metrics (SpkSession  *self);
/* (transfer full): the epochs with any value, ascending. */
guint        *spk_session_dup_history_epochs (SpkSession    *self,
                                              guint         *n_epochs);

/* Saves atomically: a temporary file beside path is written, flushed to
 * disk and renamed over path, so a failed or killed save leaves the old
 * file as it was. */
gboolean      spk_session_save               (SpkSession    *self,
                                              const char    *path,
                                              GError       **error);
/* Loads a session; fails with one SPK_IO_ERROR that names the file and the
 * path inside it (not HDF5, another format, a newer version, a missing
 * group or attribute, a dataset of the wrong shape or type, a damaged or
 * truncated file, a reference to an unknown label). */
SpkSession   *spk_session_load               (const char    *path,
                                              GError       **error) G_GNUC_WARN_UNUSED_RESULT;
/* spk_session_load() of a file from outside (a user's, a download): the
 * file is read in a child process first (spk_hdf5_check_file), so that a
 * damaged file that crashes or hangs libhdf5 is refused with a message
 * instead of taking the process with it.  The CLI and the workbench load
 * through this. */
SpkSession   *spk_session_load_checked       (const char    *path,
                                              GError       **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkSession, spk_session_unref)

G_END_DECLS
