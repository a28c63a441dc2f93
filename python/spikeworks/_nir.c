/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _nir.c — the `spikeworks._nir` extension: NIR graphs (.nir) in and out
 * through the engine's own reader and writer (docs/nir.md, "Python").
 *
 * read(path, dt, euler, error_type) converts a NIR file as
 * `spikeworks-cli convert` does — read first in a checked child process,
 * since a .nir file comes from outside — and returns
 *   {"model": the network as model JSON (str),
 *    "params": {key: (float64 bytes, rows, cols)}, the built parameters}
 * which spikeworks.nir turns into a Nengo network (model_import.py).
 *
 * write(path, text, params, approximate, error_type) builds model text
 * with the values in params ({key: float64 array}) in place of the
 * engine's own, as spikeworks.save_session does, and exports it as
 * `spikeworks-cli export-nir` does; returns the writer's notes (a list
 * of str: what was replaced or approximated).  Every refusal raises
 * error_type with the engine's message. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <glib.h>

#include "builder/spk-plan.h"
#include "io/spk-model-json.h"
#include "io/spk-nir.h"
#include "io/spk-nir-write.h"

#include "_py-params.h"

PyMODINIT_FUNC PyInit__nir (void);

static void
raise_error (PyObject *error_type,
             GError   *error)
{
  PyErr_SetString (error_type, error->message);
  g_error_free (error);
}

static PyObject *
nir_read (PyObject *module,
          PyObject *args)
{
  PyObject *path_obj = NULL, *error_type, *model, *params, *result = NULL;
  g_autoptr (SpkSession) session = NULL;
  g_autofree char *json = NULL;
  SpkNirOptions options;
  GError *error = NULL;
  double dt;
  int euler;
  gsize length = 0;

  if (!PyArg_ParseTuple (args, "O&dpO", PyUnicode_FSConverter, &path_obj, &dt, &euler, &error_type))
    return NULL;
  spk_nir_options_init (&options);
  options.dt = dt;
  options.integration = euler ? SPK_NIR_EULER : SPK_NIR_EXACT;
  Py_BEGIN_ALLOW_THREADS
  session = spk_nir_convert_file (PyBytes_AS_STRING (path_obj), &options, &error);
  Py_END_ALLOW_THREADS
  Py_DECREF (path_obj);
  if (session == NULL)
    {
      raise_error (error_type, error);
      return NULL;
    }
  json = spk_model_to_data (spk_session_get_network (session), &length);
  model = PyUnicode_DecodeUTF8 (json, (Py_ssize_t) length, "strict");
  params = model != NULL ? spk_py_plan_params (spk_session_get_plan (session)) : NULL;
  if (params != NULL)
    result = Py_BuildValue ("{sOsO}", "model", model, "params", params);
  Py_XDECREF (model);
  Py_XDECREF (params);
  return result;
}

static PyObject *
notes_list (GPtrArray *notes)
{
  PyObject *list = PyList_New (0);

  for (guint i = 0; list != NULL && i < notes->len; i++)
    {
      PyObject *text = PyUnicode_FromString (g_ptr_array_index (notes, i));

      if (text == NULL || PyList_Append (list, text) < 0)
        Py_CLEAR (list);
      Py_XDECREF (text);
    }
  return list;
}

static PyObject *
nir_write (PyObject *module,
           PyObject *args)
{
  PyObject *path_obj = NULL, *params, *error_type, *result = NULL;
  const char *text;
  Py_ssize_t length;
  int approximate;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (GHashTable) table = NULL;
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  SpkPlan *plan = NULL;
  SpkNirExportOptions options;
  GError *error = NULL;
  gboolean written = FALSE;

  if (!PyArg_ParseTuple (args, "O&s#O!pO", PyUnicode_FSConverter, &path_obj, &text, &length,
                         &PyDict_Type, &params, &approximate, &error_type))
    return NULL;
  /* The engine's own build first, for the keys and shapes params must match. */
  Py_BEGIN_ALLOW_THREADS
  network = spk_model_load_data (text, length, &error);
  if (network != NULL)
    plan = spk_build (network, &error);
  Py_END_ALLOW_THREADS
  if (plan == NULL)
    goto fail;
  table = spk_py_merged_params (plan, params, error_type);
  g_clear_pointer (&plan, spk_plan_unref);
  if (table == NULL)
    goto done;
  spk_nir_export_options_init (&options);
  options.approximate = approximate;
  Py_BEGIN_ALLOW_THREADS
  plan = spk_build_with_params (network, table, &error);
  if (plan != NULL)
    written = spk_nir_export_full (network, plan, PyBytes_AS_STRING (path_obj), &options, notes, &error);
  Py_END_ALLOW_THREADS
  g_clear_pointer (&plan, spk_plan_unref);
  if (!written)
    goto fail;
  result = notes_list (notes);
  goto done;

fail:
  raise_error (error_type, error);
done:
  Py_DECREF (path_obj);
  return result;
}

static PyMethodDef module_methods[] = {
  { "read", nir_read, METH_VARARGS,
    "read(path, dt, euler, error_type): a NIR file converted by the engine, as "
    "{'model': model JSON, 'params': built parameters}; raises error_type with the reason" },
  { "write", nir_write, METH_VARARGS,
    "write(path, text, params, approximate, error_type): model text built with params "
    "written as a NIR graph; returns the writer's notes; raises error_type with the reason" },
  { NULL }
};

static struct PyModuleDef nir_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "spikeworks._nir",
  .m_doc = "NIR graphs in and out through the Spikeworks engine.",
  .m_size = -1,
  .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__nir (void)
{
  return PyModule_Create (&nir_module);
}
