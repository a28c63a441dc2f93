/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-conv-split.c — Conv2D's kernels split over the thread pool, and
 * the trainer's buffers reused between minibatches.
 *
 * The Conv2D kernels cut their work image by image (forward, input
 * gradient) and by kernel rows (kernel gradient) when OpenBLAS runs on
 * one thread; these tests run both ways against plain loops, with
 * different strides along rows and columns and "same" padding.  The
 * trainer clears only the signals (and adjoints) that are not set whole
 * by their first operator, so a gradient must not depend on the
 * minibatches run before it. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "core/spk-rng.h"
#include "examples/spk-examples.h"
#include "ops/spk-ops-layer.h"
#include "train/spk-train.h"
#include "spk-test-util.h"

static double *
random_doubles (SpkRng *rng,
                gsize   n)
{
  double *v = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    v[i] = 2.0 * spk_rng_uniform (rng) - 1.0;
  return v;
}

/* y, g_x, g_K, g_b by plain loops: y = conv(x, K) + b, then the
 * gradients of Σ g_y·y. */
static void
reference (const SpkLayerWindow *win,
           guint                 F,
           guint                 batch,
           const double         *x,
           const double         *K,
           const double         *b,
           const double         *g_y,
           double               *y,
           double               *g_x,
           double               *g_K,
           double               *g_b)
{
  const guint sw = spk_layer_window_stride_w (win);

  for (guint n = 0; n < batch; n++)
    for (guint oy = 0; oy < win->out_h; oy++)
      for (guint ox = 0; ox < win->out_w; ox++)
        for (guint f = 0; f < F; f++)
          {
            const gsize o = (((gsize) n * win->out_h + oy) * win->out_w + ox) * F + f;
            double sum = b[f];

            g_b[f] += g_y[o];
            for (guint ky = 0; ky < win->kh; ky++)
              for (guint kx = 0; kx < win->kw; kx++)
                for (guint c = 0; c < win->c; c++)
                  {
                    const int iy = (int) (oy * win->stride + ky) - (int) win->pad_top;
                    const int ix = (int) (ox * sw + kx) - (int) win->pad_left;
                    gsize xi, ki;

                    if (iy < 0 || ix < 0 || iy >= (int) win->h || ix >= (int) win->w)
                      continue;
                    xi = (((gsize) n * win->h + (gsize) iy) * win->w + (gsize) ix) * win->c + c;
                    ki = (((gsize) ky * win->kw + kx) * win->c + c) * F + f;
                    sum += x[xi] * K[ki];
                    g_K[ki] += g_y[o] * x[xi];
                    g_x[xi] += g_y[o] * K[ki];
                  }
            y[o] = sum;
          }
}

static void
assert_close (const double *a,
              const double *b,
              gsize         n,
              const char   *what)
{
  double worst = 0.0;

  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs (a[i] - b[i]) / (1.0 + fabs (b[i])));
  g_test_message ("%s: %" G_GSIZE_FORMAT " values, worst relative difference %.2g", what, n, worst);
  g_assert_cmpfloat (worst, <, 1e-12);
}

/* One shape, with OpenBLAS on blas_threads threads (1: the pool split). */
static void
check_shape (SpkLayerWindow win,
             guint          F,
             guint          batch,
             int            blas_threads)
{
  const int saved = openblas_get_num_threads ();
  gsize n_x, n_y, n_K, n_cols;
  g_autofree double *x = NULL, *K = NULL, *b = NULL, *g_y = NULL, *cols = NULL, *g_cols = NULL;
  g_autofree double *y = NULL, *g_x = NULL, *g_K = NULL, *g_b = NULL;
  g_autofree double *y_want = NULL, *g_x_want = NULL, *g_K_want = NULL, *g_b_want = NULL;
  SpkRng rng;

  g_assert_true (spk_layer_window_init (&win, "test", NULL));
  n_x = (gsize) batch * win.h * win.w * win.c;
  n_y = (gsize) batch * win.out_h * win.out_w * F;
  n_K = (gsize) win.kh * win.kw * win.c * F;
  n_cols = (gsize) batch * win.out_h * win.out_w * win.kh * win.kw * win.c;
  spk_rng_init (&rng, 11);
  x = random_doubles (&rng, n_x), K = random_doubles (&rng, n_K), b = random_doubles (&rng, F);
  g_y = random_doubles (&rng, n_y);
  cols = g_new (double, n_cols), g_cols = g_new (double, n_cols);
  /* Garbage in the scratch: the kernels must write every value they read. */
  for (gsize i = 0; i < n_cols; i++)
    cols[i] = g_cols[i] = NAN;
  y = g_new0 (double, n_y), g_x = g_new0 (double, n_x), g_K = g_new0 (double, n_K), g_b = g_new0 (double, F);
  y_want = g_new0 (double, n_y), g_x_want = g_new0 (double, n_x);
  g_K_want = g_new0 (double, n_K), g_b_want = g_new0 (double, F);
  reference (&win, F, batch, x, K, b, g_y, y_want, g_x_want, g_K_want, g_b_want);

  openblas_set_num_threads (blas_threads);
  spk_layer_conv2d_forward_f64 (y, cols, x, K, b, &win, F, batch);
  spk_layer_conv2d_backward_f64 (g_x, g_K, g_b, g_cols, g_y, cols, K, &win, F, batch);
  openblas_set_num_threads (saved);

  assert_close (y, y_want, n_y, "output");
  assert_close (g_x, g_x_want, n_x, "input gradient");
  assert_close (g_K, g_K_want, n_K, "kernel gradient");
  assert_close (g_b, g_b_want, F, "bias gradient");
}

static void
test_conv_split (void)
{
  /* h, w, c, kh, kw, stride (rows), same, …, stride_w (columns). */
  const SpkLayerWindow shapes[] = {
    { 7, 9, 3, 3, 2, 2, TRUE, .stride_w = 1 },
    { 8, 6, 2, 2, 3, 1, TRUE, .stride_w = 3 },
    { 9, 7, 4, 3, 3, 2, FALSE },
    { 6, 6, 1, 3, 3, 1, FALSE, .stride_w = 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      /* The pool split (several images, several kernel-row parts: 36
       * rows for the third shape), then one call per product. */
      check_shape (shapes[i], 5, 7, 1);
      check_shape (shapes[i], 5, 7, 2);
      check_shape (shapes[i], 3, 1, 1);
    }
}

/* The window arithmetic per axis: "same" pads each axis for its stride. */
static void
test_window_per_axis (void)
{
  SpkLayerWindow win = { 28, 28, 1, 3, 3, 2, TRUE, .stride_w = 1 };

  g_assert_true (spk_layer_window_init (&win, "c", NULL));
  g_assert_cmpuint (win.out_h, ==, 14);
  g_assert_cmpuint (win.out_w, ==, 28);
  g_assert_cmpuint (win.pad_top, ==, 0);
  g_assert_cmpuint (win.pad_left, ==, 1);
  win = (SpkLayerWindow) { 10, 11, 1, 3, 2, 3, FALSE, .stride_w = 2 };
  g_assert_true (spk_layer_window_init (&win, "c", NULL));
  g_assert_cmpuint (win.out_h, ==, 3);
  g_assert_cmpuint (win.out_w, ==, 5);
}

/* The gradient of n examples of the convolutional example network. */
static double *
gradient (SpkTrainer *trainer,
          guint       n,
          double     *loss)
{
  g_autoptr (SpkDataset) x = spk_dataset_new (n, 1), y = spk_dataset_new (n, 1);
  float *images = g_new (float, (gsize) n * 784), *labels = g_new (float, n);
  g_autoptr (GBytes) xb = NULL, yb = NULL;
  g_autoptr (GError) error = NULL;
  double *grad = g_new (double, spk_trainer_get_n_trainable (trainer));
  SpkRng rng;

  spk_rng_init (&rng, 3);
  for (gsize i = 0; i < (gsize) n * 784; i++)
    images[i] = (float) spk_rng_uniform (&rng);
  for (guint i = 0; i < n; i++)
    labels[i] = (float) (i % 10);
  xb = g_bytes_new_take (images, (gsize) n * 784 * sizeof (float));
  yb = g_bytes_new_take (labels, n * sizeof (float));
  g_assert_true (spk_dataset_add (x, "input", xb, 1, 784, &error));
  g_assert_true (spk_dataset_add (y, "output", yb, 1, 1, &error));
  g_assert_true (spk_trainer_loss_and_grad (trainer, x, y, loss, grad, &error));
  g_assert_no_error (error);
  return grad;
}

/* Minibatches of other sizes in between (a larger one reallocates, a
 * smaller one lays the signals out differently in the same memory) do
 * not change a gradient: nothing stale is read. */
static void
test_reused_buffers (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_example_new ("spiking-fashion-mnist", &error);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autofree double *first = NULL, *again = NULL;
  gsize n;
  double l1, l2, l;

  g_assert_no_error (error);
  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT32, &error);
  g_assert_no_error (error);
  g_assert_true (spk_trainer_set_loss (trainer, "output", SPK_LOSS_SPARSE_CE, &error));
  n = spk_trainer_get_n_trainable (trainer);
  first = gradient (trainer, 3, &l1);
  g_free (gradient (trainer, 5, &l));
  g_free (gradient (trainer, 2, &l));
  g_free (gradient (trainer, 3, &l));
  again = gradient (trainer, 3, &l2);
  g_assert_cmpfloat (l1, ==, l2);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (first[i] - again[i]), <=, 1e-6 * (1e-3 + fabs (first[i])));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/conv-split/kernels", test_conv_split);
  g_test_add_func ("/spk/conv-split/window-per-axis", test_window_per_axis);
  g_test_add_func ("/spk/conv-split/reused-buffers", test_reused_buffers);
  return g_test_run ();
}
