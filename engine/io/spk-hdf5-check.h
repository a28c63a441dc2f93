/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-hdf5-check.h — reading an untrusted HDF5 file in a child process
 * first, so that a crash or a hang inside libhdf5 cannot take the
 * application (and the user's unsaved work) with it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* libhdf5 is built without thread safety: every use of it, in any file of
 * ours, holds this lock. */
G_LOCK_EXTERN (spk_hdf5);

/* Call with spk_hdf5 held before the first other call into libhdf5:
 * tells it not to clean up at exit.  A close that fails (a full disk
 * while flushing) leaves a file open inside the library, and its exit
 * handler crashed closing it again; every file we open is closed by us. */
void     spk_hdf5_init       (void);

/* The time a check may take before the file counts as one that hangs the
 * library, unless SPK_HDF5_CHECK_SECONDS says otherwise. */
#define SPK_HDF5_CHECK_SECONDS 10

/* Opens path with libhdf5 in a short-lived child process (forked, memory
 * and time limited) and reads every object, attribute and string in it,
 * as a loader will.  FALSE with an SPK_IO_ERROR_FORMAT naming the file
 * when the child crashed, was killed or did not finish in time; TRUE
 * when it finished, even if libhdf5 reported errors, which the loader
 * then reports in-process with its own messages.  Takes the spk_hdf5
 * lock itself: call it without. */
gboolean spk_hdf5_check_file (const char  *path,
                              GError     **error);

G_END_DECLS
