/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-lesson.c — `spikeworks-cli lessons` (what lessons there are)
 * and `spikeworks-cli lesson check NAME|FILE` (validate one and run its
 * scripted solution headless, as a teacher checks a lesson they wrote). */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "lessons/spk-lesson-catalog.h"
#include "lessons/spk-lesson-solve.h"

int
_spk_cli_lessons (int    argc,
                  char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GPtrArray) entries = NULL;

  g_option_context_set_summary (context, _("Lists the lessons, one per line: name, then title. "
                                           "Broken lessons say why; lessons still to come say so."));
  if (!_spk_cli_parse (context, &argc, &argv))
    return 2;
  if (argc > 1)
    return _spk_cli_usage (_("lessons takes no arguments"), "lessons");

  entries = spk_lessons_list ();
  for (guint i = 0; i < entries->len; i++)
    {
      SpkLessonEntry *entry = g_ptr_array_index (entries, i);

      if (entry->lesson == NULL)
        printf ("%s\t%s\n", entry->name, _("(broken)"));
      else if (entry->lesson->coming)
        printf ("%s\t%s %s\n", entry->name, g_dgettext (GETTEXT_PACKAGE, entry->title), _("(coming)"));
      else
        printf ("%s\t%s\n", entry->name, g_dgettext (GETTEXT_PACKAGE, entry->title));
      if (entry->error != NULL)
        fprintf (stderr, "spikeworks-cli: %s\n", entry->error->message);
    }
  return 0;
}

static void
task_done_cb (const SpkLessonTask *task,
              guint                page,
              gpointer             user_data)
{
  printf ("✓ %u. %s\n", page + 1, g_dgettext (GETTEXT_PACKAGE, task->title));
  fflush (stdout);
}

int
_spk_cli_lesson (int    argc,
                 char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (N_("check (NAME | FILE.lesson)"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = NULL;

  g_option_context_set_summary (context, _("check: validates a lesson and runs its scripted solution "
                                           "headless; exit 0 when every task completes, else 1 "
                                           "naming the task that did not."));
  if (!_spk_cli_parse (context, &argc, &argv))
    return 2;
  if (argc != 3 || !g_str_equal (argv[1], "check"))
    return _spk_cli_usage (_("lesson needs 'check' and one lesson"), "lesson check (NAME | FILE.lesson)");

  if (!(lesson = spk_lesson_find (argv[2], &error)))
    return _spk_cli_fail (error);
  if (lesson->coming)
    {
      printf (_("%s: coming in a later version; nothing to check\n"), lesson->name);
      return 0;
    }
  if (!spk_lesson_check (lesson, task_done_cb, NULL, &error))
    return _spk_cli_fail (error);
  printf (_("%s: all %u tasks complete\n"), lesson->name, spk_lesson_count_tasks (lesson));
  return 0;
}
