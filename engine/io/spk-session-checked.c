/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-session-checked.c — loading a session someone else wrote: checked
 * in a child process first (spk-hdf5-check.c), then loaded in-process. */
#define G_LOG_DOMAIN "spk-session"

#include "io/spk-session.h"

#include "io/spk-hdf5-check.h"

SpkSession *
spk_session_load_checked (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!spk_hdf5_check_file (path, error))
    return NULL;
  return spk_session_load (path, error);
}
