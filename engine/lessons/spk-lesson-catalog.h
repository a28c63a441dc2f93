/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-catalog.h — the lessons there are: the built-in ones (a
 * GResource linked into the engine, so both binaries have them) and the
 * *.lesson files in the user's data folder ($XDG_DATA_HOME/spikeworks/lessons).
 * A lesson that does not parse or validate is listed as broken, with its
 * error; the others are unaffected. */
#pragma once

#include "lessons/spk-lesson.h"

G_BEGIN_DECLS

typedef struct
{
  char      *name;
  char      *title;     /* the file's name when it is broken */
  gboolean   builtin;
  SpkLesson *lesson;    /* nullable: NULL when broken */
  GError    *error;     /* nullable: why it is broken */
} SpkLessonEntry;

/* Where built-in lessons live in the resource, with its "resource://" form. */
#define SPK_LESSONS_RESOURCE "/org/spikeworks/lessons"

/* (transfer full) (element-type SpkLessonEntry): built-in lessons in
 * course order, then the user's, sorted by name.  A user's lesson with a
 * built-in one's name is listed after it and shadowed by it in
 * spk_lesson_find(). */
GPtrArray *spk_lessons_list     (void);
/* The user's lesson folder (may not exist). (transfer full) */
char      *spk_lessons_user_dir (void);
/* A lesson by name (built-in first, then the user's) or, when name_or_file
 * ends in ".lesson" or holds a '/', by path.  Parsed but not validated. */
SpkLesson *spk_lesson_find      (const char  *name_or_file,
                                 GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
