/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-projector.c — the workbench on a classroom projector's screen.
 *
 * Projectors are often 1024 × 768 or 1280 × 800.  Every built-in lesson
 * opens there in presentation mode (F5), in English and in German, and
 * everything a teacher needs is on the screen, whole: the window is no
 * wider or taller than the screen, no pane is squeezed below what its
 * content needs (GtkPaned would cut the content's left end off, Play
 * first), every control of the run bar, of the header bar and of the
 * lesson panel lies inside the window and its own bar, and no text of the
 * run bar or the lesson panel is cut short with "…" (the header bar's
 * title may be: the panel shows it whole).  The same holds in
 * normal mode, and at 1920 × 1080 (the first lesson).
 *
 * With SPK_PROJECTOR_SCREENSHOTS=DIR each window is saved as
 * DIR/NAME-WxH-MODE[-de].png, to look at. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "lessons/spk-lesson-catalog.h"
#include "ui/lessons/spk-lesson-panel.h"
#include "ui/shell/spk-window.h"
#include "ui/shell/spk-window-lessons.h"
#include "ui/run/spk-run-bar.h"
#include "app/spk-locale.h"
#include "spk-ui-test-util.h"

typedef struct
{
  int width, height;
} Screen;

static const Screen screens[] = { { 1024, 768 }, { 1280, 800 }, { 1920, 1080 } };

/* What a failure names: the widget's kind and its text, if any. */
static char *
describe (GtkWidget *widget)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  if (text == NULL)
    text = gtk_widget_get_tooltip_text (widget);
  return g_strdup_printf ("%s “%s”", G_OBJECT_TYPE_NAME (widget), text ? text : "");
}

/* Does the widget, and every one of its ancestors, show on screen? */
static gboolean
showing (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_child_visible (widget)
         && gtk_widget_get_width (widget) > 0;
}

/* Every control and every label inside bar lies whole inside bar and the
 * window; bar's labels (unless they may shorten) are not ellipsized. */
static void
assert_inside (GtkWidget  *window,
               GtkWidget  *bar,
               GtkWidget  *widget,
               const char *where)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t in_window, in_bar;
      g_autofree char *what = NULL;

      if (!showing (child))
        continue;
      /* Inside a scrolled window a control may scroll out of sight; it
       * is reachable. */
      if (GTK_IS_SCROLLED_WINDOW (child) || GTK_IS_DROP_DOWN (child) || GTK_IS_SPIN_BUTTON (child)
          || GTK_IS_BUTTON (child) || GTK_IS_LABEL (child) || GTK_IS_MENU_BUTTON (child))
        {
          g_assert_true (gtk_widget_compute_bounds (child, window, &in_window));
          g_assert_true (gtk_widget_compute_bounds (child, bar, &in_bar));
          what = describe (child);
          if (in_window.origin.x < -0.5 || in_window.origin.x + in_window.size.width > gtk_widget_get_width (window) + 0.5
              || in_window.origin.y < -0.5
              || in_window.origin.y + in_window.size.height > gtk_widget_get_height (window) + 0.5)
            g_error ("%s: %s at %.0f,%.0f %.0f×%.0f lies outside the %d×%d window", where, what,
                     in_window.origin.x, in_window.origin.y, in_window.size.width, in_window.size.height,
                     gtk_widget_get_width (window), gtk_widget_get_height (window));
          if (in_bar.origin.x < -0.5 || in_bar.origin.x + in_bar.size.width > gtk_widget_get_width (bar) + 0.5)
            g_error ("%s: %s at x %.0f (%.0f wide) lies outside its bar (%d wide)", where, what,
                     in_bar.origin.x, in_bar.size.width, gtk_widget_get_width (bar));
          if (GTK_IS_LABEL (child) && !ADW_IS_HEADER_BAR (bar) && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (child))))
            g_error ("%s: %s is cut short", where, what);
          if (GTK_IS_SCROLLED_WINDOW (child))
            continue;
        }
      assert_inside (window, bar, child, where);
    }
}

/* No pane is narrower (or lower) than its content needs: GtkPaned would
 * cut the content's start off. */
/* What each widget asks for and gets, printed before a failure. */
static void
dump_widths (GtkWidget *widget,
             int        depth)
{
  int minimum, natural;

  if (depth > 7 || !gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_printerr ("%*s%s min %d nat %d alloc %d\n", depth * 2, "", G_OBJECT_TYPE_NAME (widget), minimum, natural, gtk_widget_get_width (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    dump_widths (child, depth + 1);
}

static void
assert_panes_fit (GtkWidget  *widget,
                  const char *where)
{
  if (GTK_IS_PANED (widget) && showing (widget))
    {
      GtkOrientation orientation = gtk_orientable_get_orientation (GTK_ORIENTABLE (widget));
      GtkWidget *children[2] = { gtk_paned_get_start_child (GTK_PANED (widget)),
                                 gtk_paned_get_end_child (GTK_PANED (widget)) };

      for (guint i = 0; i < 2; i++)
        {
          graphene_rect_t bounds;

          if (children[i] == NULL || !showing (children[i]))
            continue;
          g_assert_true (gtk_widget_compute_bounds (children[i], widget, &bounds));
          if ((bounds.origin.x < -0.5 || bounds.origin.y < -0.5
              || bounds.origin.x + bounds.size.width > gtk_widget_get_width (widget) + 0.5
              || bounds.origin.y + bounds.size.height > gtk_widget_get_height (widget) + 0.5) && (dump_widths (widget, 0), 1))
            g_error ("%s: the %s %s child of a pane (%d×%d) is squeezed: it needs %.0f×%.0f and starts at %.0f,%.0f",
                     where, orientation == GTK_ORIENTATION_HORIZONTAL ? "horizontal" : "vertical",
                     i == 0 ? "start" : "end", gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                     bounds.size.width, bounds.size.height, bounds.origin.x, bounds.origin.y);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    assert_panes_fit (child, where);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The button of an action, e.g. "run.play-pause". */
static GtkWidget *
find_action (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Widget and its ancestors have at least the width their content needs:
 * a pane squeezes its child below that and cuts its start off. */
static void
assert_wide_enough (GtkWidget  *widget,
                    const char *where)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      int minimum;

      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (gtk_widget_get_width (widget) < minimum)
        g_error ("%s: a %s is %d px wide, its content needs %d", where, G_OBJECT_TYPE_NAME (widget),
                 gtk_widget_get_width (widget), minimum);
    }
}

static void
assert_fits (SpkWindow  *window,
             int         width,
             int         height,
             const char *where)
{
  GtkWidget *w = GTK_WIDGET (window);
  GtkWidget *run_bar = GTK_WIDGET (spk_window_get_run_bar (window));
  GtkWidget *panel = GTK_WIDGET (spk_window_get_lesson_panel (window));
  GtkWidget *header = find_type (w, ADW_TYPE_HEADER_BAR);
  const char *const run_actions[] = { "run.play-pause", "run.step", "run.reset", "run.run-steps" };

  /* The window is the screen's size: its content asks for no more. */
  if ((gtk_widget_get_width (w) > width || gtk_widget_get_height (w) > height) && (dump_widths (w, 0), 1))
    g_error ("%s: the window is %d×%d, wider or taller than the screen", where,
             gtk_widget_get_width (w), gtk_widget_get_height (w));
  assert_panes_fit (w, where);
  g_assert_true (showing (run_bar));
  assert_wide_enough (run_bar, where);
  if (showing (panel))
    assert_wide_enough (panel, where);
  for (guint i = 0; i < G_N_ELEMENTS (run_actions); i++)
    {
      GtkWidget *button = find_action (run_bar, run_actions[i]);

      g_assert_nonnull (button);
      if (!showing (button))
        g_error ("%s: the run bar's %s is not shown", where, run_actions[i]);
    }
  assert_inside (w, run_bar, run_bar, where);
  g_assert_nonnull (header);
  assert_inside (w, header, header, where);
  if (showing (panel))
    assert_inside (w, panel, panel, where);
}

/* Every built-in lesson at every screen size, in normal and in
 * presentation mode. */
static void
test_lessons_fit (void)
{
  g_autoptr (GPtrArray) entries = spk_lessons_list ();
  GtkCssProvider *css = ut_load_app_style ();
  gboolean german = g_strcmp0 (g_getenv ("SPK_PROJECTOR_LANGUAGE"), "de") == 0;
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      SpkLessonEntry *entry = g_ptr_array_index (entries, i);

      if (entry->lesson == NULL || entry->lesson->coming || !entry->builtin)
        continue;
      if (g_getenv ("SPK_LESSON_ONLY") && !g_str_equal (g_getenv ("SPK_LESSON_ONLY"), entry->name))
        continue;
      for (guint s = 0; s < G_N_ELEMENTS (screens); s++)
        {
          g_autoptr (GError) error = NULL;
          SpkWindow *window;

          /* Full HD has room to spare (and the lesson panel's test opens
           * every lesson there): the first lesson only, unless screenshots
           * are asked for. */
          if (screens[s].width > 1600 && n > 0 && g_getenv ("SPK_PROJECTOR_SCREENSHOTS") == NULL)
            continue;
          window = spk_window_new (NULL);

          gtk_window_set_default_size (GTK_WINDOW (window), screens[s].width, screens[s].height);
          gtk_window_present (GTK_WINDOW (window));
          g_assert_true (spk_window_open_lesson (window, entry->name, &error));
          g_assert_no_error (error);
          for (guint presentation = 0; presentation < 2; presentation++)
            {
              g_autofree char *where = g_strdup_printf ("%s at %d×%d%s%s", entry->name, screens[s].width,
                                                        screens[s].height, presentation ? ", presentation" : "",
                                                        german ? ", German" : "");
              g_autofree char *png = g_strdup_printf ("%s-%dx%d-%s%s.png", entry->name, screens[s].width,
                                                      screens[s].height, presentation ? "presentation" : "normal",
                                                      german ? "-de" : "");

              if (presentation)
                g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
              /* Past the side stack's cross-fade. */
              ut_wait_for_frames (GTK_WIDGET (window), 20);
              g_assert_true (spk_window_get_show_lesson (window));
              assert_fits (window, screens[s].width, screens[s].height, where);
              ut_save_png ("SPK_PROJECTOR_SCREENSHOTS", GTK_WIDGET (window), png);
            }
          ut_window_free (window);
        }
      n++;
    }
  ut_unload_app_style (css);
  g_assert_cmpuint (n, >=, g_getenv ("SPK_LESSON_ONLY") ? 1 : 12);
}

/* The same in German, whose words are longer: a process of its own, since
 * gettext's language is the process's. */
static void
test_lessons_fit_german (void)
{
  if (g_test_subprocess ())
    {
      test_lessons_fit ();
      return;
    }
  g_setenv ("SPK_PROJECTOR_LANGUAGE", "de", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("SPK_PROJECTOR_LANGUAGE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *locale_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);

  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("LANGUAGE", g_getenv ("SPK_PROJECTOR_LANGUAGE") ? g_getenv ("SPK_PROJECTOR_LANGUAGE") : "C", TRUE);
  g_setenv ("SPIKEWORKS_LOCALEDIR", locale_dir, TRUE);
  spk_locale_init ();
  gtk_disable_setlocale ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/spk/ui/projector/lessons-fit", test_lessons_fit);
  g_test_add_func ("/spk/ui/projector/lessons-fit-german", test_lessons_fit_german);
  return g_test_run ();
}
