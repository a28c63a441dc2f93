/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _py-params.h — built parameters between Python and the engine, shared
 * by the `_session` and `_train` extensions: numpy float64 arrays in,
 * (bytes, rows, cols) tuples out, keyed as spk_plan_list_params(). */
#pragma once

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <glib.h>

#include "builder/spk-plan.h"

/* A C-contiguous float64 buffer of 1 or 2 dimensions; FALSE with a
 * ValueError naming what. */
gboolean    spk_py_get_doubles    (PyObject   *obj,
                                   Py_buffer  *view,
                                   const char *what);
/* The plan's parameters with those of params ({key: float64 array}) in
 * their place, checked key by key and shape by shape; NULL with
 * error_type raised. */
GHashTable *spk_py_merged_params  (SpkPlan    *plan,
                                   PyObject   *params,
                                   PyObject   *error_type);
/* params ({key: float64 array}) as a table key → SpkArray for
 * spk_build_with_params(), which checks the shapes; NULL with a
 * ValueError raised. */
GHashTable *spk_py_params_table   (PyObject   *params);
/* TRUE when every key of params is a parameter of plan; FALSE with
 * error_type raised naming the first that is not. */
gboolean    spk_py_params_known   (SpkPlan    *plan,
                                   PyObject   *params,
                                   PyObject   *error_type);
/* The plan's parameters as {key: (float64 bytes, rows, cols)}, cols 0
 * for a vector.  NULL plan: an empty dict. */
PyObject   *spk_py_plan_params    (SpkPlan    *plan);
