/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-floor.c — a step's floor, measured on the spot.
 *
 * The floor of a step is the time its essential work takes in the best
 * layout this machine allows:
 *
 * - every neuron of one type (batch rows included) updated in one
 *   contiguous call, split over all the pool's threads or kept in one,
 *   whichever is faster, on a copy of the network's own currents and
 *   states (spk_simulator_dup_step_work());
 * - plus, for each product, the larger of its bytes (weights, input,
 *   output) at the read bandwidth measured over a buffer the size of all
 *   the products' weights (so weights that fit in the caches are read at
 *   cache speed, as the best layout would), and its flops at the
 *   multiply-add peak of the vector width the kernels use.
 *
 * Everything else a step does — resets, copies, synapse filters, moving
 * from one small operator to the next — counts against the simulator.
 * The step itself is timed beside them: 21 rounds, each timing one pass
 * of about 2 ms of the step and of every part of the floor in turn, and
 * each figure is its best pass.  On a machine shared with other work the
 * best passes are those the others left alone, for the step and the
 * floor alike, so their ratio holds better than either time.
 */
#define G_LOG_DOMAIN "spk-bench"

#include "bench/spk-bench-floor.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "core/spk-cpu.h"
#include "core/spk-pool.h"
#include "sim/spk-step-work.h"

#define ROUNDS 21
#define PASS_SECONDS 0.002

/* One thing timed: as many calls per pass as fill PASS_SECONDS, and the
 * best pass so far (seconds per call). */
typedef struct
{
  SpkBenchFunc func;
  gpointer     data;
  guint64      calls;
  double       best;
} Timed;

static void
timed_init (Timed        *t,
            SpkBenchFunc  func,
            gpointer      data)
{
  g_autoptr (GTimer) timer = g_timer_new ();

  t->func = func;
  t->data = data;
  t->best = G_MAXDOUBLE;
  func (data);   /* warm the caches and the pool's threads */
  g_timer_start (timer);
  func (data);
  t->calls = (guint64) (PASS_SECONDS / MAX (g_timer_elapsed (timer, NULL), 1e-9)) + 1;
}

static void
timed_pass (Timed *t)
{
  g_autoptr (GTimer) timer = g_timer_new ();

  for (guint64 c = 0; c < t->calls; c++)
    t->func (t->data);
  t->best = MIN (t->best, g_timer_elapsed (timer, NULL) / t->calls);
}

/* ---- neurons ---- */

typedef struct
{
  SpkStepWork *work;
  guint        group;
  gsize        min_split;   /* spk_pool_for's threshold: 0 splits, G_MAXSIZE keeps one thread */
} NeuronJob;

static void
neuron_part (gpointer data,
             gsize    begin,
             gsize    end)
{
  NeuronJob *job = data;

  spk_step_work_update (job->work, job->group, begin, end);
}

static void
neuron_call (gpointer data)
{
  NeuronJob *job = data;
  SpkStepNeurons *g = g_ptr_array_index (job->work->neurons, job->group);

  spk_pool_for (neuron_part, job, g->count, 64, job->min_split);
}

/* ---- bandwidth ---- */

typedef struct
{
  const float *data;
  gsize        n;
  gsize        min_split;  /* as NeuronJob's */
  float        sums[64];   /* one per part, kept so the reads are not optimised away */
} ReadJob;

SPK_ISA_BODY float
read_sum_body (const float *restrict x,
               gsize                 n)
{
  float acc[32] = { 0 };

  for (gsize i = 0; i + 32 <= n; i += 32)
    for (guint k = 0; k < 32; k++)
      acc[k] += x[i + k];
  for (guint k = 1; k < 32; k++)
    acc[0] += acc[k];
  return acc[0];
}
SPK_ISA_DISPATCH (static, float, read_sum, read_sum_body,
                  (const float *restrict x, gsize n),
                  (x, n))

static void
read_part (gpointer data,
           gsize    begin,
           gsize    end)
{
  ReadJob *job = data;

  job->sums[(begin * 64 / MAX (job->n, 1)) % 64] += read_sum (job->data + begin, end - begin);
}

static void
read_call (gpointer data)
{
  ReadJob *job = data;

  spk_pool_for (read_part, job, job->n, 1024, job->min_split);
}

/* ---- multiply-add peak ---- */

#define FMA_CHAINS 12
#define FMA_ROUNDS 64

typedef struct
{
  gboolean f64;
  double   sink[64];
} PeakJob;

/* FMA_ROUNDS × FMA_CHAINS independent multiply-adds per unit of work, on
 * vectors of the widest kind the engine's kernels use; returns lanes. */
#if defined(__x86_64__)
#define PEAK_LOOP(type, set1, fma, add, store, lanes, elem) \
  { \
    type acc[FMA_CHAINS]; \
    const type a = set1 ((elem) 0.999999), b = set1 ((elem) 1e-7); \
    elem out[lanes]; \
    _Pragma ("GCC unroll 16") \
    for (int j = 0; j < FMA_CHAINS; j++) \
      acc[j] = set1 ((elem) j); \
    for (gsize u = 0; u < units; u++) \
      for (int r = 0; r < FMA_ROUNDS; r++) \
        _Pragma ("GCC unroll 16") \
        for (int j = 0; j < FMA_CHAINS; j++) \
          acc[j] = fma (acc[j], a, b); \
    _Pragma ("GCC unroll 16") \
    for (int j = 1; j < FMA_CHAINS; j++) \
      acc[0] = add (acc[0], acc[j]); \
    store (out, acc[0]); \
    return out[0]; \
  }

__attribute__ ((target ("avx512f"))) static double
peak_avx512_f32 (gsize units)
PEAK_LOOP (__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, _mm512_storeu_ps, 16, float)
__attribute__ ((target ("avx512f"))) static double
peak_avx512_f64 (gsize units)
PEAK_LOOP (__m512d, _mm512_set1_pd, _mm512_fmadd_pd, _mm512_add_pd, _mm512_storeu_pd, 8, double)
__attribute__ ((target ("avx2,fma"))) static double
peak_avx2_f32 (gsize units)
PEAK_LOOP (__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_storeu_ps, 8, float)
__attribute__ ((target ("avx2,fma"))) static double
peak_avx2_f64 (gsize units)
PEAK_LOOP (__m256d, _mm256_set1_pd, _mm256_fmadd_pd, _mm256_add_pd, _mm256_storeu_pd, 4, double)
#define SSE_FMA_PS(x, a, b) _mm_add_ps (_mm_mul_ps ((x), (a)), (b))
#define SSE_FMA_PD(x, a, b) _mm_add_pd (_mm_mul_pd ((x), (a)), (b))
static double
peak_sse_f32 (gsize units)
PEAK_LOOP (__m128, _mm_set1_ps, SSE_FMA_PS, _mm_add_ps, _mm_storeu_ps, 4, float)
static double
peak_sse_f64 (gsize units)
PEAK_LOOP (__m128d, _mm_set1_pd, SSE_FMA_PD, _mm_add_pd, _mm_storeu_pd, 2, double)
#endif

/* Vector lanes of one multiply-add at the engine's instruction set. */
static guint
peak_lanes (gboolean f64)
{
#if defined(__x86_64__)
  switch (spk_cpu_isa ())
    {
    case SPK_ISA_AVX512: return f64 ? 8 : 16;
    case SPK_ISA_AVX2: return f64 ? 4 : 8;
    default: return f64 ? 2 : 4;
    }
#else
  return 1;
#endif
}

static double
peak_units (gboolean f64,
            gsize    units)
{
#if defined(__x86_64__)
  switch (spk_cpu_isa ())
    {
    case SPK_ISA_AVX512: return f64 ? peak_avx512_f64 (units) : peak_avx512_f32 (units);
    case SPK_ISA_AVX2: return f64 ? peak_avx2_f64 (units) : peak_avx2_f32 (units);
    default: return f64 ? peak_sse_f64 (units) : peak_sse_f32 (units);
    }
#else
  {
    volatile double x = 0;

    for (gsize u = 0; u < units * FMA_ROUNDS * FMA_CHAINS; u++)
      x = x * 0.999999 + 1e-7;
    return x;
  }
#endif
}

#define PEAK_UNITS 4096

static void
peak_part (gpointer data,
           gsize    begin,
           gsize    end)
{
  PeakJob *job = data;

  job->sink[(begin * 64 / PEAK_UNITS) % 64] += peak_units (job->f64, end - begin);
}

static void
peak_call (gpointer data)
{
  spk_pool_for (peak_part, data, PEAK_UNITS, 1, 0);
}

void
spk_bench_floor_measure (SpkSimulator  *sim,
                         SpkBenchFunc   step,
                         gpointer       step_data,
                         guint          steps_per_call,
                         SpkBenchFloor *floor)
{
  g_autoptr (SpkStepWork) work = spk_simulator_dup_step_work (sim);
  guint n_groups = work->neurons->len;
  gboolean split = spk_pool_get_n_threads () > 1;
  g_autofree NeuronJob *neurons = g_new0 (NeuronJob, 2 * MAX (n_groups, 1));
  g_autofree float *buffer = NULL;
  ReadJob reads[2] = { { 0 } };
  PeakJob peak = { work->dtype == SPK_DTYPE_FLOAT64, { 0 } };
  g_autoptr (GArray) timed = g_array_new (FALSE, TRUE, sizeof (Timed));
  guint n_timed;

  memset (floor, 0, sizeof *floor);
  /* Timed things, in this order: the step; per neuron group its update in
   * one thread and split; the products' reads in one thread and split;
   * the multiply-add peak. */
  g_array_set_size (timed, 1 + 2 * n_groups + 3);
  for (guint i = 0; i < timed->len; i++)
    g_array_index (timed, Timed, i).best = G_MAXDOUBLE;   /* not timed: never the best */
  timed_init (&g_array_index (timed, Timed, 0), step, step_data);
  for (guint g = 0; g < n_groups; g++)
    {
      neurons[2 * g] = (NeuronJob) { work, g, G_MAXSIZE };
      neurons[2 * g + 1] = (NeuronJob) { work, g, 0 };
      timed_init (&g_array_index (timed, Timed, 1 + 2 * g), neuron_call, &neurons[2 * g]);
      if (split)
        timed_init (&g_array_index (timed, Timed, 2 + 2 * g), neuron_call, &neurons[2 * g + 1]);
    }
  if (work->products->len > 0)
    {
      /* The products' weights, kept between 64 KiB and 256 MiB. */
      guint64 bytes = CLAMP (spk_step_work_weight_bytes (work), (guint64) 64 << 10, (guint64) 256 << 20);
      gsize n = (gsize) (bytes / sizeof (float)) / 1024 * 1024;

      buffer = g_new (float, n);
      for (gsize i = 0; i < n; i++)
        buffer[i] = 1.0f;
      reads[0] = (ReadJob) { buffer, n, G_MAXSIZE, { 0 } };
      reads[1] = (ReadJob) { buffer, n, 0, { 0 } };
      timed_init (&g_array_index (timed, Timed, 1 + 2 * n_groups), read_call, &reads[0]);
      if (split)
        timed_init (&g_array_index (timed, Timed, 2 + 2 * n_groups), read_call, &reads[1]);
      timed_init (&g_array_index (timed, Timed, 3 + 2 * n_groups), peak_call, &peak);
    }
  n_timed = timed->len;
  for (int r = 0; r < ROUNDS; r++)
    for (guint i = 0; i < n_timed; i++)
      if (g_array_index (timed, Timed, i).func != NULL)
        timed_pass (&g_array_index (timed, Timed, i));

  floor->step_s = g_array_index (timed, Timed, 0).best / MAX (steps_per_call, 1);
  floor->n_threads = 1;
  for (guint g = 0; g < n_groups; g++)
    {
      double one_s = g_array_index (timed, Timed, 1 + 2 * g).best;
      double all_s = g_array_index (timed, Timed, 2 + 2 * g).best;   /* G_MAXDOUBLE unless split */

      if (all_s < one_s)
        floor->n_threads = spk_pool_get_n_threads ();
      floor->neurons_s += MIN (one_s, all_s);
    }
  if (work->products->len > 0)
    {
      double read_s = MIN (g_array_index (timed, Timed, 1 + 2 * n_groups).best,
                           g_array_index (timed, Timed, 2 + 2 * n_groups).best);

      floor->bandwidth = reads[0].n * sizeof (float) / read_s;
      floor->peak_flops = 2.0 * PEAK_UNITS * FMA_ROUNDS * FMA_CHAINS * peak_lanes (peak.f64)
                          / g_array_index (timed, Timed, 3 + 2 * n_groups).best;
      for (guint i = 0; i < work->products->len; i++)
        {
          const SpkStepProduct *p = &g_array_index (work->products, SpkStepProduct, i);

          floor->products_s += MAX (p->bytes / floor->bandwidth, p->flops / floor->peak_flops);
        }
    }
  floor->floor_s = floor->neurons_s + floor->products_s;
}
