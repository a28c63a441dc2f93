/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-neurons-step-tmpl.h — the per-step update of every neuron type,
 * written once and included by spk-ops-neurons.c for float32 and float64.
 *
 * The includer defines REAL (float or double), SUFFIX (f32 or f64) and
 * M(fn), which names the libm function of that precision (expm1f or
 * expm1).  Parameters are cast to REAL once per call so the arithmetic
 * stays in REAL, which is what Nengo's numpy code does for a float32
 * model: a Python float meeting a float32 array becomes float32.
 *
 * Each kind is a tight loop over `count` neurons; the kind is decided
 * once per call.  Spikes are rare, so the spike branch (which holds the
 * only log1p) is an ordinary if.
 */

#define STEP_CAT_(a, b) a##b
#define STEP_CAT(a, b) STEP_CAT_(a, b)
#define FN(name) STEP_CAT (name, SUFFIX)

/* Nengo's LIF update, steps 1–7 of NEF-FACTS §2.  With `adapt` non-NULL
 * the neuron is driven by J − n and n follows the AdaptiveLIF rule. */
static inline void
FN (lif_loop_) (const SpkNeuronType *type,
                REAL                 dt,
                const REAL *restrict J,
                REAL *restrict       out,
                REAL *restrict       voltage,
                REAL *restrict       refractory,
                REAL *restrict       adapt,
                gsize                count)
{
  const REAL tau_rc = (REAL) type->tau_rc;
  const REAL tau_ref = (REAL) type->tau_ref;
  const REAL min_voltage = (REAL) type->min_voltage;
  const REAL spike = (REAL) (type->amplitude / (double) dt);
  const REAL adapt_rate = (REAL) ((double) dt / type->tau_n);
  const REAL inc_n = (REAL) type->inc_n;
  /* A neuron out of its refractory period integrates for the whole step
   * and one inside it not at all, so expm1 is only computed for the one
   * step in which the period ends: the same values, bit for bit, as
   * calling it for every neuron (expm1 is a function of delta alone). */
  const REAL decay_full = M (expm1) (-dt / tau_rc);
  const REAL decay_none = M (expm1) (-(REAL) 0 / tau_rc);

  for (gsize i = 0; i < count; i++)
    {
      REAL j = adapt != NULL ? J[i] - adapt[i] : J[i];
      REAL r = refractory[i] - dt;
      REAL delta = dt - r;
      REAL v = voltage[i];
      REAL o, decay;

      if (delta >= dt)
        decay = decay_full;
      else if (delta <= 0)
        decay = decay_none;
      else
        decay = M (expm1) (-delta / tau_rc);
      v -= (j - v) * decay;
      if (v > 1)
        {
          /* Interpolating the threshold crossing inside the step is what
           * lets the spiking LIF match LIFRate at a coarse dt. */
          REAL t_spike = dt + tau_rc * M (log1p) (-(v - 1) / (j - 1));

          o = spike;
          v = 0;
          r = tau_ref + t_spike;
        }
      else
        {
          o = 0;
          v = v < min_voltage ? min_voltage : v;
        }
      out[i] = o;
      voltage[i] = v;
      refractory[i] = r;
      if (adapt != NULL)
        adapt[i] += adapt_rate * (inc_n * o - adapt[i]);
    }
}

static inline void
FN (lif_rate_loop_) (const SpkNeuronType *type,
                     REAL                 dt,
                     const REAL *restrict J,
                     REAL *restrict       out,
                     REAL *restrict       adapt,
                     gsize                count)
{
  const REAL tau_rc = (REAL) type->tau_rc;
  const REAL tau_ref = (REAL) type->tau_ref;
  const REAL amplitude = (REAL) type->amplitude;
  const REAL adapt_rate = (REAL) ((double) dt / type->tau_n);
  const REAL inc_n = (REAL) type->inc_n;

  for (gsize i = 0; i < count; i++)
    {
      REAL j = (adapt != NULL ? J[i] - adapt[i] : J[i]) - 1;

      /* The test keeps j ≤ 0 (and NaN) away from log1p, as Nengo does. */
      out[i] = j > 0 ? amplitude / (tau_ref + tau_rc * M (log1p) (1 / j)) : 0;
      if (adapt != NULL)
        adapt[i] += adapt_rate * (inc_n * out[i] - adapt[i]);
    }
}

/* Turns a count of whole spikes accumulated in `voltage` into output, the
 * integrate-and-fire rounding shared by SpikingRectifiedLinear and
 * RegularSpiking.  `rate` may alias `out`: each element is read before
 * it is written. */
static inline void
FN (integrate_fire_loop_) (REAL        dt,
                           REAL        amplitude,
                           gboolean    rectify,
                           const REAL *rate,
                           REAL       *out,
                           REAL *restrict voltage,
                           gsize       count)
{
  const REAL spike = (REAL) ((double) amplitude / (double) dt);

  for (gsize i = 0; i < count; i++)
    {
      REAL r = rate[i];
      REAL v, k;

      if (rectify)
        r = r > 0 ? r : 0;
      v = voltage[i] + r * dt;
      k = M (floor) (v);
      out[i] = spike * k;
      voltage[i] = v - k;
    }
}

/* Every kind that is not a wrapper.  `states` are the kind's own. */
static void
FN (step_plain_) (const SpkNeuronType *type,
                  REAL                 dt,
                  const REAL *restrict J,
                  REAL *restrict       out,
                  REAL *const         *states,
                  gsize                count)
{
  switch (type->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
      {
        const REAL amplitude = (REAL) type->amplitude;

        for (gsize i = 0; i < count; i++)
          out[i] = amplitude * (J[i] > 0 ? J[i] : 0);
      }
      break;

    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      FN (integrate_fire_loop_) (dt, (REAL) type->amplitude, TRUE, J, out, states[0], count);
      break;

    case SPK_NEURON_LIF:
#ifdef LIF_FAST
      LIF_FAST (type, dt, J, out, states[0], states[1], count);
#else
      FN (lif_loop_) (type, dt, J, out, states[0], states[1], NULL, count);
#endif
      break;

    case SPK_NEURON_ADAPTIVE_LIF:
      FN (lif_loop_) (type, dt, J, out, states[0], states[1], states[2], count);
      break;

    case SPK_NEURON_LIF_RATE:
      FN (lif_rate_loop_) (type, dt, J, out, NULL, count);
      break;

    case SPK_NEURON_ADAPTIVE_LIF_RATE:
      FN (lif_rate_loop_) (type, dt, J, out, states[0], count);
      break;

    case SPK_NEURON_SIGMOID:
      {
        const REAL max_rate = (REAL) (1.0 / type->tau_ref);

        for (gsize i = 0; i < count; i++)
          out[i] = max_rate / (1 + M (exp) (-J[i]));
      }
      break;

    case SPK_NEURON_TANH:
      {
        const REAL max_rate = (REAL) (1.0 / type->tau_ref);

        for (gsize i = 0; i < count; i++)
          out[i] = max_rate * M (tanh) (J[i]);
      }
      break;

    case SPK_NEURON_IZHIKEVICH:
      {
        REAL *restrict voltage = states[0];
        REAL *restrict recovery = states[1];
        const REAL a = (REAL) type->tau_recovery;
        const REAL b = (REAL) type->coupling;
        const REAL c = (REAL) type->reset_voltage;
        const REAL d = (REAL) type->reset_recovery;
        const REAL spike = (REAL) (1.0 / (double) dt);

        for (gsize i = 0; i < count; i++)
          {
            /* Nengo clips the current from below because the model is
             * numerically unstable for very negative input. */
            REAL j = J[i] > -30 ? J[i] : -30;
            REAL v = voltage[i], u = recovery[i];
            gboolean spiked;

            v += ((REAL) 0.04 * (v * v) + 5 * v + 140 - u + j) * 1000 * dt;
            /* Resetting before the recovery update (unlike Izhikevich's
             * paper) keeps u from seeing a voltage above threshold. */
            spiked = v >= 30;
            if (spiked)
              v = c;
            u += a * (b * v - u) * 1000 * dt;
            if (spiked)
              u += d;
            out[i] = spiked ? spike : 0;
            voltage[i] = v;
            recovery[i] = u;
          }
      }
      break;

    case SPK_NEURON_REGULAR_SPIKING:
    case SPK_NEURON_POISSON_SPIKING:
    case SPK_NEURON_STOCHASTIC_SPIKING:
    case SPK_NEURON_DIRECT:       /* the builder makes no neuron update for it */
    case SPK_NEURON_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

void
FN (spk_neuron_step_) (const SpkNeuronType *type,
                       REAL                 dt,
                       const REAL          *J,
                       REAL                *out,
                       REAL *const         *states,
                       gsize                count,
                       SpkRng              *rng)
{
  g_return_if_fail (type != NULL);
  g_return_if_fail (count == 0 || (J != NULL && out != NULL));

  if (!spk_neuron_kind_is_wrapper (type->kind))
    {
      FN (step_plain_) (type, dt, J, out, states, count);
      return;
    }

  /* A wrapper is two operators in Nengo (base → rate_out → spikes); here
   * the base writes its rate into `out` and the conversion rewrites it in
   * place, so no scratch buffer is needed. */
  {
    guint n_own = spk_neuron_type_state_names (type, NULL);

    FN (step_plain_) (type->base, dt, J, out, states + n_own, count);
  }

  if (type->kind == SPK_NEURON_REGULAR_SPIKING)
    {
      FN (integrate_fire_loop_) (dt, (REAL) type->amplitude, FALSE, out, out, states[0], count);
    }
  else if (type->kind == SPK_NEURON_STOCHASTIC_SPIKING)
    {
      const REAL spike = (REAL) (type->amplitude / (double) dt);

      g_return_if_fail (rng != NULL);
      for (gsize i = 0; i < count; i++)
        {
          /* Nengo's stochastic rounding of e = |r|·dt: floor(e) spikes, one
           * more with probability frac(e) (a uniform draw below it), the
           * sign of r kept for a Tanh base. */
          REAL r = out[i];
          double e = (double) ((r < 0 ? -r : r) * dt);
          double q = floor (e);
          double k = q + (spk_rng_uniform (rng) < e - q ? 1.0 : 0.0);

          out[i] = r < 0 ? -spike * (REAL) k : spike * (REAL) k;
        }
    }
  else
    {
      const REAL spike = (REAL) (type->amplitude / (double) dt);

      g_return_if_fail (rng != NULL);
      for (gsize i = 0; i < count; i++)
        {
          /* Negative rates (a Tanh base) give negative spikes, as Nengo's
           * sign(J)·Poisson(|J|·dt) does; for the other bases r ≥ 0. */
          REAL r = out[i];
          REAL k = (REAL) spk_rng_poisson (rng, (double) ((r < 0 ? -r : r) * dt));

          out[i] = r < 0 ? -spike * k : spike * k;
        }
    }
}

#undef FN
#undef STEP_CAT
#undef STEP_CAT_
