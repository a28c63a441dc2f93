/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-expr-lower.c — syntax tree to register program.
 *
 * Lowering walks the tree once.  Every vector is taken apart into its
 * components, so a value of n dimensions is n scalar values and shapes
 * are checked here, where the node that broke them is at hand.  Each
 * scalar value is an instruction in an SSA list with one of three kinds:
 * constant (known now: folded on the spot, through the very kernels the
 * evaluator runs, so folding cannot change a result), uniform (depends
 * on t only: computed once per evaluation, not once per row) or varying
 * (depends on x: computed for every row).  Identical instructions are
 * shared, so `x[0]*x[1]` written twice costs once.
 *
 * Assembly then keeps only what the outputs need, gives constants and
 * uniform values a slot each, and runs a linear scan over the varying
 * instructions to reuse registers: columns of x are loaded just before
 * their first use and outputs stored just after their definition, so
 * `x**2` over a thousand dimensions needs two registers, not a thousand.
 */
#define G_LOG_DOMAIN "spk-expr"

#include "spk-expr-private.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-names.h"

enum
{
  KIND_CONST,
  KIND_UNIFORM,
  KIND_VARYING,
};

typedef struct
{
  guint8 op;
  guint8 kind;
  guint  args[3];
  double value;   /* CONST */
} IrValue;

/* The key under which identical instructions are shared; a constant
 * keeps the bits of its value in a and b. */
typedef struct
{
  guint op;
  guint a, b, c;
} IrKey;

typedef struct
{
  guint  n;
  guint *v;
} Vec;

typedef struct
{
  const char *src;
  guint       size_in;
  GError    **error;
  GArray     *values;
  GHashTable *shared;
  GPtrArray  *arena;
} Lower;

typedef enum
{
  FN_UNARY,
  FN_BINARY,
  FN_SQUARE,
  FN_MINMAX,
  FN_CLIP,
  FN_WHERE,
  FN_NORM,
  FN_DOT,
  FN_SUM,
  FN_MEAN,
} FnKind;

typedef struct
{
  const char *name;
  FnKind      kind;
  SpkExprOp   op;
  guint       min_args;
  guint       max_args;
} Function;

/* Canonical names first: suggestions take the first close match.  The
 * numpy spellings after them let code pasted from Nengo run as written. */
static const Function functions[] = {
  { "sin", FN_UNARY, SPK_EXPR_OP_SIN, 1, 1 },
  { "cos", FN_UNARY, SPK_EXPR_OP_COS, 1, 1 },
  { "tan", FN_UNARY, SPK_EXPR_OP_TAN, 1, 1 },
  { "asin", FN_UNARY, SPK_EXPR_OP_ASIN, 1, 1 },
  { "acos", FN_UNARY, SPK_EXPR_OP_ACOS, 1, 1 },
  { "atan", FN_UNARY, SPK_EXPR_OP_ATAN, 1, 1 },
  { "atan2", FN_BINARY, SPK_EXPR_OP_ATAN2, 2, 2 },
  { "sinh", FN_UNARY, SPK_EXPR_OP_SINH, 1, 1 },
  { "cosh", FN_UNARY, SPK_EXPR_OP_COSH, 1, 1 },
  { "tanh", FN_UNARY, SPK_EXPR_OP_TANH, 1, 1 },
  { "exp", FN_UNARY, SPK_EXPR_OP_EXP, 1, 1 },
  { "log", FN_UNARY, SPK_EXPR_OP_LOG, 1, 1 },
  { "log10", FN_UNARY, SPK_EXPR_OP_LOG10, 1, 1 },
  { "log2", FN_UNARY, SPK_EXPR_OP_LOG2, 1, 1 },
  { "sqrt", FN_UNARY, SPK_EXPR_OP_SQRT, 1, 1 },
  { "abs", FN_UNARY, SPK_EXPR_OP_ABS, 1, 1 },
  { "sign", FN_UNARY, SPK_EXPR_OP_SIGN, 1, 1 },
  { "floor", FN_UNARY, SPK_EXPR_OP_FLOOR, 1, 1 },
  { "ceil", FN_UNARY, SPK_EXPR_OP_CEIL, 1, 1 },
  { "round", FN_UNARY, SPK_EXPR_OP_ROUND, 1, 1 },
  { "min", FN_MINMAX, SPK_EXPR_OP_MIN, 1, 2 },
  { "max", FN_MINMAX, SPK_EXPR_OP_MAX, 1, 2 },
  { "pow", FN_BINARY, SPK_EXPR_OP_POW, 2, 2 },
  { "clip", FN_CLIP, SPK_EXPR_OP_MIN, 3, 3 },
  { "square", FN_SQUARE, SPK_EXPR_OP_MUL, 1, 1 },
  { "where", FN_WHERE, SPK_EXPR_OP_SELECT, 3, 3 },
  { "norm", FN_NORM, SPK_EXPR_OP_SQRT, 1, 1 },
  { "dot", FN_DOT, SPK_EXPR_OP_MUL, 2, 2 },
  { "sum", FN_SUM, SPK_EXPR_OP_ADD, 1, 1 },
  { "mean", FN_MEAN, SPK_EXPR_OP_ADD, 1, 1 },

  { "arcsin", FN_UNARY, SPK_EXPR_OP_ASIN, 1, 1 },
  { "arccos", FN_UNARY, SPK_EXPR_OP_ACOS, 1, 1 },
  { "arctan", FN_UNARY, SPK_EXPR_OP_ATAN, 1, 1 },
  { "arctan2", FN_BINARY, SPK_EXPR_OP_ATAN2, 2, 2 },
  { "absolute", FN_UNARY, SPK_EXPR_OP_ABS, 1, 1 },
  { "fabs", FN_UNARY, SPK_EXPR_OP_ABS, 1, 1 },
  { "rint", FN_UNARY, SPK_EXPR_OP_ROUND, 1, 1 },
  { "minimum", FN_BINARY, SPK_EXPR_OP_MIN, 2, 2 },
  { "maximum", FN_BINARY, SPK_EXPR_OP_MAX, 2, 2 },
  { "power", FN_BINARY, SPK_EXPR_OP_POW, 2, 2 },
  { "fmod", FN_BINARY, SPK_EXPR_OP_MOD, 2, 2 },
};

static const struct { const char *name; double value; } constants[] = {
  { "pi", G_PI },
  { "e", G_E },
  { "tau", 2 * G_PI },
  { "inf", INFINITY },
  { "nan", NAN },
};

/* `np.`, `numpy.` and `math.` (and numpy's `linalg.`) only say where a
 * name comes from in Python; here every name is built in. */
static const char *
strip_module (const char *name)
{
  static const char *prefixes[] = { "np.", "numpy.", "math.", "linalg." };
  gboolean again = TRUE;

  while (again)
    {
      again = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
        if (g_str_has_prefix (name, prefixes[i]))
          {
            name += strlen (prefixes[i]);
            again = TRUE;
          }
    }
  return name;
}

/* Long names get no suggestion: comparing them costs their length
 * squared, and the expression checker runs in linear time. */
static const char *
suggest (const char         *name,
         const char * const *candidates,
         guint               n_candidates)
{
  if (strlen (name) > 32)
    return NULL;
  return spk_names_closest (name, candidates, n_candidates);
}

static const Function *
find_function (const char *name)
{
  const char *bare = strip_module (name);

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (strcmp (bare, functions[i].name) == 0)
      return &functions[i];
  return NULL;
}

static const IrValue *
value_at (Lower *L,
          guint  id)
{
  return &g_array_index (L->values, IrValue, id);
}

static guint
key_hash (gconstpointer data)
{
  const IrKey *k = data;

  return ((k->op * 31u + k->a) * 31u + k->b) * 31u + k->c;
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  return memcmp (a, b, sizeof (IrKey)) == 0;
}

static guint
push_value (Lower         *L,
            const IrValue *value,
            const IrKey   *key)
{
  gpointer found;
  guint id;

  if (g_hash_table_lookup_extended (L->shared, key, NULL, &found))
    return GPOINTER_TO_UINT (found);
  id = L->values->len;
  g_array_append_val (L->values, *value);
  g_hash_table_insert (L->shared, g_memdup2 (key, sizeof *key), GUINT_TO_POINTER (id));
  return id;
}

static guint
emit_const (Lower  *L,
            double  x)
{
  IrValue value = { .op = SPK_EXPR_OP_CONST, .kind = KIND_CONST, .value = x };
  IrKey key = { SPK_EXPR_OP_CONST, 0, 0, 0 };
  guint64 bits;

  memcpy (&bits, &x, sizeof bits);
  key.a = (guint) bits;
  key.b = (guint) (bits >> 32);
  return push_value (L, &value, &key);
}

static guint
n_operands (guint op)
{
  if (op == SPK_EXPR_OP_SELECT || op == SPK_EXPR_OP_MADD)
    return 3;
  if (SPK_EXPR_OP_IS_BINARY (op))
    return 2;
  return 1;
}

static guint
emit (Lower *L,
      guint  op,
      guint  a,
      guint  b,
      guint  c)
{
  IrValue value = { .op = (guint8) op, .args = { a, b, c } };
  IrKey key = { op, a, b, c };
  guint n = n_operands (op);
  guint8 kind = KIND_CONST;

  if (n < 3)
    key.c = value.args[2] = 0;
  if (n < 2)
    key.b = value.args[1] = 0;
  for (guint i = 0; i < n; i++)
    kind = MAX (kind, value_at (L, value.args[i])->kind);

  if (kind == KIND_CONST)
    {
      double in[3] = { 0 }, out;

      for (guint i = 0; i < n; i++)
        in[i] = value_at (L, value.args[i])->value;
      _spk_expr_run_op (op, &out, 0, &in[0], 0, &in[1], 0, &in[2], 0, 1);
      return emit_const (L, out);
    }

  value.kind = kind;
  return push_value (L, &value, &key);
}

static Vec
vec_new (Lower *L,
         guint  n)
{
  Vec v = { n, g_new0 (guint, MAX (n, 1)) };

  g_ptr_array_add (L->arena, v.v);
  return v;
}

static Vec
vec_scalar (Lower *L,
            guint  id)
{
  Vec v = vec_new (L, 1);

  v.v[0] = id;
  return v;
}

static gboolean
is_const (Lower *L,
          guint  id)
{
  return value_at (L, id)->kind == KIND_CONST;
}

static gboolean
fail_mismatch (Lower *L,
               gsize  at,
               guint  n1,
               guint  n2)
{
  _spk_expr_set_error (L->error, L->src, at, SPK_EXPR_ERROR_TYPE,
                       _("size mismatch: cannot combine %u and %u dimensions (column %u)"),
                       n1, n2, _spk_expr_column (L->src, at));
  return FALSE;
}

/* Scalars broadcast; vectors must agree. */
static gboolean
common_size (Lower       *L,
             gsize        at,
             const Vec   *vecs,
             guint        n_vecs,
             guint       *n)
{
  *n = 1;
  for (guint i = 0; i < n_vecs; i++)
    {
      if (vecs[i].n == 1 || vecs[i].n == *n)
        continue;
      if (*n != 1)
        return fail_mismatch (L, at, *n, vecs[i].n);
      *n = vecs[i].n;
    }
  return TRUE;
}

static guint
component (const Vec *v,
           guint      i)
{
  return v->v[v->n == 1 ? 0 : i];
}

/* x**1, x**2 and x**3 by multiplication: x*x is what numpy computes for
 * a square, and it is exact to the last bit where pow() need not be. */
static guint
emit_pow (Lower *L,
          guint  base,
          guint  exponent)
{
  if (is_const (L, exponent))
    {
      double e = value_at (L, exponent)->value;

      if (e == 1)
        return base;
      if (e == 2)
        return emit (L, SPK_EXPR_OP_MUL, base, base, 0);
      if (e == 3)
        return emit (L, SPK_EXPR_OP_MUL, emit (L, SPK_EXPR_OP_MUL, base, base, 0), base, 0);
    }
  return emit (L, SPK_EXPR_OP_POW, base, exponent, 0);
}

static guint
emit_select (Lower *L,
             guint  cond,
             guint  a,
             guint  b)
{
  /* A known condition picks its branch now; the other one is dropped
   * when assembly keeps only what the outputs need. */
  if (is_const (L, cond))
    return value_at (L, cond)->value != 0 ? a : b;
  return emit (L, SPK_EXPR_OP_SELECT, cond, a, b);
}

static gboolean
elementwise (Lower     *L,
             guint      op,
             gsize      at,
             const Vec *args,
             guint      n_args,
             Vec       *out)
{
  guint n;

  if (!common_size (L, at, args, n_args, &n))
    return FALSE;
  *out = vec_new (L, n);
  for (guint i = 0; i < n; i++)
    {
      guint a = component (&args[0], i);
      guint b = n_args > 1 ? component (&args[1], i) : 0;
      guint c = n_args > 2 ? component (&args[2], i) : 0;

      if (op == SPK_EXPR_OP_POW)
        out->v[i] = emit_pow (L, a, b);
      else if (op == SPK_EXPR_OP_SELECT)
        out->v[i] = emit_select (L, a, b, c);
      else
        out->v[i] = emit (L, op, a, b, c);
    }
  return TRUE;
}

static guint
reduce (Lower     *L,
        guint      op,
        const Vec *v)
{
  guint acc = v->v[0];

  for (guint i = 1; i < v->n; i++)
    acc = emit (L, op, acc, v->v[i], 0);
  return acc;
}

static gboolean lower_node (Lower             *L,
                            const SpkExprNode *node,
                            Vec               *out);

static char *
node_text (Lower             *L,
           const SpkExprNode *node)
{
  return g_strndup (L->src + node->start, node->end - node->start);
}

/* Indices and slice bounds are known when compiling, so that every
 * output has a size before the first evaluation. */
static gboolean
lower_integer (Lower             *L,
               const SpkExprNode *node,
               gint64            *result)
{
  Vec v;
  double value;

  if (!lower_node (L, node, &v))
    return FALSE;
  value = v.n == 1 && is_const (L, v.v[0]) ? value_at (L, v.v[0])->value : NAN;
  if (!isfinite (value) || floor (value) != value)
    {
      _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_TYPE,
                           _("an index must be a constant integer (column %u)"),
                           _spk_expr_column (L->src, node->start));
      return FALSE;
    }
  *result = (gint64) CLAMP (value, -4e18, 4e18);
  return TRUE;
}

static gboolean
lower_index (Lower             *L,
             const SpkExprNode *node,
             Vec               *out)
{
  Vec base;
  gint64 i, j;

  if (!lower_node (L, node->args[0], &base) || !lower_integer (L, node->args[1], &i))
    return FALSE;
  j = i < 0 ? i + base.n : i;
  if (j < 0 || j >= base.n)
    {
      g_autofree char *text = node_text (L, node->args[0]);

      _spk_expr_set_error (L->error, L->src, node->at, SPK_EXPR_ERROR_TYPE,
                           _("%s[%" PRId64 "] is out of range: %s has %u dimensions (column %u)"),
                           text, i, text, base.n, _spk_expr_column (L->src, node->at));
      return FALSE;
    }
  *out = vec_scalar (L, base.v[j]);
  return TRUE;
}

/* Python's slice rules: negative bounds count from the end, bounds past
 * either end are clipped, and the step may be negative. */
static gboolean
lower_slice (Lower             *L,
             const SpkExprNode *node,
             Vec               *out)
{
  Vec base;
  gint64 n, lo, hi, step = 1, count;

  if (!lower_node (L, node->args[0], &base))
    return FALSE;
  if (node->args[3] != NULL && !lower_integer (L, node->args[3], &step))
    return FALSE;
  if (step == 0)
    {
      _spk_expr_set_error (L->error, L->src, node->args[3]->start, SPK_EXPR_ERROR_TYPE,
                           _("a slice step cannot be zero (column %u)"),
                           _spk_expr_column (L->src, node->args[3]->start));
      return FALSE;
    }

  n = base.n;
  lo = step > 0 ? 0 : n - 1;
  hi = step > 0 ? n : -1;
  if (node->args[1] != NULL)
    {
      if (!lower_integer (L, node->args[1], &lo))
        return FALSE;
      if (lo < 0)
        lo = MAX (lo + n, step > 0 ? 0 : -1);
      else
        lo = MIN (lo, step > 0 ? n : n - 1);
    }
  if (node->args[2] != NULL)
    {
      if (!lower_integer (L, node->args[2], &hi))
        return FALSE;
      if (hi < 0)
        hi = MAX (hi + n, step > 0 ? 0 : -1);
      else
        hi = MIN (hi, step > 0 ? n : n - 1);
    }

  if (step > 0)
    count = hi > lo ? (hi - lo - 1) / step + 1 : 0;
  else
    count = lo > hi ? (lo - hi - 1) / -step + 1 : 0;
  if (count == 0)
    {
      g_autofree char *text = node_text (L, node);
      g_autofree char *base_text = node_text (L, node->args[0]);

      _spk_expr_set_error (L->error, L->src, node->at, SPK_EXPR_ERROR_TYPE,
                           _("%s is empty: %s has %u dimensions (column %u)"),
                           text, base_text, base.n, _spk_expr_column (L->src, node->at));
      return FALSE;
    }

  *out = vec_new (L, (guint) count);
  for (gint64 k = 0; k < count; k++)
    out->v[k] = base.v[lo + k * step];
  return TRUE;
}

/* Columns are counted only for a message: counting them for every name
 * made a long expression take quadratic time. */
static gboolean
lower_name (Lower             *L,
            const SpkExprNode *node,
            Vec               *out)
{
  const char *bare = strip_module (node->name);
  const char *names[G_N_ELEMENTS (constants) + 2] = { "t", "x" };
  const char *hint;

  if (strcmp (node->name, "t") == 0)
    {
      IrValue value = { .op = SPK_EXPR_OP_TIME, .kind = KIND_UNIFORM };
      IrKey key = { SPK_EXPR_OP_TIME, 0, 0, 0 };

      *out = vec_scalar (L, push_value (L, &value, &key));
      return TRUE;
    }
  if (strcmp (node->name, "x") == 0)
    {
      if (L->size_in == 0)
        {
          _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                               _("x is not available here: this expression has no input (column %u)"),
                               _spk_expr_column (L->src, node->start));
          return FALSE;
        }
      *out = vec_new (L, L->size_in);
      for (guint i = 0; i < L->size_in; i++)
        {
          IrValue value = { .op = SPK_EXPR_OP_LOAD, .kind = KIND_VARYING, .args = { i } };
          IrKey key = { SPK_EXPR_OP_LOAD, i, 0, 0 };

          out->v[i] = push_value (L, &value, &key);
        }
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (constants); i++)
    {
      names[i + 2] = constants[i].name;
      if (strcmp (bare, constants[i].name) == 0)
        {
          *out = vec_scalar (L, emit_const (L, constants[i].value));
          return TRUE;
        }
    }

  if (find_function (node->name) != NULL)
    {
      _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                           _("'%s' is a function: call it as %s(…) (column %u)"),
                           node->name, node->name, _spk_expr_column (L->src, node->start));
      return FALSE;
    }

  hint = suggest (bare, names, G_N_ELEMENTS (names));
  if (hint != NULL)
    _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                         _("unknown name '%s' at column %u — did you mean '%s'?"),
                         node->name, _spk_expr_column (L->src, node->start), hint);
  else
    _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                         _("unknown name '%s' at column %u"), node->name, _spk_expr_column (L->src, node->start));
  return FALSE;
}

static gboolean
lookup_function (Lower             *L,
                 const SpkExprNode *node,
                 const Function   **fn)
{
  const char *names[G_N_ELEMENTS (functions)];
  const char *bare = strip_module (node->name);
  const char *hint;

  *fn = find_function (node->name);
  if (*fn != NULL)
    {
      if (node->n_args >= (*fn)->min_args && node->n_args <= (*fn)->max_args)
        return TRUE;
      if ((*fn)->min_args != (*fn)->max_args)
        _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_TYPE,
                             _("%s takes %u or %u arguments, not %u (column %u)"),
                             node->name, (*fn)->min_args, (*fn)->max_args,
                             node->n_args, _spk_expr_column (L->src, node->start));
      else
        _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_TYPE,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "%s takes %u argument, not %u (column %u)",
                                          "%s takes %u arguments, not %u (column %u)",
                                          (*fn)->min_args),
                             node->name, (*fn)->min_args, node->n_args, _spk_expr_column (L->src, node->start));
      return FALSE;
    }

  if (strcmp (node->name, "t") == 0 || strcmp (node->name, "x") == 0)
    {
      _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                           _("'%s' is not a function (column %u)"), node->name, _spk_expr_column (L->src, node->start));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (constants); i++)
    if (strcmp (bare, constants[i].name) == 0)
      {
        _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                             _("'%s' is not a function (column %u)"), node->name, _spk_expr_column (L->src, node->start));
        return FALSE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    names[i] = functions[i].name;
  hint = suggest (bare, names, G_N_ELEMENTS (names));
  if (hint != NULL)
    _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                         _("unknown function '%s' at column %u — did you mean '%s'?"),
                         node->name, _spk_expr_column (L->src, node->start), hint);
  else
    _spk_expr_set_error (L->error, L->src, node->start, SPK_EXPR_ERROR_NAME,
                         _("unknown function '%s' at column %u"), node->name, _spk_expr_column (L->src, node->start));
  return FALSE;
}

static gboolean
lower_call (Lower             *L,
            const SpkExprNode *node,
            Vec               *out)
{
  const Function *fn;
  Vec args[3];

  if (!lookup_function (L, node, &fn))
    return FALSE;
  for (guint i = 0; i < node->n_args; i++)
    if (!lower_node (L, node->args[i], &args[i]))
      return FALSE;

  switch (fn->kind)
    {
    case FN_UNARY:
    case FN_BINARY:
      return elementwise (L, fn->op, node->start, args, node->n_args, out);

    case FN_SQUARE:
      args[1] = args[0];
      return elementwise (L, SPK_EXPR_OP_MUL, node->start, args, 2, out);

    case FN_MINMAX:
      if (node->n_args == 2)
        return elementwise (L, fn->op, node->start, args, 2, out);
      *out = vec_scalar (L, reduce (L, fn->op, &args[0]));
      return TRUE;

    case FN_CLIP:
      {
        Vec lower_bounded;

        if (!elementwise (L, SPK_EXPR_OP_MAX, node->start, args, 2, &lower_bounded))
          return FALSE;
        args[1] = args[2];
        args[0] = lower_bounded;
        return elementwise (L, SPK_EXPR_OP_MIN, node->start, args, 2, out);
      }

    case FN_WHERE:
      return elementwise (L, SPK_EXPR_OP_SELECT, node->start, args, 3, out);

    case FN_NORM:
    case FN_SUM:
    case FN_MEAN:
      {
        Vec terms = args[0];
        guint acc;

        if (fn->kind == FN_NORM)
          {
            args[1] = args[0];
            if (!elementwise (L, SPK_EXPR_OP_MUL, node->start, args, 2, &terms))
              return FALSE;
          }
        acc = reduce (L, SPK_EXPR_OP_ADD, &terms);
        if (fn->kind == FN_NORM)
          acc = emit (L, SPK_EXPR_OP_SQRT, acc, 0, 0);
        else if (fn->kind == FN_MEAN)
          acc = emit (L, SPK_EXPR_OP_DIV, acc, emit_const (L, terms.n), 0);
        *out = vec_scalar (L, acc);
        return TRUE;
      }

    case FN_DOT:
      {
        Vec products;

        /* numpy's dot of a scalar and a vector is their product. */
        if (args[0].n == 1 || args[1].n == 1)
          return elementwise (L, SPK_EXPR_OP_MUL, node->start, args, 2, out);
        if (args[0].n != args[1].n)
          return fail_mismatch (L, node->start, args[0].n, args[1].n);
        if (!elementwise (L, SPK_EXPR_OP_MUL, node->start, args, 2, &products))
          return FALSE;
        *out = vec_scalar (L, reduce (L, SPK_EXPR_OP_ADD, &products));
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
lower_node (Lower             *L,
            const SpkExprNode *node,
            Vec               *out)
{
  Vec args[3];

  switch (node->kind)
    {
    case SPK_EXPR_NODE_NUMBER:
      *out = vec_scalar (L, emit_const (L, node->number));
      return TRUE;

    case SPK_EXPR_NODE_NAME:
      return lower_name (L, node, out);

    case SPK_EXPR_NODE_UNARY:
    case SPK_EXPR_NODE_BINARY:
    case SPK_EXPR_NODE_TERNARY:
      for (guint i = 0; i < node->n_args; i++)
        if (!lower_node (L, node->args[i], &args[i]))
          return FALSE;
      return elementwise (L,
                          node->kind == SPK_EXPR_NODE_TERNARY ? SPK_EXPR_OP_SELECT : node->op,
                          node->at, args, node->n_args, out);

    case SPK_EXPR_NODE_CALL:
      return lower_call (L, node, out);

    case SPK_EXPR_NODE_INDEX:
      return lower_index (L, node, out);

    case SPK_EXPR_NODE_SLICE:
      return lower_slice (L, node, out);

    case SPK_EXPR_NODE_LIST:
      {
        g_autofree Vec *items = g_new (Vec, node->n_args);
        guint64 n = 0;

        for (guint i = 0; i < node->n_args; i++)
          {
            if (!lower_node (L, node->args[i], &items[i]))
              return FALSE;
            n += items[i].n;
          }
        *out = vec_new (L, (guint) n);
        n = 0;
        for (guint i = 0; i < node->n_args; i++)
          {
            memcpy (out->v + n, items[i].v, items[i].n * sizeof (guint));
            n += items[i].n;
          }
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  Lower        *L;
  const Vec    *out;
  guint        *slot;      /* per value, G_MAXUINT if not in a slot */
  guint        *reg;       /* per value, G_MAXUINT if not in a register */
  guint        *remaining; /* per value: reads not yet emitted */
  guint        *op_uses;   /* per value: reads as an operand */
  guint        *out_uses;  /* per value: outputs it is */
  guint        *fused;     /* per sum: its product operand, or G_MAXUINT */
  GArray       *free_regs;
  guint         n_regs;
  GArray       *varying;
} Assembly;

static guint
take_register (Assembly *A)
{
  guint r;

  if (A->free_regs->len == 0)
    return A->n_regs++;
  r = g_array_index (A->free_regs, guint, A->free_regs->len - 1);
  g_array_set_size (A->free_regs, A->free_regs->len - 1);
  return r;
}

static void
release (Assembly *A,
         guint     id)
{
  if (A->reg[id] != G_MAXUINT && --A->remaining[id] == 0)
    g_array_append_val (A->free_regs, A->reg[id]);
}

static void
place_of (Assembly *A,
          guint     id,
          guint8   *place,
          guint    *index)
{
  const IrValue *value = value_at (A->L, id);

  if (A->slot[id] != G_MAXUINT)
    {
      *place = SPK_EXPR_AT_SLOT;
      *index = A->slot[id];
    }
  else if (value->op == SPK_EXPR_OP_LOAD)
    {
      *place = SPK_EXPR_AT_X;
      *index = value->args[0];
    }
  else
    {
      g_assert (A->reg[id] != G_MAXUINT);
      *place = SPK_EXPR_AT_REG;
      *index = A->reg[id];
    }
}

static void
emit_store (Assembly *A,
            guint     k,
            guint     id)
{
  SpkExprInstr in = { .op = SPK_EXPR_OP_STORE };

  in.place[0] = SPK_EXPR_AT_OUT;
  in.index[0] = k;
  place_of (A, id, &in.place[1], &in.index[1]);
  g_array_append_val (A->varying, in);
}

static void
emit_varying (Assembly *A,
              guint     id)
{
  const IrValue *value = value_at (A->L, id);
  SpkExprInstr in = { .op = value->op };
  guint args[3] = { value->args[0], value->args[1], value->args[2] };
  guint n = n_operands (value->op);

  if (A->fused[id] != G_MAXUINT)
    {
      const IrValue *product = value_at (A->L, A->fused[id]);

      in.op = SPK_EXPR_OP_MADD;
      args[2] = args[0] == A->fused[id] ? args[1] : args[0];
      args[0] = product->args[0];
      args[1] = product->args[1];
      n = 3;
    }
  for (guint i = 0; i < n; i++)
    place_of (A, args[i], &in.place[i + 1], &in.index[i + 1]);

  /* A value that is one output and nothing else is computed straight
   * into the output, which saves a pass over the chunk. */
  if (A->op_uses[id] == 0 && A->out_uses[id] == 1)
    {
      in.place[0] = SPK_EXPR_AT_OUT;
      for (guint k = 0; k < A->out->n; k++)
        if (A->out->v[k] == id)
          in.index[0] = k;
    }
  else
    {
      /* Taken before the operands are released, so that a result never
       * overwrites its operands and the kernels can assume restrict. */
      A->reg[id] = take_register (A);
      in.place[0] = SPK_EXPR_AT_REG;
      in.index[0] = A->reg[id];
    }
  for (guint i = 0; i < n; i++)
    release (A, args[i]);
  g_array_append_val (A->varying, in);

  if (in.place[0] == SPK_EXPR_AT_REG)
    for (guint k = 0; k < A->out->n; k++)
      if (A->out->v[k] == id)
        {
          emit_store (A, k, id);
          release (A, id);
        }
}

static SpkExpr *
assemble (Lower     *L,
          const Vec *out)
{
  guint n_values = L->values->len;
  g_autofree gboolean *live = g_new0 (gboolean, n_values);
  g_autofree guint *slot = g_new (guint, n_values);
  g_autofree guint *reg = g_new (guint, n_values);
  g_autofree guint *remaining = g_new0 (guint, n_values);
  g_autofree guint *op_uses = g_new0 (guint, n_values);
  g_autofree guint *out_uses = g_new0 (guint, n_values);
  g_autofree guint *fused = g_new (guint, n_values);
  g_autofree gboolean *absorbed = g_new0 (gboolean, n_values);
  g_autoptr(GArray) slot_init = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GArray) uniform = g_array_new (FALSE, TRUE, sizeof (SpkExprInstr));
  g_autoptr(GArray) varying = g_array_new (FALSE, TRUE, sizeof (SpkExprInstr));
  g_autoptr(GArray) free_regs = g_array_new (FALSE, FALSE, sizeof (guint));
  Assembly A = { L, out, slot, reg, remaining, op_uses, out_uses, fused, free_regs, 0, varying };
  SpkExpr *self;

  for (guint k = 0; k < out->n; k++)
    {
      live[out->v[k]] = TRUE;
      remaining[out->v[k]]++;
      out_uses[out->v[k]]++;
    }
  for (guint id = n_values; id-- > 0;)
    {
      const IrValue *value = value_at (L, id);

      if (!live[id] || value->op == SPK_EXPR_OP_LOAD || value->op == SPK_EXPR_OP_CONST
          || value->op == SPK_EXPR_OP_TIME)
        continue;
      for (guint i = 0; i < n_operands (value->op); i++)
        {
          live[value->args[i]] = TRUE;
          remaining[value->args[i]]++;
          op_uses[value->args[i]]++;
        }
    }

  self = g_atomic_rc_box_new0 (SpkExpr);
  self->size_out = out->n;
  self->time_slot = G_MAXUINT;

  for (guint id = 0; id < n_values; id++)
    {
      const IrValue *value = value_at (L, id);
      double init = value->kind == KIND_CONST ? value->value : 0.0;

      slot[id] = reg[id] = G_MAXUINT;
      if (!live[id])
        continue;
      if (value->op == SPK_EXPR_OP_LOAD)
        self->uses_input = TRUE;
      if (value->kind == KIND_VARYING)
        continue;
      slot[id] = slot_init->len;
      g_array_append_val (slot_init, init);
      if (value->op == SPK_EXPR_OP_TIME)
        {
          self->time_slot = slot[id];
          self->uses_time = TRUE;
        }
      else if (value->kind == KIND_UNIFORM)
        {
          SpkExprInstr in = { .op = value->op };

          in.index[0] = slot[id];
          for (guint i = 0; i < n_operands (value->op); i++)
            in.index[i + 1] = slot[value->args[i]];
          g_array_append_val (uniform, in);
        }
    }

  /* A varying product read only by one varying sum is computed inside
   * it, one pass over the chunk instead of two.  Its operands are then
   * read by the sum, which takes over the product's claim on them. */
  for (guint id = 0; id < n_values; id++)
    {
      const IrValue *value = value_at (L, id);

      fused[id] = G_MAXUINT;
      if (!live[id] || value->kind != KIND_VARYING || value->op != SPK_EXPR_OP_ADD)
        continue;
      for (guint i = 0; i < 2; i++)
        {
          guint arg = value->args[i];
          const IrValue *product = value_at (L, arg);

          if (product->op == SPK_EXPR_OP_MUL && product->kind == KIND_VARYING
              && op_uses[arg] == 1 && out_uses[arg] == 0 && !absorbed[arg]
              && value->args[1 - i] != arg)
            {
              fused[id] = arg;
              absorbed[arg] = TRUE;
              break;
            }
        }
    }

  /* Outputs that are constants, functions of t or columns of x are
   * copied first; everything else is stored where it is computed. */
  for (guint k = 0; k < out->n; k++)
    if (slot[out->v[k]] != G_MAXUINT || value_at (L, out->v[k])->op == SPK_EXPR_OP_LOAD)
      emit_store (&A, k, out->v[k]);

  for (guint id = 0; id < n_values; id++)
    {
      const IrValue *value = value_at (L, id);

      if (live[id] && value->kind == KIND_VARYING && value->op != SPK_EXPR_OP_LOAD
          && !absorbed[id])
        emit_varying (&A, id);
    }

  self->n_slots = slot_init->len;
  self->slot_init = (double *) g_array_free (g_steal_pointer (&slot_init), FALSE);
  self->n_uniform = uniform->len;
  self->uniform = (SpkExprInstr *) g_array_free (g_steal_pointer (&uniform), FALSE);
  self->n_regs = A.n_regs;
  self->n_varying = varying->len;
  self->varying = (SpkExprInstr *) g_array_free (g_steal_pointer (&varying), FALSE);
  return self;
}

SpkExpr *
_spk_expr_lower (const char        *source,
                 const SpkExprNode *root,
                 guint              size_in,
                 GError           **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (IrValue));
  g_autoptr(GHashTable) shared = g_hash_table_new_full (key_hash, key_equal, g_free, NULL);
  g_autoptr(GPtrArray) arena = g_ptr_array_new_with_free_func (g_free);
  Lower L = { source, size_in, error, values, shared, arena };
  SpkExpr *self;
  Vec out;

  if (!lower_node (&L, root, &out))
    return NULL;
  self = assemble (&L, &out);
  self->size_in = size_in;
  return self;
}
