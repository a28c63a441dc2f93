/* SPDX-License-Identifier: GPL-3.0-or-later */
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
 * the full record, so a dropped sample is only missing from the live view;
 * a kept probe's ring drops none: its samples wait in the record for room
 * (see _spk_runner_ring_push_from_simulator ()).
 */
#define G_LOG_DOMAIN "spk-runner"

#include "spk-runner-private.h"

#include <math.h>
#include <string.h>

#include "core/spk-cpu.h"

/* The producer scans the simulator's record of a spike probe in place. */
#include "sim/spk-simulator-private.h"

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
  atomic_init (&ring->held, FALSE);
  atomic_init (&ring->tail, 0);
  atomic_init (&ring->entry_tail, 0);
  ring->expected = 0;
  return ring;
}

SpkRunnerRing *
_spk_runner_ring_new_sparse (guint    width,
                             guint64  capacity,
                             guint64  entry_capacity,
                             gboolean values_f32)
{
  SpkRunnerRing *ring = _spk_runner_ring_new (0, capacity);

  g_assert (entry_capacity >= MAX (width, 1) && (entry_capacity & (entry_capacity - 1)) == 0);
  g_clear_pointer (&ring->data, g_free);
  ring->width = width;
  ring->sparse = TRUE;
  ring->entry_capacity = entry_capacity;
  ring->entry_mask = entry_capacity - 1;
  /* Written through now, for the same reason as above. */
  ring->starts = g_new0 (guint64, capacity);
  ring->counts = g_new0 (guint32, capacity);
  ring->entry_index = g_new0 (guint32, entry_capacity);
  ring->values_f32 = values_f32;
  if (values_f32)
    ring->entry_value32 = g_new0 (float, entry_capacity);
  else
    ring->entry_value = g_new0 (double, entry_capacity);
  ring->entry_head = 0;
  atomic_init (&ring->entry_tail, 0);
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
  g_free (ring->starts);
  g_free (ring->counts);
  g_free (ring->entry_index);
  g_free (ring->entry_value32);
  g_free (ring->entry_value);
  g_aligned_free (ring);
}

/* Appends the nonzero values of n values at src (through index when not
 * NULL), positions numbered from base, at entry e; returns the next free
 * entry.  Branch-free: every value is written and only a nonzero one is
 * kept, because whether a neuron spiked is not predictable.  Writes at
 * most n entries past e, so n free entries are enough. */
#define DEFINE_SCAN(NAME, REAL, FIELD, STORED)                                  \
  static guint64                                                                \
  NAME (SpkRunnerRing *ring,                                                    \
        const REAL    *restrict src,                                            \
        const guint   *index,                                                   \
        guint          n,                                                       \
        guint          base,                                                    \
        guint64        e)                                                       \
  {                                                                             \
    guint32 *restrict entry_index = ring->entry_index;                          \
    STORED *restrict entry_value = ring->FIELD;                                 \
    guint64 mask = ring->entry_mask;                                            \
                                                                                \
    for (guint i = 0; i < n; i++)                                               \
      {                                                                         \
        REAL v = src[index ? index[i] : i];                                     \
                                                                                \
        entry_index[e & mask] = base + i;                                       \
        entry_value[e & mask] = (STORED) v;                                     \
        e += v != 0;                                                            \
      }                                                                         \
    return e;                                                                   \
  }
DEFINE_SCAN (scan_f32, float, entry_value32, float)
DEFINE_SCAN (scan_f64, double, entry_value, double)
/* A float32 plan's record holds floats widened to double: narrowing them
 * back is exact. */
DEFINE_SCAN (scan_record_f32, double, entry_value32, float)

#if defined(__x86_64__)
#include <immintrin.h>

/* scan_f32 () for contiguous values, 16 at a time: a compare gives the
 * spiking lanes and a compress packs them, so the work follows the spikes
 * (a few in a hundred values), not the neurons.  Same test as v != 0:
 * NaN is kept, −0 is not. */
/* Packs the spiking lanes (hit) of v, at positions base … base + 15, at
 * entry `at`, which has 16 entries free before the end of the ring.
 * Compressing in registers, then a masked store: a compressing store to
 * memory is microcoded, several times slower. */
__attribute__ ((target ("avx512f"))) static inline void
pack16 (guint32   *entry_index,
        float     *entry_value,
        guint64    at,
        __m512     v,
        __mmask16  hit,
        guint      base)
{
  const __m512i iota = _mm512_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __mmask16 first_k = (__mmask16) ((1u << __builtin_popcount (hit)) - 1);
  __m512i positions = _mm512_add_epi32 (iota, _mm512_set1_epi32 ((int) base));

  _mm512_mask_storeu_epi32 (entry_index + at, first_k, _mm512_maskz_compress_epi32 (hit, positions));
  _mm512_mask_storeu_ps (entry_value + at, first_k, _mm512_maskz_compress_ps (hit, v));
}

__attribute__ ((target ("avx512f"))) static guint64
scan_f32_avx512 (SpkRunnerRing *ring,
                 const float   *src,
                 guint          n,
                 guint          base,
                 guint64        e)
{
  guint32 *restrict entry_index = ring->entry_index;
  float *restrict entry_value = ring->entry_value32;
  guint64 mask = ring->entry_mask;
  const __m512 zero = _mm512_setzero_ps ();
  guint i = 0;

  /* 64 neurons at a time while no sample can reach the end of the ring:
   * four independent compares and packs, their places known from the
   * counts up front, so they overlap. */
  for (; i + 64 <= n && (e & mask) + 64 <= mask + 1; i += 64)
    {
      __m512 v0 = _mm512_loadu_ps (src + i), v1 = _mm512_loadu_ps (src + i + 16);
      __m512 v2 = _mm512_loadu_ps (src + i + 32), v3 = _mm512_loadu_ps (src + i + 48);
      __mmask16 h0 = _mm512_cmp_ps_mask (v0, zero, _CMP_NEQ_UQ), h1 = _mm512_cmp_ps_mask (v1, zero, _CMP_NEQ_UQ);
      __mmask16 h2 = _mm512_cmp_ps_mask (v2, zero, _CMP_NEQ_UQ), h3 = _mm512_cmp_ps_mask (v3, zero, _CMP_NEQ_UQ);
      guint64 at = e & mask;
      guint k0 = __builtin_popcount (h0), k1 = __builtin_popcount (h1), k2 = __builtin_popcount (h2);

      if ((h0 | h1 | h2 | h3) == 0)
        continue;
      pack16 (entry_index, entry_value, at, v0, h0, base + i);
      pack16 (entry_index, entry_value, at + k0, v1, h1, base + i + 16);
      pack16 (entry_index, entry_value, at + k0 + k1, v2, h2, base + i + 32);
      pack16 (entry_index, entry_value, at + k0 + k1 + k2, v3, h3, base + i + 48);
      e += k0 + k1 + k2 + __builtin_popcount (h3);
    }
  /* The rest, 16 at a time, through a small buffer where the ring wraps. */
  for (; i < n; i += 16)
    {
      __mmask16 live = n - i >= 16 ? (__mmask16) 0xffff : (__mmask16) ((1u << (n - i)) - 1);
      __m512 v = _mm512_maskz_loadu_ps (live, src + i);
      __mmask16 hit = _mm512_mask_cmp_ps_mask (live, v, zero, _CMP_NEQ_UQ);
      guint64 at = e & mask;
      int k = __builtin_popcount (hit);

      if (hit == 0)
        continue;
      if (at + 16 <= mask + 1)
        pack16 (entry_index, entry_value, at, v, hit, base + i);
      else
        {
          float values[16];
          guint32 positions[16];

          pack16 (positions, values, 0, v, hit, base + i);
          for (int j = 0; j < k; j++)
            {
              entry_index[(e + j) & mask] = positions[j];
              entry_value[(e + j) & mask] = values[j];
            }
        }
      e += k;
    }
  return e;
}

static gboolean
have_avx512 (void)
{
  return spk_cpu_isa () == SPK_ISA_AVX512;
}
#endif

/* The producer, holding samples back: the ring is full as last seen.
 * Says so in held, then looks at the reader's tail once more: a reader
 * that freed room before it could see held is seen here, and one that
 * frees it later sees held (both sides' accesses are sequentially
 * consistent), so held samples never wait on a reader that already left.
 * TRUE if there is room after all (tail and entry_tail are updated). */
static gboolean
held_room (SpkRunnerRing *ring,
           guint64        head,
           guint64        entry_head,
           guint64       *tail,
           guint64       *entry_tail)
{
  atomic_store (&ring->held, TRUE);
  *tail = atomic_load (&ring->tail);
  if (entry_tail != NULL)
    *entry_tail = atomic_load (&ring->entry_tail);
  return head - *tail < ring->capacity
         && (entry_tail == NULL || ring->entry_capacity - (entry_head - *entry_tail) >= ring->width);
}

/* The sparse producer: keeps a sample's nonzero values.  A sample needs
 * up to width entries, so it is written only when that many are free. */
static guint64
push_sparse (SpkRunnerRing *ring,
             SpkSimulator  *sim,
             guint          probe,
             guint64        from,
             guint64        to,
             guint64        epoch,
             gboolean       hold)
{
  const double *record = (const double *) (gpointer) sim->records[probe].data->data;
  const double *record_times = (const double *) (gpointer) sim->records[probe].times->data;
  guint64 head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  guint64 seq = atomic_load_explicit (&ring->offered, memory_order_relaxed);
  guint64 tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  guint64 entry_tail = atomic_load_explicit (&ring->entry_tail, memory_order_acquire);
  guint64 entry_head = ring->entry_head;
  guint width = ring->width;
  guint64 k;

  for (k = from; k < to; k++)
    {
      const double *sample = record + k * width;
      guint64 slot, start = entry_head;

      if (head - tail >= ring->capacity
          || ring->entry_capacity - (entry_head - entry_tail) < width)
        {
          tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
          entry_tail = atomic_load_explicit (&ring->entry_tail, memory_order_acquire);
          if ((head - tail >= ring->capacity
               || ring->entry_capacity - (entry_head - entry_tail) < width)
              && !(hold && held_room (ring, head, entry_head, &tail, &entry_tail)))
            {
              if (hold)
                break;
              seq++;
              continue;
            }
        }
      entry_head = ring->values_f32 ? scan_record_f32 (ring, sample, NULL, width, 0, entry_head)
                                    : scan_f64 (ring, sample, NULL, width, 0, entry_head);
      slot = head & ring->mask;
      ring->starts[slot] = start;
      ring->counts[slot] = (guint32) (entry_head - start);
      ring->times[slot] = record_times[k];
      ring->seqs[slot] = seq;
      ring->epochs[slot] = epoch;
      head++;
      seq++;
    }
  ring->entry_head = entry_head;
  atomic_store_explicit (&ring->head, head, memory_order_release);
  atomic_store_explicit (&ring->offered, seq, memory_order_release);
  if (k == to && atomic_load_explicit (&ring->held, memory_order_relaxed))
    atomic_store (&ring->held, FALSE);
  return k;
}


/* One batch row of a probe, from the simulator's arena at element at. */
static guint64
scan_row (SpkRunnerRing      *ring,
          SpkSimulator       *sim,
          const SpkPlanProbe *pp,
          gsize               at,
          guint               base,
          guint64             e)
{
  if (sim->plan->dtype == SPK_DTYPE_FLOAT64)
    return scan_f64 (ring, (const double *) sim->arena + at, pp->index, pp->size, base, e);
#if defined(__x86_64__)
  if (pp->index == NULL && have_avx512 ())
    return scan_f32_avx512 (ring, (const float *) sim->arena + at, pp->size, base, e);
#endif
  return scan_f32 (ring, (const float *) sim->arena + at, pp->index, pp->size, base, e);
}

void
_spk_runner_ring_push_sparse_now (SpkRunnerRing *ring,
                                  SpkSimulator  *sim,
                                  guint          probe,
                                  guint64        epoch)
{
  const SpkPlan *plan = sim->plan;
  const SpkPlanProbe *pp = g_ptr_array_index (plan->probes, probe);
  const SpkPlanSignal *signal = g_ptr_array_index (plan->signals, pp->view.sig);
  guint64 head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  guint64 seq = atomic_load_explicit (&ring->offered, memory_order_relaxed);
  guint64 entry_head = ring->entry_head;
  gsize at = sim->offsets[pp->view.sig] + pp->view.off;
  guint64 slot;

  g_assert (ring->sparse);
  if (pp->period > 1.0 && fmod ((double) sim->step, pp->period) >= 1.0)
    return;
  if (head - atomic_load_explicit (&ring->tail, memory_order_acquire) >= ring->capacity
      || ring->entry_capacity - (entry_head - atomic_load_explicit (&ring->entry_tail, memory_order_acquire))
         < ring->width)
    {
      atomic_store_explicit (&ring->offered, seq + 1, memory_order_release);
      return;
    }
  for (guint b = 0; b < sim->batch; b++)
    entry_head = scan_row (ring, sim, pp, (gsize) at + (gsize) b * signal->size, b * pp->size, entry_head);
  slot = head & ring->mask;
  ring->starts[slot] = ring->entry_head;
  ring->counts[slot] = (guint32) (entry_head - ring->entry_head);
  /* As the simulator's records time it (NEF-FACTS §1). */
  ring->times[slot] = (double) sim->step * plan->dt;
  ring->seqs[slot] = seq;
  ring->epochs[slot] = epoch;
  ring->entry_head = entry_head;
  atomic_store_explicit (&ring->head, head + 1, memory_order_release);
  atomic_store_explicit (&ring->offered, seq + 1, memory_order_release);
}

void
_spk_runner_ring_push_dense_now (SpkRunnerRing *ring,
                                 SpkSimulator  *sim,
                                 guint          probe,
                                 guint64        epoch)
{
  const SpkPlan *plan = sim->plan;
  const SpkPlanProbe *pp = g_ptr_array_index (plan->probes, probe);
  const SpkPlanSignal *signal = g_ptr_array_index (plan->signals, pp->view.sig);
  guint64 head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  guint64 seq = atomic_load_explicit (&ring->offered, memory_order_relaxed);
  gsize at = sim->offsets[pp->view.sig] + pp->view.off;
  guint64 slot;
  double *out;

  g_assert (!ring->sparse);
  if (pp->period > 1.0 && fmod ((double) sim->step, pp->period) >= 1.0)
    return;
  if (head - atomic_load_explicit (&ring->tail, memory_order_acquire) >= ring->capacity)
    {
      atomic_store_explicit (&ring->offered, seq + 1, memory_order_release);
      return;
    }
  slot = head & ring->mask;
  out = ring->data + slot * ring->width;
  /* As the simulator's record converts it: every value to double. */
  for (guint b = 0; b < sim->batch; b++, out += pp->size)
    if (plan->dtype == SPK_DTYPE_FLOAT32)
      {
        const float *row = (const float *) sim->arena + at + (gsize) b * signal->size;

        for (guint i = 0; i < pp->size; i++)
          out[i] = row[pp->index ? pp->index[i] : i];
      }
    else
      {
        const double *row = (const double *) sim->arena + at + (gsize) b * signal->size;

        for (guint i = 0; i < pp->size; i++)
          out[i] = row[pp->index ? pp->index[i] : i];
      }
  ring->times[slot] = (double) sim->step * plan->dt;
  ring->seqs[slot] = seq;
  ring->epochs[slot] = epoch;
  atomic_store_explicit (&ring->head, head + 1, memory_order_release);
  atomic_store_explicit (&ring->offered, seq + 1, memory_order_release);
}

guint64
_spk_runner_ring_push_from_simulator (SpkRunnerRing *ring,
                                      SpkSimulator  *sim,
                                      guint          probe,
                                      guint64        from,
                                      guint64        to,
                                      guint64        epoch,
                                      gboolean       hold)
{
  guint64 head = atomic_load_explicit (&ring->head, memory_order_relaxed);
  guint64 seq = atomic_load_explicit (&ring->offered, memory_order_relaxed);
  guint64 tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
  guint64 k;

  if (ring->sparse)
    return push_sparse (ring, sim, probe, from, to, epoch, hold);
  for (k = from; k < to; k++)
    {
      guint64 slot;

      if (head - tail >= ring->capacity)
        {
          /* Full as last seen: look again once before dropping. */
          tail = atomic_load_explicit (&ring->tail, memory_order_acquire);
          if (head - tail >= ring->capacity && !(hold && held_room (ring, head, 0, &tail, NULL)))
            {
              if (hold)
                break;
              seq++;
              continue;
            }
        }
      slot = head & ring->mask;
      spk_simulator_get_probe_sample (sim, probe, k, ring->data + slot * ring->width,
                                      &ring->times[slot]);
      ring->seqs[slot] = seq;
      ring->epochs[slot] = epoch;
      head++;
      seq++;
    }
  /* head before offered: a consumer that reads offered and then head sees
   * every written sample below offered (see _spk_runner_ring_read). */
  atomic_store_explicit (&ring->head, head, memory_order_release);
  atomic_store_explicit (&ring->offered, seq, memory_order_release);
  if (k == to && atomic_load_explicit (&ring->held, memory_order_relaxed))
    atomic_store (&ring->held, FALSE);
  return k;
}

/* Ends a read of the n samples from tail, for either kind of ring: hands
 * their slots (and a sparse ring's entries) back to the producer, and adds
 * to lost what was dropped after them.  Returns n. */
static guint
finish_read (SpkRunnerRing *ring,
             guint64        tail,
             guint64        n,
             guint64        head,
             guint64        offered,
             guint64        lost,
             guint64       *n_lost)
{
  if (ring->sparse && n > 0)
    {
      guint64 last = (tail + n - 1) & ring->mask;

      atomic_store_explicit (&ring->entry_tail, ring->starts[last] + ring->counts[last],
                             memory_order_release);
    }
  /* Sequentially consistent, as the producer's look at held and tail
   * (see held_room ()). */
  atomic_store (&ring->tail, tail + n);
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
      if (data && ring->sparse)
        {
          double *row = data + i * ring->width;

          memset (row, 0, ring->width * sizeof (double));
          for (guint32 j = 0; j < ring->counts[slot]; j++)
            {
              guint64 e = (ring->starts[slot] + j) & ring->entry_mask;

              row[ring->entry_index[e]] = ring->values_f32 ? ring->entry_value32[e] : ring->entry_value[e];
            }
        }
      else if (data)
        memcpy (data + i * ring->width, ring->data + slot * ring->width,
                ring->width * sizeof (double));
      if (times)
        times[i] = ring->times[slot];
      /* Sequence numbers skipped before this sample were dropped. */
      lost += ring->seqs[slot] - ring->expected;
      ring->expected = ring->seqs[slot] + 1;
    }
  return finish_read (ring, tail, n, head, offered, lost, n_lost);
}

guint
_spk_runner_ring_read_sparse (SpkRunnerRing *ring,
                              guint32       *counts,
                              guint32       *index,
                              double        *values,
                              guint          max_entries,
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
  guint used = 0;

  g_assert (ring->sparse);
  for (guint64 i = 0; i < n; i++)
    {
      guint64 slot = (tail + i) & ring->mask;
      guint32 count = ring->counts[slot];
      guint64 first = ring->starts[slot] & ring->entry_mask;
      guint32 before_wrap = (guint32) MIN ((guint64) count, ring->entry_capacity - first);

      if (ring->epochs[slot] > max_epoch || count > max_entries - used)
        {
          n = i;
          break;
        }
      /* The sample's entries are contiguous but for one wrap. */
      memcpy (index + used, ring->entry_index + first, before_wrap * sizeof (guint32));
      memcpy (index + used + before_wrap, ring->entry_index, (count - before_wrap) * sizeof (guint32));
      if (ring->values_f32)
        for (guint32 j = 0; j < count; j++)
          values[used + j] = ring->entry_value32[(first + j) & ring->entry_mask];
      else
        {
          memcpy (values + used, ring->entry_value + first, before_wrap * sizeof (double));
          memcpy (values + used + before_wrap, ring->entry_value, (count - before_wrap) * sizeof (double));
        }
      used += count;
      counts[i] = count;
      if (times)
        times[i] = ring->times[slot];
      lost += ring->seqs[slot] - ring->expected;
      ring->expected = ring->seqs[slot] + 1;
    }
  return finish_read (ring, tail, n, head, offered, lost, n_lost);
}
