/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "spk-names.h"

#include <string.h>

gboolean
spk_names_find (const char *const *names,
                guint              n_names,
                const char        *name,
                guint             *index)
{
  g_return_val_if_fail (index != NULL, FALSE);

  for (guint i = 0; i < n_names; i++)
    if (names[i] != NULL && g_strcmp0 (name, names[i]) == 0)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

/* Levenshtein distance, one row at a time. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint best = MIN (row[j] + 1, row[j - 1] + 1);

          row[j] = MIN (best, diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }
  return row[lb];
}

const char *
spk_names_closest (const char        *word,
                   const char *const *candidates,
                   gsize              n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  g_return_val_if_fail (word != NULL, NULL);

  for (gsize i = 0; i < n_candidates; i++)
    {
      guint d = edit_distance (word, candidates[i]);

      if (d < best_distance)
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  if (best != NULL && best_distance <= 2 && best_distance < strlen (word))
    return best;
  return NULL;
}
