/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-encode-decode.h — a large ensemble's encoders and decoders, one
 * block of its neurons at a time (float32).
 *
 * The simulator's fused path for large neuron groups
 * (engine/sim/spk-simulator-fuse-big.c) cuts a group into blocks and, per
 * block, sets the block's input currents from its biases and encoders,
 * updates its neurons, and sums its decoders over the block's activities.
 * These are the two products, in layouts that need no horizontal sums:
 *
 * - encoders stored neuron-minor (Eᵀ: row d holds dimension d's encoder
 *   entry of every neuron), so sixteen neurons' currents take one vector
 *   load and one multiply-add per dimension;
 * - decoders stored neuron-major (neuron i's values for every output row
 *   side by side, padded to a multiple of 16 rows), so a neuron that is
 *   silent this step (an activity of exactly zero: most spiking neurons in
 *   most steps) is skipped, and an active one adds its rows with one
 *   vector multiply-add per 16 rows.
 *
 * The arithmetic is defined value by value, so every instruction set gives
 * the same bits: a current is its bias, then each dimension's term added
 * in order by a fused multiply-add (one rounding each); a block's decoded
 * row r is four partial sums — the block's k-th nonzero activity (in
 * neuron order) adds into sum k mod 4 by a fused multiply-add — added as
 * (s0 + s1) + (s2 + s3).  A zero activity's term is ±0 and changes no sum,
 * so skipping it is exact (a NaN or infinite activity is not skipped).
 *
 * `isa` picks the instructions: AVX-512 and AVX2 (with FMA) intrinsics, or
 * the portable loops with fmaf() (fast where the hardware has a fused
 * multiply-add, as every AVX2 and ARMv8 machine does; the simulator does
 * not take this path on x86-64 machines without FMA, where fmaf() is a
 * slow library routine).  Tests compare the three.
 */
#pragma once

#include <glib.h>

#include "core/spk-cpu.h"

G_BEGIN_DECLS

/* Rows of a packed decoder are padded to a multiple of this. */
#define SPK_DECODE_ROW_ALIGN 16
/* At most this many (padded) decoder rows. */
#define SPK_DECODE_MAX_ROWS 64
/* Scratch indices spk_decode_block_f32() needs beyond one per neuron. */
#define SPK_DECODE_IDX_SLACK 16

/* J[i] = bias[i] + Σ_d enc[d·enc_stride + i]·x[d] for i < n, the terms
 * added in order of d, each by a fused multiply-add. */
void spk_encode_block_f32 (SpkIsa               isa,
                           float *restrict       J,
                           const float *restrict bias,
                           const float *restrict enc,
                           gsize                 enc_stride,
                           const float *restrict x,
                           guint                 dims,
                           gsize                 n);

/* sums[r] = Σ_i act[i]·dec[i·rows + r] for r < rows (a multiple of
 * SPK_DECODE_ROW_ALIGN, at most SPK_DECODE_MAX_ROWS), over the neurons
 * i < n with act[i] ≠ 0, in the order described above.  idx: scratch for
 * n + SPK_DECODE_IDX_SLACK indices. */
void spk_decode_block_f32 (SpkIsa               isa,
                           float *restrict       sums,
                           const float *restrict dec,
                           guint                 rows,
                           const float *restrict act,
                           gsize                 n,
                           guint32 *restrict     idx);

G_END_DECLS
