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
 */
#define G_LOG_DOMAIN "spk-session"

#include "io/spk-session.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <json-glib/json-glib.h>

#include "core/spk-error.h"
#include "io/spk-model-json.h"

#define FORMAT_NAME "spikeworks-session"

/* Probe data is written in chunks of about this many bytes (HDF5 caches
 * 1 MiB per dataset), and moved between memory and file in blocks of a
 * few chunks, so no second copy of a large recording is ever made. */
#define CHUNK_BYTES      (256 * 1024)
#define CHUNKS_PER_BLOCK 16
#define DEFLATE_LEVEL    4

G_LOCK_DEFINE_STATIC (hdf5);

/* {{{ HDF5 handles with automatic cleanup */

typedef hid_t SpkH5File;
typedef hid_t SpkH5Group;
typedef hid_t SpkH5Dataset;
typedef hid_t SpkH5Space;
typedef hid_t SpkH5Type;
typedef hid_t SpkH5Attr;
typedef hid_t SpkH5Plist;
typedef hid_t SpkH5Object;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5File, H5Fclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Group, H5Gclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Dataset, H5Dclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Space, H5Sclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Type, H5Tclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Attr, H5Aclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Plist, H5Pclose, H5I_INVALID_HID)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SpkH5Object, H5Oclose, H5I_INVALID_HID)

/* Hands a handle over to the caller, leaving an invalid one to clean up. */
static hid_t
steal_handle (hid_t *handle)
{
  hid_t stolen = *handle;

  *handle = H5I_INVALID_HID;
  return stolen;
}

/* }}} */
/* {{{ The session */

typedef struct
{
  guint    batch;
  guint64  n_samples;
  guint    size;
  double  *t;      /* n_samples */
  float   *data;   /* batch × n_samples × size */
} ProbeRecord;

typedef struct
{
  guint       epoch;
  const char *metric;   /* interned */
  double      value;
} HistoryEntry;

struct _SpkSession
{
  SpkNetwork *network;
  SpkPlan    *plan;
  GHashTable *probes;    /* label → ProbeRecord */
  GHashTable *plot_data; /* key → ProbeRecord (batch 1): what the workbench's plots recorded */
  GHashTable *layout;    /* key → GVariant */
  GArray     *history;   /* HistoryEntry */
  guint       fail_after;
};

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
static ProbeRecord *
probe_record_new (const char  *label,
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

  if (!(record = probe_record_new (label, batch, n_samples, size, error)))
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
  SpkPlan *plan;
  guint batch;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sim != NULL, FALSE);

  plan = spk_simulator_get_plan (sim);
  batch = spk_simulator_get_batch (sim);
  if (self->plan == NULL)
    spk_session_set_plan (self, plan);
  for (guint p = 0; p < spk_plan_get_n_probes (plan); p++)
    {
      const char *label = spk_plan_get_probe_label (plan, p);
      guint size = spk_plan_get_probe_size (plan, p);
      guint64 n = spk_simulator_get_probe_n_samples (sim, p);
      g_autofree double *sample = g_new (double, (gsize) batch * MAX (size, 1));
      ProbeRecord *record;

      if (size == 0)
        continue;
      if (!(record = probe_record_new (label, batch, n, size, error)))
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

const float *
spk_session_get_probe_data (SpkSession    *self,
                            const char    *label,
                            guint         *batch,
                            guint64       *n_samples,
                            guint         *size,
                            const double **t)
{
  ProbeRecord *record;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (!(record = g_hash_table_lookup (self->probes, label)))
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

  if (!(record = probe_record_new (key, 1, n_samples, size, error)))
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
  ProbeRecord *record;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(record = g_hash_table_lookup (self->plot_data, key)))
    return NULL;
  if (n_samples)
    *n_samples = record->n_samples;
  if (size)
    *size = record->size;
  if (t)
    *t = record->t;
  return record->data;
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

static gboolean
metric_is_valid (const char *metric)
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
  g_return_if_fail (metric_is_valid (metric));

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
static char *
escape_name (const char *name)
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

static char *
unescape_name (const char *name)
{
  return g_uri_unescape_string (name, NULL);
}

/* The names by which the plan calls objects: the label, or the type name
 * and its position among the objects of that type ("connection3"). */
static GHashTable *
object_names (SpkNetwork *network)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *type = spk_object_get_type_name (object);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (counts, type));

      g_hash_table_insert (counts, (gpointer) type, GUINT_TO_POINTER (index + 1));
      if (spk_object_get_label (object))
        g_hash_table_add (names, g_strdup (spk_object_get_label (object)));
      else
        g_hash_table_add (names, g_strdup_printf ("%s%u", type, index));
    }
  return names;
}

/* }}} */
/* {{{ Writing */

typedef struct
{
  const char  *path;        /* the target, for messages */
  guint        n_writes;
  guint        fail_after;
  GError     **error;
} Writer;

static gboolean
write_failed (Writer     *w,
              const char *h5path)
{
  g_set_error (w->error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE,
               _("%s: could not write %s"), w->path, h5path);
  return FALSE;
}

/* Counts one written object; the test hook fails here as a full disk
 * would, in the middle of the file. */
static gboolean
count_write (Writer     *w,
             const char *h5path)
{
  w->n_writes++;
  if (w->fail_after != 0 && w->n_writes >= w->fail_after)
    {
      g_set_error (w->error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE,
                   _("%s: could not write %s: %s"), w->path, h5path, g_strerror (ENOSPC));
      return FALSE;
    }
  return TRUE;
}

/* "/network/@label", or "/@format" for the root. */
static char *
attr_path (const char *loc_path,
           const char *name)
{
  return g_strdup_printf ("%s/@%s", g_str_equal (loc_path, "/") ? "" : loc_path, name);
}

static hid_t
utf8_string_type (void)
{
  hid_t type = H5Tcopy (H5T_C_S1);

  H5Tset_size (type, H5T_VARIABLE);
  H5Tset_cset (type, H5T_CSET_UTF8);
  return type;
}

static gboolean
write_attr (Writer     *w,
            hid_t       loc,
            const char *loc_path,
            const char *name,
            hid_t       file_type,
            hid_t       mem_type,
            const void *value)
{
  g_autofree char *h5path = attr_path (loc_path, name);
  g_auto (SpkH5Space) space = H5Screate (H5S_SCALAR);
  g_auto (SpkH5Attr) attr = H5I_INVALID_HID;

  if (!count_write (w, h5path))
    return FALSE;
  if ((attr = H5Acreate2 (loc, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT)) < 0
      || H5Awrite (attr, mem_type, value) < 0)
    return write_failed (w, h5path);
  return TRUE;
}

static gboolean
write_string_attr (Writer     *w,
                   hid_t       loc,
                   const char *loc_path,
                   const char *name,
                   const char *value)
{
  g_auto (SpkH5Type) type = utf8_string_type ();

  return write_attr (w, loc, loc_path, name, type, type, &value);
}

static gboolean
write_int_attr (Writer     *w,
                hid_t       loc,
                const char *loc_path,
                const char *name,
                gint64      value)
{
  return write_attr (w, loc, loc_path, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

static gboolean
write_double_attr (Writer     *w,
                   hid_t       loc,
                   const char *loc_path,
                   const char *name,
                   double      value)
{
  return write_attr (w, loc, loc_path, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

/* Creates (or opens, when it exists) the group name in loc. */
static hid_t
make_group (Writer     *w,
            hid_t       loc,
            const char *name,
            const char *h5path)
{
  hid_t group;

  if (H5Lexists (loc, name, H5P_DEFAULT) > 0)
    group = H5Gopen2 (loc, name, H5P_DEFAULT);
  else
    {
      g_auto (SpkH5Plist) lcpl = H5Pcreate (H5P_LINK_CREATE);

      if (!count_write (w, h5path))
        return H5I_INVALID_HID;
      /* Layout keys name nested groups in one go. */
      H5Pset_create_intermediate_group (lcpl, 1);
      group = H5Gcreate2 (loc, name, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    }
  if (group < 0)
    write_failed (w, h5path);
  return group;
}

static gboolean
write_string_dataset (Writer     *w,
                      hid_t       loc,
                      const char *name,
                      const char *h5path,
                      const char *value,
                      hid_t      *out)
{
  g_auto (SpkH5Type) type = utf8_string_type ();
  g_auto (SpkH5Space) space = H5Screate (H5S_SCALAR);
  g_auto (SpkH5Plist) lcpl = H5Pcreate (H5P_LINK_CREATE);
  g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;

  if (!count_write (w, h5path))
    return FALSE;
  H5Pset_create_intermediate_group (lcpl, 1);
  if ((dset = H5Dcreate2 (loc, name, type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT)) < 0
      || H5Dwrite (dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) < 0)
    return write_failed (w, h5path);
  if (out)
    *out = steal_handle (&dset);
  return TRUE;
}

/* A float64 dataset of rank 0, 1 or 2 holding values. */
static gboolean
write_doubles (Writer       *w,
               hid_t         loc,
               const char   *name,
               const char   *h5path,
               guint         ndim,
               const hsize_t *dims,
               const double *values)
{
  g_auto (SpkH5Space) space = ndim ? H5Screate_simple ((int) ndim, dims, NULL) : H5Screate (H5S_SCALAR);
  g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;

  if (!count_write (w, h5path))
    return FALSE;
  if ((dset = H5Dcreate2 (loc, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0
      || H5Dwrite (dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
    return write_failed (w, h5path);
  return TRUE;
}

static gboolean
write_array (Writer         *w,
             hid_t           loc,
             const char     *name,
             const char     *h5path,
             const SpkArray *array)
{
  hsize_t dims[2] = { array->shape[0], array->shape[1] };

  return write_doubles (w, loc, name, h5path, array->ndim, dims, array->data);
}

/* {{{2 The JSON mirror */

/* A JSON array of numbers, or of equally long arrays of numbers, as a
 * flat array and its shape; FALSE for anything else. */
static gboolean
json_numbers (JsonArray *array,
              GArray    *values,
              hsize_t   *dims,
              guint     *ndim)
{
  guint n = json_array_get_length (array);

  *ndim = 1;
  dims[0] = n;
  dims[1] = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_ARRAY (node) && (i == 0 || *ndim == 2))
        {
          JsonArray *row = json_node_get_array (node);
          guint m = json_array_get_length (row);

          if (i == 0)
            {
              *ndim = 2;
              dims[1] = m;
            }
          if (m != dims[1] || m == 0)
            return FALSE;
          for (guint j = 0; j < m; j++)
            {
              JsonNode *cell = json_array_get_element (row, j);
              double v;

              if (!JSON_NODE_HOLDS_VALUE (cell) || json_node_get_value_type (cell) == G_TYPE_STRING
                  || json_node_get_value_type (cell) == G_TYPE_BOOLEAN)
                return FALSE;
              v = json_node_get_double (cell);
              g_array_append_val (values, v);
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && *ndim == 1
               && json_node_get_value_type (node) != G_TYPE_STRING
               && json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          double v = json_node_get_double (node);

          g_array_append_val (values, v);
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* Writes the members of a JSON object as attributes of group (numbers,
 * strings, booleans), datasets (arrays of numbers) and subgroups (objects);
 * other arrays keep their JSON text in a string attribute.  null is left
 * out, as the model file's "none". */
static gboolean
mirror_json_object (Writer     *w,
                    hid_t       group,
                    const char *h5path,
                    JsonObject *object)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      g_autofree char *child_path = g_strdup_printf ("%s/%s", h5path, name);

      if (JSON_NODE_HOLDS_NULL (node))
        continue;
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          g_auto (SpkH5Group) child = make_group (w, group, name, child_path);

          if (child < 0 || !mirror_json_object (w, child, child_path, json_node_get_object (node)))
            return FALSE;
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
          hsize_t dims[2];
          guint ndim;

          if (json_numbers (json_node_get_array (node), values, dims, &ndim))
            {
              if (!write_doubles (w, group, name, child_path, ndim, dims, (double *) values->data))
                return FALSE;
            }
          else
            {
              g_autofree char *text = json_to_string (node, FALSE);

              if (!write_string_attr (w, group, h5path, name, text))
                return FALSE;
            }
        }
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (!write_string_attr (w, group, h5path, name, json_node_get_string (node)))
            return FALSE;
        }
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        {
          if (!write_int_attr (w, group, h5path, name, json_node_get_boolean (node)))
            return FALSE;
        }
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        {
          if (!write_int_attr (w, group, h5path, name, json_node_get_int (node)))
            return FALSE;
        }
      else if (!write_double_attr (w, group, h5path, name, json_node_get_double (node)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_network (Writer     *w,
               hid_t       file,
               SpkNetwork *network)
{
  g_autofree char *text = spk_model_to_data (network, NULL);
  g_autoptr (JsonNode) root = json_from_string (text, NULL);
  g_auto (SpkH5Group) group = make_group (w, file, "network", "/network");
  g_auto (SpkH5Group) objects = H5I_INVALID_HID;
  JsonObject *top;
  JsonArray *list;

  /* Our own writer's output always parses. */
  g_assert (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  top = json_node_get_object (root);
  if (group < 0
      || !write_string_dataset (w, group, "model_json", "/network/model_json", text, NULL))
    return FALSE;
  if (json_object_has_member (top, "network")
      && !mirror_json_object (w, group, "/network", json_object_get_object_member (top, "network")))
    return FALSE;
  if ((objects = make_group (w, group, "objects", "/network/objects")) < 0)
    return FALSE;
  list = json_object_has_member (top, "objects") ? json_object_get_array_member (top, "objects") : NULL;
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      char name[16];
      g_autofree char *h5path = NULL;
      g_auto (SpkH5Group) child = H5I_INVALID_HID;

      g_snprintf (name, sizeof name, "%u", i);
      h5path = g_strdup_printf ("/network/objects/%s", name);
      if ((child = make_group (w, objects, name, h5path)) < 0
          || !mirror_json_object (w, child, h5path, json_array_get_object_element (list, i)))
        return FALSE;
    }
  return TRUE;
}

/* }}}2 */

static gboolean
write_params (Writer  *w,
              hid_t    file,
              SpkPlan *plan)
{
  g_auto (GStrv) keys = spk_plan_list_params (plan);
  g_auto (SpkH5Group) params = make_group (w, file, "params", "/params");

  if (params < 0)
    return FALSE;
  for (guint i = 0; keys[i]; i++)
    {
      /* The parameter is after the last '/': labels may hold '/' too. */
      const char *slash = strrchr (keys[i], '/');
      g_autofree char *label = g_strndup (keys[i], slash ? (gsize) (slash - keys[i]) : 0);
      g_autofree char *escaped = escape_name (label);
      g_autofree char *group_path = g_strdup_printf ("/params/%s", escaped);
      g_autofree char *h5path = NULL;
      g_autoptr (SpkArray) array = spk_plan_dup_param (plan, keys[i]);
      g_auto (SpkH5Group) group = H5I_INVALID_HID;

      g_assert (slash != NULL && array != NULL);
      h5path = g_strdup_printf ("%s/%s", group_path, slash + 1);
      if ((group = make_group (w, params, escaped, group_path)) < 0
          || !write_array (w, group, slash + 1, h5path, array))
        return FALSE;
    }
  return TRUE;
}

/* A chunked, compressed dataset of type file_type and shape dims (the
 * sample axis, dims[rank − 2], may grow), written from values in blocks of
 * whole chunks. */
static gboolean
write_chunked (Writer      *w,
               hid_t        loc,
               const char  *name,
               const char  *h5path,
               hid_t        file_type,
               hid_t        mem_type,
               int          rank,
               const hsize_t *dims,
               const void  *values)
{
  hsize_t maxdims[3], chunk[3], start[3] = { 0, 0, 0 }, count[3];
  int axis = rank >= 2 ? rank - 2 : 0;   /* the sample axis */
  gsize row_bytes = H5Tget_size (mem_type) * (rank >= 2 ? dims[rank - 1] : 1);
  hsize_t rows_per_chunk = MAX (CHUNK_BYTES / MAX (row_bytes, 1), 1);
  g_auto (SpkH5Space) space = H5Screate_simple (rank, dims, NULL);
  g_auto (SpkH5Plist) dcpl = H5Pcreate (H5P_DATASET_CREATE);
  g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;
  hsize_t n_rows = dims[axis], outer = axis > 0 ? dims[0] : 1;

  for (int d = 0; d < rank; d++)
    {
      maxdims[d] = dims[d];
      chunk[d] = d < axis ? 1 : MAX (dims[d], 1);
      count[d] = dims[d];
    }
  maxdims[axis] = H5S_UNLIMITED;
  chunk[axis] = MIN (rows_per_chunk, MAX (n_rows, 1));
  if (!count_write (w, h5path))
    return FALSE;
  H5Sset_extent_simple (space, rank, dims, maxdims);
  if (H5Pset_chunk (dcpl, rank, chunk) < 0
      || H5Pset_shuffle (dcpl) < 0
      || H5Pset_deflate (dcpl, DEFLATE_LEVEL) < 0
      || (dset = H5Dcreate2 (loc, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0)
    return write_failed (w, h5path);

  /* Block by block: the outer (batch) index, then runs of sample rows. */
  for (hsize_t o = 0; o < outer; o++)
    for (hsize_t r = 0; r < n_rows; r += chunk[axis] * CHUNKS_PER_BLOCK)
      {
        g_auto (SpkH5Space) mem = H5I_INVALID_HID;
        gsize offset;

        if (axis > 0)
          {
            start[0] = o;
            count[0] = 1;
          }
        start[axis] = r;
        count[axis] = MIN (chunk[axis] * CHUNKS_PER_BLOCK, n_rows - r);
        mem = H5Screate_simple (rank, count, NULL);
        offset = (gsize) ((o * n_rows + r) * row_bytes);
        if (H5Sselect_hyperslab (space, H5S_SELECT_SET, start, NULL, count, NULL) < 0
            || H5Dwrite (dset, mem_type, mem, space, H5P_DEFAULT, (const char *) values + offset) < 0)
          return write_failed (w, h5path);
      }
  return TRUE;
}

/* The records of table as /<name>/<label>/{t,data}. */
static gboolean
write_records (Writer     *w,
               hid_t       file,
               const char *name,
               GHashTable *table)
{
  g_auto (GStrv) labels = sorted_strv (table);
  g_autofree char *path = g_strconcat ("/", name, NULL);
  g_auto (SpkH5Group) probes = make_group (w, file, name, path);

  if (probes < 0)
    return FALSE;
  for (guint i = 0; labels[i]; i++)
    {
      ProbeRecord *record = g_hash_table_lookup (table, labels[i]);
      g_autofree char *escaped = escape_name (labels[i]);
      g_autofree char *group_path = g_strdup_printf ("%s/%s", path, escaped);
      g_autofree char *t_path = g_strdup_printf ("%s/t", group_path);
      g_autofree char *data_path = g_strdup_printf ("%s/data", group_path);
      g_auto (SpkH5Group) group = make_group (w, probes, escaped, group_path);
      hsize_t t_dims[1] = { record->n_samples };
      hsize_t dims[3];
      int rank;

      /* One run is (samples × size), as Nengo's sim.data[p]; a batch
       * adds a leading axis. */
      if (record->batch > 1)
        {
          dims[0] = record->batch;
          dims[1] = record->n_samples;
          dims[2] = record->size;
          rank = 3;
        }
      else
        {
          dims[0] = record->n_samples;
          dims[1] = record->size;
          rank = 2;
        }
      if (group < 0
          || !write_chunked (w, group, "t", t_path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, t_dims, record->t)
          || !write_chunked (w, group, "data", data_path, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, rank, dims, record->data))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_layout (Writer     *w,
              hid_t       file,
              SpkSession *self)
{
  g_auto (GStrv) keys = spk_session_list_layout (self);
  g_auto (SpkH5Group) layout = make_group (w, file, "layout", "/layout");

  if (layout < 0)
    return FALSE;
  for (guint i = 0; keys[i]; i++)
    {
      GVariant *value = g_hash_table_lookup (self->layout, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);
      g_autofree char *h5path = g_strdup_printf ("/layout/%s", keys[i]);
      g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;

      if (!write_string_dataset (w, layout, keys[i], h5path, text, &dset)
          || !write_string_attr (w, dset, h5path, "type", g_variant_get_type_string (value)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_history (Writer     *w,
               hid_t       file,
               SpkSession *self)
{
  g_auto (SpkH5Group) training = make_group (w, file, "training", "/training");
  g_auto (SpkH5Group) history = H5I_INVALID_HID;
  g_auto (GStrv) metrics = spk_session_list_history_metrics (self);
  g_autofree guint *epochs = NULL;
  g_autofree double *column = NULL;
  g_autoptr (GHashTable) rows = g_hash_table_new (NULL, NULL);
  g_auto (SpkH5Space) space = H5I_INVALID_HID;
  g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;
  hsize_t dims[1];
  guint n;

  if (training < 0
      || (history = make_group (w, training, "history", "/training/history")) < 0)
    return FALSE;
  epochs = spk_session_dup_history_epochs (self, &n);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (rows, GUINT_TO_POINTER (epochs[i]), GUINT_TO_POINTER (i));
  dims[0] = n;
  space = H5Screate_simple (1, dims, NULL);
  if (!count_write (w, "/training/history/epoch"))
    return FALSE;
  if ((dset = H5Dcreate2 (history, "epoch", H5T_STD_U32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0
      || (n > 0 && H5Dwrite (dset, H5T_NATIVE_UINT, H5S_ALL, H5S_ALL, H5P_DEFAULT, epochs) < 0))
    return write_failed (w, "/training/history/epoch");

  /* One column per metric, NaN where an epoch has no value for it. */
  column = g_new (double, MAX (n, 1));
  for (guint m = 0; metrics[m]; m++)
    {
      g_autofree char *h5path = g_strdup_printf ("/training/history/%s", metrics[m]);
      const char *interned = g_intern_string (metrics[m]);

      for (guint i = 0; i < n; i++)
        column[i] = NAN;
      for (guint i = 0; i < self->history->len; i++)
        {
          HistoryEntry *e = &g_array_index (self->history, HistoryEntry, i);

          if (e->metric == interned)
            column[GPOINTER_TO_UINT (g_hash_table_lookup (rows, GUINT_TO_POINTER (e->epoch)))] = e->value;
        }
      if (!write_doubles (w, history, metrics[m], h5path, 1, dims, column))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_session (Writer     *w,
               hid_t       file,
               SpkSession *self)
{
  return write_string_attr (w, file, "/", "format", FORMAT_NAME)
         && write_int_attr (w, file, "/", "version", SPK_SESSION_VERSION)
         && write_network (w, file, self->network)
         && (self->plan == NULL || write_params (w, file, self->plan))
         && write_records (w, file, "probes", self->probes)
         /* Only sessions with plotted data have the group. */
         && (g_hash_table_size (self->plot_data) == 0 || write_records (w, file, "plot_data", self->plot_data))
         && write_layout (w, file, self)
         && write_history (w, file, self);
}

static gboolean
fsync_path (const char *path,
            int         flags)
{
  int fd = g_open (path, flags, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

/* Writes the whole file at tmp and closes it; FALSE with an error. */
static gboolean
write_file (Writer     *w,
            const char *tmp,
            SpkSession *self)
{
  g_auto (SpkH5Plist) fapl = H5Pcreate (H5P_FILE_ACCESS);
  hid_t file;
  gboolean ok;

  /* Refuse to close while anything is open, so a forgotten handle shows
   * up as an error instead of a silently unfinished file. */
  H5Pset_fclose_degree (fapl, H5F_CLOSE_SEMI);
  if ((file = H5Fcreate (tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)) < 0)
    return write_failed (w, "/");
  ok = write_session (w, file, self);
  if (ok && H5Fflush (file, H5F_SCOPE_GLOBAL) < 0)
    ok = write_failed (w, "/");
  if (H5Fclose (file) < 0 && ok)
    ok = write_failed (w, "/");
  return ok;
}

gboolean
spk_session_save (SpkSession  *self,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *dir = NULL, *base = NULL, *tmp = NULL;
  Writer w = { path, 0, 0, error };
  gboolean ok;
  int fd, saved;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  w.fail_after = self->fail_after;
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  if ((fd = g_mkstemp_full (tmp, O_RDWR, 0644)) < 0)
    {
      saved = errno;
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE,
                   _("could not save the session to '%s': %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  G_LOCK (hdf5);
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  ok = write_file (&w, tmp, self);
  G_UNLOCK (hdf5);

  /* The data must be on disk before the rename makes it the session, or a
   * crash could leave an empty file under the old name. */
  if (ok && !fsync_path (tmp, O_RDONLY))
    {
      saved = errno;
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE,
                   _("could not save the session to '%s': %s"), path, g_strerror (saved));
      ok = FALSE;
    }
  if (ok && g_rename (tmp, path) != 0)
    {
      saved = errno;
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE,
                   _("could not save the session to '%s': %s"), path, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (tmp);
      return FALSE;
    }
  fsync_path (dir, O_RDONLY);
  return TRUE;
}

/* }}} */
/* {{{ Reading */

typedef struct
{
  const char  *path;
  GError     **error;
} Reader;

static gboolean
read_fail (Reader     *r,
           SpkIoError  code,
           const char *h5path,
           const char *format,
           ...) G_GNUC_PRINTF (4, 5);

/* Every message reads "<file>: <path in the file>: <problem>". */
static gboolean
read_fail (Reader     *r,
           SpkIoError  code,
           const char *h5path,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, SPK_IO_ERROR, code, "%s: %s: %s", r->path, h5path, message);
  return FALSE;
}

static gboolean
damaged (Reader     *r,
         const char *h5path)
{
  return read_fail (r, SPK_IO_ERROR_PARSE, h5path, _("cannot be read (the file is damaged or truncated)"));
}

/* Opens the object name in loc as a group or a dataset (kind); a missing
 * one is an error when required, else *out stays invalid. */
static gboolean
open_object (Reader     *r,
             hid_t       loc,
             const char *name,
             const char *h5path,
             H5I_type_t  kind,
             gboolean    required,
             hid_t      *out)
{
  htri_t exists = H5Lexists (loc, name, H5P_DEFAULT);
  g_auto (SpkH5Object) object = H5I_INVALID_HID;

  *out = H5I_INVALID_HID;
  if (exists < 0)
    return damaged (r, h5path);
  if (exists == 0)
    {
      if (!required)
        return TRUE;
      return read_fail (r, SPK_IO_ERROR_FORMAT, h5path,
                        kind == H5I_GROUP ? _("the required group is missing")
                                          : _("the required dataset is missing"));
    }
  if ((object = H5Oopen (loc, name, H5P_DEFAULT)) < 0)
    return damaged (r, h5path);
  if (H5Iget_type (object) != kind)
    return read_fail (r, SPK_IO_ERROR_FORMAT, h5path,
                      kind == H5I_GROUP ? _("expected a group") : _("expected a dataset"));
  *out = steal_handle (&object);
  return TRUE;
}

/* Reads a scalar string (fixed or variable length) from an attribute or
 * a dataset. */
static gboolean
read_string (Reader     *r,
             hid_t       object,
             gboolean    is_attr,
             const char *h5path,
             char      **out)
{
  g_auto (SpkH5Type) type = is_attr ? H5Aget_type (object) : H5Dget_type (object);
  g_auto (SpkH5Space) space = is_attr ? H5Aget_space (object) : H5Dget_space (object);
  g_auto (SpkH5Type) mem = H5I_INVALID_HID;
  herr_t status;

  if (type < 0 || space < 0)
    return damaged (r, h5path);
  if (H5Tget_class (type) != H5T_STRING || H5Sget_simple_extent_npoints (space) != 1)
    return read_fail (r, SPK_IO_ERROR_FORMAT, h5path, _("expected one string"));
  if (H5Tis_variable_str (type) > 0)
    {
      char *value = NULL;

      mem = utf8_string_type ();
      status = is_attr ? H5Aread (object, mem, &value) : H5Dread (object, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value);
      if (status < 0 || value == NULL)
        return damaged (r, h5path);
      *out = g_strdup (value);
      H5free_memory (value);
    }
  else
    {
      gsize size = H5Tget_size (type);
      g_autofree char *value = g_try_malloc0 (size + 1);

      if (value == NULL)
        return read_fail (r, SPK_IO_ERROR_VALUE, h5path, _("string too long"));
      mem = H5Tcopy (type);
      status = is_attr ? H5Aread (object, mem, value) : H5Dread (object, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, value);
      if (status < 0)
        return damaged (r, h5path);
      *out = g_steal_pointer (&value);
    }
  if (!g_utf8_validate (*out, -1, NULL))
    {
      g_clear_pointer (out, g_free);
      return read_fail (r, SPK_IO_ERROR_VALUE, h5path, _("the string is not valid UTF-8"));
    }
  return TRUE;
}

static gboolean
open_attr (Reader     *r,
           hid_t       loc,
           const char *loc_path,
           const char *name,
           hid_t      *out)
{
  htri_t exists = H5Aexists (loc, name);

  *out = H5I_INVALID_HID;
  if (exists < 0)
    return damaged (r, loc_path);
  if (exists == 0)
    return read_fail (r, SPK_IO_ERROR_FORMAT, loc_path, _("the required attribute '%s' is missing"), name);
  if ((*out = H5Aopen (loc, name, H5P_DEFAULT)) < 0)
    return damaged (r, loc_path);
  return TRUE;
}

static gboolean
read_string_attr (Reader     *r,
                  hid_t       loc,
                  const char *loc_path,
                  const char *name,
                  char      **out)
{
  g_autofree char *h5path = attr_path (loc_path, name);
  g_auto (SpkH5Attr) attr = H5I_INVALID_HID;

  return open_attr (r, loc, loc_path, name, &attr)
         && read_string (r, attr, TRUE, h5path, out);
}

static gboolean
read_int_attr (Reader     *r,
               hid_t       loc,
               const char *loc_path,
               const char *name,
               gint64     *out)
{
  g_autofree char *h5path = attr_path (loc_path, name);
  g_auto (SpkH5Attr) attr = H5I_INVALID_HID;
  g_auto (SpkH5Type) type = H5I_INVALID_HID;
  g_auto (SpkH5Space) space = H5I_INVALID_HID;

  if (!open_attr (r, loc, loc_path, name, &attr))
    return FALSE;
  type = H5Aget_type (attr);
  space = H5Aget_space (attr);
  if (type < 0 || space < 0)
    return damaged (r, h5path);
  if (H5Tget_class (type) != H5T_INTEGER || H5Sget_simple_extent_npoints (space) != 1)
    return read_fail (r, SPK_IO_ERROR_FORMAT, h5path, _("expected one integer"));
  if (H5Aread (attr, H5T_NATIVE_INT64, out) < 0)
    return damaged (r, h5path);
  return TRUE;
}

/* The dataset's shape, checked to be floating point (of size bytes, or
 * any size when 0) and of a rank in [min_rank, max_rank]. */
static gboolean
float_shape (Reader     *r,
             hid_t       dset,
             const char *h5path,
             gsize       size,
             int         min_rank,
             int         max_rank,
             int        *rank,
             hsize_t    *dims)
{
  g_auto (SpkH5Type) type = H5Dget_type (dset);
  g_auto (SpkH5Space) space = H5Dget_space (dset);

  if (type < 0 || space < 0 || (*rank = H5Sget_simple_extent_ndims (space)) < 0)
    return damaged (r, h5path);
  if (H5Tget_class (type) != H5T_FLOAT || (size != 0 && H5Tget_size (type) != size))
    return read_fail (r, SPK_IO_ERROR_FORMAT, h5path,
                      size == 8 ? _("expected float64 values") : _("expected floating-point values"));
  if (*rank < min_rank || *rank > max_rank)
    return read_fail (r, SPK_IO_ERROR_FORMAT, h5path,
                      _("expected %d to %d dimensions, found %d"), min_rank, max_rank, *rank);
  if (H5Sget_simple_extent_dims (space, dims, NULL) < 0)
    return damaged (r, h5path);
  return TRUE;
}

/* The names of the links in group, in name order. */
static gboolean
list_links (Reader     *r,
            hid_t       group,
            const char *h5path,
            GPtrArray **out)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  H5G_info_t info;

  if (H5Gget_info (group, &info) < 0)
    return damaged (r, h5path);
  for (hsize_t i = 0; i < info.nlinks; i++)
    {
      ssize_t len = H5Lget_name_by_idx (group, ".", H5_INDEX_NAME, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT);
      g_autofree char *name = NULL;

      if (len < 0 || !(name = g_try_malloc ((gsize) len + 1))
          || H5Lget_name_by_idx (group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, (size_t) len + 1, H5P_DEFAULT) < 0)
        return damaged (r, h5path);
      g_ptr_array_add (names, g_steal_pointer (&name));
    }
  *out = g_steal_pointer (&names);
  return TRUE;
}

static gboolean
read_header (Reader *r,
             hid_t   file)
{
  g_autofree char *format = NULL;
  gint64 version;

  if (H5Aexists (file, "format") == 0)
    return read_fail (r, SPK_IO_ERROR_FORMAT, "/",
                      _("not a Spikeworks session (no attribute 'format')"));
  if (!read_string_attr (r, file, "/", "format", &format))
    return FALSE;
  if (!g_str_equal (format, FORMAT_NAME))
    return read_fail (r, SPK_IO_ERROR_FORMAT, "/@format",
                      _("not a Spikeworks session (the format is '%s')"), format);
  if (!read_int_attr (r, file, "/", "version", &version))
    return FALSE;
  if (version > SPK_SESSION_VERSION)
    return read_fail (r, SPK_IO_ERROR_FORMAT, "/@version",
                      _("the session is version %" PRId64 ", newer than this Spikeworks reads (%d); update Spikeworks"),
                      version, SPK_SESSION_VERSION);
  if (version < 1)
    return read_fail (r, SPK_IO_ERROR_FORMAT, "/@version",
                      _("invalid version %" PRId64), version);
  return TRUE;
}

static SpkNetwork *
read_network (Reader *r,
              hid_t   file)
{
  g_auto (SpkH5Group) group = H5I_INVALID_HID;
  g_auto (SpkH5Group) objects = H5I_INVALID_HID;
  g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (GPtrArray) names = NULL;
  GPtrArray *list;

  if (!open_object (r, file, "network", "/network", H5I_GROUP, TRUE, &group)
      || !open_object (r, group, "model_json", "/network/model_json", H5I_DATASET, TRUE, &dset)
      || !read_string (r, dset, FALSE, "/network/model_json", &text))
    return NULL;
  if (!(network = spk_model_load_data (text, -1, &local)))
    {
      read_fail (r, local->domain == SPK_IO_ERROR ? local->code : SPK_IO_ERROR_VALUE,
                 "/network/model_json", "%s", local->message);
      return NULL;
    }

  /* The mirror is for HDF5 tools, but it must describe the same objects. */
  if (!open_object (r, group, "objects", "/network/objects", H5I_GROUP, TRUE, &objects)
      || !list_links (r, objects, "/network/objects", &names))
    return NULL;
  list = spk_network_get_objects (network);
  if (names->len != list->len)
    {
      read_fail (r, SPK_IO_ERROR_FORMAT, "/network/objects",
                 _("%u objects, but model_json has %u"), names->len, list->len);
      return NULL;
    }
  for (guint i = 0; i < list->len; i++)
    {
      char name[16];
      g_autofree char *h5path = NULL;
      g_autofree char *type = NULL;
      g_auto (SpkH5Group) child = H5I_INVALID_HID;
      const char *expected = spk_object_get_type_name (g_ptr_array_index (list, i));

      g_snprintf (name, sizeof name, "%u", i);
      h5path = g_strdup_printf ("/network/objects/%s", name);
      if (!open_object (r, objects, name, h5path, H5I_GROUP, TRUE, &child)
          || !read_string_attr (r, child, h5path, "type", &type))
        return NULL;
      if (!g_str_equal (type, expected))
        {
          read_fail (r, SPK_IO_ERROR_FORMAT, h5path,
                     _("type '%s', but model_json has a %s here"), type, expected);
          return NULL;
        }
    }
  return g_steal_pointer (&network);
}

static gboolean
read_array (Reader      *r,
            hid_t        dset,
            const char  *h5path,
            SpkArray   **out)
{
  hsize_t dims[2] = { 0, 0 };
  g_autoptr (SpkArray) array = NULL;
  gsize n_bytes;
  int rank;

  if (!float_shape (r, dset, h5path, 8, 0, 2, &rank, dims))
    return FALSE;
  if (!g_size_checked_mul (&n_bytes, MAX (dims[0], 1), MAX (dims[1], 1))
      || !g_size_checked_mul (&n_bytes, n_bytes, sizeof (double))
      || n_bytes > G_MAXSIZE / 2)
    return read_fail (r, SPK_IO_ERROR_VALUE, h5path, _("the array is too large"));
  if (rank == 0)
    array = spk_array_new_scalar (0.0);
  else
    array = spk_array_new ((guint) rank, dims[0], rank == 2 ? dims[1] : 1);
  if (array->size > 0 && H5Dread (dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, array->data) < 0)
    return damaged (r, h5path);
  *out = g_steal_pointer (&array);
  return TRUE;
}

/* The saved parameters, keyed as spk_plan_list_params() names them, each
 * checked to belong to an object of network. */
static GHashTable *
read_params (Reader     *r,
             hid_t       params,
             SpkNetwork *network)
{
  g_autoptr (GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) spk_array_unref);
  g_autoptr (GHashTable) known = object_names (network);
  g_autoptr (GPtrArray) groups = NULL;

  if (!list_links (r, params, "/params", &groups))
    return NULL;
  for (guint i = 0; i < groups->len; i++)
    {
      const char *escaped = g_ptr_array_index (groups, i);
      g_autofree char *label = unescape_name (escaped);
      g_autofree char *group_path = g_strdup_printf ("/params/%s", escaped);
      g_auto (SpkH5Group) group = H5I_INVALID_HID;
      g_autoptr (GPtrArray) names = NULL;

      if (label == NULL || !g_hash_table_contains (known, label))
        {
          read_fail (r, SPK_IO_ERROR_VALUE, group_path,
                     _("'%s' names no object of the network"), label ? label : escaped);
          return NULL;
        }
      if (!open_object (r, params, escaped, group_path, H5I_GROUP, TRUE, &group)
          || !list_links (r, group, group_path, &names))
        return NULL;
      for (guint j = 0; j < names->len; j++)
        {
          const char *name = g_ptr_array_index (names, j);
          g_autofree char *h5path = g_strdup_printf ("%s/%s", group_path, name);
          g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;
          SpkArray *array = NULL;

          if (!open_object (r, group, name, h5path, H5I_DATASET, TRUE, &dset)
              || !read_array (r, dset, h5path, &array))
            return NULL;
          g_hash_table_insert (table, g_strdup_printf ("%s/%s", label, name), array);
        }
    }
  return g_steal_pointer (&table);
}

/* Rebuilds the plan from the saved parameters: the file must hold every
 * parameter the plan has, and no other. */
static SpkPlan *
read_plan (Reader     *r,
           hid_t       file,
           SpkNetwork *network)
{
  g_auto (SpkH5Group) params = H5I_INVALID_HID;
  g_autoptr (GHashTable) table = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) keys = NULL;

  if (!open_object (r, file, "params", "/params", H5I_GROUP, TRUE, &params)
      || !(table = read_params (r, params, network)))
    return NULL;
  if (!(plan = spk_build_with_params (network, table, &local)))
    {
      read_fail (r, SPK_IO_ERROR_VALUE, "/params", "%s", local->message);
      return NULL;
    }
  keys = spk_plan_list_params (plan);
  for (guint i = 0; keys[i]; i++)
    {
      if (!g_hash_table_remove (table, keys[i]))
        {
          const char *slash = strrchr (keys[i], '/');
          g_autofree char *label = g_strndup (keys[i], slash ? (gsize) (slash - keys[i]) : 0);
          g_autofree char *escaped = escape_name (label);
          g_autofree char *h5path = g_strdup_printf ("/params/%s/%s", escaped, slash ? slash + 1 : "");

          read_fail (r, SPK_IO_ERROR_FORMAT, h5path, _("the required dataset is missing"));
          return NULL;
        }
    }
  if (g_hash_table_size (table) > 0)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, table);
      g_hash_table_iter_next (&iter, &key, NULL);
      {
        g_autofree char *h5path = g_strdup_printf ("/params/%s", (const char *) key);

        read_fail (r, SPK_IO_ERROR_UNKNOWN, h5path, _("the network has no such parameter"));
      }
      return NULL;
    }
  return g_steal_pointer (&plan);
}

/* Reads a chunked dataset of rank dims into values (mem_type), in blocks
 * of sample rows along axis. */
static gboolean
read_blocks (Reader        *r,
             hid_t          dset,
             const char    *h5path,
             hid_t          mem_type,
             int            rank,
             const hsize_t *dims,
             void          *values)
{
  g_auto (SpkH5Space) space = H5Dget_space (dset);
  int axis = rank >= 2 ? rank - 2 : 0;
  gsize row_bytes = H5Tget_size (mem_type) * (rank >= 2 ? dims[rank - 1] : 1);
  hsize_t block = MAX (CHUNK_BYTES * CHUNKS_PER_BLOCK / MAX (row_bytes, 1), 1);
  hsize_t n_rows = dims[axis], outer = axis > 0 ? dims[0] : 1;
  hsize_t start[3] = { 0, 0, 0 }, count[3];

  if (space < 0)
    return damaged (r, h5path);
  for (int d = 0; d < rank; d++)
    count[d] = dims[d];
  for (hsize_t o = 0; o < outer; o++)
    for (hsize_t row = 0; row < n_rows; row += block)
      {
        g_auto (SpkH5Space) mem = H5I_INVALID_HID;

        if (axis > 0)
          {
            start[0] = o;
            count[0] = 1;
          }
        start[axis] = row;
        count[axis] = MIN (block, n_rows - row);
        mem = H5Screate_simple (rank, count, NULL);
        if (H5Sselect_hyperslab (space, H5S_SELECT_SET, start, NULL, count, NULL) < 0
            || H5Dread (dset, mem_type, mem, space, H5P_DEFAULT,
                        (char *) values + (gsize) ((o * n_rows + row) * row_bytes)) < 0)
          return damaged (r, h5path);
      }
  return TRUE;
}

static gboolean
read_probe (Reader     *r,
            hid_t       probes,
            const char *parent,
            const char *escaped,
            const char *label,
            SpkPlan    *plan,
            GHashTable *table)
{
  g_autofree char *group_path = g_strdup_printf ("/%s/%s", parent, escaped);
  g_autofree char *t_path = g_strdup_printf ("%s/t", group_path);
  g_autofree char *data_path = g_strdup_printf ("%s/data", group_path);
  g_auto (SpkH5Group) group = H5I_INVALID_HID;
  g_auto (SpkH5Dataset) t = H5I_INVALID_HID;
  g_auto (SpkH5Dataset) data = H5I_INVALID_HID;
  g_autoptr (GError) local = NULL;
  hsize_t t_dims[1], dims[3];
  int t_rank, rank;
  guint batch, size;
  guint64 n;
  ProbeRecord *record;

  if (!open_object (r, probes, escaped, group_path, H5I_GROUP, TRUE, &group)
      || !open_object (r, group, "t", t_path, H5I_DATASET, TRUE, &t)
      || !open_object (r, group, "data", data_path, H5I_DATASET, TRUE, &data)
      || !float_shape (r, t, t_path, 0, 1, 1, &t_rank, t_dims)
      || !float_shape (r, data, data_path, 0, 2, 3, &rank, dims))
    return FALSE;
  batch = rank == 3 ? (guint) MIN (dims[0], G_MAXUINT) : 1;
  n = dims[rank - 2];
  size = (guint) MIN (dims[rank - 1], G_MAXUINT);
  if (batch == 0 || size == 0 || dims[rank - 1] > G_MAXUINT || (rank == 3 && dims[0] > G_MAXUINT))
    return read_fail (r, SPK_IO_ERROR_FORMAT, data_path, _("empty or too large data dimensions"));
  if (t_dims[0] != n)
    return read_fail (r, SPK_IO_ERROR_FORMAT, t_path,
                      _("%" PRIu64 " sample times for %" PRIu64 " samples of data"),
                      (guint64) t_dims[0], n);
  if (plan != NULL)
    {
      int p = spk_plan_find_probe (plan, label);

      if (p >= 0 && spk_plan_get_probe_size (plan, (guint) p) != size)
        return read_fail (r, SPK_IO_ERROR_FORMAT, data_path,
                          _("samples of %u values, but probe '%s' records %u"),
                          size, label, spk_plan_get_probe_size (plan, (guint) p));
    }
  if (!(record = probe_record_new (label, batch, n, size, &local)))
    return read_fail (r, SPK_IO_ERROR_VALUE, data_path, "%s", local->message);
  /* Owned by the session from here, so an error below frees it. */
  g_hash_table_replace (table, g_strdup (label), record);
  if (n == 0)
    return TRUE;
  return read_blocks (r, t, t_path, H5T_NATIVE_DOUBLE, 1, t_dims, record->t)
         && read_blocks (r, data, data_path, H5T_NATIVE_FLOAT, rank, dims, record->data);
}

static gboolean
read_probes (Reader     *r,
             hid_t       file,
             SpkSession *self)
{
  g_auto (SpkH5Group) probes = H5I_INVALID_HID;
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GHashTable) known = NULL;

  if (!open_object (r, file, "probes", "/probes", H5I_GROUP, FALSE, &probes))
    return FALSE;
  if (probes < 0)
    return TRUE;
  if (!list_links (r, probes, "/probes", &names))
    return FALSE;
  if (self->plan == NULL)
    {
      /* Without a plan, probes go by the names the plan would give them. */
      GPtrArray *objects = spk_network_get_objects (self->network);
      guint index = 0;

      known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < objects->len; i++)
        if (SPK_IS_PROBE (g_ptr_array_index (objects, i)))
          {
            const char *label = spk_object_get_label (g_ptr_array_index (objects, i));

            g_hash_table_add (known, label ? g_strdup (label) : g_strdup_printf ("probe%u", index));
            index++;
          }
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *escaped = g_ptr_array_index (names, i);
      g_autofree char *label = unescape_name (escaped);

      if (label == NULL
          || (self->plan ? spk_plan_find_probe (self->plan, label) < 0 : !g_hash_table_contains (known, label)))
        {
          g_autofree char *h5path = g_strdup_printf ("/probes/%s", escaped);

          return read_fail (r, SPK_IO_ERROR_VALUE, h5path,
                            _("'%s' is not a probe of the network"), label ? label : escaped);
        }
      if (!read_probe (r, probes, "probes", escaped, label, self->plan, self->probes))
        return FALSE;
    }
  return TRUE;
}

/* The plots' recordings: any key, since the plots' probes are not the
 * network's. */
static gboolean
read_plot_data (Reader     *r,
                hid_t       file,
                SpkSession *self)
{
  g_auto (SpkH5Group) group = H5I_INVALID_HID;
  g_autoptr (GPtrArray) names = NULL;

  if (!open_object (r, file, "plot_data", "/plot_data", H5I_GROUP, FALSE, &group))
    return FALSE;
  if (group < 0)
    return TRUE;
  if (!list_links (r, group, "/plot_data", &names))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *escaped = g_ptr_array_index (names, i);
      g_autofree char *key = unescape_name (escaped);

      if (key == NULL)
        {
          g_autofree char *h5path = g_strdup_printf ("/plot_data/%s", escaped);

          return read_fail (r, SPK_IO_ERROR_FORMAT, h5path, _("not a valid name"));
        }
      if (!read_probe (r, group, "plot_data", escaped, key, NULL, self->plot_data))
        return FALSE;
    }
  return TRUE;
}

/* Reads the layout datasets under group, whose keys start with prefix. */
static gboolean
read_layout_group (Reader     *r,
                   hid_t       group,
                   const char *prefix,
                   SpkSession *self)
{
  g_autofree char *group_path = g_strdup_printf ("/layout%s%s", *prefix ? "/" : "", prefix);
  g_autoptr (GPtrArray) names = NULL;

  if (!list_links (r, group, group_path, &names))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *key = *prefix ? g_strdup_printf ("%s/%s", prefix, name) : g_strdup (name);
      g_autofree char *h5path = g_strdup_printf ("/layout/%s", key);
      g_auto (SpkH5Object) object = H5Oopen (group, name, H5P_DEFAULT);
      g_autofree char *text = NULL, *type = NULL;
      g_autoptr (GError) local = NULL;
      GVariant *value;

      if (object < 0)
        return damaged (r, h5path);
      if (H5Iget_type (object) == H5I_GROUP)
        {
          if (!read_layout_group (r, object, key, self))
            return FALSE;
          continue;
        }
      if (!read_string (r, object, FALSE, h5path, &text)
          || !read_string_attr (r, object, h5path, "type", &type))
        return FALSE;
      if (!g_variant_type_string_is_valid (type))
        return read_fail (r, SPK_IO_ERROR_VALUE, h5path, _("'%s' is not a GVariant type"), type);
      if (!(value = g_variant_parse (G_VARIANT_TYPE (type), text, NULL, NULL, &local)))
        return read_fail (r, SPK_IO_ERROR_VALUE, h5path, "%s", local->message);
      /* g_variant_parse() returns a full, non-floating reference. */
      g_hash_table_replace (self->layout, g_steal_pointer (&key), value);
    }
  return TRUE;
}

static gboolean
read_layout (Reader     *r,
             hid_t       file,
             SpkSession *self)
{
  g_auto (SpkH5Group) layout = H5I_INVALID_HID;

  if (!open_object (r, file, "layout", "/layout", H5I_GROUP, FALSE, &layout))
    return FALSE;
  return layout < 0 || read_layout_group (r, layout, "", self);
}

static gboolean
read_history (Reader     *r,
              hid_t       file,
              SpkSession *self)
{
  g_auto (SpkH5Group) training = H5I_INVALID_HID;
  g_auto (SpkH5Group) history = H5I_INVALID_HID;
  g_auto (SpkH5Dataset) epoch = H5I_INVALID_HID;
  g_auto (SpkH5Type) type = H5I_INVALID_HID;
  g_auto (SpkH5Space) space = H5I_INVALID_HID;
  g_autoptr (GPtrArray) names = NULL;
  g_autofree guint *epochs = NULL;
  g_autofree double *column = NULL;
  hsize_t n;

  if (!open_object (r, file, "training", "/training", H5I_GROUP, FALSE, &training))
    return FALSE;
  if (training < 0)
    return TRUE;
  if (!open_object (r, training, "history", "/training/history", H5I_GROUP, FALSE, &history))
    return FALSE;
  if (history < 0)
    return TRUE;
  if (!open_object (r, history, "epoch", "/training/history/epoch", H5I_DATASET, TRUE, &epoch))
    return FALSE;
  type = H5Dget_type (epoch);
  space = H5Dget_space (epoch);
  if (type < 0 || space < 0)
    return damaged (r, "/training/history/epoch");
  if (H5Tget_class (type) != H5T_INTEGER || H5Sget_simple_extent_ndims (space) != 1)
    return read_fail (r, SPK_IO_ERROR_FORMAT, "/training/history/epoch",
                      _("expected a vector of integers"));
  H5Sget_simple_extent_dims (space, &n, NULL);
  if (n > G_MAXUINT / sizeof (double) || !(epochs = g_try_malloc (MAX (n, 1) * sizeof (guint)))
      || !(column = g_try_malloc (MAX (n, 1) * sizeof (double))))
    return read_fail (r, SPK_IO_ERROR_VALUE, "/training/history/epoch", _("too many epochs"));
  if (n > 0 && H5Dread (epoch, H5T_NATIVE_UINT, H5S_ALL, H5S_ALL, H5P_DEFAULT, epochs) < 0)
    return damaged (r, "/training/history/epoch");

  if (!list_links (r, history, "/training/history", &names))
    return FALSE;
  for (guint m = 0; m < names->len; m++)
    {
      const char *name = g_ptr_array_index (names, m);
      g_autofree char *h5path = g_strdup_printf ("/training/history/%s", name);
      g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;
      hsize_t dims[1];
      int rank;

      if (g_str_equal (name, "epoch"))
        continue;
      if (!metric_is_valid (name))
        return read_fail (r, SPK_IO_ERROR_VALUE, h5path, _("invalid metric name"));
      if (!open_object (r, history, name, h5path, H5I_DATASET, TRUE, &dset)
          || !float_shape (r, dset, h5path, 0, 1, 1, &rank, dims))
        return FALSE;
      if (dims[0] != n)
        return read_fail (r, SPK_IO_ERROR_FORMAT, h5path,
                          _("%" PRIu64 " values for %" PRIu64 " epochs"),
                          (guint64) dims[0], (guint64) n);
      if (n > 0 && H5Dread (dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, column) < 0)
        return damaged (r, h5path);
      for (hsize_t i = 0; i < n; i++)
        if (!isnan (column[i]))
          spk_session_add_history (self, epochs[i], name, column[i]);
    }
  return TRUE;
}

static SpkSession *
read_session (Reader *r,
              hid_t   file)
{
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkSession) self = NULL;
  htri_t has_params;

  if (!read_header (r, file) || !(network = read_network (r, file)))
    return NULL;
  self = spk_session_new (network);
  if ((has_params = H5Lexists (file, "params", H5P_DEFAULT)) < 0)
    {
      damaged (r, "/params");
      return NULL;
    }
  if (has_params && !(self->plan = read_plan (r, file, network)))
    return NULL;
  if (!read_probes (r, file, self)
      || !read_plot_data (r, file, self)
      || !read_layout (r, file, self)
      || !read_history (r, file, self))
    return NULL;
  return g_steal_pointer (&self);
}

SpkSession *
spk_session_load (const char  *path,
                  GError     **error)
{
  Reader r = { path, error };
  SpkSession *self = NULL;
  htri_t is_hdf5;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* Say why the file cannot be opened before HDF5 hides it. */
  if ((fd = g_open (path, O_RDONLY, 0)) < 0)
    {
      int saved = errno;

      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE,
                   _("could not open the session '%s': %s"), path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  G_LOCK (hdf5);
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  is_hdf5 = H5Fis_hdf5 (path);
  if (is_hdf5 <= 0)
    read_fail (&r, SPK_IO_ERROR_FORMAT, "/", _("not an HDF5 file, so not a Spikeworks session"));
  else
    {
      g_auto (SpkH5File) file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);

      if (file < 0)
        damaged (&r, "/");
      else
        self = read_session (&r, file);
    }
  G_UNLOCK (hdf5);
  return self;
}

/* }}} */
