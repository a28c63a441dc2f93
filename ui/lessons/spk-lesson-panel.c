/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-panel.c — the lesson panel (see the header).
 *
 * The panel checks tasks in order: on a page, only the first task not yet
 * done is evaluated, and when it holds the next one is at once, so a
 * student who did a later step first sees both marks together.  A done
 * task stays done (a later edit does not take the mark back).  Checks run
 * when the model changes (the undo stack's "changed"), when a plot opens
 * or closes, when the student selects an object, and on a 100 ms timer
 * that reads the run (spk-lesson-feed.c) while the panel is mapped. */
#define G_LOG_DOMAIN "spk-lessons"

#include "ui/lessons/spk-lesson-panel.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lessons/spk-lesson-check.h"
#include "lessons/spk-lesson-solve.h"
#include "ui/lessons/spk-lesson-feed.h"
#include "ui/lessons/spk-lesson-progress.h"
#include "ui/lessons/spk-lesson-solution.h"
#include "ui/shell/spk-window-lessons.h"

#define POLL_MS 100

typedef struct
{
  GtkWidget *box;
  GtkWidget *check;     /* the mark */
  GtkWidget *hint;      /* the hint's label, hidden until asked for */
  GtkWidget *measured;  /* what its probe or training checks measure */
} TaskRow;

struct _SpkLessonPanel
{
  GtkWidget       parent_instance;

  GtkWidget      *child;
  GtkWidget      *title_label;
  GtkWidget      *meta_label;
  GtkWidget      *scroller;
  GtkWidget      *page_box;
  GtkWidget      *status_label;
  GtkWidget      *error_label;

  SpkWindow      *window;      /* not a reference: it owns us */
  GSettings      *settings;
  SpkLesson      *lesson;
  SpkLessonState *state;
  SpkLessonFeed  *feed;
  guint           page;
  guint           n_tasks;
  guint          *page_first;  /* the lesson-wide index of each page's first task */
  gboolean       *done;
  GArray         *rows;        /* (element-type TaskRow): the page shown */

  GWeakRef        network;     /* the model the lesson loaded */
  SpkUndoStack   *undo;        /* a reference, to disconnect from */
  gboolean        back_after_training;  /* Show me trained: come back after */
  guint           poll_id;
};

G_DEFINE_FINAL_TYPE (SpkLessonPanel, spk_lesson_panel, GTK_TYPE_WIDGET)

static const char *
tr (const char *text)
{
  return text ? g_dgettext (GETTEXT_PACKAGE, text) : NULL;
}

/* Lesson text to Pango markup: escaped, with *word* as emphasis.  A star
 * opens emphasis only after a space or punctuation and before a letter,
 * and closes it only after one, so "0*x" and "2 * 3" stay as written. */
static char *
lesson_markup (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean open = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '*')
        {
          char before = p > text ? p[-1] : ' ';
          char after = p[1];
          gboolean can_open = !open && !g_ascii_isalnum (before) && after != '\0' && !g_ascii_isspace (after)
                              && strchr (p + 1, '*') != NULL;
          gboolean can_close = open && !g_ascii_isspace (before) && !g_ascii_isalnum (after);

          if (can_open || can_close)
            {
              g_string_append (out, open ? "</i>" : "<i>");
              open = !open;
              continue;
            }
        }
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  if (open)
    g_string_append (out, "</i>");
  return g_string_free (out, FALSE);
}

static GtkWidget *
text_label (const char *text,
            const char *css_class)
{
  g_autofree char *markup = lesson_markup (text);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Wrapping labels ask for their natural width otherwise: keep the
   * panel from growing with the longest line. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static const SpkLessonPage *
page_at (SpkLessonPanel *self,
         guint           page)
{
  return g_ptr_array_index (self->lesson->pages, page);
}

static gboolean
page_finished (SpkLessonPanel *self,
               guint           page)
{
  guint n = page_at (self, page)->tasks->len;

  for (guint i = 0; i < n; i++)
    if (!self->done[self->page_first[page] + i])
      return FALSE;
  return TRUE;
}

/* {{{ Showing */

static void
update_marks (SpkLessonPanel *self)
{
  const SpkLessonPage *page;
  guint n_pages, n_done = 0;
  gboolean finished, last;
  g_autofree char *meta = NULL;

  if (self->lesson == NULL)
    return;
  page = page_at (self, self->page);
  n_pages = self->lesson->pages->len;
  for (guint i = 0; i < self->rows->len; i++)
    {
      TaskRow *row = &g_array_index (self->rows, TaskRow, i);
      gboolean done = self->done[self->page_first[self->page] + i];

      gtk_image_set_from_icon_name (GTK_IMAGE (row->check),
                                    done ? "object-select-symbolic" : "radio-symbolic");
      if (done)
        {
          gtk_widget_add_css_class (row->box, "spk-lesson-task-done");
          gtk_accessible_update_state (GTK_ACCESSIBLE (row->check), GTK_ACCESSIBLE_STATE_CHECKED,
                                       GTK_ACCESSIBLE_TRISTATE_TRUE, -1);
        }
      else
        gtk_widget_remove_css_class (row->box, "spk-lesson-task-done");
      n_done += done;
    }
  finished = page_finished (self, self->page);
  last = self->page + 1 >= n_pages;
  /* Translators: where the student is in a lesson */
  meta = g_strdup_printf (_("Page %u of %u"), self->page + 1, n_pages);
  gtk_label_set_text (GTK_LABEL (self->meta_label), meta);
  if (page->tasks->len == 0)
    gtk_label_set_text (GTK_LABEL (self->status_label), "");
  else if (finished && last)
    gtk_label_set_text (GTK_LABEL (self->status_label), _("Lesson complete. Well done!"));
  else if (finished)
    gtk_label_set_text (GTK_LABEL (self->status_label), _("Page done: go on with Next"));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u of %u task done", "%u of %u tasks done",
                                                            page->tasks->len),
                                               n_done, page->tasks->len);

      gtk_label_set_text (GTK_LABEL (self->status_label), text);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.next", finished && !last);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.previous", self->page > 0);
}

static void
show_page (SpkLessonPanel *self)
{
  const SpkLessonPage *page = page_at (self, self->page);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->page_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->page_box), child);
  g_array_set_size (self->rows, 0);
  gtk_label_set_text (GTK_LABEL (self->error_label), "");
  gtk_widget_set_visible (self->error_label, FALSE);

  gtk_box_append (GTK_BOX (self->page_box), text_label (tr (page->title), "spk-lesson-page-title"));
  for (guint i = 0; i < page->paragraphs->len; i++)
    gtk_box_append (GTK_BOX (self->page_box), text_label (tr (g_ptr_array_index (page->paragraphs, i)), NULL));

  for (guint i = 0; i < page->tasks->len; i++)
    {
      const SpkLessonTask *task = g_ptr_array_index (page->tasks, i);
      TaskRow row;
      GtkWidget *line, *buttons, *button;

      row.box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_add_css_class (row.box, "card");
      gtk_widget_add_css_class (row.box, "spk-lesson-task");
      line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
      row.check = gtk_image_new_from_icon_name ("radio-symbolic");
      gtk_widget_add_css_class (row.check, "spk-lesson-check");
      gtk_widget_set_valign (row.check, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row.check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Done"), -1);
      gtk_box_append (GTK_BOX (line), row.check);
      child = text_label (tr (task->title), "spk-lesson-task-title");
      gtk_widget_set_hexpand (child, TRUE);
      gtk_box_append (GTK_BOX (line), child);
      gtk_box_append (GTK_BOX (row.box), line);

      row.hint = text_label (task->hint ? tr (task->hint) : "", "spk-lesson-hint");
      gtk_widget_set_visible (row.hint, FALSE);
      gtk_box_append (GTK_BOX (row.box), row.hint);

      row.measured = text_label ("", "spk-lesson-measured");
      gtk_widget_set_visible (row.measured, FALSE);
      gtk_box_append (GTK_BOX (row.box), row.measured);

      buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_halign (buttons, GTK_ALIGN_END);
      if (task->hint != NULL)
        {
          button = gtk_button_new_with_mnemonic (_("_Hint"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "lesson.hint");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
          gtk_box_append (GTK_BOX (buttons), button);
        }
      if (task->actions->len > 0)
        {
          button = gtk_button_new_with_mnemonic (_("_Show Me"));
          gtk_widget_set_tooltip_text (button, _("Do this step for me (Ctrl+Z undoes it)"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "lesson.show-me");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
          gtk_box_append (GTK_BOX (buttons), button);
        }
      gtk_box_append (GTK_BOX (row.box), buttons);
      gtk_box_append (GTK_BOX (self->page_box), row.box);
      g_array_append_val (self->rows, row);
    }
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
  update_marks (self);
}

static void
show_error (SpkLessonPanel *self,
            const GError   *error)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), error->message);
  gtk_widget_set_visible (self->error_label, TRUE);
}

/* }}} */
/* {{{ Checking */

static void save_progress (SpkLessonPanel *self);

static void
model_changed_cb (SpkUndoStack   *stack,
                  SpkLessonPanel *self)
{
  /* An edit forgets the run, as the window restarts it. */
  spk_lesson_feed_forget (self->feed);
  spk_lesson_panel_check_now (self);
}

/* Follows the window to its current model (a file opened, a lesson). */
static void
follow_model (SpkLessonPanel *self)
{
  SpkUndoStack *undo = self->window ? spk_window_get_undo_stack (self->window) : NULL;

  if (undo == self->undo)
    return;
  if (self->undo != NULL)
    g_signal_handlers_disconnect_by_func (self->undo, model_changed_cb, self);
  g_set_object (&self->undo, undo);
  if (undo != NULL)
    g_signal_connect (undo, "changed", G_CALLBACK (model_changed_cb), self);
  spk_lesson_feed_forget (self->feed);
}

/* What a probe or training check measured, as a student reads it, or
 * NULL. */
/* A measured number as a student reads it: three significant digits, and
 * whole numbers from 1000 on (a loss of 2370, not 2.37e+03). */
static char *
number_text (double v)
{
  return fabs (v) >= 1000 ? g_strdup_printf ("%.0f", v) : g_strdup_printf ("%.3g", v);
}

static char *
measure_text (const SpkLessonCondition *c,
              double                    v)
{
  g_autofree char *number = NULL;

  if (isnan (v))
    return NULL;
  number = number_text (v);
  if (c->kind == SPK_LESSON_COND_TRAINED)
    {
      if (g_str_equal (c->key, "loss"))
        /* Translators: the training loss a lesson's task measured (a number) */
        return g_strdup_printf (_("Loss: %s"), number);
      if (g_str_equal (c->key, "val_loss"))
        /* Translators: the loss on the test examples a lesson's task measured (a number) */
        return g_strdup_printf (_("Test loss: %s"), number);
      return NULL;
    }
  switch (c->measure)
    {
    case SPK_LESSON_MEASURE_ACCURACY:
      /* Translators: the share of pictures a classifier answered right, in per cent */
      return g_strdup_printf (_("Accuracy: %.0f %%"), 100.0 * v);
    case SPK_LESSON_MEASURE_RATE:
      /* Translators: a probe's mean over all its values (spikes per second for spikes; a number) */
      return g_strdup_printf (_("Mean: %s"), number);
    case SPK_LESSON_MEASURE_ERROR:
      /* Translators: the RMS difference between two probes (a number) */
      return g_strdup_printf (_("Error: %s"), number);
    case SPK_LESSON_MEASURE_VALUE:
    default:
      /* Translators: a probe's mean value a lesson's task measured (a number) */
      return g_strdup_printf (_("Value: %s"), number);
    }
}

/* Shows under each task not done what its probe and training checks
 * measure now, so the student sees how far off it is (a done task keeps
 * what it measured when it got its mark). */
static void
update_measures (SpkLessonPanel *self)
{
  const SpkLessonPage *page = page_at (self, self->page);
  SpkNetwork *network = spk_window_get_network (self->window);

  for (guint i = 0; network != NULL && i < self->rows->len && i < page->tasks->len; i++)
    {
      const SpkLessonTask *task = g_ptr_array_index (page->tasks, i);
      TaskRow *row = &g_array_index (self->rows, TaskRow, i);
      g_autoptr (GString) text = g_string_new (NULL);

      if (self->done[self->page_first[self->page] + i] && gtk_widget_get_visible (row->measured))
        continue;
      for (guint k = 0; k < task->conditions->len; k++)
        {
          const SpkLessonCondition *c = g_ptr_array_index (task->conditions, k);
          g_autoptr (GError) error = NULL;
          g_autofree char *part = NULL;

          if (c->kind != SPK_LESSON_COND_PROBE && c->kind != SPK_LESSON_COND_TRAINED)
            continue;
          spk_lesson_condition_holds (self->lesson, c, network, self->state, &error);
          if (error == NULL && (part = measure_text (c, spk_lesson_state_get_measured (self->state))) != NULL)
            g_string_append_printf (text, "%s%s", text->len ? " · " : "", part);
        }
      gtk_label_set_text (GTK_LABEL (row->measured), text->str);
      gtk_widget_set_visible (row->measured, text->len > 0);
    }
}

/* Evaluates the page's tasks in order; TRUE when one got done. */
static gboolean
check_tasks (SpkLessonPanel *self)
{
  const SpkLessonPage *page = page_at (self, self->page);
  SpkNetwork *network = spk_window_get_network (self->window);
  gboolean changed = FALSE;

  if (network == NULL)
    return FALSE;
  for (guint i = 0; i < page->tasks->len; i++)
    {
      guint index = self->page_first[self->page] + i;
      g_autoptr (GError) error = NULL;

      if (self->done[index])
        continue;
      if (!spk_lesson_task_done (self->lesson, g_ptr_array_index (page->tasks, i), network, self->state, &error))
        {
          /* Not met yet; an object the student deleted is said, not fatal. */
          if (error != NULL)
            show_error (self, error);
          break;
        }
      self->done[index] = TRUE;
      changed = TRUE;
    }
  return changed;
}

void
spk_lesson_panel_check_now (SpkLessonPanel *self)
{
  g_return_if_fail (SPK_IS_LESSON_PANEL (self));

  if (self->lesson == NULL || self->window == NULL)
    return;
  follow_model (self);
  spk_lesson_feed_poll (self->feed, spk_run_bar_get_runner (spk_window_get_run_bar (self->window)), self->state);
  {
    const double *loss = NULL, *val_loss = NULL;
    guint n = spk_window_get_history (self->window, &loss, &val_loss);

    spk_lesson_state_set_training (self->state, n, n ? loss[n - 1] : NAN, n && val_loss ? val_loss[n - 1] : NAN,
                                   spk_window_get_params (self->window));
  }
  if (check_tasks (self))
    {
      gtk_widget_set_visible (self->error_label, FALSE);
      save_progress (self);
      update_marks (self);
    }
  update_measures (self);
}

static gboolean
poll_cb (gpointer data)
{
  spk_lesson_panel_check_now (data);
  return G_SOURCE_CONTINUE;
}

static void
trained_cb (SpkTrainPanel  *panel,
            GHashTable     *params,
            GArray         *loss,
            GArray         *val_loss,
            gboolean        cancelled,
            SpkLessonPanel *self)
{
  if (self->lesson == NULL)
    return;
  /* New weights: what the run measured before says nothing about them. */
  spk_lesson_feed_forget (self->feed);
  if (self->back_after_training)
    spk_window_set_show_lesson (self->window, TRUE);
  self->back_after_training = FALSE;
  spk_lesson_panel_check_now (self);
}

static void
plots_changed_cb (SpkPlotGrid    *grid,
                  SpkLessonPanel *self)
{
  if (self->lesson == NULL)
    return;
  spk_window_lesson_note_plots (self->window, self->state);
  spk_lesson_panel_check_now (self);
}

static void
selection_changed_cb (SpkGraphView   *view,
                      SpkLessonPanel *self)
{
  GPtrArray *selection = spk_graph_view_get_selection (view);

  if (self->lesson == NULL || selection == NULL)
    return;
  for (guint i = 0; i < selection->len; i++)
    {
      SpkObject *object = g_ptr_array_index (selection, i);

      if (spk_object_get_label (object) != NULL)
        spk_lesson_state_add_click (self->state, spk_object_get_label (object));
      if (SPK_IS_CONNECTION (object))
        {
          SpkObject *pre = spk_connection_get_pre (SPK_CONNECTION (object));
          SpkObject *post = spk_connection_get_post (SPK_CONNECTION (object));
          g_autofree char *name = NULL;

          if (pre != NULL && post != NULL)
            {
              name = g_strdup_printf ("%s->%s", spk_object_get_label (pre), spk_object_get_label (post));
              spk_lesson_state_add_click (self->state, name);
            }
        }
    }
  spk_lesson_panel_check_now (self);
}

/* }}} */
/* {{{ Progress */

static void
save_progress (SpkLessonPanel *self)
{
  if (self->lesson != NULL)
    spk_lesson_progress_save (self->settings, self->lesson->name, self->page, self->done, self->n_tasks);
}

/* The first page with a task not done (the last page when all are). */
static guint
first_unfinished (SpkLessonPanel *self)
{
  for (guint p = 0; p < self->lesson->pages->len; p++)
    if (!page_finished (self, p))
      return p;
  return self->lesson->pages->len - 1;
}

/* The start model with the edits of the tasks done re-applied, in order.
 * Tasks are done in order, so what is done is a prefix of the lesson;
 * past the first task not done (or one whose edits no longer apply, the
 * lesson having changed) nothing counts as done. */
static SpkNetwork *
resume_model (SpkLessonPanel *self,
              GError        **error)
{
  g_autoptr (SpkNetwork) network = spk_lesson_load_start (self->lesson, error);
  gboolean going = TRUE;
  guint index = 0;

  if (network == NULL)
    return NULL;
  for (guint p = 0; p < self->lesson->pages->len; p++)
    {
      const SpkLessonPage *page = page_at (self, p);

      for (guint t = 0; t < page->tasks->len; t++, index++)
        {
          const SpkLessonTask *task = g_ptr_array_index (page->tasks, t);

          going = going && self->done[index];
          for (guint a = 0; going && a < task->actions->len; a++)
            {
              const SpkLessonAction *action = g_ptr_array_index (task->actions, a);

              if (action->kind != SPK_LESSON_DO_RUN && action->kind != SPK_LESSON_DO_PLOT
                  && action->kind != SPK_LESSON_DO_CLICK && action->kind != SPK_LESSON_DO_TRAIN)
                going = spk_lesson_apply_edit (self->lesson, action, network, NULL);
            }
          self->done[index] = going;
        }
    }
  return g_steal_pointer (&network);
}

/* Loads the model and shows the page: the lesson's state is in place. */
static gboolean
start (SpkLessonPanel  *self,
       GError         **error)
{
  g_autoptr (SpkNetwork) network = NULL;
  guint page = 0;

  spk_lesson_progress_load (self->settings, self->lesson->name, &page, self->done, self->n_tasks);
  network = resume_model (self, error);
  if (network == NULL)
    return FALSE;
  spk_lesson_state_clear_run (self->state);
  spk_lesson_state_clear_plots (self->state);
  /* Before the window takes it: its title asks whose model it is. */
  g_weak_ref_set (&self->network, network);
  spk_window_set_network (self->window, network, NULL, NULL);
  follow_model (self);
  self->page = MIN (page, first_unfinished (self));
  gtk_label_set_text (GTK_LABEL (self->title_label), tr (self->lesson->title));
  show_page (self);
  spk_window_lesson_note_plots (self->window, self->state);
  save_progress (self);
  return TRUE;
}

/* }}} */
/* {{{ API */

gboolean
spk_lesson_panel_open (SpkLessonPanel  *self,
                       SpkLesson       *lesson,
                       GSettings       *settings,
                       GError         **error)
{
  g_autoptr (SpkLesson) owned = lesson;
  guint n = 0;

  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);
  g_return_val_if_fail (lesson != NULL, FALSE);
  g_return_val_if_fail (self->window != NULL, FALSE);

  if (lesson->pages->len == 0)
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_PARSE, _("%s: the lesson has no pages"), lesson->file);
      return FALSE;
    }
  g_clear_pointer (&self->lesson, spk_lesson_free);
  g_clear_pointer (&self->page_first, g_free);
  g_clear_pointer (&self->done, g_free);
  g_set_object (&self->settings, settings);
  self->lesson = g_steal_pointer (&owned);
  self->page_first = g_new0 (guint, lesson->pages->len);
  for (guint p = 0; p < lesson->pages->len; p++)
    {
      self->page_first[p] = n;
      n += page_at (self, p)->tasks->len;
    }
  self->n_tasks = n;
  self->done = g_new0 (gboolean, MAX (n, 1));
  if (!start (self, error))
    {
      g_clear_pointer (&self->lesson, spk_lesson_free);
      return FALSE;
    }
  return TRUE;
}

const SpkLesson *
spk_lesson_panel_get_lesson (SpkLessonPanel *self)
{
  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), NULL);
  return self->lesson;
}

gboolean
spk_lesson_panel_owns_network (SpkLessonPanel *self,
                               SpkNetwork     *network)
{
  g_autoptr (SpkNetwork) mine = NULL;

  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);

  if (self->lesson == NULL || network == NULL)
    return FALSE;
  mine = g_weak_ref_get (&self->network);
  return mine == network;
}

guint
spk_lesson_panel_get_page (SpkLessonPanel *self)
{
  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), 0);
  return self->page;
}

gboolean
spk_lesson_panel_set_page (SpkLessonPanel *self,
                           guint           page)
{
  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);

  if (self->lesson == NULL || page >= self->lesson->pages->len)
    return FALSE;
  for (guint p = 0; p < page; p++)
    if (!page_finished (self, p))
      return FALSE;
  if (page != self->page)
    {
      self->page = page;
      show_page (self);
      save_progress (self);
      spk_lesson_panel_check_now (self);
    }
  return TRUE;
}

gboolean
spk_lesson_panel_next_page (SpkLessonPanel *self)
{
  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);
  return self->lesson != NULL && spk_lesson_panel_set_page (self, self->page + 1);
}

gboolean
spk_lesson_panel_previous_page (SpkLessonPanel *self)
{
  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);
  return self->lesson != NULL && self->page > 0 && spk_lesson_panel_set_page (self, self->page - 1);
}

gboolean
spk_lesson_panel_get_task_done (SpkLessonPanel *self,
                                guint           page,
                                guint           index)
{
  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);

  if (self->lesson == NULL || page >= self->lesson->pages->len || index >= page_at (self, page)->tasks->len)
    return FALSE;
  return self->done[self->page_first[page] + index];
}

gboolean
spk_lesson_panel_get_hint_shown (SpkLessonPanel *self,
                                 guint           index)
{
  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);

  return index < self->rows->len && gtk_widget_get_visible (g_array_index (self->rows, TaskRow, index).hint);
}

gboolean
spk_lesson_panel_show_me (SpkLessonPanel *self,
                          guint           index,
                          GError        **error)
{
  const SpkLessonPage *page;

  g_return_val_if_fail (SPK_IS_LESSON_PANEL (self), FALSE);

  if (self->lesson == NULL || index >= (page = page_at (self, self->page))->tasks->len)
    return FALSE;
  {
    const SpkLessonTask *task = g_ptr_array_index (page->tasks, index);

    for (guint i = 0; i < task->actions->len; i++)
      if (((SpkLessonAction *) g_ptr_array_index (task->actions, i))->kind == SPK_LESSON_DO_TRAIN)
        self->back_after_training = TRUE;
  }
  if (!spk_lesson_solution_perform (self->window, self->lesson, g_ptr_array_index (page->tasks, index), error))
    return FALSE;
  spk_lesson_panel_check_now (self);
  return TRUE;
}

void
spk_lesson_panel_start_over (SpkLessonPanel *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (SPK_IS_LESSON_PANEL (self));

  if (self->lesson == NULL)
    return;
  spk_lesson_progress_reset (self->settings, self->lesson->name);
  if (!start (self, &error))
    show_error (self, error);
}

void
spk_lesson_panel_set_window (SpkLessonPanel *self,
                             SpkWindow      *window)
{
  g_return_if_fail (SPK_IS_LESSON_PANEL (self));
  g_return_if_fail (self->window == NULL);

  self->window = window;
  g_signal_connect_object (spk_window_get_plot_grid (window), "plots-changed",
                           G_CALLBACK (plots_changed_cb), self, 0);
  g_signal_connect_object (spk_window_get_graph_view (window), "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, 0);
  g_signal_connect_object (spk_window_get_train_panel (window), "trained", G_CALLBACK (trained_cb), self, 0);
}

/* }}} */
/* {{{ Actions */

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (widget);

  if (g_str_equal (action_name, "lesson.next"))
    spk_lesson_panel_next_page (self);
  else
    spk_lesson_panel_previous_page (self);
}

static void
hint_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (index < self->rows->len)
    {
      GtkWidget *hint = g_array_index (self->rows, TaskRow, index).hint;

      gtk_widget_set_visible (hint, !gtk_widget_get_visible (hint));
    }
}

static void
show_me_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (widget);
  g_autoptr (GError) error = NULL;

  if (!spk_lesson_panel_show_me (self, g_variant_get_uint32 (parameter), &error) && error != NULL)
    show_error (self, error);
}

static void
start_over_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  spk_lesson_panel_start_over (SPK_LESSON_PANEL (widget));
}

static void
hide_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (widget);

  if (self->window != NULL)
    spk_window_set_show_lesson (self->window, FALSE);
}

/* }}} */
/* {{{ GObject */

static void
spk_lesson_panel_map (GtkWidget *widget)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (widget);

  GTK_WIDGET_CLASS (spk_lesson_panel_parent_class)->map (widget);
  if (self->poll_id == 0)
    self->poll_id = g_timeout_add (POLL_MS, poll_cb, self);
}

static void
spk_lesson_panel_unmap (GtkWidget *widget)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (widget);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  GTK_WIDGET_CLASS (spk_lesson_panel_parent_class)->unmap (widget);
}

static void
spk_lesson_panel_dispose (GObject *object)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->undo != NULL)
    g_signal_handlers_disconnect_by_func (self->undo, model_changed_cb, self);
  g_clear_object (&self->undo);
  g_clear_pointer (&self->child, gtk_widget_unparent);
  G_OBJECT_CLASS (spk_lesson_panel_parent_class)->dispose (object);
}

static void
spk_lesson_panel_finalize (GObject *object)
{
  SpkLessonPanel *self = SPK_LESSON_PANEL (object);

  g_clear_object (&self->settings);
  g_weak_ref_clear (&self->network);
  g_clear_pointer (&self->lesson, spk_lesson_free);
  g_clear_pointer (&self->state, spk_lesson_state_free);
  g_clear_pointer (&self->feed, spk_lesson_feed_free);
  g_free (self->page_first);
  g_free (self->done);
  g_array_unref (self->rows);
  G_OBJECT_CLASS (spk_lesson_panel_parent_class)->finalize (object);
}

static void
spk_lesson_panel_class_init (SpkLessonPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = spk_lesson_panel_dispose;
  object_class->finalize = spk_lesson_panel_finalize;
  widget_class->map = spk_lesson_panel_map;
  widget_class->unmap = spk_lesson_panel_unmap;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "spklessonpanel");
  gtk_widget_class_install_action (widget_class, "lesson.next", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "lesson.previous", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "lesson.hint", "u", hint_action);
  gtk_widget_class_install_action (widget_class, "lesson.show-me", "u", show_me_action);
  gtk_widget_class_install_action (widget_class, "lesson.start-over", NULL, start_over_action);
  gtk_widget_class_install_action (widget_class, "lesson.hide", NULL, hide_action);
}

static GtkWidget *
flat_button (const char *icon,
             const char *tooltip,
             const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  return button;
}

static void
spk_lesson_panel_init (SpkLessonPanel *self)
{
  GtkWidget *header, *titles, *footer, *button;

  g_weak_ref_init (&self->network, NULL);
  self->state = spk_lesson_state_new ();
  self->feed = spk_lesson_feed_new ();
  self->rows = g_array_new (FALSE, FALSE, sizeof (TaskRow));
  gtk_widget_add_css_class (GTK_WIDGET (self), "spk-lesson-panel");

  self->child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->child, GTK_WIDGET (self));

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (header, "spk-lesson-header");
  titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (titles, TRUE);
  self->title_label = text_label ("", "spk-lesson-title");
  self->meta_label = text_label ("", "dim-label");
  gtk_box_append (GTK_BOX (titles), self->title_label);
  gtk_box_append (GTK_BOX (titles), self->meta_label);
  gtk_box_append (GTK_BOX (header), titles);
  gtk_box_append (GTK_BOX (header), flat_button ("view-refresh-symbolic",
                                                 _("Start Over: forget this lesson’s progress and load its start model again"),
                                                 "lesson.start-over"));
  gtk_box_append (GTK_BOX (header), flat_button ("window-close-symbolic", _("Hide the lesson (F4 shows it again)"),
                                                 "lesson.hide"));
  gtk_box_append (GTK_BOX (self->child), header);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  self->page_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (self->page_box, "spk-lesson-page");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->page_box);
  gtk_box_append (GTK_BOX (self->child), self->scroller);

  self->error_label = text_label ("", "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_add_css_class (self->error_label, "spk-lesson-error");
  gtk_box_append (GTK_BOX (self->child), self->error_label);

  footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (footer, "spk-lesson-footer");
  button = gtk_button_new_with_mnemonic (_("_Previous"));
  gtk_widget_set_tooltip_text (button, _("The page before (Page Up)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "lesson.previous");
  gtk_box_append (GTK_BOX (footer), button);
  self->status_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->status_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->status_label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (self->status_label), 16);
  gtk_widget_set_hexpand (self->status_label, TRUE);
  gtk_box_append (GTK_BOX (footer), self->status_label);
  button = gtk_button_new_with_mnemonic (_("_Next"));
  gtk_widget_set_tooltip_text (button, _("The next page, once this page’s tasks are done (Page Down)"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "lesson.next");
  gtk_box_append (GTK_BOX (footer), button);
  gtk_box_append (GTK_BOX (self->child), footer);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.next", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.previous", FALSE);
}

GtkWidget *
spk_lesson_panel_new (void)
{
  return g_object_new (SPK_TYPE_LESSON_PANEL, NULL);
}

/* }}} */
