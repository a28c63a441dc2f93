/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _layers.c — the `spikeworks._layers` extension: the engine's own layer
 * kernels (engine/ops/spk-ops-layer.h) and expression language
 * (engine/expr/spk-expr.h) for spikeworks.layers, so a layer computes in a
 * Python run exactly what it computes in the engine's plan and training.
 * Every array is float64, row-major, passed as a buffer; results come back
 * as bytes of float64 for numpy to reshape.
 *
 * window(h, w, c, kh, kw, sh, sw, same, what) → (out_h, out_w); raises
 *         ValueError with the engine's message for a window that does not fit.
 *         sh, sw: the strides down the rows and across the columns.
 * dense(x, batch, n_in, W, n_out, b or None) → bytes (batch × n_out).
 * conv2d(x, batch, h, w, c, kh, kw, sh, sw, same, K, filters, b or None) → bytes.
 * avgpool(x, batch, h, w, c, kh, kw, sh, sw, same) → bytes.
 * batchnorm(x, n, c, gamma, beta, mean, var, epsilon) → bytes (inference).
 * expr_compile(source, size_in) → capsule; ValueError with the engine's
 *         message (column and caret) for a bad expression.
 * expr_info(capsule) → (size_out, uses_time, uses_input).
 * expr_eval(capsule, t, x or None, batch) → bytes (batch × size_out).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <glib.h>

#include "expr/spk-expr.h"
#include "ops/spk-ops-layer.h"

PyMODINIT_FUNC PyInit__layers (void);

#define EXPR_CAPSULE "spikeworks._layers.expr"

static PyObject *
raise_gerror (GError *error)
{
  PyErr_SetString (PyExc_ValueError, error->message);
  g_error_free (error);
  return NULL;
}

/* TRUE when view holds exactly count doubles; else a ValueError naming what. */
static gboolean
check_size (const Py_buffer *view,
            gsize            count,
            const char      *what)
{
  if ((gsize) view->len != count * sizeof (double))
    {
      PyErr_Format (PyExc_ValueError, "%s: expected %zu float64 values, got %zd bytes",
                    what, count, view->len);
      return FALSE;
    }
  return TRUE;
}

/* A result buffer of count doubles (a bytes object written in place). */
static PyObject *
new_result (gsize    count,
            double **data)
{
  PyObject *out = PyBytes_FromStringAndSize (NULL, (Py_ssize_t) (count * sizeof (double)));

  if (out != NULL)
    *data = (double *) PyBytes_AS_STRING (out);
  return out;
}

static gboolean
make_window (SpkLayerWindow *win,
             unsigned        h,
             unsigned        w,
             unsigned        c,
             unsigned        kh,
             unsigned        kw,
             unsigned        sh,
             unsigned        sw,
             int             same,
             const char     *what)
{
  GError *error = NULL;

  *win = (SpkLayerWindow) { .h = h, .w = w, .c = c, .kh = kh, .kw = kw, .stride = sh, .stride_w = sw,
                            .same = same };
  /* A zero column stride would mean "as the rows": refuse it as the rows' is. */
  if (sw == 0)
    win->stride = 0;
  if (!spk_layer_window_init (win, what, &error))
    {
      raise_gerror (error);
      return FALSE;
    }
  return TRUE;
}

static PyObject *
layers_window (PyObject *module,
               PyObject *args)
{
  unsigned h, w, c, kh, kw, sh, sw;
  int same;
  const char *what;
  SpkLayerWindow win;

  if (!PyArg_ParseTuple (args, "IIIIIIIps", &h, &w, &c, &kh, &kw, &sh, &sw, &same, &what))
    return NULL;
  if (!make_window (&win, h, w, c, kh, kw, sh, sw, same, what))
    return NULL;
  return Py_BuildValue ("(II)", win.out_h, win.out_w);
}

/* An optional buffer argument: None, or a buffer held in view. */
static gboolean
optional_buffer (PyObject  *obj,
                 Py_buffer *view,
                 gboolean  *given)
{
  *given = FALSE;
  if (obj == Py_None)
    return TRUE;
  if (PyObject_GetBuffer (obj, view, PyBUF_C_CONTIGUOUS) != 0)
    return FALSE;
  *given = TRUE;
  return TRUE;
}

static PyObject *
layers_dense (PyObject *module,
              PyObject *args)
{
  Py_buffer x, W, b = { 0 };
  unsigned batch, n_in, n_out;
  PyObject *b_obj, *out = NULL;
  gboolean has_b = FALSE;
  double *y;

  if (!PyArg_ParseTuple (args, "y*IIy*IO", &x, &batch, &n_in, &W, &n_out, &b_obj))
    return NULL;
  if (optional_buffer (b_obj, &b, &has_b)
      && check_size (&x, (gsize) batch * n_in, "dense input")
      && check_size (&W, (gsize) n_in * n_out, "dense weights")
      && (!has_b || check_size (&b, n_out, "dense bias"))
      && (out = new_result ((gsize) batch * n_out, &y)) != NULL)
    spk_layer_dense_forward_f64 (y, x.buf, W.buf, has_b ? b.buf : NULL, batch, n_in, n_out);
  PyBuffer_Release (&x);
  PyBuffer_Release (&W);
  if (has_b)
    PyBuffer_Release (&b);
  return out;
}

static PyObject *
layers_conv2d (PyObject *module,
               PyObject *args)
{
  Py_buffer x, K, b = { 0 };
  unsigned batch, h, w, c, kh, kw, sh, sw, filters;
  int same;
  PyObject *b_obj, *out = NULL;
  gboolean has_b = FALSE;
  SpkLayerWindow win;
  double *y;

  if (!PyArg_ParseTuple (args, "y*IIIIIIIIpy*IO", &x, &batch, &h, &w, &c, &kh, &kw, &sh, &sw, &same,
                         &K, &filters, &b_obj))
    return NULL;
  if (optional_buffer (b_obj, &b, &has_b)
      && make_window (&win, h, w, c, kh, kw, sh, sw, same, "conv2d")
      && check_size (&x, (gsize) batch * h * w * c, "conv2d input")
      && check_size (&K, (gsize) kh * kw * c * filters, "conv2d kernel")
      && (!has_b || check_size (&b, filters, "conv2d bias"))
      && (out = new_result ((gsize) batch * win.out_h * win.out_w * filters, &y)) != NULL)
    {
      g_autofree double *cols = g_new (double, (gsize) batch * win.out_h * win.out_w * kh * kw * c);

      spk_layer_conv2d_forward_f64 (y, cols, x.buf, K.buf, has_b ? b.buf : NULL, &win, filters, batch);
    }
  PyBuffer_Release (&x);
  PyBuffer_Release (&K);
  if (has_b)
    PyBuffer_Release (&b);
  return out;
}

static PyObject *
layers_avgpool (PyObject *module,
                PyObject *args)
{
  Py_buffer x;
  unsigned batch, h, w, c, kh, kw, sh, sw;
  int same;
  PyObject *out = NULL;
  SpkLayerWindow win;
  double *y;

  if (!PyArg_ParseTuple (args, "y*IIIIIIIIp", &x, &batch, &h, &w, &c, &kh, &kw, &sh, &sw, &same))
    return NULL;
  if (make_window (&win, h, w, c, kh, kw, sh, sw, same, "average-pooling2d")
      && check_size (&x, (gsize) batch * h * w * c, "pooling input")
      && (out = new_result ((gsize) batch * win.out_h * win.out_w * c, &y)) != NULL)
    spk_layer_avgpool_forward_f64 (y, x.buf, &win, batch);
  PyBuffer_Release (&x);
  return out;
}

static PyObject *
layers_batchnorm (PyObject *module,
                  PyObject *args)
{
  Py_buffer x, gamma, beta, mean, var;
  unsigned n, c;
  double eps;
  PyObject *out = NULL;
  double *y;

  if (!PyArg_ParseTuple (args, "y*IIy*y*y*y*d", &x, &n, &c, &gamma, &beta, &mean, &var, &eps))
    return NULL;
  if (check_size (&x, (gsize) n * c, "batch-normalization input")
      && check_size (&gamma, c, "gamma") && check_size (&beta, c, "beta")
      && check_size (&mean, c, "moving_mean") && check_size (&var, c, "moving_var")
      && (out = new_result ((gsize) n * c, &y)) != NULL)
    {
      /* Inference reads the moving statistics and never writes them; the
       * kernel's pointers are not const only for training's sake. */
      g_autofree double *m = g_memdup2 (mean.buf, c * sizeof (double));
      g_autofree double *v = g_memdup2 (var.buf, c * sizeof (double));

      spk_layer_batchnorm_forward_f64 (y, NULL, NULL, x.buf, gamma.buf, beta.buf, m, v, 0.0, eps,
                                       FALSE, n, c);
    }
  PyBuffer_Release (&x);
  PyBuffer_Release (&gamma);
  PyBuffer_Release (&beta);
  PyBuffer_Release (&mean);
  PyBuffer_Release (&var);
  return out;
}

static void
expr_capsule_free (PyObject *capsule)
{
  spk_expr_unref (PyCapsule_GetPointer (capsule, EXPR_CAPSULE));
}

static PyObject *
layers_expr_compile (PyObject *module,
                     PyObject *args)
{
  const char *source;
  unsigned size_in;
  GError *error = NULL;
  SpkExpr *expr;

  if (!PyArg_ParseTuple (args, "sI", &source, &size_in))
    return NULL;
  expr = spk_expr_compile (source, size_in, &error);
  if (expr == NULL)
    return raise_gerror (error);
  return PyCapsule_New (expr, EXPR_CAPSULE, expr_capsule_free);
}

static PyObject *
layers_expr_info (PyObject *module,
                  PyObject *capsule)
{
  const SpkExpr *expr = PyCapsule_GetPointer (capsule, EXPR_CAPSULE);

  if (expr == NULL)
    return NULL;
  return Py_BuildValue ("(INN)", spk_expr_get_size_out (expr), PyBool_FromLong (spk_expr_uses_time (expr)),
                        PyBool_FromLong (spk_expr_uses_input (expr)));
}

static PyObject *
layers_expr_eval (PyObject *module,
                  PyObject *args)
{
  PyObject *capsule, *x_obj, *out = NULL;
  Py_buffer x = { 0 };
  gboolean has_x = FALSE;
  unsigned batch;
  double t, *y;
  const SpkExpr *expr;

  if (!PyArg_ParseTuple (args, "OdOI", &capsule, &t, &x_obj, &batch))
    return NULL;
  expr = PyCapsule_GetPointer (capsule, EXPR_CAPSULE);
  if (expr == NULL || !optional_buffer (x_obj, &x, &has_x))
    return NULL;
  if (!has_x && spk_expr_get_size_in (expr) > 0)
    PyErr_SetString (PyExc_ValueError, "the expression takes an input x");
  else if ((!has_x || check_size (&x, (gsize) batch * spk_expr_get_size_in (expr), "expression input"))
           && (out = new_result ((gsize) batch * spk_expr_get_size_out (expr), &y)) != NULL)
    spk_expr_eval (expr, NULL, t, has_x ? x.buf : NULL, batch, y);
  if (has_x)
    PyBuffer_Release (&x);
  return out;
}

static PyMethodDef module_methods[] = {
  { "window", layers_window, METH_VARARGS,
    "window(h, w, c, kh, kw, sh, sw, same, what): (out_h, out_w) of a conv2d or pooling window" },
  { "dense", layers_dense, METH_VARARGS, "dense(x, batch, n_in, W, n_out, b): x·W + b as float64 bytes" },
  { "conv2d", layers_conv2d, METH_VARARGS,
    "conv2d(x, batch, h, w, c, kh, kw, sh, sw, same, K, filters, b): the engine's Conv2D" },
  { "avgpool", layers_avgpool, METH_VARARGS,
    "avgpool(x, batch, h, w, c, kh, kw, sh, sw, same): the engine's AveragePooling2D" },
  { "batchnorm", layers_batchnorm, METH_VARARGS,
    "batchnorm(x, n, c, gamma, beta, mean, var, epsilon): the engine's BatchNormalization in inference" },
  { "expr_compile", layers_expr_compile, METH_VARARGS,
    "expr_compile(source, size_in): the expression compiled by the engine, as a capsule" },
  { "expr_info", layers_expr_info, METH_O, "expr_info(capsule): (size_out, uses_time, uses_input)" },
  { "expr_eval", layers_expr_eval, METH_VARARGS,
    "expr_eval(capsule, t, x, batch): the expression over a batch, as float64 bytes" },
  { NULL, NULL, 0, NULL },
};

static struct PyModuleDef layers_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "spikeworks._layers",
  .m_doc = "The engine's layer kernels and expressions for spikeworks.layers.",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__layers (void)
{
  return PyModule_Create (&layers_module);
}
