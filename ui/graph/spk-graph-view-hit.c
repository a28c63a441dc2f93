/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-hit.c — what is under a point of the canvas: cards,
 * ports, edges, groups and error badges, read from the geometry
 * spk-graph-view-geometry.c prepared, and the conversions from widget to
 * canvas and layout coordinates they take. */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include <math.h>

SpkCard *
_spk_graph_view_lookup_card (SpkGraphView *self,
                             SpkObject    *object)
{
  return object != NULL ? g_hash_table_lookup (self->card_map, object) : NULL;
}

void
_spk_graph_view_to_canvas (SpkGraphView *self,
                           double        wx,
                           double        wy,
                           double       *cx,
                           double       *cy)
{
  *cx = (wx - self->off_x) / self->zoom;
  *cy = (wy - self->off_y) / self->zoom;
}

/* Widget coordinates to the layout's: canvas units without the
 * presentation scale. */
void
_spk_graph_view_to_layout (SpkGraphView *self,
                           double        wx,
                           double        wy,
                           double       *lx,
                           double       *ly)
{
  _spk_graph_view_to_canvas (self, wx, wy, lx, ly);
  *lx /= self->scale;
  *ly /= self->scale;
}

/* The topmost card under a point: the last drawn wins. */
SpkCard *
_spk_graph_view_card_at (SpkGraphView *self,
                         double        cx,
                         double        cy)
{
  for (guint i = self->cards->len; i-- > 0;)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);

      if (card->hidden)
        continue;
      if (cx >= card->x && cx <= card->x + card->w && cy >= card->y && cy <= card->y + card->h)
        return card;
    }
  return NULL;
}

/* A port within reach of a point; the reach grows when zoomed out so a
 * port stays easy to hit. */
SpkCard *
_spk_graph_view_port_at (SpkGraphView *self,
                         double        cx,
                         double        cy,
                         SpkPortKind  *port)
{
  double reach = _spk_graph_view_port_radius (self) + 6.0 / MIN (self->zoom, 1.0);
  SpkCard *best = NULL;
  double best_d = reach;

  for (guint i = 0; i < self->cards->len; i++)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);

      for (guint k = 0; k < SPK_N_PORTS; k++)
        {
          double d;

          if (!card->ports[k].present || (card->hidden && !card->ports[k].exposed))
            continue;
          d = hypot (cx - card->ports[k].x, cy - card->ports[k].y);
          if (d <= best_d)
            {
              best_d = d;
              best = card;
              *port = k;
            }
        }
    }
  return best;
}

static double
segment_distance (double px,
                  double py,
                  const double a[2],
                  const double b[2])
{
  double vx = b[0] - a[0], vy = b[1] - a[1];
  double len2 = vx * vx + vy * vy;
  double t = len2 > 0 ? ((px - a[0]) * vx + (py - a[1]) * vy) / len2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (px - (a[0] + t * vx), py - (a[1] + t * vy));
}

/* A connection whose curve or label is under a point.  Probe edges are
 * part of their probe: clicking them selects nothing. */
SpkEdge *
_spk_graph_view_edge_at (SpkGraphView *self,
                         double        cx,
                         double        cy)
{
  double reach = 6.0 / MIN (self->zoom, 1.0);

  for (guint i = self->edges->len; i-- > 0;)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);

      if (edge->is_probe || edge->hidden)
        continue;
      if (edge->label != NULL && fabs (cx - edge->label_x) <= edge->label_w / 2
          && fabs (cy - edge->label_y) <= edge->label_h / 2)
        return edge;
      for (guint k = 0; k < SPK_GRAPH_EDGE_SAMPLES; k++)
        if (segment_distance (cx, cy, edge->poly[k], edge->poly[k + 1]) <= reach)
          return edge;
    }
  return NULL;
}

/* A collapsed group's card, or an open group's title strip, under a
 * point. */
SpkGroupCard *
_spk_graph_view_group_at (SpkGraphView *self,
                          double        cx,
                          double        cy)
{
  for (guint i = self->groups->len; i-- > 0;)
    {
      SpkGroupCard *gcard = g_ptr_array_index (self->groups, i);
      double h = gcard->collapsed ? gcard->h : gcard->header_h;

      if (cx >= gcard->x && cx <= gcard->x + gcard->w && cy >= gcard->y && cy <= gcard->y + h)
        return gcard;
    }
  return NULL;
}

SpkGroupCard *
_spk_graph_view_lookup_group (SpkGraphView *self,
                              const char   *label)
{
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkGroupCard *gcard = g_ptr_array_index (self->groups, i);

      if (g_strcmp0 (gcard->label, label) == 0)
        return gcard;
    }
  return NULL;
}

gboolean
_spk_graph_view_error_badge_at (SpkGraphView *self,
                                SpkCard      *card,
                                double        cx,
                                double        cy)
{
  double r = 10 * self->scale;

  if (card == NULL || !g_hash_table_contains (self->errors, card->object))
    return FALSE;
  return hypot (cx - (card->x + card->w), cy - card->y) <= r + 4;
}

/* The union of the cards of objects (all cards when NULL), in canvas
 * units; empty when there are none. */
void
_spk_graph_view_cards_bounds (SpkGraphView    *self,
                              GPtrArray       *objects,
                              graphene_rect_t *bounds)
{
  gboolean any = FALSE;

  graphene_rect_init (bounds, 0, 0, 0, 0);
  for (guint i = 0; i < self->cards->len; i++)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);
      graphene_rect_t r;

      if (card->hidden || (objects != NULL && !g_ptr_array_find (objects, card->object, NULL)))
        continue;
      graphene_rect_init (&r, card->x, card->y, card->w, card->h);
      if (any)
        graphene_rect_union (bounds, &r, bounds);
      else
        *bounds = r;
      any = TRUE;
    }
  /* Groups: a collapsed one's card, an open one's frame. */
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkGroupCard *gcard = g_ptr_array_index (self->groups, i);
      SpkCard *first = g_ptr_array_index (gcard->members, 0);
      graphene_rect_t r;

      if (objects != NULL && !g_ptr_array_find (objects, first->object, NULL))
        continue;
      graphene_rect_init (&r, gcard->x, gcard->y, gcard->w, gcard->h);
      if (any)
        graphene_rect_union (bounds, &r, bounds);
      else
        *bounds = r;
      any = TRUE;
    }
  /* Loops rise above their card: keep them in view. */
  for (guint i = 0; any && i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);
      graphene_rect_t r;

      if (edge->drops && (objects == NULL || g_ptr_array_find (objects, edge->post->object, NULL)))
        {
          /* The bend of a probe's edge sticks out to the right. */
          graphene_rect_init (&r, edge->p[1][0], edge->p[1][1], 1, 1);
          graphene_rect_union (bounds, &r, bounds);
        }
      if (!edge->is_loop || edge->hidden || (objects != NULL && !g_ptr_array_find (objects, edge->pre->object, NULL)))
        continue;
      graphene_rect_init (&r, edge->label_x - edge->label_w / 2, edge->label_y - edge->label_h / 2,
                          edge->label_w, edge->label_h);
      graphene_rect_union (bounds, &r, bounds);
    }
}
