/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-synapse-tmpl.h — the per-step filter, written once for float32
 * and float64.  spk-ops-synapse.c includes it twice with REAL (the element
 * type) and SUFFIX (f32 or f64) defined; it is not compiled on its own.
 *
 * Every order runs the same recurrence, for each channel i:
 *   y[i] = C·x + D·u[i]      (x: the state before this step)
 *   x    ← A·x + B·u[i]
 * Orders 1 and 2 (Lowpass, Alpha) are unrolled so the compiler keeps the
 * coefficients in registers and vectorises across channels.
 */

#define SPK_FILTER_CONCAT_(a, b) a##_##b
#define SPK_FILTER_CONCAT(a, b) SPK_FILTER_CONCAT_ (a, b)
#define SPK_FILTER_FN(name) SPK_FILTER_CONCAT (name, SUFFIX)

void
SPK_FILTER_FN (spk_filter_step) (const SpkDiscreteFilter *filter,
                                 const REAL              *u_in,
                                 REAL                    *y_out,
                                 REAL *const             *state,
                                 gsize                    count)
{
  const REAL *restrict u = u_in;
  REAL *restrict y = y_out;

  g_return_if_fail (filter != NULL);
  g_return_if_fail (filter->order <= SPK_FILTER_MAX_ORDER);

  if (filter->n_taps > 0)
    {
      /* Triangle, as Nengo's step_triangle: Y += n0·u − ΣX, then the
       * ring's next slot takes ndiff·u.  pos holds the slot per channel. */
      const guint n = filter->n_taps;
      const REAL n0 = (REAL) filter->n0, ndiff = (REAL) filter->ndiff;
      REAL *restrict acc = state[0];
      REAL *restrict ring = state[1];
      REAL *restrict pos = state[2];

      for (gsize i = 0; i < count; i++)
        {
          REAL *restrict x = ring + i * n;
          REAL sum = 0;
          guint next;

          for (guint j = 0; j < n; j++)
            sum += x[j];
          acc[i] += n0 * u[i];
          acc[i] -= sum;
          next = ((guint) pos[i] + 1) % n;
          pos[i] = (REAL) next;
          x[next] = ndiff * u[i];
          y[i] = acc[i];
        }
      return;
    }

  switch (filter->order)
    {
    case 0:
      {
        const REAL d = (REAL) filter->D;

        for (gsize i = 0; i < count; i++)
          y[i] = d * u[i];
      }
      break;

    case 1:
      {
        const REAL a = (REAL) filter->A[0], b = (REAL) filter->B[0];
        const REAL c = (REAL) filter->C[0], d = (REAL) filter->D;
        REAL *restrict x = state[0];

        for (gsize i = 0; i < count; i++)
          {
            const REAL xi = x[i], ui = u[i];

            y[i] = c * xi + d * ui;
            x[i] = a * xi + b * ui;
          }
      }
      break;

    case 2:
      {
        const REAL a00 = (REAL) filter->A[0], a01 = (REAL) filter->A[1];
        const REAL a10 = (REAL) filter->A[2], a11 = (REAL) filter->A[3];
        const REAL b0 = (REAL) filter->B[0], b1 = (REAL) filter->B[1];
        const REAL c0 = (REAL) filter->C[0], c1 = (REAL) filter->C[1];
        const REAL d = (REAL) filter->D;
        REAL *restrict x0 = state[0];
        REAL *restrict x1 = state[1];

        for (gsize i = 0; i < count; i++)
          {
            const REAL s0 = x0[i], s1 = x1[i], ui = u[i];

            y[i] = c0 * s0 + c1 * s1 + d * ui;
            x0[i] = a00 * s0 + a01 * s1 + b0 * ui;
            x1[i] = a10 * s0 + a11 * s1 + b1 * ui;
          }
      }
      break;

    default:
      {
        const guint k = filter->order;
        REAL A[SPK_FILTER_MAX_ORDER * SPK_FILTER_MAX_ORDER];
        REAL B[SPK_FILTER_MAX_ORDER], C[SPK_FILTER_MAX_ORDER];
        const REAL d = (REAL) filter->D;

        for (guint r = 0; r < k * k; r++)
          A[r] = (REAL) filter->A[r];
        for (guint r = 0; r < k; r++)
          {
            B[r] = (REAL) filter->B[r];
            C[r] = (REAL) filter->C[r];
          }

        for (gsize i = 0; i < count; i++)
          {
            REAL s[SPK_FILTER_MAX_ORDER];
            const REAL ui = u[i];
            REAL acc = d * ui;

            for (guint r = 0; r < k; r++)
              {
                s[r] = state[r][i];
                acc += C[r] * s[r];
              }
            y[i] = acc;
            for (guint r = 0; r < k; r++)
              {
                REAL next = B[r] * ui;

                for (guint c = 0; c < k; c++)
                  next += A[r * k + c] * s[c];
                state[r][i] = next;
              }
          }
      }
      break;
    }
}

#undef SPK_FILTER_FN
#undef SPK_FILTER_CONCAT
#undef SPK_FILTER_CONCAT_
