/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir.h — the Neuromorphic Intermediate Representation (NIR,
 * github.com/neuromorphs/NIR) in and out.  A .nir file is HDF5: a graph of
 * nodes (Input, Output, Affine, Linear, Scale, Flatten, LIF, CubaLIF, …)
 * with their parameters and edges between them, written and read by
 * snnTorch, Norse, Sinabs, Rockpool, Lava, SpiNNaker2 and others.
 *
 * spk_nir_convert_file() turns one into a session whose network computes
 * the file's continuous-time equations exactly at the chosen dt (or by
 * forward Euler, as the training frameworks do); spk_nir_export() writes a
 * network out.  docs/nir.md says how each node maps.  NIR files come from
 * outside: they are read in a checked child process first
 * (spk-hdf5-check.h), as sessions are. */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "io/spk-session.h"
#include "model/spk-network.h"

G_BEGIN_DECLS

/* How the linear parts of the neurons' equations are stepped. */
typedef enum
{
  SPK_NIR_EXACT,   /* exact integration over each step, input held (as Nengo's LIF) */
  SPK_NIR_EULER,   /* forward Euler, as snnTorch, Norse and the paper's reference code */
} SpkNirIntegration;

typedef struct
{
  double            dt;            /* the step the network runs at; SPK_NIR_DEFAULT_DT */
  SpkNirIntegration integration;
} SpkNirOptions;

/* The step of the NIR paper's experiments (0.1 ms), which snnTorch's export
 * assumes when it writes its decay factors as time constants. */
#define SPK_NIR_DEFAULT_DT 1e-4

void        spk_nir_options_init  (SpkNirOptions *options);

/* Whether path is an HDF5 file holding a NIR graph (the dataset
 * node/type reads "NIRGraph").  Only looks; a damaged file is FALSE.
 * Check the file in a child process (spk_hdf5_check_file) first. */
gboolean    spk_nir_file_is_nir   (const char *path);

/* Converts a NIR file into a session (its network, and the plan built
 * with the file's weights).  The file is checked in a child process
 * first.  Fails with one SPK_IO_ERROR starting with the file's name and
 * naming the node and what is wrong: not HDF5, damaged, not NIR, an
 * unknown node type, a missing or malformed parameter, shapes that do
 * not chain, a cycle without a neuron in it. */
SpkSession *spk_nir_convert_file  (const char          *path,
                                   const SpkNirOptions *options,
                                   GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Writes network (with the parameters of plan, built from it) as a NIR
 * graph: Nodes become Inputs, Probes Outputs, Ensembles of LIF neurons
 * LIF nodes, connections Affine or Linear nodes (a decoded connection as
 * its full weight matrix), Layers their NIR counterparts.  What NIR cannot
 * represent is refused naming the object.  Written atomically. */
gboolean    spk_nir_export        (SpkNetwork          *network,
                                   SpkPlan             *plan,
                                   const char          *path,
                                   GError             **error);

G_END_DECLS
