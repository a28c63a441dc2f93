/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-progress.c — the "lesson-progress" dictionary, a{s(uau)}:
 * each lesson's last page and the indices of its tasks done.  Entries are
 * replaced whole, so a lesson edited to have fewer tasks only loses the
 * indices past its end. */
#define G_LOG_DOMAIN "spk-lessons"

#include "ui/lessons/spk-lesson-progress.h"

#define KEY "lesson-progress"

/* (transfer full) (nullable): the lesson's (uau) entry. */
static GVariant *
lookup (GSettings  *settings,
        const char *name)
{
  g_autoptr (GVariant) all = NULL;

  if (settings == NULL || name == NULL)
    return NULL;
  all = g_settings_get_value (settings, KEY);
  return g_variant_lookup_value (all, name, G_VARIANT_TYPE ("(uau)"));
}

gboolean
spk_lesson_progress_load (GSettings  *settings,
                          const char *name,
                          guint      *page,
                          gboolean   *done,
                          guint       n_tasks)
{
  g_autoptr (GVariant) entry = lookup (settings, name);
  g_autoptr (GVariant) tasks = NULL;
  gsize n = 0;
  const guint32 *index;

  *page = 0;
  for (guint i = 0; i < n_tasks; i++)
    done[i] = FALSE;
  if (entry == NULL)
    return FALSE;
  g_variant_get_child (entry, 0, "u", page);
  tasks = g_variant_get_child_value (entry, 1);
  index = g_variant_get_fixed_array (tasks, &n, sizeof (guint32));
  for (gsize i = 0; i < n; i++)
    if (index[i] < n_tasks)
      done[index[i]] = TRUE;
  return TRUE;
}

/* Writes the dictionary with name's entry replaced by entry (NULL: removed). */
static void
store (GSettings  *settings,
       const char *name,
       GVariant   *entry)
{
  g_autoptr (GVariant) all = g_settings_get_value (settings, KEY);
  g_autoptr (GVariant) sunk = entry ? g_variant_ref_sink (entry) : NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(uau)}"));
  g_variant_iter_init (&iter, all);
  while (g_variant_iter_next (&iter, "{&s@(uau)}", &key, &value))
    {
      if (!g_str_equal (key, name))
        g_variant_builder_add (&builder, "{s@(uau)}", key, value);
      g_variant_unref (value);
    }
  if (sunk != NULL)
    g_variant_builder_add (&builder, "{s@(uau)}", name, sunk);
  g_settings_set_value (settings, KEY, g_variant_builder_end (&builder));
}

void
spk_lesson_progress_save (GSettings      *settings,
                          const char     *name,
                          guint           page,
                          const gboolean *done,
                          guint           n_tasks)
{
  g_autoptr (GArray) index = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (settings == NULL || name == NULL)
    return;
  for (guint32 i = 0; i < n_tasks; i++)
    if (done[i])
      g_array_append_val (index, i);
  store (settings, name,
         g_variant_new ("(u@au)", page,
                        g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, index->data, index->len,
                                                   sizeof (guint32))));
}

guint
spk_lesson_progress_count (GSettings  *settings,
                           const char *name)
{
  g_autoptr (GVariant) entry = lookup (settings, name);
  g_autoptr (GVariant) tasks = NULL;

  if (entry == NULL)
    return 0;
  tasks = g_variant_get_child_value (entry, 1);
  return (guint) g_variant_n_children (tasks);
}

void
spk_lesson_progress_reset (GSettings  *settings,
                           const char *name)
{
  if (settings != NULL && name != NULL)
    store (settings, name, NULL);
}
