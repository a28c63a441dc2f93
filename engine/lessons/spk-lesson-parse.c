/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-parse.c — reading a lesson file (docs/lessons.md).
 *
 * The format is line-based Markdown: "# Title", header lines "key: value",
 * "## Page" headings with paragraphs, and "### Task: …" blocks of
 * "check:", "hint:" and "do:" lines.  Files come from other teachers, so
 * this is a reader of untrusted input: the size, the line length and every
 * count are bounded, JSON values are depth-checked before json-glib sees
 * them, and every error says "FILE:LINE: what".
 */
#define G_LOG_DOMAIN "spk-lesson"

#include "lessons/spk-lesson.h"

#include <errno.h>
#include <sys/stat.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "core/spk-error.h"
#include "train/spk-train-data.h"

G_DEFINE_QUARK (spk-lesson-error-quark, spk_lesson_error)

static const char *const object_types[] = { "node", "ensemble", "connection", "probe", "layer", NULL };
static const char *const plot_kinds[] = {
  "value", "spikes", "filtered-spikes", "voltage", "current", "xy", "image", "tuning-curves",
  "decoded-function", NULL,
};

const char *const *
spk_lesson_plot_kinds (void)
{
  return plot_kinds;
}

/* {{{ Freeing */

static void
condition_free (gpointer data)
{
  SpkLessonCondition *c = data;

  g_free (c->type);
  g_free (c->object);
  g_free (c->post);
  g_free (c->key);
  g_free (c->text);
  g_free (c->other);
  g_free (c);
}

static void
action_free (gpointer data)
{
  SpkLessonAction *a = data;

  g_free (a->type);
  g_free (a->object);
  g_free (a->post);
  g_free (a->key);
  g_free (a->json);
  g_free (a);
}

static void
task_free (gpointer data)
{
  SpkLessonTask *t = data;

  g_free (t->title);
  g_free (t->hint);
  g_ptr_array_unref (t->conditions);
  g_ptr_array_unref (t->actions);
  g_free (t);
}

static void
page_free (gpointer data)
{
  SpkLessonPage *p = data;

  g_free (p->title);
  g_ptr_array_unref (p->paragraphs);
  g_ptr_array_unref (p->tasks);
  g_free (p);
}

void
spk_lesson_free (SpkLesson *lesson)
{
  if (lesson == NULL)
    return;
  g_free (lesson->name);
  g_free (lesson->file);
  g_free (lesson->base);
  g_free (lesson->title);
  g_free (lesson->level);
  g_free (lesson->teaches);
  g_free (lesson->start_arg);
  g_ptr_array_unref (lesson->pages);
  g_free (lesson);
}

guint
spk_lesson_count_tasks (const SpkLesson *lesson)
{
  guint n = 0;

  for (guint i = 0; i < lesson->pages->len; i++)
    n += ((SpkLessonPage *) g_ptr_array_index (lesson->pages, i))->tasks->len;
  return n;
}

/* }}} */
/* {{{ Small readers */

static void
set_str (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

typedef struct
{
  const char     *file;
  guint           line;
  GError        **error;
} Reader;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Reader     *r,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *where = g_strdup_printf ("%s:%u", r->file, r->line);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (r->error, SPK_LESSON_ERROR, code, where, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (errno != 0 || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_op (const char  *text,
          SpkLessonOp *op)
{
  static const struct { const char *name; SpkLessonOp op; } ops[] = {
    { "=", SPK_LESSON_OP_EQ }, { "==", SPK_LESSON_OP_EQ }, { "in", SPK_LESSON_OP_IN },
    { "<", SPK_LESSON_OP_LT }, { "<=", SPK_LESSON_OP_LE },
    { ">", SPK_LESSON_OP_GT }, { ">=", SPK_LESSON_OP_GE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (text != NULL && strcmp (text, ops[i].name) == 0)
      {
        *op = ops[i].op;
        return TRUE;
      }
  return FALSE;
}

/* Reads "op number" or "in low..high" from words[0..]; returns how many
 * words it used, 0 on error (already reported). */
static guint
parse_bound (Reader              *r,
             char               **words,
             SpkLessonCondition  *c,
             gboolean             text_allowed)
{
  if (!parse_op (words[0], &c->op))
    {
      fail (r, SPK_LESSON_ERROR_PARSE,
            _("expected a comparison (=, <, <=, >, >= or in LOW..HIGH), not '%s'"),
            words[0] ? words[0] : _("the end of the line"));
      return 0;
    }
  if (words[1] == NULL)
    {
      fail (r, SPK_LESSON_ERROR_PARSE, _("a value must follow '%s'"), words[0]);
      return 0;
    }
  if (c->op == SPK_LESSON_OP_IN)
    {
      g_auto (GStrv) range = g_strsplit (words[1], "..", 2);

      if (g_strv_length (range) != 2 || !parse_number (range[0], &c->value)
          || !parse_number (range[1], &c->high) || c->high < c->value)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected a range LOW..HIGH with LOW ≤ HIGH, not '%s'"), words[1]);
          return 0;
        }
      return 2;
    }
  if (!parse_number (words[1], &c->value))
    {
      if (!text_allowed || c->op != SPK_LESSON_OP_EQ)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected a number, not '%s'"), words[1]);
          return 0;
        }
      c->text = g_strdup (words[1]);
      if (c->text[0] == '"' && strlen (c->text) >= 2 && g_str_has_suffix (c->text, "\""))
        {
          memmove (c->text, c->text + 1, strlen (c->text) - 2);
          c->text[strlen (c->text) - 2] = '\0';
        }
    }
  return 2;
}

/* A label or "pre->post": printable, no spaces, bounded. */
static gboolean
check_name (Reader     *r,
            const char *name,
            const char *what)
{
  if (name == NULL)
    return fail (r, SPK_LESSON_ERROR_PARSE, _("%s is missing"), what);
  if (strlen (name) > 200 || !g_utf8_validate (name, -1, NULL))
    return fail (r, SPK_LESSON_ERROR_PARSE, _("%s is not a valid name"), what);
  return TRUE;
}

static gboolean
check_type (Reader     *r,
            const char *type)
{
  if (type == NULL || !g_strv_contains (object_types, type))
    return fail (r, SPK_LESSON_ERROR_PARSE,
                 _("unknown object type '%s'; expected node, ensemble, connection, probe or layer"),
                 type ? type : "");
  return TRUE;
}

static gboolean
check_plot_kind (Reader     *r,
                 const char *kind)
{
  g_autofree char *known = NULL;

  if (kind != NULL && g_strv_contains (plot_kinds, kind))
    return TRUE;
  known = g_strjoinv (", ", (char **) plot_kinds);
  return fail (r, SPK_LESSON_ERROR_PARSE, _("unknown plot kind '%s'; expected one of %s"),
               kind ? kind : "", known);
}

/* Nesting depth of a JSON text, counted before json-glib parses it so a
 * hostile file cannot recurse it deep. */
static guint
json_depth (const char *text)
{
  guint depth = 0, max = 0;
  gboolean in_string = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1])
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        max = MAX (max, ++depth);
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }
  return max;
}

/* Checks that text is a JSON value (an object if object is set). */
static gboolean
check_json (Reader     *r,
            const char *text,
            gboolean    object)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  JsonNode *root;

  if (json_depth (text) > SPK_LESSON_MAX_JSON_DEPTH)
    return fail (r, SPK_LESSON_ERROR_TOO_LARGE, _("the value nests deeper than %u levels"),
                 SPK_LESSON_MAX_JSON_DEPTH);
  if (!json_parser_load_from_data (parser, text, -1, &local))
    {
      const char *message = local->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      return fail (r, SPK_LESSON_ERROR_PARSE, _("malformed JSON value '%s' (%s)"), text, message);
    }
  root = json_parser_get_root (parser);
  if (root == NULL || (object && !JSON_NODE_HOLDS_OBJECT (root)))
    return fail (r, SPK_LESSON_ERROR_PARSE, _("expected a JSON object {…}, not '%s'"), text);
  return TRUE;
}

/* The text after the first n words of line, trimmed; "" when none. */
static const char *
rest_after (const char *line,
            guint       n)
{
  const char *p = line;

  for (guint i = 0; i < n; i++)
    {
      while (*p == ' ' || *p == '\t')
        p++;
      while (*p && *p != ' ' && *p != '\t')
        p++;
    }
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static char **
split_words (const char *text)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) parts = g_strsplit_set (text, " \t", -1);

  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

/* }}} */
/* {{{ Conditions and actions */

static gboolean
parse_probe_name (Reader             *r,
                  const char         *word,
                  SpkLessonCondition *c)
{
  const char *bracket = word ? strchr (word, '[') : NULL;

  if (!check_name (r, word, _("the probe")))
    return FALSE;
  if (bracket == NULL)
    {
      c->object = g_strdup (word);
      return TRUE;
    }
  {
    guint64 index;
    g_autofree char *digits = g_strndup (bracket + 1, strlen (bracket + 1));

    if (!g_str_has_suffix (digits, "]"))
      return fail (r, SPK_LESSON_ERROR_PARSE, _("expected PROBE[INDEX], not '%s'"), word);
    digits[strlen (digits) - 1] = '\0';
    if (!g_ascii_string_to_unsigned (digits, 10, 0, 65535, &index, NULL))
      return fail (r, SPK_LESSON_ERROR_PARSE, _("expected PROBE[INDEX], not '%s'"), word);
    c->object = g_strndup (word, (gsize) (bracket - word));
    c->component = (int) index;
  }
  return TRUE;
}

static SpkLessonCondition *
parse_condition (Reader     *r,
                 const char *text)
{
  g_auto (GStrv) w = split_words (text);
  g_autoptr (GPtrArray) holder = g_ptr_array_new_with_free_func (condition_free);
  SpkLessonCondition *c = g_new0 (SpkLessonCondition, 1);
  guint n = g_strv_length (w), used;

  g_ptr_array_add (holder, c);
  c->line = r->line;
  if (n == 0)
    {
      fail (r, SPK_LESSON_ERROR_PARSE, _("'check:' needs a condition"));
      return NULL;
    }
  if (strcmp (w[0], "exists") == 0)
    {
      c->kind = SPK_LESSON_COND_EXISTS;
      if (n < 2 || n > 3 || !check_type (r, w[1]))
        {
          if (n < 2 || n > 3)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'exists TYPE [LABEL]'"));
          return NULL;
        }
      c->type = g_strdup (w[1]);
      c->object = g_strdup (w[2]);
    }
  else if (strcmp (w[0], "connection") == 0)
    {
      c->kind = SPK_LESSON_COND_CONNECTION;
      if (n != 4 || strcmp (w[2], "->") != 0)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'connection PRE -> POST'"));
          return NULL;
        }
      c->object = g_strdup (w[1]);
      c->post = g_strdup (w[3]);
    }
  else if (strcmp (w[0], "param") == 0)
    {
      c->kind = SPK_LESSON_COND_PARAM;
      if (n < 5)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'param OBJECT KEY = VALUE' (or < > <= >= in)"));
          return NULL;
        }
      if (!check_name (r, w[1], _("the object")) || !check_name (r, w[2], _("the key")))
        return NULL;
      c->object = g_strdup (w[1]);
      c->key = g_strdup (w[2]);
      if (!(used = parse_bound (r, w + 3, c, TRUE)))
        return NULL;
      if (3 + used != n)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("unexpected '%s' after the value"), w[3 + used]);
          return NULL;
        }
    }
  else if (strcmp (w[0], "time") == 0)
    {
      c->kind = SPK_LESSON_COND_TIME;
      if (n < 3 || !(used = parse_bound (r, w + 1, c, FALSE)) || 1 + used != n)
        {
          if (n < 3 || (r->error && *r->error == NULL))
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'time >= SECONDS'"));
          return NULL;
        }
    }
  else if (strcmp (w[0], "probe") == 0)
    {
      guint at = 3;

      c->kind = SPK_LESSON_COND_PROBE;
      if (n < 5 || !parse_probe_name (r, w[1], c))
        {
          if (n < 5)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'probe PROBE value|rate|error OTHER|accuracy NODE OP VALUE [after SECONDS]'"));
          return NULL;
        }
      if (strcmp (w[2], "value") == 0)
        c->measure = SPK_LESSON_MEASURE_VALUE;
      else if (strcmp (w[2], "rate") == 0)
        c->measure = SPK_LESSON_MEASURE_RATE;
      else if (strcmp (w[2], "error") == 0)
        {
          c->measure = SPK_LESSON_MEASURE_ERROR;
          if (!check_name (r, w[3], _("the probe to compare with")))
            return NULL;
          c->other = g_strdup (w[3]);
          at = 4;
        }
      else if (strcmp (w[2], "accuracy") == 0)
        {
          c->measure = SPK_LESSON_MEASURE_ACCURACY;
          if (!check_name (r, w[3], _("the node presenting the images")))
            return NULL;
          c->other = g_strdup (w[3]);
          at = 4;
        }
      else
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("unknown probe measure '%s'; expected value, rate, error or accuracy"), w[2]);
          return NULL;
        }
      if (at >= n || !(used = parse_bound (r, w + at, c, FALSE)))
        {
          if (at >= n)
            fail (r, SPK_LESSON_ERROR_PARSE, _("a comparison must follow '%s'"), w[at - 1]);
          return NULL;
        }
      at += used;
      if (at < n)
        {
          if (strcmp (w[at], "after") != 0 || at + 2 != n || !parse_number (w[at + 1], &c->after)
              || c->after < 0)
            {
              fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'after SECONDS' at the end, not '%s'"), w[at]);
              return NULL;
            }
        }
    }
  else if (strcmp (w[0], "plot") == 0)
    {
      c->kind = SPK_LESSON_COND_PLOT;
      if (n < 2 || n > 3)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'plot KIND [OBJECT]'"));
          return NULL;
        }
      if (!check_plot_kind (r, w[1]))
        return NULL;
      c->type = g_strdup (w[1]);
      c->object = g_strdup (w[2]);
    }
  else if (strcmp (w[0], "clicked") == 0)
    {
      c->kind = SPK_LESSON_COND_CLICKED;
      if (n != 2)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'clicked OBJECT'"));
          return NULL;
        }
      c->object = g_strdup (w[1]);
    }
  else if (strcmp (w[0], "trained") == 0)
    {
      c->kind = SPK_LESSON_COND_TRAINED;
      if (n < 4 || (strcmp (w[1], "epochs") != 0 && strcmp (w[1], "loss") != 0 && strcmp (w[1], "val_loss") != 0))
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'trained epochs|loss|val_loss OP VALUE'"));
          return NULL;
        }
      c->key = g_strdup (w[1]);
      if (!(used = parse_bound (r, w + 2, c, FALSE)))
        return NULL;
      if (2 + used != n)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("unexpected '%s' after the value"), w[2 + used]);
          return NULL;
        }
    }
  else
    {
      fail (r, SPK_LESSON_ERROR_PARSE,
            _("unknown task kind '%s'; expected exists, connection, param, time, probe, plot, clicked or trained"),
            w[0]);
      return NULL;
    }
  if (c->object && !check_name (r, c->object, _("the object")))
    return NULL;
  return g_ptr_array_steal_index (holder, 0);
}

static SpkLessonAction *
parse_action (Reader     *r,
              const char *text)
{
  g_auto (GStrv) w = split_words (text);
  g_autoptr (GPtrArray) holder = g_ptr_array_new_with_free_func (action_free);
  SpkLessonAction *a = g_new0 (SpkLessonAction, 1);
  guint n = g_strv_length (w);
  const char *rest;

  g_ptr_array_add (holder, a);
  a->line = r->line;
  if (n == 0)
    {
      fail (r, SPK_LESSON_ERROR_PARSE, _("'do:' needs an action"));
      return NULL;
    }
  if (strcmp (w[0], "add") == 0)
    {
      a->kind = SPK_LESSON_DO_ADD;
      if (n < 3 || !check_type (r, w[1]) || !check_name (r, w[2], _("the label")))
        {
          if (n < 3)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'add TYPE LABEL [{JSON}]'"));
          return NULL;
        }
      if (strcmp (w[1], "connection") == 0)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("add connections with 'connect PRE POST'"));
          return NULL;
        }
      a->type = g_strdup (w[1]);
      a->object = g_strdup (w[2]);
      rest = rest_after (text, 3);
      a->json = g_strdup (*rest ? rest : "{}");
      if (!check_json (r, a->json, TRUE))
        return NULL;
    }
  else if (strcmp (w[0], "connect") == 0)
    {
      a->kind = SPK_LESSON_DO_CONNECT;
      if (n < 3 || !check_name (r, w[1], _("the pre object")) || !check_name (r, w[2], _("the post object")))
        {
          if (n < 3)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'connect PRE POST [{JSON}]'"));
          return NULL;
        }
      a->object = g_strdup (w[1]);
      a->post = g_strdup (w[2]);
      rest = rest_after (text, 3);
      a->json = g_strdup (*rest ? rest : "{}");
      if (!check_json (r, a->json, TRUE))
        return NULL;
    }
  else if (strcmp (w[0], "set") == 0)
    {
      a->kind = SPK_LESSON_DO_SET;
      if (n < 4 || !check_name (r, w[1], _("the object")) || !check_name (r, w[2], _("the key")))
        {
          if (n < 4)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'set OBJECT KEY VALUE'"));
          return NULL;
        }
      a->object = g_strdup (w[1]);
      a->key = g_strdup (w[2]);
      a->json = g_strdup (rest_after (text, 3));
      if (!check_json (r, a->json, FALSE))
        return NULL;
    }
  else if (strcmp (w[0], "delete") == 0)
    {
      a->kind = SPK_LESSON_DO_DELETE;
      if (n != 2 || !check_name (r, w[1], _("the object")))
        {
          if (n != 2)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'delete OBJECT'"));
          return NULL;
        }
      a->object = g_strdup (w[1]);
    }
  else if (strcmp (w[0], "run") == 0)
    {
      a->kind = SPK_LESSON_DO_RUN;
      if (n != 2 || !parse_number (w[1], &a->time) || a->time <= 0
          || a->time > SPK_LESSON_MAX_RUN_TIME)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'run SECONDS' with 0 < SECONDS ≤ %g"),
                SPK_LESSON_MAX_RUN_TIME);
          return NULL;
        }
    }
  else if (strcmp (w[0], "plot") == 0)
    {
      a->kind = SPK_LESSON_DO_PLOT;
      if (n != 3)
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'plot KIND OBJECT'"));
          return NULL;
        }
      if (!check_plot_kind (r, w[1]) || !check_name (r, w[2], _("the object")))
        return NULL;
      a->type = g_strdup (w[1]);
      a->object = g_strdup (w[2]);
    }
  else if (strcmp (w[0], "click") == 0)
    {
      a->kind = SPK_LESSON_DO_CLICK;
      if (n != 2 || !check_name (r, w[1], _("the object")))
        {
          if (n != 2)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'click OBJECT'"));
          return NULL;
        }
      a->object = g_strdup (w[1]);
    }
  else if (strcmp (w[0], "train") == 0)
    {
      guint64 epochs;

      a->kind = SPK_LESSON_DO_TRAIN;
      if (n < 3 || !check_name (r, w[1], _("the data set")))
        {
          if (n < 3)
            fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'train DATASET EPOCHS [{JSON}]'"));
          return NULL;
        }
      if (strcmp (w[1], "images") != 0 && spk_train_data_lookup (w[1]) == NULL)
        {
          fail (r, SPK_LESSON_ERROR_PARSE,
                _("unknown data set '%s'; expected images, fashion-mnist, generated-images, noise-lowpass or noise-integral"),
                w[1]);
          return NULL;
        }
      if (!g_ascii_string_to_unsigned (w[2], 10, 1, SPK_LESSON_MAX_EPOCHS, &epochs, NULL))
        {
          fail (r, SPK_LESSON_ERROR_PARSE, _("expected a number of epochs from 1 to %u, not '%s'"),
                SPK_LESSON_MAX_EPOCHS, w[2]);
          return NULL;
        }
      a->type = g_strdup (w[1]);
      a->epochs = (guint) epochs;
      rest = rest_after (text, 3);
      a->json = g_strdup (*rest ? rest : "{}");
      if (!check_json (r, a->json, TRUE))
        return NULL;
    }
  else
    {
      fail (r, SPK_LESSON_ERROR_PARSE,
            _("unknown action '%s'; expected add, connect, set, delete, run, plot, click or train"), w[0]);
      return NULL;
    }
  return g_ptr_array_steal_index (holder, 0);
}

/* }}} */
/* {{{ The file */

static gboolean
parse_start (Reader     *r,
             SpkLesson  *lesson,
             const char *value)
{
  g_auto (GStrv) w = split_words (value);
  guint n = g_strv_length (w);

  lesson->start_line = r->line;
  if (n == 1 && strcmp (w[0], "empty") == 0)
    lesson->start = SPK_LESSON_START_EMPTY;
  else if (n == 2 && strcmp (w[0], "example") == 0)
    lesson->start = SPK_LESSON_START_EXAMPLE;
  else if (n == 2 && strcmp (w[0], "file") == 0)
    {
      /* Only a file beside the lesson: no way out of its folder. */
      if (strchr (w[1], '/') != NULL || strchr (w[1], '\\') != NULL || w[1][0] == '.')
        return fail (r, SPK_LESSON_ERROR_PARSE, _("the start file '%s' must be a plain name beside the lesson"), w[1]);
      lesson->start = SPK_LESSON_START_FILE;
    }
  else
    return fail (r, SPK_LESSON_ERROR_PARSE, _("expected 'start: empty', 'start: example NAME' or 'start: file NAME.json'"));
  g_free (lesson->start_arg);
  lesson->start_arg = n == 2 ? g_strdup (w[1]) : NULL;
  return TRUE;
}

static gboolean
parse_header (Reader     *r,
              SpkLesson  *lesson,
              const char *key,
              const char *value)
{
  if (*value == '\0')
    return fail (r, SPK_LESSON_ERROR_PARSE, _("'%s:' needs a value"), key);
  if (strcmp (key, "level") == 0)
    set_str (&lesson->level, value);
  else if (strcmp (key, "teaches") == 0)
    set_str (&lesson->teaches, value);
  else if (strcmp (key, "minutes") == 0)
    {
      guint64 minutes;

      if (!g_ascii_string_to_unsigned (value, 10, 1, 600, &minutes, NULL))
        return fail (r, SPK_LESSON_ERROR_PARSE, _("'minutes:' must be a whole number from 1 to 600"));
      lesson->minutes = (guint) minutes;
    }
  else if (strcmp (key, "start") == 0)
    return parse_start (r, lesson, value);
  else if (strcmp (key, "status") == 0)
    {
      if (strcmp (value, "coming") != 0 && strcmp (value, "ready") != 0)
        return fail (r, SPK_LESSON_ERROR_PARSE, _("'status:' is 'ready' or 'coming'"));
      lesson->coming = strcmp (value, "coming") == 0;
    }
  else
    return fail (r, SPK_LESSON_ERROR_PARSE,
                 _("unknown header '%s'; expected level, minutes, teaches, start or status"), key);
  return TRUE;
}

/* Splits "key: value" when key is a plain word; FALSE otherwise. */
static gboolean
split_key (const char  *line,
           char       **key,
           const char **value)
{
  const char *colon = strchr (line, ':');

  if (colon == NULL || colon == line)
    return FALSE;
  for (const char *p = line; p < colon; p++)
    if (!g_ascii_isalpha (*p) && *p != '_')
      return FALSE;
  *key = g_strndup (line, (gsize) (colon - line));
  *value = colon + 1;
  while (**value == ' ' || **value == '\t')
    (*value)++;
  return TRUE;
}

static void
flush_paragraph (SpkLessonPage *page,
                 GString       *para)
{
  if (page != NULL && para->len > 0)
    g_ptr_array_add (page->paragraphs, g_strdup (para->str));
  g_string_truncate (para, 0);
}

SpkLesson *
spk_lesson_parse (const char  *data,
                  gssize       length,
                  const char  *file,
                  const char  *base,
                  GError     **error)
{
  g_autoptr (SpkLesson) lesson = NULL;
  g_autoptr (GString) para = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *basename = NULL;
  Reader r = { file ? file : "<lesson>", 0, error };
  SpkLessonPage *page = NULL;
  SpkLessonTask *task = NULL;
  gboolean in_comment = FALSE;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (data);
  if ((gsize) length > SPK_LESSON_MAX_BYTES)
    {
      fail (&r, SPK_LESSON_ERROR_TOO_LARGE, _("the file is larger than %u KiB"), SPK_LESSON_MAX_BYTES / 1024);
      return NULL;
    }
  {
    const char *bad = memchr (data, '\0', (gsize) length);
    const char *end = NULL;

    if (!g_utf8_validate_len (data, (gsize) length, &end) && (bad == NULL || end < bad))
      bad = end;
    if (bad != NULL)
      {
        r.line = 1;
        for (const char *p = data; p < bad; p++)
          if (*p == '\n')
            r.line++;
        fail (&r, SPK_LESSON_ERROR_PARSE, _("the file is not UTF-8 text"));
        return NULL;
      }
  }
  text = g_strndup (data, (gsize) length);
  lines = g_strsplit (text, "\n", -1);

  lesson = g_new0 (SpkLesson, 1);
  lesson->file = g_strdup (r.file);
  lesson->base = g_strdup (base);
  basename = g_path_get_basename (r.file);
  if (g_str_has_suffix (basename, ".lesson"))
    basename[strlen (basename) - strlen (".lesson")] = '\0';
  lesson->name = g_steal_pointer (&basename);
  lesson->pages = g_ptr_array_new_with_free_func (page_free);

  for (guint i = 0; lines[i]; i++)
    {
      char *line = lines[i];
      g_autofree char *key = NULL;
      const char *value;

      r.line = i + 1;
      if (strlen (line) > SPK_LESSON_MAX_LINE)
        {
          fail (&r, SPK_LESSON_ERROR_TOO_LARGE, _("the line is longer than %u bytes"), SPK_LESSON_MAX_LINE);
          return NULL;
        }
      g_strchomp (line);

      /* HTML comments hold notes for teachers; they are not shown. */
      if (in_comment || g_str_has_prefix (line, "<!--"))
        {
          in_comment = strstr (line, "-->") == NULL;
          continue;
        }

      if (lesson->title == NULL)
        {
          if (*line == '\0')
            continue;
          if (!g_str_has_prefix (line, "# ") || line[2] == '\0')
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("a lesson starts with its title: '# Title'"));
              return NULL;
            }
          lesson->title = g_strstrip (g_strdup (line + 2));
          continue;
        }

      if (g_str_has_prefix (line, "## "))
        {
          flush_paragraph (page, para);
          if (lesson->pages->len >= SPK_LESSON_MAX_PAGES)
            {
              fail (&r, SPK_LESSON_ERROR_TOO_LARGE, _("more than %u pages"), SPK_LESSON_MAX_PAGES);
              return NULL;
            }
          page = g_new0 (SpkLessonPage, 1);
          page->title = g_strstrip (g_strdup (line + 3));
          page->line = r.line;
          page->paragraphs = g_ptr_array_new_with_free_func (g_free);
          page->tasks = g_ptr_array_new_with_free_func (task_free);
          g_ptr_array_add (lesson->pages, page);
          task = NULL;
          if (page->title[0] == '\0')
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("a page needs a title after '##'"));
              return NULL;
            }
          continue;
        }

      if (g_str_has_prefix (line, "### "))
        {
          const char *title = line + 4;

          flush_paragraph (page, para);
          if (page == NULL)
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("a task must be on a page ('## Page title' first)"));
              return NULL;
            }
          while (*title == ' ')
            title++;
          if (!g_str_has_prefix (title, "Task:"))
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("expected '### Task: what to do'"));
              return NULL;
            }
          if (page->tasks->len >= SPK_LESSON_MAX_TASKS)
            {
              fail (&r, SPK_LESSON_ERROR_TOO_LARGE, _("more than %u tasks on one page"), SPK_LESSON_MAX_TASKS);
              return NULL;
            }
          task = g_new0 (SpkLessonTask, 1);
          task->title = g_strstrip (g_strdup (title + strlen ("Task:")));
          task->line = r.line;
          task->conditions = g_ptr_array_new_with_free_func (condition_free);
          task->actions = g_ptr_array_new_with_free_func (action_free);
          g_ptr_array_add (page->tasks, task);
          if (task->title[0] == '\0')
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("a task needs a title after 'Task:'"));
              return NULL;
            }
          continue;
        }

      if (g_str_has_prefix (line, "#"))
        {
          fail (&r, SPK_LESSON_ERROR_PARSE, _("unexpected heading; pages are '## …' and tasks '### Task: …'"));
          return NULL;
        }

      if (page == NULL)
        {
          if (*line == '\0')
            continue;
          if (!split_key (line, &key, &value))
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("expected a header line 'key: value' or a page '## Title'"));
              return NULL;
            }
          if (!parse_header (&r, lesson, key, value))
            return NULL;
          continue;
        }

      if (task != NULL)
        {
          if (*line == '\0')
            continue;
          if (!split_key (line, &key, &value))
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("expected 'check:', 'hint:' or 'do:' in a task"));
              return NULL;
            }
          if (strcmp (key, "check") == 0 || strcmp (key, "do") == 0)
            {
              GPtrArray *list = key[0] == 'c' ? task->conditions : task->actions;
              gpointer item;

              if (list->len >= SPK_LESSON_MAX_STEPS)
                {
                  fail (&r, SPK_LESSON_ERROR_TOO_LARGE, _("more than %u '%s:' lines in one task"),
                        SPK_LESSON_MAX_STEPS, key);
                  return NULL;
                }
              item = key[0] == 'c' ? (gpointer) parse_condition (&r, value) : (gpointer) parse_action (&r, value);
              if (item == NULL)
                return NULL;
              g_ptr_array_add (list, item);
            }
          else if (strcmp (key, "hint") == 0)
            {
              if (*value == '\0')
                {
                  fail (&r, SPK_LESSON_ERROR_PARSE, _("'hint:' needs a text"));
                  return NULL;
                }
              set_str (&task->hint, value);
            }
          else
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("unknown task line '%s:'; expected check, hint or do"), key);
              return NULL;
            }
          continue;
        }

      /* Page text: lines join into paragraphs; a blank line ends one. */
      if (*line == '\0')
        flush_paragraph (page, para);
      else
        {
          if (para->len > 0)
            g_string_append_c (para, ' ');
          g_string_append (para, g_strstrip (line));
        }
    }
  flush_paragraph (page, para);

  if (lesson->title == NULL)
    {
      r.line = 1;
      fail (&r, SPK_LESSON_ERROR_PARSE, _("the file is empty; a lesson starts with '# Title'"));
      return NULL;
    }
  for (guint p = 0; p < lesson->pages->len; p++)
    {
      SpkLessonPage *pg = g_ptr_array_index (lesson->pages, p);

      for (guint t = 0; t < pg->tasks->len; t++)
        {
          SpkLessonTask *tk = g_ptr_array_index (pg->tasks, t);

          r.line = tk->line;
          if (tk->conditions->len == 0)
            {
              fail (&r, SPK_LESSON_ERROR_PARSE, _("the task '%s' has no 'check:' line"), tk->title);
              return NULL;
            }
        }
    }
  if (lesson->pages->len == 0 && !lesson->coming)
    {
      r.line = 1;
      fail (&r, SPK_LESSON_ERROR_PARSE, _("the lesson has no pages ('## Page title')"));
      return NULL;
    }
  return g_steal_pointer (&lesson);
}

SpkLesson *
spk_lesson_load_file (const char  *path,
                      GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;
  gsize length;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  /* Refuse a huge file, or a pipe or device that never ends, before
   * reading it into memory. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_PARSE,
                   _("%s:1: not a regular file"), path);
      return NULL;
    }
  if (g_stat (path, &st) == 0 && st.st_size > SPK_LESSON_MAX_BYTES)
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TOO_LARGE,
                   _("%s:1: the file is larger than %u KiB"), path, SPK_LESSON_MAX_BYTES / 1024);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  dir = g_path_get_dirname (path);
  return spk_lesson_parse (data, (gssize) length, path, dir, error);
}

/* }}} */
