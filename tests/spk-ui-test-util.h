/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ui-test-util.h — main-loop helpers and the workbench window set-up
 * shared by the widget tests. */
#pragma once

#include <gtk/gtk.h>

#include "ui/shell/spk-window.h"

/* What every widget test's main() starts with: no accessibility bus,
 * gtk_test_init() and adw_init(). */
void ut_init            (int         *argc,
                         char      ***argv);
/* Dispatches everything pending on the default main context. */
void ut_drain           (void);
/* Runs the main loop until widget is mapped and has drawn `frames` more
 * frames (at most 5 s). */
void ut_wait_for_frames (GtkWidget *widget,
                         guint      frames);
/* With the environment variable env_var set to a folder, saves widget as
 * drawn there as name (a PNG to look at, not a check); else nothing. */
void ut_save_png        (const char *env_var,
                         GtkWidget  *widget,
                         const char *name);

/* Loads the application's style sheet and icons into the test display,
 * as AdwApplication does at start-up (presentation mode's sizes and the
 * lesson pictures live there). Give the result to ut_unload_app_style(). */
GtkCssProvider *ut_load_app_style   (void);
void            ut_unload_app_style (GtkCssProvider *css);

/* A workbench window on the built-in example (NULL: the empty model), at
 * width × height (0: its default size), presented, with everything
 * pending dispatched. */
SpkWindow *ut_window_new      (const char *example,
                               int         width,
                               int         height);
/* The same at a projector's size (1280 × 800), drawn twice. */
SpkWindow *ut_window_new_drawn (const char *example);
/* Destroys the window (unsaved changes are left behind on purpose) and
 * dispatches what that leaves pending. */
void       ut_window_free     (SpkWindow  *window);

/* How many steps the window's runner has taken (0 before the first Play). */
guint64    ut_steps_of        (SpkWindow  *window);

/* Runs the main loop until cond holds (or fails after 10 s). */
#define UT_WAIT_FOR(cond)                                                \
  G_STMT_START {                                                         \
    gint64 deadline_ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;    \
    while (!(cond) && g_get_monotonic_time () < deadline_)               \
      g_main_context_iteration (NULL, FALSE);                            \
    g_assert_true (cond);                                                \
  } G_STMT_END

/* Runs the main loop until cond holds (or fails after seconds), sleeping
 * between events rather than spinning: for long work on other threads
 * (training), which a busy wait would slow on a loaded machine. */
#define UT_WAIT_LONG_FOR(cond, seconds)                                  \
  G_STMT_START {                                                         \
    gint64 deadline_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC; \
    guint wake_ = g_timeout_add (100, ut_keep_waking, NULL);             \
    while (!(cond) && g_get_monotonic_time () < deadline_)               \
      g_main_context_iteration (NULL, TRUE);                             \
    g_source_remove (wake_);                                             \
    g_assert_true (cond);                                                \
  } G_STMT_END

/* A timeout source's callback that only wakes the main loop. */
gboolean   ut_keep_waking     (gpointer    data);
