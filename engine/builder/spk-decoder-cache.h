/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-decoder-cache.h — decoders are solved once: the builder keys every
 * solve by its content (the activities' inputs, the targets, the solver,
 * its random stream when it draws, the dtype) and keeps the decoders in
 * memory for the process and on disk for the next one, like Nengo's
 * DecoderCache.
 *
 * On disk an entry is one file, <cache dir>/spikeworks/decoders/<key>.spkdec,
 * written whole to a temporary name and renamed, so concurrent processes
 * see whole entries or none.  An entry that is damaged, truncated, from
 * another version or for another key is never trusted: it is removed and
 * the solve replaces it.  The files are kept under a size cap by removing
 * the least recently used.  A cache directory that cannot be made or
 * written (read-only, full disk) turns the disk part off for the process
 * with one warning.
 *
 * SPK_DECODER_CACHE=0 in the environment turns the whole cache off; the
 * workbench's preference calls spk_decoder_cache_set_enabled().  All of
 * this is thread-safe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 memory_hits;
  guint64 disk_hits;
  guint64 misses;        /* solves done while the cache was on */
  guint64 stores;        /* entries written to disk */
  guint64 rejected;      /* disk entries found damaged and removed */
} SpkDecoderCacheStats;

/* The preference: FALSE turns the cache off, with the sample memo
 * (it is on unless the environment has SPK_DECODER_CACHE=0, which
 * always wins). */
void      spk_decoder_cache_set_enabled      (gboolean              enabled);
gboolean  spk_decoder_cache_get_enabled      (void);

/* Where the entries go: dir itself holds them (NULL: the default under the
 * user's cache directory, g_get_user_cache_dir ()).  Setting it turns a
 * disk part that failed back on. */
void      spk_decoder_cache_set_dir          (const char           *dir);
/* (transfer full) The directory in use. */
char     *spk_decoder_cache_dup_dir          (void);
/* Whether entries go to disk at all (TRUE by default; a benchmark's cold
 * build turns it off). */
void      spk_decoder_cache_set_disk_enabled (gboolean              enabled);
/* The caps, in bytes, on the decoders kept in memory and on disk
 * (defaults 256 MiB and 512 MiB). */
void      spk_decoder_cache_set_limits       (guint64               memory_bytes,
                                              guint64               disk_bytes);
/* Forgets the entries in memory (the files stay), and the samples of
 * encoders and evaluation points kept with them (model/spk-sample-memo.h). */
void      spk_decoder_cache_clear_memory     (void);
void      spk_decoder_cache_get_stats        (SpkDecoderCacheStats *stats);
void      spk_decoder_cache_reset_stats      (void);

G_END_DECLS
