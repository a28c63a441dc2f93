/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-step-work.h — the essential work of one simulator step, for
 * measuring how close a step comes to the machine's floor.
 *
 * A step's essential work is its neuron updates and its products; all the
 * rest (resets, copies, synapse filters, the dispatch between operators)
 * is overhead of the layout.  spk_simulator_dup_step_work() copies each
 * neuron group's currents and states as they are now (so the update it
 * lets a benchmark time does what the running network's does) and lists
 * every product with the bytes it must move and the flops it must do.
 * `spikeworks-cli bench` times these in the best layout (every neuron of
 * a type in one contiguous call on all cores, products at the measured
 * bandwidth or peak) and reports a step as a multiple of that.
 */
#pragma once

#include <glib.h>

#include "model/spk-network.h"
#include "model/spk-neuron-type.h"
#include "sim/spk-simulator.h"

G_BEGIN_DECLS

#define SPK_STEP_WORK_MAX_STATES 8

/* Every neuron of one type (equal parameters), batch rows included, laid
 * out contiguously: J, out and each state hold count values of the
 * work's dtype. */
typedef struct
{
  SpkNeuronType *type;
  gsize          count;
  guint          n_states;
  void          *J;
  void          *out;
  void          *states[SPK_STEP_WORK_MAX_STATES];
} SpkStepNeurons;

/* One product of a step (a decoded or neuron-to-neuron weight matrix,
 * learned weights, a Dense or Conv2D layer, a learning rule's delta):
 * bytes it must read and write at least once (weights, input, output),
 * and its multiply-adds × 2. */
typedef struct
{
  guint64 bytes;
  guint64 weight_bytes;  /* of bytes, the weights' */
  guint64 flops;
} SpkStepProduct;

typedef struct
{
  SpkDtype   dtype;
  double     dt;
  GPtrArray *neurons;   /* SpkStepNeurons */
  GArray    *products;  /* SpkStepProduct */
} SpkStepWork;

SpkStepWork *spk_simulator_dup_step_work (SpkSimulator *sim);
void         spk_step_work_free          (SpkStepWork  *work);

/* Bytes of every product's weights together (the working set the products
 * read each step). */
guint64      spk_step_work_weight_bytes  (const SpkStepWork *work);

/* Updates neurons [begin, end) of group once, in place (a PoissonSpiking
 * group draws from a fixed stream). */
void         spk_step_work_update        (SpkStepWork  *work,
                                          guint         group,
                                          gsize         begin,
                                          gsize         end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkStepWork, spk_step_work_free)

G_END_DECLS
