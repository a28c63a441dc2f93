/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-session-write.c — writing a session: the
 * network as JSON text and as a mirror of groups and attributes, the
 * parameters, probe data in compressed chunks, the layout and the
 * training history, into a temporary file flushed and renamed over the
 * target. */
#define G_LOG_DOMAIN "spk-session"

#include "spk-session-private.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/spk-error.h"
#include "io/spk-file.h"
#include "io/spk-model-json.h"

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
char *
_spk_session_attr_path (const char *loc_path,
                        const char *name)
{
  return g_strdup_printf ("%s/@%s", g_str_equal (loc_path, "/") ? "" : loc_path, name);
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
  g_autofree char *h5path = _spk_session_attr_path (loc_path, name);
  g_auto (SpkH5Space) space = H5Screate (H5S_SCALAR);
  g_auto (SpkH5Attr) attr = H5I_INVALID_HID;

  if (!count_write (w, h5path))
    return FALSE;
  if ((attr = H5Acreate2 (loc, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT)) < 0
      || H5Awrite (attr, mem_type, value) < 0)
    return write_failed (w, h5path);
  return TRUE;
}

/* A fixed-length UTF-8 string type holding value and its NUL.  Sessions
 * are written with fixed-length strings: libhdf5 1.10 crashes or hangs
 * inside variable-length ones (the global heap) when a file is damaged.
 * The reader still takes both. */
static hid_t
fixed_string_type (const char *value)
{
  hid_t type = H5Tcopy (H5T_C_S1);

  H5Tset_size (type, strlen (value) + 1);
  H5Tset_strpad (type, H5T_STR_NULLTERM);
  H5Tset_cset (type, H5T_CSET_UTF8);
  return type;
}

static gboolean
write_string_attr (Writer     *w,
                   hid_t       loc,
                   const char *loc_path,
                   const char *name,
                   const char *value)
{
  g_auto (SpkH5Type) type = fixed_string_type (value);

  return write_attr (w, loc, loc_path, name, type, type, value);
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
  g_auto (SpkH5Type) type = fixed_string_type (value);
  g_auto (SpkH5Space) space = H5Screate (H5S_SCALAR);
  g_auto (SpkH5Plist) lcpl = H5Pcreate (H5P_LINK_CREATE);
  g_auto (SpkH5Dataset) dset = H5I_INVALID_HID;

  if (!count_write (w, h5path))
    return FALSE;
  H5Pset_create_intermediate_group (lcpl, 1);
  if ((dset = H5Dcreate2 (loc, name, type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT)) < 0
      || H5Dwrite (dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, value) < 0)
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
#define MIRROR_ATTR_MAX 60000

/* An HDF5 attribute holds at most 64 KiB: longer text (a sub-network's
 * objects, a long slice or target) becomes a string dataset. */
static gboolean
mirror_text (Writer     *w,
             hid_t       group,
             const char *h5path,
             const char *name,
             const char *child_path,
             const char *text)
{
  if (strlen (text) >= MIRROR_ATTR_MAX)
    return write_string_dataset (w, group, name, child_path, text, NULL);
  return write_string_attr (w, group, h5path, name, text);
}

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

              if (!mirror_text (w, group, h5path, name, child_path, text))
                return FALSE;
            }
        }
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (!mirror_text (w, group, h5path, name, child_path, json_node_get_string (node)))
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
      g_autofree char *escaped = _spk_session_escape_name (label);
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

/* The records of table (labels, its keys sorted; taken) as
 * /<name>/<label>/{t,data}. */
static gboolean
write_records (Writer     *w,
               hid_t       file,
               const char *name,
               GStrv       labels_,
               GHashTable *table)
{
  g_auto (GStrv) labels = labels_;
  g_autofree char *path = g_strconcat ("/", name, NULL);
  g_auto (SpkH5Group) probes = make_group (w, file, name, path);

  if (probes < 0)
    return FALSE;
  for (guint i = 0; labels[i]; i++)
    {
      ProbeRecord *record = g_hash_table_lookup (table, labels[i]);
      g_autofree char *escaped = _spk_session_escape_name (labels[i]);
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
         && write_records (w, file, "probes", spk_session_list_probes (self), self->probes)
         /* Only sessions with plotted data have the group. */
         && (g_hash_table_size (self->plot_data) == 0
             || write_records (w, file, "plot_data", spk_session_list_plot_data (self), self->plot_data))
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
  /* A close that cannot flush (a full disk) leaves the file open inside
   * libhdf5 whatever we do; spk_hdf5_init() keeps the library from
   * closing it again at exit, which crashed.  The caller removes it. */
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
  /* The temporary file is renamed over path: never over a device.  A NaN
   * would be written as null into model_json and lost. */
  if (!spk_file_check_replaceable (path, error)
      || !spk_model_check_finite (self->network, error))
    return FALSE;
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

  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  ok = write_file (&w, tmp, self);
  G_UNLOCK (spk_hdf5);

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
