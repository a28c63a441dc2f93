/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-lessons.c — the window's side of the lessons (see the
 * header): opening a lesson, hosting its panel in the inspector's place,
 * the browser, the page keys, and the few things the panel asks of the
 * window (a run of so many seconds, a plot, which plots are open). */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"
#include "ui/shell/spk-window-lessons.h"

#include <math.h>

#include <glib/gi18n.h>

#include "lessons/spk-lesson-catalog.h"
#include "ui/lessons/spk-lesson-browser.h"
#include "ui/lessons/spk-lesson-panel.h"
#include "ui/plots/spk-plot-view.h"

/* {{{ Opening */

gboolean
spk_window_open_lesson (SpkWindow   *self,
                        const char  *name,
                        GError     **error)
{
  g_autoptr (SpkLesson) lesson = NULL;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  lesson = spk_lesson_find (name, error);
  if (lesson == NULL)
    return FALSE;
  if (lesson->coming)
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_NOT_FOUND,
                   _("The lesson “%s” is still to come"), g_dgettext (GETTEXT_PACKAGE, lesson->title));
      return FALSE;
    }
  if (!spk_lesson_validate (lesson, error))
    return FALSE;
  if (!spk_lesson_panel_open (self->lesson_panel, g_steal_pointer (&lesson), self->settings, error))
    return FALSE;
  spk_window_set_show_lesson (self, TRUE);
  return TRUE;
}

const char *
_spk_window_lesson_title (SpkWindow *self)
{
  const SpkLesson *lesson = spk_lesson_panel_get_lesson (self->lesson_panel);

  if (lesson == NULL || !spk_lesson_panel_owns_network (self->lesson_panel, self->network))
    return NULL;
  return g_dgettext (GETTEXT_PACKAGE, lesson->title);
}

#define PENDING_LESSON "spk-pending-lesson"

static void
open_pending_lesson (SpkWindow *self,
                     gboolean   saved)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (self), PENDING_LESSON));
  g_autoptr (GError) error = NULL;

  g_object_set_data (G_OBJECT (self), PENDING_LESSON, NULL);
  if (saved && name != NULL && !spk_window_open_lesson (self, name, &error))
    spk_window_show_error (self, _("Could not open the lesson"), error);
}

static void
lesson_save_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         SpkWindow        *self)
{
  if (g_str_equal (response, "discard"))
    open_pending_lesson (self, TRUE);
  else if (g_str_equal (response, "save"))
    _spk_window_save_then (self, open_pending_lesson);
  else
    g_object_set_data (G_OBJECT (self), PENDING_LESSON, NULL);
}

/* Opens the lesson, first asking to save the model on show if it has
 * unsaved changes: the lesson's start model replaces it. */
static void
request_lesson (SpkWindow  *self,
                const char *name)
{
  g_object_set_data_full (G_OBJECT (self), PENDING_LESSON, g_strdup (name), g_free);
  if (!_spk_window_is_modified (self))
    {
      open_pending_lesson (self, TRUE);
      return;
    }
  _spk_window_ask_to_save (self, _("Opening a lesson replaces this model with the lesson’s, and its unsaved changes would be lost."),
                           G_CALLBACK (lesson_save_response_cb));
}

static void
lesson_chosen_cb (SpkLessonBrowser *browser,
                  const char       *name,
                  SpkWindow        *self)
{
  g_autofree char *chosen = g_strdup (name);

  gtk_window_close (GTK_WINDOW (browser));
  request_lesson (self, chosen);
}

GtkWindow *
spk_window_show_lesson_browser (SpkWindow *self)
{
  GtkWidget *browser;

  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);

  browser = spk_lesson_browser_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (browser), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (browser), TRUE);
  if (self->presentation)
    gtk_widget_add_css_class (browser, "presentation");
  g_signal_connect_object (browser, "lesson-chosen", G_CALLBACK (lesson_chosen_cb), self, 0);
  gtk_window_present (GTK_WINDOW (browser));
  return GTK_WINDOW (browser);
}

/* }}} */
/* {{{ The panel in the inspector's place */

SpkLessonPanel *
spk_window_get_lesson_panel (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->lesson_panel;
}

GSettings *
spk_window_get_settings (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->settings;
}

gboolean
spk_window_get_show_lesson (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  return spk_window_get_show_inspector (self)
         && g_strcmp0 (gtk_stack_get_visible_child_name (self->side_stack), "lesson") == 0;
}

static void
update_lesson_actions (SpkWindow *self)
{
  gboolean shown = spk_window_get_show_lesson (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lesson-next", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lesson-previous", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-lesson",
                                 spk_lesson_panel_get_lesson (self->lesson_panel) != NULL);
}

void
spk_window_set_show_lesson (SpkWindow *self,
                            gboolean   show)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  if (show && spk_lesson_panel_get_lesson (self->lesson_panel) == NULL)
    show = FALSE;
  if (show)
    {
      spk_window_set_training (self, FALSE);
      gtk_stack_set_visible_child_name (self->side_stack, "lesson");
      /* The canvas narrows; the graph view fits the model to it again. */
      spk_window_set_show_inspector (self, TRUE);
    }
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->side_stack), "lesson") == 0)
    gtk_stack_set_visible_child_name (self->side_stack, "inspector");
  update_lesson_actions (self);
}

static void
side_changed_cb (GObject    *object,
                 GParamSpec *pspec,
                 SpkWindow  *self)
{
  update_lesson_actions (self);
}

/* }}} */
/* {{{ What the panel asks of the window */

gboolean
spk_window_run_for (SpkWindow  *self,
                    double      seconds,
                    GError    **error)
{
  SpkRunner *runner;
  double dt;
  guint64 n_steps;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);

  if (self->network == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no model to run"));
      return FALSE;
    }
  /* The edits just made reach the run now, not after the usual pause. */
  if (self->validate_id != 0)
    {
      g_clear_handle_id (&self->validate_id, g_source_remove);
      spk_window_validate_now (self);
      spk_slider_panel_set_network (self->slider_panel, self->network);
      spk_train_panel_set_model (self->train_panel, self->network, self->params);
      if (self->run_blocker == NULL && !spk_run_bar_rebuild (self->run_bar, FALSE, error))
        return FALSE;
    }
  if (self->run_blocker != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, self->run_blocker);
      return FALSE;
    }
  if (!spk_run_bar_ensure_runner (self->run_bar, error))
    return FALSE;
  runner = spk_run_bar_get_runner (self->run_bar);
  dt = spk_network_get_dt (self->network);
  n_steps = (guint64) MAX (1.0, round (seconds / (dt > 0 ? dt : 0.001)));
  gtk_widget_activate_action (GTK_WIDGET (self->run_bar), "run.reset", NULL);
  spk_run_bar_set_n_steps (self->run_bar, n_steps);
  gtk_widget_activate_action (GTK_WIDGET (self->run_bar), "run.run-steps", NULL);
  return runner != NULL;
}

/* The object a lesson names: a label, or PRE->POST for a connection. */
gboolean
spk_window_lesson_open_plot (SpkWindow  *self,
                             const char *kind_name,
                             const char *name)
{
  SpkObject *target;
  SpkPlotKind kind;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);

  if (self->network == NULL || !spk_plot_kind_from_name (kind_name, &kind)
      || (target = spk_lesson_lookup (self->network, name)) == NULL
      || !spk_plot_kind_applies (kind, target))
    return FALSE;
  /* Show me on a plot the student already opened adds no second one. */
  if (_spk_window_find_plot (self, kind, target) == NULL)
    _spk_window_add_plot (self, kind, target);
  return TRUE;
}

void
spk_window_lesson_note_plots (SpkWindow      *self,
                              SpkLessonState *state)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  spk_lesson_state_clear_plots (state);
  for (guint i = 0; i < spk_plot_grid_get_n_plots (self->plot_grid); i++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (self->plot_grid, i);
      const char *kind = spk_plot_kind_to_name (spk_plot_view_get_kind (view));
      SpkObject *target = self->network ? _spk_window_lookup_plot_target (self, spk_plot_view_get_target (view)) : NULL;
      g_autofree char *name = NULL;

      if (target != NULL && SPK_IS_CONNECTION (target))
        {
          SpkObject *pre = spk_connection_get_pre (SPK_CONNECTION (target));
          SpkObject *post = spk_connection_get_post (SPK_CONNECTION (target));

          if (pre != NULL && post != NULL)
            name = g_strdup_printf ("%s->%s", spk_object_get_label (pre), spk_object_get_label (post));
        }
      /* Both: a lesson may name a labelled connection either way. */
      spk_lesson_state_set_plot (state, kind, spk_plot_view_get_target (view), TRUE);
      if (name != NULL)
        spk_lesson_state_set_plot (state, kind, name, TRUE);
    }
}

/* }}} */
/* {{{ Actions */

static void
lessons_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  spk_window_show_lesson_browser (SPK_WINDOW (widget));
}

static void
open_lesson_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  request_lesson (SPK_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_lesson_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);

  spk_window_set_show_lesson (self, !spk_window_get_show_lesson (self));
}

static void
lesson_page_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);

  if (g_str_equal (action_name, "win.lesson-next"))
    spk_lesson_panel_next_page (self->lesson_panel);
  else
    spk_lesson_panel_previous_page (self->lesson_panel);
}

void
_spk_window_lessons_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (SPK_TYPE_LESSON_PANEL);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, lesson_panel);
  gtk_widget_class_install_action (widget_class, "win.lessons", NULL, lessons_action);
  gtk_widget_class_install_action (widget_class, "win.open-lesson", "s", open_lesson_action);
  gtk_widget_class_install_action (widget_class, "win.show-lesson", NULL, show_lesson_action);
  gtk_widget_class_install_action (widget_class, "win.lesson-next", NULL, lesson_page_action);
  gtk_widget_class_install_action (widget_class, "win.lesson-previous", NULL, lesson_page_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "win.show-lesson", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "win.lesson-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "win.lesson-previous", NULL);
}

void
_spk_window_lessons_init (SpkWindow *self)
{
  spk_lesson_panel_set_window (self->lesson_panel, self);
  g_signal_connect_object (self->side_stack, "notify::visible-child-name", G_CALLBACK (side_changed_cb), self, 0);
  g_signal_connect_object (self->side_stack, "notify::visible", G_CALLBACK (side_changed_cb), self, 0);
  update_lesson_actions (self);
}

/* }}} */
