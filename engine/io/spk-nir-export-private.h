/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-export-private.h — the state of a network being exported as a
 * NIR graph, shared by spk-nir-write-graph.c (ensembles, Nodes,
 * connections, probes) and spk-nir-write-layers.c (layers). */
#pragma once

#include "spk-nir-write-private.h"

#include "builder/spk-plan.h"
#include "model/spk-layer.h"
#include "model/spk-network.h"

G_BEGIN_DECLS

/* An object's values as images: H, W, C of its input and output in the
 * engine (channels last), which are C × H × W in NIR; zeros: a vector. */
typedef struct
{
  guint in[3];
  guint out[3];
} Layout;

/* Where an object sits in the graph. */
typedef struct
{
  const char *out;        /* the NIR node giving its output */
  gsize       out_size;
  guint       out_img[3]; /* out as an image (Layout) */
  const char *flat;       /* a Flatten of an image out, once made */
  double      out_scale;  /* what a NIR value of out is in the engine (amplitude/dt for spikes) */
  const char *in;         /* the NIR node edges into it enter; NULL: it takes none */
  gsize       in_size;
  guint       in_img[3];
  double      in_tau;     /* the CubaLIF synapse of edges in; < 0: none */
} Port;

typedef struct
{
  SpkNetwork                *net;
  SpkPlan                   *plan;
  const SpkNirExportOptions *options;
  GPtrArray                 *notes;
  GError                   **error;
  GHashTable                *keys;    /* object → key */
  GHashTable                *ports;   /* object → Port */
  GHashTable                *layouts; /* object → Layout, for objects carrying images */
  SpkNirOutGraph            *graph;
  double                     dt;
} Exporter;

/* "<Type> '<key>': <problem>" as x's error; FALSE. */
gboolean        _spk_nir_export_fail         (Exporter   *x,
                                              SpkObject  *object,
                                              const char *format,
                                              ...) G_GNUC_PRINTF (3, 4);
/* The plan's parameter "<key>/<name>" of size values (any size when 0),
 * or NULL with x's error set. */
SpkArray       *_spk_nir_export_param        (Exporter   *x,
                                              SpkObject  *object,
                                              const char *name,
                                              gsize       size);
const char     *_spk_nir_export_key          (Exporter   *x,
                                              gpointer    object);
Layout         *_spk_nir_export_layout       (Exporter   *x,
                                              gpointer    object);
Port           *_spk_nir_export_add_port     (Exporter   *x,
                                              gpointer    object);
gboolean        _spk_nir_export_is_image     (const guint img[3]);
/* The engine's index (H × W × C) of the k-th value in NIR's order (C × H × W). */
gsize           _spk_nir_export_engine_index (const guint img[3],
                                              gsize       k);
/* A Flatten of an image (H × W × C in the engine) into its C·H·W values
 * in NIR's order. */
SpkNirOutNode  *_spk_nir_export_flatten      (Exporter    *x,
                                              const char  *base,
                                              const guint  img[3]);
/* A Dense, Conv2D or AveragePooling2D layer's nodes and port. */
gboolean        _spk_nir_export_layer        (Exporter   *x,
                                              SpkLayer   *layer);

/* The short names both files use. */
#define object_fail   _spk_nir_export_fail
#define param         _spk_nir_export_param
#define key_of        _spk_nir_export_key
#define layout_of     _spk_nir_export_layout
#define add_port      _spk_nir_export_add_port
#define is_image      _spk_nir_export_is_image
#define engine_index  _spk_nir_export_engine_index
#define add_flatten   _spk_nir_export_flatten
#define export_layer  _spk_nir_export_layer

G_END_DECLS
