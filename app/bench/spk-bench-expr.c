/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-expr.c — `spikeworks-cli bench expr`: a compiled expression
 * against the same formula written by hand in C. */
#define G_LOG_DOMAIN "spk-bench"

#include "bench/spk-bench.h"

#include <math.h>
#include <string.h>

#include "expr/spk-expr.h"

/* The reference the benchmark compares against: the formula as anyone
 * would write it in C, with the sine hoisted out of the loop, as the
 * compiled expression does too.  Kept out of line so that the compiler
 * sees no more of the call site than it would in a real program. */
static G_GNUC_NO_INLINE void
bench_by_hand (double                 t,
               const double *restrict x,
               gsize                  n,
               double       *restrict out)
{
  const double s = sin (2 * G_PI * t);

  for (gsize i = 0; i < n; i++)
    out[i] = s * x[2 * i] + x[2 * i + 1] * x[2 * i + 1];
}

/**
 * spk_bench_expr:
 * @n_elements: batch size, e.g. 1 000 000
 * @expr_seconds: (out) (optional): best time of the compiled expression
 * @c_seconds: (out) (optional): best time of the hand-written loop
 *
 * Times `sin(2*pi*t) * x[0] + x[1]^2` over @n_elements rows of a
 * two-dimensional x, compiled and by hand, best of several runs each.
 *
 * Returns: time (expression) / time (C), or NaN if the two disagree.
 */
double
spk_bench_expr (gsize   n_elements,
                double *expr_seconds,
                double *c_seconds)
{
  const int repeats = 7;
  const double t = 0.123;
  g_autoptr(SpkExpr) expr = spk_expr_compile ("sin(2*pi*t) * x[0] + x[1]^2", 2, NULL);
  g_autoptr(SpkExprScratch) scratch = NULL;
  g_autofree double *x = NULL;
  g_autofree double *out_expr = NULL;
  g_autofree double *out_c = NULL;
  gint64 best_expr = G_MAXINT64, best_c = G_MAXINT64;
  guint64 state = 1;

  g_return_val_if_fail (n_elements > 0, NAN);
  g_assert (expr != NULL);

  scratch = spk_expr_scratch_new (expr, n_elements);
  x = g_new (double, 2 * n_elements);
  out_expr = g_new (double, n_elements);
  out_c = g_new (double, n_elements);
  for (gsize i = 0; i < 2 * n_elements; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      x[i] = (double) (state >> 11) / 9007199254740992.0 * 2 - 1;
    }

  /* Interleaved, so that frequency scaling and other tenants of the
   * machine treat both alike. */
  for (int r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 t1, t2;

      spk_expr_eval (expr, scratch, t, x, n_elements, out_expr);
      t1 = g_get_monotonic_time ();
      bench_by_hand (t, x, n_elements, out_c);
      t2 = g_get_monotonic_time ();
      best_expr = MIN (best_expr, t1 - t0);
      best_c = MIN (best_c, t2 - t1);
    }

  if (memcmp (out_expr, out_c, n_elements * sizeof (double)) != 0)
    return NAN;
  if (expr_seconds != NULL)
    *expr_seconds = best_expr * 1e-6;
  if (c_seconds != NULL)
    *c_seconds = best_c * 1e-6;
  return (double) MAX (best_expr, 1) / (double) MAX (best_c, 1);
}
