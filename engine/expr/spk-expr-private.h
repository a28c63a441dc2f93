/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-expr-private.h — what the parser, the lowering pass and the
 * evaluator of the expression language share.  See the DESIGN comment in
 * spk-expr.c for how the pieces fit together.
 */
#pragma once

#include "spk-expr.h"

G_BEGIN_DECLS

/* The operations of the register program.  The order matters: unary
 * operations sit between NEG and ROUND, binary ones between ADD and OR,
 * so arity is a range test. */
typedef enum
{
  SPK_EXPR_OP_CONST,
  SPK_EXPR_OP_TIME,
  SPK_EXPR_OP_LOAD,
  SPK_EXPR_OP_STORE,

  SPK_EXPR_OP_NEG,
  SPK_EXPR_OP_NOT,
  SPK_EXPR_OP_SIN,
  SPK_EXPR_OP_COS,
  SPK_EXPR_OP_TAN,
  SPK_EXPR_OP_ASIN,
  SPK_EXPR_OP_ACOS,
  SPK_EXPR_OP_ATAN,
  SPK_EXPR_OP_SINH,
  SPK_EXPR_OP_COSH,
  SPK_EXPR_OP_TANH,
  SPK_EXPR_OP_EXP,
  SPK_EXPR_OP_LOG,
  SPK_EXPR_OP_LOG10,
  SPK_EXPR_OP_LOG2,
  SPK_EXPR_OP_SQRT,
  SPK_EXPR_OP_ABS,
  SPK_EXPR_OP_SIGN,
  SPK_EXPR_OP_FLOOR,
  SPK_EXPR_OP_CEIL,
  SPK_EXPR_OP_ROUND,

  SPK_EXPR_OP_ADD,
  SPK_EXPR_OP_SUB,
  SPK_EXPR_OP_MUL,
  SPK_EXPR_OP_DIV,
  SPK_EXPR_OP_MOD,
  SPK_EXPR_OP_POW,
  SPK_EXPR_OP_ATAN2,
  SPK_EXPR_OP_MIN,
  SPK_EXPR_OP_MAX,
  SPK_EXPR_OP_LT,
  SPK_EXPR_OP_LE,
  SPK_EXPR_OP_GT,
  SPK_EXPR_OP_GE,
  SPK_EXPR_OP_EQ,
  SPK_EXPR_OP_NE,
  SPK_EXPR_OP_AND,
  SPK_EXPR_OP_OR,

  SPK_EXPR_OP_SELECT,
  /* a * b + c, rounded twice like the two operations it replaces: made
   * by assembly from a product used only by one sum. */
  SPK_EXPR_OP_MADD,
} SpkExprOp;

#define SPK_EXPR_OP_IS_UNARY(op)  ((op) >= SPK_EXPR_OP_NEG && (op) <= SPK_EXPR_OP_ROUND)
#define SPK_EXPR_OP_IS_BINARY(op) ((op) >= SPK_EXPR_OP_ADD && (op) <= SPK_EXPR_OP_OR)

/* Where an operand of an instruction lives.  Slots are one double,
 * broadcast over the rows (stride 0); registers hold one chunk of rows
 * (stride 1); x and the output are read and written in place, a column of
 * a row-major batch (stride size_in or size_out). */
typedef enum
{
  SPK_EXPR_AT_SLOT,
  SPK_EXPR_AT_REG,
  SPK_EXPR_AT_X,
  SPK_EXPR_AT_OUT,
} SpkExprPlace;

/* One instruction: operand 0 = op (operands 1, 2, 3), over every row of
 * a chunk.  STORE copies operand 1 to operand 0.  The destination never
 * overlaps an operand, so the kernels may assume restrict. */
typedef struct
{
  guint8 op;
  guint8 place[4];
  guint  index[4];
} SpkExprInstr;

/* The compiled form; immutable once spk_expr_compile() returns. */
struct _SpkExpr
{
  char         *source;
  guint         size_in;
  guint         size_out;
  gboolean      uses_time;
  gboolean      uses_input;

  /* Slots hold one double each: constants (initialised from slot_init),
   * t, and everything computed from t alone, once per evaluation. */
  guint         n_slots;
  guint         time_slot;
  double       *slot_init;
  SpkExprInstr *uniform;
  guint         n_uniform;

  /* Registers hold one chunk of rows each; the varying program runs once
   * per chunk and writes the output columns itself. */
  guint         n_regs;
  SpkExprInstr *varying;
  guint         n_varying;
};

/* The abstract syntax tree.  Nodes live in an arena owned by the caller
 * of the parser, so the comparison chain `a < b < c` may share `b`. */
typedef enum
{
  SPK_EXPR_NODE_NUMBER,
  SPK_EXPR_NODE_NAME,
  SPK_EXPR_NODE_UNARY,
  SPK_EXPR_NODE_BINARY,
  SPK_EXPR_NODE_TERNARY,
  SPK_EXPR_NODE_CALL,
  SPK_EXPR_NODE_INDEX,
  SPK_EXPR_NODE_SLICE,
  SPK_EXPR_NODE_LIST,
} SpkExprNodeKind;

typedef struct _SpkExprNode SpkExprNode;

struct _SpkExprNode
{
  SpkExprNodeKind kind;
  SpkExprOp       op;       /* UNARY, BINARY */
  gsize           start;    /* byte span in the source */
  gsize           end;
  gsize           at;       /* where errors about this node point */
  double          number;
  char           *name;     /* NAME, CALL */
  SpkExprNode   **args;     /* SLICE: base, lo, hi, step, any may be NULL */
  guint           n_args;
  guint           depth;
};

/* Deeper trees are refused, so that no recursion over a tree can
 * exhaust a thread's stack. */
#define SPK_EXPR_MAX_DEPTH 200

/* An error quotes at most this many characters of the source either side
 * of the column it names. */
#define SPK_EXPR_QUOTE_CONTEXT 40

SpkExprNode *_spk_expr_parse  (const char  *source,
                               GPtrArray   *arena,
                               GError     **error);

SpkExpr     *_spk_expr_lower  (const char        *source,
                               const SpkExprNode *root,
                               guint              size_in,
                               GError           **error);

guint        _spk_expr_column (const char *source,
                               gsize       offset);

void         _spk_expr_set_error (GError     **error,
                                  const char  *source,
                                  gsize        offset,
                                  SpkExprError code,
                                  const char  *format,
                                  ...) G_GNUC_PRINTF (5, 6);

void         _spk_expr_run_op (guint                  op,
                               double       *restrict d,
                               gsize                  sd,
                               const double *restrict pa,
                               gsize                  sa,
                               const double *restrict pb,
                               gsize                  sb,
                               const double *restrict pc,
                               gsize                  sc,
                               gsize                  n);

G_END_DECLS
