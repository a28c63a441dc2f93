/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _session.c — the `spikeworks._session` extension: reading a session
 * file (.spkw) into plain Python values.
 *
 * A session from Python is as untrusted as one opened in the workbench
 * (a class shares files), so it is opened only through
 * spk_session_load_checked(): a damaged file that would crash or hang
 * libhdf5 is read first in a child process and refused with a message.
 * Every failure becomes one `ValueError` subclass chosen by the caller
 * (spikeworks.SessionError), never a crash of the interpreter.
 *
 * load(path, error_type) returns a dict:
 *   "model": the network as model JSON (str),
 *   "probes": {label: (t bytes of float64, data bytes of float32,
 *                      batch, n_samples, size)},
 *   "history": {metric: {epoch: value}},
 *   "params": {key: (float64 bytes, rows, cols)}, the built parameters
 *             (cols 0 for a vector; empty when the file saved none).
 * The Python side (session_load.py) wraps the bytes in numpy arrays.
 *
 * objects(text, error_type) lists every object of a model as the engine
 * loads it, built-in networks' own objects included, in network order with
 * its key (the name of its parameters in a session) and, for an object a
 * built-in network made, what it was made as (model_import.py matches them
 * to the objects of Nengo's network of that kind).
 *
 * check_model(text, error_type) loads and builds a model file's text with
 * the engine's own loader and builder, raising error_type with its message,
 * and returns the model as the engine writes it.
 *
 * save(path, text, params, probes, model_error, io_error) writes a session:
 * the model text, the plan the engine builds from it with the values in
 * params ({key: float64 array}, keys of spk_plan_list_params()) in place of
 * its own, and probes ({label: (t, data)}, float64 arrays of n_samples and
 * n_samples × size).  Arrays cross through the buffer protocol, with no
 * per-element conversion.  An optional history ({metric: [value per
 * epoch]}, epochs from 1; NaN or None where an epoch has no value) is
 * written as the training history.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <string.h>

#include <glib.h>

#include "builder/spk-plan.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"

#include "_py-params.h"

PyMODINIT_FUNC PyInit__session (void);

static PyObject *
probes_dict (SpkSession *session)
{
  g_auto(GStrv) labels = spk_session_list_probes (session);
  PyObject *probes = PyDict_New ();

  for (guint i = 0; probes != NULL && labels[i] != NULL; i++)
    {
      guint batch = 0, size = 0;
      guint64 n_samples = 0;
      const double *t = NULL;
      const float *data = spk_session_get_probe_data (session, labels[i], &batch,
                                                      &n_samples, &size, &t);
      PyObject *entry;

      /* The loader checked these sizes against the file's real storage,
       * so the products fit in memory already held. */
      entry = Py_BuildValue ("(y#y#IKI)",
                             (const char *) t, (Py_ssize_t) (n_samples * sizeof (double)),
                             (const char *) data,
                             (Py_ssize_t) ((guint64) batch * n_samples * size * sizeof (float)),
                             batch, (unsigned long long) n_samples, size);
      if (entry == NULL || PyDict_SetItemString (probes, labels[i], entry) < 0)
        Py_CLEAR (probes);
      Py_XDECREF (entry);
    }
  return probes;
}

static PyObject *
history_dict (SpkSession *session)
{
  g_auto(GStrv) metrics = spk_session_list_history_metrics (session);
  guint n_epochs = 0;
  g_autofree guint *epochs = spk_session_dup_history_epochs (session, &n_epochs);
  PyObject *history = PyDict_New ();

  for (guint m = 0; history != NULL && metrics[m] != NULL; m++)
    {
      PyObject *values = PyDict_New ();

      for (guint e = 0; values != NULL && e < n_epochs; e++)
        {
          double value;
          PyObject *key, *number;

          if (!spk_session_get_history (session, epochs[e], metrics[m], &value))
            continue;
          key = PyLong_FromUnsignedLong (epochs[e]);
          number = PyFloat_FromDouble (value);
          if (key == NULL || number == NULL || PyDict_SetItem (values, key, number) < 0)
            Py_CLEAR (values);
          Py_XDECREF (key);
          Py_XDECREF (number);
        }
      if (values == NULL || PyDict_SetItemString (history, metrics[m], values) < 0)
        Py_CLEAR (history);
      Py_XDECREF (values);
    }
  return history;
}

static PyObject *
session_load (PyObject *module,
              PyObject *args)
{
  PyObject *path_obj = NULL, *error_type, *bytes = NULL, *result = NULL;
  PyObject *model = NULL, *probes = NULL, *history = NULL, *params = NULL;
  g_autoptr(SpkSession) session = NULL;
  g_autofree char *json = NULL;
  GError *error = NULL;
  gsize length = 0;

  if (!PyArg_ParseTuple (args, "O&O", PyUnicode_FSConverter, &bytes, &error_type))
    return NULL;
  path_obj = bytes;
  Py_BEGIN_ALLOW_THREADS
  session = spk_session_load_checked (PyBytes_AS_STRING (path_obj), &error);
  Py_END_ALLOW_THREADS
  Py_DECREF (path_obj);
  if (session == NULL)
    {
      PyErr_SetString (error_type, error->message);
      g_error_free (error);
      return NULL;
    }

  json = spk_model_to_data (spk_session_get_network (session), &length);
  model = PyUnicode_DecodeUTF8 (json, (Py_ssize_t) length, "strict");
  probes = model != NULL ? probes_dict (session) : NULL;
  history = probes != NULL ? history_dict (session) : NULL;
  params = history != NULL ? spk_py_plan_params (spk_session_get_plan (session)) : NULL;
  if (params != NULL)
    result = Py_BuildValue ("{sOsOsOsO}", "model", model, "probes", probes, "history", history,
                            "params", params);
  Py_XDECREF (params);
  Py_XDECREF (model);
  Py_XDECREF (probes);
  Py_XDECREF (history);
  return result;
}

static void
set_error (PyObject *error_type,
           GError   *error)
{
  PyErr_SetString (error_type, error->message);
  g_error_free (error);
}

/* The network and plan of model text, built by the engine; NULL with
 * error_type raised. */
static SpkNetwork *
load_and_build (const char *text,
                Py_ssize_t  length,
                PyObject   *error_type,
                SpkPlan   **plan_out)
{
  SpkNetwork *network = NULL;
  SpkPlan *plan = NULL;
  GError *error = NULL;

  Py_BEGIN_ALLOW_THREADS
  network = spk_model_load_data (text, length, &error);
  if (network != NULL)
    plan = spk_build (network, &error);
  Py_END_ALLOW_THREADS
  if (plan == NULL)
    {
      g_clear_object (&network);
      set_error (error_type, error);
      return NULL;
    }
  *plan_out = plan;
  return network;
}

static PyObject *
session_check_model (PyObject *module,
                     PyObject *args)
{
  const char *text;
  Py_ssize_t length;
  PyObject *error_type;
  g_autoptr(SpkNetwork) network = NULL;
  SpkPlan *plan = NULL;

  if (!PyArg_ParseTuple (args, "s#O", &text, &length, &error_type))
    return NULL;
  g_autofree char *canonical = NULL;
  gsize canonical_length = 0;

  network = load_and_build (text, length, error_type, &plan);
  if (network == NULL)
    return NULL;
  spk_plan_unref (plan);
  canonical = spk_model_to_data (network, &canonical_length);
  return PyUnicode_DecodeUTF8 (canonical, (Py_ssize_t) canonical_length, "strict");
}

/* A string or None (takes text). */
static PyObject *
str_or_none (char *text)
{
  PyObject *value;

  if (text == NULL)
    Py_RETURN_NONE;
  value = PyUnicode_DecodeUTF8 (text, (Py_ssize_t) strlen (text), "strict");
  g_free (text);
  return value;
}

/* The values a made object runs with (its network's config, its kind's
 * and the file's changes applied), as JSON text of {key: value}. */
static char *
effective_json (SpkNetwork *network,
                SpkObject  *object)
{
  static const char *const node_keys[] = { "output", "size_in", NULL };
  static const char *const ensemble_keys[] = { "n_neurons", "dimensions", "radius", "neuron_type", "noise", NULL };
  static const char *const connection_keys[] = { "synapse", "transform", "function", "solver",
                                                  "learning_rule_type", NULL };
  const char *type = spk_object_get_type_name (object);
  const char *const *keys = g_str_equal (type, "node") ? node_keys
                            : g_str_equal (type, "ensemble") ? ensemble_keys
                            : g_str_equal (type, "connection") ? connection_keys : NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      JsonNode *value = spk_model_get_json (network, object, keys[i]);

      if (value != NULL)
        json_object_set_member (values, keys[i], value);
    }
  json_node_set_object (root, values);
  return json_to_string (root, FALSE);
}

static PyObject *
session_objects (PyObject *module,
                 PyObject *args)
{
  const char *text;
  Py_ssize_t length;
  PyObject *error_type, *list;
  g_autoptr(SpkNetwork) network = NULL;
  g_autoptr(GHashTable) keys = NULL;
  GPtrArray *objects;
  GError *error = NULL;

  if (!PyArg_ParseTuple (args, "s#O", &text, &length, &error_type))
    return NULL;
  network = spk_model_load_data (text, length, &error);
  if (network == NULL)
    {
      set_error (error_type, error);
      return NULL;
    }
  keys = spk_network_dup_keys (network);
  objects = spk_network_get_objects (network);
  list = PyList_New (0);
  for (guint i = 0; list != NULL && i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *parent = spk_object_get_network (object);
      char *made = NULL, *pre = NULL, *post = NULL;
      PyObject *entry;

      spk_model_dup_made (object, &made, &pre, &post);
      entry = Py_BuildValue ("(ssNONNNNN)", spk_object_get_type_name (object),
                             (const char *) g_hash_table_lookup (keys, object),
                             str_or_none (g_strdup (spk_object_get_label (object))),
                             spk_object_get_generated (object) ? Py_True : Py_False,
                             str_or_none (parent ? g_strdup (g_hash_table_lookup (keys, parent)) : NULL),
                             str_or_none (made), str_or_none (pre), str_or_none (post),
                             str_or_none (spk_object_get_generated (object)
                                          ? effective_json (network, object) : NULL));
      if (entry == NULL || PyList_Append (list, entry) < 0)
        Py_CLEAR (list);
      Py_XDECREF (entry);
    }
  return list;
}

static gboolean
add_probes (SpkSession *session,
            PyObject   *probes,
            PyObject   *io_error)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  while (PyDict_Next (probes, &pos, &key, &value))
    {
      const char *label = PyUnicode_AsUTF8 (key);
      PyObject *t_obj, *data_obj;
      Py_buffer t, data;
      GError *error = NULL;
      unsigned batch = 1;
      gboolean ok;

      if (label == NULL || !PyArg_ParseTuple (value, "OO|I", &t_obj, &data_obj, &batch))
        return FALSE;
      if (!spk_py_get_doubles (t_obj, &t, label))
        return FALSE;
      if (!spk_py_get_doubles (data_obj, &data, label))
        {
          PyBuffer_Release (&t);
          return FALSE;
        }
      if (batch < 1 || t.ndim != 1 || data.ndim != 2 || data.shape[0] != (Py_ssize_t) batch * t.shape[0])
        {
          PyErr_Format (PyExc_ValueError, "%s: expected n sample times and batch·n × size samples",
                        label);
          ok = FALSE;
        }
      else if (!(ok = spk_session_set_probe_data (session, label, t.buf, data.buf, batch,
                                                  (guint64) t.shape[0],
                                                  (guint) data.shape[1], &error)))
        set_error (io_error, error);
      PyBuffer_Release (&t);
      PyBuffer_Release (&data);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* history {metric: sequence of floats (None: no value)} → epochs 1, 2, … */
static gboolean
add_history (SpkSession *session,
             PyObject   *history)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  while (PyDict_Next (history, &pos, &key, &value))
    {
      const char *metric = PyUnicode_AsUTF8 (key);
      PyObject *seq;

      if (metric == NULL)
        return FALSE;
      if (*metric == '\0' || strchr (metric, '/') != NULL || strcmp (metric, "epoch") == 0)
        {
          PyErr_Format (PyExc_ValueError, "history: '%s' cannot name a metric", metric);
          return FALSE;
        }
      seq = PySequence_Fast (value, "history: expected a list of values per metric");
      if (seq == NULL)
        return FALSE;
      for (Py_ssize_t e = 0; e < PySequence_Fast_GET_SIZE (seq); e++)
        {
          PyObject *item = PySequence_Fast_GET_ITEM (seq, e);
          double v;

          if (item == Py_None)
            continue;
          v = PyFloat_AsDouble (item);
          if (v == -1.0 && PyErr_Occurred ())
            {
              Py_DECREF (seq);
              return FALSE;
            }
          if (!isnan (v))
            spk_session_add_history (session, (guint) e + 1, metric, v);
        }
      Py_DECREF (seq);
    }
  return TRUE;
}

static PyObject *
session_save (PyObject *module,
              PyObject *args)
{
  PyObject *path_obj = NULL, *params, *probes, *model_error, *io_error, *history = NULL;
  const char *text;
  Py_ssize_t length;
  g_autoptr(SpkNetwork) network = NULL;
  g_autoptr(SpkSession) session = NULL;
  g_autoptr(GHashTable) table = NULL;
  SpkPlan *plan = NULL, *exact = NULL;
  GError *error = NULL;
  gboolean saved;

  if (!PyArg_ParseTuple (args, "O&s#O!O!OO|O!", PyUnicode_FSConverter, &path_obj, &text, &length,
                         &PyDict_Type, &params, &PyDict_Type, &probes, &model_error, &io_error,
                         &PyDict_Type, &history))
    return NULL;
  network = load_and_build (text, length, model_error, &plan);
  if (network == NULL)
    goto fail;
  table = spk_py_merged_params (plan, params, model_error);
  spk_plan_unref (plan);
  if (table == NULL)
    goto fail;
  Py_BEGIN_ALLOW_THREADS
  exact = spk_build_with_params (network, table, &error);
  Py_END_ALLOW_THREADS
  if (exact == NULL)
    {
      set_error (model_error, error);
      goto fail;
    }
  session = spk_session_new (network);
  spk_session_set_plan (session, exact);
  spk_plan_unref (exact);
  if (!add_probes (session, probes, io_error) || (history != NULL && !add_history (session, history)))
    goto fail;
  Py_BEGIN_ALLOW_THREADS
  saved = spk_session_save (session, PyBytes_AS_STRING (path_obj), &error);
  Py_END_ALLOW_THREADS
  if (!saved)
    {
      set_error (io_error, error);
      goto fail;
    }
  Py_DECREF (path_obj);
  Py_RETURN_NONE;

fail:
  Py_XDECREF (path_obj);
  return NULL;
}

static PyMethodDef module_methods[] = {
  { "check_model", session_check_model, METH_VARARGS,
    "check_model(text, error_type): loads and builds model text with the engine; raises "
    "error_type with the engine's message when it cannot; returns the text as the engine "
    "writes it" },
  { "objects", session_objects, METH_VARARGS,
    "objects(text, error_type): every object of the model as the engine loads it (a built-in "
    "network's own objects too), in network order, as tuples (type, key, label, generated, "
    "network key, label made with, pre made with, post made with, JSON of the values a made "
    "object runs with)" },
  { "save", session_save, METH_VARARGS,
    "save(path, text, params, probes, model_error, io_error[, history]): writes a session of the model "
    "text, built with params in place of the engine's own values, and the probes' data" },
  { "load", session_load, METH_VARARGS,
    "load(path, error_type): a session file's model, probes and history, read through "
    "the checked opener; raises error_type with the reason when the file is refused" },
  { NULL }
};

static struct PyModuleDef session_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "spikeworks._session",
  .m_doc = "Reading and writing Spikeworks session files; checking model files.",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__session (void)
{
  return PyModule_Create (&session_module);
}
