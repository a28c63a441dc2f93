/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-train.c — `spikeworks-cli bench fit-autoencoder`: training
 * images per second on the autoencoder example. */
#define G_LOG_DOMAIN "spk-bench"

#include "bench/spk-bench.h"

#include <math.h>

#include "core/spk-rng.h"
#include "examples/spk-examples.h"
#include "train/spk-train.h"

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
