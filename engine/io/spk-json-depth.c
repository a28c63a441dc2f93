/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-json-depth.c — counts how deeply a JSON text nests before json-glib
 * (which recurses per level) is given it.  Brackets inside strings are
 * skipped, escapes included. */
#define G_LOG_DOMAIN "spk-io"

#include "io/spk-json-depth.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

gboolean
spk_json_check_depth (const char  *data,
                      gssize       length,
                      guint        max_depth,
                      GError     **error)
{
  gsize n = length < 0 ? strlen (data) : (gsize) length;
  gboolean in_string = FALSE;
  guint depth = 0, line = 1;

  for (gsize i = 0; i < n; i++)
    {
      char c = data[i];

      if (c == '\n')
        line++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE,
                           _("line %u: lists and objects are nested more than %u levels deep"),
                           line, max_depth);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}
