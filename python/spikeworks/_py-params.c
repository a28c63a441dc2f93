/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _py-params.c — built parameters between Python and the engine (see
 * _py-params.h). */
#include "_py-params.h"

#include <string.h>

gboolean
spk_py_get_doubles (PyObject   *obj,
                    Py_buffer  *view,
                    const char *what)
{
  if (PyObject_GetBuffer (obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
    return FALSE;
  if (view->itemsize != sizeof (double) || view->format == NULL
      || strcmp (view->format, "d") != 0 || view->ndim < 1 || view->ndim > 2)
    {
      PyErr_Format (PyExc_ValueError, "%s: expected a float64 array of 1 or 2 dimensions", what);
      PyBuffer_Release (view);
      return FALSE;
    }
  return TRUE;
}

GHashTable *
spk_py_merged_params (SpkPlan  *plan,
                      PyObject *params,
                      PyObject *error_type)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) spk_array_unref);
  g_auto(GStrv) keys = spk_plan_list_params (plan);
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  for (guint i = 0; keys[i] != NULL; i++)
    g_hash_table_insert (table, g_strdup (keys[i]), spk_plan_dup_param (plan, keys[i]));
  while (PyDict_Next (params, &pos, &key, &value))
    {
      const char *name = PyUnicode_AsUTF8 (key);
      SpkArray *old, *new;
      Py_buffer view;
      gsize rows, cols;

      if (name == NULL)
        return NULL;
      old = g_hash_table_lookup (table, name);
      if (old == NULL)
        {
          PyErr_Format (error_type, "'%s' is not a parameter of the built model", name);
          return NULL;
        }
      if (!spk_py_get_doubles (value, &view, name))
        return NULL;
      rows = (gsize) view.shape[0];
      cols = view.ndim == 2 ? (gsize) view.shape[1] : 1;
      if ((guint) view.ndim != old->ndim || rows != spk_array_rows (old)
          || (view.ndim == 2 && cols != spk_array_cols (old)))
        {
          PyErr_Format (error_type, "parameter '%s' has shape (%zu, %zu) in Nengo but "
                        "(%zu, %zu) in the engine", name, rows, cols,
                        spk_array_rows (old), spk_array_cols (old));
          PyBuffer_Release (&view);
          return NULL;
        }
      new = view.ndim == 1 ? spk_array_new_vector (view.buf, rows)
                           : spk_array_new_matrix (view.buf, rows, cols);
      PyBuffer_Release (&view);
      g_hash_table_insert (table, g_strdup (name), new);
    }
  return g_steal_pointer (&table);
}

GHashTable *
spk_py_params_table (PyObject *params)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) spk_array_unref);
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  while (PyDict_Next (params, &pos, &key, &value))
    {
      const char *name = PyUnicode_AsUTF8 (key);
      Py_buffer view;
      gsize rows;

      if (name == NULL || !spk_py_get_doubles (value, &view, name))
        return NULL;
      rows = (gsize) view.shape[0];
      g_hash_table_insert (table, g_strdup (name),
                           view.ndim == 1 ? spk_array_new_vector (view.buf, rows)
                           : spk_array_new_matrix (view.buf, rows, (gsize) view.shape[1]));
      PyBuffer_Release (&view);
    }
  return g_steal_pointer (&table);
}

gboolean
spk_py_params_known (SpkPlan  *plan,
                     PyObject *params,
                     PyObject *error_type)
{
  g_auto(GStrv) keys = spk_plan_list_params (plan);
  PyObject *key, *value;
  Py_ssize_t pos = 0;

  while (PyDict_Next (params, &pos, &key, &value))
    {
      const char *name = PyUnicode_AsUTF8 (key);

      if (name == NULL)
        return FALSE;
      if (!g_strv_contains ((const char * const *) keys, name))
        {
          PyErr_Format (error_type, "'%s' is not a parameter of the built model", name);
          return FALSE;
        }
    }
  return TRUE;
}

PyObject *
spk_py_plan_params (SpkPlan *plan)
{
  g_auto(GStrv) keys = plan != NULL ? spk_plan_list_params (plan) : NULL;
  PyObject *params = PyDict_New ();

  for (guint i = 0; params != NULL && keys != NULL && keys[i] != NULL; i++)
    {
      g_autoptr(SpkArray) value = spk_plan_dup_param (plan, keys[i]);
      PyObject *entry;

      if (value == NULL)
        continue;
      entry = Py_BuildValue ("(y#nn)", (const char *) value->data,
                             (Py_ssize_t) (value->size * sizeof (double)),
                             (Py_ssize_t) spk_array_rows (value),
                             (Py_ssize_t) (value->ndim == 2 ? spk_array_cols (value) : 0));
      if (entry == NULL || PyDict_SetItemString (params, keys[i], entry) < 0)
        Py_CLEAR (params);
      Py_XDECREF (entry);
    }
  return params;
}
