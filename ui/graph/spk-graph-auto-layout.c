/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-auto-layout.c — a left-to-right layered layout of the cards.
 *
 * The classic recipe (Sugiyama), kept small: break cycles by ignoring the
 * edges a depth-first search finds going back (a recurrent ensemble loops
 * onto itself anyway, and an integrator's feedback should not push the
 * ensemble to the right of itself); put each card in the column of the
 * longest path reaching it; order each column by the mean row of its
 * neighbours, sweeping back and forth; then place the columns left to
 * right and each card as close as it can get to the mean height of what
 * feeds it.  Plain data in, plain data out: the view calls it with the
 * card sizes and reads back the centres.
 *
 * Two things keep the drawing compact enough to read on a projector:
 * a box may hang under another (a probe under what it records), in the
 * same column, instead of taking a column of its own; and each gap
 * between two columns is only as wide as the labels of the connections
 * crossing it ask for.  A long chain (a deep network of layers) wraps
 * like text: after a few columns the next ones start a band below.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

/* Columns per band before a long chain wraps: about what a projector
 * shows side by side at a readable zoom. */
#define MAX_BAND_COLUMNS 4

typedef struct
{
  guint pre;
  guint post;
} Edge;

typedef struct
{
  GArray *boxes;          /* SpkGraphBox */
  GArray *edges;          /* Edge, the acyclic ones */
  guint  *state;          /* DFS: 0 new, 1 on the stack, 2 done */
  guint  *order;          /* reverse post-order */
  guint   n_order;
  GArray *all_edges;      /* Edge, as given */
} Ctx;

static void
dfs (Ctx   *ctx,
     guint  v)
{
  ctx->state[v] = 1;
  for (guint i = 0; i < ctx->all_edges->len; i++)
    {
      Edge *e = &g_array_index (ctx->all_edges, Edge, i);

      if (e->pre != v || e->post == v)
        continue;
      if (ctx->state[e->post] == 1)
        continue;   /* a back edge: ignored for layering */
      g_array_append_val (ctx->edges, *e);
      if (ctx->state[e->post] == 0)
        dfs (ctx, e->post);
    }
  ctx->state[v] = 2;
  ctx->order[ctx->n_order++] = v;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const double *key = data;
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;

  if (key[ia] < key[ib])
    return -1;
  if (key[ia] > key[ib])
    return 1;
  return (int) ia - (int) ib;
}

/* Reorders one column by the mean position of each card's neighbours in
 * the column before (downstream == FALSE) or after it. */
static void
sort_column (GArray   *column,
             GArray   *edges,
             double   *rank,
             gboolean  downstream)
{
  g_autofree double *bary = NULL;
  guint max_index = 0;

  for (guint i = 0; i < column->len; i++)
    max_index = MAX (max_index, g_array_index (column, guint, i));
  bary = g_new0 (double, max_index + 1);
  for (guint i = 0; i < column->len; i++)
    {
      guint v = g_array_index (column, guint, i);
      double sum = 0;
      guint n = 0;

      for (guint j = 0; j < edges->len; j++)
        {
          Edge *e = &g_array_index (edges, Edge, j);

          if (!downstream && e->post == v)
            sum += rank[e->pre], n++;
          else if (downstream && e->pre == v)
            sum += rank[e->post], n++;
        }
      bary[v] = n > 0 ? sum / n : rank[v];
    }
  g_array_sort_with_data (column, compare_doubles, bary);
  for (guint i = 0; i < column->len; i++)
    rank[g_array_index (column, guint, i)] = i;
}

/* The box v hangs under, or v itself.  Only one level: a box under a
 * hanging box stands on its own. */
static guint
root_of (GArray *boxes,
         guint   v)
{
  int below = g_array_index (boxes, SpkGraphBox, v).below;

  if (below < 0 || (guint) below >= boxes->len || (guint) below == v
      || g_array_index (boxes, SpkGraphBox, below).below >= 0)
    return v;
  return below;
}

void
_spk_graph_auto_layout (GArray *boxes,
                        GArray *links,
                        double  column_gap,
                        double  row_gap,
                        double  hang_gap)
{
  guint n = boxes->len;
  g_autoptr (GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  g_autofree guint *root = g_new0 (guint, n);
  g_autofree double *block_w = g_new0 (double, n);
  g_autofree double *block_below = g_new0 (double, n);   /* height under the box itself */
  g_autofree guint *state = g_new0 (guint, n);
  g_autofree guint *order = g_new0 (guint, n);
  g_autofree guint *layer = g_new0 (guint, n);
  g_autofree double *rank = g_new0 (double, n);
  g_autoptr (GArray) dag = g_array_new (FALSE, FALSE, sizeof (Edge));
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree gboolean *has_in = g_new0 (gboolean, n);
  Ctx ctx = { boxes, dag, state, order, 0, edges };
  guint n_layers = 0, band_cols, n_bands;
  g_autofree double *band_top = NULL, *band_bottom = NULL;
  double x;

  if (n == 0)
    return;

  /* Hanging boxes leave the layering to the box they hang under, which
   * grows by them. */
  for (guint v = 0; v < n; v++)
    {
      root[v] = root_of (boxes, v);
      block_w[v] = g_array_index (boxes, SpkGraphBox, v).w;
    }
  for (guint v = 0; v < n; v++)
    if (root[v] != v)
      {
        SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, v);

        block_w[root[v]] = MAX (block_w[root[v]], box->w);
        block_below[root[v]] += hang_gap + box->h;
      }
  for (guint i = 0; i < links->len; i++)
    {
      SpkGraphLink *link = &g_array_index (links, SpkGraphLink, i);
      Edge e = { link->pre, link->post };

      if (link->pre < n && link->post < n && root[link->pre] == link->pre && root[link->post] == link->post)
        g_array_append_val (edges, e);
    }

  /* Start the search from sources, so a chain keeps its direction. */
  for (guint i = 0; i < edges->len; i++)
    {
      Edge *e = &g_array_index (edges, Edge, i);

      if (e->pre != e->post)
        has_in[e->post] = TRUE;
    }
  for (guint v = 0; v < n; v++)
    if (root[v] == v && !has_in[v] && state[v] == 0)
      dfs (&ctx, v);
  for (guint v = 0; v < n; v++)
    if (root[v] == v && state[v] == 0)
      dfs (&ctx, v);

  /* Longest path, in topological order (reverse post-order). */
  for (guint k = ctx.n_order; k-- > 0;)
    {
      guint v = order[k];

      for (guint i = 0; i < dag->len; i++)
        {
          Edge *e = &g_array_index (dag, Edge, i);

          if (e->pre == v)
            layer[e->post] = MAX (layer[e->post], layer[v] + 1);
        }
    }
  for (guint v = 0; v < n; v++)
    n_layers = MAX (n_layers, layer[v] + 1);
  for (guint l = 0; l < n_layers; l++)
    g_ptr_array_add (columns, g_array_new (FALSE, FALSE, sizeof (guint)));
  for (guint v = 0; v < n; v++)
    {
      GArray *column = g_ptr_array_index (columns, layer[v]);

      if (root[v] != v)
        continue;
      rank[v] = column->len;
      g_array_append_val (column, v);
    }

  /* Fewer crossings: a few barycentre sweeps, down then up. */
  for (guint sweep = 0; sweep < 4; sweep++)
    {
      for (guint l = 1; l < n_layers; l++)
        sort_column (g_ptr_array_index (columns, l), dag, rank, FALSE);
      for (guint l = n_layers - 1; l-- > 0;)
        sort_column (g_ptr_array_index (columns, l), dag, rank, TRUE);
    }

  /* More than MAX_BAND_COLUMNS columns wrap into bands of equal length. */
  n_bands = (n_layers + MAX_BAND_COLUMNS - 1) / MAX_BAND_COLUMNS;
  band_cols = n_layers > MAX_BAND_COLUMNS + 1 ? (n_layers + n_bands - 1) / n_bands : n_layers;
  n_bands = (n_layers + band_cols - 1) / band_cols;

  /* Columns left to right, each as wide as its widest card, each gap as
   * wide as the labels crossing it need. */
  x = 0;
  for (guint l = 0; l < n_layers; l++)
    {
      GArray *column = g_ptr_array_index (columns, l);
      double width = 0, height = 0, y, bottom = -G_MAXDOUBLE, gap = column_gap;

      if (l % band_cols == 0)
        x = 0;
      for (guint i = 0; i < column->len; i++)
        {
          guint v = g_array_index (column, guint, i);
          SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, v);

          width = MAX (width, block_w[v]);
          height += box->h + block_below[v] + (i > 0 ? row_gap : 0);
        }
      for (guint i = 0; i < links->len; i++)
        {
          SpkGraphLink *link = &g_array_index (links, SpkGraphLink, i);

          if (link->pre < n && link->post < n && root[link->pre] == link->pre && root[link->post] == link->post
              && layer[link->pre] == l && layer[link->post] == l + 1)
            gap = MAX (gap, link->gap);
        }
      y = -height / 2;
      for (guint i = 0; i < column->len; i++)
        {
          guint v = g_array_index (column, guint, i);
          SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, v);
          double sum = 0, want;
          guint count = 0;

          for (guint j = 0; j < dag->len; j++)
            {
              Edge *e = &g_array_index (dag, Edge, j);

              if (e->post == v && layer[e->pre] < l)
                {
                  sum += g_array_index (boxes, SpkGraphBox, e->pre).y;
                  count++;
                }
            }
          /* Follow what feeds the card, but never overlap the one above. */
          want = count > 0 ? sum / count : y + box->h / 2;
          box->y = MAX (want, bottom + row_gap + box->h / 2);
          box->x = x + width / 2;
          bottom = box->y + box->h / 2;
          y += box->h + block_below[v] + row_gap;

          /* What hangs under the card, in the order given. */
          for (guint u = 0; u < n; u++)
            if (u != v && root[u] == v)
              {
                SpkGraphBox *hanger = &g_array_index (boxes, SpkGraphBox, u);

                hanger->x = box->x;
                hanger->y = bottom + hang_gap + hanger->h / 2;
                bottom = hanger->y + hanger->h / 2;
              }
        }
      x += width + gap;
    }

  /* Each band below the one before it, a row gap and a half apart. */
  band_top = g_new (double, n_bands);
  band_bottom = g_new (double, n_bands);
  for (guint b = 0; b < n_bands; b++)
    band_top[b] = G_MAXDOUBLE, band_bottom[b] = -G_MAXDOUBLE;
  for (guint v = 0; v < n; v++)
    {
      SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, v);
      guint b = layer[root[v]] / band_cols;

      band_top[b] = MIN (band_top[b], box->y - box->h / 2);
      band_bottom[b] = MAX (band_bottom[b], box->y + box->h / 2);
    }
  for (guint b = 1; b < n_bands; b++)
    {
      double shift = band_bottom[b - 1] + 2.5 * row_gap - band_top[b];

      for (guint v = 0; v < n; v++)
        if (layer[root[v]] / band_cols == b)
          g_array_index (boxes, SpkGraphBox, v).y += shift;
      band_top[b] += shift;
      band_bottom[b] += shift;
    }
}
