/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-fit.c — fitting the network in
 * view (readable on a projector) and laying the whole graph out. */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include <glib/gi18n.h>
#include <math.h>

/* Fits the network in view, whole: every card, curve and label; until
 * the widget has a size, remembers to do it when it gets one.  Text must
 * still read, so the zoom stays at FIT_LEGIBLE or above: a graph too large
 * for that is shown from its beginning (its left end), and the user pans
 * to the rest — unless it is so large that an overview is all one could
 * want. */
#define FIT_LEGIBLE      0.5
#define FIT_MAX_SCREENS  3.0

/* What fitting keeps in view: the cards, and each shown connection's
 * curve and label (a loop or an error connection can rise above its
 * cards). */
static void
fit_bounds (SpkGraphView    *self,
            graphene_rect_t *bounds)
{
  _spk_graph_view_cards_bounds (self, NULL, bounds);
  if (bounds->size.width <= 0)
    return;
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);
      graphene_rect_t r;

      if (edge->hidden)
        continue;
      for (guint k = 0; k <= SPK_GRAPH_EDGE_SAMPLES; k++)
        {
          graphene_rect_init (&r, edge->poly[k][0], edge->poly[k][1], 0, 0);
          graphene_rect_union (bounds, &r, bounds);
        }
      if (edge->label != NULL)
        {
          graphene_rect_init (&r, edge->label_x - edge->label_w / 2, edge->label_y - edge->label_h / 2,
                              edge->label_w, edge->label_h);
          graphene_rect_union (bounds, &r, bounds);
        }
    }
}

void
spk_graph_view_fit (SpkGraphView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double margin = 24 * self->scale;
  double avail_w, avail_h, zoom;
  graphene_rect_t bounds;

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  if (width <= 0 || height <= 0)
    {
      self->fit_pending = TRUE;
      return;
    }
  self->fit_pending = FALSE;
  self->fitted = TRUE;
  self->fit_width = width;
  self->fit_height = height;
  fit_bounds (self, &bounds);
  if (bounds.size.width <= 0)
    {
      self->off_x = width / 2.0;
      self->off_y = height / 2.0;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  avail_w = MAX (width - 2 * margin, 1);
  avail_h = MAX (height - 2 * margin, 1);
  zoom = MIN (avail_w / bounds.size.width, avail_h / bounds.size.height);
  /* Never blow a small network up past what reads well; a projector
   * (presentation mode) may go further. */
  zoom = CLAMP (zoom, SPK_GRAPH_ZOOM_MIN, self->presentation ? 2.0 : 1.5);
  /* Presentation mode draws everything larger (self->scale): the floor
   * is on the text as drawn, so the network still fits whole there. */
  if (zoom * self->scale < FIT_LEGIBLE
      && MAX (bounds.size.width * FIT_LEGIBLE / self->scale / avail_w,
              bounds.size.height * FIT_LEGIBLE / self->scale / avail_h) <= FIT_MAX_SCREENS)
    zoom = FIT_LEGIBLE / self->scale;
  _spk_graph_view_store_zoom (self, zoom);

  if (bounds.size.width * zoom <= avail_w + 1)
    self->off_x = width / 2.0 - (bounds.origin.x + bounds.size.width / 2) * zoom;
  else
    self->off_x = margin - bounds.origin.x * zoom;
  if (bounds.size.height * zoom <= avail_h + 1)
    self->off_y = height / 2.0 - (bounds.origin.y + bounds.size.height / 2) * zoom;
  else
    {
      /* Centre the beginning: the cards of the leftmost column. */
      double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE, mid;

      for (guint i = 0; i < self->cards->len; i++)
        {
          SpkCard *card = g_ptr_array_index (self->cards, i);

          if (!card->hidden && card->x < bounds.origin.x + CARD_COLUMN_REACH * self->scale)
            {
              top = MIN (top, card->y);
              bottom = MAX (bottom, card->y + card->h);
            }
        }
      mid = top <= bottom ? (top + bottom) / 2 : bounds.origin.y + bounds.size.height / 2;
      self->off_y = height / 2.0 - mid * zoom;
      /* No empty canvas below the bottom or above the top; when both
       * cannot hold, the top wins: a card cut at its foot reads as "more
       * below", one without its title as a broken picture. */
      self->off_y = MAX (self->off_y, height - margin - (bounds.origin.y + bounds.size.height) * zoom);
      self->off_y = MIN (self->off_y, margin - bounds.origin.y * zoom);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * spk_graph_view_get_visible_center:
 * @x: (out): where the middle of the view is, in layout units
 * @y: (out):
 *
 * What spk_graph_view_add_object() should get to put an object where the
 * user is looking.
 */
void
spk_graph_view_get_visible_center (SpkGraphView *self,
                                   double       *x,
                                   double       *y)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));
  g_return_if_fail (x != NULL && y != NULL);

  _spk_graph_view_to_layout (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                             gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, x, y);
}

/* The box that stands for a card in a layout: its own, or its collapsed
 * group's; -1 when the card takes no part. */
static int
box_of (GPtrArray *owners,
        SpkCard   *card)
{
  guint index;

  if (card->hidden)
    return g_ptr_array_find (owners, card->group, &index) ? (int) index : -1;
  return g_ptr_array_find (owners, card, &index) ? (int) index : -1;
}

/* Lays out the whole graph, or only the selected cards (keeping their
 * top-left corner where it was), left to right along the connections,
 * each probe under what it records.  A collapsed group moves as one card,
 * its members with it. */
void
spk_graph_view_auto_layout (SpkGraphView *self,
                            gboolean      selection_only)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, TRUE, sizeof (SpkGraphBox));
  g_autoptr (GArray) links = g_array_new (FALSE, FALSE, sizeof (SpkGraphLink));
  g_autoptr (GPtrArray) owners = g_ptr_array_new ();   /* SpkCard* or SpkGroupCard*, one per box */
  g_autoptr (GArray) is_group = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr (GPtrArray) moves = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) targets = g_array_new (FALSE, FALSE, sizeof (double));
  graphene_rect_t before, after;
  double s = self->scale;
  double dx = 0, dy = 0;

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  if (self->network == NULL || self->layout == NULL)
    return;
  for (guint i = 0; i < self->cards->len; i++)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);
      SpkGraphBox box = { card->w, card->h, -1, 0, 0 };
      gboolean group = FALSE;

      if (card->hidden || (selection_only && !g_ptr_array_find (self->selection, card->object, NULL)))
        continue;
      g_ptr_array_add (owners, card);
      g_array_append_val (boxes, box);
      g_array_append_val (is_group, group);
    }
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkGroupCard *gcard = g_ptr_array_index (self->groups, i);
      SpkCard *first = g_ptr_array_index (gcard->members, 0);
      SpkGraphBox box = { gcard->w, gcard->h, -1, 0, 0 };
      gboolean group = TRUE;

      if (!gcard->collapsed || (selection_only && !g_ptr_array_find (self->selection, first->object, NULL)))
        continue;
      g_ptr_array_add (owners, gcard);
      g_array_append_val (boxes, box);
      g_array_append_val (is_group, group);
    }
  if (owners->len == 0)
    return;
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);
      int pre = box_of (owners, edge->pre), post = box_of (owners, edge->post);
      SpkGraphLink link;

      if (edge->hidden || pre < 0 || post < 0 || pre == post)
        continue;
      /* A probe hangs under what it records, in the same column. */
      if (edge->is_probe && !edge->post->hidden)
        {
          g_array_index (boxes, SpkGraphBox, post).below = pre;
          continue;
        }
      link.pre = pre;
      link.post = post;
      link.gap = edge->label != NULL ? edge->label_w + 20 * s : 0;
      g_array_append_val (links, link);
    }
  _spk_graph_auto_layout (boxes, links, 56 * s, 40 * s, 28 * s);

  graphene_rect_init (&after, 0, 0, 0, 0);
  for (guint i = 0; i < boxes->len; i++)
    {
      SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, i);
      graphene_rect_t r = GRAPHENE_RECT_INIT (box->x - box->w / 2, box->y - box->h / 2, box->w, box->h);

      if (i == 0)
        after = r;
      else
        graphene_rect_union (&after, &r, &after);
    }
  if (selection_only)
    {
      _spk_graph_view_cards_bounds (self, self->selection, &before);
      dx = before.origin.x - after.origin.x;
      dy = before.origin.y - after.origin.y;
    }
  else
    {
      dx = -after.origin.x;
      dy = -after.origin.y;
    }

  /* Where each object goes, in layout units, gathered first: moving a
   * card moves the geometry the rest is read from. */
  for (guint i = 0; i < boxes->len; i++)
    {
      SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, i);
      double x = (box->x + dx) / s, y = (box->y + dy) / s;

      if (!g_array_index (is_group, gboolean, i))
        {
          SpkCard *card = g_ptr_array_index (owners, i);
          double xy[2] = { round (x / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2),
                           round (y / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2) };

          g_ptr_array_add (moves, g_object_ref (card->object));
          g_array_append_vals (targets, xy, 2);
        }
      else
        {
          SpkGroupCard *gcard = g_ptr_array_index (owners, i);
          double shift_x = round ((x - (gcard->x + gcard->w / 2) / s) / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2);
          double shift_y = round ((y - (gcard->y + gcard->h / 2) / s) / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2);

          for (guint j = 0; j < gcard->members->len; j++)
            {
              SpkCard *card = g_ptr_array_index (gcard->members, j);
              double xy[2];

              spk_layout_get_position (self->layout, card->object, &xy[0], &xy[1]);
              xy[0] += shift_x;
              xy[1] += shift_y;
              g_ptr_array_add (moves, g_object_ref (card->object));
              g_array_append_vals (targets, xy, 2);
            }
        }
    }
  spk_layout_begin_batch (self->layout);
  for (guint i = 0; i < moves->len; i++)
    spk_layout_set_position (self->layout, g_ptr_array_index (moves, i),
                             g_array_index (targets, double, 2 * i),
                             g_array_index (targets, double, 2 * i + 1));
  spk_layout_end_batch (self->layout);
}
