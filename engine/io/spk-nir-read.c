/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-read.c — reading a NIR graph as the reference `nir` package
 * writes it (nir/serialization.py): the group /node holds the dataset
 * type ("NIRGraph"), a group nodes/ with one group per node (its type and
 * one dataset per parameter) and the dataset edges, an n × 2 array of
 * node names.  A node of type NIRGraph is a nested graph laid out the
 * same way; it is flattened here, its nodes remembering it (spk-nir-private.h),
 * and nested at most SPK_NIR_MAX_DEPTH deep.
 *
 * Nothing is trusted: every string, shape and size is checked, and every
 * failure is one SPK_IO_ERROR naming the file and the place in it.  The
 * caller holds no lock; this file takes spk_hdf5 around its calls into
 * libhdf5. */
#define G_LOG_DOMAIN "spk-nir"

#include "spk-nir-private.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <hdf5.h>

#include "core/spk-error.h"
#include "io/spk-hdf5-array.h"
#include "io/spk-hdf5-check.h"

/* More nodes than any real network has; a damaged count stops here. */
#define MAX_NODES 100000
/* What object_type() says of a name that is not there. */
#define MISSING H5O_TYPE_NTYPES

typedef struct
{
  SpkNirGraph *graph;
  GError     **error;
  guint64      file_size;
  /* Qualified name of each nested graph → GPtrArray of its Input names,
   * and of its Output names (qualified). */
  GHashTable  *graph_inputs;
  GHashTable  *graph_outputs;
} Reader;

static void
array_free (gpointer data)
{
  SpkNirArray *a = data;

  g_free (a->values);
  g_free (a);
}

static void
node_free (gpointer data)
{
  SpkNirNode *node = data;

  g_free (node->name);
  g_free (node->local);
  g_free (node->type);
  g_free (node->where);
  g_hash_table_unref (node->params);
  g_hash_table_unref (node->texts);
  g_free (node);
}

static void
sub_free (gpointer data)
{
  SpkNirSub *sub = data;

  g_free (sub->name);
  g_free (sub->local);
  g_free (sub);
}

void
_spk_nir_graph_free (SpkNirGraph *graph)
{
  if (graph == NULL)
    return;
  g_free (graph->display);
  g_ptr_array_unref (graph->nodes);
  g_hash_table_unref (graph->by_name);
  g_ptr_array_unref (graph->edges);
  g_ptr_array_unref (graph->subs);
  g_free (graph);
}

SpkNirArray *
_spk_nir_node_param (SpkNirNode *node,
                     const char *name)
{
  return g_hash_table_lookup (node->params, name);
}

static gboolean
fail (Reader     *r,
      SpkIoError  code,
      const char *where,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

/* Every message reads "<file>: <place>: <problem>". */
static gboolean
fail (Reader     *r,
      SpkIoError  code,
      const char *where,
      const char *format,
      ...)
{
  g_autofree char *prefix = g_strdup_printf ("%s: %s", r->graph->display, where);
  va_list args;

  if (r->error && *r->error)
    return FALSE;
  va_start (args, format);
  spk_error_set_at_valist (r->error, SPK_IO_ERROR, code, prefix, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
damaged (Reader     *r,
         const char *where)
{
  return fail (r, SPK_IO_ERROR_PARSE, where, _("cannot be read (the file is damaged or truncated)"));
}

/* The kind of the object name inside loc: H5O_TYPE_GROUP, H5O_TYPE_DATASET,
 * or MISSING when it is missing; -1 when the file is damaged. */
static int
object_type (hid_t       loc,
             const char *name)
{
  H5O_info_t info;
  htri_t exists;

  if (*name == '\0' || strchr (name, '/') != NULL)
    return MISSING;
  exists = H5Lexists (loc, name, H5P_DEFAULT);
  if (exists < 0)
    return -1;
  if (exists == 0)
    return MISSING;
  if (H5Oget_info_by_name2 (loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
    return -1;
  return info.type;
}

/* Reads npoints strings of the string dataset dset (variable or fixed
 * length) into out. */
static gboolean
read_strings (Reader     *r,
              hid_t       dset,
              const char *where,
              hssize_t    npoints,
              GPtrArray  *out)
{
  hid_t type = H5Dget_type (dset);
  gboolean ok = FALSE;

  if (type < 0)
    return damaged (r, where);
  if (H5Tget_class (type) != H5T_STRING)
    ok = fail (r, SPK_IO_ERROR_FORMAT, where, _("expected text"));
  else if ((guint64) npoints > r->file_size)
    ok = fail (r, SPK_IO_ERROR_VALUE, where, _("declares more data than the file holds"));
  else if (H5Tis_variable_str (type) > 0)
    {
      hid_t mtype = H5Tcopy (H5T_C_S1);
      char **values = g_try_new0 (char *, (gsize) MAX (npoints, 1));

      H5Tset_size (mtype, H5T_VARIABLE);
      H5Tset_cset (mtype, H5Tget_cset (type));
      if (values == NULL || H5Dread (dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
        damaged (r, where);
      else
        ok = TRUE;
      /* A read that failed halfway has still allocated the strings it
       * converted before it stopped. */
      for (hssize_t i = 0; values != NULL && i < npoints; i++)
        {
          if (ok)
            g_ptr_array_add (out, g_strdup (values[i] ? values[i] : ""));
          H5free_memory (values[i]);
        }
      g_free (values);
      H5Tclose (mtype);
    }
  else
    {
      gsize size = H5Tget_size (type);
      char *block = size > 0 && size <= r->file_size && (guint64) npoints * size <= r->file_size * 16 + 4096
                    ? g_try_malloc0 ((gsize) npoints * size + 1) : NULL;

      if (block == NULL)
        fail (r, SPK_IO_ERROR_VALUE, where, _("declares more data than the file holds"));
      else if (H5Dread (dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, block) < 0)
        damaged (r, where);
      else
        {
          ok = TRUE;
          for (hssize_t i = 0; i < npoints; i++)
            g_ptr_array_add (out, g_strndup (block + i * size, size));
        }
      g_free (block);
    }
  H5Tclose (type);
  for (guint i = 0; ok && i < out->len; i++)
    if (!g_utf8_validate (g_ptr_array_index (out, i), -1, NULL))
      return fail (r, SPK_IO_ERROR_VALUE, where, _("the text is not valid UTF-8"));
  return ok;
}

/* The dataset name of loc as one string. */
static char *
read_string (Reader     *r,
             hid_t       loc,
             const char *name,
             const char *where)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  hid_t dset = H5Dopen2 (loc, name, H5P_DEFAULT);
  hid_t space = dset >= 0 ? H5Dget_space (dset) : H5I_INVALID_HID;
  gboolean ok;

  if (dset < 0 || space < 0)
    ok = damaged (r, where);
  else if (H5Sget_simple_extent_npoints (space) != 1)
    ok = fail (r, SPK_IO_ERROR_FORMAT, where, _("expected one string"));
  else
    ok = read_strings (r, dset, where, 1, list);
  if (space >= 0)
    H5Sclose (space);
  if (dset >= 0)
    H5Dclose (dset);
  return ok ? g_strdup (g_ptr_array_index (list, 0)) : NULL;
}

/* A numeric dataset (floating point or integer, at most 4 dimensions) as
 * doubles; NULL with an error when it is anything else. */
static SpkNirArray *
read_array (Reader     *r,
            hid_t       loc,
            const char *name,
            const char *where)
{
  hid_t dset = H5Dopen2 (loc, name, H5P_DEFAULT);
  g_autofree SpkNirArray *a = g_new0 (SpkNirArray, 1);
  g_autofree char *prefix = g_strdup_printf ("%s: %s", r->graph->display, where);
  g_autoptr (GError) local = NULL;
  gboolean ok = spk_hdf5_read_doubles (dset, r->file_size, TRUE, prefix, &a->rank, a->dims, &a->size,
                                       &a->values, &local);

  if (dset >= 0)
    H5Dclose (dset);
  if (!ok)
    {
      if (r->error && *r->error == NULL)
        g_propagate_error (r->error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&a);
}

typedef struct
{
  GPtrArray *names;
  guint64    limit;
} LinkList;

static herr_t
collect_link_cb (hid_t             group,
                 const char       *name,
                 const H5L_info_t *info,
                 void             *data)
{
  LinkList *list = data;

  if (list->names->len >= list->limit)
    return 1;
  g_ptr_array_add (list->names, g_strdup (name));
  return 0;
}

/* The names of the links in group, sorted. */
static GPtrArray *
list_links (Reader     *r,
            hid_t       group,
            const char *where)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  LinkList list = { names, MIN (r->file_size, MAX_NODES) };
  hsize_t index = 0;

  if (H5Literate (group, H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_cb, &list) < 0)
    {
      damaged (r, where);
      return NULL;
    }
  if (names->len >= list.limit)
    {
      fail (r, SPK_IO_ERROR_VALUE, where, _("holds more than %" PRIu64 " entries"), list.limit);
      return NULL;
    }
  for (guint i = 0; i < names->len; i++)
    if (!g_utf8_validate (g_ptr_array_index (names, i), -1, NULL))
      {
        fail (r, SPK_IO_ERROR_VALUE, where, _("a name is not valid UTF-8"));
        return NULL;
      }
  return g_steal_pointer (&names);
}

static SpkNirNode *
add_node (Reader     *r,
          const char *name,
          const char *local,
          SpkNirSub  *sub,
          const char *type,
          const char *where)
{
  SpkNirNode *node = g_new0 (SpkNirNode, 1);

  node->name = g_strdup (name);
  node->local = g_strdup (local);
  node->sub = sub;
  node->type = g_strdup (type);
  node->where = g_strdup (where);
  node->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, array_free);
  node->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  node->order = r->graph->nodes->len;
  g_ptr_array_add (r->graph->nodes, node);
  g_hash_table_insert (r->graph->by_name, node->name, node);
  return node;
}

/* Whether the dataset name of group holds one value. */
static gboolean
one_value (hid_t       group,
           const char *name)
{
  hid_t dset = H5Dopen2 (group, name, H5P_DEFAULT);
  hid_t space = dset >= 0 ? H5Dget_space (dset) : H5I_INVALID_HID;
  gboolean one = space >= 0 && H5Sget_simple_extent_npoints (space) == 1;

  if (space >= 0)
    H5Sclose (space);
  if (dset >= 0)
    H5Dclose (dset);
  return one;
}

/* A node's parameters: every numeric dataset but type, and the datasets of
 * one string (metadata and other groups are not read; a string where a
 * number belongs is reported by the converter as missing). */
static gboolean
read_params (Reader     *r,
             hid_t       group,
             SpkNirNode *node)
{
  g_autoptr (GPtrArray) names = list_links (r, group, node->where);

  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *where = g_strdup_printf ("%s/%s", node->where, name);
      int kind = object_type (group, name);
      hid_t dset, type;
      H5T_class_t cls;
      SpkNirArray *a;

      if (kind < 0)
        return damaged (r, where);
      if (kind != H5O_TYPE_DATASET || g_str_equal (name, "type"))
        continue;
      if ((dset = H5Dopen2 (group, name, H5P_DEFAULT)) < 0)
        return damaged (r, where);
      type = H5Dget_type (dset);
      cls = type >= 0 ? H5Tget_class (type) : H5T_NO_CLASS;
      if (type >= 0)
        H5Tclose (type);
      H5Dclose (dset);
      if (cls == H5T_STRING && one_value (group, name))
        {
          /* One string, such as a convolution's padding 'same'. */
          char *text = read_string (r, group, name, where);

          if (text == NULL)
            return FALSE;
          g_hash_table_insert (node->texts, g_strdup (name), text);
          continue;
        }
      if (cls != H5T_FLOAT && cls != H5T_INTEGER)
        continue;
      if (!(a = read_array (r, group, name, where)))
        return FALSE;
      g_hash_table_insert (node->params, g_strdup (name), a);
    }
  return TRUE;
}

static gboolean read_graph (Reader     *r,
                            hid_t       group,
                            const char *where,
                            const char *prefix,
                            SpkNirSub  *sub,
                            guint       depth);

/* An edge's end named name inside the graph of prefix, as a qualified node
 * name: a node of that graph, or the one Input (into) or Output (out of)
 * of a nested graph of that name. */
static char *
resolve_end (Reader     *r,
             const char *prefix,
             const char *name,
             gboolean    into,
             const char *where)
{
  g_autofree char *qualified = g_strconcat (prefix, name, NULL);
  GPtrArray *ports = g_hash_table_lookup (into ? r->graph_inputs : r->graph_outputs, qualified);

  if (ports != NULL)
    {
      if (ports->len != 1)
        {
          fail (r, SPK_IO_ERROR_VALUE, where,
                into ? _("an edge leads into the graph '%s', which has %u inputs; name one as '%s.<input>'")
                     : _("an edge leaves the graph '%s', which has %u outputs; name one as '%s.<output>'"),
                name, ports->len, name);
          return NULL;
        }
      return g_strdup (g_ptr_array_index (ports, 0));
    }
  if (!g_hash_table_contains (r->graph->by_name, qualified))
    {
      fail (r, SPK_IO_ERROR_VALUE, where, _("an edge names the node '%s', which the graph does not have"), name);
      return NULL;
    }
  return g_steal_pointer (&qualified);
}

static gboolean
read_edges (Reader     *r,
            hid_t       group,
            const char *where_graph,
            const char *prefix)
{
  g_autofree char *where = g_strdup_printf ("%s/edges", where_graph);
  g_autoptr (GPtrArray) ends = g_ptr_array_new_with_free_func (g_free);
  int kind = object_type (group, "edges");
  hid_t dset, space;
  hsize_t dims[2] = { 0, 0 };
  int rank;
  gboolean ok;

  if (kind < 0)
    return damaged (r, where);
  if (kind == MISSING)
    return fail (r, SPK_IO_ERROR_FORMAT, where_graph, _("the graph has no edges dataset"));
  if (kind != H5O_TYPE_DATASET)
    return fail (r, SPK_IO_ERROR_FORMAT, where, _("expected a dataset"));
  if ((dset = H5Dopen2 (group, "edges", H5P_DEFAULT)) < 0)
    return damaged (r, where);
  space = H5Dget_space (dset);
  rank = space >= 0 ? H5Sget_simple_extent_ndims (space) : -1;
  if (rank < 0 || rank > 2 || H5Sget_simple_extent_dims (space, dims, NULL) < 0)
    ok = rank < 0 ? damaged (r, where) : fail (r, SPK_IO_ERROR_FORMAT, where, _("expected a list of pairs of node names"));
  else if (dims[0] == 0 || (rank == 1 && dims[0] == 0))
    ok = TRUE;    /* a graph without edges: h5py writes an empty array */
  else if (rank != 2 || dims[1] != 2)
    ok = fail (r, SPK_IO_ERROR_FORMAT, where, _("expected a list of pairs of node names"));
  else
    ok = read_strings (r, dset, where, (hssize_t) (dims[0] * 2), ends);
  if (space >= 0)
    H5Sclose (space);
  H5Dclose (dset);
  for (guint i = 0; ok && i + 1 < ends->len; i += 2)
    {
      g_autofree char *edge_where = g_strdup_printf ("%s[%u]", where, i / 2);
      char *src = resolve_end (r, prefix, g_ptr_array_index (ends, i), FALSE, edge_where);
      char *dst = src ? resolve_end (r, prefix, g_ptr_array_index (ends, i + 1), TRUE, edge_where) : NULL;

      if (dst == NULL)
        {
          g_free (src);
          return FALSE;
        }
      g_ptr_array_add (r->graph->edges, src);
      g_ptr_array_add (r->graph->edges, dst);
    }
  return ok;
}

static gboolean
read_node (Reader     *r,
           hid_t       nodes,
           const char *name,
           const char *where_nodes,
           const char *prefix,
           SpkNirSub  *sub,
           guint       depth)
{
  g_autofree char *where = g_strdup_printf ("%s/%s", where_nodes, name);
  g_autofree char *qualified = g_strconcat (prefix, name, NULL);
  g_autofree char *type = NULL;
  int kind = object_type (nodes, name);
  hid_t group;
  gboolean ok;

  if (kind < 0)
    return damaged (r, where);
  if (kind != H5O_TYPE_GROUP)
    return fail (r, SPK_IO_ERROR_FORMAT, where, _("expected a group (a node)"));
  if (g_hash_table_contains (r->graph->by_name, qualified))
    return fail (r, SPK_IO_ERROR_VALUE, where, _("two nodes are named '%s'"), qualified);
  if ((group = H5Gopen2 (nodes, name, H5P_DEFAULT)) < 0)
    return damaged (r, where);
  kind = object_type (group, "type");
  if (kind != H5O_TYPE_DATASET)
    ok = kind < 0 ? damaged (r, where) : fail (r, SPK_IO_ERROR_FORMAT, where, _("the node has no type"));
  else if (!(type = read_string (r, group, "type", where)))
    ok = FALSE;
  else if (g_str_equal (type, "NIRGraph"))
    {
      if (depth >= SPK_NIR_MAX_DEPTH)
        ok = fail (r, SPK_IO_ERROR_VALUE, where, _("graphs are nested more than %d deep"), SPK_NIR_MAX_DEPTH);
      else
        {
          g_autofree char *inner = g_strconcat (qualified, ".", NULL);
          SpkNirSub *nested = g_new0 (SpkNirSub, 1);

          nested->name = g_strdup (qualified);
          nested->local = g_strdup (name);
          nested->parent = sub;
          nested->index = r->graph->subs->len;
          g_ptr_array_add (r->graph->subs, nested);
          ok = read_graph (r, group, where, inner, nested, depth + 1);
        }
    }
  else
    {
      SpkNirNode *node = add_node (r, qualified, name, sub, type, where);

      ok = read_params (r, group, node);
      /* A nested graph's ports are pass-throughs between its inside and
       * the edges of the graph around it. */
      if (ok && depth > 0 && (g_str_equal (type, "Input") || g_str_equal (type, "Output")))
        {
          g_autofree char *graph = g_strndup (prefix, strlen (prefix) - 1);
          GHashTable *ports = g_str_equal (type, "Input") ? r->graph_inputs : r->graph_outputs;
          GPtrArray *list = g_hash_table_lookup (ports, graph);

          if (list == NULL)
            {
              list = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (ports, g_strdup (graph), list);
            }
          g_ptr_array_add (list, g_strdup (qualified));
          g_free (node->type);
          node->type = g_strdup ("_pass");
        }
    }
  H5Gclose (group);
  return ok;
}

static gboolean
read_graph (Reader     *r,
            hid_t       group,
            const char *where,
            const char *prefix,
            SpkNirSub  *sub,
            guint       depth)
{
  g_autofree char *where_nodes = g_strdup_printf ("%s/nodes", where);
  g_autoptr (GPtrArray) names = NULL;
  int kind = object_type (group, "nodes");
  hid_t nodes;
  gboolean ok = TRUE;

  if (kind < 0)
    return damaged (r, where_nodes);
  if (kind != H5O_TYPE_GROUP)
    return fail (r, SPK_IO_ERROR_FORMAT, where, _("the graph has no group of nodes"));
  if ((nodes = H5Gopen2 (group, "nodes", H5P_DEFAULT)) < 0)
    return damaged (r, where_nodes);
  names = list_links (r, nodes, where_nodes);
  ok = names != NULL;
  for (guint i = 0; ok && i < names->len; i++)
    ok = read_node (r, nodes, g_ptr_array_index (names, i), where_nodes, prefix, sub, depth);
  H5Gclose (nodes);
  return ok && read_edges (r, group, where, prefix);
}

gboolean
spk_nir_file_is_nir (const char *path)
{
  gboolean is_nir = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);

  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  if (H5Fis_hdf5 (path) > 0)
    {
      hid_t file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);

      if (file >= 0)
        {
          if (object_type (file, "node") == H5O_TYPE_GROUP)
            {
              hid_t node = H5Gopen2 (file, "node", H5P_DEFAULT);

              is_nir = node >= 0 && object_type (node, "type") == H5O_TYPE_DATASET
                       && object_type (node, "nodes") == H5O_TYPE_GROUP;
              if (node >= 0)
                H5Gclose (node);
            }
          H5Fclose (file);
        }
    }
  G_UNLOCK (spk_hdf5);
  return is_nir;
}

SpkNirGraph *
_spk_nir_read (const char  *path,
               GError     **error)
{
  g_autoptr (SpkNirGraph) graph = g_new0 (SpkNirGraph, 1);
  g_autoptr (GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GHashTable) outputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  Reader r = { graph, error, 0, inputs, outputs };
  struct stat st;
  gboolean ok = FALSE;

  graph->display = g_filename_display_name (path);
  graph->nodes = g_ptr_array_new_with_free_func (node_free);
  graph->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  graph->edges = g_ptr_array_new_with_free_func (g_free);
  graph->subs = g_ptr_array_new_with_free_func (sub_free);
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("could not open the NIR file '%s': %s"),
                   graph->display, g_strerror (saved));
      return NULL;
    }
  r.file_size = (guint64) st.st_size;

  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  if (H5Fis_hdf5 (path) <= 0)
    fail (&r, SPK_IO_ERROR_FORMAT, "/", _("not an HDF5 file, so not a NIR graph"));
  else
    {
      hid_t file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
      int kind = file >= 0 ? object_type (file, "node") : -1;

      if (kind < 0)
        damaged (&r, "/");
      else if (kind != H5O_TYPE_GROUP)
        fail (&r, SPK_IO_ERROR_FORMAT, "/", _("not a NIR graph: the group 'node' is missing"));
      else
        {
          hid_t node = H5Gopen2 (file, "node", H5P_DEFAULT);
          g_autofree char *type = NULL;

          if (node < 0)
            damaged (&r, "/node");
          else if (object_type (node, "type") != H5O_TYPE_DATASET)
            fail (&r, SPK_IO_ERROR_FORMAT, "/node", _("not a NIR graph: the node has no type"));
          else if (!(type = read_string (&r, node, "type", "/node/type")))
            ;
          else if (!g_str_equal (type, "NIRGraph"))
            fail (&r, SPK_IO_ERROR_FORMAT, "/node/type", _("not a NIR graph: the top node is a '%s'"), type);
          else
            ok = read_graph (&r, node, "/node", "", NULL, 0);
          if (node >= 0)
            H5Gclose (node);
        }
      if (file >= 0)
        H5Fclose (file);
    }
  G_UNLOCK (spk_hdf5);
  if (!ok)
    return NULL;
  return g_steal_pointer (&graph);
}
