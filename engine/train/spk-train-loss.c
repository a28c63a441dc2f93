/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-loss.c — the names and defaults of
 * losses, optimizers and fit options, and the losses themselves. */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

/* ---- Names and defaults ------------------------------------------------- */

const char *
spk_loss_kind_to_name (SpkLossKind kind)
{
  return kind == SPK_LOSS_SPARSE_CE ? "sparse-ce"
         : kind == SPK_LOSS_SPARSE_CE_PROBS ? "sparse-ce-probs" : "mse";
}

gboolean
spk_loss_kind_from_name (const char  *name,
                         SpkLossKind *kind)
{
  if (g_strcmp0 (name, "mse") == 0)
    *kind = SPK_LOSS_MSE;
  else if (g_strcmp0 (name, "sparse-ce") == 0)
    *kind = SPK_LOSS_SPARSE_CE;
  else if (g_strcmp0 (name, "sparse-ce-probs") == 0)
    *kind = SPK_LOSS_SPARSE_CE_PROBS;
  else
    return FALSE;
  return TRUE;
}

void
spk_optimizer_init (SpkOptimizer     *opt,
                    SpkOptimizerKind  kind)
{
  *opt = (SpkOptimizer) {
    .kind = kind,
    .learning_rate = kind == SPK_OPTIMIZER_SGD ? 0.01 : 0.001,
    .beta1 = 0.9, .beta2 = 0.999, .rho = 0.9, .epsilon = 1e-7,
  };
}

gboolean
spk_optimizer_kind_from_name (const char       *name,
                              SpkOptimizerKind *kind)
{
  if (g_strcmp0 (name, "sgd") == 0)
    *kind = SPK_OPTIMIZER_SGD;
  else if (g_strcmp0 (name, "adam") == 0)
    *kind = SPK_OPTIMIZER_ADAM;
  else if (g_strcmp0 (name, "rmsprop") == 0)
    *kind = SPK_OPTIMIZER_RMSPROP;
  else
    return FALSE;
  return TRUE;
}

void
spk_fit_options_init (SpkFitOptions *options)
{
  *options = (SpkFitOptions) { .epochs = 1, .batch_size = 32, .shuffle = TRUE };
}

/* ---- Losses ------------------------------------------------------------- */

/* Keras's epsilon: probabilities are clipped to [ε, 1 − ε]. */
#define PROB_EPSILON 1e-7

/* MSE: mean over the size values of (y − t)², gradient 2(y − t)/size.
 * Sparse CE from logits: logsumexp(y) − y[c], gradient softmax(y) − onehot(c).
 * From probabilities, as Keras's sparse_categorical_crossentropy with
 * from_logits=False: p = clip(y, ε, 1 − ε), then the logits log p:
 * log Σ p − log p[c], gradient (1/Σ p − onehot(c)/p[c]) where y lies
 * inside the clip range, 0 where the clip holds it (TensorFlow's
 * clip_by_value gradient). */
gboolean
_spk_train_loss_row (SpkLossKind   kind,
                     const char   *label,
                     const double *y,
                     const float  *t,
                     guint         size,
                     double        scale,
                     double       *grad,
                     double       *loss,
                     GError      **error)
{
  if (kind == SPK_LOSS_MSE)
    {
      double sum = 0.0;

      for (guint i = 0; i < size; i++)
        {
          const double e = y[i] - (double) t[i];

          sum += e * e;
          if (grad)
            grad[i] = scale * 2.0 * e / size;
        }
      *loss = sum / size;
      return TRUE;
    }
  else
    {
      const double c = t[0];
      double top = y[0], sum = 0.0;

      if (!(c >= 0.0 && c < size && c == floor (c)))
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                       _("probe '%s': target class %g is not an index below the probe's %u values"),
                       label, c, size);
          return FALSE;
        }
      if (kind == SPK_LOSS_SPARSE_CE_PROBS)
        {
          const guint k = (guint) c;
          const double pc = CLAMP (y[k], PROB_EPSILON, 1.0 - PROB_EPSILON);

          for (guint i = 0; i < size; i++)
            sum += CLAMP (y[i], PROB_EPSILON, 1.0 - PROB_EPSILON);
          *loss = log (sum) - log (pc);
          if (grad)
            for (guint i = 0; i < size; i++)
              {
                const gboolean inside = y[i] >= PROB_EPSILON && y[i] <= 1.0 - PROB_EPSILON;

                grad[i] = inside ? scale * (1.0 / sum - (i == k ? 1.0 / pc : 0.0)) : 0.0;
              }
          return TRUE;
        }
      for (guint i = 1; i < size; i++)
        top = MAX (top, y[i]);
      for (guint i = 0; i < size; i++)
        sum += exp (y[i] - top);
      *loss = top + log (sum) - y[(guint) c];
      if (grad)
        for (guint i = 0; i < size; i++)
          grad[i] = scale * (exp (y[i] - top) / sum - (i == (guint) c ? 1.0 : 0.0));
      return TRUE;
    }
}

guint
spk_loss_argmax (const double *values,
                 guint         n)
{
  guint best = 0;

  for (guint i = 1; i < n; i++)
    if (values[i] > values[best])
      best = i;
  return best;
}

gboolean
spk_loss_compute (SpkLossKind   kind,
                  const char   *label,
                  const double *y,
                  const float  *t,
                  guint         n,
                  guint         steps,
                  guint         t_steps,
                  guint         size,
                  double       *loss,
                  GError      **error)
{
  const guint t_size = SPK_LOSS_IS_SPARSE (kind) ? 1 : size;
  double total = 0.0;
  guint counted = 0;

  for (guint e = 0; e < n; e++)
    for (guint k = (t_steps == steps ? 0 : steps - 1); k < steps; k++)
      {
        double l;

        if (!_spk_train_loss_row (kind, label, y + ((gsize) e * steps + k) * size,
                                  t + ((gsize) e * t_steps + (t_steps == 1 ? 0 : k)) * t_size,
                                  size, 1.0, NULL, &l, error))
          return FALSE;
        total += l;
        counted++;
      }
  *loss = counted ? total / counted : 0.0;
  return TRUE;
}
