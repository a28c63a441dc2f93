/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-convert-private.h — what the parts of the NIR converter share:
 * the value a converted node outputs and the entries its incoming edges
 * connect to (spk-nir-convert.c: the graph, edges and simple nodes;
 * spk-nir-neurons.c: the neuron and state nodes; spk-nir-layers.c:
 * convolution and pooling). */
#pragma once

#include "spk-nir-private.h"

#include "core/spk-slice.h"
#include "model/spk-synapse.h"

G_BEGIN_DECLS

/* Where an edge into a node connects: one connection per entry, from the
 * edge's source (pre_slice of it) to post (post_slice of it), through
 * synapse, with scale as a diagonal transform.  A node whose elements
 * have different time constants has one entry per group of equal ones. */
typedef struct
{
  SpkObject  *post;
  gboolean    post_neurons;
  SpkSlice   *pre_slice;     /* (owned, nullable): all */
  SpkSlice   *post_slice;    /* (owned, nullable): all */
  SpkSynapse *synapse;       /* (owned, nullable): none */
  SpkArray   *scale;         /* (owned, nullable): 1 */
} SpkNirEntry;

/* What a converted NIR node outputs, and how edges enter it. */
typedef struct
{
  SpkObject  *object;      /* its output (NULL until converted) */
  gboolean    neurons;     /* the output is object's neurons */
  guint       rank;        /* NIR shape of the output */
  gsize       dims[4];
  gsize       size;
  GPtrArray  *entries;     /* (owned) SpkNirEntry; NULL: edges pass through */
  gsize       in_size;     /* the size edges in must have; 0: any */
  gboolean    done;
} SpkNirValue;

typedef struct
{
  SpkNirGraph         *graph;
  const SpkNirOptions *options;
  SpkNetwork          *net;
  SpkNirValue         *values;     /* per node, in graph->nodes order */
  GPtrArray          **in_edges;   /* per node: source node indices (GUINT_TO_POINTER) */
  GHashTable          *params;     /* parameter key → SpkArray */
  GHashTable          *delayed;    /* "src\ndst" of edges that close a cycle */
  SpkObject          **networks;   /* per nested graph (SpkNirGraph.subs): its sub-network */
  SpkNirNode          *node;       /* the node being converted */
  guint                index;      /* its index */
  SpkObject           *container;  /* (nullable): the sub-network new objects go into */
  SpkNirNode          *labelled;   /* the node whose label is worked out, */
  char                *label;      /* and that label (_spk_nir_label) */
  GError             **error;
} SpkNirConverter;

gboolean     _spk_nir_node_fail     (SpkNirConverter *c,
                                     SpkIoError       code,
                                     const char      *format,
                                     ...) G_GNUC_PRINTF (3, 4);
SpkNirArray *_spk_nir_param         (SpkNirConverter *c,
                                     const char      *name);
SpkNirArray *_spk_nir_param_shaped  (SpkNirConverter *c,
                                     const char      *name,
                                     guint            rank);
/* The parameters of an elementwise node, all of the node's shape (or
 * single values); an optional one may be missing (NULL in out). */
gboolean     _spk_nir_elementwise   (SpkNirConverter    *c,
                                     const char *const  *names,
                                     const gboolean     *optional,
                                     SpkNirArray       **out,
                                     SpkNirValue        *v);
double       _spk_nir_at            (const SpkNirArray  *a,
                                     gsize               i,
                                     double              fallback);
/* A time constant as the engine steps it: τ, or in Euler mode the τ'
 * whose exact update is Euler's. */
gboolean     _spk_nir_tau           (SpkNirConverter    *c,
                                     const char         *name,
                                     double              tau,
                                     double             *out);
/* The label of the node (or of a part of it: suffix, may be NULL). */
char        *_spk_nir_label         (SpkNirConverter    *c,
                                     const char         *suffix);
/* Adds object to the network, inside c->container. */
gboolean     _spk_nir_add_object    (SpkNirConverter    *c,
                                     gpointer            object,
                                     const char         *label);
void         _spk_nir_set_param     (SpkNirConverter    *c,
                                     SpkObject          *object,
                                     const char         *name,
                                     SpkArray           *array);
/* A new entry of v (slices, synapse and scale taken). */
SpkNirEntry *_spk_nir_add_entry     (SpkNirValue        *v,
                                     SpkObject          *post,
                                     gboolean            post_neurons,
                                     SpkSlice           *pre_slice,
                                     SpkSlice           *post_slice,
                                     SpkSynapse         *synapse,
                                     SpkArray           *scale);
/* A connection from pre into post, in the innermost sub-network holding
 * both. */
gboolean     _spk_nir_connect       (SpkNirConverter    *c,
                                     SpkObject          *pre,
                                     gboolean            pre_neurons,
                                     SpkObject          *post,
                                     gboolean            post_neurons,
                                     SpkSlice           *pre_slice,
                                     SpkSlice           *post_slice,
                                     SpkSynapse         *synapse,
                                     SpkArray           *scale);

/* Whether an edge out of the node at index src closes a cycle. */
gboolean     _spk_nir_out_delayed   (SpkNirConverter    *c,
                                     guint               src);

/* Neuron and state nodes (spk-nir-neurons.c). */
gboolean     _spk_nir_convert_lif       (SpkNirConverter *c, SpkNirValue *v, gboolean cuba);
gboolean     _spk_nir_convert_if        (SpkNirConverter *c, SpkNirValue *v);
gboolean     _spk_nir_convert_li        (SpkNirConverter *c, SpkNirValue *v, gboolean cuba);
gboolean     _spk_nir_convert_integrator (SpkNirConverter *c, SpkNirValue *v);
gboolean     _spk_nir_convert_threshold (SpkNirConverter *c, SpkNirValue *v);
gboolean     _spk_nir_convert_delay     (SpkNirConverter *c, SpkNirValue *v);
/* Convolution (dims 1 or 2) and pooling (spk-nir-layers.c). */
gboolean     _spk_nir_convert_conv      (SpkNirConverter *c, SpkNirValue *v, guint dims);
gboolean     _spk_nir_convert_pool      (SpkNirConverter *c, SpkNirValue *v, gboolean sum);

G_END_DECLS
