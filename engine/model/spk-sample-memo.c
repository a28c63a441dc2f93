/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-sample-memo.c — the scattered hypersphere's samples kept for the
 * process (see spk-sample-memo.h): a hash table over the exact inputs of
 * a draw, and a queue for least-recently-used eviction under a byte cap. */
#define G_LOG_DOMAIN "spk-sample-memo"

#include "model/spk-sample-memo.h"

#include <string.h>

#include "core/spk-build-reuse.h"

typedef struct
{
  gboolean surface;
  double   min_magnitude;
  gsize    n, d;
  SpkRng   before;
  SpkRng   after;
  double  *values;  /* n × d */
  GList    link;    /* in lru; data is the entry */
} Entry;

static GMutex lock;
static gboolean initialised;
static guint64 cap = G_GUINT64_CONSTANT (64) << 20;
static guint64 used;
static GHashTable *entries;        /* Entry → itself */
static GQueue lru = G_QUEUE_INIT;  /* most recent first */
static SpkSampleMemoStats stats;

static gsize
entry_bytes (const Entry *e)
{
  return e->n * e->d * sizeof (double) + sizeof (Entry);
}

static guint
rng_hash (const SpkRng *rng)
{
  guint64 h = rng->s[0] ^ (rng->s[1] * 31) ^ (rng->s[2] * 131) ^ (rng->s[3] * 1031);

  return (guint) (h ^ (h >> 32)) ^ (guint) rng->has_spare;
}

static gboolean
rng_equal (const SpkRng *a,
           const SpkRng *b)
{
  /* Field by field: the struct has padding. */
  return memcmp (a->s, b->s, sizeof a->s) == 0 && !a->has_spare == !b->has_spare
         && (!a->has_spare || memcmp (&a->spare_normal, &b->spare_normal, sizeof (double)) == 0);
}

static guint
entry_hash (gconstpointer p)
{
  const Entry *e = p;

  return rng_hash (&e->before) ^ (guint) (e->n * 2654435761u) ^ (guint) (e->d << 20) ^ (guint) e->surface;
}

static gboolean
entry_equal (gconstpointer pa,
             gconstpointer pb)
{
  const Entry *a = pa, *b = pb;

  return !a->surface == !b->surface && a->n == b->n && a->d == b->d
         && memcmp (&a->min_magnitude, &b->min_magnitude, sizeof (double)) == 0
         && rng_equal (&a->before, &b->before);
}

static void
entry_free (Entry *e)
{
  g_free (e->values);
  g_free (e);
}

static void
init_locked (void)
{
  if (initialised)
    return;
  initialised = TRUE;
  entries = g_hash_table_new (entry_hash, entry_equal);
}

static gboolean
on_locked (void)
{
  init_locked ();
  return spk_build_reuse_get_enabled ();
}

static void
remove_locked (Entry *e)
{
  g_hash_table_remove (entries, e);
  g_queue_unlink (&lru, &e->link);
  used -= entry_bytes (e);
  entry_free (e);
}

static void
evict_locked (void)
{
  while (used > cap && lru.tail != NULL)
    remove_locked (lru.tail->data);
}

static void
clear_locked (void)
{
  while (lru.head != NULL)
    remove_locked (lru.head->data);
}

void
spk_sample_memo_clear (void)
{
  g_mutex_lock (&lock);
  init_locked ();
  clear_locked ();
  g_mutex_unlock (&lock);
}

void
spk_sample_memo_set_limit (guint64 bytes)
{
  g_mutex_lock (&lock);
  init_locked ();
  cap = bytes;
  evict_locked ();
  g_mutex_unlock (&lock);
}

void
spk_sample_memo_get_stats (SpkSampleMemoStats *out)
{
  g_mutex_lock (&lock);
  *out = stats;
  g_mutex_unlock (&lock);
}

void
spk_sample_memo_reset_stats (void)
{
  g_mutex_lock (&lock);
  memset (&stats, 0, sizeof stats);
  g_mutex_unlock (&lock);
}

gboolean
_spk_sample_memo_lookup (gboolean  surface,
                         double    min_magnitude,
                         gsize     n,
                         gsize     d,
                         SpkRng   *rng,
                         double   *out)
{
  Entry probe = { .surface = surface, .min_magnitude = min_magnitude, .n = n, .d = d, .before = *rng };
  Entry *e;
  gboolean found = FALSE;

  g_mutex_lock (&lock);
  if (on_locked ())
    {
      e = g_hash_table_lookup (entries, &probe);
      if (e != NULL)
        {
          memcpy (out, e->values, n * d * sizeof (double));
          *rng = e->after;
          g_queue_unlink (&lru, &e->link);
          g_queue_push_head_link (&lru, &e->link);
          stats.hits++;
          found = TRUE;
        }
      else
        stats.misses++;
    }
  g_mutex_unlock (&lock);
  return found;
}

void
_spk_sample_memo_store (gboolean      surface,
                        double        min_magnitude,
                        gsize         n,
                        gsize         d,
                        const SpkRng *rng_before,
                        const SpkRng *rng_after,
                        const double *out)
{
  Entry *e;

  if (n * d * sizeof (double) > cap)
    return;
  e = g_new0 (Entry, 1);
  *e = (Entry) { .surface = surface, .min_magnitude = min_magnitude, .n = n, .d = d,
                 .before = *rng_before, .after = *rng_after };
  e->link.data = e;
  e->values = g_try_malloc_n (n * d, sizeof (double));
  if (e->values == NULL)
    {
      g_free (e);
      return;
    }
  memcpy (e->values, out, n * d * sizeof (double));
  g_mutex_lock (&lock);
  if (!on_locked () || g_hash_table_contains (entries, e))
    {
      /* Off, or another thread drew the same sample meanwhile. */
      g_mutex_unlock (&lock);
      entry_free (e);
      return;
    }
  g_hash_table_add (entries, e);
  g_queue_push_head_link (&lru, &e->link);
  used += entry_bytes (e);
  evict_locked ();
  g_mutex_unlock (&lock);
}
