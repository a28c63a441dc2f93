/* spk-runner-ring.c — the bounded per-probe sample rings between the
 * runner's worker and the consumer that plots.
 *
 * CONTRACT: one producer (the worker thread) calls
 * _spk_runner_ring_push_from_simulator (); one consumer (the runner's owner
 * thread) calls _spk_runner_ring_read ().  Neither takes a lock: the
 * producer publishes a slot by a release store of head after writing it,
 * the consumer frees slots by a release store of tail after reading them,
 * and a slot is never written while it may be read, because the producer
 * drops samples instead of overwriting unread ones.  The simulator keeps
 * the full record, so a dropped sample is only missing from the live view.
 */
#define G_LOG_DOMAIN "spk-runner"

#include "spk-runner-private.h"

#include <string.h>

SpkRunnerRing *
_spk_runner_ring_new (guint   width,
                      guint64 capacity)
{
  SpkRunnerRing *ring = g_aligned_alloc0 (1, sizeof (SpkRunnerRing), 64);

  g_assert (capacity > 0 && (capacity & (capacity - 1)) == 0);
  ring->width = width;
  ring->capacity = capacity;
  ring->mask = capacity - 1;
  /* Written through here, on the owner thread, so that the pages are
   * mapped now: left to the worker's first pass, every new page would be a
   * fault in the middle of a run (a tenth of its time with 20 plots). */
  ring->times = g_new (double, capacity);
  ring->seqs = g_new (guint64, capacity);
  ring->epochs = g_new (guint64, capacity);
  ring->data = g_new (double, capacity * MAX (width, 1));
  memset (ring->times, 0, capacity * sizeof (double));
  memset (ring->seqs, 0, capacity * sizeof (guint64));
  memset (ring->epochs, 0, capacity * sizeof (guint64));
  memset (ring->data, 0, capacity * MAX (width, 1) * sizeof (double));
  atomic_init (&ring->head, 0);
  atomic_init (&ring->offered, 0);
  atomic_init (&ring->tail, 0);
  ring->expected = 0;
  return ring;
}

void
_spk_runner_ring_free (SpkRunnerRing *ring)
{
  if (ring == NULL)
    return;
  g_free (ring->times);
  g_free (ring->seqs);
  g_free (ring->epochs);
  g_free (ring->data);
  g_aligned_free (ring);
}

void
_spk_runner_ring_push_from_simulator (SpkRunnerRing *ring,
                                      SpkSimulator  *sim,
                                      guint          probe,
                                      guint64        from,
                                      guint64        to,
                                      guint64        epoch)
{
  guint64 head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  guint64 seq = atomic_load_explicit (&ring->offered, memory_order_relaxed);
  guint64 tail = atomic_load_explicit (&ring->tail, memory_order_acquire);

  for (guint64 k = from; k < to; k++, seq++)
    {
      guint64 slot;

      if (head - tail >= ring->capacity)
        {
          /* Full as last seen: look again once before dropping. */
          tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
          if (head - tail >= ring->capacity)
            continue;
        }
      slot = head & ring->mask;
      spk_simulator_get_probe_sample (sim, probe, k, ring->data + slot * ring->width,
                                      &ring->times[slot]);
      ring->seqs[slot] = seq;
      ring->epochs[slot] = epoch;
      head++;
    }
  /* head before offered: a consumer that reads offered and then head sees
   * every written sample below offered (see _spk_runner_ring_read). */
  atomic_store_explicit (&ring->head, head, memory_order_release);
  atomic_store_explicit (&ring->offered, seq, memory_order_release);
}

guint
_spk_runner_ring_read (SpkRunnerRing *ring,
                       double        *data,
                       double        *times,
                       guint          max_samples,
                       guint64        max_epoch,
                       guint64       *n_lost)
{
  guint64 offered = atomic_load_explicit (&ring->offered, memory_order_acquire);
  guint64 head = atomic_load_explicit (&ring->head, memory_order_acquire);
  guint64 tail = atomic_load_explicit (&ring->tail, memory_order_relaxed);
  guint64 n = MIN (head - tail, (guint64) max_samples);
  guint64 lost = 0;

  for (guint64 i = 0; i < n; i++)
    {
      guint64 slot = (tail + i) & ring->mask;

      if (ring->epochs[slot] > max_epoch)
        {
          n = i;
          break;
        }
      if (data)
        memcpy (data + i * ring->width, ring->data + slot * ring->width,
                ring->width * sizeof (double));
      if (times)
        times[i] = ring->times[slot];
      /* Sequence numbers skipped before this sample were dropped. */
      lost += ring->seqs[slot] - ring->expected;
      ring->expected = ring->seqs[slot] + 1;
    }
  atomic_store_explicit (&ring->tail, tail + n, memory_order_release);
  /* Every sample numbered below offered was written before offered was
   * stored, so once the ring is read empty the rest of them were dropped. */
  if (tail + n == head && offered > ring->expected)
    {
      lost += offered - ring->expected;
      ring->expected = offered;
    }
  if (n_lost)
    *n_lost = lost;
  return (guint) n;
}
