/* spk-train.c — the trainer: which parts of a plan are trainable and
 * which named parameters they are, minibatches, epochs, losses, fit,
 * evaluate, and writing the trained values back as named parameters.
 *
 * A plan's parameter arena holds values the builder derived from named
 * parameters (a connection's weights, an ensemble's encoders scaled by
 * gain/radius, its biases, possibly transposed or merged with other
 * ensembles').  To learn which arena value is which named value, the
 * trainer builds the network a second time from "tagged" parameters —
 * every value replaced by a distinct integer, gains by the radius so
 * encoder tags pass through unchanged — and reads the tags back out of the
 * arena.  The forward and backward passes live in spk-train-tmpl.h.
 */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "examples/spk-examples.h"
#include "io/spk-model-json.h"

G_DEFINE_QUARK (spk-train-error-quark, spk_train_error)

/* ---- Names and defaults ------------------------------------------------- */

const char *
spk_loss_kind_to_name (SpkLossKind kind)
{
  return kind == SPK_LOSS_SPARSE_CE ? "sparse-ce" : "mse";
}

gboolean
spk_loss_kind_from_name (const char  *name,
                         SpkLossKind *kind)
{
  if (g_strcmp0 (name, "mse") == 0)
    *kind = SPK_LOSS_MSE;
  else if (g_strcmp0 (name, "sparse-ce") == 0)
    *kind = SPK_LOSS_SPARSE_CE;
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

/* ---- Data sets ---------------------------------------------------------- */

typedef struct
{
  char   *name;
  GBytes *bytes;
  guint   steps, size;
} DataEntry;

struct _SpkDataset
{
  gatomicrefcount ref_count;
  guint           n_examples, n_steps;
  GArray         *entries;   /* DataEntry */
};

static void
data_entry_clear (gpointer data)
{
  DataEntry *e = data;

  g_free (e->name);
  g_bytes_unref (e->bytes);
}

SpkDataset *
spk_dataset_new (guint n_examples,
                 guint n_steps)
{
  SpkDataset *self = g_new0 (SpkDataset, 1);

  g_return_val_if_fail (n_steps >= 1, NULL);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_examples = n_examples;
  self->n_steps = n_steps;
  self->entries = g_array_new (FALSE, TRUE, sizeof (DataEntry));
  g_array_set_clear_func (self->entries, data_entry_clear);
  return self;
}

SpkDataset *
spk_dataset_ref (SpkDataset *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
spk_dataset_unref (SpkDataset *self)
{
  if (self && g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->entries);
      g_free (self);
    }
}

guint
spk_dataset_get_n_examples (SpkDataset *self)
{
  return self->n_examples;
}

guint
spk_dataset_get_n_steps (SpkDataset *self)
{
  return self->n_steps;
}

static DataEntry *
find_entry (SpkDataset *self,
            const char *name)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (g_str_equal (g_array_index (self->entries, DataEntry, i).name, name))
      return &g_array_index (self->entries, DataEntry, i);
  return NULL;
}

gboolean
spk_dataset_add (SpkDataset  *self,
                 const char  *name,
                 GBytes      *values,
                 guint        steps,
                 guint        size,
                 GError     **error)
{
  DataEntry e;

  g_return_val_if_fail (self != NULL && name != NULL && values != NULL, FALSE);
  if (find_entry (self, name))
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("data set: there is already an array named '%s'"), name);
      return FALSE;
    }
  if (steps != self->n_steps && steps != 1)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("data set: array '%s' has %u steps but must have %u or 1"), name, steps,
                   self->n_steps);
      return FALSE;
    }
  if (size == 0 || g_bytes_get_size (values) != (gsize) self->n_examples * steps * size * sizeof (float))
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("data set: array '%s' has %zu bytes but %u examples × %u steps × %u values "
                     "need %zu"), name, g_bytes_get_size (values), self->n_examples, steps, size,
                   (gsize) self->n_examples * steps * size * sizeof (float));
      return FALSE;
    }
  e.name = g_strdup (name);
  e.bytes = g_bytes_ref (values);
  e.steps = steps;
  e.size = size;
  g_array_append_val (self->entries, e);
  return TRUE;
}

const float *
spk_dataset_get (SpkDataset *self,
                 const char *name,
                 guint      *steps,
                 guint      *size)
{
  DataEntry *e = find_entry (self, name);

  if (e == NULL)
    return NULL;
  if (steps)
    *steps = e->steps;
  if (size)
    *size = e->size;
  return g_bytes_get_data (e->bytes, NULL);
}

GStrv
spk_dataset_list (SpkDataset *self)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < self->entries->len; i++)
    g_strv_builder_add (b, g_array_index (self->entries, DataEntry, i).name);
  return g_strv_builder_end (b);
}

/* ---- Losses ------------------------------------------------------------- */

/* MSE: mean over the size values of (y − t)², gradient 2(y − t)/size.
 * Sparse CE from logits: logsumexp(y) − y[c], gradient softmax(y) − onehot(c). */
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
  const guint t_size = kind == SPK_LOSS_SPARSE_CE ? 1 : size;
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

/* ---- Which arena values are which named parameters ---------------------- */

#define TAG_SHIFT 32

static SpkNetwork *
copy_network_f64 (SpkNetwork  *network,
                  GError     **error)
{
  gsize len;
  g_autofree char *json = spk_model_to_data (network, &len);
  SpkNetwork *copy = spk_model_load_data (json, (gssize) len, error);

  if (copy)
    spk_network_set_dtype (copy, SPK_DTYPE_FLOAT64);
  return copy;
}

static GHashTable *
new_param_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) spk_array_unref);
}

static gboolean
is_probe_label (const SpkPlan *plan,
                const char    *key)
{
  for (guint p = 0; p < plan->probes->len; p++)
    {
      const SpkPlanProbe *probe = g_ptr_array_index (plan->probes, p);
      gsize n = strlen (probe->label);

      if (strncmp (key, probe->label, n) == 0 && key[n] == '/')
        return TRUE;
    }
  return FALSE;
}

/* Whether the object a named parameter came from may train: its own
 * "trainable" and the network's (which every object inherits). */
static gboolean
key_trainable (SpkTrainer *self,
               const char *key)
{
  SpkObject *owner = g_hash_table_lookup (self->plan->param_objects, key);

  if (!spk_network_get_trainable (self->network))
    return FALSE;
  return owner == NULL || spk_object_get_trainable (owner);
}

static void
train_slot_clear (gpointer data)
{
  TrainSlot *slot = data;

  g_free (slot->key);
  g_free (slot->index);
}

/* Where a layer's parameters sit: one run of the arena from *off. */
static gsize
layer_params_len (const SpkPlanLayer *L,
                  gsize              *off)
{
  gsize kernel = L->type == SPK_LAYER_CONV2D ? (gsize) L->win.kh * L->win.kw * L->win.c * L->units
                                              : (gsize) L->n_in * L->units;

  if (L->weights != G_MAXSIZE)
    {
      *off = L->weights;
      return kernel + (L->bias != G_MAXSIZE ? L->units : 0);
    }
  if (L->gamma != G_MAXSIZE)
    {
      *off = L->gamma;
      return 4 * (gsize) L->channels;   /* gamma, beta, moving mean and variance */
    }
  return 0;
}

/* Adds the slots of arena values [off, off + len) of a plan built from
 * tags: each run of values from one trainable parameter becomes a slot. */
static void
map_range (SpkTrainer    *self,
           const SpkPlan *tag_plan,
           GStrv          keys,
           gsize          off,
           gsize          len)
{
  const guint n_keys = g_strv_length (keys);
  gsize e = 0;

  while (e < len)
    {
      double v = round (tag_plan->params[off + e]);
      guint64 tag = v >= 1.0 && v < 0x1p53 ? (guint64) v - 1 : G_MAXUINT64;
      guint ki = tag == G_MAXUINT64 ? G_MAXUINT : (guint) (tag >> TAG_SHIFT);
      const char *key = ki < n_keys ? keys[ki] : NULL;
      const char *slash = key ? strrchr (key, '/') : NULL;
      gboolean state = FALSE;
      SlotKind kind;
      TrainSlot slot = { 0 };
      gsize start = e;

      if (slash == NULL)
        {
          e++;
          continue;
        }
      if ((g_str_equal (slash, "/weights") && !is_probe_label (self->plan, key))
          || g_str_equal (slash, "/gamma") || g_str_equal (slash, "/beta"))
        kind = SLOT_WEIGHTS;
      else if (g_str_equal (slash, "/encoders"))
        kind = SLOT_ENCODERS;
      else if (g_str_equal (slash, "/bias"))
        kind = SLOT_BIAS;
      else if (g_str_equal (slash, "/moving_mean") || g_str_equal (slash, "/moving_var"))
        kind = SLOT_WEIGHTS, state = TRUE;
      else
        {
          e++;
          continue;
        }
      if (!state && !key_trainable (self, key))
        {
          e++;
          continue;
        }
      /* The run of values from this same parameter. */
      while (e < len)
        {
          double w = round (tag_plan->params[off + e]);

          if (!(w >= 1.0 && w < 0x1p53) || (((guint64) w - 1) >> TAG_SHIFT) != ki)
            break;
          e++;
        }
      slot.off = off + start;
      slot.len = e - start;
      slot.kind = kind;
      slot.key = g_strdup (key);
      slot.index = g_new (gsize, slot.len);
      for (gsize j = 0; j < slot.len; j++)
        slot.index[j] = (((guint64) round (tag_plan->params[slot.off + j])) - 1) & ((G_GUINT64_CONSTANT (1) << TAG_SHIFT) - 1);
      if (kind == SLOT_ENCODERS)
        {
          g_autofree char *label = g_strndup (key, (gsize) (slash - key));
          SpkArray *enc = g_hash_table_lookup (self->named, key);
          guint n, d;
          const double *gain, *bias, *encoders;

          if (!spk_plan_get_ensemble (self->plan, label, &n, &d, &slot.radius, &gain, &bias, &encoders))
            slot.radius = 1.0;
          slot.d = enc && enc->ndim == 2 ? (guint) enc->shape[1] : 1;
        }
      if (state)
        g_array_append_val (self->state_slots, slot);
      else
        {
          self->n_trainable += slot.len;
          g_array_append_val (self->slots, slot);
        }
    }
}

/* Fills self->slots from a plan built from tags (same structure as
 * self->plan).  keys are the named parameters in tag order. */
static gboolean
map_slots (SpkTrainer   *self,
           const SpkPlan *tag_plan,
           GStrv         keys,
           GError      **error)
{
  if (tag_plan->ops->len != self->plan->ops->len || tag_plan->n_params != self->plan->n_params)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                   _("network '%s': its plan changes shape with its parameters, so its "
                     "parameters cannot be told apart"), spk_network_get_label (self->network));
      return FALSE;
    }
  for (guint i = 0; i < tag_plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (tag_plan->ops, i);
      gsize off = 0, len;

      if (op->kind == SPK_OP_LAYER)
        {
          if ((len = layer_params_len (op->layer, &off)))
            map_range (self, tag_plan, keys, off, len);
          continue;
        }
      if (op->kind != SPK_OP_DOT_INC && op->kind != SPK_OP_ELEM_INC && op->kind != SPK_OP_SET_PARAM)
        continue;
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          len = op->kind == SPK_OP_DOT_INC ? (gsize) item->rows * item->cols
                : item->scalar ? 1 : item->dst.len;
          map_range (self, tag_plan, keys, item->param, len);
        }
    }
  return TRUE;
}

/* Tags: value j of the ki-th parameter becomes ki·2³² + j + 1; gains
 * become the radius, so scaled encoders carry their tags unchanged. */
static GHashTable *
tagged_params (SpkTrainer *self,
               GStrv       keys)
{
  GHashTable *tagged = new_param_table ();

  for (guint ki = 0; keys[ki]; ki++)
    {
      SpkArray *orig = g_hash_table_lookup (self->named, keys[ki]);
      SpkArray *a = spk_array_new (orig->ndim, orig->shape[0], orig->ndim == 2 ? orig->shape[1] : 1);
      const char *slash = strrchr (keys[ki], '/');

      if (slash && g_str_equal (slash, "/gain"))
        {
          g_autofree char *label = g_strndup (keys[ki], (gsize) (slash - keys[ki]));
          double radius = 1.0;
          guint n, d;
          const double *gain, *bias, *encoders;

          spk_plan_get_ensemble (self->plan, label, &n, &d, &radius, &gain, &bias, &encoders);
          for (gsize j = 0; j < a->size; j++)
            a->data[j] = radius;
        }
      else
        for (gsize j = 0; j < a->size; j++)
          a->data[j] = (double) (((guint64) ki << TAG_SHIFT) + j + 1);
      g_hash_table_insert (tagged, g_strdup (keys[ki]), a);
    }
  return tagged;
}

/* ---- The trainer -------------------------------------------------------- */

static gboolean
check_ops (SpkTrainer  *self,
           GError     **error)
{
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
      const SpkNeuronType *t;

      if (op->kind != SPK_OP_NEURONS)
        continue;
      t = op->neuron_type;
      if (spk_neuron_kind_is_wrapper (t->kind) && t->base)
        t = t->base;
      switch (t->kind)
        {
        case SPK_NEURON_RECTIFIED_LINEAR:
        case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
        case SPK_NEURON_LIF:
        case SPK_NEURON_LIF_RATE:
        case SPK_NEURON_SIGMOID:
        case SPK_NEURON_TANH:
          break;
        default:
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                       _("%s: %s neurons have no rate curve to train through; training supports "
                         "LIF, LIFRate, RectifiedLinear, SpikingRectifiedLinear, Sigmoid and Tanh "
                         "(and RegularSpiking or PoissonSpiking of those)"),
                       op->owner, spk_neuron_kind_to_name (t->kind));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
slot_contains (SpkTrainer *self,
               gsize       off)
{
  if (off == G_MAXSIZE)
    return FALSE;
  for (guint s = 0; s < self->slots->len; s++)
    {
      const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

      if (off >= slot->off && off < slot->off + slot->len)
        return TRUE;
    }
  return FALSE;
}

/* A signal needs an adjoint when its value depends on a trainable value;
 * iterated to a fixed point because state flows from step to step. */
static void
find_needs_grad (SpkTrainer *self)
{
  gboolean changed = TRUE;

  self->needs_grad = g_new0 (gboolean, self->n_signals);
  while (changed)
    {
      changed = FALSE;
      for (guint i = 0; i < self->plan->ops->len; i++)
        {
          const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

          for (guint k = 0; k < op->items->len; k++)
            {
              const SpkOpItem *item = spk_plan_op_item (op, k);
              gboolean src = item->src.sig >= 0 && self->needs_grad[item->src.sig];
              gboolean mark = FALSE;

              switch (op->kind)
                {
                case SPK_OP_DOT_INC:
                case SPK_OP_ELEM_INC:
                case SPK_OP_SET_PARAM:
                  mark = src || slot_contains (self, item->param);
                  break;
                case SPK_OP_FILTER:
                  mark = src;
                  for (guint s = 0; s < op->n_states; s++)
                    mark |= self->needs_grad[item->states[s].sig];
                  for (guint s = 0; s < op->n_states && mark; s++)
                    if (!self->needs_grad[item->states[s].sig])
                      self->needs_grad[item->states[s].sig] = changed = TRUE;
                  break;
                case SPK_OP_COPY:
                case SPK_OP_NEURONS:
                case SPK_OP_EXPR:
                  mark = src;
                  break;
                case SPK_OP_LAYER:
                  mark = src || slot_contains (self, op->layer->weights) || slot_contains (self, op->layer->gamma)
                         || slot_contains (self, op->layer->bias);
                  break;
                default:
                  break;
                }
              if (mark && item->dst.sig >= 0 && !self->needs_grad[item->dst.sig])
                self->needs_grad[item->dst.sig] = changed = TRUE;
            }
        }
    }
}

/* What a layer keeps on the tape per batch row (spk-train-tmpl.h). */
static gsize
layer_tape_len (const SpkPlanLayer *L)
{
  switch (L->type)
    {
    case SPK_LAYER_DENSE:
    case SPK_LAYER_DROPOUT:
      return L->n_in;
    case SPK_LAYER_CONV2D:
      return spk_plan_layer_patches_len (L);
    case SPK_LAYER_BATCH_NORMALIZATION:
      return L->n_in + L->channels;
    default:
      return 0;
    }
}

static void
layout (SpkTrainer *self)
{
  GPtrArray *ops = self->plan->ops;
  g_autofree gint *last = NULL;
  gsize base = 0, tape = 0;

  self->n_signals = self->plan->signals->len;
  self->sig_base = g_new (gsize, self->n_signals);
  for (guint s = 0; s < self->n_signals; s++)
    {
      self->sig_base[s] = base;
      base += ((SpkPlanSignal *) g_ptr_array_index (self->plan->signals, s))->size;
    }
  self->row_len = base;
  self->tape_off = g_new0 (gsize *, ops->len);
  for (guint i = 0; i < ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (ops, i);

      self->tape_off[i] = g_new (gsize, op->items->len);
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);
          gsize need = 0;

          if (op->kind == SPK_OP_DOT_INC)
            need = item->cols;
          else if (op->kind == SPK_OP_ELEM_INC || op->kind == SPK_OP_NEURONS)
            need = item->dst.len;
          else if (op->kind == SPK_OP_EXPR && item->src.sig >= 0)
            need = ((SpkPlanSignal *) g_ptr_array_index (self->plan->signals, item->src.sig))->size;
          else if (op->kind == SPK_OP_LAYER)
            need = layer_tape_len (op->layer);
          self->tape_off[i][k] = need ? tape : G_MAXSIZE;
          tape += need;
        }
    }
  self->tape_row = tape;

  /* The last operator writing each signal within a step (-1: none). */
  last = g_new (gint, self->n_signals);
  for (guint s = 0; s < self->n_signals; s++)
    last[s] = -1;
  for (guint i = 0; i < ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (ops, i);

      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          if (item->dst.sig >= 0)
            last[item->dst.sig] = (gint) i;
          for (guint s = 0; s < op->n_states; s++)
            last[item->states[s].sig] = (gint) i;
        }
    }
  self->src_final = g_new0 (gboolean *, ops->len);
  for (guint i = 0; i < ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (ops, i);

      self->src_final[i] = g_new0 (gboolean, op->items->len);
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          self->src_final[i][k] = op->kind == SPK_OP_DOT_INC && item->src.sig >= 0
                                  && last[item->src.sig] < (gint) i;
        }
    }
}

SpkTrainer *
spk_trainer_new (SpkNetwork  *network,
                 SpkPlan     *plan,
                 SpkDtype     dtype,
                 GError     **error)
{
  g_autoptr (SpkTrainer) self = NULL;
  g_autoptr (SpkPlan) built = NULL, tag_plan = NULL;
  g_autoptr (SpkNetwork) copy = NULL;
  g_autoptr (GHashTable) tagged = NULL;
  g_auto (GStrv) keys = NULL;
  gsize scratch = 0;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  if (plan == NULL && !(plan = built = spk_build (network, error)))
    return NULL;

  self = g_new0 (SpkTrainer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->network = g_object_ref (network);
  self->dtype = dtype;
  self->elem = dtype == SPK_DTYPE_FLOAT32 ? sizeof (float) : sizeof (double);
  self->lif_sigma = 1.0;
  spk_optimizer_init (&self->opt, SPK_OPTIMIZER_RMSPROP);
  self->losses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->slots = g_array_new (FALSE, TRUE, sizeof (TrainSlot));
  g_array_set_clear_func (self->slots, train_slot_clear);
  self->state_slots = g_array_new (FALSE, TRUE, sizeof (TrainSlot));
  g_array_set_clear_func (self->state_slots, train_slot_clear);
  self->hist_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->hist_val = g_array_new (FALSE, FALSE, sizeof (double));

  /* The parameters to start from, and a float64 plan of the same
   * structure as the tagged one. */
  self->named = new_param_table ();
  keys = spk_plan_list_params (plan);
  for (guint i = 0; keys[i]; i++)
    g_hash_table_insert (self->named, g_strdup (keys[i]), spk_plan_dup_param (plan, keys[i]));
  if (!(copy = copy_network_f64 (network, error))
      || !(self->plan = spk_build_with_params (copy, self->named, error)))
    return NULL;
  if (!check_ops (self, error))
    return NULL;
  tagged = tagged_params (self, keys);
  if (!(tag_plan = spk_build_with_params (copy, tagged, error)))
    return NULL;
  if (!map_slots (self, tag_plan, keys, error))
    return NULL;

  layout (self);
  find_needs_grad (self);

  self->n_params = self->plan->n_params;
  self->params = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  self->grads = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  self->m1 = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  self->m2 = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  for (gsize i = 0; i < self->n_params; i++)
    if (dtype == SPK_DTYPE_FLOAT32)
      ((float *) self->params)[i] = (float) self->plan->params[i];
    else
      ((double *) self->params)[i] = self->plan->params[i];

  self->processes = g_new0 (SpkProcessState *, self->plan->ops->len);
  self->layer_rngs = g_new0 (SpkRng, self->plan->ops->len);
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

      if (op->layer && op->layer->type == SPK_LAYER_DROPOUT)
        spk_rng_init (&self->layer_rngs[i], op->layer->seed);
    }
  self->expr_scratch = g_new0 (SpkExprScratch *, self->plan->ops->len);
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
      const SpkOpItem *item = spk_plan_op_item (op, 0);

      if (op->kind == SPK_OP_PROCESS)
        {
          if (!(self->processes[i] = spk_process_state_new (op->process, item->dst.len, self->plan->dt,
                                                            op->seed, error)))
            return NULL;
          scratch = MAX (scratch, item->dst.len * sizeof (double));
        }
    }
  self->scratch_len = scratch;
  {
    guint widest = 1;

    for (guint p = 0; p < self->plan->probes->len; p++)
      widest = MAX (widest, ((SpkPlanProbe *) g_ptr_array_index (self->plan->probes, p))->size);
    self->ybuf = g_new (double, widest);
  }
  return g_steal_pointer (&self);
}

SpkTrainer *
spk_trainer_ref (SpkTrainer *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
spk_trainer_unref (SpkTrainer *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->plan)
    {
      for (guint i = 0; i < self->plan->ops->len; i++)
        {
          if (self->processes && self->processes[i])
            spk_process_state_free (self->processes[i]);
          if (self->expr_scratch && self->expr_scratch[i])
            spk_expr_scratch_free (self->expr_scratch[i]);
          if (self->tape_off)
            g_free (self->tape_off[i]);
          if (self->src_final)
            g_free (self->src_final[i]);
        }
      spk_plan_unref (self->plan);
    }
  g_free (self->processes);
  g_free (self->expr_scratch);
  g_free (self->tape_off);
  g_free (self->src_final);
  g_free (self->sig_base);
  g_free (self->needs_grad);
  g_free (self->params);
  g_free (self->grads);
  g_free (self->m1);
  g_free (self->m2);
  g_free (self->arena);
  g_free (self->adjoint);
  g_free (self->tape);
  g_free (self->scratch);
  g_free (self->grad_tape);
  g_free (self->ybuf);
  g_clear_pointer (&self->named, g_hash_table_unref);
  g_clear_pointer (&self->losses, g_hash_table_unref);
  g_clear_pointer (&self->slots, g_array_unref);
  g_clear_pointer (&self->state_slots, g_array_unref);
  g_free (self->layer_rngs);
  g_clear_pointer (&self->hist_loss, g_array_unref);
  g_clear_pointer (&self->hist_val, g_array_unref);
  g_clear_object (&self->network);
  g_free (self);
}

void
spk_trainer_set_optimizer (SpkTrainer         *self,
                           const SpkOptimizer *optimizer)
{
  self->opt = *optimizer;
  self->t = 0;
  memset (self->m1, 0, MAX (self->n_params, 1) * self->elem);
  memset (self->m2, 0, MAX (self->n_params, 1) * self->elem);
}

gboolean
spk_trainer_set_loss (SpkTrainer  *self,
                      const char  *probe_label,
                      SpkLossKind  kind,
                      GError     **error)
{
  if (spk_plan_find_probe (self->plan, probe_label) < 0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("there is no probe '%s' to set a loss for"), probe_label);
      return FALSE;
    }
  g_hash_table_replace (self->losses, g_strdup (probe_label), GINT_TO_POINTER (kind + 1));
  return TRUE;
}

void
spk_trainer_set_lif_smoothing (SpkTrainer *self,
                               double      sigma)
{
  self->lif_sigma = MAX (sigma, 0.0);
}

gsize
spk_trainer_get_n_trainable (SpkTrainer *self)
{
  return self->n_trainable;
}

void
spk_trainer_get_trainable (SpkTrainer *self,
                           double     *values)
{
  gsize n = 0;

  for (guint s = 0; s < self->slots->len; s++)
    {
      const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

      for (gsize i = slot->off; i < slot->off + slot->len; i++)
        values[n++] = self->dtype == SPK_DTYPE_FLOAT32 ? ((float *) self->params)[i] : ((double *) self->params)[i];
    }
}

void
spk_trainer_set_trainable (SpkTrainer   *self,
                           const double *values)
{
  gsize n = 0;

  for (guint s = 0; s < self->slots->len; s++)
    {
      const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

      for (gsize i = slot->off; i < slot->off + slot->len; i++)
        if (self->dtype == SPK_DTYPE_FLOAT32)
          ((float *) self->params)[i] = (float) values[n++];
        else
          ((double *) self->params)[i] = values[n++];
    }
}

gboolean
_spk_train_alloc (SpkTrainer  *self,
                  guint        batch,
                  guint        n_steps,
                  GError     **error)
{
  gsize expr_need = self->scratch_len;

  if (batch <= self->alloc_batch && n_steps <= self->alloc_steps)
    return TRUE;
  batch = MAX (batch, self->alloc_batch);
  n_steps = MAX (n_steps, self->alloc_steps);
  g_free (self->arena);
  g_free (self->adjoint);
  g_free (self->tape);
  self->arena = g_try_malloc0 (MAX (self->row_len * batch, 1) * self->elem);
  self->adjoint = g_try_malloc0 (MAX (self->row_len * batch, 1) * self->elem);
  self->tape = g_try_malloc0 (MAX (self->tape_row * batch * n_steps, 1) * self->elem);
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

      /* A Conv2D's backward needs its patches' gradient. */
      if (op->kind == SPK_OP_LAYER && op->layer->type == SPK_LAYER_CONV2D)
        expr_need = MAX (expr_need, (gsize) batch * spk_plan_layer_patches_len (op->layer) * self->elem);
      if (op->kind != SPK_OP_EXPR)
        continue;
      if (self->expr_scratch[i])
        spk_expr_scratch_free (self->expr_scratch[i]);
      self->expr_scratch[i] = spk_expr_scratch_new (op->expr, batch);
      expr_need = MAX (expr_need, (gsize) batch * (spk_expr_get_size_in (op->expr)
                                                  + 2 * spk_expr_get_size_out (op->expr)) * self->elem);
    }
  g_free (self->scratch);
  self->scratch = g_try_malloc0 (MAX (expr_need, 1));
  if (!self->arena || !self->adjoint || !self->tape || !self->scratch)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_NO_MEMORY,
                   _("not enough memory to train with %u examples × %u steps per minibatch"),
                   batch, n_steps);
      self->alloc_batch = self->alloc_steps = 0;
      return FALSE;
    }
  self->alloc_batch = batch;
  self->alloc_steps = n_steps;
  return TRUE;
}

/* ---- Runs over data sets ------------------------------------------------ */

typedef struct
{
  const float **inputs;       /* per op */
  guint        *input_steps;  /* per op */
  TrainTarget  *targets;
  guint         n_targets;
  guint         n_examples, n_steps;
} Prepared;

static void
prepared_clear (Prepared *p)
{
  g_free (p->inputs);
  g_free (p->input_steps);
  g_free (p->targets);
}

static gboolean
prepare (SpkTrainer *self,
         SpkDataset *inputs,
         SpkDataset *targets,
         Prepared   *p,
         GError    **error)
{
  g_auto (GStrv) in_names = spk_dataset_list (inputs);
  guint n_ops = self->plan->ops->len;

  memset (p, 0, sizeof *p);
  p->inputs = g_new0 (const float *, n_ops);
  p->input_steps = g_new0 (guint, n_ops);
  p->n_examples = spk_dataset_get_n_examples (inputs);
  p->n_steps = spk_dataset_get_n_steps (inputs);

  for (guint n = 0; in_names[n]; n++)
    {
      gboolean found = FALSE;
      guint steps, size;
      const float *data = spk_dataset_get (inputs, in_names[n], &steps, &size);

      for (guint i = 0; i < n_ops; i++)
        {
          const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
          const SpkOpItem *item = spk_plan_op_item (op, 0);

          if (op->node == NULL || g_strcmp0 (spk_object_get_label (op->node), in_names[n]) != 0)
            continue;
          if (size != item->dst.len)
            {
              g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                           _("input '%s' has %u values per step but node '%s' outputs %u"),
                           in_names[n], size, in_names[n], item->dst.len);
              return FALSE;
            }
          p->inputs[i] = data;
          p->input_steps[i] = steps;
          found = TRUE;
        }
      if (!found)
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                       _("input '%s' names no source node (a node without input) of the network"),
                       in_names[n]);
          return FALSE;
        }
    }
  if (targets == NULL)
    return TRUE;
  if (spk_dataset_get_n_examples (targets) != p->n_examples
      || spk_dataset_get_n_steps (targets) != p->n_steps)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("the targets have %u examples of %u steps but the inputs %u of %u"),
                   spk_dataset_get_n_examples (targets), spk_dataset_get_n_steps (targets),
                   p->n_examples, p->n_steps);
      return FALSE;
    }
  {
    g_auto (GStrv) names = spk_dataset_list (targets);

    p->n_targets = g_strv_length (names);
    if (p->n_targets == 0)
      {
        g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                     _("there are no targets: name at least one probe"));
        return FALSE;
      }
    p->targets = g_new0 (TrainTarget, p->n_targets);
    for (guint j = 0; j < p->n_targets; j++)
      {
        int probe = spk_plan_find_probe (self->plan, names[j]);
        TrainTarget *t = &p->targets[j];
        gpointer kind;
        guint want;

        if (probe < 0)
          {
            g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                         _("target '%s' names no probe of the network"), names[j]);
            return FALSE;
          }
        t->probe = g_ptr_array_index (self->plan->probes, probe);
        if (t->probe->period > 1.0)
          {
            g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                         _("probe '%s' samples every %g steps; training needs a probe that "
                           "samples every step"), names[j], t->probe->period);
            return FALSE;
          }
        kind = g_hash_table_lookup (self->losses, names[j]);
        t->loss = kind ? (SpkLossKind) (GPOINTER_TO_INT (kind) - 1) : SPK_LOSS_MSE;
        t->data = spk_dataset_get (targets, names[j], &t->steps, &t->size);
        want = t->loss == SPK_LOSS_SPARSE_CE ? 1 : t->probe->size;
        if (t->size != want)
          {
            g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                         _("target '%s' has %u values per step but its %s loss needs %u"),
                         names[j], t->size, spk_loss_kind_to_name (t->loss), want);
            return FALSE;
          }
      }
  }
  return TRUE;
}

static gboolean
run_batch (SpkTrainer     *self,
           const Prepared *p,
           const guint    *examples,
           guint           batch,
           gboolean        backward,
           double         *loss,
           GError        **error)
{
  TrainRun run = { batch, p->n_steps, examples, p->inputs, p->input_steps };
  gsize grad_len = 0;

  for (guint j = 0; j < p->n_targets; j++)
    grad_len += p->targets[j].probe->size;
  grad_len *= (gsize) batch * p->n_steps;
  if (grad_len > self->grad_tape_len)
    {
      g_free (self->grad_tape);
      self->grad_tape = g_try_new (double, grad_len);
      self->grad_tape_len = self->grad_tape ? grad_len : 0;
      if (!self->grad_tape)
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_NO_MEMORY,
                       _("not enough memory for the loss gradients of %u examples × %u steps"),
                       batch, p->n_steps);
          return FALSE;
        }
    }
  if (backward)
    memset (self->grads, 0, MAX (self->n_params, 1) * self->elem);
  if (self->dtype == SPK_DTYPE_FLOAT32)
    return _spk_train_run_f32 (self, &run, p->targets, p->n_targets, backward, loss, error);
  return _spk_train_run_f64 (self, &run, p->targets, p->n_targets, backward, loss, error);
}

gboolean
spk_trainer_loss_and_grad (SpkTrainer *self,
                           SpkDataset *inputs,
                           SpkDataset *targets,
                           double     *loss,
                           double     *grad,
                           GError    **error)
{
  Prepared p;
  g_autofree guint *examples = NULL;
  double l = 0.0;
  gboolean ok;

  if (!prepare (self, inputs, targets, &p, error))
    return prepared_clear (&p), FALSE;
  examples = g_new (guint, MAX (p.n_examples, 1));
  for (guint i = 0; i < p.n_examples; i++)
    examples[i] = i;
  ok = run_batch (self, &p, examples, p.n_examples, TRUE, &l, error);
  prepared_clear (&p);
  if (!ok)
    return FALSE;
  if (loss)
    *loss = l;
  if (grad)
    {
      gsize n = 0;

      for (guint s = 0; s < self->slots->len; s++)
        {
          const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

          for (gsize i = slot->off; i < slot->off + slot->len; i++)
            grad[n++] = self->dtype == SPK_DTYPE_FLOAT32 ? ((float *) self->grads)[i] : ((double *) self->grads)[i];
        }
    }
  return TRUE;
}

static gboolean
evaluate_prepared (SpkTrainer     *self,
                   const Prepared *p,
                   guint           batch_size,
                   double         *loss,
                   GError        **error)
{
  g_autofree guint *examples = g_new (guint, MAX (batch_size, 1));
  double total = 0.0;

  self->n_correct = self->n_scored = 0;
  for (guint start = 0; start < p->n_examples; start += batch_size)
    {
      guint batch = MIN (batch_size, p->n_examples - start);
      double l;

      for (guint b = 0; b < batch; b++)
        examples[b] = start + b;
      if (!run_batch (self, p, examples, batch, FALSE, &l, error))
        return FALSE;
      total += l * batch;
    }
  *loss = p->n_examples ? total / p->n_examples : 0.0;
  return TRUE;
}

double
spk_trainer_get_accuracy (SpkTrainer *self)
{
  return self->n_scored ? (double) self->n_correct / self->n_scored : NAN;
}

gboolean
spk_trainer_evaluate (SpkTrainer  *self,
                      SpkDataset  *inputs,
                      SpkDataset  *targets,
                      guint        batch_size,
                      double      *loss,
                      GError     **error)
{
  Prepared p;
  gboolean ok;

  if (batch_size == 0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_OPTIONS, _("the batch size must be at least 1"));
      return FALSE;
    }
  ok = prepare (self, inputs, targets, &p, error) && evaluate_prepared (self, &p, batch_size, loss, error);
  prepared_clear (&p);
  return ok;
}

static gboolean
check_options (const SpkFitOptions *o,
               const SpkOptimizer  *opt,
               GError             **error)
{
  const char *bad = NULL;

  if (o->batch_size == 0)
    bad = _("the batch size must be at least 1");
  else if (o->epochs == 0)
    bad = _("the number of epochs must be at least 1");
  else if (!(opt->learning_rate > 0.0) || !isfinite (opt->learning_rate))
    bad = _("the learning rate must be a positive number");
  else if (!(opt->momentum >= 0.0 && opt->momentum < 1.0))
    bad = _("the momentum must be in [0, 1)");
  else if (!(opt->rho >= 0.0 && opt->rho < 1.0) || !(opt->beta1 >= 0.0 && opt->beta1 < 1.0)
           || !(opt->beta2 >= 0.0 && opt->beta2 < 1.0))
    bad = _("rho, beta1 and beta2 must be in [0, 1)");
  else if (!(opt->epsilon > 0.0))
    bad = _("epsilon must be positive");
  else if ((o->val_inputs == NULL) != (o->val_targets == NULL))
    bad = _("validation needs both inputs and targets");
  if (bad)
    {
      g_set_error_literal (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_OPTIONS, bad);
      return FALSE;
    }
  return TRUE;
}

gboolean
spk_trainer_fit (SpkTrainer          *self,
                 SpkDataset          *inputs,
                 SpkDataset          *targets,
                 const SpkFitOptions *options,
                 GError             **error)
{
  Prepared p, pv = { 0 };
  g_autofree guint *order = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  gboolean ok = FALSE, have_val = FALSE;
  SpkRng rng;
  guint n_batches;
  int blas_threads = 0;

  g_return_val_if_fail (self != NULL && inputs != NULL && targets != NULL && options != NULL, FALSE);
  if (!check_options (options, &self->opt, error))
    return FALSE;
  if (options->blas_threads > 0)
    {
      blas_threads = openblas_get_num_threads ();
      openblas_set_num_threads ((int) options->blas_threads);
    }
  if (!prepare (self, inputs, targets, &p, error))
    goto out;
  if (options->val_inputs)
    {
      if (!prepare (self, options->val_inputs, options->val_targets, &pv, error))
        goto out;
      have_val = TRUE;
    }
  if (p.n_examples == 0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA, _("there are no training examples"));
      goto out;
    }
  if (self->n_trainable == 0)
    {
      const char *label = spk_network_get_label (self->network);

      if (label)
        g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                     _("network '%s' has nothing to train: no connection weights, encoders or biases "
                       "are trainable (see the \"trainable\" property of the network and its objects)"),
                     label);
      else
        g_set_error_literal (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                             _("the network has nothing to train: no connection weights, encoders or "
                               "biases are trainable (see the \"trainable\" property of the network "
                               "and its objects)"));
      goto out;
    }
  n_batches = (p.n_examples + options->batch_size - 1) / options->batch_size;
  order = g_new (guint, p.n_examples);
  for (guint i = 0; i < p.n_examples; i++)
    order[i] = i;
  spk_rng_init (&rng, options->seed);

  for (guint epoch = 1; epoch <= options->epochs; epoch++)
    {
      SpkFitProgress prog = { epoch, options->epochs, 0, n_batches, 0.0, NAN, 0.0, FALSE, NAN, NAN };
      double sum = 0.0;

      self->n_correct = self->n_scored = 0;
      if (options->shuffle)
        for (guint i = p.n_examples; i > 1; i--)
          {
            guint j = (guint) spk_rng_below (&rng, i);
            guint tmp = order[i - 1];

            order[i - 1] = order[j];
            order[j] = tmp;
          }
      g_timer_start (timer);
      for (guint bi = 0; bi < n_batches; bi++)
        {
          guint start = bi * options->batch_size;
          guint batch = MIN (options->batch_size, p.n_examples - start);
          double l;

          if (!run_batch (self, &p, order + start, batch, TRUE, &l, error))
            goto out;
          if (self->dtype == SPK_DTYPE_FLOAT32)
            _spk_train_update_f32 (self);
          else
            _spk_train_update_f64 (self);
          sum += l;
          prog.batch = bi + 1;
          prog.loss = sum / (bi + 1);
          prog.accuracy = self->n_scored ? (double) self->n_correct / self->n_scored : NAN;
          prog.seconds = g_timer_elapsed (timer, NULL);
          if (options->progress && bi + 1 < n_batches && !options->progress (&prog, options->user_data))
            {
              g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_CANCELLED, _("training was cancelled"));
              goto out;
            }
        }
      prog.seconds = g_timer_elapsed (timer, NULL);
      if (have_val)
        {
          if (!evaluate_prepared (self, &pv, options->batch_size, &prog.val_loss, error))
            goto out;
          prog.val_accuracy = self->n_scored ? (double) self->n_correct / self->n_scored : NAN;
        }
      prog.epoch_done = TRUE;
      g_array_append_val (self->hist_loss, prog.loss);
      g_array_append_val (self->hist_val, prog.val_loss);
      if (options->progress && !options->progress (&prog, options->user_data))
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_CANCELLED, _("training was cancelled"));
          goto out;
        }
    }
  ok = TRUE;

out:
  if (blas_threads > 0)
    openblas_set_num_threads (blas_threads);
  prepared_clear (&p);
  prepared_clear (&pv);
  return ok;
}

guint
spk_trainer_get_history (SpkTrainer    *self,
                         const double **loss,
                         const double **val_loss)
{
  if (loss)
    *loss = (const double *) self->hist_loss->data;
  if (val_loss)
    *val_loss = (const double *) self->hist_val->data;
  return self->hist_loss->len;
}

/* ---- Back into named parameters ----------------------------------------- */

GHashTable *
spk_trainer_dup_params (SpkTrainer *self)
{
  GHashTable *out = new_param_table ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->named);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SpkArray *src = value;
      SpkArray *a = spk_array_new (src->ndim, src->shape[0], src->ndim == 2 ? src->shape[1] : 1);

      memcpy (a->data, src->data, src->size * sizeof (double));
      g_hash_table_insert (out, g_strdup (key), a);
    }
  for (guint s = 0; s < self->slots->len + self->state_slots->len; s++)
    {
      const TrainSlot *slot = s < self->slots->len ? &g_array_index (self->slots, TrainSlot, s)
                              : &g_array_index (self->state_slots, TrainSlot, s - self->slots->len);
      SpkArray *a = g_hash_table_lookup (out, slot->key);
      const SpkArray *gain = NULL;

      if (slot->kind == SLOT_ENCODERS)
        {
          g_autofree char *label = g_strndup (slot->key, (gsize) (strrchr (slot->key, '/') - slot->key));
          g_autofree char *gkey = g_strconcat (label, "/gain", NULL);

          gain = g_hash_table_lookup (out, gkey);
        }
      for (gsize j = 0; j < slot->len; j++)
        {
          double v = self->dtype == SPK_DTYPE_FLOAT32 ? ((float *) self->params)[slot->off + j]
                                                      : ((double *) self->params)[slot->off + j];

          if (slot->kind == SLOT_ENCODERS && gain)
            v = v * slot->radius / gain->data[slot->index[j] / slot->d];
          a->data[slot->index[j]] = v;
        }
    }
  return out;
}

SpkPlan *
spk_trainer_build_plan (SpkTrainer  *self,
                        GError     **error)
{
  g_autoptr (GHashTable) params = spk_trainer_dup_params (self);

  return spk_build_with_params (self->network, params, error);
}

gboolean
spk_trainer_save_to_session (SpkTrainer  *self,
                             SpkSession  *session,
                             GError     **error)
{
  g_autoptr (SpkPlan) plan = spk_trainer_build_plan (self, error);
  guint base = 0;
  g_autofree guint *epochs = NULL;

  if (plan == NULL)
    return FALSE;
  spk_session_set_plan (session, plan);
  /* The epochs continue any history the session already has. */
  epochs = spk_session_dup_history_epochs (session, &base);
  if (base > 0)
    base = epochs[base - 1];
  for (guint e = 0; e < self->hist_loss->len; e++)
    {
      double v = g_array_index (self->hist_val, double, e);

      spk_session_add_history (session, base + e + 1, "loss", g_array_index (self->hist_loss, double, e));
      if (!isnan (v))
        spk_session_add_history (session, base + e + 1, "val_loss", v);
    }
  return TRUE;
}
