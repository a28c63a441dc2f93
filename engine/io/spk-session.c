/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-session.c — sessions in HDF5 (docs/session-format.md).
 *
 * The network is kept as the JSON model text (/network/model_json), which
 * is what loading reads, so the session and the model file share one
 * property walker (spk-model-json.c).  For HDF5 tools the same JSON tree is
 * mirrored as groups and attributes under /network/objects; the built
 * parameters are float64 datasets under /params, probe data chunked and
 * compressed float32 under /probes, the UI's layout under /layout and the
 * training history under /training/history.
 *
 * Saving writes a temporary file beside the target, flushes it to disk and
 * renames it over the target.  Loading checks every object it reads (type,
 * shape, labels) and turns any failure, HDF5's included, into one GError
 * naming the file and the path inside it; HDF5's own error printing is
 * switched off.  The serial HDF5 library is not thread-safe, so every call
 * into it happens under one lock.
 *
 * This file holds the session in memory and the names of objects in the
 * file; writing is in spk-session-write.c, reading in spk-session-read.c,
 * the HDF5 handles they share in spk-session-private.h.
 */
#define G_LOG_DOMAIN "spk-session"

#include "spk-session-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

/* {{{ The session */

static void
probe_record_free (gpointer data)
{
  ProbeRecord *record = data;

  g_free (record->t);
  g_free (record->data);
  g_free (record);
}

SpkSession *
spk_session_new (SpkNetwork *network)
{
  SpkSession *self;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  self = g_atomic_rc_box_new0 (SpkSession);
  self->network = g_object_ref (network);
  self->probes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, probe_record_free);
  self->plot_data = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, probe_record_free);
  self->layout = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  self->history = g_array_new (FALSE, FALSE, sizeof (HistoryEntry));
  return self;
}

SpkSession *
spk_session_ref (SpkSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
session_clear (SpkSession *self)
{
  g_clear_object (&self->network);
  g_clear_pointer (&self->plan, spk_plan_unref);
  g_clear_pointer (&self->probes, g_hash_table_unref);
  g_clear_pointer (&self->plot_data, g_hash_table_unref);
  g_clear_pointer (&self->layout, g_hash_table_unref);
  g_clear_pointer (&self->history, g_array_unref);
}

void
spk_session_unref (SpkSession *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, (GDestroyNotify) session_clear);
}

SpkNetwork *
spk_session_get_network (SpkSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->network;
}

void
spk_session_set_plan (SpkSession *self,
                      SpkPlan    *plan)
{
  g_return_if_fail (self != NULL);

  if (plan)
    spk_plan_ref (plan);
  g_clear_pointer (&self->plan, spk_plan_unref);
  self->plan = plan;
}

SpkPlan *
spk_session_get_plan (SpkSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->plan;
}

/* A ProbeRecord with room for its data, or NULL with an error when a
 * recording of that size does not fit in memory. */
ProbeRecord *
_spk_session_probe_record_new (const char  *label,
                               guint        batch,
                               guint64      n_samples,
                               guint        size,
                               GError     **error)
{
  g_autofree ProbeRecord *record = g_new0 (ProbeRecord, 1);
  gsize n_values, n_bytes, t_bytes;

  if (!g_size_checked_mul (&n_values, batch, n_samples)
      || !g_size_checked_mul (&n_values, n_values, size)
      || !g_size_checked_mul (&n_bytes, n_values, sizeof (float))
      || !g_size_checked_mul (&t_bytes, n_samples, sizeof (double))
      || !(record->data = g_try_malloc (MAX (n_bytes, 1)))
      || !(record->t = g_try_malloc (MAX (t_bytes, 1))))
    {
      g_free (record->data);
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                   _("not enough memory for the data of probe '%s' (%" PRIu64 " samples of %u × %u values)"),
                   label, n_samples, batch, size);
      return NULL;
    }
  record->batch = batch;
  record->n_samples = n_samples;
  record->size = size;
  return g_steal_pointer (&record);
}

gboolean
spk_session_set_probe_data (SpkSession    *self,
                            const char    *label,
                            const double  *t,
                            const double  *data,
                            guint          batch,
                            guint64        n_samples,
                            guint          size,
                            GError       **error)
{
  ProbeRecord *record;
  gsize n_values;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (label != NULL && *label != '\0', FALSE);
  g_return_val_if_fail (batch >= 1 && size >= 1, FALSE);
  g_return_val_if_fail (n_samples == 0 || (t != NULL && data != NULL), FALSE);

  if (!(record = _spk_session_probe_record_new (label, batch, n_samples, size, error)))
    return FALSE;
  n_values = (gsize) batch * n_samples * size;
  if (n_samples > 0)
    memcpy (record->t, t, n_samples * sizeof (double));
  for (gsize i = 0; i < n_values; i++)
    record->data[i] = (float) data[i];
  g_hash_table_replace (self->probes, g_strdup (label), record);
  return TRUE;
}

gboolean
spk_session_record_simulator (SpkSession    *self,
                              SpkSimulator  *sim,
                              GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sim != NULL, FALSE);

  if (self->plan == NULL)
    spk_session_set_plan (self, spk_simulator_get_plan (sim));
  return spk_session_record_probes (self, sim, NULL, error);
}

gboolean
spk_session_record_probes (SpkSession         *self,
                           SpkSimulator       *sim,
                           const char * const *labels,
                           GError            **error)
{
  SpkPlan *plan;
  guint batch;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sim != NULL, FALSE);

  plan = spk_simulator_get_plan (sim);
  batch = spk_simulator_get_batch (sim);
  for (guint p = 0; p < spk_plan_get_n_probes (plan); p++)
    {
      const char *label = spk_plan_get_probe_label (plan, p);
      guint size = spk_plan_get_probe_size (plan, p);
      guint64 n = spk_simulator_get_probe_n_samples (sim, p);
      g_autofree double *sample = g_new (double, (gsize) batch * MAX (size, 1));
      ProbeRecord *record;

      if (size == 0 || (labels != NULL && !g_strv_contains (labels, label)))
        continue;
      if (!(record = _spk_session_probe_record_new (label, batch, n, size, error)))
        return FALSE;
      spk_simulator_get_probe_times (sim, p, record->t);
      for (guint64 k = 0; k < n; k++)
        {
          spk_simulator_get_probe_sample (sim, p, k, sample, NULL);
          for (guint b = 0; b < batch; b++)
            for (guint i = 0; i < size; i++)
              record->data[((gsize) b * n + k) * size + i] = (float) sample[(gsize) b * size + i];
        }
      g_hash_table_replace (self->probes, g_strdup (label), record);
    }
  return TRUE;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static GStrv
sorted_strv (GHashTable *table)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (table, NULL);
  GStrv strv = g_strdupv ((GStrv) keys);

  qsort (strv, g_strv_length (strv), sizeof (char *), compare_strings);
  return strv;
}

GStrv
spk_session_list_probes (SpkSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return sorted_strv (self->probes);
}

/* A record's data and, where asked, its shape and times; NULL for no record. */
static const float *
record_data (const ProbeRecord *record,
             guint             *batch,
             guint64           *n_samples,
             guint             *size,
             const double     **t)
{
  if (record == NULL)
    return NULL;
  if (batch)
    *batch = record->batch;
  if (n_samples)
    *n_samples = record->n_samples;
  if (size)
    *size = record->size;
  if (t)
    *t = record->t;
  return record->data;
}

const float *
spk_session_get_probe_data (SpkSession    *self,
                            const char    *label,
                            guint         *batch,
                            guint64       *n_samples,
                            guint         *size,
                            const double **t)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  return record_data (g_hash_table_lookup (self->probes, label), batch, n_samples, size, t);
}

gboolean
spk_session_set_plot_data (SpkSession    *self,
                           const char    *key,
                           const double  *t,
                           const float   *data,
                           guint64        n_samples,
                           guint          size,
                           GError       **error)
{
  ProbeRecord *record;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL && *key != '\0', FALSE);
  g_return_val_if_fail (size >= 1, FALSE);
  g_return_val_if_fail (n_samples == 0 || (t != NULL && data != NULL), FALSE);

  if (!(record = _spk_session_probe_record_new (key, 1, n_samples, size, error)))
    return FALSE;
  if (n_samples > 0)
    {
      memcpy (record->t, t, n_samples * sizeof (double));
      memcpy (record->data, data, n_samples * size * sizeof (float));
    }
  g_hash_table_replace (self->plot_data, g_strdup (key), record);
  return TRUE;
}

GStrv
spk_session_list_plot_data (SpkSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return sorted_strv (self->plot_data);
}

const float *
spk_session_get_plot_data (SpkSession    *self,
                           const char    *key,
                           guint64       *n_samples,
                           guint         *size,
                           const double **t)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return record_data (g_hash_table_lookup (self->plot_data, key), NULL, n_samples, size, t);
}

/* Layout keys become HDF5 paths under /layout, so each '/'-separated part
 * must be a valid, ordinary link name. */
static gboolean
layout_key_is_valid (const char *key)
{
  g_auto (GStrv) parts = NULL;

  if (key == NULL || *key == '\0')
    return FALSE;
  parts = g_strsplit (key, "/", -1);
  for (guint i = 0; parts[i]; i++)
    if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

void
spk_session_set_layout (SpkSession *self,
                        const char *key,
                        GVariant   *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (layout_key_is_valid (key));

  if (value == NULL)
    g_hash_table_remove (self->layout, key);
  else
    g_hash_table_replace (self->layout, g_strdup (key), g_variant_ref_sink (value));
}

GVariant *
spk_session_get_layout (SpkSession *self,
                        const char *key)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->layout, key);
}

GStrv
spk_session_list_layout (SpkSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return sorted_strv (self->layout);
}

gboolean
_spk_session_metric_is_valid (const char *metric)
{
  return metric != NULL && *metric != '\0' && *metric != '.'
         && strchr (metric, '/') == NULL && !g_str_equal (metric, "epoch");
}

void
spk_session_add_history (SpkSession *self,
                         guint       epoch,
                         const char *metric,
                         double      value)
{
  HistoryEntry entry = { epoch, NULL, value };

  g_return_if_fail (self != NULL);
  g_return_if_fail (_spk_session_metric_is_valid (metric));

  entry.metric = g_intern_string (metric);
  for (guint i = 0; i < self->history->len; i++)
    {
      HistoryEntry *e = &g_array_index (self->history, HistoryEntry, i);

      if (e->epoch == epoch && e->metric == entry.metric)
        {
          e->value = value;
          return;
        }
    }
  g_array_append_val (self->history, entry);
}

gboolean
spk_session_get_history (SpkSession *self,
                         guint       epoch,
                         const char *metric,
                         double     *value)
{
  const char *interned;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (metric != NULL, FALSE);

  interned = g_intern_string (metric);
  for (guint i = 0; i < self->history->len; i++)
    {
      HistoryEntry *e = &g_array_index (self->history, HistoryEntry, i);

      if (e->epoch == epoch && e->metric == interned)
        {
          if (value)
            *value = e->value;
          return TRUE;
        }
    }
  return FALSE;
}

GStrv
spk_session_list_history_metrics (SpkSession *self)
{
  g_autoptr (GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->history->len; i++)
    g_hash_table_add (set, (gpointer) g_array_index (self->history, HistoryEntry, i).metric);
  return sorted_strv (set);
}

static int
compare_uints (const void *a,
               const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

guint *
spk_session_dup_history_epochs (SpkSession *self,
                                guint      *n_epochs)
{
  guint *epochs;
  guint n = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_epochs != NULL, NULL);

  epochs = g_new (guint, MAX (self->history->len, 1));
  for (guint i = 0; i < self->history->len; i++)
    epochs[n++] = g_array_index (self->history, HistoryEntry, i).epoch;
  qsort (epochs, n, sizeof (guint), compare_uints);
  *n_epochs = 0;
  for (guint i = 0; i < n; i++)
    if (i == 0 || epochs[i] != epochs[i - 1])
      epochs[(*n_epochs)++] = epochs[i];
  return epochs;
}

void
_spk_session_set_fail_after (SpkSession *self,
                             guint       n_writes)
{
  g_return_if_fail (self != NULL);

  self->fail_after = n_writes;
}

/* }}} */
/* {{{ Names */

/* Labels become HDF5 link names, which cannot hold '/' nor be ".": those
 * characters (and '%', and a leading '.') are written as %XX. */
char *
_spk_session_escape_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    {
      if (*p == '%' || *p == '/' || (p == name && *p == '.'))
        g_string_append_printf (out, "%%%02X", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
_spk_session_unescape_name (const char *name)
{
  return g_uri_unescape_string (name, NULL);
}

/* The names by which the plan calls objects: the label, or the type name
 * and its position among the objects of that type ("connection3"). */
GHashTable *
_spk_session_object_names (SpkNetwork *network)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) keys = spk_network_dup_keys (network);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, NULL, &key))
    g_hash_table_add (names, g_strdup (key));
  return names;
}

/* }}} */
