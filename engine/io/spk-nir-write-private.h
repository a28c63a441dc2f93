/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-write-private.h — a NIR graph being written: nodes with their
 * type and numeric parameters, and edges by name.  spk-nir-write-graph.c
 * makes one of a network; spk-nir-write.c writes it as the reference
 * `nir` package does (nir/serialization.py). */
#pragma once

#include "io/spk-nir-write.h"

G_BEGIN_DECLS

typedef struct
{
  char    *name;
  gboolean integer;     /* written as int64 (shapes, strides, paddings …) */
  guint    rank;        /* 0 (a scalar) to 4 */
  gsize    dims[4];
  double  *values;      /* row-major */
  char    *text;        /* a string instead of values (a padding of "same") */
} SpkNirOutParam;

/* The shape of a value in NIR: a vector (n) or an image (C, H, W). */
typedef struct
{
  guint rank;           /* 1 or 3 */
  gsize dims[3];
} SpkNirShape;

/* The number of values of shape. */
gsize           _spk_nir_shape_size      (const SpkNirShape *shape);

typedef struct
{
  char      *name;
  char      *type;      /* "LIF", "Affine", … */
  GPtrArray *params;    /* SpkNirOutParam */
} SpkNirOutNode;

typedef struct
{
  GPtrArray  *nodes;    /* SpkNirOutNode, in the order made */
  GHashTable *by_name;  /* name → SpkNirOutNode */
  GPtrArray  *edges;    /* pairs of char *: source, destination */
} SpkNirOutGraph;

SpkNirOutGraph *_spk_nir_out_graph_new   (void);
void            _spk_nir_out_graph_free  (SpkNirOutGraph *graph);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkNirOutGraph, _spk_nir_out_graph_free)

/* A new node named base (made unique: '/' becomes '_', then "_2", "_3"…). */
SpkNirOutNode  *_spk_nir_out_add_node    (SpkNirOutGraph *graph,
                                          const char     *base,
                                          const char     *type);
/* A parameter of rank 1 (d1 = 0) or 2; values are copied. */
void            _spk_nir_out_add_param   (SpkNirOutNode  *node,
                                          const char     *name,
                                          gsize           d0,
                                          gsize           d1,
                                          const double   *values);
/* A parameter of any rank up to 4, as int64 when integer; values are copied. */
void            _spk_nir_out_add_tensor  (SpkNirOutNode  *node,
                                          const char     *name,
                                          gboolean        integer,
                                          guint           rank,
                                          const gsize    *dims,
                                          const double   *values);
/* An int64 scalar (rank 0). */
void            _spk_nir_out_add_int     (SpkNirOutNode  *node,
                                          const char     *name,
                                          gint64          value);
/* A string. */
void            _spk_nir_out_add_text    (SpkNirOutNode  *node,
                                          const char     *name,
                                          const char     *text);
/* Copies of value in the given shape. */
void            _spk_nir_out_add_filled  (SpkNirOutNode     *node,
                                          const char        *name,
                                          const SpkNirShape *shape,
                                          double             value);
/* "shape" = the dimensions of shape as int64 (Input, Output). */
void            _spk_nir_out_add_shape   (SpkNirOutNode     *node,
                                          const SpkNirShape *shape);
void            _spk_nir_out_add_edge    (SpkNirOutGraph *graph,
                                          const char     *source,
                                          const char     *destination);

/* The graph of network with the parameters of plan (spk-nir-write-graph.c). */
SpkNirOutGraph *_spk_nir_out_from_network (SpkNetwork                *network,
                                           SpkPlan                   *plan,
                                           const SpkNirExportOptions *options,
                                           GPtrArray                 *notes,
                                           GError                   **error);

G_END_DECLS
