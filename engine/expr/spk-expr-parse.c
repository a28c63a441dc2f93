/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-expr-parse.c — text to syntax tree for the expression language.
 *
 * Three passes over the source, each able to name the column of what it
 * refuses: the lexer cuts tokens, a bracket check pairs every `(` and `[`
 * (so "unbalanced parenthesis" points at the bracket that is really
 * alone, not at wherever the parser gave up), and a recursive-descent
 * parser builds the tree.  Precedence follows Python, with C's `?:` below
 * everything: `?:`, `or`, `and`, `not`, comparisons (chained as in
 * Python), `+ -`, `* / %`, unary `- +`, `** ^` (right-associative and
 * tighter than a unary minus on its left), then calls and indexing.
 * The parser only checks syntax; names and shapes are the lowering's.
 */
#define G_LOG_DOMAIN "spk-expr"

#include "spk-expr-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

typedef enum
{
  TOK_END,
  TOK_NUMBER,
  TOK_NAME,
  TOK_AND,
  TOK_OR,
  TOK_NOT,
  TOK_PLUS,
  TOK_MINUS,
  TOK_STAR,
  TOK_SLASH,
  TOK_PERCENT,
  TOK_POW,
  TOK_LT,
  TOK_LE,
  TOK_GT,
  TOK_GE,
  TOK_EQ,
  TOK_NE,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_LBRACKET,
  TOK_RBRACKET,
  TOK_COMMA,
  TOK_COLON,
  TOK_QUESTION,
} TokenType;

typedef struct
{
  TokenType type;
  gsize     start;
  gsize     end;
  double    number;
} Token;

typedef struct
{
  const char *src;
  GArray     *tokens;
  guint       pos;
  GPtrArray  *arena;
  GError    **error;
  guint       level;
} Parser;

guint
_spk_expr_column (const char *source,
                  gsize       offset)
{
  return (guint) g_utf8_strlen (source, (gssize) offset) + 1;
}

/* The message comes first, then the source and a caret under the
 * column, indented so that the two lines read as a quotation.  Control
 * characters print as spaces so that the caret stays aligned.  A long
 * source is quoted only around the error, SPK_EXPR_QUOTE_CONTEXT
 * characters either side with "…" where it was cut, so that a 100 KB
 * expression does not fill an error dialog. */
void
_spk_expr_set_error (GError     **error,
                     const char  *source,
                     gsize        offset,
                     SpkExprError code,
                     const char  *format,
                     ...)
{
  g_autofree char *message = NULL;
  g_autoptr(GString) text = NULL;
  guint column = _spk_expr_column (source, offset);
  guint length, first, last;
  const char *begin, *end;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  length = (guint) g_utf8_strlen (source, -1);
  first = column - 1 > SPK_EXPR_QUOTE_CONTEXT ? column - 1 - SPK_EXPR_QUOTE_CONTEXT : 0;
  last = MIN (length, column + SPK_EXPR_QUOTE_CONTEXT);
  begin = g_utf8_offset_to_pointer (source, first);
  end = g_utf8_offset_to_pointer (begin, last - first);

  text = g_string_new (message);
  g_string_append (text, "\n  ");
  if (first > 0)
    g_string_append (text, "…");
  for (const char *p = begin; p < end; p++)
    g_string_append_c (text, (guchar) *p < ' ' ? ' ' : *p);
  if (last < length)
    g_string_append (text, "…");
  g_string_append (text, "\n  ");
  for (guint i = first > 0 ? first : 1; i < column; i++)
    g_string_append_c (text, ' ');
  g_string_append_c (text, '^');

  g_set_error_literal (error, SPK_EXPR_ERROR, code, text->str);
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gboolean
lex_number (const char *src,
            gsize      *pos,
            Token      *tok,
            GError    **error)
{
  gsize p = *pos;
  gboolean ok = TRUE;
  g_autofree char *text = NULL;

  while (g_ascii_isdigit (src[p]))
    p++;
  if (src[p] == '.')
    {
      p++;
      while (g_ascii_isdigit (src[p]))
        p++;
    }
  if (src[p] == 'e' || src[p] == 'E')
    {
      p++;
      if (src[p] == '+' || src[p] == '-')
        p++;
      ok = g_ascii_isdigit (src[p]);
      while (g_ascii_isdigit (src[p]))
        p++;
    }
  /* `2pi` or `1.2.3` is a typo rather than two tokens; report it whole. */
  while (is_name_char (src[p]) || src[p] == '.')
    {
      ok = FALSE;
      p++;
    }

  text = g_strndup (src + *pos, p - *pos);
  if (!ok)
    {
      _spk_expr_set_error (error, src, *pos, SPK_EXPR_ERROR_SYNTAX,
                           _("malformed number '%s' at column %u"),
                           text, _spk_expr_column (src, *pos));
      return FALSE;
    }

  tok->type = TOK_NUMBER;
  tok->number = g_ascii_strtod (text, NULL);
  *pos = p;
  return TRUE;
}

static gboolean
lex_operator (const char *src,
              gsize      *pos,
              Token      *tok,
              GError    **error)
{
  static const struct { const char *text; TokenType type; } ops[] = {
    { "**", TOK_POW }, { "<=", TOK_LE }, { ">=", TOK_GE }, { "==", TOK_EQ },
    { "!=", TOK_NE }, { "+", TOK_PLUS }, { "-", TOK_MINUS }, { "*", TOK_STAR },
    { "/", TOK_SLASH }, { "%", TOK_PERCENT }, { "^", TOK_POW }, { "<", TOK_LT },
    { ">", TOK_GT }, { "(", TOK_LPAREN }, { ")", TOK_RPAREN },
    { "[", TOK_LBRACKET }, { "]", TOK_RBRACKET }, { ",", TOK_COMMA },
    { ":", TOK_COLON }, { "?", TOK_QUESTION },
  };
  g_autofree char *bad = NULL;
  const char *next;

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      gsize len = strlen (ops[i].text);

      if (strncmp (src + *pos, ops[i].text, len) == 0)
        {
          tok->type = ops[i].type;
          *pos += len;
          return TRUE;
        }
    }

  next = g_utf8_next_char (src + *pos);
  bad = g_strndup (src + *pos, (gsize) (next - (src + *pos)));
  _spk_expr_set_error (error, src, *pos, SPK_EXPR_ERROR_SYNTAX,
                       _("unexpected character '%s' at column %u"),
                       bad, _spk_expr_column (src, *pos));
  return FALSE;
}

/* Dotted names (`np.sin`, `math.pi`) are one token: the lowering decides
 * which prefixes are harmless. */
static void
lex_name (const char *src,
          gsize      *pos,
          Token      *tok)
{
  gsize p = *pos;

  for (;;)
    {
      while (is_name_char (src[p]))
        p++;
      if (src[p] == '.' && is_name_start (src[p + 1]))
        p++;
      else
        break;
    }

  tok->type = TOK_NAME;
  if (p - *pos == 3 && strncmp (src + *pos, "and", 3) == 0)
    tok->type = TOK_AND;
  else if (p - *pos == 2 && strncmp (src + *pos, "or", 2) == 0)
    tok->type = TOK_OR;
  else if (p - *pos == 3 && strncmp (src + *pos, "not", 3) == 0)
    tok->type = TOK_NOT;
  *pos = p;
}

static GArray *
lex (const char *src,
     GError    **error)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  gsize pos = 0;

  for (;;)
    {
      Token tok = { 0 };
      gboolean ok = TRUE;

      while (src[pos] == ' ' || src[pos] == '\t' || src[pos] == '\n' || src[pos] == '\r')
        pos++;
      tok.start = pos;
      if (src[pos] == '\0')
        {
          tok.type = TOK_END;
          tok.end = pos;
          g_array_append_val (tokens, tok);
          return g_steal_pointer (&tokens);
        }
      if (g_ascii_isdigit (src[pos]) || (src[pos] == '.' && g_ascii_isdigit (src[pos + 1])))
        ok = lex_number (src, &pos, &tok, error);
      else if (is_name_start (src[pos]))
        lex_name (src, &pos, &tok);
      else
        ok = lex_operator (src, &pos, &tok, error);
      if (!ok)
        return NULL;
      tok.end = pos;
      g_array_append_val (tokens, tok);
    }
}

/* The error for tok, a parenthesis or bracket without its partner. */
static gboolean
unbalanced (const char   *src,
            const Token  *tok,
            GError      **error)
{
  if (tok->type == TOK_LPAREN || tok->type == TOK_RPAREN)
    _spk_expr_set_error (error, src, tok->start, SPK_EXPR_ERROR_SYNTAX,
                         _("unbalanced parenthesis at column %u"),
                         _spk_expr_column (src, tok->start));
  else
    _spk_expr_set_error (error, src, tok->start, SPK_EXPR_ERROR_SYNTAX,
                         _("unbalanced bracket at column %u"),
                         _spk_expr_column (src, tok->start));
  return FALSE;
}

static gboolean
check_brackets (const char *src,
                GArray     *tokens,
                GError    **error)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < tokens->len; i++)
    {
      const Token *tok = &g_array_index (tokens, Token, i);
      const Token *opener;
      TokenType want;

      if (tok->type == TOK_LPAREN || tok->type == TOK_LBRACKET)
        {
          g_array_append_val (open, i);
          continue;
        }
      if (tok->type != TOK_RPAREN && tok->type != TOK_RBRACKET)
        continue;

      want = tok->type == TOK_RPAREN ? TOK_LPAREN : TOK_LBRACKET;
      opener = open->len > 0
        ? &g_array_index (tokens, Token, g_array_index (open, guint, open->len - 1))
        : NULL;
      if (opener == NULL || opener->type != want)
        {
          /* A closer with no partner of its kind is what is unbalanced. */
          return unbalanced (src, tok, error);
        }
      g_array_set_size (open, open->len - 1);
    }

  if (open->len > 0)
    {
      const Token *tok = &g_array_index (tokens, Token,
                                         g_array_index (open, guint, open->len - 1));

      return unbalanced (src, tok, error);
    }
  return TRUE;
}

static const Token *
peek (Parser *p)
{
  return &g_array_index (p->tokens, Token, p->pos);
}

static const Token *
advance (Parser *p)
{
  const Token *tok = peek (p);

  if (tok->type != TOK_END)
    p->pos++;
  return tok;
}

static gboolean
accept (Parser    *p,
        TokenType  type)
{
  if (peek (p)->type != type)
    return FALSE;
  advance (p);
  return TRUE;
}

static void
fail_unexpected (Parser *p)
{
  const Token *tok = peek (p);
  g_autofree char *text = NULL;

  if (tok->type == TOK_END)
    {
      _spk_expr_set_error (p->error, p->src, tok->start, SPK_EXPR_ERROR_SYNTAX,
                           _("unexpected end of expression at column %u"),
                           _spk_expr_column (p->src, tok->start));
      return;
    }
  text = g_strndup (p->src + tok->start, tok->end - tok->start);
  _spk_expr_set_error (p->error, p->src, tok->start, SPK_EXPR_ERROR_SYNTAX,
                       _("unexpected '%s' at column %u"),
                       text, _spk_expr_column (p->src, tok->start));
}

static gboolean
expect (Parser    *p,
        TokenType  type)
{
  if (accept (p, type))
    return TRUE;
  fail_unexpected (p);
  return FALSE;
}

static SpkExprNode *
node_new (Parser          *p,
          SpkExprNodeKind  kind,
          gsize            start,
          gsize            at,
          guint            n_args,
          ...)
{
  SpkExprNode *node = g_new0 (SpkExprNode, 1);
  va_list args;

  g_ptr_array_add (p->arena, node);
  node->kind = kind;
  node->start = start;
  node->at = at;
  node->n_args = n_args;
  node->end = p->pos > 0 ? g_array_index (p->tokens, Token, p->pos - 1).end : start;
  if (n_args > 0)
    {
      node->args = g_new0 (SpkExprNode *, n_args);
      g_ptr_array_add (p->arena, node->args);
    }

  va_start (args, n_args);
  for (guint i = 0; i < n_args; i++)
    {
      node->args[i] = va_arg (args, SpkExprNode *);
      if (node->args[i] != NULL)
        node->depth = MAX (node->depth, node->args[i]->depth);
    }
  va_end (args);
  node->depth++;

  if (node->depth > SPK_EXPR_MAX_DEPTH)
    {
      _spk_expr_set_error (p->error, p->src, at, SPK_EXPR_ERROR_SYNTAX,
                           _("the expression is nested too deeply (column %u)"),
                           _spk_expr_column (p->src, at));
      return NULL;
    }
  return node;
}

static SpkExprNode *parse_ternary (Parser *p);
static SpkExprNode *parse_unary (Parser *p);

/* The parser recurses before the nodes that would carry a depth exist, so
 * it counts its own nesting too; on TRUE the caller must not leave(). */
static gboolean
enter (Parser *p)
{
  if (++p->level <= SPK_EXPR_MAX_DEPTH)
    return FALSE;
  p->level--;
  _spk_expr_set_error (p->error, p->src, peek (p)->start, SPK_EXPR_ERROR_SYNTAX,
                       _("the expression is nested too deeply (column %u)"),
                       _spk_expr_column (p->src, peek (p)->start));
  return TRUE;
}

static void
leave (Parser *p)
{
  p->level--;
}

static SpkExprNode *
parse_list (Parser *p,
            gsize   start)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  SpkExprNode *node;

  if (peek (p)->type == TOK_RBRACKET)
    {
      _spk_expr_set_error (p->error, p->src, start, SPK_EXPR_ERROR_SYNTAX,
                           _("an empty vector has no value (column %u)"),
                           _spk_expr_column (p->src, start));
      return NULL;
    }
  do
    {
      SpkExprNode *item;

      /* A trailing comma, as Python allows: `[a, b,]`. */
      if (items->len > 0 && peek (p)->type == TOK_RBRACKET)
        break;
      item = parse_ternary (p);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }
  while (accept (p, TOK_COMMA));
  if (!expect (p, TOK_RBRACKET))
    return NULL;

  node = node_new (p, SPK_EXPR_NODE_LIST, start, start, 0);
  node->n_args = items->len;
  node->args = (SpkExprNode **) g_ptr_array_free (g_steal_pointer (&items), FALSE);
  g_ptr_array_add (p->arena, node->args);
  for (guint i = 0; i < node->n_args; i++)
    node->depth = MAX (node->depth, node->args[i]->depth + 1);
  return node;
}

static SpkExprNode *
parse_primary (Parser *p)
{
  const Token *tok = peek (p);
  SpkExprNode *node;

  switch (tok->type)
    {
    case TOK_NUMBER:
      advance (p);
      node = node_new (p, SPK_EXPR_NODE_NUMBER, tok->start, tok->start, 0);
      node->number = tok->number;
      return node;

    case TOK_NAME:
      advance (p);
      node = node_new (p, SPK_EXPR_NODE_NAME, tok->start, tok->start, 0);
      node->name = g_strndup (p->src + tok->start, tok->end - tok->start);
      g_ptr_array_add (p->arena, node->name);
      return node;

    case TOK_LPAREN:
      advance (p);
      node = parse_ternary (p);
      if (node == NULL || !expect (p, TOK_RPAREN))
        return NULL;
      /* The span grows to the parentheses so that `(x)[3]` quotes well. */
      node->start = tok->start;
      node->end = g_array_index (p->tokens, Token, p->pos - 1).end;
      return node;

    case TOK_LBRACKET:
      advance (p);
      return parse_list (p, tok->start);

    case TOK_END:
    case TOK_AND:
    case TOK_OR:
    case TOK_NOT:
    case TOK_PLUS:
    case TOK_MINUS:
    case TOK_STAR:
    case TOK_SLASH:
    case TOK_PERCENT:
    case TOK_POW:
    case TOK_LT:
    case TOK_LE:
    case TOK_GT:
    case TOK_GE:
    case TOK_EQ:
    case TOK_NE:
    case TOK_RPAREN:
    case TOK_RBRACKET:
    case TOK_COMMA:
    case TOK_COLON:
    case TOK_QUESTION:
    default:
      fail_unexpected (p);
      return NULL;
    }
}

static SpkExprNode *
parse_call (Parser      *p,
            SpkExprNode *callee)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  SpkExprNode *node;

  if (!accept (p, TOK_RPAREN))
    {
      do
        {
          SpkExprNode *arg = parse_ternary (p);

          if (arg == NULL)
            return NULL;
          g_ptr_array_add (args, arg);
        }
      while (accept (p, TOK_COMMA));
      if (!expect (p, TOK_RPAREN))
        return NULL;
    }

  node = node_new (p, SPK_EXPR_NODE_CALL, callee->start, callee->start, 0);
  node->name = callee->name;
  node->n_args = args->len;
  node->args = (SpkExprNode **) g_ptr_array_free (g_steal_pointer (&args), FALSE);
  g_ptr_array_add (p->arena, node->args);
  for (guint i = 0; i < node->n_args; i++)
    node->depth = MAX (node->depth, node->args[i]->depth + 1);
  return node;
}

static SpkExprNode *
parse_subscript (Parser      *p,
                 SpkExprNode *base,
                 gsize        at)
{
  SpkExprNode *lo = NULL, *hi = NULL, *step = NULL;

  if (peek (p)->type != TOK_COLON)
    {
      lo = parse_ternary (p);
      if (lo == NULL)
        return NULL;
      if (accept (p, TOK_RBRACKET))
        return node_new (p, SPK_EXPR_NODE_INDEX, base->start, lo->start, 2, base, lo);
    }
  if (!expect (p, TOK_COLON))
    return NULL;
  if (peek (p)->type != TOK_COLON && peek (p)->type != TOK_RBRACKET)
    {
      hi = parse_ternary (p);
      if (hi == NULL)
        return NULL;
    }
  if (accept (p, TOK_COLON) && peek (p)->type != TOK_RBRACKET)
    {
      step = parse_ternary (p);
      if (step == NULL)
        return NULL;
    }
  if (!expect (p, TOK_RBRACKET))
    return NULL;
  return node_new (p, SPK_EXPR_NODE_SLICE, base->start, at, 4, base, lo, hi, step);
}

static SpkExprNode *
parse_postfix (Parser *p)
{
  SpkExprNode *node = parse_primary (p);

  while (node != NULL)
    {
      const Token *tok = peek (p);

      if (tok->type == TOK_LPAREN && node->kind == SPK_EXPR_NODE_NAME)
        {
          advance (p);
          node = parse_call (p, node);
        }
      else if (tok->type == TOK_LBRACKET)
        {
          advance (p);
          node = parse_subscript (p, node, tok->end);
        }
      else
        break;
    }
  return node;
}

static SpkExprNode *
parse_power (Parser *p)
{
  SpkExprNode *base = parse_postfix (p);
  const Token *tok;
  SpkExprNode *exponent;
  SpkExprNode *node;

  if (base == NULL || peek (p)->type != TOK_POW)
    return base;
  tok = advance (p);
  /* The exponent is a unary expression, so `2**-1` works and `2**3**2`
   * nests to the right. */
  if (enter (p))
    return NULL;
  exponent = parse_unary (p);
  leave (p);
  if (exponent == NULL)
    return NULL;
  node = node_new (p, SPK_EXPR_NODE_BINARY, base->start, tok->start, 2, base, exponent);
  if (node != NULL)
    node->op = SPK_EXPR_OP_POW;
  return node;
}

static SpkExprNode *
parse_unary (Parser *p)
{
  const Token *tok = peek (p);
  SpkExprNode *operand;
  SpkExprNode *node;

  if (tok->type != TOK_MINUS && tok->type != TOK_PLUS)
    return parse_power (p);

  advance (p);
  if (enter (p))
    return NULL;
  operand = parse_unary (p);
  leave (p);
  if (operand == NULL || tok->type == TOK_PLUS)
    return operand;
  node = node_new (p, SPK_EXPR_NODE_UNARY, tok->start, tok->start, 1, operand);
  if (node != NULL)
    node->op = SPK_EXPR_OP_NEG;
  return node;
}

typedef SpkExprNode *(*ParseFunc) (Parser *p);

/* One left-associative level: operand (op operand)*. */
static SpkExprNode *
parse_left (Parser          *p,
            ParseFunc        operand,
            const TokenType *types,
            const SpkExprOp *ops,
            guint            n_ops)
{
  SpkExprNode *left = operand (p);

  while (left != NULL)
    {
      const Token *tok = peek (p);
      SpkExprNode *right;
      guint i;

      for (i = 0; i < n_ops; i++)
        if (types[i] == tok->type)
          break;
      if (i == n_ops)
        break;
      advance (p);
      right = operand (p);
      if (right == NULL)
        return NULL;
      left = node_new (p, SPK_EXPR_NODE_BINARY, left->start, tok->start, 2, left, right);
      if (left != NULL)
        left->op = ops[i];
    }
  return left;
}

static SpkExprNode *
parse_multiplicative (Parser *p)
{
  static const TokenType types[] = { TOK_STAR, TOK_SLASH, TOK_PERCENT };
  static const SpkExprOp ops[] = { SPK_EXPR_OP_MUL, SPK_EXPR_OP_DIV, SPK_EXPR_OP_MOD };

  return parse_left (p, parse_unary, types, ops, G_N_ELEMENTS (ops));
}

static SpkExprNode *
parse_additive (Parser *p)
{
  static const TokenType types[] = { TOK_PLUS, TOK_MINUS };
  static const SpkExprOp ops[] = { SPK_EXPR_OP_ADD, SPK_EXPR_OP_SUB };

  return parse_left (p, parse_multiplicative, types, ops, G_N_ELEMENTS (ops));
}

/* Python chains comparisons: `0 < x < 1` means `0 < x and x < 1`. */
static SpkExprNode *
parse_comparison (Parser *p)
{
  static const TokenType types[] = { TOK_LT, TOK_LE, TOK_GT, TOK_GE, TOK_EQ, TOK_NE };
  static const SpkExprOp ops[] = {
    SPK_EXPR_OP_LT, SPK_EXPR_OP_LE, SPK_EXPR_OP_GT,
    SPK_EXPR_OP_GE, SPK_EXPR_OP_EQ, SPK_EXPR_OP_NE,
  };
  SpkExprNode *first = parse_additive (p);
  SpkExprNode *prev = first;
  SpkExprNode *chain = NULL;

  while (prev != NULL)
    {
      const Token *tok = peek (p);
      SpkExprNode *next, *cmp;
      guint i;

      for (i = 0; i < G_N_ELEMENTS (types); i++)
        if (types[i] == tok->type)
          break;
      if (i == G_N_ELEMENTS (types))
        break;
      advance (p);
      next = parse_additive (p);
      if (next == NULL)
        return NULL;
      cmp = node_new (p, SPK_EXPR_NODE_BINARY, prev->start, tok->start, 2, prev, next);
      if (cmp == NULL)
        return NULL;
      cmp->op = ops[i];
      if (chain == NULL)
        chain = cmp;
      else
        {
          chain = node_new (p, SPK_EXPR_NODE_BINARY, first->start, tok->start, 2, chain, cmp);
          if (chain == NULL)
            return NULL;
          chain->op = SPK_EXPR_OP_AND;
        }
      prev = next;
    }
  if (prev == NULL)
    return NULL;
  return chain != NULL ? chain : first;
}

static SpkExprNode *
parse_not (Parser *p)
{
  const Token *tok = peek (p);
  SpkExprNode *operand;
  SpkExprNode *node;

  if (tok->type != TOK_NOT)
    return parse_comparison (p);

  advance (p);
  if (enter (p))
    return NULL;
  operand = parse_not (p);
  leave (p);
  if (operand == NULL)
    return NULL;
  node = node_new (p, SPK_EXPR_NODE_UNARY, tok->start, tok->start, 1, operand);
  if (node != NULL)
    node->op = SPK_EXPR_OP_NOT;
  return node;
}

static SpkExprNode *
parse_and (Parser *p)
{
  static const TokenType types[] = { TOK_AND };
  static const SpkExprOp ops[] = { SPK_EXPR_OP_AND };

  return parse_left (p, parse_not, types, ops, 1);
}

static SpkExprNode *
parse_or (Parser *p)
{
  static const TokenType types[] = { TOK_OR };
  static const SpkExprOp ops[] = { SPK_EXPR_OP_OR };

  return parse_left (p, parse_and, types, ops, 1);
}

static SpkExprNode *
parse_ternary (Parser *p)
{
  SpkExprNode *cond, *a, *b;
  const Token *tok;

  if (enter (p))
    return NULL;
  cond = parse_or (p);
  if (cond == NULL || peek (p)->type != TOK_QUESTION)
    {
      leave (p);
      return cond;
    }
  tok = advance (p);
  a = parse_ternary (p);
  b = a != NULL && expect (p, TOK_COLON) ? parse_ternary (p) : NULL;
  leave (p);
  if (b == NULL)
    return NULL;
  return node_new (p, SPK_EXPR_NODE_TERNARY, cond->start, tok->start, 3, cond, a, b);
}

SpkExprNode *
_spk_expr_parse (const char  *source,
                 GPtrArray   *arena,
                 GError     **error)
{
  g_autoptr(GArray) tokens = NULL;
  Parser p = { 0 };
  SpkExprNode *root;

  tokens = lex (source, error);
  if (tokens == NULL || !check_brackets (source, tokens, error))
    return NULL;
  if (g_array_index (tokens, Token, 0).type == TOK_END)
    {
      _spk_expr_set_error (error, source, 0, SPK_EXPR_ERROR_SYNTAX,
                           _("the expression is empty (column %u)"), 1u);
      return NULL;
    }

  p.src = source;
  p.tokens = tokens;
  p.arena = arena;
  p.error = error;
  root = parse_ternary (&p);
  if (root != NULL && peek (&p)->type != TOK_END)
    {
      fail_unexpected (&p);
      return NULL;
    }
  return root;
}
