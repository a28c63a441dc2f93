/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-session-read.c — reading a session: every
 * object checked (type, shape, labels) and every failure, HDF5's
 * included, one GError naming the file and the path inside it. */
#define G_LOG_DOMAIN "spk-session"

#include "spk-session-private.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/spk-error.h"
#include "io/spk-model-json.h"

typedef struct
{
  const char  *path;
  GError     **error;
  guint64      file_size;  /* what every size read from the file is checked against */
  GHashTable  *visited;    /* the addresses of the layout groups read, against link cycles */
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
  g_autofree char *where = g_strdup_printf ("%s: %s", r->path, h5path);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (r->error, SPK_IO_ERROR, code, where, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
damaged (Reader     *r,
         const char *h5path)
{
  return read_fail (r, SPK_IO_ERROR_PARSE, h5path, _("cannot be read (the file is damaged or truncated)"));
}

/* Deflate shrinks data at most about 1032 times: a dataset declaring more
 * than that over the storage the file really gives it (chunks never
 * written read as fill values) is a bomb, refused before its size is
 * allocated; so is storage larger than the file. */
#define MAX_COMPRESSION 1100

static gboolean
check_backed (Reader     *r,
              hid_t       dset,
              const char *h5path,
              guint64     declared_bytes)
{
  hsize_t storage = H5Dget_storage_size (dset);

  if (storage > r->file_size
      || declared_bytes / MAX_COMPRESSION > storage + (64 << 10) / MAX_COMPRESSION)
    {
      g_autofree char *declared = g_format_size (declared_bytes);
      g_autofree char *held = g_format_size (MIN (storage, r->file_size));

      return read_fail (r, SPK_IO_ERROR_VALUE, h5path,
                        _("declares %s of data, more than the file holds (%s of storage)"), declared, held);
    }
  return TRUE;
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

      /* In the file's own character set: libhdf5 has no conversion
       * between ASCII and UTF-8 strings, and either is read as bytes. */
      mem = H5Tcopy (type);
      status = is_attr ? H5Aread (object, mem, &value) : H5Dread (object, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value);
      if (status < 0 || value == NULL)
        return damaged (r, h5path);
      *out = g_strdup (value);
      H5free_memory (value);
    }
  else
    {
      gsize size = H5Tget_size (type);
      g_autofree char *value = size <= r->file_size ? g_try_malloc0 (size + 1) : NULL;

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
  g_autofree char *h5path = _spk_session_attr_path (loc_path, name);
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
  g_autofree char *h5path = _spk_session_attr_path (loc_path, name);
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

static herr_t
collect_link_cb (hid_t             group,
                 const char       *name,
                 const H5L_info_t *info,
                 void             *data)
{
  g_ptr_array_add (data, g_strdup (name));
  return 0;
}

/* The names of the links in group, in name order: one pass over the
 * group (a name looked up by its index walks the group up to it, so a
 * session of 80,000 objects took minutes to open). */
static gboolean
list_links (Reader     *r,
            hid_t       group,
            const char *h5path,
            GPtrArray **out)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  hsize_t index = 0;

  if (H5Literate (group, H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_cb, names) < 0)
    return damaged (r, h5path);
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
  g_autoptr (GPtrArray) list = NULL;

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
  /* It mirrors the file's top level: a sub-network holds its objects. */
  list = g_ptr_array_new ();
  for (guint i = 0; i < spk_network_get_objects (network)->len; i++)
    if (spk_object_get_network (g_ptr_array_index (spk_network_get_objects (network), i)) == NULL)
      g_ptr_array_add (list, g_ptr_array_index (spk_network_get_objects (network), i));
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
  if (!check_backed (r, dset, h5path, n_bytes))
    return FALSE;
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
  g_autoptr (GHashTable) known = _spk_session_object_names (network);
  g_autoptr (GPtrArray) groups = NULL;

  if (!list_links (r, params, "/params", &groups))
    return NULL;
  for (guint i = 0; i < groups->len; i++)
    {
      const char *escaped = g_ptr_array_index (groups, i);
      g_autofree char *label = _spk_session_unescape_name (escaped);
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
          g_autofree char *escaped = _spk_session_escape_name (label);
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
  if (n > G_MAXUINT64 / 8 / batch / size
      || !check_backed (r, t, t_path, n * sizeof (double))
      || !check_backed (r, data, data_path, n * batch * size * sizeof (float)))
    return n > G_MAXUINT64 / 8 / batch / size
           ? read_fail (r, SPK_IO_ERROR_VALUE, data_path, _("empty or too large data dimensions"))
           : FALSE;
  if (plan != NULL)
    {
      int p = spk_plan_find_probe (plan, label);

      if (p >= 0 && spk_plan_get_probe_size (plan, (guint) p) != size)
        return read_fail (r, SPK_IO_ERROR_FORMAT, data_path,
                          _("samples of %u values, but probe '%s' records %u"),
                          size, label, spk_plan_get_probe_size (plan, (guint) p));
    }
  if (!(record = _spk_session_probe_record_new (label, batch, n, size, &local)))
    return read_fail (r, SPK_IO_ERROR_VALUE, data_path, "%s", local->message);
  /* Owned by the session from here, so an error below frees it. */
  g_hash_table_replace (table, g_strdup (label), record);
  if (n == 0)
    return TRUE;
  return read_blocks (r, t, t_path, H5T_NATIVE_DOUBLE, 1, t_dims, record->t)
         && read_blocks (r, data, data_path, H5T_NATIVE_FLOAT, rank, dims, record->data);
}

/* The recordings under /name (taken into table): the network's probes
 * (known_probes TRUE: only labels of the plan's probes, or without a plan
 * of the network's) or the plots' (any name). */
static gboolean
read_recordings (Reader     *r,
                 hid_t       file,
                 const char *name,
                 gboolean    known_probes,
                 SpkSession *self,
                 GHashTable *table)
{
  g_autofree char *path = g_strconcat ("/", name, NULL);
  g_auto (SpkH5Group) group = H5I_INVALID_HID;
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GHashTable) known = NULL;

  if (!open_object (r, file, name, path, H5I_GROUP, FALSE, &group))
    return FALSE;
  if (group < 0)
    return TRUE;
  if (!list_links (r, group, path, &names))
    return FALSE;
  if (known_probes && self->plan == NULL)
    {
      /* Without a plan, probes go by the names the plan would give them. */
      g_autoptr (GHashTable) keys = spk_network_dup_keys (self->network);
      GHashTableIter iter;
      gpointer object, key;

      known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_iter_init (&iter, keys);
      while (g_hash_table_iter_next (&iter, &object, &key))
        if (SPK_IS_PROBE (object))
          g_hash_table_add (known, g_strdup (key));
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *escaped = g_ptr_array_index (names, i);
      g_autofree char *label = _spk_session_unescape_name (escaped);
      g_autofree char *h5path = g_strdup_printf ("%s/%s", path, escaped);

      if (known_probes
          && (label == NULL
              || (self->plan ? spk_plan_find_probe (self->plan, label) < 0 : !g_hash_table_contains (known, label))))
        return read_fail (r, SPK_IO_ERROR_VALUE, h5path,
                          _("'%s' is not a probe of the network"), label ? label : escaped);
      if (label == NULL)
        return read_fail (r, SPK_IO_ERROR_FORMAT, h5path, _("not a valid name"));
      if (!read_probe (r, group, name, escaped, label, known_probes ? self->plan : NULL, table))
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

      H5L_info_t link;
      H5O_info_t info;

      if (object < 0 || H5Lget_info (group, name, &link, H5P_DEFAULT) < 0)
        return damaged (r, h5path);
      /* The writer makes hard links only; a soft or external link could
       * point anywhere, a hard link back up makes a cycle (h5py makes
       * either in one line). */
      if (link.type != H5L_TYPE_HARD)
        return read_fail (r, SPK_IO_ERROR_FORMAT, h5path, _("a soft or external link, which a session never holds"));
      if (H5Iget_type (object) == H5I_GROUP)
        {
          if (H5Oget_info2 (object, &info, H5O_INFO_BASIC) < 0)
            return damaged (r, h5path);
          if (!g_hash_table_add (r->visited, g_memdup2 (&info.addr, sizeof info.addr)))
            return read_fail (r, SPK_IO_ERROR_FORMAT, h5path, _("a link back to a group already read (a cycle)"));
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

  H5O_info_t info;

  if (!open_object (r, file, "layout", "/layout", H5I_GROUP, FALSE, &layout))
    return FALSE;
  if (layout < 0)
    return TRUE;
  if (H5Oget_info2 (layout, &info, H5O_INFO_BASIC) < 0)
    return damaged (r, "/layout");
  g_hash_table_add (r->visited, g_memdup2 (&info.addr, sizeof info.addr));
  return read_layout_group (r, layout, "", self);
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
  if (!check_backed (r, epoch, "/training/history/epoch", (guint64) n * H5Tget_size (type)))
    return FALSE;
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
      if (!_spk_session_metric_is_valid (name))
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
  /* The plots' recordings take any key: the plots' probes are not the
   * network's. */
  if (!read_recordings (r, file, "probes", TRUE, self, self->probes)
      || !read_recordings (r, file, "plot_data", FALSE, self, self->plot_data)
      || !read_layout (r, file, self)
      || !read_history (r, file, self))
    return NULL;
  return g_steal_pointer (&self);
}

SpkSession *
spk_session_load (const char  *path,
                  GError     **error)
{
  g_autoptr (GHashTable) visited = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  Reader r = { path, error, 0, visited };
  SpkSession *self = NULL;
  GStatBuf st;
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
  r.file_size = fstat (fd, &st) == 0 ? (guint64) st.st_size : 0;
  close (fd);

  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
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
  G_UNLOCK (spk_hdf5);
  return self;
}
