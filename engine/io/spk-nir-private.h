/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-private.h — a NIR graph as read from its file, before anything is
 * converted: nodes with their type and numeric parameters, edges by name.
 * Nested graphs are flattened as they are read: their nodes are named
 * "<graph>.<node>", each remembers the nested graph it is in (SpkNirSub,
 * which the converter makes a sub-network), and their Input and Output
 * nodes become pass-throughs ("_pass") that the converter looks through. */
#pragma once

#include "io/spk-nir.h"

G_BEGIN_DECLS

/* The deepest nesting of graphs read. */
#define SPK_NIR_MAX_DEPTH 8

/* A numeric parameter, read as doubles, row-major (C order). */
typedef struct
{
  guint   rank;
  gsize   dims[4];
  gsize   size;
  double *values;
} SpkNirArray;

/* A nested graph (a node of type NIRGraph). */
typedef struct _SpkNirSub SpkNirSub;
struct _SpkNirSub
{
  char      *name;       /* qualified: "sub", "sub.inner" */
  char      *local;      /* its name in the graph around it: "inner" */
  SpkNirSub *parent;     /* (nullable): the graph around it, NULL the top */
  guint      index;      /* in SpkNirGraph.subs */
};

typedef struct
{
  char       *name;      /* qualified: "lif1.lif", "sub.inner" */
  char       *local;     /* its name in its own graph: "lif" */
  SpkNirSub  *sub;       /* (nullable): the nested graph it is in */
  char       *type;      /* "LIF", "Affine", … or "_pass" */
  char       *where;     /* its group in the file, for messages */
  GHashTable *params;    /* parameter name → SpkNirArray */
  GHashTable *texts;     /* parameter name → its text, for the ones that are one string ('padding') */
  guint       order;     /* its index in the graph */
} SpkNirNode;

typedef struct
{
  char      *display;    /* the file's name, starting every message */
  GPtrArray *nodes;      /* SpkNirNode, in the file's order (sorted by name) */
  GHashTable *by_name;   /* name → SpkNirNode */
  GPtrArray *edges;      /* pairs of char *: source, destination (qualified) */
  GPtrArray *subs;       /* SpkNirSub, each after the graph around it */
} SpkNirGraph;

void         _spk_nir_graph_free (SpkNirGraph *graph);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkNirGraph, _spk_nir_graph_free)

/* Reads a NIR file (not checked in a child: the caller does). */
SpkNirGraph *_spk_nir_read       (const char  *path,
                                  GError     **error);
SpkNirArray *_spk_nir_node_param (SpkNirNode  *node,
                                  const char  *name);
/* Converts a read graph. */
SpkSession  *_spk_nir_convert    (SpkNirGraph         *graph,
                                  const SpkNirOptions *options,
                                  GError             **error);

G_END_DECLS
