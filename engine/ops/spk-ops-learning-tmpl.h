/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-learning-tmpl.h — the learning kernels written once;
 * spk-ops-learning.c includes it with REAL, SUFFIX and GEMV defined. */

#define SPK_LEARN_CONCAT_(a, b) a##_##b
#define SPK_LEARN_CONCAT(a, b) SPK_LEARN_CONCAT_ (a, b)
#define SPK_LEARN_FN(name) SPK_LEARN_CONCAT (name, SUFFIX)

void
SPK_LEARN_FN (spk_pes_step) (REAL       *delta_out,
                             const REAL *error_in,
                             const REAL *pre_in,
                             REAL        alpha,
                             guint       rows,
                             guint       cols)
{
  REAL *restrict delta = delta_out;
  const REAL *restrict error = error_in;
  const REAL *restrict pre = pre_in;

  for (guint r = 0; r < rows; r++)
    {
      /* numpy.outer(alpha * error, pre): the scale goes on the error. */
      const REAL e = alpha * error[r];
      REAL *restrict row = delta + (gsize) r * cols;

      for (guint c = 0; c < cols; c++)
        row[c] = e * pre[c];
    }
}

void
SPK_LEARN_FN (spk_bcm_step) (REAL       *delta_out,
                             const REAL *pre_in,
                             const REAL *post_in,
                             const REAL *theta_in,
                             REAL        alpha,
                             guint       rows,
                             guint       cols)
{
  REAL *restrict delta = delta_out;
  const REAL *restrict pre = pre_in;

  for (guint r = 0; r < rows; r++)
    {
      const REAL e = alpha * post_in[r] * (post_in[r] - theta_in[r]);
      REAL *restrict row = delta + (gsize) r * cols;

      for (guint c = 0; c < cols; c++)
        row[c] = e * pre[c];
    }
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
