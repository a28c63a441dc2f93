/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-write.h — a Spikeworks network out as a NIR graph, with the
 * choices spk_nir_export() (spk-nir.h) leaves at their defaults.
 *
 * By default only what NIR represents exactly is written: a LIF neuron
 * with a refractory period, a voltage floor or random starting voltages
 * is refused, naming the ensemble.  With `approximate` it is written
 * without them, and a note says so.  Nodes that compute something
 * become NIR Inputs, with a note naming each. */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "model/spk-network.h"

G_BEGIN_DECLS

typedef struct
{
  /* Write LIF neurons without their refractory period, voltage floor and
   * random starting voltages (NIR's LIF has none of them). */
  gboolean approximate;
} SpkNirExportOptions;

void     spk_nir_export_options_init (SpkNirExportOptions       *options);

/* spk_nir_export() with options (NULL: the defaults).  notes (nullable)
 * receives one translated sentence (char *) per object that was replaced
 * (a Node's output by an Input) or approximated. */
gboolean spk_nir_export_full         (SpkNetwork                *network,
                                      SpkPlan                   *plan,
                                      const char                *path,
                                      const SpkNirExportOptions *options,
                                      GPtrArray                 *notes,
                                      GError                   **error);

G_END_DECLS
