/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _engine-probes.c — probe recorders (see the header).
 *
 * Nengo's simulator copies every probed signal into a Python list after
 * each step; here the copy is a memcpy into a growing C buffer, and Python
 * sees the samples only when it asks (sim.data, pickling), as one bytes
 * object numpy wraps without copying.  The bytes are the signal's own, in
 * C order, whatever its dtype, so the data is what Nengo's `.copy()`
 * would have recorded.
 */
#include "_engine-probes.h"

#include <math.h>
#include <string.h>

gboolean
spk_probe_recorder_init (SpkProbeRecorder *rec,
                         PyObject         *obj,
                         double            period)
{
  Py_buffer buf;

  memset (rec, 0, sizeof *rec);
  if (!(period > 0) || !isfinite (period))
    {
      PyErr_SetString (PyExc_ValueError, "probe: the period must be a positive number");
      return FALSE;
    }
  if (PyObject_GetBuffer (obj, &buf, PyBUF_RECORDS_RO) < 0)
    return FALSE;
  if (buf.ndim > SPK_PROBE_MAX_DIMS)
    {
      PyErr_Format (PyExc_ValueError, "probe: at most %d dimensions (got %d)",
                    SPK_PROBE_MAX_DIMS, buf.ndim);
      PyBuffer_Release (&buf);
      return FALSE;
    }
  rec->data = buf.buf;
  rec->ndim = buf.ndim;
  rec->itemsize = buf.itemsize;
  rec->row_bytes = buf.len;
  for (int d = 0; d < buf.ndim; d++)
    {
      rec->shape[d] = buf.shape[d];
      rec->strides[d] = buf.strides != NULL ? buf.strides[d] : 0;
    }
  rec->contiguous = PyBuffer_IsContiguous (&buf, 'C');
  PyBuffer_Release (&buf);
  rec->period = period;
  return TRUE;
}

void
spk_probe_recorder_clear (SpkProbeRecorder *rec)
{
  g_clear_pointer (&rec->rows, g_free);
  rec->len = rec->capacity = rec->n_rows = 0;
}

/* Appends the elements of dimension d onwards at base, in C order. */
static void
gather (SpkProbeRecorder *rec,
        const char       *base,
        int               d,
        guint8          **out)
{
  if (d == rec->ndim)
    {
      memcpy (*out, base, (size_t) rec->itemsize);
      *out += rec->itemsize;
      return;
    }
  for (Py_ssize_t i = 0; i < rec->shape[d]; i++)
    gather (rec, base + i * rec->strides[d], d + 1, out);
}

void
spk_probe_recorder_step (SpkProbeRecorder *rec,
                         gint64            step)
{
  guint8 *out;

  /* Python's float % for non-negative operands is fmod. */
  if (rec->period != 1.0 && !(fmod ((double) step, rec->period) < 1.0))
    return;
  if (rec->capacity - rec->len < (gsize) rec->row_bytes)
    {
      /* Doubling keeps the copies amortised O(1) per sample (and
       * g_realloc aborts rather than return NULL). */
      rec->capacity = MAX (rec->capacity * 2, rec->len + (gsize) rec->row_bytes);
      rec->capacity = MAX (rec->capacity, 4096);
      rec->rows = g_realloc (rec->rows, rec->capacity);
    }
  out = rec->rows + rec->len;
  rec->len += (gsize) rec->row_bytes;
  if (rec->contiguous)
    memcpy (out, rec->data, (size_t) rec->row_bytes);
  else
    gather (rec, rec->data, 0, &out);
  rec->n_rows++;
}

PyObject *
spk_probe_recorder_take (SpkProbeRecorder *rec)
{
  PyObject *bytes = PyBytes_FromStringAndSize ((const char *) rec->rows, (Py_ssize_t) rec->len);
  PyObject *result;

  if (bytes == NULL)
    return NULL;
  result = Py_BuildValue ("(Nn)", bytes, (Py_ssize_t) rec->n_rows);
  rec->len = rec->n_rows = 0;
  return result;
}
