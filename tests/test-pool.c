/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pool.c — the helper threads for elementwise work: every element
 * done exactly once, in parts aligned to the grain, from one caller or
 * several at once; and a simulation whose neuron update is split between
 * threads gives bit for bit the results of one thread (test.sh also runs
 * this under ThreadSanitizer). */
#include <string.h>

#include "core/spk-pool.h"
#include "core/spk-rng.h"
#include "spk-test-util.h"

typedef struct
{
  guint8 *seen;
  gsize   grain;
  gint    bad_bounds;   /* atomic */
} Marks;

static void
mark (gpointer data,
      gsize    begin,
      gsize    end)
{
  Marks *m = data;

  if (begin % m->grain != 0)
    g_atomic_int_inc (&m->bad_bounds);
  for (gsize i = begin; i < end; i++)
    m->seen[i]++;
}

static void
check_once (gsize n,
            gsize grain,
            gsize min_n)
{
  Marks m = { g_new0 (guint8, MAX (n, 1)), grain, 0 };

  spk_pool_for (mark, &m, n, grain, min_n);
  for (gsize i = 0; i < n; i++)
    if (m.seen[i] != 1)
      g_error ("n %zu grain %zu: element %zu done %u times", n, grain, i, m.seen[i]);
  g_assert_cmpint (m.bad_bounds, ==, 0);
  g_free (m.seen);
}

static void
test_every_element_once (void)
{
  SpkRng rng;

  g_test_message ("%u threads", spk_pool_get_n_threads ());
  spk_rng_init (&rng, 3);
  for (gsize n = 0; n < 300; n++)
    check_once (n, 16, 0);
  for (guint k = 0; k < 2000; k++)
    check_once ((gsize) spk_rng_below (&rng, 100000), 64, 8192);
}

static gpointer
caller (gpointer data)
{
  for (guint k = 0; k < 500; k++)
    check_once (20000 + k, 64, 0);
  return NULL;
}

typedef struct
{
  GThread *caller;
  gint     by_helpers;   /* atomic: parts run on another thread */
  double  *values;
} Helped;

static void
work (gpointer data,
      gsize    begin,
      gsize    end)
{
  Helped *h = data;

  if (g_thread_self () != h->caller)
    g_atomic_int_inc (&h->by_helpers);
  for (gsize i = begin; i < end; i++)
    h->values[i] = h->values[i] * 0.5 + 1.0;
}

/* The helpers really take parts of a job: without them the other tests
 * would pass on one thread too.  A helper may be off its core for a while
 * on a busy machine, so jobs repeat until one is seen, for up to a minute. */
static void
test_helpers_take_work (void)
{
  const gsize n = 1 << 20;
  Helped h = { g_thread_self (), 0, g_new0 (double, n) };
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint calls = 0;

  if (spk_pool_get_n_threads () < 2)
    {
      g_test_skip ("one CPU: the pool has no helper threads to check");
      g_free (h.values);
      return;
    }
  while (g_atomic_int_get (&h.by_helpers) == 0 && g_get_monotonic_time () < until)
    {
      spk_pool_for (work, &h, n, 64, 0);
      calls++;
    }
  g_test_message ("%u threads; helpers ran %d parts in %u calls", spk_pool_get_n_threads (),
                  g_atomic_int_get (&h.by_helpers), calls);
  g_assert_cmpint (g_atomic_int_get (&h.by_helpers), >, 0);
  g_free (h.values);
}

/* Two threads calling at once: one gets the helpers, the other runs alone. */
static void
test_concurrent_callers (void)
{
  GThread *other = g_thread_new ("caller", caller, NULL);

  caller (NULL);
  g_thread_join (other);
}

/* 20,000 LIF neurons (above the size that splits), each fed back its
 * own filtered spikes, so every step depends on the last. */
static void
test_simulation_same (void)
{
  for (int d = 0; d < 2; d++)
    {
      SpkDtype dtype = d ? SPK_DTYPE_FLOAT64 : SPK_DTYPE_FLOAT32;
      g_autoptr (SpkNetwork) net = tu_network (21, dtype);
      SpkNode *u = tu_node_expr (net, "u", "sin(10*t)");
      SpkEnsemble *a = tu_ensemble (net, "a", 20000, 1, SPK_NEURON_LIF);
      g_autoptr (SpkPlan) plan = NULL;
      g_autoptr (SpkSimulator) serial = NULL, parallel = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree double *x = NULL, *y = NULL;
      guint64 n;

      tu_connect (net, u, FALSE, a, FALSE, 0.005);
      tu_connect (net, a, TRUE, a, TRUE, 0.1);
      tu_probe (net, "spikes", a, TRUE, "output", -1);
      plan = spk_build (net, &error);
      g_assert_no_error (error);
      serial = spk_simulator_new (plan, 1, &error);
      parallel = spk_simulator_new (plan, 1, &error);
      spk_simulator_set_parallel (serial, FALSE);
      spk_simulator_set_parallel (parallel, TRUE);
      g_assert_true (spk_simulator_run_steps (serial, 200, &error));
      g_assert_true (spk_simulator_run_steps (parallel, 200, &error));
      n = spk_simulator_get_probe_n_samples (serial, 0);
      x = g_new (double, n * 20000);
      y = g_new (double, n * 20000);
      spk_simulator_get_probe_data (serial, 0, x);
      spk_simulator_get_probe_data (parallel, 0, y);
      g_assert_cmpmem (x, n * 20000 * sizeof (double), y, n * 20000 * sizeof (double));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/pool/every-element-once", test_every_element_once);
  g_test_add_func ("/spk/pool/helpers-take-work", test_helpers_take_work);
  g_test_add_func ("/spk/pool/concurrent-callers", test_concurrent_callers);
  g_test_add_func ("/spk/pool/simulation-same", test_simulation_same);
  return g_test_run ();
}
