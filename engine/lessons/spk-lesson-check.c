/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-check.c — evaluating a lesson's conditions on the model, the
 * run and the interface, and checking statically that a lesson only names
 * objects its model has.  See spk-lesson-check.h for the contract. */
#define G_LOG_DOMAIN "spk-lesson"

#include "lessons/spk-lesson-check.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "core/spk-error.h"
#include "examples/spk-examples.h"
#include "io/spk-image-set.h"
#include "io/spk-model-json.h"
#include "model/spk-node.h"

typedef struct
{
  guint   size;
  GArray *times;   /* double */
  GArray *data;    /* double, size per sample */
} Trace;

struct _SpkLessonState
{
  double      time;
  GHashTable *traces;   /* label → Trace */
  GHashTable *plots;    /* "kind" and "kind target" → itself */
  GHashTable *clicks;   /* label → itself */
  double      measured; /* the last probe measure compared, or NaN */
  guint       epochs;   /* trained so far */
  double      loss, val_loss;
  GHashTable *params;   /* (nullable) the trained parameters */
  GHashTable *labels;   /* "set/split/first/count" → GArray of guint8:
                         * the classes of the images a node presents */
};

static void
trace_free (gpointer data)
{
  Trace *trace = data;

  g_array_unref (trace->times);
  g_array_unref (trace->data);
  g_free (trace);
}

SpkLessonState *
spk_lesson_state_new (void)
{
  SpkLessonState *state = g_new0 (SpkLessonState, 1);

  state->measured = NAN;

  state->traces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, trace_free);
  state->plots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->clicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  return state;
}

void
spk_lesson_state_free (SpkLessonState *state)
{
  if (state == NULL)
    return;
  g_hash_table_unref (state->traces);
  g_hash_table_unref (state->plots);
  g_hash_table_unref (state->clicks);
  g_hash_table_unref (state->labels);
  g_clear_pointer (&state->params, g_hash_table_unref);
  g_free (state);
}

void
spk_lesson_state_clear_run (SpkLessonState *state)
{
  state->time = 0.0;
  g_hash_table_remove_all (state->traces);
}

void
spk_lesson_state_set_time (SpkLessonState *state,
                           double          time)
{
  state->time = time;
}

double
spk_lesson_state_get_time (SpkLessonState *state)
{
  return state->time;
}

double
spk_lesson_state_get_measured (SpkLessonState *state)
{
  return state->measured;
}

void
spk_lesson_state_append_probe (SpkLessonState *state,
                               const char     *label,
                               guint           size,
                               const double   *times,
                               const double   *data,
                               guint           n)
{
  Trace *trace = g_hash_table_lookup (state->traces, label);

  if (trace != NULL && trace->size != size)
    {
      g_hash_table_remove (state->traces, label);
      trace = NULL;
    }
  if (trace == NULL)
    {
      trace = g_new0 (Trace, 1);
      trace->size = size;
      trace->times = g_array_new (FALSE, FALSE, sizeof (double));
      trace->data = g_array_new (FALSE, FALSE, sizeof (double));
      g_hash_table_insert (state->traces, g_strdup (label), trace);
    }
  g_array_append_vals (trace->times, times, n);
  g_array_append_vals (trace->data, data, (guint) ((gsize) n * size));
}

void
spk_lesson_state_set_plot (SpkLessonState *state,
                           const char     *kind,
                           const char     *target,
                           gboolean        open)
{
  g_autofree char *key = target ? g_strdup_printf ("%s %s", kind, target) : g_strdup (kind);

  if (open)
    {
      g_hash_table_add (state->plots, g_strdup (kind));
      g_hash_table_add (state->plots, g_steal_pointer (&key));
    }
  else
    g_hash_table_remove (state->plots, key);
}

void
spk_lesson_state_set_training (SpkLessonState *state,
                               guint           epochs,
                               double          loss,
                               double          val_loss,
                               GHashTable     *params)
{
  state->epochs = epochs;
  state->loss = loss;
  state->val_loss = val_loss;
  if (params != state->params)
    {
      g_clear_pointer (&state->params, g_hash_table_unref);
      state->params = params ? g_hash_table_ref (params) : NULL;
    }
}

GHashTable *
spk_lesson_state_get_params (SpkLessonState *state)
{
  return state->params;
}

guint
spk_lesson_state_get_epochs (SpkLessonState *state)
{
  return state->epochs;
}

void
spk_lesson_state_clear_plots (SpkLessonState *state)
{
  g_hash_table_remove_all (state->plots);
}

void
spk_lesson_state_add_click (SpkLessonState *state,
                            const char     *label)
{
  g_hash_table_add (state->clicks, g_strdup (label));
}

/* {{{ Looking things up */

static gboolean G_GNUC_PRINTF (4, 5)
fail (GError         **error,
      const SpkLesson *lesson,
      guint            line,
      const char      *format,
      ...)
{
  g_autofree char *where = g_strdup_printf ("%s:%u", lesson->file, line);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_NAME, where, format, args);
  va_end (args);
  return FALSE;
}

/* "b.neurons" and "b[0:2]" name b. */
static char *
base_label (const char *name)
{
  char *label = g_strdup (name);
  char *cut = strchr (label, '[');

  if (cut)
    *cut = '\0';
  if (g_str_has_suffix (label, ".neurons"))
    label[strlen (label) - strlen (".neurons")] = '\0';
  return label;
}

SpkObject *
spk_lesson_lookup (SpkNetwork *network,
                   const char *name)
{
  const char *arrow = strstr (name, "->");
  g_autofree char *pre = NULL;
  g_autofree char *post = NULL;
  SpkObject *object;
  GPtrArray *objects;

  object = spk_network_lookup (network, name);
  if (object != NULL || arrow == NULL)
    return object;
  {
    g_autofree char *raw = g_strndup (name, (gsize) (arrow - name));

    pre = base_label (raw);
  }
  post = base_label (arrow + 2);
  objects = spk_network_get_objects (network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *o = g_ptr_array_index (objects, i);
      SpkObject *a, *b;

      if (!SPK_IS_CONNECTION (o))
        continue;
      a = spk_connection_get_pre (SPK_CONNECTION (o));
      b = spk_connection_get_post (SPK_CONNECTION (o));
      if (a && b && g_strcmp0 (spk_object_get_label (a), pre) == 0
          && g_strcmp0 (spk_object_get_label (b), post) == 0)
        return o;
    }
  return NULL;
}

static gboolean
need_object (const SpkLesson  *lesson,
             guint             line,
             SpkNetwork       *network,
             const char       *name,
             SpkObject       **out,
             GError          **error)
{
  g_autofree char *label = strstr (name, "->") ? g_strdup (name) : base_label (name);

  *out = spk_lesson_lookup (network, label);
  if (*out == NULL)
    return fail (error, lesson, line, _("the model has no object '%s'"), name);
  return TRUE;
}

/* }}} */
/* {{{ Conditions */

static gboolean
compare (const SpkLessonCondition *c,
         double                    v)
{
  if (!isfinite (v))
    return FALSE;
  switch (c->op)
    {
    case SPK_LESSON_OP_EQ:
      return fabs (v - c->value) <= 1e-9 * MAX (1.0, fabs (c->value));
    case SPK_LESSON_OP_IN:
      return v >= c->value && v <= c->high;
    case SPK_LESSON_OP_LT:
      return v < c->value;
    case SPK_LESSON_OP_LE:
      return v <= c->value;
    case SPK_LESSON_OP_GT:
      return v > c->value;
    case SPK_LESSON_OP_GE:
      return v >= c->value;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
param_holds (const SpkLesson          *lesson,
             const SpkLessonCondition *c,
             SpkNetwork               *network,
             GError                  **error)
{
  g_auto (GStrv) path = g_strsplit (c->key, ".", 8);
  g_autoptr (JsonNode) root = NULL;
  SpkObject *object;
  JsonNode *node;

  if (!need_object (lesson, c->line, network, c->object, &object, error))
    return FALSE;
  root = spk_model_get_json (network, object, path[0]);
  if (root == NULL)
    return fail (error, lesson, c->line, _("%s '%s' has no parameter '%s'"),
                 spk_object_get_type_name (object), c->object, path[0]);
  node = root;
  for (guint i = 1; path[i] && node; i++)
    {
      guint64 index;

      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), path[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node)
               && g_ascii_string_to_unsigned (path[i], 10, 0, G_MAXUINT, &index, NULL)
               && index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), (guint) index);
      else
        node = NULL;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (c->text != NULL)
    return json_node_get_value_type (node) == G_TYPE_STRING
           && g_strcmp0 (json_node_get_string (node), c->text) == 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return compare (c, json_node_get_boolean (node) ? 1.0 : 0.0);
  return compare (c, json_node_get_double (node));
}

static gboolean
probe_exists (const SpkLesson          *lesson,
              const SpkLessonCondition *c,
              SpkNetwork               *network,
              const char               *label,
              GError                  **error)
{
  SpkObject *object = spk_network_lookup (network, label);

  if (object == NULL || !SPK_IS_PROBE (object))
    return fail (error, lesson, c->line, _("the model has no probe '%s'"), label);
  return TRUE;
}

/* The classes of the images node presents (loaded once per data set,
 * split and range); NULL with an error when it presents none. */
static GArray *
presented_labels (const SpkLesson          *lesson,
                  const SpkLessonCondition *c,
                  SpkNetwork               *network,
                  SpkLessonState           *state,
                  const SpkProcess        **process,
                  GError                  **error)
{
  SpkObject *object = spk_network_lookup (network, c->other);
  const SpkProcess *p = object && SPK_IS_NODE (object) ? spk_node_get_output_process (SPK_NODE (object)) : NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *key = NULL;
  g_autofree float *images = NULL, *labels = NULL;
  GArray *classes;
  guint n = 0;

  if (p == NULL || p->kind != SPK_PROCESS_PRESENT_INPUT || p->dataset == NULL)
    {
      fail (error, lesson, c->line, _("'%s' is not a node presenting the images of a data set"), c->other);
      return NULL;
    }
  *process = p;
  key = g_strdup_printf ("%s/%d/%u/%u", p->dataset, p->dataset_train, p->dataset_first, p->dataset_count);
  classes = g_hash_table_lookup (state->labels, key);
  if (classes != NULL)
    return classes;
  if (!spk_image_set_load (p->dataset, NULL, p->dataset_train, p->dataset_first, p->dataset_count,
                           &images, &labels, &n, &local) || n == 0)
    {
      fail (error, lesson, c->line, "%s", local ? local->message : _("the data set is empty"));
      return NULL;
    }
  classes = g_array_sized_new (FALSE, FALSE, sizeof (guint8), n);
  for (guint i = 0; i < n; i++)
    {
      guint8 k = (guint8) CLAMP (labels[i], 0, 255);

      g_array_append_val (classes, k);
    }
  g_hash_table_insert (state->labels, g_steal_pointer (&key), classes);
  return classes;
}

/* Whether row's largest value, unique, is at index label. */
static gboolean
answers (const double *row,
         guint         size,
         guint         label)
{
  guint best = 0;
  gboolean tie = FALSE;

  for (guint i = 1; i < size; i++)
    if (row[i] > row[best])
      best = i, tie = FALSE;
    else if (row[i] == row[best])
      tie = TRUE;
  return !tie && best == label;
}

/* The fraction of the images presented (from t >= after on, shown to
 * their last step) whose class is the probe's largest value at that
 * step.  The node shows image i for the steps with
 * i = floor((t − dt)/presentation_time), as the simulator does. */
static gboolean
accuracy_of (const SpkLesson          *lesson,
             const SpkLessonCondition *c,
             SpkNetwork               *network,
             SpkLessonState           *state,
             Trace                    *trace,
             double                   *accuracy,
             GError                  **error)
{
  const SpkProcess *process = NULL;
  GArray *classes = presented_labels (lesson, c, network, state, &process, error);
  const double dt = spk_network_get_dt (network), pt = process ? process->presentation_time : 0;
  guint64 shown = 0, right = 0;

  if (classes == NULL)
    return FALSE;
  for (guint k = 0; k < trace->times->len; k++)
    {
      double t = g_array_index (trace->times, double, k);
      double pos = (t - dt) / pt + 1e-7;
      guint64 item = pos > 0 ? (guint64) pos : 0;
      gboolean last;

      /* The image's last sample: the next is of a later image, or this
       * one is at its last step. */
      if (k + 1 < trace->times->len)
        {
          double next = (g_array_index (trace->times, double, k + 1) - dt) / pt + 1e-7;

          last = (next > 0 ? (guint64) next : 0) > item;
        }
      else
        last = t >= (double) (item + 1) * pt - 0.5 * dt;
      if (!last || (double) item * pt < c->after - 1e-9)
        continue;
      shown++;
      right += answers (&g_array_index (trace->data, double, (gsize) k * trace->size), trace->size,
                        g_array_index (classes, guint8, item % classes->len));
    }
  if (shown == 0)
    return FALSE;
  *accuracy = (double) right / (double) shown;
  return TRUE;
}

static gboolean
probe_holds (const SpkLesson          *lesson,
             const SpkLessonCondition *c,
             SpkNetwork               *network,
             SpkLessonState           *state,
             GError                  **error)
{
  Trace *trace, *other = NULL;
  double sum = 0.0;
  guint64 count = 0;

  state->measured = NAN;
  if (!probe_exists (lesson, c, network, c->object, error))
    return FALSE;
  if (c->measure == SPK_LESSON_MEASURE_ACCURACY)
    {
      double accuracy;

      trace = g_hash_table_lookup (state->traces, c->object);
      if (trace == NULL || !accuracy_of (lesson, c, network, state, trace, &accuracy, error))
        return FALSE;
      state->measured = accuracy;
      return compare (c, accuracy);
    }
  if (c->other && !probe_exists (lesson, c, network, c->other, error))
    return FALSE;
  trace = g_hash_table_lookup (state->traces, c->object);
  if (c->other)
    other = g_hash_table_lookup (state->traces, c->other);
  if (trace == NULL || (c->other && other == NULL))
    return FALSE;
  if (c->measure == SPK_LESSON_MEASURE_VALUE && (guint) c->component >= trace->size)
    return fail (error, lesson, c->line, _("the probe '%s' has %u values; there is no [%d]"),
                 c->object, trace->size, c->component);
  if (other != NULL && other->size != trace->size)
    return fail (error, lesson, c->line, _("the probes '%s' and '%s' differ in size (%u and %u)"),
                 c->object, c->other, trace->size, other->size);

  for (guint k = 0, j = 0; k < trace->times->len; k++)
    {
      const double *row = &g_array_index (trace->data, double, (gsize) k * trace->size);
      double t = g_array_index (trace->times, double, k);

      if (t < c->after - 1e-9)
        continue;
      switch (c->measure)
        {
        case SPK_LESSON_MEASURE_VALUE:
          sum += row[c->component];
          count++;
          break;
        case SPK_LESSON_MEASURE_RATE:
          for (guint i = 0; i < trace->size; i++)
            sum += row[i];
          count += trace->size;
          break;
        case SPK_LESSON_MEASURE_ERROR:
          /* Samples of the same time are compared: a live run may have
           * dropped some of one probe's and not the other's. */
          while (j < other->times->len && g_array_index (other->times, double, j) < t - 1e-9)
            j++;
          if (j >= other->times->len || g_array_index (other->times, double, j) > t + 1e-9)
            break;
          for (guint i = 0; i < trace->size; i++)
            {
              double d = row[i] - g_array_index (other->data, double, (gsize) j * other->size + i);

              sum += d * d;
            }
          count += trace->size;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (count == 0)
    return FALSE;
  state->measured = c->measure == SPK_LESSON_MEASURE_ERROR ? sqrt (sum / (double) count)
                                                           : sum / (double) count;
  return compare (c, state->measured);
}

gboolean
spk_lesson_condition_holds (const SpkLesson          *lesson,
                            const SpkLessonCondition *c,
                            SpkNetwork               *network,
                            SpkLessonState           *state,
                            GError                  **error)
{
  SpkObject *object, *post;

  g_return_val_if_fail (lesson && c && SPK_IS_NETWORK (network) && state, FALSE);

  switch (c->kind)
    {
    case SPK_LESSON_COND_EXISTS:
      if (c->object == NULL)
        {
          GPtrArray *objects = spk_network_get_objects (network);

          for (guint i = 0; i < objects->len; i++)
            if (g_strcmp0 (spk_object_get_type_name (g_ptr_array_index (objects, i)), c->type) == 0)
              return TRUE;
          return FALSE;
        }
      object = spk_lesson_lookup (network, c->object);
      return object != NULL && g_strcmp0 (spk_object_get_type_name (object), c->type) == 0;

    case SPK_LESSON_COND_CONNECTION:
      {
        g_autofree char *name = g_strdup_printf ("%s->%s", c->object, c->post);

        /* Naming a missing end is the lesson's mistake only if it is
         * never added; that is spk_lesson_validate()'s job. */
        if (spk_lesson_lookup (network, c->object) == NULL)
          return FALSE;
        post = spk_lesson_lookup (network, c->post);
        return post != NULL && spk_lesson_lookup (network, name) != NULL;
      }

    case SPK_LESSON_COND_PARAM:
      return param_holds (lesson, c, network, error);

    case SPK_LESSON_COND_TRAINED:
      if (state->epochs == 0)
        {
          state->measured = NAN;
          return FALSE;
        }
      state->measured = g_str_equal (c->key, "epochs") ? (double) state->epochs
                        : g_str_equal (c->key, "loss") ? state->loss : state->val_loss;
      return !isnan (state->measured) && compare (c, state->measured);

    case SPK_LESSON_COND_TIME:
      return compare (c, state->time + 1e-9 * (c->op == SPK_LESSON_OP_GE || c->op == SPK_LESSON_OP_GT ? 1 : -1));

    case SPK_LESSON_COND_PROBE:
      return probe_holds (lesson, c, network, state, error);

    case SPK_LESSON_COND_PLOT:
      {
        g_autofree char *key = c->object ? g_strdup_printf ("%s %s", c->type, c->object) : g_strdup (c->type);

        if (c->object && !need_object (lesson, c->line, network, c->object, &object, error))
          return FALSE;
        return g_hash_table_contains (state->plots, key);
      }

    case SPK_LESSON_COND_CLICKED:
      if (!need_object (lesson, c->line, network, c->object, &object, error))
        return FALSE;
      return g_hash_table_contains (state->clicks, c->object);

    default:
      g_assert_not_reached ();
    }
}

gboolean
spk_lesson_task_done (const SpkLesson     *lesson,
                      const SpkLessonTask *task,
                      SpkNetwork          *network,
                      SpkLessonState      *state,
                      GError             **error)
{
  for (guint i = 0; i < task->conditions->len; i++)
    if (!spk_lesson_condition_holds (lesson, g_ptr_array_index (task->conditions, i),
                                     network, state, error))
      return FALSE;
  return TRUE;
}

/* }}} */
/* {{{ The start model and static validation */

SpkNetwork *
spk_lesson_load_start (const SpkLesson *lesson,
                       GError         **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  SpkNetwork *network = NULL;

  switch (lesson->start)
    {
    case SPK_LESSON_START_EMPTY:
      return spk_network_new ();
    case SPK_LESSON_START_EXAMPLE:
      network = spk_example_new (lesson->start_arg, &local);
      break;
    case SPK_LESSON_START_FILE:
      if (lesson->base != NULL && g_str_has_prefix (lesson->base, "resource://"))
        {
          g_autofree char *path = g_build_path ("/", lesson->base + strlen ("resource://"),
                                                lesson->start_arg, NULL);
          g_autoptr (GBytes) bytes = g_resources_lookup_data (path, 0, &local);

          if (bytes != NULL)
            data = g_strndup (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));
        }
      else
        {
          g_autofree char *path = g_build_filename (lesson->base ? lesson->base : ".",
                                                    lesson->start_arg, NULL);

          g_file_get_contents (path, &data, &length, &local);
        }
      if (data != NULL)
        network = spk_model_load_data (data, (gssize) length, &local);
      break;
    default:
      g_assert_not_reached ();
    }
  if (network == NULL)
    g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_MODEL,
                 _("%s:%u: the start model does not load: %s"), lesson->file, lesson->start_line,
                 local->message);
  return network;
}

static gboolean
known (const SpkLesson *lesson,
       GHashTable      *labels,
       guint            line,
       const char      *name,
       GError         **error)
{
  g_autofree char *label = NULL;
  const char *arrow = strstr (name, "->");

  if (arrow != NULL)
    {
      g_autofree char *pre = g_strndup (name, (gsize) (arrow - name));

      return known (lesson, labels, line, pre, error) && known (lesson, labels, line, arrow + 2, error);
    }
  label = base_label (name);
  if (!g_hash_table_contains (labels, label))
    return fail (error, lesson, line, _("the model has no object '%s'"), name);
  return TRUE;
}

gboolean
spk_lesson_validate (const SpkLesson *lesson,
                     GError         **error)
{
  g_autoptr (SpkNetwork) network = spk_lesson_load_start (lesson, error);
  g_autoptr (GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *objects;

  if (network == NULL)
    return FALSE;
  objects = spk_network_get_objects (network);
  for (guint i = 0; i < objects->len; i++)
    if (spk_object_get_label (g_ptr_array_index (objects, i)))
      g_hash_table_add (labels, g_strdup (spk_object_get_label (g_ptr_array_index (objects, i))));

  for (guint p = 0; p < lesson->pages->len; p++)
    {
      SpkLessonPage *page = g_ptr_array_index (lesson->pages, p);

      for (guint t = 0; t < page->tasks->len; t++)
        {
          SpkLessonTask *task = g_ptr_array_index (page->tasks, t);

          /* The solution comes first: a task may check what it adds. */
          for (guint i = 0; i < task->actions->len; i++)
            {
              SpkLessonAction *a = g_ptr_array_index (task->actions, i);

              switch (a->kind)
                {
                case SPK_LESSON_DO_ADD:
                  if (g_hash_table_contains (labels, a->object))
                    return fail (error, lesson, a->line, _("the label '%s' is already used"), a->object);
                  g_hash_table_add (labels, g_strdup (a->object));
                  break;
                case SPK_LESSON_DO_CONNECT:
                  if (!known (lesson, labels, a->line, a->object, error)
                      || !known (lesson, labels, a->line, a->post, error))
                    return FALSE;
                  break;
                case SPK_LESSON_DO_DELETE:
                  if (!known (lesson, labels, a->line, a->object, error))
                    return FALSE;
                  if (!strstr (a->object, "->"))
                    g_hash_table_remove (labels, a->object);
                  break;
                case SPK_LESSON_DO_SET:
                case SPK_LESSON_DO_PLOT:
                case SPK_LESSON_DO_CLICK:
                  if (!known (lesson, labels, a->line, a->object, error))
                    return FALSE;
                  break;
                case SPK_LESSON_DO_RUN:
                case SPK_LESSON_DO_TRAIN:
                  break;
                default:
                  g_assert_not_reached ();
                }
            }
          for (guint i = 0; i < task->conditions->len; i++)
            {
              SpkLessonCondition *c = g_ptr_array_index (task->conditions, i);

              if (c->object && !known (lesson, labels, c->line, c->object, error))
                return FALSE;
              if (c->post && !known (lesson, labels, c->line, c->post, error))
                return FALSE;
              if (c->other && !known (lesson, labels, c->line, c->other, error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* }}} */
