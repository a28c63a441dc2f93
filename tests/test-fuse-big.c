/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fuse-big.c — a large neuron group's step fused with its encoders
 * and decoders (engine/sim/spk-simulator-fuse-big.c) and its kernels
 * (engine/ops/spk-ops-encode-decode.c).
 *
 * The kernels are checked against their definition (the order of their
 * fused multiply-adds, written out here with fmaf()) bit for bit on every
 * instruction set this machine has, and against double precision; the
 * fused step against the separate operators within float32 round-off, one
 * thread against two bit for bit, and the cases it must leave alone. */
#include "spk-test-util.h"

#include <math.h>
#include <string.h>

#include "core/spk-cpu.h"
#include "core/spk-pool.h"
#include "ops/spk-ops-encode-decode.h"
#include "sim/spk-simulator-fuse-big.h"

/* The instruction sets to try: the portable loops and what the CPU has. */
static guint
isas (SpkIsa out[3])
{
  guint n = 0;

  out[n++] = SPK_ISA_BASELINE;
  if (spk_cpu_isa () >= SPK_ISA_AVX2)
    out[n++] = SPK_ISA_AVX2;
  if (spk_cpu_isa () >= SPK_ISA_AVX512)
    out[n++] = SPK_ISA_AVX512;
  return n;
}

static gboolean
same_bits (const float *a,
           const float *b,
           gsize        n)
{
  return memcmp (a, b, n * sizeof (float)) == 0;
}

/* J = bias + Σ_d Eᵀ[d]·x[d], by the definition: every instruction set gives
 * these bits, and they are within float32 round-off of the double sum. */
static void
test_encode_kernel (void)
{
  const gsize sizes[] = { 1, 7, 15, 16, 17, 31, 63, 64, 65, 200, 1001 };
  const guint dims_list[] = { 1, 3, 16 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  SpkIsa isa[3];
  guint n_isa = isas (isa);

  for (guint si = 0; si < G_N_ELEMENTS (sizes); si++)
    for (guint di = 0; di < G_N_ELEMENTS (dims_list); di++)
      {
        const gsize n = sizes[si], stride = n + 5;
        const guint dims = dims_list[di];
        g_autofree float *bias = g_new (float, n), *enc = g_new (float, stride * dims);
        g_autofree float *x = g_new (float, dims), *want = g_new (float, n), *J = g_new (float, n + 1);

        for (gsize i = 0; i < n; i++)
          bias[i] = (float) g_rand_double_range (rand, -5, 5);
        for (gsize i = 0; i < stride * dims; i++)
          enc[i] = (float) g_rand_double_range (rand, -2, 2);
        for (guint d = 0; d < dims; d++)
          x[d] = (float) g_rand_double_range (rand, -1, 1);
        for (gsize i = 0; i < n; i++)
          {
            float v = bias[i];
            double exact = bias[i], scale = fabs (bias[i]);

            for (guint d = 0; d < dims; d++)
              {
                v = fmaf (enc[d * stride + i], x[d], v);
                exact += (double) enc[d * stride + i] * x[d];
                scale += fabs ((double) enc[d * stride + i] * x[d]);
              }
            want[i] = v;
            g_assert_cmpfloat (fabs (v - exact), <=, 1e-6 * scale);
          }
        for (guint k = 0; k < n_isa; k++)
          {
            J[n] = 42.0f;   /* one past the end: never written */
            spk_encode_block_f32 (isa[k], J, bias, enc, stride, x, dims, n);
            if (!same_bits (J, want, n))
              g_error ("%s: encoders of %zu neurons, %u dims differ from their definition",
                       spk_isa_to_name (isa[k]), n, dims);
            g_assert_cmpfloat (J[n], ==, 42.0f);
          }
      }
}

/* The block's decoded sums by their definition: the k-th nonzero
 * activity into partial sum k mod 4 by fmaf(), then (s0 + s1) + (s2 + s3). */
static void
decode_definition (float       *sums,
                   const float *dec,
                   guint        rows,
                   const float *act,
                   gsize        n)
{
  for (guint r = 0; r < rows; r++)
    {
      float s[4] = { 0 };
      guint k = 0;

      for (gsize i = 0; i < n; i++)
        if (act[i] != 0.0f || isnan (act[i]))
          {
            s[k % 4] = fmaf (act[i], dec[i * rows + r], s[k % 4]);
            k++;
          }
      sums[r] = (s[0] + s[1]) + (s[2] + s[3]);
    }
}

static void
test_decode_kernel (void)
{
  const gsize sizes[] = { 1, 5, 16, 17, 33, 64, 100, 625, 1001 };
  const guint rows_list[] = { 16, 32, 48, 64 };
  const double active[] = { 0.0, 0.1, 1.0 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  SpkIsa isa[3];
  guint n_isa = isas (isa);

  for (guint si = 0; si < G_N_ELEMENTS (sizes); si++)
    for (guint ri = 0; ri < G_N_ELEMENTS (rows_list); ri++)
      for (guint ai = 0; ai < G_N_ELEMENTS (active); ai++)
        {
          const gsize n = sizes[si];
          const guint rows = rows_list[ri];
          g_autofree float *dec = g_new (float, n * rows), *act = g_new (float, n);
          g_autofree float *want = g_new (float, rows), *sums = g_new (float, rows);
          g_autofree guint32 *idx = g_new (guint32, n + SPK_DECODE_IDX_SLACK);

          for (gsize i = 0; i < n * rows; i++)
            dec[i] = (float) g_rand_double_range (rand, -1e-3, 1e-3);
          /* Spikes (1/dt), rates and a few negative values; the rest zero. */
          for (gsize i = 0; i < n; i++)
            act[i] = g_rand_double (rand) >= active[ai] ? 0.0f
                     : i % 3 == 0 ? 1000.0f : (float) g_rand_double_range (rand, -50, 400);
          decode_definition (want, dec, rows, act, n);
          for (guint r = 0; r < rows; r++)
            {
              double exact = 0, scale = 0;

              for (gsize i = 0; i < n; i++)
                {
                  exact += (double) act[i] * dec[i * rows + r];
                  scale += fabs ((double) act[i] * dec[i * rows + r]);
                }
              g_assert_cmpfloat (fabs (want[r] - exact), <=, 1e-6 * scale + 1e-30);
            }
          for (guint k = 0; k < n_isa; k++)
            {
              memset (sums, 0xff, rows * sizeof (float));   /* NaN: every row must be written */
              spk_decode_block_f32 (isa[k], sums, dec, rows, act, n, idx);
              if (!same_bits (sums, want, rows))
                g_error ("%s: decoders of %zu neurons, %u rows, %.0f %% active differ from their definition",
                         spk_isa_to_name (isa[k]), n, rows, 100 * active[ai]);
            }
        }
}

/* A NaN or infinite activity is never skipped as silent: it reaches the
 * sums, as it would in the product. */
static void
test_decode_nonfinite (void)
{
  const gsize n = 40;
  const guint rows = 16;
  const float bad[] = { NAN, INFINITY };
  g_autofree float *dec = g_new (float, n * rows), *act = g_new0 (float, n), *sums = g_new (float, rows);
  g_autofree guint32 *idx = g_new (guint32, n + SPK_DECODE_IDX_SLACK);
  SpkIsa isa[3];
  guint n_isa = isas (isa);

  for (gsize i = 0; i < n * rows; i++)
    dec[i] = 0.5f;
  for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
    for (guint k = 0; k < n_isa; k++)
      {
        act[37] = bad[b];
        spk_decode_block_f32 (isa[k], sums, dec, rows, act, n, idx);
        for (guint r = 0; r < rows; r++)
          g_assert_true (isnan (bad[b]) ? isnan (sums[r]) : isinf (sums[r]));
      }
}

/* ---- the fused step ---- */

#define BIG_N 2400
#define BIG_D 8

typedef struct
{
  SpkPlan      *plan;
  SpkSimulator *sim;
  guint         n_big;     /* neuron ops fused as large groups */
  guint         n_folded;  /* ops folded into them or others */
} BigRun;

static void
big_run_clear (BigRun *run)
{
  g_clear_pointer (&run->sim, spk_simulator_free);
  g_clear_pointer (&run->plan, spk_plan_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BigRun, big_run_clear)

/* big-ens in small: an ensemble of BIG_N LIF neurons in BIG_D dimensions
 * driven by sines, a recurrent decoded connection (transform 0.9,
 * synapse tau_rec; tau_rec < 0: none) and probes of its decoded output,
 * its spikes and its input current. */
static SpkNetwork *
big_network (SpkDtype dtype,
             double   tau_rec)
{
  SpkNetwork *net = tu_network (3, dtype);
  g_autoptr (GString) expr = g_string_new ("[");
  g_autoptr (SpkDistribution) gain = spk_distribution_new_scalar (0.9);
  SpkEnsemble *ens;
  SpkNode *stim;
  SpkConnection *rec;

  for (int i = 1; i <= BIG_D; i++)
    g_string_append_printf (expr, "%s0.5*sin(2*pi*%g*t)", i > 1 ? ", " : "", i * 2.0);
  g_string_append (expr, "]");
  stim = tu_node_expr (net, "stim", expr->str);
  ens = tu_ensemble (net, "ens", BIG_N, BIG_D, SPK_NEURON_LIF);
  tu_connect (net, stim, FALSE, ens, FALSE, 0.005);
  rec = tu_connect (net, ens, FALSE, ens, FALSE, tau_rec);
  spk_connection_set_transform (rec, gain);
  tu_probe (net, "decoded", ens, FALSE, NULL, 0.01);
  tu_probe (net, "spikes", ens, TRUE, NULL, -1);
  tu_probe (net, "current", ens, TRUE, "input", -1);
  return net;
}

static void
big_start (BigRun     *run,
           SpkNetwork *net,
           gboolean    fuse,
           gboolean    parallel)
{
  g_autoptr (GError) error = NULL;

  run->plan = spk_build (net, &error);
  g_assert_no_error (error);
  _spk_simulator_fuse_big_enabled = fuse;
  run->sim = spk_simulator_new (run->plan, 1, &error);
  _spk_simulator_fuse_big_enabled = TRUE;
  g_assert_no_error (error);
  spk_simulator_set_parallel (run->sim, parallel);
  run->n_big = run->n_folded = 0;
  for (guint i = 0; i < run->sim->n_ops; i++)
    {
      run->n_big += run->sim->ops[i].big != NULL;
      run->n_folded += run->sim->ops[i].folded;
    }
}

static double *
probe_data (BigRun     *run,
            const char *label,
            gsize      *len)
{
  const int p = spk_plan_find_probe (run->plan, label);
  const gsize n = spk_simulator_get_probe_n_samples (run->sim, p) * spk_plan_get_probe_size (run->plan, p);
  double *data;

  g_assert_cmpint (p, >=, 0);
  data = g_new (double, n);
  spk_simulator_get_probe_data (run->sim, p, data);
  *len = n;
  return data;
}

/* One step from the same state: the fused currents are the separate
 * operators' within float32 round-off (the sums' order differs), and so
 * are the decoded values the step adds. */
static void
test_fused_step (void)
{
  g_autoptr (SpkNetwork) net = big_network (SPK_DTYPE_FLOAT32, 0.1);
  g_auto (BigRun) fused = { 0 }, apart = { 0 };
  g_autoptr (GError) error = NULL;
  gsize n_cur, n_cur2;
  g_autofree double *cur = NULL, *cur2 = NULL;
  double worst = 0;

  big_start (&fused, net, TRUE, TRUE);
  big_start (&apart, net, FALSE, TRUE);
  g_assert_cmpuint (fused.n_big, ==, 1);
  g_assert_cmpuint (apart.n_big, ==, 0);
  /* The biases, encoders and both decoders (recurrent, probe) folded. */
  g_assert_cmpuint (fused.n_folded, >=, apart.n_folded + 3);
  for (guint s = 0; s < 3; s++)
    {
      g_assert_true (spk_simulator_step (fused.sim, &error));
      g_assert_no_error (error);
      g_assert_true (spk_simulator_step (apart.sim, &error));
      g_assert_no_error (error);
    }
  cur = probe_data (&fused, "current", &n_cur);
  cur2 = probe_data (&apart, "current", &n_cur2);
  g_assert_cmpuint (n_cur, ==, 3 * BIG_N);
  g_assert_cmpuint (n_cur2, ==, n_cur);
  /* The first step's input is zero: the biases alone, exactly. */
  for (gsize i = 0; i < BIG_N; i++)
    g_assert_cmpfloat (cur[i], ==, cur2[i]);
  for (gsize i = BIG_N; i < n_cur; i++)
    worst = MAX (worst, fabs (cur[i] - cur2[i]) / MAX (1.0, fabs (cur2[i])));
  g_test_message ("currents: worst relative difference %.3g", worst);
  g_assert_cmpfloat (worst, <=, 1e-5);
  g_assert_cmpfloat (worst, >, 0.0);   /* the recurrence has started: not the biases alone */
}

/* A whole run: the decoded output probe follows the separate operators'
 * within the noise a flipped spike adds (spikes are thresholds, so float32
 * round-off moves a few of them by a step), and both decode the input. */
static void
test_fused_run (void)
{
  const guint T = 300;
  g_autoptr (SpkNetwork) net = big_network (SPK_DTYPE_FLOAT32, 0.1);
  g_auto (BigRun) fused = { 0 }, apart = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree double *a = NULL, *b = NULL, *sa = NULL, *sb = NULL;
  gsize na, nb, nsa, nsb;
  double diff = 0, norm = 0;
  gsize flipped = 0, spikes = 0;

  big_start (&fused, net, TRUE, TRUE);
  big_start (&apart, net, FALSE, TRUE);
  g_assert_true (spk_simulator_run_steps (fused.sim, T, &error));
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (apart.sim, T, &error));
  g_assert_no_error (error);
  a = probe_data (&fused, "decoded", &na);
  b = probe_data (&apart, "decoded", &nb);
  g_assert_cmpuint (na, ==, (gsize) T * BIG_D);
  g_assert_cmpuint (nb, ==, na);
  for (gsize i = 0; i < na; i++)
    {
      diff += (a[i] - b[i]) * (a[i] - b[i]);
      norm += b[i] * b[i];
    }
  sa = probe_data (&fused, "spikes", &nsa);
  sb = probe_data (&apart, "spikes", &nsb);
  for (gsize i = 0; i < nsa; i++)
    {
      flipped += (sa[i] != 0) != (sb[i] != 0);
      spikes += sb[i] != 0;
    }
  g_test_message ("decoded: RMS difference %.3g of RMS %.3g; spikes: %zu of %zu differ",
                  sqrt (diff / na), sqrt (norm / na), flipped, spikes);
  g_assert_cmpfloat (sqrt (norm / na), >, 0.1);
  g_assert_cmpfloat (sqrt (diff / norm), <=, 0.05);
  g_assert_cmpuint (flipped, <=, spikes / 20);
}

/* The blocks and their order do not depend on the threads: one thread and
 * the pool's give the same bits, decoded values, spikes and currents. */
static void
test_fused_threads (void)
{
  const guint T = 200;
  g_autoptr (SpkNetwork) net = big_network (SPK_DTYPE_FLOAT32, 0.1);
  g_auto (BigRun) one = { 0 }, all = { 0 };
  g_autoptr (GError) error = NULL;
  const char *probes[] = { "decoded", "spikes", "current" };

  if (spk_pool_get_n_threads () < 2)
    g_test_message ("the pool has one thread here: both runs are on one");
  big_start (&one, net, TRUE, FALSE);
  big_start (&all, net, TRUE, TRUE);
  g_assert_cmpuint (one.n_big, ==, 1);
  g_assert_true (spk_simulator_run_steps (one.sim, T, &error));
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (all.sim, T, &error));
  g_assert_no_error (error);
  for (guint p = 0; p < G_N_ELEMENTS (probes); p++)
    {
      gsize n1, n2;
      g_autofree double *d1 = probe_data (&one, probes[p], &n1);
      g_autofree double *d2 = probe_data (&all, probes[p], &n2);

      g_assert_cmpuint (n1, ==, n2);
      g_assert_cmpint (memcmp (d1, d2, n1 * sizeof (double)), ==, 0);
    }
}

/* What stays unfused: float64 models (their separate operators keep
 * Nengo's round-off) and minibatches. */
static void
test_fused_refusals (void)
{
  g_autoptr (SpkNetwork) net64 = big_network (SPK_DTYPE_FLOAT64, 0.1);
  g_autoptr (SpkNetwork) net32 = big_network (SPK_DTYPE_FLOAT32, 0.1);
  g_auto (BigRun) f64 = { 0 }, f32 = { 0 };
  g_autoptr (SpkSimulator) batch2 = NULL;
  g_autoptr (GError) error = NULL;

  big_start (&f64, net64, TRUE, TRUE);
  g_assert_cmpuint (f64.n_big, ==, 0);
  big_start (&f32, net32, TRUE, TRUE);
  g_assert_cmpuint (f32.n_big, ==, 1);
  batch2 = spk_simulator_new (f32.plan, 2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < batch2->n_ops; i++)
    g_assert_null (batch2->ops[i].big);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/fuse-big/encode-kernel", test_encode_kernel);
  g_test_add_func ("/spk/fuse-big/decode-kernel", test_decode_kernel);
  g_test_add_func ("/spk/fuse-big/decode-nonfinite", test_decode_nonfinite);
  g_test_add_func ("/spk/fuse-big/step", test_fused_step);
  g_test_add_func ("/spk/fuse-big/run", test_fused_run);
  g_test_add_func ("/spk/fuse-big/threads", test_fused_threads);
  g_test_add_func ("/spk/fuse-big/refusals", test_fused_refusals);
  return g_test_run ();
}
