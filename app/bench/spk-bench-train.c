/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-train.c — `spikeworks-cli bench fit-autoencoder` and
 * `fit-conv`: training images per second on the autoencoder and on the
 * spiking-fashion-mnist example's convolutional network. */
#define G_LOG_DOMAIN "spk-bench"

#include "bench/spk-bench.h"

#include <math.h>
#ifdef G_OS_UNIX
#include <sys/resource.h>
#endif

#include "core/spk-rng.h"
#include "examples/spk-examples.h"
#include "train/spk-train.h"
#include "train/spk-train-data.h"

double
spk_bench_train_autoencoder (guint    n_images,
                             GError **error)
{
  g_autoptr (SpkNetwork) net = spk_example_new ("autoencoder", error);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GTimer) timer = NULL;
  SpkFitOptions options;
  SpkOptimizer opt;
  float *images;
  SpkRng rng;
  double seconds;

  if (net == NULL)
    return -1.0;
  n_images = MAX (n_images, 50);
  images = g_new (float, (gsize) n_images * 784);
  spk_rng_init (&rng, 1);
  for (gsize i = 0; i < (gsize) n_images * 784; i++)
    images[i] = (float) floor (spk_rng_uniform (&rng) * 256.0);
  bytes = g_bytes_new_take (images, (gsize) n_images * 784 * sizeof (float));
  x = spk_dataset_new (n_images, 1);
  y = spk_dataset_new (n_images, 1);
  if (!spk_dataset_add (x, "input", bytes, 1, 784, error)
      || !spk_dataset_add (y, "output_activity", bytes, 1, 784, error)
      || !(trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT32, error)))
    return -1.0;
  spk_optimizer_init (&opt, SPK_OPTIMIZER_RMSPROP);
  spk_trainer_set_optimizer (trainer, &opt);
  spk_fit_options_init (&options);
  options.batch_size = 50;
  /* As the PyTorch peer is measured (--threads 1): OpenBLAS's second
   * thread costs more than it gains on 50 × 784 × 64 products. */
  options.blas_threads = 1;
  timer = g_timer_new ();
  if (!spk_trainer_fit (trainer, x, y, &options, error))
    return -1.0;
  seconds = g_timer_elapsed (timer, NULL);
  return n_images / seconds;
}

/* User + system CPU seconds of the whole process so far (-1: unknown). */
static double
process_cpu_s (void)
{
#ifdef G_OS_UNIX
  struct rusage use;

  if (getrusage (RUSAGE_SELF, &use) == 0)
    return use.ru_utime.tv_sec + use.ru_utime.tv_usec * 1e-6 + use.ru_stime.tv_sec + use.ru_stime.tv_usec * 1e-6;
#endif
  return -1.0;
}

/* A fit of the first minibatch of x, y (name: the target). */
static gboolean
warm_up (SpkTrainer          *trainer,
         SpkDataset          *x,
         SpkDataset          *y,
         const char          *name,
         const SpkFitOptions *options,
         GError             **error)
{
  const guint n = MIN (options->batch_size, spk_dataset_get_n_examples (x));
  g_autoptr (SpkDataset) wx = spk_dataset_new (n, 1), wy = spk_dataset_new (n, 1);
  g_autoptr (GBytes) xb = NULL, yb = NULL;
  const float *xv, *yv;
  guint steps, x_size, y_size;

  xv = spk_dataset_get (x, "input", &steps, &x_size);
  yv = spk_dataset_get (y, name, &steps, &y_size);
  g_return_val_if_fail (xv != NULL && yv != NULL, FALSE);
  xb = g_bytes_new (xv, (gsize) n * x_size * sizeof (float));
  yb = g_bytes_new (yv, (gsize) n * y_size * sizeof (float));
  return spk_dataset_add (wx, "input", xb, 1, x_size, error)
         && spk_dataset_add (wy, name, yb, 1, y_size, error)
         && spk_trainer_fit (trainer, wx, wy, options, error);
}

double
spk_bench_train_conv (guint         n_batches,
                      const char  **data_name,
                      double       *cpu_s,
                      GError      **error)
{
  double cpu0, seconds;

  g_autoptr (SpkNetwork) net = spk_example_new ("spiking-fashion-mnist", error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GTimer) timer = NULL;
  g_autoptr (GError) missing = NULL;
  SpkTrainDataOptions data;
  SpkFitOptions options;
  SpkOptimizer opt;
  g_auto (GStrv) names = NULL;

  if (net == NULL || !(plan = spk_build (net, error)))
    return -1.0;
  spk_train_data_options_init (&data);
  data.name = "fashion-mnist";
  data.loss = SPK_LOSS_SPARSE_CE;
  data.probe = "output";
  data.n_max = MAX (n_batches, 1) * 50;
  /* Fashion-MNIST when it is installed, else its generated stand-in: the
   * same shapes, so the same work. */
  if (!spk_train_data_load (&data, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &missing))
    {
      data.name = "generated-images";
      if (!spk_train_data_load (&data, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, error))
        return -1.0;
    }
  *data_name = data.name;
  if (!(trainer = spk_trainer_new (net, plan, SPK_DTYPE_FLOAT32, error)))
    return -1.0;
  /* As the PyTorch peer trains (../bench/torch_conv.py): Adam at 1e-3,
   * minibatch 50, sparse cross-entropy on the output. */
  spk_optimizer_init (&opt, SPK_OPTIMIZER_ADAM);
  opt.learning_rate = 1e-3;
  spk_trainer_set_optimizer (trainer, &opt);
  names = spk_dataset_list (y);
  if (!spk_trainer_set_loss (trainer, names[0], SPK_LOSS_SPARSE_CE, error))
    return -1.0;
  spk_fit_options_init (&options);
  options.batch_size = 50;
  /* One minibatch first, untimed: the trainer's buffers (about 100 MB for
   * a minibatch of this network) are allocated and first touched there,
   * which the PyTorch peer's minute-long run amortises. */
  if (!warm_up (trainer, x, y, names[0], &options, error))
    return -1.0;
  cpu0 = process_cpu_s ();
  timer = g_timer_new ();
  if (!spk_trainer_fit (trainer, x, y, &options, error))
    return -1.0;
  seconds = g_timer_elapsed (timer, NULL);
  if (cpu_s)
    *cpu_s = cpu0 >= 0 ? process_cpu_s () - cpu0 : -1.0;
  return spk_dataset_get_n_examples (x) / seconds;
}
