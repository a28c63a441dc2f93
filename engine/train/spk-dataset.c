/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-dataset.c — SpkDataset: named arrays of n_examples ×
 * n_steps × size float32 values that feed a network's input Nodes or
 * give its probes' targets. */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-private.h"


#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

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
