/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-learning-tmpl.h — the learning kernels written once;
 * spk-ops-learning.c includes it with REAL, SUFFIX and GEMV defined. */

#define SPK_LEARN_CONCAT_(a, b) a##_##b
#define SPK_LEARN_CONCAT(a, b) SPK_LEARN_CONCAT_ (a, b)
#define SPK_LEARN_FN(name) SPK_LEARN_CONCAT (name, SUFFIX)

/* One row of an outer product: row = e · v (PES and BCM). */
static inline void
SPK_LEARN_FN (outer_row) (REAL       *row_out,
                          REAL        e,
                          const REAL *v_in,
                          guint       cols)
{
  REAL *restrict row = row_out;
  const REAL *restrict v = v_in;

  for (guint c = 0; c < cols; c++)
    row[c] = e * v[c];
}

void
SPK_LEARN_FN (spk_pes_step) (REAL       *delta,
                             const REAL *error,
                             const REAL *pre,
                             REAL        alpha,
                             guint       rows,
                             guint       cols)
{
  /* numpy.outer(alpha * error, pre): the scale goes on the error. */
  for (guint r = 0; r < rows; r++)
    SPK_LEARN_FN (outer_row) (delta + (gsize) r * cols, alpha * error[r], pre, cols);
}

void
SPK_LEARN_FN (spk_bcm_step) (REAL       *delta,
                             const REAL *pre,
                             const REAL *post,
                             const REAL *theta,
                             REAL        alpha,
                             guint       rows,
                             guint       cols)
{
  for (guint r = 0; r < rows; r++)
    SPK_LEARN_FN (outer_row) (delta + (gsize) r * cols, alpha * post[r] * (post[r] - theta[r]), pre, cols);
}

void
SPK_LEARN_FN (spk_oja_step) (REAL       *delta_out,
                             const REAL *pre_in,
                             const REAL *post_in,
                             const REAL *W_in,
                             REAL        alpha,
                             REAL        beta,
                             guint       rows,
                             guint       cols)
{
  REAL *restrict delta = delta_out;
  const REAL *restrict pre = pre_in;
  const REAL *restrict W = W_in;

  for (guint r = 0; r < rows; r++)
    {
      /* Forgetting first, then the Hebbian term, in Nengo's order. */
      const REAL post_squared = alpha * post_in[r] * post_in[r];
      const REAL hebb = alpha * post_in[r];
      REAL *restrict row = delta + (gsize) r * cols;
      const REAL *restrict w = W + (gsize) r * cols;

      for (guint c = 0; c < cols; c++)
        {
          row[c] = -beta * w[c] * post_squared;
          row[c] += hebb * pre[c];
        }
    }
}

void
SPK_LEARN_FN (spk_voja_step) (REAL       *delta_out,
                              const REAL *pre_in,
                              const REAL *post_in,
                              const REAL *E_in,
                              const REAL *scale_in,
                              const REAL *learning_in,
                              REAL        alpha,
                              guint       rows,
                              guint       cols)
{
  REAL *restrict delta = delta_out;
  const REAL *restrict pre = pre_in;
  const REAL *restrict E = E_in;
  /* alpha · learning_signal first, then the bracket, as Nengo groups it. */
  const REAL a = alpha * learning_in[0];

  for (guint r = 0; r < rows; r++)
    {
      const REAL post = post_in[r], scale = scale_in[r];
      REAL *restrict row = delta + (gsize) r * cols;
      const REAL *restrict e = E + (gsize) r * cols;

      for (guint c = 0; c < cols; c++)
        row[c] = a * (scale * (post * pre[c]) - post * e[c]);
    }
}

void
SPK_LEARN_FN (spk_rls_step) (REAL       *delta_out,
                             REAL       *P_inout,
                             REAL       *Pr_out,
                             const REAL *error_in,
                             const REAL *pre_in,
                             guint       rows,
                             guint       cols)
{
  REAL *restrict delta = delta_out;
  REAL *restrict P = P_inout;
  REAL *restrict Pr = Pr_out;
  const REAL *restrict r = pre_in;
  REAL rPr = 0, g;

  /* Pr = P·r; P is symmetric, so P·r is also (rᵀ·P)ᵀ. */
  for (guint i = 0; i < cols; i++)
    {
      const REAL *restrict p = P + (gsize) i * cols;
      REAL sum = 0;

      for (guint j = 0; j < cols; j++)
        sum += p[j] * r[j];
      Pr[i] = sum;
    }
  for (guint i = 0; i < cols; i++)
    rPr += r[i] * Pr[i];
  g = 1 / (1 + rPr);
  /* P −= (P·r)(rᵀ·P) / (1 + rᵀ·P·r) */
  for (guint i = 0; i < cols; i++)
    {
      REAL *restrict p = P + (gsize) i * cols;

      for (guint j = 0; j < cols; j++)
        p[j] -= Pr[i] * (Pr[j] * g);
    }
  /* delta = −outer(error, P_new·r), with P_new·r = g·P·r. */
  for (guint k = 0; k < rows; k++)
    {
      REAL *restrict row = delta + (gsize) k * cols;

      for (guint j = 0; j < cols; j++)
        row[j] = error_in[k] * (-g * Pr[j]);
    }
}

void
SPK_LEARN_FN (spk_dot_signal_inc) (REAL       *dst,
                                   const REAL *W,
                                   const REAL *src,
                                   guint       rows,
                                   guint       cols)
{
  GEMV (CblasRowMajor, CblasNoTrans, (int) rows, (int) cols, 1, W, (int) cols, src, 1, 1, dst, 1);
}

#undef SPK_LEARN_FN
#undef SPK_LEARN_CONCAT
#undef SPK_LEARN_CONCAT_
