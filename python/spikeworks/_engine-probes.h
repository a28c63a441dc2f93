/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _engine-probes.h — probe recorders of the `spikeworks._engine` Plan:
 * copies of a signal's bytes kept in C after each step, handed to Python
 * in one piece when it asks for them. */
#pragma once

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <glib.h>

#define SPK_PROBE_MAX_DIMS 8

typedef struct
{
  const char *data;          /* the probed signal (kept alive by the plan) */
  int ndim;
  Py_ssize_t shape[SPK_PROBE_MAX_DIMS];
  Py_ssize_t strides[SPK_PROBE_MAX_DIMS];
  Py_ssize_t itemsize;
  Py_ssize_t row_bytes;      /* one sample: the signal's size in bytes */
  gboolean contiguous;
  double period;             /* Nengo's sample_every / dt, or 1 */
  guint8 *rows;              /* samples not yet taken, back to back */
  gsize len, capacity;       /* bytes in rows, and allocated */
  gsize n_rows;
} SpkProbeRecorder;

/* Fills rec from a Python buffer (any dtype, at most SPK_PROBE_MAX_DIMS
 * dimensions); the caller keeps obj alive as long as rec is used. */
gboolean spk_probe_recorder_init  (SpkProbeRecorder *rec,
                                   PyObject         *obj,
                                   double            period);
void     spk_probe_recorder_clear (SpkProbeRecorder *rec);
/* Records one sample if step is a sampling step (Nengo's
 * `n_steps % period < 1`). */
void     spk_probe_recorder_step  (SpkProbeRecorder *rec,
                                   gint64            step);
/* (bytes, n_rows) of the samples recorded since the last take; empties
 * the recorder. */
PyObject *spk_probe_recorder_take (SpkProbeRecorder *rec);
