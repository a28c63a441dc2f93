/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-state.h — a window's state kept in GSettings. */
#pragma once

#include <gio/gio.h>

#include "ui/shell/spk-window.h"

G_BEGIN_DECLS

/* The most sessions "recent-lessons" keeps. */
#define SPK_RECENT_LESSONS_MAX 10

void spk_window_state_bind         (SpkWindow *window,
                                    GSettings *settings);
void spk_window_state_note_recent  (GSettings *settings,
                                    GFile     *file);
void spk_window_state_forget_recent (GSettings *settings,
                                     GFile     *file);

G_END_DECLS
