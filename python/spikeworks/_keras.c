/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _keras.c — the `spikeworks._keras` extension behind spikeworks.Converter:
 * a Keras 2 HDF5 model converted by the engine (engine/io/spk-keras.h,
 * read through the checked opener like a session), held as a capsule of
 * the converted session, run and saved from Python.
 *
 * convert(path, swaps, scale, synapse, max_to_avg_pool, inference_only,
 *         allow_fallback, error_type) → capsule; swaps is {from: to} of
 *         str; synapse < 0 is None.  Failures raise error_type with the
 *         engine's message.
 * convert_config(json, weights, swaps, scale, …, error_type) → capsule:
 *         the same for a model config (model.to_json()) and its weights,
 *         a list of (layer name or None, shape tuple, float64 buffer).
 * model(capsule) → the network as model JSON (str).
 * inputs(capsule), outputs(capsule) → the input Nodes' and the output
 *         Probes' labels (lists of str).
 * predict(capsule, input, x, batch, n_steps, probe, error_type) → (bytes
 *         of float64, size): x holds batch × n_steps × n float64 values
 *         fed to the Node input; the probe's batch × n_steps × size.
 * save(capsule, path, error_type) writes the session (.spkw).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <glib.h>

#include "io/spk-keras.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"
#include "sim/spk-simulator.h"

PyMODINIT_FUNC PyInit__keras (void);

#define CAPSULE_NAME "spikeworks._keras.session"

static void
capsule_free (PyObject *capsule)
{
  spk_session_unref (PyCapsule_GetPointer (capsule, CAPSULE_NAME));
}

static SpkSession *
session_of (PyObject *capsule)
{
  return PyCapsule_GetPointer (capsule, CAPSULE_NAME);
}

static PyObject *
raise_gerror (PyObject *error_type,
              GError   *error)
{
  PyErr_SetString (error_type, error->message);
  g_error_free (error);
  return NULL;
}

/* The options from Python's arguments; FALSE with the exception set. */
static gboolean
parse_options (SpkKerasOptions *options,
               PyObject        *swaps,
               double           scale,
               double           synapse,
               int              max_to_avg,
               int              inference_only,
               int              allow_fallback,
               PyObject        *error_type)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  GError *error = NULL;

  spk_keras_options_init (options);
  options->scale_firing_rates = scale;
  options->synapse = synapse;
  options->max_to_avg_pool = max_to_avg;
  options->inference_only = inference_only;
  options->allow_fallback = allow_fallback;
  while (PyDict_Next (swaps, &pos, &key, &value))
    {
      const char *from = PyUnicode_AsUTF8 (key), *to = PyUnicode_AsUTF8 (value);
      g_autofree char *text = NULL;

      if (from == NULL || to == NULL)
        return FALSE;
      text = g_strdup_printf ("%s=%s", from, to);
      if (!spk_keras_options_add_swap (options, text, &error))
        {
          raise_gerror (error_type, error);
          return FALSE;
        }
    }
  return TRUE;
}

static PyObject *
keras_convert (PyObject *module,
               PyObject *args)
{
  PyObject *path_obj = NULL, *swaps, *error_type;
  double scale, synapse;
  int max_to_avg, inference_only, allow_fallback;
  SpkKerasOptions options;
  SpkSession *session;
  GError *error = NULL;

  if (!PyArg_ParseTuple (args, "O&O!ddpppO", PyUnicode_FSConverter, &path_obj, &PyDict_Type, &swaps,
                         &scale, &synapse, &max_to_avg, &inference_only, &allow_fallback, &error_type))
    return NULL;
  if (!parse_options (&options, swaps, scale, synapse, max_to_avg, inference_only, allow_fallback, error_type))
    {
      spk_keras_options_clear (&options);
      Py_DECREF (path_obj);
      return NULL;
    }
  Py_BEGIN_ALLOW_THREADS
  session = spk_keras_convert_file (PyBytes_AS_STRING (path_obj), &options, &error);
  Py_END_ALLOW_THREADS
  spk_keras_options_clear (&options);
  Py_DECREF (path_obj);
  if (session == NULL)
    return raise_gerror (error_type, error);
  return PyCapsule_New (session, CAPSULE_NAME, capsule_free);
}

/* One (layer or None, shape, float64 buffer) of convert_config's list into
 * array, its buffer held in view. */
static gboolean
parse_array (PyObject      *item,
             SpkKerasArray *array,
             Py_buffer     *view,
             PyObject      *error_type)
{
  PyObject *layer, *shape;
  Py_ssize_t rank;
  gsize size = 1;

  if (!PyArg_ParseTuple (item, "OO!y*", &layer, &PyTuple_Type, &shape, view))
    return FALSE;
  array->layer = layer == Py_None ? NULL : PyUnicode_AsUTF8 (layer);
  rank = PyTuple_GET_SIZE (shape);
  if ((layer != Py_None && array->layer == NULL) || rank > 4)
    {
      if (!PyErr_Occurred ())
        PyErr_SetString (error_type, "a Keras weight has at most 4 dimensions");
      PyBuffer_Release (view);
      return FALSE;
    }
  array->rank = (guint) rank;
  for (Py_ssize_t i = 0; i < rank; i++)
    {
      Py_ssize_t d = PyLong_AsSsize_t (PyTuple_GET_ITEM (shape, i));

      if (d < 0)
        {
          if (!PyErr_Occurred ())
            PyErr_SetString (error_type, "a negative dimension");
          PyBuffer_Release (view);
          return FALSE;
        }
      array->dims[i] = (gsize) d;
      size = d != 0 && size > G_MAXSIZE / (gsize) d ? G_MAXSIZE : size * (gsize) d;
    }
  if (size > G_MAXSIZE / sizeof (double) || (gsize) view->len != size * sizeof (double))
    {
      PyErr_SetString (error_type, "a weight's data does not match its shape");
      PyBuffer_Release (view);
      return FALSE;
    }
  array->values = view->buf;
  return TRUE;
}

static PyObject *
keras_convert_config (PyObject *module,
                      PyObject *args)
{
  PyObject *list, *swaps, *error_type, *result = NULL;
  const char *json;
  double scale, synapse;
  int max_to_avg, inference_only, allow_fallback;
  SpkKerasOptions options;
  SpkSession *session = NULL;
  GError *error = NULL;
  Py_ssize_t n, parsed = 0;
  SpkKerasArray *arrays;
  Py_buffer *views;

  if (!PyArg_ParseTuple (args, "sO!O!ddpppO", &json, &PyList_Type, &list, &PyDict_Type, &swaps,
                         &scale, &synapse, &max_to_avg, &inference_only, &allow_fallback, &error_type))
    return NULL;
  n = PyList_GET_SIZE (list);
  arrays = g_new0 (SpkKerasArray, MAX (n, 1));
  views = g_new0 (Py_buffer, MAX (n, 1));
  for (; parsed < n; parsed++)
    if (!parse_array (PyList_GET_ITEM (list, parsed), &arrays[parsed], &views[parsed], error_type))
      goto out;
  if (!parse_options (&options, swaps, scale, synapse, max_to_avg, inference_only, allow_fallback, error_type))
    {
      spk_keras_options_clear (&options);
      goto out;
    }
  Py_BEGIN_ALLOW_THREADS
  session = spk_keras_convert_config (json, arrays, (gsize) n, &options, &error);
  Py_END_ALLOW_THREADS
  spk_keras_options_clear (&options);
  if (session == NULL)
    raise_gerror (error_type, error);
  else if (!(result = PyCapsule_New (session, CAPSULE_NAME, capsule_free)))
    spk_session_unref (session);

out:
  for (Py_ssize_t i = 0; i < parsed; i++)
    PyBuffer_Release (&views[i]);
  g_free (views);
  g_free (arrays);
  return result;
}

static PyObject *
keras_model (PyObject *module,
             PyObject *capsule)
{
  SpkSession *session = session_of (capsule);
  g_autofree char *json = NULL;
  gsize length = 0;

  if (session == NULL)
    return NULL;
  json = spk_model_to_data (spk_session_get_network (session), &length);
  return PyUnicode_DecodeUTF8 (json, (Py_ssize_t) length, "strict");
}

/* The labels of the network's source Nodes (inputs) or Probes. */
static PyObject *
labels_of (PyObject *capsule,
           gboolean  probes)
{
  SpkSession *session = session_of (capsule);
  GPtrArray *objects;
  PyObject *list;

  if (session == NULL)
    return NULL;
  objects = spk_network_get_objects (spk_session_get_network (session));
  list = PyList_New (0);
  for (guint i = 0; list && i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      PyObject *str;

      if (label == NULL || (probes ? !SPK_IS_PROBE (object) : !SPK_IS_NODE (object)))
        continue;
      if (!(str = PyUnicode_FromString (label)) || PyList_Append (list, str) < 0)
        Py_CLEAR (list);
      Py_XDECREF (str);
    }
  return list;
}

static PyObject *
keras_inputs (PyObject *module,
              PyObject *capsule)
{
  return labels_of (capsule, FALSE);
}

static PyObject *
keras_outputs (PyObject *module,
               PyObject *capsule)
{
  return labels_of (capsule, TRUE);
}

static PyObject *
keras_predict (PyObject *module,
               PyObject *args)
{
  PyObject *capsule, *error_type, *result = NULL;
  const char *input, *probe_label;
  Py_buffer x;
  unsigned int batch, n_steps;
  SpkSession *session;
  SpkPlan *plan;
  int probe;
  guint size;
  gboolean ok;
  GError *error = NULL;
  SpkSimulator *sim = NULL;

  if (!PyArg_ParseTuple (args, "Osy*IIsO", &capsule, &input, &x, &batch, &n_steps, &probe_label, &error_type))
    return NULL;
  if (!(session = session_of (capsule)))
    goto out;
  plan = spk_session_get_plan (session);
  probe = spk_plan_find_probe (plan, probe_label);
  if (probe < 0)
    {
      PyErr_Format (error_type, "the network has no probe '%s'", probe_label);
      goto out;
    }
  {
    SpkObject *node = spk_network_lookup (spk_session_get_network (session), input);
    gsize n = node && SPK_IS_NODE (node) && spk_node_get_output_value (SPK_NODE (node))
              ? spk_node_get_output_value (SPK_NODE (node))->size : 0;

    if (n == 0 || batch == 0 || n_steps == 0
        || (gsize) x.len != (gsize) batch * n_steps * n * sizeof (double))
      {
        PyErr_Format (error_type, "'%s' takes %zu values per step: expected batch × steps × %zu float64 values",
                      input, n, n);
        goto out;
      }
  }
  size = spk_plan_get_probe_size (plan, (guint) probe);
  result = PyBytes_FromStringAndSize (NULL, (Py_ssize_t) ((gsize) batch * n_steps * size * sizeof (double)));
  if (result == NULL)
    goto out;
  {
    const char *labels[] = { input, NULL };
    const double *inputs[] = { x.buf };
    double *out = (double *) PyBytes_AS_STRING (result);

    Py_BEGIN_ALLOW_THREADS
    ok = (sim = spk_simulator_new (plan, batch, &error)) != NULL
         && spk_simulator_predict (sim, labels, inputs, n_steps, &error);
    if (ok)
      spk_simulator_get_probe_data (sim, (guint) probe, out);
    Py_END_ALLOW_THREADS
  }
  if (!ok)
    {
      Py_CLEAR (result);
      raise_gerror (error_type, error);
      goto out;
    }
  {
    PyObject *pair = Py_BuildValue ("(OI)", result, size);

    Py_DECREF (result);
    result = pair;
  }

out:
  g_clear_pointer (&sim, spk_simulator_free);
  PyBuffer_Release (&x);
  return result;
}

static PyObject *
keras_save (PyObject *module,
            PyObject *args)
{
  PyObject *capsule, *path_obj = NULL, *error_type;
  SpkSession *session;
  GError *error = NULL;
  gboolean saved;

  if (!PyArg_ParseTuple (args, "OO&O", &capsule, PyUnicode_FSConverter, &path_obj, &error_type))
    return NULL;
  if (!(session = session_of (capsule)))
    {
      Py_DECREF (path_obj);
      return NULL;
    }
  Py_BEGIN_ALLOW_THREADS
  saved = spk_session_save (session, PyBytes_AS_STRING (path_obj), &error);
  Py_END_ALLOW_THREADS
  Py_DECREF (path_obj);
  if (!saved)
    return raise_gerror (error_type, error);
  Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
  { "convert", keras_convert, METH_VARARGS,
    "convert(path, swaps, scale, synapse, max_to_avg_pool, inference_only, allow_fallback, error_type): "
    "a Keras 2 HDF5 model converted by the engine, as a capsule" },
  { "convert_config", keras_convert_config, METH_VARARGS,
    "convert_config(json, weights, swaps, scale, synapse, max_to_avg_pool, inference_only, allow_fallback, "
    "error_type): a Keras model config and its weights ([(layer or None, shape, float64 buffer)]) converted "
    "by the engine, as a capsule" },
  { "model", keras_model, METH_O, "model(capsule): the converted network as model JSON" },
  { "inputs", keras_inputs, METH_O, "inputs(capsule): the labels of the input nodes" },
  { "outputs", keras_outputs, METH_O, "outputs(capsule): the labels of the output probes" },
  { "predict", keras_predict, METH_VARARGS,
    "predict(capsule, input, x, batch, n_steps, probe, error_type): (float64 bytes, size) of the probe" },
  { "save", keras_save, METH_VARARGS, "save(capsule, path, error_type): writes the session" },
  { NULL }
};

static struct PyModuleDef keras_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "spikeworks._keras",
  .m_doc = "Keras models converted by the engine (NengoDL's Converter).",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__keras (void)
{
  return PyModule_Create (&keras_module);
}
