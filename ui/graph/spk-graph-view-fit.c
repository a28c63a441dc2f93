/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-fit.c — fitting the network in
 * view (readable on a projector) and laying the whole graph out. */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "model/spk-subnetwork.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

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

/* Laying out a network that opens in place. */

/* The most room a nested network's collapsed card takes, in layout units
 * (spk-graph-view-geometry.c sizes it: at most a card's widest with some
 * air, a title, two lines, then a row per port it shows). */
#define NESTED_CARD_W   280.0
#define NESTED_CARD_H   90.0
#define NESTED_PORT_ROW 24.0

typedef struct
{
  double x0, y0, x1, y1;
} Extent;

/* Where the cards of objects (those with a card) sit, in layout units. */
static gboolean
cards_extent (SpkGraphView *self,
              GPtrArray    *objects,
              Extent       *e)
{
  double s = self->scale;

  *e = (Extent) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  for (guint i = 0; i < objects->len; i++)
    {
      SpkCard *card = _spk_graph_view_lookup_card (self, g_ptr_array_index (objects, i));
      double x, y;

      if (card == NULL || !spk_layout_get_position (self->layout, card->object, &x, &y))
        continue;
      e->x0 = MIN (e->x0, x - card->w / s / 2);
      e->x1 = MAX (e->x1, x + card->w / s / 2);
      e->y0 = MIN (e->y0, y - card->h / s / 2);
      e->y1 = MAX (e->y1, y + card->h / s / 2);
    }
  return e->x0 <= e->x1;
}

/* The objects with a card inside net, at any depth. */
static GPtrArray *
card_objects_inside (SpkGraphView *self,
                     SpkObject    *net)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (_spk_graph_view_lookup_card (self, object) != NULL
          && spk_subnetwork_contains (SPK_SUBNETWORK (net), object))
        g_ptr_array_add (out, object);
    }
  return out;
}

static double
snap_half (double v)
{
  return round (v / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2);
}

/* Moves object to (x, y), snapped. */
static void
move_card (SpkGraphView *self,
           SpkObject    *object,
           double        x,
           double        y)
{
  spk_layout_set_position (self->layout, object, snap_half (x), snap_half (y));
}

/* How many rows of ports net's collapsed card shows: one per card port
 * inside it that a connection from (or to) outside reaches, on the side
 * with more. */
static guint
n_port_rows (SpkGraphView *self,
             SpkObject    *net)
{
  g_autoptr (GArray) ins = g_array_new (FALSE, FALSE, sizeof (gpointer) * 2);
  g_autoptr (GArray) outs = g_array_new (FALSE, FALSE, sizeof (gpointer) * 2);

  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);
      gboolean pre_in = spk_subnetwork_contains (SPK_SUBNETWORK (net), edge->pre->object);
      gboolean post_in = spk_subnetwork_contains (SPK_SUBNETWORK (net), edge->post->object);
      gpointer key[2];
      GArray *side;
      gboolean seen = FALSE;

      if (pre_in == post_in)
        continue;
      side = post_in ? ins : outs;
      key[0] = post_in ? edge->post : edge->pre;
      key[1] = GUINT_TO_POINTER (post_in ? edge->post_port : edge->pre_port);
      for (guint j = 0; j < side->len && !seen; j++)
        seen = memcmp (&g_array_index (side, gpointer, 2 * j), key, sizeof key) == 0;
      if (!seen)
        g_array_append_vals (side, key, 1);
    }
  return MAX (ins->len, outs->len);
}

static void
lay_out_level (SpkGraphView *self,
               SpkObject    *net)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  g_autoptr (GArray) boxes = g_array_new (FALSE, TRUE, sizeof (SpkGraphBox));
  g_autoptr (GArray) links = g_array_new (FALSE, FALSE, sizeof (SpkGraphLink));
  g_autoptr (GPtrArray) owners = g_ptr_array_new ();    /* a card's object, or a nested network */
  g_autoptr (GPtrArray) all = card_objects_inside (self, net);
  Extent before, after = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  double s = self->scale, dx, dy;

  if (!cards_extent (self, all, &before))
    return;
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkCard *card = _spk_graph_view_lookup_card (self, object);

      if (spk_object_get_network (object) != net)
        continue;
      if (card != NULL)
        {
          SpkGraphBox box = { card->w / s, card->h / s, -1, 0, 0 };

          g_array_append_val (boxes, box);
          g_ptr_array_add (owners, object);
        }
      else if (SPK_IS_SUBNETWORK (object))
        {
          g_autoptr (GPtrArray) inner = card_objects_inside (self, object);
          SpkGraphBox box = { NESTED_CARD_W, 0, -1, 0, 0 };

          if (inner->len == 0)
            continue;
          /* Readable when it opens: its own cards among themselves first. */
          lay_out_level (self, object);
          box.h = NESTED_CARD_H + NESTED_PORT_ROW * n_port_rows (self, object);
          g_array_append_val (boxes, box);
          g_ptr_array_add (owners, object);
        }
    }
  if (boxes->len == 0)
    return;
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);
      int pre = -1, post = -1;
      SpkGraphLink link;

      for (guint j = 0; j < owners->len; j++)
        {
          SpkObject *owner = g_ptr_array_index (owners, j);
          gboolean nested = SPK_IS_SUBNETWORK (owner);

          if (nested ? spk_subnetwork_contains (SPK_SUBNETWORK (owner), edge->pre->object) : owner == edge->pre->object)
            pre = j;
          if (nested ? spk_subnetwork_contains (SPK_SUBNETWORK (owner), edge->post->object) : owner == edge->post->object)
            post = j;
        }
      if (pre < 0 || post < 0 || pre == post)
        continue;
      if (edge->is_probe && !SPK_IS_SUBNETWORK (g_ptr_array_index (owners, post)))
        {
          g_array_index (boxes, SpkGraphBox, post).below = pre;
          continue;
        }
      link.pre = pre;
      link.post = post;
      link.gap = edge->label != NULL ? edge->label_w / s + 20 : 0;
      g_array_append_val (links, link);
    }
  _spk_graph_auto_layout (boxes, links, 56, 40, 28);

  /* The middle of the cards stays where it was. */
  for (guint i = 0; i < boxes->len; i++)
    {
      SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, i);

      after.x0 = MIN (after.x0, box->x - box->w / 2);
      after.x1 = MAX (after.x1, box->x + box->w / 2);
      after.y0 = MIN (after.y0, box->y - box->h / 2);
      after.y1 = MAX (after.y1, box->y + box->h / 2);
    }
  dx = (before.x0 + before.x1) / 2 - (after.x0 + after.x1) / 2;
  dy = (before.y0 + before.y1) / 2 - (after.y0 + after.y1) / 2;
  for (guint i = 0; i < boxes->len; i++)
    {
      SpkGraphBox *box = &g_array_index (boxes, SpkGraphBox, i);
      SpkObject *owner = g_ptr_array_index (owners, i);

      if (!SPK_IS_SUBNETWORK (owner))
        move_card (self, owner, box->x + dx, box->y + dy);
      else
        {
          /* A nested network's cards move together, their middle (where
           * its collapsed card shows) to the middle of its box. */
          g_autoptr (GPtrArray) inner = card_objects_inside (self, owner);
          Extent e;
          double shift_x, shift_y;

          cards_extent (self, inner, &e);
          shift_x = snap_half (box->x + dx - (e.x0 + e.x1) / 2);
          shift_y = snap_half (box->y + dy - (e.y0 + e.y1) / 2);
          for (guint j = 0; j < inner->len; j++)
            {
              double x, y;

              if (spk_layout_get_position (self->layout, g_ptr_array_index (inner, j), &x, &y))
                spk_layout_set_position (self->layout, g_ptr_array_index (inner, j), x + shift_x, y + shift_y);
            }
        }
    }
}

/* Lays out the cards inside net (an SpkSubnetwork) so that it reads when
 * it opens in place: each network nested in it is laid out among its own
 * cards first, then net's own cards and one box per nested network (the
 * most room its collapsed card takes) go left to right along their
 * connections, a nested network's cards moving together so that their
 * middle, where its collapsed card shows, is its box's.
 * The middle of net's cards stays where it was.  Card sizes come from the
 * last rebuild. */
void
_spk_graph_view_lay_out_network (SpkGraphView *self,
                                 SpkObject    *net)
{
  g_return_if_fail (SPK_IS_SUBNETWORK (net));

  if (self->network == NULL || self->layout == NULL)
    return;
  spk_layout_begin_batch (self->layout);
  lay_out_level (self, net);
  spk_layout_end_batch (self->layout);
}
