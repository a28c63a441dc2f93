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
 *   "history": {metric: {epoch: value}}.
 * The Python side (session_load.py) wraps the bytes in numpy arrays.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <glib.h>

#include "io/spk-model-json.h"
#include "io/spk-session.h"

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
  PyObject *model = NULL, *probes = NULL, *history = NULL;
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
  if (history != NULL)
    result = Py_BuildValue ("{sOsOsO}", "model", model, "probes", probes, "history", history);
  Py_XDECREF (model);
  Py_XDECREF (probes);
  Py_XDECREF (history);
  return result;
}

static PyMethodDef module_methods[] = {
  { "load", session_load, METH_VARARGS,
    "load(path, error_type): a session file's model, probes and history, read through "
    "the checked opener; raises error_type with the reason when the file is refused" },
  { NULL }
};

static struct PyModuleDef session_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "spikeworks._session",
  .m_doc = "Reading Spikeworks session files through the checked opener.",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__session (void)
{
  return PyModule_Create (&session_module);
}
