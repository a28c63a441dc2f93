/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "spk-names.h"

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
