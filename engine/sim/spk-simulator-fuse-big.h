/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-fuse-big.h — a large neuron group's step fused with its
 * encoders and decoders (spk-simulator-fuse-big.c). */
#pragma once

#include "sim/spk-simulator-private.h"

G_BEGIN_DECLS

/* Blocks a fused large group is cut into: fixed, so the decoders' sums
 * (block by block, then in block order) do not depend on the threads. */
#define SPK_FUSED_BIG_PARTS 16

/* Takes the float32 neuron groups at batch 1 whose encoders or decoders
 * are large products (those the small-group fusion leaves alone) and that
 * the step's order lets run as one: sets bop->big and folds their bias,
 * encoder and decoder operators.  SPK_FUSE_BIG=0 in the environment turns
 * it off. */
void _spk_simulator_fuse_big    (SpkSimulator    *self);

/* FALSE: _spk_simulator_fuse_big() fuses nothing (tests compare with the
 * separate operators without touching the environment). */
extern gboolean _spk_simulator_fuse_big_enabled;

void _spk_fused_big_free        (FusedBig        *big);

/* The fused group's step: currents, update and decoders of every block on
 * the pool's threads, then each decoder's block sums in block order. */
void _spk_fused_big_step_f32    (SpkSimulator    *self,
                                 const SpkPlanOp *op,
                                 const BoundOp   *bop);

G_END_DECLS
