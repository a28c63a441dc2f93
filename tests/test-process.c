/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-process.c — Node processes: the value type (defaults, copies,
 * names, validation) and their per-step output (NEF-FACTS §8). */
#include <math.h>

#include "core/spk-error.h"
#include "model/spk-process.h"
#include "ops/spk-ops-process.h"

#define DT 0.001

static SpkProcess *
white_signal (double period,
              double high,
              double rms)
{
  SpkProcess *p = spk_process_new (SPK_PROCESS_WHITE_SIGNAL);

  p->period = period;
  p->high = high;
  p->rms = rms;
  return p;
}

static SpkProcessState *
state_ok (const SpkProcess *p,
          guint             size_out,
          guint64           seed)
{
  g_autoptr (GError) error = NULL;
  SpkProcessState *state = spk_process_state_new (p, size_out, DT, seed, &error);

  g_assert_no_error (error);
  g_assert_nonnull (state);
  return state;
}

static void
test_value (void)
{
  g_autoptr (SpkProcess) ws = spk_process_new (SPK_PROCESS_WHITE_SIGNAL);
  g_autoptr (SpkProcess) wn = spk_process_new (SPK_PROCESS_WHITE_NOISE);
  g_autoptr (SpkProcess) copy = NULL;
  SpkProcessKind kind;

  g_assert_cmpfloat (ws->period, ==, 10.0);
  g_assert_cmpfloat (ws->high, ==, 5.0);
  g_assert_cmpfloat (ws->rms, ==, 0.5);
  g_assert_true (isnan (ws->y0));
  g_assert_cmpint (ws->seed, ==, -1);
  g_assert_nonnull (wn->dist);
  g_assert_cmpint (wn->dist->kind, ==, SPK_DIST_GAUSSIAN);
  g_assert_cmpfloat (wn->dist->std, ==, 1.0);
  g_assert_true (wn->scale);

  copy = spk_process_copy (wn);
  g_assert_true (spk_process_equal (copy, wn));
  g_assert_true (copy->dist == wn->dist);
  copy->scale = FALSE;
  g_assert_false (spk_process_equal (copy, wn));
  g_assert_false (spk_process_equal (ws, wn));
  g_clear_pointer (&copy, spk_process_unref);
  copy = spk_process_copy (ws);
  g_assert_true (spk_process_equal (copy, ws));
  copy->y0 = 0.1;
  g_assert_false (spk_process_equal (copy, ws));

  g_assert_cmpstr (spk_process_kind_to_name (SPK_PROCESS_WHITE_SIGNAL), ==, "WhiteSignal");
  g_assert_cmpstr (spk_process_kind_to_name (SPK_PROCESS_WHITE_NOISE), ==, "WhiteNoise");
  g_assert_cmpstr (spk_process_kind_to_name (SPK_PROCESS_PRESENT_INPUT), ==, "PresentInput");
  g_assert_cmpstr (spk_process_kind_to_name (SPK_PROCESS_PIECEWISE), ==, "Piecewise");
  g_assert_true (spk_process_kind_from_name ("Piecewise", &kind));
  g_assert_cmpint (kind, ==, SPK_PROCESS_PIECEWISE);
  g_assert_true (spk_process_kind_from_name ("BrownNoise", &kind));
  g_assert_cmpint (kind, ==, SPK_PROCESS_BROWN_NOISE);
  g_assert_false (spk_process_kind_from_name ("PinkNoise", &kind));

  g_assert_cmpuint (spk_process_default_size_out (ws), ==, 1);
  g_assert_cmpuint (spk_process_default_size_out (wn), ==, 1);
}

static void
test_default_size_out (void)
{
  const double items[6] = { 1, 2, 3, 4, 5, 6 };
  g_autoptr (SpkProcess) pi = spk_process_new (SPK_PROCESS_PRESENT_INPUT);
  g_autoptr (SpkProcess) pw = spk_process_new (SPK_PROCESS_PIECEWISE);

  pi->inputs = spk_array_new_matrix (items, 2, 3);
  g_assert_cmpuint (spk_process_default_size_out (pi), ==, 3);
  pw->values = spk_array_new_vector (items, 6);
  g_assert_cmpuint (spk_process_default_size_out (pw), ==, 1);
}

/* The mean square over 16 dimensions of one period.  With high = 50 Hz
 * and period 10 s there are K = 500 non-zero coefficients per dimension,
 * so the realised power has relative std 1/sqrt(16·K) ≈ 0.011; 5 sigma
 * gives a 6 % tolerance on rms². */
static void
test_white_signal_rms (void)
{
  g_autoptr (SpkProcess) p = white_signal (10.0, 50.0, 0.3);
  g_autoptr (SpkProcessState) s = state_ok (p, 16, 3);
  const guint64 length = 10000;
  double out[16], sum2 = 0.0, sum = 0.0;

  for (guint64 n = 1; n <= length; n++)
    {
      spk_process_state_eval (s, n, out);
      for (int j = 0; j < 16; j++)
        {
          sum += out[j];
          sum2 += out[j] * out[j];
        }
    }
  /* The DC coefficient is zeroed, so each dimension has mean 0 exactly. */
  g_assert_cmpfloat_with_epsilon (sum / (16.0 * length), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sum2 / (16.0 * length), 0.09, 0.06 * 0.09);
}

/* A DFT of one period shows no power above `high`: only rounding in the
 * synthesis remains there (1e-20 of the total power), while the band
 * below carries it all. */
static void
test_white_signal_band_limit (void)
{
  const double high = 20.0;
  const gsize length = 1000;   /* period 1 s at dt 1 ms */
  g_autoptr (SpkProcess) p = white_signal (1.0, high, 0.5);
  g_autoptr (SpkProcessState) s = state_ok (p, 1, 11);
  double x[1000], total = 0.0, above = 0.0;

  for (gsize n = 0; n < length; n++)
    spk_process_state_eval (s, n + 1, &x[n]);
  for (gsize k = 1; k <= length / 2; k++)
    {
      double re = 0.0, im = 0.0, power;

      for (gsize n = 0; n < length; n++)
        {
          re += x[n] * cos (2 * G_PI * k * n / length);
          im -= x[n] * sin (2 * G_PI * k * n / length);
        }
      power = re * re + im * im;
      total += power;
      if (k / (length * DT) > high)
        above += power;
    }
  g_assert_cmpfloat (total, >, 0.0);
  g_assert_cmpfloat (above / total, <, 1e-20);
}

static void
test_white_signal_periodic_and_seeded (void)
{
  g_autoptr (SpkProcess) p = white_signal (0.5, 10.0, 0.5);
  g_autoptr (SpkProcessState) a = state_ok (p, 2, 5);
  g_autoptr (SpkProcessState) b = state_ok (p, 2, 5);
  g_autoptr (SpkProcessState) c = state_ok (p, 2, 6);
  gboolean differs = FALSE, dims_differ = FALSE;

  for (guint64 n = 1; n <= 500; n++)
    {
      double ya[2], yb[2], yc[2], later[2];

      spk_process_state_eval (a, n, ya);
      spk_process_state_eval (b, n, yb);
      spk_process_state_eval (c, n, yc);
      spk_process_state_eval (a, n + 500, later);
      g_assert_cmpmem (ya, sizeof ya, yb, sizeof yb);
      g_assert_cmpmem (ya, sizeof ya, later, sizeof later);
      differs |= ya[0] != yc[0];
      dims_differ |= ya[0] != ya[1];
    }
  g_assert_true (differs);
  g_assert_true (dims_differ);
}

/* With y0 the first step shows the sample of the period closest to y0. */
static void
test_white_signal_y0 (void)
{
  g_autoptr (SpkProcess) p = white_signal (1.0, 5.0, 0.5);
  g_autoptr (SpkProcessState) s = NULL;
  double first, best = INFINITY;

  p->y0 = 0.2;
  s = state_ok (p, 1, 9);
  spk_process_state_eval (s, 1, &first);
  for (guint64 n = 1; n <= 1000; n++)
    {
      double y;

      spk_process_state_eval (s, n, &y);
      best = MIN (best, fabs (y - 0.2));
    }
  g_assert_cmpfloat (fabs (first - 0.2), ==, best);
  g_assert_cmpfloat (best, <, 0.05);
}

/* Moments of 200 000 draws, ~5 standard errors: Gaussian(0, 1) scaled by
 * 1/sqrt(dt) has variance 1/dt; unscaled Uniform(−1, 1) has variance 1/3. */
static void
test_white_noise (void)
{
  const int n = 200000;
  g_autoptr (SpkProcess) p = spk_process_new (SPK_PROCESS_WHITE_NOISE);
  g_autoptr (SpkProcess) u = spk_process_new (SPK_PROCESS_WHITE_NOISE);
  g_autoptr (SpkProcessState) s = state_ok (p, 2, 21);
  g_autoptr (SpkProcessState) su = NULL;
  double sum = 0, sum2 = 0, usum = 0, usum2 = 0;

  u->scale = FALSE;
  spk_distribution_unref (u->dist);
  u->dist = spk_distribution_new_uniform (-1.0, 1.0);
  su = state_ok (u, 1, 22);

  for (int i = 1; i <= n / 2; i++)
    {
      double y[2], v;

      spk_process_state_eval (s, i, y);
      sum += y[0] + y[1];
      sum2 += y[0] * y[0] + y[1] * y[1];
      spk_process_state_eval (su, i, &v);
      g_assert_true (v >= -1.0 && v < 1.0);
      usum += v;
      usum2 += v * v;
    }
  g_assert_cmpfloat_with_epsilon (sum / n, 0.0, 5 * sqrt (1000.0 / n));
  g_assert_cmpfloat_with_epsilon (sum2 / n, 1000.0, 5 * 1000.0 * sqrt (2.0 / n));
  g_assert_cmpfloat_with_epsilon (usum / (n / 2), 0.0, 5 * sqrt (1.0 / 3 / (n / 2)));
  g_assert_cmpfloat_with_epsilon (usum2 / (n / 2), 1.0 / 3, 5 * sqrt (4.0 / 45 / (n / 2)));
}

static void
test_reset (void)
{
  g_autoptr (SpkProcess) p = spk_process_new (SPK_PROCESS_WHITE_NOISE);
  g_autoptr (SpkProcessState) s = state_ok (p, 3, 77);
  double first[50][3], again[3];

  for (int i = 0; i < 50; i++)
    spk_process_state_eval (s, i + 1, first[i]);
  spk_process_state_reset (s);
  for (int i = 0; i < 50; i++)
    {
      spk_process_state_eval (s, i + 1, again);
      g_assert_cmpmem (first[i], sizeof again, again, sizeof again);
    }
  g_assert_cmpfloat (first[0][0], !=, first[1][0]);
}

/* inputs[floor((t − dt)/t_p + 1e−7) mod len] at the boundaries of items. */
static void
test_present_input (void)
{
  const double items[] = { 1, 10, 2, 20, 3, 30 };
  g_autoptr (SpkProcess) p = spk_process_new (SPK_PROCESS_PRESENT_INPUT);
  g_autoptr (SpkProcessState) s = NULL;
  const struct { guint64 step; double first; } cases[] = {
    { 1, 1 }, { 100, 1 }, { 101, 2 }, { 200, 2 }, { 201, 3 }, { 300, 3 },
    { 301, 1 }, { 601, 1 }, { 700, 1 }, { 701, 2 },
  };

  p->inputs = spk_array_new_matrix (items, 3, 2);
  p->presentation_time = 0.1;
  s = state_ok (p, 2, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double y[2];

      spk_process_state_eval (s, cases[i].step, y);
      g_assert_cmpfloat (y[0], ==, cases[i].first);
      g_assert_cmpfloat (y[1], ==, 10 * cases[i].first);
    }
}

/* Keys out of order; zeros before the first; each key shows from the step
 * nearest to it (t + dt/2 > key), here 0.1004 from step 100. */
static void
test_piecewise (void)
{
  const double times[] = { 0.3, 0.1004, 0.2 };
  const double values[] = { 3, -3, 1, -1, 2, -2 };
  g_autoptr (SpkProcess) p = spk_process_new (SPK_PROCESS_PIECEWISE);
  g_autoptr (SpkProcessState) s = NULL;
  const struct { guint64 step; double first; } cases[] = {
    { 1, 0 }, { 99, 0 }, { 100, 1 }, { 199, 1 }, { 200, 2 }, { 299, 2 },
    { 300, 3 }, { 5000, 3 },
  };

  p->times = spk_array_new_vector (times, 3);
  p->values = spk_array_new_matrix (values, 3, 2);
  g_assert_cmpuint (spk_process_default_size_out (p), ==, 2);
  s = state_ok (p, 2, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double y[2];

      spk_process_state_eval (s, cases[i].step, y);
      g_assert_cmpfloat (y[0], ==, cases[i].first);
      g_assert_cmpfloat (y[1], ==, -cases[i].first);
    }
}

static void
expect_state_error (SpkProcess *p,
                    guint       size_out,
                    const char *message)
{
  g_autoptr (GError) error = NULL;
  SpkProcessState *s = spk_process_state_new (p, size_out, DT, 1, &error);

  g_assert_null (s);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  spk_process_unref (p);
}

static void
test_errors (void)
{
  const double two[] = { 0.1, 0.1 }, vals[] = { 1, 2 }, nan_item[] = { NAN };
  SpkProcess *p;

  expect_state_error (white_signal (0.0, 5.0, 0.5), 1,
                      "WhiteSignal period must be a positive number (got 0)");
  expect_state_error (white_signal (1.0, -5.0, 0.5), 1,
                      "WhiteSignal high must be a positive number (got -5)");
  expect_state_error (white_signal (1.0, 5.0, NAN), 1,
                      "WhiteSignal rms must be a positive number (got nan)");
  expect_state_error (white_signal (1.0, 0.5, 0.5), 1,
                      "WhiteSignal high (0.5 Hz) must be at least 1/period (1 Hz) "
                      "to produce a non-zero signal");
  expect_state_error (white_signal (1.0, 600.0, 0.5), 1,
                      "WhiteSignal high (600 Hz) must not exceed the Nyquist frequency "
                      "for dt = 0.001 (500 Hz)");
  expect_state_error (white_signal (1.0, 5.0, 0.5), 0,
                      "WhiteSignal needs at least one output dimension");

  p = spk_process_new (SPK_PROCESS_WHITE_NOISE);
  spk_distribution_unref (p->dist);
  p->dist = spk_distribution_new_gaussian (0.0, -1.0);
  expect_state_error (p, 1, "WhiteNoise dist: Gaussian needs a finite mean and a positive "
                            "std (got mean 0, std -1)");
  p = spk_process_new (SPK_PROCESS_WHITE_NOISE);
  g_clear_pointer (&p->dist, spk_distribution_unref);
  expect_state_error (p, 1, "WhiteNoise needs a distribution (dist)");

  p = spk_process_new (SPK_PROCESS_PRESENT_INPUT);
  expect_state_error (p, 1, "PresentInput needs at least one input (inputs)");
  p = spk_process_new (SPK_PROCESS_PRESENT_INPUT);
  p->inputs = spk_array_new_vector (vals, 2);
  p->presentation_time = 0.0;
  expect_state_error (p, 1, "PresentInput presentation_time must be a positive number (got 0)");
  p = spk_process_new (SPK_PROCESS_PRESENT_INPUT);
  p->inputs = spk_array_new_vector (vals, 2);
  expect_state_error (p, 2, "PresentInput inputs have 1 dimensions but the output has 2");
  p = spk_process_new (SPK_PROCESS_PRESENT_INPUT);
  p->inputs = spk_array_new_vector (nan_item, 1);
  expect_state_error (p, 1, "PresentInput inputs must be finite numbers");

  p = spk_process_new (SPK_PROCESS_PIECEWISE);
  expect_state_error (p, 1, "Piecewise times must be a non-empty vector");
  p = spk_process_new (SPK_PROCESS_PIECEWISE);
  p->times = spk_array_new_vector (two, 2);
  p->values = spk_array_new_vector (vals, 2);
  expect_state_error (p, 1, "Piecewise times must be distinct (0.1 appears twice)");
  p = spk_process_new (SPK_PROCESS_PIECEWISE);
  p->times = spk_array_new_vector (vals, 2);
  p->values = spk_array_new_vector (vals, 1);
  expect_state_error (p, 1, "Piecewise values must have one row per time (2 times, 1 rows)");
  p = spk_process_new (SPK_PROCESS_PIECEWISE);
  p->times = spk_array_new_vector (vals, 2);
  p->values = spk_array_new_vector (vals, 2);
  expect_state_error (p, 3, "Piecewise values have 1 dimensions but the output has 3");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/process/value", test_value);
  g_test_add_func ("/spk/process/default-size-out", test_default_size_out);
  g_test_add_func ("/spk/process/white-signal-rms", test_white_signal_rms);
  g_test_add_func ("/spk/process/white-signal-band-limit", test_white_signal_band_limit);
  g_test_add_func ("/spk/process/white-signal-periodic-seeded",
                   test_white_signal_periodic_and_seeded);
  g_test_add_func ("/spk/process/white-signal-y0", test_white_signal_y0);
  g_test_add_func ("/spk/process/white-noise", test_white_noise);
  g_test_add_func ("/spk/process/reset", test_reset);
  g_test_add_func ("/spk/process/present-input", test_present_input);
  g_test_add_func ("/spk/process/piecewise", test_piecewise);
  g_test_add_func ("/spk/process/errors", test_errors);
  return g_test_run ();
}
