/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-decoder-cache.c — the decoder cache (see spk-decoder-cache.h): a
 * byte-capped LRU table in memory, one checked file per entry on disk.
 *
 * An entry file is
 *   magic "SPKDEC\r\n" · u32 version · u32 0x01020304 (byte order) ·
 *   key (64 hex characters) · u64 n · u64 k ·
 *   n·k decoders and k decode errors (native doubles) ·
 *   SHA-256 of everything before it,
 * so a file of another version, another byte order, another key or shape,
 * cut short or changed anywhere fails a check and is removed. */
#define G_LOG_DOMAIN "spk-decoder-cache"

#include "builder/spk-decoder-cache-private.h"

#include <cblas.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/spk-build-reuse.h"
#include "model/spk-sample-memo.h"
#include "spk-solve-sources.h"

#define ENTRY_MAGIC "SPKDEC\r\n"
#define ENTRY_VERSION 1u
#define BYTE_ORDER_MARK 0x01020304u
#define KEY_LEN 64
#define HEADER_SIZE (8 + 4 + 4 + KEY_LEN + 8 + 8)
#define DIGEST_SIZE 32
#define SUFFIX ".spkdec"
/* A writer's temporary file older than this was left by a crash. */
#define STALE_TMP_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

typedef struct
{
  char   *key;
  gsize   n, k;
  double *values;      /* n·k decoders, then k errors */
  GList   link;        /* in lru; data is the entry */
} Entry;

static GMutex lock;
static gboolean initialised;
static gboolean disk_enabled = TRUE;
static gboolean disk_failed;
static char *cache_dir;
static guint64 memory_cap = G_GUINT64_CONSTANT (256) << 20;
static guint64 disk_cap = G_GUINT64_CONSTANT (512) << 20;
static guint64 memory_used;
static GHashTable *entries;     /* key → Entry */
static GQueue lru = G_QUEUE_INIT; /* most recent first */
static SpkDecoderCacheStats stats;

struct _SpkDecoderKey
{
  GChecksum *sum;
};

static gsize
entry_bytes (gsize n,
             gsize k)
{
  return (n * k + k) * sizeof (double);
}

static void
init_locked (void)
{
  if (initialised)
    return;
  initialised = TRUE;
  entries = g_hash_table_new (g_str_hash, g_str_equal);
}

static const char *
dir_locked (void)
{
  if (cache_dir == NULL)
    cache_dir = g_build_filename (g_get_user_cache_dir (), "spikeworks", "decoders", NULL);
  return cache_dir;
}

static gboolean
disk_usable_locked (void)
{
  return disk_enabled && !disk_failed;
}

/* The disk part goes off for the process, said once. */
static void
disk_off_locked (const char *reason)
{
  if (disk_failed)
    return;
  disk_failed = TRUE;
  g_warning (_("The decoder cache cannot write to %s (%s): decoders are kept in memory only until "
               "the program ends"), dir_locked (), reason);
}

/* {{{ Memory */

static void
entry_free (Entry *e)
{
  g_free (e->key);
  g_free (e->values);
  g_free (e);
}

static void
memory_remove_locked (Entry *e)
{
  g_hash_table_remove (entries, e->key);
  g_queue_unlink (&lru, &e->link);
  memory_used -= entry_bytes (e->n, e->k);
  entry_free (e);
}

static void
memory_store_locked (const char   *key,
                     gsize         n,
                     gsize         k,
                     const double *values)
{
  gsize bytes = entry_bytes (n, k);
  Entry *e = g_hash_table_lookup (entries, key);

  if (e != NULL)
    memory_remove_locked (e);
  if (bytes > memory_cap)
    return;
  e = g_new0 (Entry, 1);
  e->key = g_strdup (key);
  e->n = n;
  e->k = k;
  e->values = g_memdup2 (values, bytes);
  e->link.data = e;
  g_hash_table_insert (entries, e->key, e);
  g_queue_push_head_link (&lru, &e->link);
  memory_used += bytes;
  while (memory_used > memory_cap && lru.tail != NULL)
    memory_remove_locked (lru.tail->data);
}

/* }}} */

/* {{{ Disk */

static char *
entry_path_locked (const char *key)
{
  g_autofree char *name = g_strconcat (key, SUFFIX, NULL);

  return g_build_filename (dir_locked (), name, NULL);
}

static void
reject_locked (const char *path)
{
  g_unlink (path);
  stats.rejected++;
}

/* Reads the entry of key into values (n·k + k doubles) if its file
 * passes every check; a file that fails one is removed. */
static gboolean
disk_read_locked (const char *key,
                  gsize       n,
                  gsize       k,
                  double     *values)
{
  g_autofree char *path = entry_path_locked (key);
  g_autofree char *contents = NULL;
  g_autoptr (GChecksum) sum = NULL;
  guint8 digest[DIGEST_SIZE];
  gsize digest_len = DIGEST_SIZE;
  gsize expected = HEADER_SIZE + entry_bytes (n, k) + DIGEST_SIZE;
  gsize len;
  guint32 version, mark;
  guint64 file_n, file_k;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return FALSE;
  if ((guint64) st.st_size != expected || !g_file_get_contents (path, &contents, &len, NULL) || len != expected)
    {
      reject_locked (path);
      return FALSE;
    }
  memcpy (&version, contents + 8, 4);
  memcpy (&mark, contents + 12, 4);
  memcpy (&file_n, contents + 16 + KEY_LEN, 8);
  memcpy (&file_k, contents + 24 + KEY_LEN, 8);
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) contents, len - DIGEST_SIZE);
  g_checksum_get_digest (sum, digest, &digest_len);
  if (memcmp (contents, ENTRY_MAGIC, 8) != 0 || version != ENTRY_VERSION || mark != BYTE_ORDER_MARK
      || memcmp (contents + 16, key, KEY_LEN) != 0 || file_n != n || file_k != k
      || memcmp (contents + len - DIGEST_SIZE, digest, DIGEST_SIZE) != 0)
    {
      reject_locked (path);
      return FALSE;
    }
  memcpy (values, contents + HEADER_SIZE, entry_bytes (n, k));
  /* Used now: the last to go when the files outgrow their cap. */
  g_utime (path, NULL);
  return TRUE;
}

typedef struct
{
  char   *path;
  guint64 size;
  gint64  mtime;
} DiskFile;

static void
disk_file_clear (gpointer data)
{
  g_free (((DiskFile *) data)->path);
}

static int
compare_mtime (gconstpointer a,
               gconstpointer b)
{
  const DiskFile *x = a, *y = b;

  return (x->mtime > y->mtime) - (x->mtime < y->mtime);
}

/* Removes the least recently used entries until the files fit the cap,
 * and temporary files a crashed writer left. */
static void
disk_evict_locked (void)
{
  g_autoptr (GDir) dir = g_dir_open (dir_locked (), 0, NULL);
  g_autoptr (GArray) files = g_array_new (FALSE, FALSE, sizeof (DiskFile));
  gint64 now = g_get_real_time ();
  guint64 total = 0;
  const char *name;

  if (dir == NULL)
    return;
  g_array_set_clear_func (files, disk_file_clear);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_locked (), name, NULL);
      GStatBuf st;

      if (strstr (name, SUFFIX) == NULL || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (!g_str_has_suffix (name, SUFFIX))
        {
          if (now - (gint64) st.st_mtime * G_USEC_PER_SEC > STALE_TMP_US)
            g_unlink (path);
          continue;
        }
      g_array_append_val (files, ((DiskFile) { g_steal_pointer (&path), (guint64) st.st_size, (gint64) st.st_mtime }));
      total += (guint64) st.st_size;
    }
  if (total <= disk_cap)
    return;
  g_array_sort (files, compare_mtime);
  for (guint i = 0; i < files->len && total > disk_cap; i++)
    {
      DiskFile *f = &g_array_index (files, DiskFile, i);

      if (g_unlink (f->path) == 0 || errno == ENOENT)
        total -= f->size;
    }
}

static void
disk_write_locked (const char   *key,
                   gsize         n,
                   gsize         k,
                   const double *values)
{
  g_autofree char *path = NULL;
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GError) error = NULL;
  guint8 digest[DIGEST_SIZE];
  gsize digest_len = DIGEST_SIZE;
  guint32 version = ENTRY_VERSION, mark = BYTE_ORDER_MARK;
  guint64 n64 = n, k64 = k;

  if (g_mkdir_with_parents (dir_locked (), 0700) != 0)
    {
      int saved = errno;

      disk_off_locked (g_strerror (saved));
      return;
    }
  g_byte_array_append (buf, (const guint8 *) ENTRY_MAGIC, 8);
  g_byte_array_append (buf, (const guint8 *) &version, 4);
  g_byte_array_append (buf, (const guint8 *) &mark, 4);
  g_byte_array_append (buf, (const guint8 *) key, KEY_LEN);
  g_byte_array_append (buf, (const guint8 *) &n64, 8);
  g_byte_array_append (buf, (const guint8 *) &k64, 8);
  g_byte_array_append (buf, (const guint8 *) values, (guint) entry_bytes (n, k));
  g_checksum_update (sum, buf->data, buf->len);
  g_checksum_get_digest (sum, digest, &digest_len);
  g_byte_array_append (buf, digest, DIGEST_SIZE);

  /* Written whole under a temporary name, then renamed over: a reader in
   * another process sees the old entry, the new one, or none. */
  path = entry_path_locked (key);
  if (!g_file_set_contents_full (path, (const char *) buf->data, buf->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      disk_off_locked (error->message);
      return;
    }
  stats.stores++;
  disk_evict_locked ();
}

/* }}} */

/* {{{ Keys */

SpkDecoderKey *
_spk_decoder_key_new (void)
{
  SpkDecoderKey *key = g_new0 (SpkDecoderKey, 1);
  static const char prefix[] = "spikeworks decoders " PACKAGE_VERSION " " SPK_SOLVE_SOURCES;

  key->sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (key->sum, (const guchar *) prefix, sizeof prefix);
  /* OpenBLAS's build and the kernel it picked for this CPU can change the
   * last bits of a product. */
  _spk_decoder_key_add_bytes (key, openblas_get_config (), strlen (openblas_get_config ()) + 1);
  _spk_decoder_key_add_bytes (key, openblas_get_corename (), strlen (openblas_get_corename ()) + 1);
  return key;
}

void
_spk_decoder_key_add_uint (SpkDecoderKey *key,
                           guint64        value)
{
  guint64 le = GUINT64_TO_LE (value);

  g_checksum_update (key->sum, (const guchar *) &le, sizeof le);
}

void
_spk_decoder_key_add_doubles (SpkDecoderKey *key,
                              const double  *values,
                              gsize          n)
{
  _spk_decoder_key_add_uint (key, n);
  if (n > 0)
    g_checksum_update (key->sum, (const guchar *) values, (gssize) (n * sizeof (double)));
}

void
_spk_decoder_key_add_bytes (SpkDecoderKey *key,
                            const void    *data,
                            gsize          size)
{
  _spk_decoder_key_add_uint (key, size);
  if (size > 0)
    g_checksum_update (key->sum, data, (gssize) size);
}

char *
_spk_decoder_key_finish (SpkDecoderKey *key)
{
  char *hex = g_strdup (g_checksum_get_string (key->sum));

  g_checksum_free (key->sum);
  g_free (key);
  return hex;
}

/* }}} */

gboolean
_spk_decoder_cache_lookup (const char *key,
                           gsize       n,
                           gsize       k,
                           double     *decoders,
                           double     *rmse)
{
  g_autofree double *values = NULL;
  Entry *e;

  g_return_val_if_fail (key != NULL && strlen (key) == KEY_LEN, FALSE);

  g_mutex_lock (&lock);
  init_locked ();
  if (!spk_build_reuse_get_enabled ())
    {
      g_mutex_unlock (&lock);
      return FALSE;
    }
  e = g_hash_table_lookup (entries, key);
  if (e != NULL && e->n == n && e->k == k)
    {
      memcpy (decoders, e->values, n * k * sizeof (double));
      memcpy (rmse, e->values + n * k, k * sizeof (double));
      g_queue_unlink (&lru, &e->link);
      g_queue_push_head_link (&lru, &e->link);
      stats.memory_hits++;
      g_mutex_unlock (&lock);
      return TRUE;
    }
  if (disk_usable_locked () && (values = g_try_malloc (entry_bytes (n, k))) != NULL
      && disk_read_locked (key, n, k, values))
    {
      memcpy (decoders, values, n * k * sizeof (double));
      memcpy (rmse, values + n * k, k * sizeof (double));
      memory_store_locked (key, n, k, values);
      stats.disk_hits++;
      g_mutex_unlock (&lock);
      return TRUE;
    }
  stats.misses++;
  g_mutex_unlock (&lock);
  return FALSE;
}

void
_spk_decoder_cache_store (const char   *key,
                          gsize         n,
                          gsize         k,
                          const double *decoders,
                          const double *rmse)
{
  g_autofree double *values = g_try_malloc (entry_bytes (n, k));

  g_return_if_fail (key != NULL && strlen (key) == KEY_LEN);

  if (values == NULL)
    return;
  memcpy (values, decoders, n * k * sizeof (double));
  memcpy (values + n * k, rmse, k * sizeof (double));
  g_mutex_lock (&lock);
  init_locked ();
  if (spk_build_reuse_get_enabled ())
    {
      memory_store_locked (key, n, k, values);
      if (disk_usable_locked ())
        disk_write_locked (key, n, k, values);
    }
  g_mutex_unlock (&lock);
}

void
spk_decoder_cache_set_enabled (gboolean enabled)
{
  /* One setting for everything a build keeps; what the memo kept goes. */
  spk_build_reuse_set_enabled (enabled);
  if (!enabled)
    spk_sample_memo_clear ();
}

gboolean
spk_decoder_cache_get_enabled (void)
{
  return spk_build_reuse_get_enabled ();
}

void
spk_decoder_cache_set_dir (const char *dir)
{
  g_mutex_lock (&lock);
  init_locked ();
  g_free (cache_dir);
  cache_dir = g_strdup (dir);
  disk_failed = FALSE;
  g_mutex_unlock (&lock);
}

char *
spk_decoder_cache_dup_dir (void)
{
  char *dir;

  g_mutex_lock (&lock);
  init_locked ();
  dir = g_strdup (dir_locked ());
  g_mutex_unlock (&lock);
  return dir;
}

void
spk_decoder_cache_set_disk_enabled (gboolean enabled)
{
  g_mutex_lock (&lock);
  init_locked ();
  disk_enabled = !!enabled;
  g_mutex_unlock (&lock);
}

void
spk_decoder_cache_set_limits (guint64 memory_bytes,
                              guint64 disk_bytes)
{
  g_mutex_lock (&lock);
  init_locked ();
  memory_cap = memory_bytes;
  disk_cap = disk_bytes;
  while (memory_used > memory_cap && lru.tail != NULL)
    memory_remove_locked (lru.tail->data);
  g_mutex_unlock (&lock);
}

void
spk_decoder_cache_clear_memory (void)
{
  g_mutex_lock (&lock);
  init_locked ();
  while (lru.tail != NULL)
    memory_remove_locked (lru.tail->data);
  g_mutex_unlock (&lock);
  spk_sample_memo_clear ();
}

void
spk_decoder_cache_get_stats (SpkDecoderCacheStats *out)
{
  g_return_if_fail (out != NULL);

  g_mutex_lock (&lock);
  *out = stats;
  g_mutex_unlock (&lock);
}

void
spk_decoder_cache_reset_stats (void)
{
  g_mutex_lock (&lock);
  memset (&stats, 0, sizeof stats);
  g_mutex_unlock (&lock);
}
