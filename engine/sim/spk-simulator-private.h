/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-private.h — the simulator's state, shared by the
 * dtype-generic code and the per-dtype step functions. */
#pragma once

#include "builder/spk-plan-private.h"
#include "ops/spk-ops-process.h"
#include "sim/spk-simulator.h"

G_BEGIN_DECLS

typedef struct
{
  const double *data; /* batch × n_steps × size */
  gboolean borrowed;  /* the caller's, for one predict */
  guint64  n_steps;
  guint    size;
  guint64  first_step; /* row 0 feeds step first_step + 1 */
} SimInput;

/* An item with its pointers resolved into this simulator's arena: row b
 * of a view starts at ptr + b·stride. */
typedef struct
{
  const SpkOpItem *item;
  void            *dst;
  const void      *src;
  gsize            dst_stride, src_stride;
  gboolean         dst_whole, src_whole;   /* the view is its whole signal */
  const void      *param;
  void            *states[SPK_OP_MAX_STATES];
} BoundItem;

/* Products up to this many multiply-adds (batch included) are plain loops. */
#define SPK_SIM_SMALL_PRODUCT 2048

/* An operator of many tiny items (chain-1000: a thousand ensembles' resets,
 * copies, encoders and decoders) at batch 1 runs from these packed items
 * instead of walking each item's whole description: the same loops, in the
 * same order, so the same results. */
typedef enum
{
  FAST_NONE,
  FAST_RESET,      /* dst[0 … len) = 0 */
  FAST_COPY,       /* dst[i] = src[i] */
  FAST_COPY_INC,   /* dst[i] += src[i] */
  FAST_AXPY,       /* dst[r] += w[r]·src[0]: a product with one column */
  FAST_DOT,        /* dst[0] += Σ w[c]·src[c], summed first (dot_row): one row stored by rows */
  FAST_DOT_INTO,   /* dst[0] += w[c]·src[c] for each c in turn: one row stored transposed */
  FAST_AXPY_SET,   /* dst[r] = bias[r] + w[r]·src[0]: FAST_AXPY with the setting of dst
                    * (an earlier SET_PARAM, folded in) done in the same pass */
} FastKind;

typedef struct
{
  void       *dst;
  const void *src;
  const void *param;
  const void *bias;      /* FAST_AXPY_SET */
  gsize       len;
} FastItem;

/* A neuron group's step fused with the products next to it
 * (spk-simulator-fuse.c): the current set from the biases, the encoders
 * into it, the update, and the decoders reading its output, done part by
 * part of the group on the pool's threads, so each part's values stay in
 * one core's cache and the step hands off to the pool once for all of
 * it.  Float32 at batch 1. */
#define SPK_FUSED_PARTS 16

/* One encoder's work in one part, its pointers resolved. */
typedef enum { FUSED_AXPY, FUSED_COLS, FUSED_ROWS } FusedShape;

typedef struct
{
  void        *d;             /* the current's first row here */
  const void  *w;             /* its first weight: one column, or W stored transposed
                               * (column c at w + c·stride), or by rows (row r at w + r·stride) */
  const void  *x;             /* the encoder's input */
  const void  *bias;          /* non-NULL: the first to write these rows, so it sets
                               * d = bias + terms (the same two roundings as a copy
                               * of the biases and then +=) */
  gsize        n;             /* rows here */
  gsize        stride;
  guint        cols;
  FusedShape   shape;
} FusedEnc;

/* One decoder's work in one part. */
typedef struct
{
  void        *acc;           /* its target */
  const void  *w;             /* its weights for the part's first output value: by rows
                               * (row r at w + r·stride) or transposed (value c at w + c·stride) */
  const void  *s;             /* the group's output here */
  gsize        n;             /* output values here */
  gsize        stride;
  guint        rows;
  gboolean     transposed;
} FusedDec;

typedef struct
{
  gsize        bounds[SPK_FUSED_PARTS + 1];   /* part p: neurons [bounds[p], bounds[p + 1]) */
  const void  *bias;          /* the current starts from these */
  void        *zeros;         /* the biases when the current starts from zero */
  gsize        n;             /* neurons */
  gboolean     tiled[SPK_FUSED_PARTS];        /* the part's encoders set its current end to end */
  FusedEnc    *enc;           /* part p's: enc[enc_off[p] … enc_off[p + 1]), in order */
  guint        enc_off[SPK_FUSED_PARTS + 1];
  FusedDec    *dec;           /* part p's: dec[dec_off[p] … dec_off[p + 1]), in order */
  guint        dec_off[SPK_FUSED_PARTS + 1];
} Fused;

void _spk_fused_free (Fused *fused);

/* A large neuron group fused with its encoders and decoders
 * (spk-simulator-fuse-big.c). */
typedef struct _FusedBig FusedBig;

/* Whether op reads or writes signal sig (any item's output, input or state). */
gboolean _spk_op_touches (const SpkPlanOp *op,
                          int              sig);
/* Whether op writes signal sig (any item's output or state). */
gboolean _spk_op_writes  (const SpkPlanOp *op,
                          int              sig);

typedef struct
{
  const SpkPlanOp *op;
  FastKind         fast_kind;
  FastItem        *fast;       /* n_items, when fast_kind is not FAST_NONE */
  BoundItem       *items;
  guint            n_items;
  SpkExprScratch  *scratch;
  SpkProcessState *process;
  double          *tmp;        /* PROCESS: one row in double */
  void            *cols;       /* LAYER (Conv2D): the batch's patches */
  SpkRng           rng;
  SimInput        *input;      /* replaces a source Node's output */
  gboolean         folded;     /* done by another op: a SET_PARAM by a later FAST_AXPY_SET,
                                * or biases, encoders and decoders by a Fused group */
  Fused           *fused;      /* NEURONS: the products fused with the update, or NULL */
  FusedBig        *big;        /* NEURONS: the large products fused with the update, or NULL */
  SpkSimulatorCallback callback;  /* CALLBACK: the Node's function, or NULL */
  gpointer         callback_data;
  double          *callback_x;    /* CALLBACK: the batch's input and output in double */
  double          *callback_y;
} BoundOp;

typedef struct
{
  GArray *data;       /* double: samples × batch × size */
  GArray *times;      /* double */
} ProbeRecord;

/* Called after every step's record, for a caller that takes some probes'
 * samples straight from the signals (the runner's live spike rings). */
typedef void (*SpkSimulatorRecordHook) (SpkSimulator *sim,
                                        gpointer      data);

struct _SpkSimulator
{
  SpkPlan     *plan;
  guint        batch;
  gsize        elem_size;
  void        *arena;
  gsize        arena_len;     /* elements */
  gsize       *offsets;       /* per signal */
  BoundOp     *ops;
  guint        n_ops;
  ProbeRecord *records;
  GHashTable  *inputs;        /* node label → SimInput */
  guint64      step;
  gboolean     pool_neurons;  /* large neuron updates use the pool's threads */
  /* See _spk_simulator_set_record_hook (). */
  SpkSimulatorRecordHook record_hook;
  gpointer     record_hook_data;
  gboolean    *unrecorded;    /* per probe, or NULL */
  GError      *callback_error; /* this step's first failed CALLBACK, for run_steps to report */
};

/* After every step, calls hook (NULL: none); the probes flagged in
 * unrecorded (n_probes flags, copied; NULL: none) are then no longer kept
 * in the simulator's records: the hook takes them. */
void _spk_simulator_set_record_hook (SpkSimulator           *self,
                                     SpkSimulatorRecordHook  hook,
                                     gpointer                data,
                                     const gboolean         *unrecorded);

/* Fuses each float32 neuron group's biases, encoders and decoders with
 * its update where the order of the step allows it (spk-simulator-fuse.c). */
void _spk_simulator_fuse            (SpkSimulator *self);
/* For both fusions: whether bop, the first op before a neuron update to
 * touch its current J, sets all of it (the biases' SET_PARAM or a whole
 * RESET), and whether item k of bop writes values an earlier item does. */
gboolean _spk_fuse_sets_current     (const BoundOp *bop,
                                     int            J);
gboolean _spk_fuse_item_overlaps    (const BoundOp *bop,
                                     guint          k);
/* The last op before op i that touches sig, or -1. */
int      _spk_fuse_touching_before  (SpkSimulator  *self,
                                     int            i,
                                     int            sig);
/* The first op after the update n that touches its output out, when it
 * is an unfolded product (DOT_INC): the decoders to fuse; else -1. */
int      _spk_fuse_next_product     (SpkSimulator  *self,
                                     guint          n,
                                     int            out);
/* Whether no op strictly between a and b touches (writes) sig. */
gboolean _spk_fuse_untouched_between (SpkSimulator *self,
                                      guint         a,
                                      guint         b,
                                      int           sig);
gboolean _spk_fuse_unwritten_between (SpkSimulator *self,
                                      guint         a,
                                      guint         b,
                                      int           sig);

/* A CALLBACK item: the Node's function for the whole batch (in double). */
void _spk_simulator_run_callback    (SpkSimulator    *self,
                                     BoundOp         *bop,
                                     const BoundItem *bi,
                                     double           t);
void _spk_simulator_step_ops_f32    (SpkSimulator *self,
                                     double        t);
void _spk_simulator_step_ops_f64    (SpkSimulator *self,
                                     double        t);
gboolean _spk_simulator_steps_use_blas_f32 (SpkSimulator *self);
gboolean _spk_simulator_steps_use_blas_f64 (SpkSimulator *self);
void _spk_simulator_record_f32      (SpkSimulator *self);
void _spk_simulator_record_f64      (SpkSimulator *self);
/* Index of the first op (in execution order) whose output is not finite,
 * or -1; *signal is that output's signal. */
gboolean _spk_simulator_all_finite_f32 (const float  *data,
                                        gsize         n);
gboolean _spk_simulator_all_finite_f64 (const double *data,
                                        gsize         n);
/* One row of a small product, Σ w[c]·s[c], and a one-column encoder with
 * its biases, d[r] = bias[r] + w[r]·x, exactly as a step computes them
 * (for tests). */
float  _spk_simulator_dot_row_f32   (const float  *w,
                                     const float  *s,
                                     gsize         n);
double _spk_simulator_dot_row_f64   (const double *w,
                                     const double *s,
                                     gsize         n);
void   _spk_simulator_axpy_set_f32  (float        *d,
                                     const float  *bias,
                                     const float  *w,
                                     float         x,
                                     gsize         n);
void   _spk_simulator_axpy_set_f64  (double       *d,
                                     const double *bias,
                                     const double *w,
                                     double        x,
                                     gsize         n);
int  _spk_simulator_find_nonfinite_f32 (SpkSimulator *self,
                                        int          *signal,
                                        guint        *offset);
int  _spk_simulator_find_nonfinite_f64 (SpkSimulator *self,
                                        int          *signal,
                                        guint        *offset);

G_END_DECLS
