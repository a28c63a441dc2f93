/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-browser.c — the lesson browser (see the header): one row per
 * lesson of spk_lessons_list (), built afresh each time it opens, so a
 * lesson a teacher just dropped into the lessons folder shows up. */
#define G_LOG_DOMAIN "spk-lessons"

#include "ui/lessons/spk-lesson-browser.h"

#include <glib/gi18n.h>

#include "lessons/spk-lesson-catalog.h"
#include "ui/lessons/spk-lesson-progress.h"

enum { LESSON_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _SpkLessonBrowser
{
  AdwWindow  parent_instance;

  GSettings *settings;
  GPtrArray *entries;   /* (element-type SpkLessonEntry) */
  GtkWidget *list;
  GPtrArray *rows;      /* (element-type AdwActionRow), as entries */
  GPtrArray *progress;  /* (element-type GtkLabel), as entries */
  GPtrArray *resets;    /* (element-type GtkButton), as entries */
};

G_DEFINE_FINAL_TYPE (SpkLessonBrowser, spk_lesson_browser, ADW_TYPE_WINDOW)

static const char *
tr (const char *text)
{
  return text ? g_dgettext (GETTEXT_PACKAGE, text) : NULL;
}

static char *
markup_escape (const char *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

/* What the progress label says for a playable lesson. */
static char *
progress_text (SpkLessonBrowser *self,
               SpkLessonEntry   *entry)
{
  guint n = spk_lesson_count_tasks (entry->lesson);
  guint done = MIN (spk_lesson_progress_count (self->settings, entry->name), n);

  if (done == 0)
    return g_strdup (_("Not started"));
  if (done >= n)
    return g_strdup (_("Done"));
  /* Translators: a lesson's progress in the lesson browser */
  return g_strdup_printf (_("%u of %u tasks"), done, n);
}

static void
update_progress (SpkLessonBrowser *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      SpkLessonEntry *entry = g_ptr_array_index (self->entries, i);
      GtkWidget *label = g_ptr_array_index (self->progress, i);
      g_autofree char *text = NULL;

      if (label == NULL)
        continue;
      text = progress_text (self, entry);
      gtk_label_set_text (GTK_LABEL (label), text);
      /* Nothing to start over before the student started. */
      gtk_widget_set_sensitive (g_ptr_array_index (self->resets, i),
                                spk_lesson_progress_count (self->settings, entry->name) > 0);
    }
}

static void
add_row (SpkLessonBrowser *self,
         SpkLessonEntry   *entry)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *progress = NULL, *reset = NULL;
  g_autofree char *title = NULL, *subtitle = NULL;

  if (entry->lesson == NULL)
    {
      /* Broken: the teacher who wrote it needs the file and line. */
      g_autofree char *reason = markup_escape (entry->error ? entry->error->message : NULL);

      title = markup_escape (entry->title);
      subtitle = g_strdup_printf ("%s\n%s", _("This lesson cannot be opened:"), reason);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_set_sensitive (row, FALSE);
    }
  else
    {
      SpkLesson *lesson = entry->lesson;
      g_autofree char *minutes = NULL, *details = NULL, *teaches = NULL;

      title = markup_escape (tr (lesson->title));
      /* Translators: a lesson's duration */
      minutes = lesson->minutes ? g_strdup_printf (_("%u min"), lesson->minutes) : NULL;
      details = g_strjoin (" · ", lesson->level ? tr (lesson->level) : _("any level"),
                           minutes ? minutes : _("no duration given"), NULL);
      teaches = markup_escape (tr (lesson->teaches));
      if (lesson->coming)
        subtitle = g_strdup_printf ("%s · %s\n%s", details, _("Coming soon"), teaches);
      else
        subtitle = g_strdup_printf ("%s\n%s", details, teaches);
      if (lesson->coming)
        gtk_widget_set_sensitive (row, FALSE);
      else
        {
          reset = gtk_button_new_from_icon_name ("view-refresh-symbolic");

          progress = gtk_label_new (NULL);
          gtk_widget_add_css_class (progress, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress);
          gtk_widget_add_css_class (reset, "flat");
          gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (reset, _("Start over: forget the progress in this lesson"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (reset), "browser.start-over");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (reset), "s", entry->name);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "browser.open");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", entry->name);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
        }
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (GTK_LIST_BOX (self->list), row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->progress, progress);
  g_ptr_array_add (self->resets, reset);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[LESSON_CHOSEN], 0, g_variant_get_string (parameter, NULL));
}

static void
start_over_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SpkLessonBrowser *self = SPK_LESSON_BROWSER (widget);

  spk_lesson_progress_reset (self->settings, g_variant_get_string (parameter, NULL));
  update_progress (self);
}

guint
spk_lesson_browser_get_n_rows (SpkLessonBrowser *self)
{
  g_return_val_if_fail (SPK_IS_LESSON_BROWSER (self), 0);
  return self->entries->len;
}

const char *
spk_lesson_browser_get_row_name (SpkLessonBrowser *self,
                                 guint             index)
{
  g_return_val_if_fail (SPK_IS_LESSON_BROWSER (self), NULL);

  if (index >= self->entries->len)
    return NULL;
  return ((SpkLessonEntry *) g_ptr_array_index (self->entries, index))->name;
}

char *
spk_lesson_browser_dup_row_text (SpkLessonBrowser *self,
                                 guint             index)
{
  AdwActionRow *row;
  GtkWidget *progress;

  g_return_val_if_fail (SPK_IS_LESSON_BROWSER (self), NULL);

  if (index >= self->entries->len)
    return NULL;
  row = g_ptr_array_index (self->rows, index);
  progress = g_ptr_array_index (self->progress, index);
  return g_strdup_printf ("%s\n%s\n%s\n%s", spk_lesson_browser_get_row_name (self, index),
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_action_row_get_subtitle (row),
                          progress ? gtk_label_get_text (GTK_LABEL (progress)) : "");
}

static void
spk_lesson_browser_finalize (GObject *object)
{
  SpkLessonBrowser *self = SPK_LESSON_BROWSER (object);

  g_clear_object (&self->settings);
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->progress);
  g_ptr_array_unref (self->resets);
  G_OBJECT_CLASS (spk_lesson_browser_parent_class)->finalize (object);
}

static void
spk_lesson_browser_class_init (SpkLessonBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = spk_lesson_browser_finalize;
  signals[LESSON_CHOSEN] =
    g_signal_new ("lesson-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_install_action (widget_class, "browser.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "browser.start-over", "s", start_over_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
spk_lesson_browser_init (SpkLessonBrowser *self)
{
  GtkWidget *box, *header, *scroller, *clamp, *intro;

  self->rows = g_ptr_array_new ();
  self->progress = g_ptr_array_new ();
  self->resets = g_ptr_array_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Lessons"));
  gtk_window_set_default_size (GTK_WINDOW (self), 760, 720);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  gtk_widget_set_margin_top (clamp, 12);
  gtk_widget_set_margin_bottom (clamp, 12);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  gtk_box_append (GTK_BOX (box), scroller);
  {
    GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

    intro = gtk_label_new (_("Choose a lesson: it opens its model, with its pages and tasks beside the canvas."));
    gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
    gtk_label_set_xalign (GTK_LABEL (intro), 0);
    gtk_box_append (GTK_BOX (inner), intro);
    self->list = gtk_list_box_new ();
    gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
    gtk_widget_add_css_class (self->list, "boxed-list");
    gtk_box_append (GTK_BOX (inner), self->list);
    adw_clamp_set_child (ADW_CLAMP (clamp), inner);
  }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  adw_window_set_content (ADW_WINDOW (self), box);
}

GtkWidget *
spk_lesson_browser_new (GSettings *settings)
{
  SpkLessonBrowser *self = g_object_new (SPK_TYPE_LESSON_BROWSER, NULL);

  self->settings = settings ? g_object_ref (settings) : NULL;
  self->entries = spk_lessons_list ();
  for (guint i = 0; i < self->entries->len; i++)
    add_row (self, g_ptr_array_index (self->entries, i));
  update_progress (self);
  return GTK_WIDGET (self);
}
