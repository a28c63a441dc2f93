/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ui-test-util.h — main-loop helpers shared by the widget tests. */
#pragma once

#include <gtk/gtk.h>

/* Dispatches everything pending on the default main context. */
void ut_drain           (void);
/* Runs the main loop until widget is mapped and has drawn `frames` more
 * frames (at most 5 s). */
void ut_wait_for_frames (GtkWidget *widget,
                         guint      frames);
