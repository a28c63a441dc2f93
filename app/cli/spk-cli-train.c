/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-train.c — `spikeworks-cli fit`, `evaluate` and `predict` on a
 * data set (Fashion-MNIST for now; docs/training.md).  fit trains through
 * rates and saves a session with the trained parameters and history;
 * evaluate and predict run the network itself (spiking where it spikes)
 * through the simulator.  Output files are written only after success. */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "core/spk-format.h"
#include "io/spk-file.h"
#include "io/spk-png.h"
#include "io/spk-session.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"
#include "train/spk-train-data.h"

/* Options every command shares. */
typedef struct
{
  char   *example;
  char   *data;
  char   *data_dir;
  char   *input;
  char   *probe;
  char   *loss;
  char   *batch_text, *steps_text, *n_text;
  gint64  batch;        /* 0: not given */
  gint64  steps;
  gint64  n_max;
} Common;

static void
common_clear (Common *c)
{
  g_free (c->example);
  g_free (c->data);
  g_free (c->data_dir);
  g_free (c->input);
  g_free (c->probe);
  g_free (c->loss);
  g_free (c->batch_text);
  g_free (c->steps_text);
  g_free (c->n_text);
}

/* The common numbers, each a whole number of at least 1 when given. */
static gboolean
common_check (Common  *c,
              GError **error)
{
  return _spk_cli_int_option ("--batch", c->batch_text, 1, G_MAXINT, &c->batch, error)
         && _spk_cli_int_option ("--steps", c->steps_text, 1, G_MAXINT, &c->steps, error)
         && _spk_cli_int_option ("--n", c->n_text, 1, G_MAXINT, &c->n_max, error);
}

#define COMMON_ENTRIES(c) \
  { "example", 'e', 0, G_OPTION_ARG_STRING, &(c).example, N_("A built-in example"), N_("NAME") }, \
  { "data", 'd', 0, G_OPTION_ARG_STRING, &(c).data, N_("The data set: fashion-mnist, or generated-images, noise-lowpass or noise-integral (generated)"), N_("NAME") }, \
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &(c).data_dir, N_("Where the data set's files are"), N_("DIR") }, \
  { "input", 0, 0, G_OPTION_ARG_STRING, &(c).input, N_("The node fed with the images (default 'input')"), N_("LABEL") }, \
  { "probe", 0, 0, G_OPTION_ARG_STRING, &(c).probe, N_("The probe compared with the targets (default: the first)"), N_("LABEL") }, \
  { "loss", 'l', 0, G_OPTION_ARG_STRING, &(c).loss, N_("mse (targets: the images), sparse-ce or sparse-ce-probs (targets: the labels; outputs logits or probabilities)"), N_("LOSS") }, \
  { "batch", 'b', 0, G_OPTION_ARG_STRING, &(c).batch_text, N_("Minibatch size (default 50)"), N_("N") }, \
  { "steps", 0, 0, G_OPTION_ARG_STRING, &(c).steps_text, N_("Steps per example; an image is held and the loss looks at the last step (default: images 1, noise 200)"), N_("N") }, \
  { "n", 'n', 0, G_OPTION_ARG_STRING, &(c).n_text, N_("Use only the first N examples of each split"), N_("N") }

/* The data of one split as data sets for the network's input and probe
 * (spk-train-data.c, shared with the workbench's training panel). */
static gboolean
load_split (const Common *c,
            SpkPlan      *plan,
            const char   *split,
            SpkLossKind   loss,
            SpkDataset  **inputs,
            SpkDataset  **targets,
            GError      **error)
{
  SpkTrainDataOptions o;

  if (c->data == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("no data: give --data fashion-mnist"));
      return FALSE;
    }
  if (!g_str_equal (split, "train") && !g_str_equal (split, "t10k"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("unknown split '%s': the splits are train and t10k"), split);
      return FALSE;
    }
  spk_train_data_options_init (&o);
  o.name = c->data;
  o.data_dir = c->data_dir;
  o.input = c->input;
  o.probe = c->probe;
  o.loss = loss;
  o.steps = c->steps > 0 ? (guint) c->steps : 0;
  o.n_max = c->n_max > 0 ? (guint) c->n_max : 0;
  return spk_train_data_load (&o, plan, g_str_equal (split, "train") ? SPK_TRAIN_SPLIT_TRAIN : SPK_TRAIN_SPLIT_TEST,
                              inputs, targets, error);
}

static gboolean
parse_loss (const Common *c,
            SpkLossKind  *loss,
            GError      **error)
{
  *loss = SPK_LOSS_MSE;
  if (c->loss && !spk_loss_kind_from_name (c->loss, loss))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("unknown loss '%s': the losses are mse, sparse-ce and sparse-ce-probs"), c->loss);
      return FALSE;
    }
  return TRUE;
}

/* A session to train: the one loaded (keeping its layout and history) or
 * a new one of the model or example. */
static SpkSession *
load_session (const char  *path,
              const char  *example,
              GError     **error)
{
  g_autoptr (SpkNetwork) net = NULL;
  g_autoptr (SpkSession) session = NULL;

  if (path && !example && _spk_cli_is_session (path))
    return spk_session_load_checked (path, error);
  if (!(net = _spk_cli_load_model (path, example, error)))
    return NULL;
  session = spk_session_new (net);
  return g_steal_pointer (&session);
}

static gboolean
progress_cb (const SpkFitProgress *p,
             gpointer              user_data)
{
  char buf[SPK_FORMAT_BUF_SIZE];

  if (!p->epoch_done)
    return TRUE;
  printf ("Epoch %u/%u\n%u/%u - %.1fs - loss: %s", p->epoch, p->n_epochs, p->batch, p->n_batches,
          p->seconds, spk_format_double (buf, p->loss));
  if (!isnan (p->accuracy))
    printf (" - accuracy: %.4f", p->accuracy);
  if (!isnan (p->val_loss))
    printf (" - val_loss: %s", spk_format_double (buf, p->val_loss));
  if (!isnan (p->val_accuracy))
    printf (" - val_accuracy: %.4f", p->val_accuracy);
  printf ("\n");
  fflush (stdout);
  return TRUE;
}

int
_spk_cli_fit (int    argc,
              char **argv)
{
  Common c = { 0 };
  g_autofree char *out = NULL, *optimizer = NULL, *dtype_name = NULL;
  g_autofree char *epochs_text = NULL, *seed_text = NULL, *lr_text = NULL, *smoothing_text = NULL;
  gint64 epochs = 1, seed = 0;
  double lr = -1.0, smoothing = 1.0;
  const char *usage = "fit (MODEL | SESSION | --example NAME) --data fashion-mnist --out TRAINED.spkw";
  gboolean validate = FALSE;
  GOptionEntry entries[] = {
    COMMON_ENTRIES (c),
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &epochs_text, N_("Passes over the training set (default 1)"), N_("N") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &optimizer, N_("sgd, adam or rmsprop (default rmsprop)"), N_("NAME") },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &lr_text, N_("Learning rate (default: the optimizer's Keras default)"), N_("RATE") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text, N_("Seed of the shuffling (default 0)"), N_("S") },
    { "dtype", 0, 0, G_OPTION_ARG_STRING, &dtype_name, N_("Precision of training: float32 or float64 (default float32)"), N_("TYPE") },
    { "lif-smoothing", 0, 0, G_OPTION_ARG_STRING, &smoothing_text, N_("SoftLIF sigma for LIF gradients (default 1; 0: LIFRate's)"), N_("SIGMA") },
    { "validate", 0, 0, G_OPTION_ARG_NONE, &validate, N_("Report the test loss after every epoch as val_loss"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The trained session to write"), N_("TRAINED.spkw") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | SESSION.spkw | --example NAME) --data fashion-mnist --out TRAINED.spkw"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL, tx = NULL, ty = NULL;
  SpkOptimizerKind kind = SPK_OPTIMIZER_RMSPROP;
  SpkDtype dtype = SPK_DTYPE_FLOAT32;
  SpkFitOptions options;
  SpkOptimizer opt;
  SpkLossKind loss;
  double test_loss;
  char buf[SPK_FORMAT_BUF_SIZE];
  int status = 1;

  g_option_context_set_summary (context, _("Trains a network on a data set and saves the trained session."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 1, usage))
    goto usage;
  if (out == NULL)
    {
      common_clear (&c);
      return _spk_cli_usage (_("no output: give --out TRAINED.spkw"), usage);
    }
  if ((optimizer && !spk_optimizer_kind_from_name (optimizer, &kind))
      || (dtype_name && !spk_dtype_from_name (dtype_name, &dtype)))
    {
      common_clear (&c);
      return _spk_cli_usage (_("bad value: --optimizer is sgd, adam or rmsprop; --dtype float32 or "
                               "float64"), usage);
    }
  if (!common_check (&c, &error)
      || !_spk_cli_int_option ("--epochs", epochs_text, 1, G_MAXINT, &epochs, &error)
      || !_spk_cli_int_option ("--seed", seed_text, 0, G_MAXINT64, &seed, &error)
      || !_spk_cli_double_option ("--lr", lr_text, 0.0, FALSE, &lr, &error)
      || !_spk_cli_double_option ("--lif-smoothing", smoothing_text, 0.0, TRUE, &smoothing, &error))
    {
      common_clear (&c);
      return _spk_cli_usage (error->message, usage);
    }
  spk_optimizer_init (&opt, kind);
  if (lr_text != NULL)
    opt.learning_rate = lr;

  if (!parse_loss (&c, &loss, &error)
      || !(session = load_session (argc > 1 ? argv[1] : NULL, c.example, &error)))
    goto fail;
  plan = spk_session_get_plan (session) ? spk_plan_ref (spk_session_get_plan (session))
                                        : _spk_cli_build (spk_session_get_network (session), NULL, &error);
  if (plan == NULL
      || !load_split (&c, plan, "train", loss, &x, &y, &error)
      || !load_split (&c, plan, "t10k", loss, &tx, &ty, &error)
      || !(trainer = spk_trainer_new (spk_session_get_network (session), plan, dtype, &error)))
    goto fail;
  spk_trainer_set_optimizer (trainer, &opt);
  spk_trainer_set_lif_smoothing (trainer, smoothing);
  {
    g_auto (GStrv) names = spk_dataset_list (y);

    if (!spk_trainer_set_loss (trainer, names[0], loss, &error))
      goto fail;
  }
  spk_fit_options_init (&options);
  options.epochs = (guint) epochs;
  options.batch_size = c.batch > 0 ? (guint) c.batch : 50;
  options.seed = (guint64) seed;
  options.progress = progress_cb;
  if (validate)
    {
      options.val_inputs = tx;
      options.val_targets = ty;
    }
  if (!spk_trainer_fit (trainer, x, y, &options, &error)
      || !spk_trainer_evaluate (trainer, tx, ty, 500, &test_loss, &error))
    goto fail;
  printf ("test loss: %s", spk_format_double (buf, test_loss));
  if (!isnan (spk_trainer_get_accuracy (trainer)))
    printf (" - test accuracy: %.4f", spk_trainer_get_accuracy (trainer));
  printf ("\n");
  if (!spk_trainer_save_to_session (trainer, session, &error)
      || !spk_session_save (session, out, &error))
    goto fail;
  status = 0;
  common_clear (&c);
  return status;

fail:
  common_clear (&c);
  return _spk_cli_fail (error);
usage:
  common_clear (&c);
  return 2;
}

/* Examples of a batch whose largest output at the last step is their
 * class (the accuracy metric of a sparse categorical loss). */
static guint
count_correct (const double *pred,
               const float  *labels,
               guint         b,
               guint         steps,
               guint         size)
{
  guint correct = 0;

  for (guint e = 0; e < b; e++)
    correct += (float) spk_loss_argmax (pred + ((gsize) e * steps + steps - 1) * size, size) == labels[e];
  return correct;
}

/* Runs the (spiking) network over a split in batches: probe outputs
 * n × steps × size in out when not NULL, the loss and, for a sparse
 * categorical loss, the accuracy (else NaN). */
static gboolean
run_split (SpkPlan     *plan,
           SpkDataset  *x,
           SpkDataset  *y,
           SpkLossKind  loss,
           guint        batch,
           double      *loss_out,
           double      *accuracy_out,
           float      **out,
           guint       *size_out,
           GError     **error)
{
  g_auto (GStrv) in_names = spk_dataset_list (x), t_names = spk_dataset_list (y);
  guint n = spk_dataset_get_n_examples (x), steps = spk_dataset_get_n_steps (x), in_size, in_steps, t_steps;
  const float *in = spk_dataset_get (x, in_names[0], &in_steps, &in_size);
  const float *t = spk_dataset_get (y, t_names[0], &t_steps, NULL);
  int p = spk_plan_find_probe (plan, t_names[0]);
  guint size = spk_plan_get_probe_size (plan, (guint) p);
  g_autofree double *in64 = NULL;
  g_autofree double *pred = NULL;
  g_autofree float *all = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  double total = 0.0;
  guint correct = 0;

  /* A loss over no examples is no number (the mean of nothing). */
  if (n == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("the data set has no examples to run the network on"));
      return FALSE;
    }
  /* A batch is never larger than the data: --batch sizes buffers. */
  batch = MIN (batch, n);
  if (!(in64 = g_try_new (double, (gsize) batch * in_steps * in_size))
      || !(pred = g_try_new (double, (gsize) batch * steps * size))
      || (out && !(all = g_try_new (float, (gsize) n * steps * size))))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("not enough memory to run %u examples of %u steps in batches of %u"), n, steps, batch);
      return FALSE;
    }
  for (guint start = 0; start < n; start += batch)
    {
      guint b = MIN (batch, n - start);
      double l;

      if (sim == NULL || spk_simulator_get_batch (sim) != b)
        {
          g_clear_pointer (&sim, spk_simulator_free);
          if (!(sim = spk_simulator_new (plan, b, error)))
            return FALSE;
        }
      /* An input of one step is held (an image); a signal is fed step by
       * step.  Set as an input, not through predict, so that it holds for
       * every step of the run. */
      for (gsize i = 0; i < (gsize) b * in_steps * in_size; i++)
        in64[i] = in[(gsize) start * in_steps * in_size + i];
      spk_simulator_reset (sim);
      if (!spk_simulator_set_input (sim, in_names[0], in64, in_steps, error)
          || !spk_simulator_run_steps (sim, steps, error))
        return FALSE;
      spk_simulator_get_probe_data (sim, (guint) p, pred);
      if (!spk_loss_compute (loss, t_names[0], pred, t + (gsize) start * t_steps * (loss == SPK_LOSS_MSE ? size : 1),
                             b, steps, t_steps, size, &l, error))
        return FALSE;
      total += l * b;
      if (SPK_LOSS_IS_SPARSE (loss))
        correct += count_correct (pred, t + (gsize) start * t_steps, b, steps, size);
      if (all)
        for (gsize i = 0; i < (gsize) b * steps * size; i++)
          all[(gsize) start * steps * size + i] = (float) pred[i];
    }
  *loss_out = total / n;
  *accuracy_out = SPK_LOSS_IS_SPARSE (loss) ? (double) correct / n : NAN;
  if (out)
    *out = g_steal_pointer (&all);
  if (size_out)
    *size_out = size;
  return TRUE;
}

static int
evaluate_or_predict (int      argc,
                     char   **argv,
                     gboolean predict)
{
  Common c = { 0 };
  g_autofree char *split = NULL, *out = NULL, *png = NULL, *png_count_text = NULL;
  gint64 png_count = 16;
  const char *usage = predict ? "predict (MODEL | SESSION | --example NAME) --data fashion-mnist (--out FILE | --png FILE.png)"
                              : "evaluate (MODEL | SESSION | --example NAME) --data fashion-mnist";
  GOptionEntry entries[] = {
    COMMON_ENTRIES (c),
    { "split", 0, 0, G_OPTION_ARG_STRING, &split, N_("train or t10k (default t10k)"), N_("SPLIT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("predict: FILE.csv (last step, one row per example) or FILE.f32 (raw float32)"), N_("FILE") },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, N_("predict: a PNG grid of images beside their reconstructions (784-value probes)"), N_("FILE.png") },
    { "png-count", 0, 0, G_OPTION_ARG_STRING, &png_count_text, N_("predict: how many pairs the PNG shows (default 16)"), N_("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (predict ? N_("(MODEL.json | SESSION.spkw | --example NAME) --data fashion-mnist (--out FILE | --png FILE.png)")
                                                                     : N_("(MODEL.json | SESSION.spkw | --example NAME) --data fashion-mnist"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autofree float *pred = NULL;
  SpkLossKind loss;
  double value, accuracy;
  guint size = 0;
  char buf[SPK_FORMAT_BUF_SIZE];

  g_option_context_set_summary (context, predict ? _("Runs the network on a data set and writes the probe's outputs.")
                                                 : _("Runs the network on a data set and prints the loss."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 1, usage))
    return common_clear (&c), 2;
  if (!common_check (&c, &error)
      || !_spk_cli_int_option ("--png-count", png_count_text, 1, G_MAXINT, &png_count, &error))
    {
      common_clear (&c);
      return _spk_cli_usage (error->message, usage);
    }
  if (predict && out == NULL && png == NULL)
    {
      common_clear (&c);
      return _spk_cli_usage (_("no output: give --out FILE.csv or FILE.f32, or --png FILE.png"),
                             "predict (MODEL | SESSION | --example NAME) --data fashion-mnist --out FILE");
    }
  if (predict && out && !g_str_has_suffix (out, ".csv") && !g_str_has_suffix (out, ".f32"))
    {
      common_clear (&c);
      return _spk_cli_usage (_("the output must end in .csv or .f32"),
                             "predict (MODEL | SESSION | --example NAME) --data fashion-mnist --out FILE");
    }
  if (!parse_loss (&c, &loss, &error)
      || !(plan = _spk_cli_load_plan (argc > 1 ? argv[1] : NULL, c.example, -1, &network, &error))
      || !load_split (&c, plan, split ? split : "t10k", loss, &x, &y, &error)
      || !run_split (plan, x, y, loss, c.batch > 0 ? (guint) c.batch : 500, &value, &accuracy,
                     predict ? &pred : NULL, &size, &error))
    {
      common_clear (&c);
      return _spk_cli_fail (error);
    }
  common_clear (&c);
  if (!predict)
    {
      printf ("loss: %s", spk_format_double (buf, value));
      if (!isnan (accuracy))
        printf (" - accuracy: %.4f", accuracy);
      printf ("\n");
      return 0;
    }
  if (png)
    {
      g_auto (GStrv) names = spk_dataset_list (x);
      guint n = spk_dataset_get_n_examples (x), steps = spk_dataset_get_n_steps (x), in_size;
      const float *images = spk_dataset_get (x, names[0], NULL, &in_size);
      guint count = MIN ((guint) png_count, n);
      g_autofree float *last = NULL;

      if (size != in_size || size != 784)
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--png shows 28 × 28 images beside their reconstructions, but the probe "
                         "has %u values per image"), size);
          return _spk_cli_fail (error);
        }
      /* The reconstruction at the last step of each example. */
      last = g_new (float, (gsize) MAX (count, 1) * size);
      for (guint e = 0; e < count; e++)
        memcpy (last + (gsize) e * size, pred + ((gsize) e * steps + steps - 1) * size, size * sizeof (float));
      if (!spk_png_write_pairs (png, images, last, count, 28, 28, 4, 2, 0.0, 255.0, &error))
        return _spk_cli_fail (error);
      printf ("wrote %u input/reconstruction pairs to %s (loss: %s)\n", count, png, spk_format_double (buf, value));
    }
  if (out)
    {
      guint n = spk_dataset_get_n_examples (x), steps = spk_dataset_get_n_steps (x);
      gboolean ok;

      if (g_str_has_suffix (out, ".f32"))
        ok = spk_file_write_all (out, (const char *) pred, (gsize) n * steps * size * sizeof (float), &error);
      else
        {
          g_autoptr (GString) csv = g_string_new (NULL);

          for (guint e = 0; e < n; e++)
            {
              const float *row = pred + ((gsize) e * steps + steps - 1) * size;

              for (guint i = 0; i < size; i++)
                {
                  if (i)
                    g_string_append_c (csv, ',');
                  g_string_append (csv, spk_format_float (buf, row[i]));
                }
              g_string_append_c (csv, '\n');
            }
          ok = spk_file_write_all (out, csv->str, csv->len, &error);
        }
      if (!ok)
        return _spk_cli_fail (error);
      printf ("wrote %u × %u × %u values to %s (loss: %s)\n", n, steps, size, out, spk_format_double (buf, value));
    }
  return 0;
}

int
_spk_cli_evaluate (int    argc,
                   char **argv)
{
  return evaluate_or_predict (argc, argv, FALSE);
}

int
_spk_cli_predict (int    argc,
                  char **argv)
{
  return evaluate_or_predict (argc, argv, TRUE);
}
