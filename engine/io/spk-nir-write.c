/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-write.c — writing a NIR graph (spk-nir-write-private.h) in the
 * layout of the reference `nir` package's nir.write(): the root holds the
 * dataset version and the group node; node holds type = "NIRGraph", the
 * group nodes/ (one group per node: its type and one dataset per
 * parameter) and edges, an n × 2 array of node names.  Text is written as
 * h5py writes Python strings (variable-length UTF-8), numbers as float64
 * (shapes as int64).  The file is written to a temporary name and renamed
 * over the path, so a failed export leaves nothing half-written. */
#define G_LOG_DOMAIN "spk-nir"

#include "spk-nir-write-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <hdf5.h>

#include "core/spk-error.h"
#include "io/spk-file.h"
#include "io/spk-hdf5-write.h"
#include "io/spk-nir.h"

/* The NIR release whose layout is written (the vendored reference). */
#define NIR_VERSION "1.0.7"

/* ---- the graph ------------------------------------------------------------ */

static void
param_free (gpointer data)
{
  SpkNirOutParam *p = data;

  g_free (p->name);
  g_free (p->values);
  g_free (p->text);
  g_free (p);
}

static void
node_free (gpointer data)
{
  SpkNirOutNode *node = data;

  g_free (node->name);
  g_free (node->type);
  g_ptr_array_unref (node->params);
  g_free (node);
}

SpkNirOutGraph *
_spk_nir_out_graph_new (void)
{
  SpkNirOutGraph *graph = g_new0 (SpkNirOutGraph, 1);

  graph->nodes = g_ptr_array_new_with_free_func (node_free);
  graph->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  graph->edges = g_ptr_array_new_with_free_func (g_free);
  return graph;
}

void
_spk_nir_out_graph_free (SpkNirOutGraph *graph)
{
  if (graph == NULL)
    return;
  g_hash_table_unref (graph->by_name);
  g_ptr_array_unref (graph->nodes);
  g_ptr_array_unref (graph->edges);
  g_free (graph);
}

SpkNirOutNode *
_spk_nir_out_add_node (SpkNirOutGraph *graph,
                       const char     *base,
                       const char     *type)
{
  g_autofree char *clean = g_strdelimit (g_strdup (base && *base ? base : "node"), "/", '_');
  SpkNirOutNode *node = g_new0 (SpkNirOutNode, 1);

  /* "." is HDF5's name of the group itself. */
  if (g_str_equal (clean, "."))
    clean[0] = '_';
  node->name = g_strdup (clean);
  for (guint i = 2; g_hash_table_contains (graph->by_name, node->name); i++)
    {
      g_free (node->name);
      node->name = g_strdup_printf ("%s_%u", clean, i);
    }
  node->type = g_strdup (type);
  node->params = g_ptr_array_new_with_free_func (param_free);
  g_ptr_array_add (graph->nodes, node);
  g_hash_table_insert (graph->by_name, node->name, node);
  return node;
}

gsize
_spk_nir_shape_size (const SpkNirShape *shape)
{
  gsize n = 1;

  for (guint i = 0; i < shape->rank; i++)
    n *= shape->dims[i];
  return n;
}

static SpkNirOutParam *
add_param (SpkNirOutNode *node,
           const char    *name,
           guint          rank,
           const gsize   *dims)
{
  SpkNirOutParam *p = g_new0 (SpkNirOutParam, 1);
  gsize n = 1;

  g_assert (rank <= G_N_ELEMENTS (p->dims));
  p->name = g_strdup (name);
  p->rank = rank;
  for (guint i = 0; i < rank; i++)
    n *= (p->dims[i] = dims[i]);
  p->values = g_new0 (double, MAX (n, 1));
  g_ptr_array_add (node->params, p);
  return p;
}

static gsize
param_size (const SpkNirOutParam *p)
{
  gsize n = 1;

  for (guint i = 0; i < p->rank; i++)
    n *= p->dims[i];
  return n;
}

void
_spk_nir_out_add_tensor (SpkNirOutNode *node,
                         const char    *name,
                         gboolean       integer,
                         guint          rank,
                         const gsize   *dims,
                         const double  *values)
{
  SpkNirOutParam *p = add_param (node, name, rank, dims);

  p->integer = integer;
  memcpy (p->values, values, param_size (p) * sizeof (double));
}

void
_spk_nir_out_add_param (SpkNirOutNode *node,
                        const char    *name,
                        gsize          d0,
                        gsize          d1,
                        const double  *values)
{
  const gsize dims[2] = { d0, d1 };

  _spk_nir_out_add_tensor (node, name, FALSE, d1 ? 2 : 1, dims, values);
}

void
_spk_nir_out_add_int (SpkNirOutNode *node,
                      const char    *name,
                      gint64         value)
{
  SpkNirOutParam *p = add_param (node, name, 0, NULL);

  p->integer = TRUE;
  p->values[0] = (double) value;
}

void
_spk_nir_out_add_text (SpkNirOutNode *node,
                       const char    *name,
                       const char    *text)
{
  SpkNirOutParam *p = add_param (node, name, 0, NULL);

  p->text = g_strdup (text);
}

void
_spk_nir_out_add_filled (SpkNirOutNode     *node,
                         const char        *name,
                         const SpkNirShape *shape,
                         double             value)
{
  SpkNirOutParam *p = add_param (node, name, shape->rank, shape->dims);

  for (gsize i = 0; i < param_size (p); i++)
    p->values[i] = value;
}

void
_spk_nir_out_add_shape (SpkNirOutNode     *node,
                        const SpkNirShape *shape)
{
  const gsize rank = shape->rank;
  SpkNirOutParam *p = add_param (node, "shape", 1, &rank);

  p->integer = TRUE;
  for (guint i = 0; i < shape->rank; i++)
    p->values[i] = (double) shape->dims[i];
}

void
_spk_nir_out_add_edge (SpkNirOutGraph *graph,
                       const char     *source,
                       const char     *destination)
{
  g_ptr_array_add (graph->edges, g_strdup (source));
  g_ptr_array_add (graph->edges, g_strdup (destination));
}

/* ---- HDF5 ------------------------------------------------------------------ */

/* A dataset of n variable-length UTF-8 strings: scalar when rank is 0. */
static gboolean
write_strings (hid_t              loc,
               const char        *name,
               guint              rank,
               const hsize_t     *dims,
               const char *const *values)
{
  hid_t type = H5Tcopy (H5T_C_S1);
  hid_t space = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple ((int) rank, dims, NULL);
  hid_t dset;
  gboolean ok;

  H5Tset_size (type, H5T_VARIABLE);
  H5Tset_cset (type, H5T_CSET_UTF8);
  dset = H5Dcreate2 (loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  ok = dset >= 0 && H5Dwrite (dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0;
  if (dset >= 0)
    H5Dclose (dset);
  H5Sclose (space);
  H5Tclose (type);
  return ok;
}

static gboolean
write_string (hid_t       loc,
              const char *name,
              const char *value)
{
  const char *values[1] = { value };

  return write_strings (loc, name, 0, NULL, values);
}

static gboolean
write_param (hid_t                 group,
             const SpkNirOutParam *p)
{
  hsize_t dims[G_N_ELEMENTS (p->dims)];
  gsize n = param_size (p);
  hid_t space, dset;
  gboolean ok;

  if (p->text)
    return write_string (group, p->name, p->text);
  for (guint i = 0; i < p->rank; i++)
    dims[i] = p->dims[i];
  space = p->rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple ((int) p->rank, dims, NULL);
  if (p->integer)
    {
      g_autofree gint64 *ints = g_new (gint64, MAX (n, 1));

      for (gsize i = 0; i < n; i++)
        ints[i] = (gint64) p->values[i];
      dset = H5Dcreate2 (group, p->name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      ok = dset >= 0 && H5Dwrite (dset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, ints) >= 0;
    }
  else
    {
      dset = H5Dcreate2 (group, p->name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      ok = dset >= 0 && H5Dwrite (dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, p->values) >= 0;
    }
  if (dset >= 0)
    H5Dclose (dset);
  H5Sclose (space);
  return ok;
}

static gboolean
write_graph (hid_t           file,
             SpkNirOutGraph *graph)
{
  hid_t node = H5I_INVALID_HID, nodes = H5I_INVALID_HID;
  hsize_t edge_dims[2] = { graph->edges->len / 2, 2 };
  gboolean ok;

  ok = write_string (file, "version", NIR_VERSION)
       && (node = H5Gcreate2 (file, "node", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >= 0
       && write_string (node, "type", "NIRGraph")
       && write_strings (node, "edges", 2, edge_dims, (const char *const *) graph->edges->pdata)
       && (nodes = H5Gcreate2 (node, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >= 0;
  for (guint i = 0; ok && i < graph->nodes->len; i++)
    {
      SpkNirOutNode *n = g_ptr_array_index (graph->nodes, i);
      hid_t group = H5Gcreate2 (nodes, n->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);

      ok = group >= 0 && write_string (group, "type", n->type);
      for (guint j = 0; ok && j < n->params->len; j++)
        ok = write_param (group, g_ptr_array_index (n->params, j));
      if (group >= 0)
        H5Gclose (group);
    }
  if (nodes >= 0)
    H5Gclose (nodes);
  if (node >= 0)
    H5Gclose (node);
  return ok;
}

static gboolean
write_graph_cb (hid_t    file,
                gpointer graph)
{
  return write_graph (file, graph);
}

static gboolean
save (SpkNirOutGraph *graph,
      const char     *path,
      GError        **error)
{
  g_autofree char *display = g_filename_display_name (path);
  int saved;

  if (!spk_file_check_replaceable (path, error))
    return FALSE;
  if (spk_hdf5_write_atomic (path, write_graph_cb, graph, &saved))
    return TRUE;
  if (saved != 0)
    g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE, _("could not write the NIR graph to '%s': %s"),
                 display, g_strerror (saved));
  else
    g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE, _("could not write the NIR graph to '%s'"), display);
  return FALSE;
}

/* ---- entry points ------------------------------------------------------------ */

void
spk_nir_export_options_init (SpkNirExportOptions *options)
{
  memset (options, 0, sizeof *options);
}

gboolean
spk_nir_export_full (SpkNetwork                *network,
                     SpkPlan                   *plan,
                     const char                *path,
                     const SpkNirExportOptions *options,
                     GPtrArray                 *notes,
                     GError                   **error)
{
  g_autoptr (SpkNirOutGraph) graph = NULL;
  SpkNirExportOptions defaults;

  g_return_val_if_fail (SPK_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (plan != NULL && path != NULL, FALSE);

  spk_nir_export_options_init (&defaults);
  if (!(graph = _spk_nir_out_from_network (network, plan, options ? options : &defaults, notes, error)))
    return FALSE;
  return save (graph, path, error);
}

gboolean
spk_nir_export (SpkNetwork *network,
                SpkPlan    *plan,
                const char *path,
                GError    **error)
{
  return spk_nir_export_full (network, plan, path, NULL, NULL, error);
}
