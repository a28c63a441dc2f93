/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-data.c — the named data sets of spk-train-data.h, assembled
 * for a plan: Fashion-MNIST from its IDX files or generated stand-in
 * images, and two generated temporal tasks that need no download. */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-data.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/spk-rng.h"
#include "io/spk-image-set.h"

/* Steps between the noise's new levels, and its time constants (s). */
#define NOISE_HOLD_STEPS 20
#define NOISE_TAU 0.010
#define LOWPASS_TAU 0.030

static const SpkTrainDataInfo data_sets[] = {
  { "fashion-mnist", N_("Fashion-MNIST"),
    N_("28 × 28 images of clothing held on the input; the probe learns the image (mse) or the "
       "class (sparse-ce). Needs the package dataset-fashion-mnist."), FALSE, TRUE },
  { "generated-images", N_("Generated Images"),
    N_("28 × 28 stand-in images of ten classes (a bright band whose row gives the class), held "
       "on the input like Fashion-MNIST. Generated, nothing to install."), TRUE, TRUE },
  { "noise-lowpass", N_("Noise → Lowpass"),
    N_("A smooth random signal on the input; the probe learns it through a 30 ms lowpass. "
       "Generated, nothing to install."), TRUE, FALSE },
  { "noise-integral", N_("Noise → Integral"),
    N_("A smooth random signal on the input; the probe learns its running integral. "
       "Generated, nothing to install."), TRUE, FALSE },
  { NULL },
};

const SpkTrainDataInfo *
spk_train_data_list (void)
{
  return data_sets;
}

const SpkTrainDataInfo *
spk_train_data_lookup (const char *name)
{
  for (guint i = 0; name != NULL && data_sets[i].name != NULL; i++)
    if (g_str_equal (data_sets[i].name, name))
      return &data_sets[i];
  return NULL;
}

void
spk_train_data_options_init (SpkTrainDataOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (SpkTrainDataOptions) { .loss = SPK_LOSS_MSE };
}

/* The probe's index in plan, or -1 with an error. */
static int
find_probe (SpkPlan     *plan,
            const char **probe,
            GError     **error)
{
  int p = -1;

  if (*probe == NULL && spk_plan_get_n_probes (plan) > 0)
    *probe = spk_plan_get_probe_label (plan, 0);
  if (*probe == NULL || (p = spk_plan_find_probe (plan, *probe)) < 0)
    g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                 *probe ? _("there is no probe '%s' in the model") : _("the model has no probe to train"), *probe);
  return p;
}

static gboolean
load_images (const SpkTrainDataOptions *o,
                    SpkPlan                   *plan,
                    SpkTrainSplit              split,
                    SpkDataset               **inputs,
                    SpkDataset               **targets,
                    GError                   **error)
{
  g_autofree float *images = NULL, *labels = NULL;
  g_autoptr (GBytes) img = NULL, lab = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  const char *probe = o->probe;
  guint n, steps = o->steps > 0 ? o->steps : 1;
  int p;

  gboolean generated = g_str_equal (o->name, "generated-images");
  /* The generated split is as long as Fashion-MNIST's, but only a few
   * thousand are worth making unless asked. */
  guint count = o->n_max > 0 ? o->n_max : generated ? (split == SPK_TRAIN_SPLIT_TRAIN ? 2000 : 500) : 0;
  guint total = split == SPK_TRAIN_SPLIT_TRAIN ? 60000 : 10000;

  /* Fashion-MNIST's files may hold fewer images than asked for: all of
   * them, cut to n_max. */
  if (!spk_image_set_load (o->name, o->data_dir, split == SPK_TRAIN_SPLIT_TRAIN, 0,
                           generated ? MIN (count, total) : 0, &images, &labels, &n, error))
    return FALSE;
  if (count > 0 && count < n)
    n = count;
  if ((p = find_probe (plan, &probe, error)) < 0)
    return FALSE;
  if (o->loss == SPK_LOSS_MSE && spk_plan_get_probe_size (plan, (guint) p) != 784)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("probe '%s' has %u values, but an mse loss on Fashion-MNIST compares it with "
                     "the 784 pixels of the image; use the sparse-ce loss to learn the labels"),
                   probe, spk_plan_get_probe_size (plan, (guint) p));
      return FALSE;
    }
  img = g_bytes_new_take (g_steal_pointer (&images), (gsize) n * 784 * sizeof (float));
  lab = g_bytes_new_take (g_steal_pointer (&labels), (gsize) n * sizeof (float));
  x = spk_dataset_new (n, steps);
  y = spk_dataset_new (n, steps);
  if (!spk_dataset_add (x, o->input ? o->input : "input", img, 1, 784, error)
      || !spk_dataset_add (y, probe, o->loss == SPK_LOSS_MSE ? img : lab, 1,
                           o->loss == SPK_LOSS_MSE ? 784 : 1, error))
    return FALSE;
  *inputs = g_steal_pointer (&x);
  *targets = g_steal_pointer (&y);
  return TRUE;
}

/* Noise for n examples of steps steps and size dimensions, and its
 * lowpass or its integral; both n × steps × size. */
static void
make_noise (SpkRng   *rng,
            double    dt,
            gboolean  integral,
            guint     n,
            guint     steps,
            guint     size,
            float    *in,
            float    *target)
{
  const double a_noise = exp (-dt / NOISE_TAU), a_lp = exp (-dt / LOWPASS_TAU);

  for (guint e = 0; e < n; e++)
    for (guint d = 0; d < size; d++)
      {
        double level = 0.0, s = 0.0, out = 0.0;

        for (guint k = 0; k < steps; k++)
          {
            gsize at = ((gsize) e * steps + k) * size + d;

            if (k % NOISE_HOLD_STEPS == 0)
              level = spk_rng_uniform_range (rng, -1.0, 1.0);
            s = a_noise * s + (1.0 - a_noise) * level;
            out = integral ? out + s * dt : a_lp * out + (1.0 - a_lp) * s;
            in[at] = (float) s;
            target[at] = (float) out;
          }
      }
}

static gboolean
load_noise (const SpkTrainDataOptions *o,
            SpkPlan                   *plan,
            SpkTrainSplit              split,
            gboolean                   integral,
            SpkDataset               **inputs,
            SpkDataset               **targets,
            GError                   **error)
{
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GBytes) xb = NULL, yb = NULL;
  const char *probe = o->probe;
  guint steps = o->steps > 0 ? o->steps : 200;
  guint n = o->n_max > 0 ? o->n_max : split == SPK_TRAIN_SPLIT_TRAIN ? 128 : 32;
  guint size;
  gsize count;
  float *in, *target;
  SpkRng rng;
  int p;

  if (o->loss != SPK_LOSS_MSE)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("data set '%s' has no classes: its targets are signals, so the loss is mse"), o->name);
      return FALSE;
    }
  if ((p = find_probe (plan, &probe, error)) < 0)
    return FALSE;
  /* One input dimension per probed dimension: the task is per dimension. */
  size = spk_plan_get_probe_size (plan, (guint) p);
  count = (gsize) n * steps * size;
  if (size == 0 || count / steps / size != n || !(in = g_try_new (float, count)))
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_NO_MEMORY,
                   _("not enough memory for %u examples of %u steps"), n, steps);
      return FALSE;
    }
  if (!(target = g_try_new (float, count)))
    {
      g_free (in);
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_NO_MEMORY,
                   _("not enough memory for %u examples of %u steps"), n, steps);
      return FALSE;
    }
  /* The test split draws from its own stream: validation sees new signals. */
  spk_rng_init (&rng, o->seed * 2 + (split == SPK_TRAIN_SPLIT_TEST));
  make_noise (&rng, spk_plan_get_dt (plan), integral, n, steps, size, in, target);
  xb = g_bytes_new_take (in, count * sizeof (float));
  yb = g_bytes_new_take (target, count * sizeof (float));
  x = spk_dataset_new (n, steps);
  y = spk_dataset_new (n, steps);
  if (!spk_dataset_add (x, o->input ? o->input : "input", xb, steps, size, error)
      || !spk_dataset_add (y, probe, yb, steps, size, error))
    return FALSE;
  *inputs = g_steal_pointer (&x);
  *targets = g_steal_pointer (&y);
  return TRUE;
}

gboolean
spk_train_data_load (const SpkTrainDataOptions *options,
                     SpkPlan                   *plan,
                     SpkTrainSplit              split,
                     SpkDataset               **inputs,
                     SpkDataset               **targets,
                     GError                   **error)
{
  g_return_val_if_fail (options != NULL && plan != NULL, FALSE);
  g_return_val_if_fail (inputs != NULL && targets != NULL, FALSE);

  *inputs = *targets = NULL;
  if (g_strcmp0 (options->name, "fashion-mnist") == 0 || g_strcmp0 (options->name, "generated-images") == 0)
    return load_images (options, plan, split, inputs, targets, error);
  if (g_strcmp0 (options->name, "noise-lowpass") == 0 || g_strcmp0 (options->name, "noise-integral") == 0)
    return load_noise (options, plan, split, g_str_equal (options->name, "noise-integral"),
                       inputs, targets, error);
  g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_OPTIONS,
               _("unknown data set '%s': the data sets are fashion-mnist, generated-images, noise-lowpass and noise-integral"),
               options->name ? options->name : "");
  return FALSE;
}
