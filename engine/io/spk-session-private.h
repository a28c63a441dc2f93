/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-session-private.h — what the files of SpkSession share: the
 * session's struct, HDF5 handles with automatic cleanup, the lock every
 * call into HDF5 holds, and the names of objects in the file. */
#pragma once

#include <hdf5.h>

#include "io/spk-hdf5-check.h"
#include "io/spk-session.h"

G_BEGIN_DECLS

#define FORMAT_NAME "spikeworks-session"

/* Probe data is written in chunks of about this many bytes (HDF5 caches
 * 1 MiB per dataset), and moved between memory and file in blocks of a
 * few chunks, so no second copy of a large recording is ever made. */
#define CHUNK_BYTES      (256 * 1024)
#define CHUNKS_PER_BLOCK 16
#define DEFLATE_LEVEL    4

/* The serial HDF5 library is not thread-safe: every call into it holds
 * spk_hdf5 (spk-hdf5-check.h, shared with the check of untrusted files). */

typedef hid_t SpkH5File;
typedef hid_t SpkH5Group;
typedef hid_t SpkH5Dataset;
typedef hid_t SpkH5Space;
typedef hid_t SpkH5Type;
typedef hid_t SpkH5Attr;
typedef hid_t SpkH5Plist;
typedef hid_t SpkH5Object;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5File, H5Fclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Group, H5Gclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Dataset, H5Dclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Space, H5Sclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Type, H5Tclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Attr, H5Aclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Plist, H5Pclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Object, H5Oclose, H5I_INVALID_HID)

/* Hands a handle over to the caller, leaving an invalid one to clean up. */
static inline hid_t
steal_handle (hid_t *handle)
{
  hid_t stolen = *handle;

  *handle = H5I_INVALID_HID;
  return stolen;
}

typedef struct
{
  guint    batch;
  guint64  n_samples;
  guint    size;
  double  *t;      /* n_samples */
  float   *data;   /* batch × n_samples × size */
} ProbeRecord;

typedef struct
{
  guint       epoch;
  const char *metric;   /* interned */
  double      value;
} HistoryEntry;

struct _SpkSession
{
  SpkNetwork *network;
  SpkPlan    *plan;
  GHashTable *probes;    /* label → ProbeRecord */
  GHashTable *plot_data; /* key → ProbeRecord (batch 1): what the workbench's plots recorded */
  GHashTable *layout;    /* key → GVariant */
  GArray     *history;   /* HistoryEntry */
  guint       fail_after;
};

ProbeRecord *_spk_session_probe_record_new (const char  *label,
                                            guint        batch,
                                            guint64      n_samples,
                                            guint        size,
                                            GError     **error);
gboolean _spk_session_metric_is_valid (const char *metric);
char *_spk_session_escape_name (const char *name);
char *_spk_session_unescape_name (const char *name);
GHashTable *_spk_session_object_names (SpkNetwork *network);
char *_spk_session_attr_path (const char *loc_path,
                              const char *name);

/* For tests only: makes the next saves of self fail, as a full disk
 * would, after n_writes HDF5 objects were written (0: never fail). */
void _spk_session_set_fail_after (SpkSession *self,
                                  guint       n_writes);

G_END_DECLS
