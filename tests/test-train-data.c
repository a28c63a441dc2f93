/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-train-data.c — the named data sets (spk-train-data.c): the
 * generated ones hold what they say (the target is the input through a
 * 30 ms lowpass, or its running integral, step by step), differ between
 * the training and the test split, repeat from their seed, and refuse
 * what they cannot give with a message. */
#include <math.h>
#include <string.h>

#include "examples/spk-examples.h"
#include "train/spk-train-data.h"
#include "spk-test-util.h"

static SpkPlan *
channel_plan (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  SpkPlan *plan = spk_build (network, NULL);

  g_assert_nonnull (plan);
  return plan;
}

static void
load (SpkPlan        *plan,
      const char     *name,
      SpkTrainSplit   split,
      guint64         seed,
      SpkDataset    **x,
      SpkDataset    **y)
{
  SpkTrainDataOptions o;
  g_autoptr (GError) error = NULL;

  spk_train_data_options_init (&o);
  o.name = name;
  o.probe = "b_value";
  o.seed = seed;
  o.steps = 60;
  o.n_max = 5;
  g_assert_true (spk_train_data_load (&o, plan, split, x, y, &error));
  g_assert_no_error (error);
}

/* The target follows from the input by the recurrence it is defined by
 * (float32 storage: 1e-6 of the values, which stay within ±1). */
static void
test_noise (void)
{
  g_autoptr (SpkPlan) plan = channel_plan ();
  const char *names[] = { "noise-lowpass", "noise-integral" };

  for (guint which = 0; which < 2; which++)
    {
      g_autoptr (SpkDataset) x = NULL, y = NULL, tx = NULL, ty = NULL, x2 = NULL, y2 = NULL;
      const double dt = spk_plan_get_dt (plan), a = exp (-dt / 0.030);
      guint steps, size, t_steps, t_size;
      const float *in, *target, *test_in, *again;
      gboolean differs = FALSE;

      load (plan, names[which], SPK_TRAIN_SPLIT_TRAIN, 3, &x, &y);
      g_assert_cmpuint (spk_dataset_get_n_examples (x), ==, 5);
      g_assert_cmpuint (spk_dataset_get_n_steps (x), ==, 60);
      in = spk_dataset_get (x, "input", &steps, &size);
      target = spk_dataset_get (y, "b_value", &t_steps, &t_size);
      g_assert_nonnull (in);
      g_assert_nonnull (target);
      g_assert_cmpuint (steps, ==, 60);
      g_assert_cmpuint (size, ==, 1);
      g_assert_cmpuint (t_steps, ==, 60);
      g_assert_cmpuint (t_size, ==, 1);
      for (guint e = 0; e < 5; e++)
        {
          double out = 0.0;

          for (guint k = 0; k < 60; k++)
            {
              double u = in[e * 60 + k];

              g_assert_cmpfloat (fabs (u), <=, 1.0);
              out = which == 0 ? a * out + (1.0 - a) * u : out + u * dt;
              g_assert_cmpfloat (fabs (target[e * 60 + k] - out), <=, 1e-6);
              out = target[e * 60 + k];
            }
        }
      /* The test split is other signals; the same seed, the same ones. */
      load (plan, names[which], SPK_TRAIN_SPLIT_TEST, 3, &tx, &ty);
      test_in = spk_dataset_get (tx, "input", NULL, NULL);
      load (plan, names[which], SPK_TRAIN_SPLIT_TRAIN, 3, &x2, &y2);
      again = spk_dataset_get (x2, "input", NULL, NULL);
      for (guint i = 0; i < 5 * 60; i++)
        {
          differs |= test_in[i] != in[i];
          g_assert_cmpfloat (again[i], ==, in[i]);
        }
      g_assert_true (differs);
    }
}

static void
test_errors (void)
{
  g_autoptr (SpkPlan) plan = channel_plan ();
  SpkTrainDataOptions o;
  SpkDataset *x = NULL, *y = NULL;
  g_autoptr (GError) error = NULL;

  spk_train_data_options_init (&o);
  o.name = "noise-lowpass";
  o.loss = SPK_LOSS_SPARSE_CE;
  g_assert_false (spk_train_data_load (&o, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &error));
  g_assert_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, "data set 'noise-lowpass' has no classes: its targets are signals, so the loss is mse");
  g_assert_null (x);
  g_clear_error (&error);

  o.loss = SPK_LOSS_MSE;
  o.probe = "nothing";
  g_assert_false (spk_train_data_load (&o, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &error));
  g_assert_cmpstr (error->message, ==, "there is no probe 'nothing' in the model");
  g_clear_error (&error);

  o.name = "mnist";
  g_assert_false (spk_train_data_load (&o, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &error));
  g_assert_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_OPTIONS);
  g_clear_error (&error);

  /* Fashion-MNIST from a directory without it names the package. */
  o.name = "fashion-mnist";
  o.probe = NULL;
  o.data_dir = g_get_tmp_dir ();
  g_assert_false (spk_train_data_load (&o, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "dataset-fashion-mnist"));

  g_assert_nonnull (spk_train_data_lookup ("noise-integral"));
  g_assert_true (spk_train_data_lookup ("noise-integral")->generated);
  g_assert_null (spk_train_data_lookup ("mnist"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/train-data/noise", test_noise);
  g_test_add_func ("/spk/train-data/errors", test_errors);
  return g_test_run ();
}
