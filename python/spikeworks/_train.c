/* SPDX-License-Identifier: GPL-3.0-or-later */
/* _train.c — the `spikeworks._train` extension: a network as the engine
 * builds it, for NengoDL's batched predict and for training
 * (spikeworks.Simulator's predict/evaluate/fit, dl_train.py).
 *
 * Model(text, params, error_type, callbacks=None) loads model text and
 * builds it with the built parameters in params ({key: float64 array},
 * keys of spk_plan_list_params()) in place of the engine's own.  The
 * Nodes named in callbacks ({node key: function}) are computed by Python
 * (spk_build_external): at each step of a run the engine calls
 * function(t, x, batch) once with the whole batch, x a bytearray of the
 * batch's inputs (batch × size_in float64, None without input); it
 * returns a C-contiguous float64 buffer of batch × size_out values.  An
 * exception it raises stops the run and is raised again by predict.
 * Then:
 *   probes() → [(label, size)], params() → {key: (bytes, rows, cols)};
 *   set_params(params): rebuilds with those values in place;
 *   predict(inputs, n_steps, batch, stateful=False) → {probe label:
 *     float64 bytes of batch × n_steps × size}: one batched run of the
 *     engine's simulator, inputs {node label: float64 array batch ×
 *     n_steps × size_out}.  NengoDL's saved state: every run starts from
 *     it (the initial state until a stateful run), and a stateful run
 *     leaves its final state there (neuron, synapse and process state,
 *     step count), per batch row;
 *   state_steps() → the saved state's step count (0: initial state);
 *   reset_state(): back to the initial state;
 *   compile(optimizer, losses, lif_smoothing, dtype): a trainer (the
 *     optimizer a tuple (name, learning_rate, momentum, nesterov, beta_1,
 *     beta_2, rho, epsilon, centered, amsgrad); losses [(probe label,
 *     "mse" | "sparse-ce" | "sparse-ce-probs", weight)]);
 *   fit(x, y, epochs, batch_size, shuffle, seed, val_x, val_y, progress)
 *     → (loss list, val_loss list, accuracy, val_accuracy) of this fit, x/y
 *     {label: float32 array n × steps × size}; the model then runs with
 *     the trained parameters;
 *   train_loss(x, y) → the mean loss of the training forward pass (rates).
 * Engine failures raise error_type with the engine's message.  Long runs
 * release the interpreter lock; fit's progress callable is called with it
 * after every minibatch, and a false return or a pending signal (Ctrl+C)
 * cancels the fit, keeping the last finished minibatch's parameters.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <string.h>

#include <glib.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "io/spk-model-json.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"

#include "_py-params.h"

PyMODINIT_FUNC PyInit__train (void);

typedef struct _ModelObject ModelObject;

/* One Node computed by Python: its function, and where its exception goes. */
typedef struct
{
  ModelObject *model;
  char        *key;
  PyObject    *func;
} PyCallback;

struct _ModelObject
{
  PyObject_HEAD
  SpkNetwork   *network;
  SpkPlan      *plan;
  SpkSimulator *sim;         /* of the last predict's batch size */
  SpkSimulator *state;       /* the saved state, or NULL: the initial one */
  SpkTrainer   *trainer;     /* compiled; rebuilt when the plan changed */
  gboolean      trainer_stale;
  SpkOptimizer  optimizer;
  GPtrArray    *loss_labels; /* char * */
  GArray       *loss_kinds;  /* SpkLossKind */
  GArray       *loss_weights; /* double */
  double        lif_smoothing;
  SpkDtype      dtype;
  PyObject     *error_type;
  GArray       *callbacks;   /* PyCallback: the Nodes computed by Python */
  PyObject     *raised;      /* the exception a callback raised in this run, or NULL */
};

static void
py_callback_clear (gpointer data)
{
  PyCallback *cb = data;

  g_free (cb->key);
  Py_CLEAR (cb->func);
}

/* SpkSimulatorCallback: a Python function of the whole batch.  Runs in the
 * thread that steps (predict's, with the interpreter lock released), so it
 * takes the lock.  Its exception is kept for predict to raise. */
static gboolean
py_callback_call (gpointer      data,
                  double        t,
                  const double *x,
                  guint         size_in,
                  double       *y,
                  guint         size_out,
                  guint         batch,
                  GError      **error)
{
  PyCallback *cb = data;
  PyGILState_STATE state = PyGILState_Ensure ();
  Py_ssize_t want = (Py_ssize_t) batch * size_out * (Py_ssize_t) sizeof (double);
  PyObject *xs, *result = NULL;
  gboolean ok = FALSE;

  xs = x != NULL ? PyByteArray_FromStringAndSize ((const char *) x,
                                                  (Py_ssize_t) batch * size_in * sizeof (double))
                 : Py_NewRef (Py_None);
  if (xs != NULL)
    result = PyObject_CallFunction (cb->func, "dOI", t, xs, batch);
  Py_XDECREF (xs);
  if (result != NULL)
    {
      Py_buffer view;

      if (PyObject_GetBuffer (result, &view, PyBUF_C_CONTIGUOUS) == 0)
        {
          if (view.len == want)
            {
              memcpy (y, view.buf, (size_t) want);
              ok = TRUE;
            }
          else
            PyErr_Format (PyExc_ValueError, "%s: its function gave %zd bytes, not %zd", cb->key,
                          view.len, want);
          PyBuffer_Release (&view);
        }
      Py_DECREF (result);
    }
  if (!ok)
    {
      PyObject *type, *value, *traceback;

      PyErr_Fetch (&type, &value, &traceback);
      PyErr_NormalizeException (&type, &value, &traceback);
      if (traceback != NULL && value != NULL)
        PyException_SetTraceback (value, traceback);
      if (cb->model->raised == NULL)
        cb->model->raised = value != NULL ? Py_NewRef (value) : NULL;
      Py_XDECREF (type);
      Py_XDECREF (value);
      Py_XDECREF (traceback);
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK, "%s: its Python function failed",
                   cb->key);
    }
  PyGILState_Release (state);
  return ok;
}

/* The keys of the Nodes computed by Python (NULL-terminated, the strings borrowed). */
static const char **
callback_keys (ModelObject *self)
{
  guint n = self->callbacks ? self->callbacks->len : 0;
  const char **keys = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    keys[i] = g_array_index (self->callbacks, PyCallback, i).key;
  return keys;
}

/* Gives sim the Python functions; FALSE with error_type raised. */
static gboolean
set_callbacks (ModelObject  *self,
               SpkSimulator *sim)
{
  for (guint i = 0; self->callbacks && i < self->callbacks->len; i++)
    {
      PyCallback *cb = &g_array_index (self->callbacks, PyCallback, i);
      GError *error = NULL;

      if (!spk_simulator_set_callback (sim, cb->key, py_callback_call, cb, &error))
        {
          PyErr_SetString (self->error_type, error->message);
          g_error_free (error);
          return FALSE;
        }
    }
  return TRUE;
}

static PyObject *
set_error (PyObject *error_type,
           GError   *error)
{
  PyErr_SetString (error_type, error->message);
  g_error_free (error);
  return NULL;
}

static void
model_clear_built (ModelObject *self)
{
  g_clear_pointer (&self->sim, spk_simulator_free);
  g_clear_pointer (&self->plan, spk_plan_unref);
}

/* The saved state goes on in a simulator of the new plan (trained values
 * in place: the state is signals, not parameters); dropped when it cannot
 * (another dtype). */
static void
carry_saved_state (ModelObject *self)
{
  SpkSimulator *moved;

  if (self->state == NULL)
    return;
  moved = spk_simulator_new (self->plan, spk_simulator_get_batch (self->state), NULL);
  if (moved != NULL)
    {
      spk_simulator_reset (moved);
      if (!spk_simulator_carry_state (moved, self->state))
        g_clear_pointer (&moved, spk_simulator_free);
    }
  spk_simulator_free (self->state);
  self->state = moved;
}

static void
model_set_plan (ModelObject *self,
                SpkPlan     *plan)
{
  model_clear_built (self);
  self->plan = plan;
  self->trainer_stale = TRUE;
  carry_saved_state (self);
}

/* Builds the network with params ({key: float64 array}) in place of the
 * engine's own values; FALSE with error_type raised.  The first build
 * takes them directly (one build, the arrays handed over as they are);
 * later ones keep the current plan's other values. */
static gboolean
model_build (ModelObject *self,
             PyObject    *params)
{
  g_autoptr(GHashTable) table = NULL;
  gboolean first = self->plan == NULL;
  g_autofree const char **keys = NULL;
  SpkPlan *plan = NULL;
  GError *error = NULL;

  if (!first && PyDict_Size (params) == 0)
    return TRUE;
  if (first && PyDict_Size (params) > 0)
    table = spk_py_params_table (params);
  else if (!first)
    table = spk_py_merged_params (self->plan, params, self->error_type);
  if (table == NULL && PyDict_Size (params) > 0)
    return FALSE;
  keys = callback_keys (self);
  Py_BEGIN_ALLOW_THREADS
  plan = spk_build_external (self->network, table, keys, &error);
  Py_END_ALLOW_THREADS
  if (plan == NULL)
    return set_error (self->error_type, error), FALSE;
  if (first && !spk_py_params_known (plan, params, self->error_type))
    {
      spk_plan_unref (plan);
      return FALSE;
    }
  model_set_plan (self, plan);
  return TRUE;
}

static int
model_init (ModelObject *self,
            PyObject    *args,
            PyObject    *kwargs)
{
  const char *text;
  Py_ssize_t length;
  PyObject *params, *error_type, *callbacks = NULL, *key, *func;
  GError *error = NULL;
  SpkNetwork *network;
  Py_ssize_t pos = 0;

  if (!PyArg_ParseTuple (args, "s#O!O|O!", &text, &length, &PyDict_Type, &params, &error_type,
                         &PyDict_Type, &callbacks))
    return -1;
  g_clear_pointer (&self->callbacks, g_array_unref);
  self->callbacks = g_array_new (FALSE, TRUE, sizeof (PyCallback));
  g_array_set_clear_func (self->callbacks, py_callback_clear);
  while (callbacks != NULL && PyDict_Next (callbacks, &pos, &key, &func))
    {
      PyCallback cb = { self, NULL, NULL };
      const char *name = PyUnicode_AsUTF8 (key);

      if (name == NULL)
        return -1;
      if (!PyCallable_Check (func))
        {
          PyErr_Format (PyExc_TypeError, "callbacks['%s'] is not callable", name);
          return -1;
        }
      cb.key = g_strdup (name);
      cb.func = Py_NewRef (func);
      g_array_append_val (self->callbacks, cb);
    }
  Py_XSETREF (self->error_type, Py_NewRef (error_type));
  model_clear_built (self);
  g_clear_pointer (&self->state, spk_simulator_free);
  g_clear_object (&self->network);
  Py_BEGIN_ALLOW_THREADS
  network = spk_model_load_data (text, length, &error);
  Py_END_ALLOW_THREADS
  if (network == NULL)
    {
      set_error (error_type, error);
      return -1;
    }
  self->network = network;
  return model_build (self, params) ? 0 : -1;
}

static void
model_dealloc (ModelObject *self)
{
  model_clear_built (self);
  g_clear_pointer (&self->state, spk_simulator_free);
  g_clear_pointer (&self->trainer, spk_trainer_unref);
  g_clear_object (&self->network);
  g_clear_pointer (&self->loss_labels, g_ptr_array_unref);
  g_clear_pointer (&self->loss_kinds, g_array_unref);
  g_clear_pointer (&self->loss_weights, g_array_unref);
  g_clear_pointer (&self->callbacks, g_array_unref);
  Py_CLEAR (self->raised);
  Py_CLEAR (self->error_type);
  Py_TYPE (self)->tp_free ((PyObject *) self);
}

static PyObject *
model_probes (ModelObject *self,
              PyObject    *unused)
{
  guint n = spk_plan_get_n_probes (self->plan);
  PyObject *list = PyList_New (n);

  for (guint p = 0; list != NULL && p < n; p++)
    {
      PyObject *entry = Py_BuildValue ("(sI)", spk_plan_get_probe_label (self->plan, p),
                                       spk_plan_get_probe_size (self->plan, p));

      if (entry == NULL)
        Py_CLEAR (list);
      else
        PyList_SET_ITEM (list, p, entry);
    }
  return list;
}

static PyObject *
model_params (ModelObject *self,
              PyObject    *unused)
{
  return spk_py_plan_params (self->plan);
}

static PyObject *
model_set_params (ModelObject *self,
                  PyObject    *args)
{
  PyObject *params;

  if (!PyArg_ParseTuple (args, "O!", &PyDict_Type, &params))
    return NULL;
  if (!model_build (self, params))
    return NULL;
  Py_RETURN_NONE;
}

/* A C-contiguous array of 3 dimensions whose items are format ("d" or
 * "f"); FALSE with a ValueError naming label. */
static gboolean
get_3d (PyObject   *obj,
        Py_buffer  *view,
        const char *format,
        const char *label)
{
  if (PyObject_GetBuffer (obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
    return FALSE;
  if (view->ndim != 3 || view->format == NULL || strcmp (view->format, format) != 0)
    {
      PyErr_Format (PyExc_ValueError, "%s: expected a C-contiguous %s array of 3 dimensions",
                    label, format[0] == 'd' ? "float64" : "float32");
      PyBuffer_Release (view);
      return FALSE;
    }
  return TRUE;
}

static PyObject *
model_predict (ModelObject *self,
               PyObject    *args)
{
  PyObject *inputs, *key, *value, *result = NULL;
  unsigned long long n_steps;
  unsigned int batch;
  int stateful = FALSE;
  Py_ssize_t n_inputs, pos = 0, i = 0;
  g_autofree Py_buffer *views = NULL;
  g_autofree const char **labels = NULL;
  g_autofree const double **data = NULL;
  GError *error = NULL;
  SpkSimulator *sim;
  gboolean ok;

  if (!PyArg_ParseTuple (args, "O!KI|p", &PyDict_Type, &inputs, &n_steps, &batch, &stateful))
    return NULL;
  if (batch == 0 || n_steps == 0)
    {
      PyErr_SetString (PyExc_ValueError, "predict needs a batch and steps of at least 1");
      return NULL;
    }
  if (self->state != NULL && spk_simulator_get_batch (self->state) != batch)
    {
      PyErr_Format (PyExc_ValueError, "the saved state is of batch %u, not %u",
                    spk_simulator_get_batch (self->state), batch);
      return NULL;
    }
  n_inputs = PyDict_Size (inputs);
  views = g_new0 (Py_buffer, n_inputs);
  labels = g_new0 (const char *, n_inputs + 1);
  data = g_new0 (const double *, n_inputs + 1);
  while (PyDict_Next (inputs, &pos, &key, &value))
    {
      const char *label = PyUnicode_AsUTF8 (key);

      if (label == NULL || !get_3d (value, &views[i], "d", label))
        goto out;
      labels[i] = label;
      data[i] = views[i].buf;
      i++;
      if ((unsigned int) views[i - 1].shape[0] != batch
          || (unsigned long long) views[i - 1].shape[1] != n_steps)
        {
          PyErr_Format (PyExc_ValueError, "%s: expected %u × %llu × size values", label, batch,
                        n_steps);
          goto out;
        }
    }
  if (self->sim == NULL || spk_simulator_get_batch (self->sim) != batch)
    {
      g_clear_pointer (&self->sim, spk_simulator_free);
      if (!(self->sim = spk_simulator_new (self->plan, batch, &error)))
        {
          set_error (self->error_type, error);
          goto out;
        }
    }
  /* A stateful run goes on in the saved state's own simulator; another
   * run starts from a copy of that state and leaves it as it was. */
  sim = stateful && self->state != NULL ? self->state : self->sim;
  if (self->state != NULL && !stateful)
    {
      spk_simulator_reset (sim);
      spk_simulator_carry_state (sim, self->state);
    }
  if (!set_callbacks (self, sim))
    goto out;
  Py_CLEAR (self->raised);
  Py_BEGIN_ALLOW_THREADS
  if (self->state != NULL)
    ok = spk_simulator_predict_on (sim, labels, data, n_steps, &error);
  else
    ok = spk_simulator_predict (sim, labels, data, n_steps, &error);
  Py_END_ALLOW_THREADS
  if (!ok && self->raised != NULL)
    {
      /* A Python function's own exception, not the engine's report of it. */
      g_error_free (error);
      PyErr_SetObject ((PyObject *) Py_TYPE (self->raised), self->raised);
      Py_CLEAR (self->raised);
      goto out;
    }
  if (!ok)
    {
      set_error (self->error_type, error);
      goto out;
    }
  if (stateful && self->state == NULL)
    {
      /* This run's simulator is the saved state from now on. */
      self->state = g_steal_pointer (&self->sim);
    }
  result = PyDict_New ();
  for (guint p = 0; result != NULL && p < spk_plan_get_n_probes (self->plan); p++)
    {
      guint64 n = spk_simulator_get_probe_n_samples (sim, p);
      gsize bytes = (gsize) batch * n * spk_plan_get_probe_size (self->plan, p) * sizeof (double);
      PyObject *out = PyBytes_FromStringAndSize (NULL, (Py_ssize_t) bytes);

      if (out != NULL)
        spk_simulator_get_probe_data (sim, p, (double *) PyBytes_AS_STRING (out));
      if (out == NULL
          || PyDict_SetItemString (result, spk_plan_get_probe_label (self->plan, p), out) < 0)
        Py_CLEAR (result);
      Py_XDECREF (out);
    }
out:
  while (i > 0)
    PyBuffer_Release (&views[--i]);
  return result;
}

static PyObject *
model_state_steps (ModelObject *self,
                   PyObject    *unused)
{
  return PyLong_FromUnsignedLongLong (self->state ? spk_simulator_get_n_steps (self->state) : 0);
}

static PyObject *
model_reset_state (ModelObject *self,
                   PyObject    *unused)
{
  g_clear_pointer (&self->state, spk_simulator_free);
  Py_RETURN_NONE;
}

static PyObject *
model_compile (ModelObject *self,
               PyObject    *args)
{
  const char *opt_name, *dtype_name;
  double lr, momentum, beta1, beta2, rho, epsilon, smoothing;
  int nesterov, centered, amsgrad;
  PyObject *losses;
  SpkOptimizerKind kind;
  SpkDtype dtype;

  if (!PyArg_ParseTuple (args, "(sddpddddpp)O!ds", &opt_name, &lr, &momentum, &nesterov, &beta1,
                         &beta2, &rho, &epsilon, &centered, &amsgrad, &PyList_Type, &losses,
                         &smoothing, &dtype_name))
    return NULL;
  if (!spk_optimizer_kind_from_name (opt_name, &kind))
    {
      PyErr_Format (PyExc_ValueError, "unknown optimizer '%s': the optimizers are sgd, adam and "
                    "rmsprop", opt_name);
      return NULL;
    }
  if (!spk_dtype_from_name (dtype_name, &dtype))
    {
      PyErr_Format (PyExc_ValueError, "unknown dtype '%s'", dtype_name);
      return NULL;
    }
  g_clear_pointer (&self->loss_labels, g_ptr_array_unref);
  g_clear_pointer (&self->loss_kinds, g_array_unref);
  g_clear_pointer (&self->loss_weights, g_array_unref);
  self->loss_weights = g_array_new (FALSE, FALSE, sizeof (double));
  self->loss_labels = g_ptr_array_new_with_free_func (g_free);
  self->loss_kinds = g_array_new (FALSE, FALSE, sizeof (SpkLossKind));
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE (losses); i++)
    {
      const char *label, *loss_name;
      SpkLossKind loss;
      double weight;

      if (!PyArg_ParseTuple (PyList_GET_ITEM (losses, i), "ssd", &label, &loss_name, &weight))
        return NULL;
      if (!spk_loss_kind_from_name (loss_name, &loss))
        {
          PyErr_Format (PyExc_ValueError, "unknown loss '%s'", loss_name);
          return NULL;
        }
      g_ptr_array_add (self->loss_labels, g_strdup (label));
      g_array_append_val (self->loss_kinds, loss);
      g_array_append_val (self->loss_weights, weight);
    }
  spk_optimizer_init (&self->optimizer, kind);
  self->optimizer.learning_rate = lr;
  self->optimizer.momentum = momentum;
  self->optimizer.nesterov = nesterov;
  self->optimizer.beta1 = beta1;
  self->optimizer.beta2 = beta2;
  self->optimizer.rho = rho;
  self->optimizer.epsilon = epsilon;
  self->optimizer.centered = centered;
  self->optimizer.amsgrad = amsgrad;
  self->lif_smoothing = smoothing;
  self->dtype = dtype;
  self->trainer_stale = TRUE;
  Py_RETURN_NONE;
}

/* The compiled trainer, made again from the current plan when the plan
 * changed since (a fit goes on from a trainer's own state, its
 * optimizer's moments included). */
static SpkTrainer *
model_trainer (ModelObject *self)
{
  GError *error = NULL;
  SpkTrainer *trainer;

  if (self->loss_labels == NULL)
    {
      PyErr_SetString (self->error_type, "the model was not compiled");
      return NULL;
    }
  if (self->trainer && !self->trainer_stale)
    return self->trainer;
  Py_BEGIN_ALLOW_THREADS
  trainer = spk_trainer_new (self->network, self->plan, self->dtype, &error);
  Py_END_ALLOW_THREADS
  if (trainer == NULL)
    return set_error (self->error_type, error), NULL;
  spk_trainer_set_optimizer (trainer, &self->optimizer);
  spk_trainer_set_lif_smoothing (trainer, self->lif_smoothing);
  for (guint i = 0; i < self->loss_labels->len; i++)
    if (!spk_trainer_set_loss (trainer, g_ptr_array_index (self->loss_labels, i),
                               g_array_index (self->loss_kinds, SpkLossKind, i), &error)
        || !spk_trainer_set_loss_weight (trainer, g_ptr_array_index (self->loss_labels, i),
                                         g_array_index (self->loss_weights, double, i), &error))
      {
        spk_trainer_unref (trainer);
        return set_error (self->error_type, error), NULL;
      }
  g_clear_pointer (&self->trainer, spk_trainer_unref);
  self->trainer = trainer;
  self->trainer_stale = FALSE;
  return trainer;
}

/* Frees a Py_buffer a data set's GBytes held (from any thread). */
static void
release_view (gpointer data)
{
  Py_buffer *view = data;
  PyGILState_STATE state = PyGILState_Ensure ();

  PyBuffer_Release (view);
  PyGILState_Release (state);
  g_free (view);
}

/* A data set of {label: float32 array n × steps × size}, every array of
 * n examples and steps either n_steps or 1.  The arrays are not copied:
 * the data set holds their buffers (a 60000-image set is 188 MB). */
static SpkDataset *
make_dataset (PyObject *dict,
              guint     n_steps)
{
  g_autoptr(SpkDataset) set = NULL;
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  gssize n = -1;

  while (PyDict_Next (dict, &pos, &key, &value))
    {
      const char *label = PyUnicode_AsUTF8 (key);
      Py_buffer *view = g_new0 (Py_buffer, 1);
      g_autoptr(GBytes) bytes = NULL;
      GError *error = NULL;
      guint steps, size;

      if (label == NULL || !get_3d (value, view, "f", label))
        {
          g_free (view);
          return NULL;
        }
      if (set == NULL)
        {
          n = view->shape[0];
          set = spk_dataset_new ((guint) n, n_steps);
        }
      if (view->shape[0] != n)
        {
          PyErr_Format (PyExc_ValueError, "%s: expected %zd examples", label, n);
          PyBuffer_Release (view);
          g_free (view);
          return NULL;
        }
      steps = (guint) view->shape[1];
      size = (guint) view->shape[2];
      bytes = g_bytes_new_with_free_func (view->buf, (gsize) view->len, release_view, view);
      if (!spk_dataset_add (set, label, bytes, steps, size, &error))
        {
          PyErr_SetString (PyExc_ValueError, error->message);
          g_error_free (error);
          return NULL;
        }
    }
  if (set == NULL)
    PyErr_SetString (PyExc_ValueError, "no data");
  return g_steal_pointer (&set);
}

typedef struct
{
  PyObject *callback;
  gboolean  failed;     /* a Python exception is set */
} FitCall;

static gboolean
fit_progress (const SpkFitProgress *p,
              gpointer              user_data)
{
  FitCall *call = user_data;
  PyGILState_STATE state = PyGILState_Ensure ();
  gboolean go_on = FALSE;
  PyObject *ret;

  if (PyErr_CheckSignals () < 0)
    call->failed = TRUE;
  else if (call->callback == Py_None)
    go_on = TRUE;
  else if (!(ret = PyObject_CallFunction (call->callback, "IIIIdddNdd", p->epoch, p->n_epochs,
                                          p->batch, p->n_batches, p->loss, p->val_loss,
                                          p->seconds, PyBool_FromLong (p->epoch_done), p->accuracy,
                                          p->val_accuracy)))
    call->failed = TRUE;
  else
    {
      go_on = PyObject_IsTrue (ret) == 1;
      Py_DECREF (ret);
    }
  PyGILState_Release (state);
  return go_on;
}

static guint
dataset_steps (PyObject *dict)
{
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  guint steps = 1;

  while (PyDict_Next (dict, &pos, &key, &value))
    {
      PyObject *shape = PyObject_GetAttrString (value, "shape");

      if (shape && PyTuple_Check (shape) && PyTuple_GET_SIZE (shape) == 3)
        steps = MAX (steps, (guint) PyLong_AsUnsignedLong (PyTuple_GET_ITEM (shape, 1)));
      Py_XDECREF (shape);
    }
  PyErr_Clear ();
  return steps;
}

static PyObject *
model_fit (ModelObject *self,
           PyObject    *args)
{
  PyObject *x, *y, *val_x, *val_y, *progress;
  unsigned int epochs, batch_size;
  int shuffle;
  unsigned long long seed;
  g_autoptr(SpkDataset) xs = NULL, ys = NULL, vxs = NULL, vys = NULL;
  SpkTrainer *trainer;
  SpkFitOptions options;
  FitCall call = { 0 };
  GError *error = NULL;
  const double *loss, *val_loss;
  guint n_hist, n_before;
  SpkPlan *plan;
  gboolean ok;
  guint steps;

  if (!PyArg_ParseTuple (args, "O!O!IIpKOOO", &PyDict_Type, &x, &PyDict_Type, &y, &epochs,
                         &batch_size, &shuffle, &seed, &val_x, &val_y, &progress))
    return NULL;
  if (!(trainer = model_trainer (self)))
    return NULL;
  steps = dataset_steps (x);
  if (!(xs = make_dataset (x, steps)) || !(ys = make_dataset (y, steps)))
    return NULL;
  if (val_x != Py_None)
    {
      guint vsteps = dataset_steps (val_x);

      if (!PyDict_Check (val_x) || !PyDict_Check (val_y)
          || !(vxs = make_dataset (val_x, vsteps)) || !(vys = make_dataset (val_y, vsteps)))
        return NULL;
    }
  spk_fit_options_init (&options);
  options.epochs = epochs;
  options.batch_size = batch_size;
  options.shuffle = shuffle;
  options.seed = seed;
  options.val_inputs = vxs;
  options.val_targets = vys;
  options.progress = fit_progress;
  options.user_data = &call;
  call.callback = progress;
  n_before = spk_trainer_get_history (trainer, NULL, NULL);
  Py_BEGIN_ALLOW_THREADS
  ok = spk_trainer_fit (trainer, xs, ys, &options, &error);
  Py_END_ALLOW_THREADS
  /* Stopped by the progress callable (a callback's stop_training) or by
   * a Python exception: the parameters of the last finished minibatch
   * stay, and the model takes them as a finished fit's. */
  if (!ok && (call.failed || g_error_matches (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_CANCELLED)))
    g_clear_error (&error);
  else if (!ok)
    return set_error (self->error_type, error);
  Py_BEGIN_ALLOW_THREADS
  plan = spk_trainer_build_plan (trainer, &error);
  Py_END_ALLOW_THREADS
  if (plan == NULL)
    return set_error (self->error_type, error);
  model_set_plan (self, plan);
  self->trainer_stale = FALSE;  /* the trainer holds these very values */
  if (call.failed)
    return NULL;
  n_hist = spk_trainer_get_history (trainer, &loss, &val_loss);
  {
    PyObject *l = PyList_New (0), *v = PyList_New (0);

    for (guint e = n_before; l && v && e < n_hist; e++)
      {
        PyObject *a = PyFloat_FromDouble (loss[e]), *b = PyFloat_FromDouble (val_loss[e]);

        if (!a || !b || PyList_Append (l, a) < 0 || PyList_Append (v, b) < 0)
          Py_CLEAR (l);
        Py_XDECREF (a);
        Py_XDECREF (b);
      }
    if (!l || !v)
      {
        Py_XDECREF (l);
        Py_XDECREF (v);
        return NULL;
      }
    return Py_BuildValue ("(NNd)", l, v, spk_trainer_get_accuracy (trainer));
  }
}

static PyObject *
model_train_loss (ModelObject *self,
                  PyObject    *args)
{
  PyObject *x, *y;
  g_autoptr(SpkDataset) xs = NULL, ys = NULL;
  SpkTrainer *trainer;
  GError *error = NULL;
  unsigned int batch;
  double loss = NAN;
  gboolean ok;
  guint steps;

  if (!PyArg_ParseTuple (args, "O!O!I", &PyDict_Type, &x, &PyDict_Type, &y, &batch))
    return NULL;
  if (!(trainer = model_trainer (self)))
    return NULL;
  steps = dataset_steps (x);
  if (!(xs = make_dataset (x, steps)) || !(ys = make_dataset (y, steps)))
    return NULL;
  Py_BEGIN_ALLOW_THREADS
  ok = spk_trainer_evaluate (trainer, xs, ys, batch, &loss, &error);
  Py_END_ALLOW_THREADS
  if (!ok)
    return set_error (self->error_type, error);
  return Py_BuildValue ("(dd)", loss, spk_trainer_get_accuracy (trainer));
}

static PyMethodDef model_methods[] = {
  { "probes", (PyCFunction) model_probes, METH_NOARGS, "[(label, size)] of the plan's probes" },
  { "params", (PyCFunction) model_params, METH_NOARGS,
    "{key: (float64 bytes, rows, cols)}: the built parameters (trained, after fit)" },
  { "set_params", (PyCFunction) model_set_params, METH_VARARGS,
    "set_params({key: float64 array}): rebuilds with these values in place" },
  { "predict", (PyCFunction) model_predict, METH_VARARGS,
    "predict(inputs, n_steps, batch, stateful=False) -> {probe label: float64 bytes}" },
  { "state_steps", (PyCFunction) model_state_steps, METH_NOARGS,
    "the saved state's step count (0: the initial state)" },
  { "reset_state", (PyCFunction) model_reset_state, METH_NOARGS,
    "reset_state(): predict starts from the initial state again" },
  { "compile", (PyCFunction) model_compile, METH_VARARGS,
    "compile(optimizer, losses, lif_smoothing, dtype)" },
  { "fit", (PyCFunction) model_fit, METH_VARARGS,
    "fit(x, y, epochs, batch_size, shuffle, seed, val_x, val_y, progress) -> "
    "(loss list, val_loss list, accuracy)" },
  { "train_loss", (PyCFunction) model_train_loss, METH_VARARGS,
    "train_loss(x, y, batch) -> (loss, accuracy) of the training forward pass" },
  { NULL }
};

static PyTypeObject model_type = {
  PyVarObject_HEAD_INIT (NULL, 0)
  .tp_name = "spikeworks._train.Model",
  .tp_basicsize = sizeof (ModelObject),
  .tp_flags = Py_TPFLAGS_DEFAULT,
  .tp_doc = "A network as the engine builds it: batched predict and training.",
  .tp_new = PyType_GenericNew,
  .tp_init = (initproc) model_init,
  .tp_dealloc = (destructor) model_dealloc,
  .tp_methods = model_methods,
};

static struct PyModuleDef train_module = {
  PyModuleDef_HEAD_INIT,
  .m_name = "spikeworks._train",
  .m_doc = "The engine's batched predict and training, for spikeworks.Simulator.",
  .m_size = -1,
};

PyMODINIT_FUNC
PyInit__train (void)
{
  PyObject *module;

  if (PyType_Ready (&model_type) < 0 || !(module = PyModule_Create (&train_module)))
    return NULL;
  if (PyModule_AddObjectRef (module, "Model", (PyObject *) &model_type) < 0)
    {
      Py_DECREF (module);
      return NULL;
    }
  return module;
}
