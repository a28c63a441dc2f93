/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _engine.c — the CPython extension under the `spikeworks` package: a
 * `Plan` type over the engine's SpkExternalPlan.
 *
 * Arrays arrive through the buffer protocol (numpy's, no numpy headers
 * needed): the plan keeps a reference to every array it was given and
 * works on their memory in place, so Nengo's signals and the engine share
 * one copy.  Operators the engine has natively become C operators; any
 * other step is a Python callable that the plan calls at its place in the
 * order.
 *
 * Contract: a Plan is used by the thread that holds the GIL (the one that
 * called step()).  The engine calls back into Python only from inside
 * step(), on that thread; nothing here starts threads.  A callback that
 * raises stops the step, and the exception (with its traceback) leaves
 * step() unchanged.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <glib.h>
#include <math.h>

#include "_engine-probes.h"
#include "core/spk-error.h"
#include "ops/spk-ops-neurons.h"
#include "sim/spk-external-plan.h"

typedef struct
{
  PyObject_HEAD
  SpkExternalPlan *plan;
  PyObject *keep;            /* list: every array and callable the plan uses */
  GArray *probes;            /* of SpkProbeRecorder */
  const void *clock;         /* Nengo's step counter, read after each step */
  Py_ssize_t clock_size;     /* its width in bytes: 8, 4 or 2 */
  gboolean stopped;          /* stop() was called: run() returns early */
  gboolean single;           /* float32 signals (a float32 Nengo model) */
  Py_ssize_t steps_done;     /* steps the last run() completed */
} PlanObject;

PyMODINIT_FUNC PyInit__engine (void);

/* The plan's element type: its struct format, size and numpy name. */
static const char *
real_format (PlanObject *self)
{
  return self->single ? "f" : "d";
}

static Py_ssize_t
real_size (PlanObject *self)
{
  return self->single ? (Py_ssize_t) sizeof (float) : (Py_ssize_t) sizeof (double);
}

static const char *
real_name (PlanObject *self)
{
  return self->single ? "float32" : "float64";
}

/* Fills view from an array of the plan's type of 0, 1 or 2 dimensions. */
static gboolean
get_view (PlanObject *self,
          PyObject   *obj,
          gboolean    writable,
          const char *what,
          SpkView    *view)
{
  Py_buffer buf;
  int flags = PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);

  if (PyObject_GetBuffer (obj, &buf, flags) < 0)
    return FALSE;
  if (buf.itemsize != real_size (self) || buf.format == NULL
      || strcmp (buf.format, real_format (self)) != 0)
    {
      PyErr_Format (PyExc_TypeError, "%s: a %s array is needed (got format '%s')",
                    what, real_name (self), buf.format != NULL ? buf.format : "?");
      PyBuffer_Release (&buf);
      return FALSE;
    }
  if (buf.ndim == 2 && (buf.strides[0] % real_size (self) != 0
                        || buf.strides[1] % real_size (self) != 0))
    {
      PyErr_Format (PyExc_TypeError, "%s: strides are not whole elements", what);
      PyBuffer_Release (&buf);
      return FALSE;
    }
  if (buf.ndim == 1 && buf.strides[0] % real_size (self) != 0)
    {
      PyErr_Format (PyExc_TypeError, "%s: strides are not whole elements", what);
      PyBuffer_Release (&buf);
      return FALSE;
    }
  if (buf.ndim > 2)
    {
      PyErr_Format (PyExc_TypeError, "%s: at most 2 dimensions (got %d)", what, buf.ndim);
      PyBuffer_Release (&buf);
      return FALSE;
    }
  view->data = buf.buf;
  view->rows = buf.ndim >= 1 ? (gsize) buf.shape[0] : 1;
  view->cols = buf.ndim == 2 ? (gsize) buf.shape[1] : 1;
  view->row_stride = buf.ndim >= 1 ? buf.strides[0] / real_size (self) : 0;
  view->col_stride = buf.ndim == 2 ? buf.strides[1] / real_size (self) : 0;
  PyBuffer_Release (&buf);
  if (PyList_Append (self->keep, obj) < 0)
    return FALSE;
  return TRUE;
}

/* A contiguous vector of doubles, or of the plan's type with `real`
 * (any number of dimensions, C order). */
static gpointer
get_contiguous_of (PlanObject *self,
                   PyObject   *obj,
                   gboolean    writable,
                   gboolean    real,
                   const char *what,
                   gsize      *n)
{
  Py_buffer buf;
  int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
  const char *format = real ? real_format (self) : "d";
  Py_ssize_t size = real ? real_size (self) : (Py_ssize_t) sizeof (double);
  gpointer data;

  if (PyObject_GetBuffer (obj, &buf, flags) < 0)
    return NULL;
  if (buf.itemsize != size || buf.format == NULL || strcmp (buf.format, format) != 0)
    {
      PyErr_Format (PyExc_TypeError, "%s: a %s array is needed", what,
                    real ? real_name (self) : "float64");
      PyBuffer_Release (&buf);
      return NULL;
    }
  data = buf.buf;
  *n = (gsize) (buf.len / size);
  PyBuffer_Release (&buf);
  if (PyList_Append (self->keep, obj) < 0)
    return NULL;
  return data;
}

/* A contiguous vector of the plan's element type. */
static gpointer
get_contiguous (PlanObject *self,
                PyObject   *obj,
                gboolean    writable,
                const char *what,
                gsize      *n)
{
  return get_contiguous_of (self, obj, writable, TRUE, what, n);
}

/* A contiguous int64 vector. */
static gint64 *
get_int64 (PlanObject *self,
           PyObject   *obj,
           const char *what,
           gsize      *n)
{
  Py_buffer buf;
  gint64 *data;

  if (PyObject_GetBuffer (obj, &buf, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
    return NULL;
  if (buf.itemsize != sizeof (gint64) || buf.format == NULL
      || (strcmp (buf.format, "l") != 0 && strcmp (buf.format, "q") != 0))
    {
      PyErr_Format (PyExc_TypeError, "%s: an int64 array is needed", what);
      PyBuffer_Release (&buf);
      return NULL;
    }
  data = buf.buf;
  *n = (gsize) (buf.len / (Py_ssize_t) sizeof (gint64));
  PyBuffer_Release (&buf);
  if (PyList_Append (self->keep, obj) < 0)
    return NULL;
  return data;
}

static PyObject *
raise_gerror (GError *error)
{
  PyErr_SetString (PyExc_ValueError, error->message);
  g_error_free (error);
  return NULL;
}

static int
plan_init (PlanObject *self,
           PyObject   *args,
           PyObject   *kwargs)
{
  static char *kwlist[] = { "dt", "single", NULL };
  double dt;
  int single = 0;

  if (!PyArg_ParseTupleAndKeywords (args, kwargs, "d|p", kwlist, &dt, &single))
    return -1;
  if (!isfinite (dt))
    {
      PyErr_SetString (PyExc_ValueError, "dt must be a finite number");
      return -1;
    }
  g_clear_pointer (&self->plan, spk_external_plan_unref);
  g_clear_pointer (&self->probes, g_array_unref);
  Py_CLEAR (self->keep);
  self->plan = spk_external_plan_new_full (dt, single);
  self->single = single;
  self->probes = g_array_new (FALSE, TRUE, sizeof (SpkProbeRecorder));
  g_array_set_clear_func (self->probes, (GDestroyNotify) spk_probe_recorder_clear);
  self->clock = NULL;
  self->stopped = FALSE;
  self->steps_done = 0;
  self->keep = PyList_New (0);
  return self->keep != NULL ? 0 : -1;
}

static void
plan_dealloc (PlanObject *self)
{
  PyObject_GC_UnTrack (self);
  g_clear_pointer (&self->plan, spk_external_plan_unref);
  g_clear_pointer (&self->probes, g_array_unref);
  Py_CLEAR (self->keep);
  Py_TYPE (self)->tp_free ((PyObject *) self);
}

static int
plan_traverse (PlanObject *self,
               visitproc   visit,
               void       *arg)
{
  Py_VISIT (self->keep);
  return 0;
}

static int
plan_clear (PlanObject *self)
{
  /* The engine plan holds borrowed pointers into `keep`'s arrays and
   * callables, and so do the probes: drop them first. */
  g_clear_pointer (&self->plan, spk_external_plan_unref);
  g_clear_pointer (&self->probes, g_array_unref);
  self->clock = NULL;
  Py_CLEAR (self->keep);
  return 0;
}

static gboolean
check_open (PlanObject *self)
{
  if (self->plan == NULL)
    {
      PyErr_SetString (PyExc_RuntimeError, "the plan has been cleared");
      return FALSE;
    }
  return TRUE;
}

static PyObject *
plan_add_time_update (PlanObject *self,
                      PyObject   *args)
{
  PyObject *step_obj, *time_obj;
  gsize n_time = 0;
  gpointer step, time;
  Py_buffer buf;
  /* Nengo's int dtype: int64, or int32 in a float32 model. */
  const Py_ssize_t int_size = self->single ? 4 : 8;

  if (!check_open (self) || !PyArg_ParseTuple (args, "OO", &step_obj, &time_obj))
    return NULL;
  if (PyObject_GetBuffer (step_obj, &buf, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0)
    return NULL;
  if (buf.itemsize != int_size || buf.format == NULL || buf.format[0] == '\0'
      || strchr ("ilq", buf.format[0]) == NULL || buf.format[1] != '\0'
      || buf.len != int_size)
    {
      PyBuffer_Release (&buf);
      PyErr_Format (PyExc_TypeError, "time update: step must be one int%d", (int) int_size * 8);
      return NULL;
    }
  step = buf.buf;
  PyBuffer_Release (&buf);
  if (PyList_Append (self->keep, step_obj) < 0)
    return NULL;
  time = get_contiguous (self, time_obj, TRUE, "time update", &n_time);
  if (time == NULL)
    return NULL;
  if (n_time != 1)
    {
      PyErr_SetString (PyExc_TypeError, "time update: step and time must be scalars");
      return NULL;
    }
  spk_external_plan_add_time_update (self->plan, step, time);
  Py_RETURN_NONE;
}

static PyObject *
plan_add_reset (PlanObject *self,
                PyObject   *args)
{
  PyObject *dst_obj;
  double value;
  SpkView dst;

  if (!check_open (self) || !PyArg_ParseTuple (args, "Od", &dst_obj, &value))
    return NULL;
  if (!get_view (self, dst_obj, TRUE, "reset", &dst))
    return NULL;
  spk_external_plan_add_reset (self->plan, &dst, value);
  Py_RETURN_NONE;
}

static PyObject *
plan_add_copy (PlanObject *self,
               PyObject   *args)
{
  PyObject *src_obj, *src_rows_obj, *dst_obj, *dst_rows_obj;
  int inc;
  SpkView src, dst;
  gint64 *src_rows = NULL, *dst_rows = NULL;
  gsize n_src = 0, n_dst = 0;
  GError *error = NULL;

  if (!check_open (self)
      || !PyArg_ParseTuple (args, "OOOOp", &src_obj, &src_rows_obj, &dst_obj, &dst_rows_obj, &inc))
    return NULL;
  if (!get_view (self, src_obj, FALSE, "copy source", &src)
      || !get_view (self, dst_obj, TRUE, "copy destination", &dst))
    return NULL;
  if (src_rows_obj != Py_None
      && (src_rows = get_int64 (self, src_rows_obj, "copy source rows", &n_src)) == NULL)
    return NULL;
  if (dst_rows_obj != Py_None
      && (dst_rows = get_int64 (self, dst_rows_obj, "copy destination rows", &n_dst)) == NULL)
    return NULL;
  if (!spk_external_plan_add_copy (self->plan, &src, src_rows, n_src, &dst, dst_rows, n_dst,
                                   inc, &error))
    return raise_gerror (error);
  Py_RETURN_NONE;
}

typedef gboolean (*AddAXY) (SpkExternalPlan *plan,
                             const SpkView   *a,
                             const SpkView   *x,
                             const SpkView   *y,
                             GError         **error);

/* The operators of the form Y += f(A, X): element-wise and dot products. */
static PyObject *
plan_add_a_x_y (PlanObject *self,
                PyObject   *args,
                AddAXY      add,
                const char *what_a,
                const char *what_x,
                const char *what_y)
{
  PyObject *a_obj, *x_obj, *y_obj;
  SpkView a, x, y;
  GError *error = NULL;

  if (!check_open (self) || !PyArg_ParseTuple (args, "OOO", &a_obj, &x_obj, &y_obj))
    return NULL;
  if (!get_view (self, a_obj, FALSE, what_a, &a)
      || !get_view (self, x_obj, FALSE, what_x, &x)
      || !get_view (self, y_obj, TRUE, what_y, &y))
    return NULL;
  if (!add (self->plan, &a, &x, &y, &error))
    return raise_gerror (error);
  Py_RETURN_NONE;
}

static PyObject *
plan_add_elementwise_inc (PlanObject *self,
                          PyObject   *args)
{
  return plan_add_a_x_y (self, args, spk_external_plan_add_elementwise_inc,
                         "elementwise-inc A", "elementwise-inc X", "elementwise-inc Y");
}

static PyObject *
plan_add_dot_inc (PlanObject *self,
                  PyObject   *args)
{
  return plan_add_a_x_y (self, args, spk_external_plan_add_dot_inc,
                         "dot-inc A", "dot-inc X", "dot-inc Y");
}

static PyObject *
plan_add_sparse_dot_inc (PlanObject *self,
                         PyObject   *args)
{
  PyObject *data_obj, *indices_obj, *indptr_obj, *x_obj, *y_obj;
  Py_ssize_t rows, n_cols;
  gsize n_data = 0, n_indices = 0, n_indptr = 0;
  gpointer data;
  gint64 *indices, *indptr;
  SpkView x, y;
  GError *error = NULL;

  if (!check_open (self)
      || !PyArg_ParseTuple (args, "OOOnnOO", &data_obj, &indices_obj, &indptr_obj, &rows, &n_cols,
                            &x_obj, &y_obj))
    return NULL;
  if ((data = get_contiguous (self, data_obj, FALSE, "sparse data", &n_data)) == NULL
      || (indices = get_int64 (self, indices_obj, "sparse indices", &n_indices)) == NULL
      || (indptr = get_int64 (self, indptr_obj, "sparse indptr", &n_indptr)) == NULL
      || !get_view (self, x_obj, FALSE, "sparse-dot-inc X", &x)
      || !get_view (self, y_obj, TRUE, "sparse-dot-inc Y", &y))
    return NULL;
  if (rows < 0 || n_cols < 0 || n_indptr != (gsize) rows + 1 || n_indices != n_data
      || (n_indptr > 0 && (indptr[0] != 0 || indptr[rows] != (gint64) n_data)))
    {
      PyErr_SetString (PyExc_ValueError, "sparse-dot-inc: inconsistent CSR arrays");
      return NULL;
    }
  for (Py_ssize_t r = 0; r < rows; r++)
    if (indptr[r] > indptr[r + 1])
      {
        PyErr_SetString (PyExc_ValueError, "sparse-dot-inc: indptr must not decrease");
        return NULL;
      }
  if (!spk_external_plan_add_sparse_dot_inc (self->plan, data, indices, indptr, (gsize) rows,
                                             (gsize) n_cols, &x, &y, &error))
    return raise_gerror (error);
  Py_RETURN_NONE;
}

/* add_bsr_dot_inc(blocks (k×r×c), r, c, indices, indptr, n_block_cols, x, y) */
static PyObject *
plan_add_bsr_dot_inc (PlanObject *self,
                      PyObject   *args)
{
  PyObject *blocks_obj, *indices_obj, *indptr_obj, *x_obj, *y_obj;
  Py_ssize_t r, c, n_block_cols;
  gsize n_blocks = 0, n_indices = 0, n_indptr = 0, nx = 0, ny = 0;
  gpointer blocks, x, y;
  gint64 *indices, *indptr;
  GError *error = NULL;

  if (!check_open (self)
      || !PyArg_ParseTuple (args, "OnnOOnOO", &blocks_obj, &r, &c, &indices_obj, &indptr_obj,
                            &n_block_cols, &x_obj, &y_obj))
    return NULL;
  if ((blocks = get_contiguous (self, blocks_obj, FALSE, "bsr blocks", &n_blocks)) == NULL
      || (indices = get_int64 (self, indices_obj, "bsr indices", &n_indices)) == NULL
      || (indptr = get_int64 (self, indptr_obj, "bsr indptr", &n_indptr)) == NULL
      || (x = get_contiguous (self, x_obj, FALSE, "bsr-dot-inc X", &nx)) == NULL
      || (y = get_contiguous (self, y_obj, TRUE, "bsr-dot-inc Y", &ny)) == NULL)
    return NULL;
  if (r <= 0 || c <= 0 || n_block_cols < 0 || n_indptr < 1
      || n_blocks != n_indices * (gsize) r * (gsize) c
      || ny != (n_indptr - 1) * (gsize) r || nx != (gsize) n_block_cols * (gsize) c
      || indptr[0] != 0 || indptr[n_indptr - 1] != (gint64) n_indices)
    {
      PyErr_SetString (PyExc_ValueError, "bsr-dot-inc: inconsistent block sparse arrays");
      return NULL;
    }
  for (gsize i = 0; i + 1 < n_indptr; i++)
    if (indptr[i] > indptr[i + 1])
      {
        PyErr_SetString (PyExc_ValueError, "bsr-dot-inc: indptr must not decrease");
        return NULL;
      }
  if (!spk_external_plan_add_bsr_dot_inc (self->plan, blocks, (gsize) r, (gsize) c, indices,
                                          indptr, n_indptr - 1, (gsize) n_block_cols, x, y,
                                          &error))
    return raise_gerror (error);
  Py_RETURN_NONE;
}

/* add_neurons(kind_name, params: dict, J, output, states: dict) */
static PyObject *
plan_add_neurons (PlanObject *self,
                  PyObject   *args)
{
  const char *kind_name;
  PyObject *params, *j_obj, *out_obj, *states_obj;
  SpkNeuronKind kind;
  g_autoptr (SpkNeuronType) type = NULL;
  const char *names[SPK_NEURON_MAX_STATES * 2];
  gpointer states[SPK_NEURON_MAX_STATES * 2];
  gsize n_j = 0, n_out = 0;
  gpointer J, out;
  guint n_states;
  GError *error = NULL;

  if (!check_open (self)
      || !PyArg_ParseTuple (args, "sO!OOO!", &kind_name, &PyDict_Type, &params, &j_obj, &out_obj,
                            &PyDict_Type, &states_obj))
    return NULL;
  if (!spk_neuron_kind_from_name (kind_name, &kind) || spk_neuron_kind_is_wrapper (kind))
    {
      PyErr_Format (PyExc_TypeError, "neurons: %s is not a native neuron type", kind_name);
      return NULL;
    }
  type = spk_neuron_type_new (kind);
  for (const SpkNeuronParam *p = spk_neuron_kind_params (kind); p != NULL && p->name != NULL; p++)
    {
      PyObject *v = PyDict_GetItemString (params, p->name);
      double d;

      if (v == NULL)
        {
          PyErr_Format (PyExc_TypeError, "neurons: %s needs parameter %s", kind_name, p->name);
          return NULL;
        }
      d = PyFloat_AsDouble (v);
      if (d == -1.0 && PyErr_Occurred ())
        return NULL;
      spk_neuron_type_set_param (type, p, d);
    }
  if (PyDict_Size (params) != 0)
    {
      /* every given parameter must be one the engine knows */
      PyObject *key, *value;
      Py_ssize_t pos = 0;

      while (PyDict_Next (params, &pos, &key, &value))
        {
          const char *name = PyUnicode_AsUTF8 (key);

          if (name == NULL)
            return NULL;
          if (spk_neuron_kind_find_param (kind, name) == NULL)
            {
              PyErr_Format (PyExc_TypeError, "neurons: %s has no parameter %s", kind_name, name);
              return NULL;
            }
        }
    }
  if ((J = get_contiguous (self, j_obj, FALSE, "neurons J", &n_j)) == NULL
      || (out = get_contiguous (self, out_obj, TRUE, "neurons output", &n_out)) == NULL)
    return NULL;
  if (n_j != n_out)
    {
      PyErr_SetString (PyExc_ValueError, "neurons: J and output differ in size");
      return NULL;
    }
  n_states = spk_neuron_type_state_names (type, names);
  if ((Py_ssize_t) n_states != PyDict_Size (states_obj))
    {
      PyErr_Format (PyExc_TypeError, "neurons: %s has %u state arrays, got %zd", kind_name,
                    n_states, PyDict_Size (states_obj));
      return NULL;
    }
  for (guint i = 0; i < n_states; i++)
    {
      PyObject *s = PyDict_GetItemString (states_obj, names[i]);
      gsize n = 0;

      if (s == NULL)
        {
          PyErr_Format (PyExc_TypeError, "neurons: state %s is missing", names[i]);
          return NULL;
        }
      if ((states[i] = get_contiguous (self, s, TRUE, names[i], &n)) == NULL)
        return NULL;
      if (n != n_j)
        {
          PyErr_Format (PyExc_ValueError, "neurons: state %s has %zu values for %zu neurons",
                        names[i], (size_t) n, (size_t) n_j);
          return NULL;
        }
    }
  if (!spk_external_plan_add_neurons (self->plan, type, J, out, states, n_j, &error))
    return raise_gerror (error);
  Py_RETURN_NONE;
}

/* add_linear_filter(A, B, C, D, X, u, y, inc): A (k×k), B, C (k) as float64 arrays. */
static PyObject *
plan_add_linear_filter (PlanObject *self,
                        PyObject   *args)
{
  PyObject *a_obj, *b_obj, *c_obj, *x_obj, *u_obj, *y_obj;
  double D;
  int inc;
  gsize na = 0, nb = 0, nc = 0, nx = 0, nu = 0, ny = 0;
  double *A, *B, *C;
  gpointer X, u, y;
  GError *error = NULL;

  if (!check_open (self)
      || !PyArg_ParseTuple (args, "OOOdOOOp", &a_obj, &b_obj, &c_obj, &D, &x_obj, &u_obj, &y_obj,
                            &inc))
    return NULL;
  /* The coefficients are float64 whatever the signals' type. */
  if ((A = get_contiguous_of (self, a_obj, FALSE, FALSE, "filter A", &na)) == NULL
      || (B = get_contiguous_of (self, b_obj, FALSE, FALSE, "filter B", &nb)) == NULL
      || (C = get_contiguous_of (self, c_obj, FALSE, FALSE, "filter C", &nc)) == NULL
      || (X = get_contiguous (self, x_obj, TRUE, "filter state", &nx)) == NULL
      || (u = get_contiguous (self, u_obj, FALSE, "filter input", &nu)) == NULL
      || (y = get_contiguous (self, y_obj, TRUE, "filter output", &ny)) == NULL)
    return NULL;
  if (nb * nb != na || nc != nb || nu != ny || nx != nb * nu)
    {
      PyErr_SetString (PyExc_ValueError, "linear filter: inconsistent shapes");
      return NULL;
    }
  if (!spk_external_plan_add_linear_filter (self->plan, A, B, C, D, (guint) nb, X, u, y, nu, inc,
                                            &error))
    return raise_gerror (error);
  Py_RETURN_NONE;
}

static gboolean
python_step_cb (gpointer  user_data,
                GError  **error)
{
  PyObject *result = PyObject_CallNoArgs (user_data);

  if (result == NULL)
    {
      /* The Python exception stays set: step() hands it on. */
      g_set_error_literal (error, SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT, "Python step failed");
      return FALSE;
    }
  Py_DECREF (result);
  return TRUE;
}

static PyObject *
plan_add_callback (PlanObject *self,
                   PyObject   *args)
{
  PyObject *fn;

  if (!check_open (self) || !PyArg_ParseTuple (args, "O", &fn))
    return NULL;
  if (!PyCallable_Check (fn))
    {
      PyErr_SetString (PyExc_TypeError, "callback: not callable");
      return NULL;
    }
  if (PyList_Append (self->keep, fn) < 0)
    return NULL;
  /* `keep` holds the reference; the engine borrows it. */
  spk_external_plan_add_callback (self->plan, python_step_cb, fn, NULL);
  Py_RETURN_NONE;
}

/* One engine step and the probes' samples; FALSE with a Python
 * exception set. */
static gboolean
run_one_step (PlanObject *self)
{
  GError *error = NULL;

  if (!spk_external_plan_step (self->plan, &error))
    {
      if (!PyErr_Occurred ())
        PyErr_SetString (PyExc_RuntimeError, error->message);
      g_error_free (error);
      return FALSE;
    }
  if (self->clock != NULL)
    {
      gint64 now = self->clock_size == 8 ? *(const gint64 *) self->clock
                 : self->clock_size == 4 ? *(const gint32 *) self->clock
                 : *(const gint16 *) self->clock;

      for (guint i = 0; i < self->probes->len; i++)
        spk_probe_recorder_step (&g_array_index (self->probes, SpkProbeRecorder, i), now);
    }
  return TRUE;
}

static PyObject *
plan_run (PlanObject *self,
          PyObject   *args)
{
  Py_ssize_t n = 1;

  if (!check_open (self) || !PyArg_ParseTuple (args, "|n", &n))
    return NULL;
  self->steps_done = 0;
  /* `stopped` and `plan` are checked every step: Python code inside the
   * step may close the simulator (the caller holds a reference to this
   * object, so it stays alive until run() returns). */
  while (self->steps_done < n && !self->stopped && self->plan != NULL)
    {
      if (!run_one_step (self))
        return NULL;
      self->steps_done++;
    }
  return PyLong_FromSsize_t (self->steps_done);
}

static PyObject *
plan_add_probe (PlanObject *self,
                PyObject   *args)
{
  PyObject *signal;
  double period;
  SpkProbeRecorder rec;

  if (!check_open (self) || !PyArg_ParseTuple (args, "Od", &signal, &period))
    return NULL;
  if (!spk_probe_recorder_init (&rec, signal, period))
    return NULL;
  if (PyList_Append (self->keep, signal) < 0)
    return NULL;
  g_array_append_val (self->probes, rec);
  return PyLong_FromUnsignedLong (self->probes->len - 1);
}

static PyObject *
plan_set_clock (PlanObject *self,
                PyObject   *args)
{
  PyObject *obj;
  Py_buffer buf;

  if (!check_open (self) || !PyArg_ParseTuple (args, "O", &obj))
    return NULL;
  if (PyObject_GetBuffer (obj, &buf, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
    return NULL;
  /* Nengo's step counter has its precision's width: int64, int32, or
   * int16 in a float16 model. */
  if (buf.len != buf.itemsize || buf.format == NULL || buf.format[0] == '\0'
      || strchr ("hilq", buf.format[0]) == NULL || buf.format[1] != '\0'
      || (buf.itemsize != 2 && buf.itemsize != 4 && buf.itemsize != 8))
    {
      PyErr_SetString (PyExc_TypeError, "clock: one int16, int32 or int64 value is needed");
      PyBuffer_Release (&buf);
      return NULL;
    }
  self->clock = buf.buf;
  self->clock_size = buf.itemsize;
  PyBuffer_Release (&buf);
  if (PyList_Append (self->keep, obj) < 0)
    return NULL;
  Py_RETURN_NONE;
}

static PyObject *
plan_take_probe (PlanObject *self,
                 PyObject   *args)
{
  Py_ssize_t i;

  if (!check_open (self) || !PyArg_ParseTuple (args, "n", &i))
    return NULL;
  if (i < 0 || (gsize) i >= self->probes->len)
    {
      PyErr_Format (PyExc_IndexError, "probe %zd: there are %u probes", i, self->probes->len);
      return NULL;
    }
  return spk_probe_recorder_take (&g_array_index (self->probes, SpkProbeRecorder, i));
}

static PyObject *
plan_clear_probes (PlanObject *self,
                   PyObject   *args)
{
  if (self->probes != NULL)
    for (guint i = 0; i < self->probes->len; i++)
      {
        SpkProbeRecorder *rec = &g_array_index (self->probes, SpkProbeRecorder, i);

        rec->len = rec->n_rows = 0;
      }
  Py_RETURN_NONE;
}

static PyObject *
plan_stop (PlanObject *self,
           PyObject   *args)
{
  self->stopped = TRUE;
  Py_RETURN_NONE;
}

static PyObject *
plan_get_steps_done (PlanObject *self,
                     void       *closure)
{
  return PyLong_FromSsize_t (self->steps_done);
}

static PyObject *
plan_get_n_ops (PlanObject *self,
                void       *closure)
{
  return PyLong_FromUnsignedLong (self->plan != NULL ? spk_external_plan_get_n_ops (self->plan) : 0);
}

static PyObject *
plan_get_n_native (PlanObject *self,
                   void       *closure)
{
  return PyLong_FromUnsignedLong (self->plan != NULL ? spk_external_plan_get_n_native (self->plan)
                                                     : 0);
}

static PyMethodDef plan_methods[] = {
  { "add_time_update", (PyCFunction) plan_add_time_update, METH_VARARGS,
    "add_time_update(step, time): step += 1; time = step * dt" },
  { "add_reset", (PyCFunction) plan_add_reset, METH_VARARGS, "add_reset(dst, value)" },
  { "add_copy", (PyCFunction) plan_add_copy, METH_VARARGS,
    "add_copy(src, src_rows, dst, dst_rows, inc): dst[dst_rows] (+)= src[src_rows]" },
  { "add_elementwise_inc", (PyCFunction) plan_add_elementwise_inc, METH_VARARGS,
    "add_elementwise_inc(A, X, Y): Y += A * X (2-D views, size-1 dimensions broadcast)" },
  { "add_dot_inc", (PyCFunction) plan_add_dot_inc, METH_VARARGS,
    "add_dot_inc(A, X, Y): Y += A @ X" },
  { "add_sparse_dot_inc", (PyCFunction) plan_add_sparse_dot_inc, METH_VARARGS,
    "add_sparse_dot_inc(data, indices, indptr, rows, cols, X, Y): Y += csr @ X" },
  { "add_bsr_dot_inc", (PyCFunction) plan_add_bsr_dot_inc, METH_VARARGS,
    "add_bsr_dot_inc(blocks, r, c, indices, indptr, n_block_cols, X, Y): Y += bsr @ X" },
  { "add_neurons", (PyCFunction) plan_add_neurons, METH_VARARGS,
    "add_neurons(kind, params, J, output, states)" },
  { "add_linear_filter", (PyCFunction) plan_add_linear_filter, METH_VARARGS,
    "add_linear_filter(A, B, C, D, X, u, y, inc)" },
  { "add_callback", (PyCFunction) plan_add_callback, METH_VARARGS,
    "add_callback(fn): call fn() at this place in each step" },
  { "run", (PyCFunction) plan_run, METH_VARARGS,
    "run(n=1): run n steps, recording the probes after each; returns the steps run" },
  { "add_probe", (PyCFunction) plan_add_probe, METH_VARARGS,
    "add_probe(signal, period): record signal when clock % period < 1; returns its index" },
  { "set_clock", (PyCFunction) plan_set_clock, METH_VARARGS,
    "set_clock(step): the int64 step counter the probes' periods are counted in" },
  { "take_probe", (PyCFunction) plan_take_probe, METH_VARARGS,
    "take_probe(i): (bytes, n_samples) recorded by probe i since the last take" },
  { "clear_probes", (PyCFunction) plan_clear_probes, METH_NOARGS,
    "clear_probes(): drop every probe's samples" },
  { "stop", (PyCFunction) plan_stop, METH_NOARGS,
    "stop(): a run in progress returns after its current step, later runs at once" },
  { NULL }
};

static PyObject *
plan_get_single (PlanObject *self,
                 void       *closure)
{
  return PyBool_FromLong (self->single);
}

static PyGetSetDef plan_getset[] = {
  { "single", (getter) plan_get_single, NULL, "whether the plan runs over float32 signals", NULL },
  { "n_ops", (getter) plan_get_n_ops, NULL, "operators in the plan", NULL },
  { "n_native", (getter) plan_get_n_native, NULL, "operators the engine runs natively", NULL },
  { "steps_done", (getter) plan_get_steps_done, NULL, "steps the last run() completed", NULL },
  { NULL }
};

static PyTypeObject plan_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "spikeworks._engine.Plan",
  .tp_doc = "An operator list executed by the Spikeworks engine over numpy arrays.",
  .tp_basicsize = sizeof (PlanObject),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
  .tp_new = PyType_GenericNew,
  .tp_init = (initproc) plan_init,
  .tp_dealloc = (destructor) plan_dealloc,
  .tp_traverse = (traverseproc) plan_traverse,
  .tp_clear = (inquiry) plan_clear,
  .tp_methods = plan_methods,
  .tp_getset = plan_getset,
};

static PyObject *
native_neuron_states (PyObject *module,
                      PyObject *args)
{
  const char *kind_name;
  SpkNeuronKind kind;
  g_autoptr (SpkNeuronType) type = NULL;
  const char *names[SPK_NEURON_MAX_STATES * 2];
  guint n;
  PyObject *list;

  if (!PyArg_ParseTuple (args, "s", &kind_name))
    return NULL;
  if (!spk_neuron_kind_from_name (kind_name, &kind) || spk_neuron_kind_is_wrapper (kind))
    Py_RETURN_NONE;
  type = spk_neuron_type_new (kind);
  n = spk_neuron_type_state_names (type, names);
  list = PyList_New (n);
  for (guint i = 0; list != NULL && i < n; i++)
    PyList_SET_ITEM (list, i, PyUnicode_FromString (names[i]));
  return list;
}

static PyMethodDef module_methods[] = {
  { "native_neuron_states", native_neuron_states, METH_VARARGS,
    "native_neuron_states(kind): the engine's state names of a neuron kind, or None" },
  { NULL }
};

static struct PyModuleDef engine_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "spikeworks._engine",
  .m_doc = "The Spikeworks engine's external-plan executor.",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__engine (void)
{
  PyObject *m;

  if (PyType_Ready (&plan_type) < 0)
    return NULL;
  m = PyModule_Create (&engine_module);
  if (m == NULL)
    return NULL;
  Py_INCREF (&plan_type);
  if (PyModule_AddObject (m, "Plan", (PyObject *) &plan_type) < 0)
    {
      Py_DECREF (&plan_type);
      Py_DECREF (m);
      return NULL;
    }
  return m;
}
