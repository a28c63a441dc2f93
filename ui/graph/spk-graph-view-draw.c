/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-draw.c — how the canvas looks: its stylesheet, the
 * colours read from it, and snapshot(), which draws the prepared geometry
 * and nothing else.
 *
 * Colours come from CSS.  The kinds (Node orange, Ensemble blue, Probe
 * green, sub-network slate) and the port shapes' colours are named colours of the canvas's own
 * stylesheet, loaded once for the display; they are mid-tones chosen to
 * read on both the light and the dark style.  The canvas background is the
 * widget's CSS background, and the cards, grid and lines are mixed from the
 * theme's foreground and background, so they follow the style.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include <math.h>
#include <pango/pangocairo.h>

static const char stylesheet[] =
  "@define-color spk_graph_node_color #c64600;\n"
  "@define-color spk_graph_ensemble_color #1c71d8;\n"
  "@define-color spk_graph_probe_color #26a269;\n"
  "@define-color spk_graph_layer_color #865e3c;\n"
  "@define-color spk_graph_network_color #5e5c64;\n"
  "@define-color spk_graph_value_port_color #1c9bb0;\n"
  "@define-color spk_graph_neuron_port_color #9141ac;\n"
  "@define-color spk_graph_error_color #e01b24;\n"
  "@define-color spk_graph_ok_color #2ec27e;\n"
  "spkgraphview { background-color: @theme_bg_color; color: @theme_fg_color; }\n"
  "spkgraphview.presentation { font-size: 1.2em; }\n"
  ".spk-graph-swatch { border-radius: 3px; min-width: 6px; }\n"
  ".spk-graph-swatch.node { background-color: @spk_graph_node_color; }\n"
  ".spk-graph-swatch.ensemble { background-color: @spk_graph_ensemble_color; }\n"
  ".spk-graph-swatch.probe { background-color: @spk_graph_probe_color; }\n"
  ".spk-graph-swatch.layer { background-color: @spk_graph_layer_color; }\n"
  ".spk-graph-swatch.network { background-color: @spk_graph_network_color; }\n";

void
_spk_graph_view_load_css (void)
{
  static gboolean loaded;
  g_autoptr (GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, stylesheet, -1);
  /* Below the application's priority, so a theme or the app may restyle. */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_FALLBACK + 1);
}

static void
lookup (GtkWidget  *widget,
        const char *name,
        const char *fallback,
        GdkRGBA    *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static GdkRGBA
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     double         t)
{
  GdkRGBA c = {
    a->red + (b->red - a->red) * t,
    a->green + (b->green - a->green) * t,
    a->blue + (b->blue - a->blue) * t,
    a->alpha + (b->alpha - a->alpha) * t,
  };
  return c;
}

void
_spk_graph_view_read_style (SpkGraphView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA *c = self->colors;
  GdkRGBA white = { 1, 1, 1, 1 };
  gboolean dark;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &c[SPK_COLOR_FG]);
  G_GNUC_END_IGNORE_DEPRECATIONS
  c[SPK_COLOR_FG].alpha = 1;
  dark = 0.2126 * c[SPK_COLOR_FG].red + 0.7152 * c[SPK_COLOR_FG].green
         + 0.0722 * c[SPK_COLOR_FG].blue > 0.5;
  lookup (widget, "theme_bg_color", dark ? "#242424" : "#fafafa", &c[SPK_COLOR_BG]);
  lookup (widget, "theme_selected_bg_color", "#3584e4", &c[SPK_COLOR_ACCENT]);
  lookup (widget, "spk_graph_node_color", "#c64600", &c[SPK_COLOR_NODE]);
  lookup (widget, "spk_graph_ensemble_color", "#1c71d8", &c[SPK_COLOR_ENSEMBLE]);
  lookup (widget, "spk_graph_probe_color", "#26a269", &c[SPK_COLOR_PROBE]);
  lookup (widget, "spk_graph_layer_color", "#865e3c", &c[SPK_COLOR_LAYER]);
  lookup (widget, "spk_graph_network_color", "#5e5c64", &c[SPK_COLOR_NETWORK]);
  lookup (widget, "spk_graph_value_port_color", "#1c9bb0", &c[SPK_COLOR_VALUE_PORT]);
  lookup (widget, "spk_graph_neuron_port_color", "#9141ac", &c[SPK_COLOR_NEURON_PORT]);
  lookup (widget, "spk_graph_error_color", "#e01b24", &c[SPK_COLOR_ERROR]);
  lookup (widget, "spk_graph_ok_color", "#2ec27e", &c[SPK_COLOR_OK]);

  c[SPK_COLOR_DIM_FG] = mix (&c[SPK_COLOR_FG], &c[SPK_COLOR_BG], 0.35);
  c[SPK_COLOR_GRID] = mix (&c[SPK_COLOR_BG], &c[SPK_COLOR_FG], dark ? 0.16 : 0.2);
  c[SPK_COLOR_CARD] = dark ? mix (&c[SPK_COLOR_BG], &white, 0.09) : white;
  c[SPK_COLOR_CARD_BORDER] = mix (&c[SPK_COLOR_BG], &c[SPK_COLOR_FG], dark ? 0.25 : 0.18);
  c[SPK_COLOR_SHADOW] = (GdkRGBA) { 0, 0, 0, dark ? 0.45 : 0.13 };
  c[SPK_COLOR_EDGE] = mix (&c[SPK_COLOR_FG], &c[SPK_COLOR_BG], dark ? 0.3 : 0.4);
  c[SPK_COLOR_LABEL_BG] = c[SPK_COLOR_CARD];
  c[SPK_COLOR_HEADER_FG] = white;
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_grid (SpkGraphView *self,
           cairo_t      *cr,
           double        width,
           double        height)
{
  double step = SPK_GRAPH_GRID * self->zoom;
  double dot = MAX (1.2, 1.6 * MIN (self->zoom, 1.5));
  double x0, y0;

  while (step < 12)
    step *= 2;
  x0 = fmod (self->off_x, step);
  y0 = fmod (self->off_y, step);
  if (x0 < 0)
    x0 += step;
  if (y0 < 0)
    y0 += step;
  for (double y = y0; y < height; y += step)
    for (double x = x0; x < width; x += step)
      cairo_rectangle (cr, x - dot / 2, y - dot / 2, dot, dot);
  set_color (cr, &self->colors[SPK_COLOR_GRID], 1);
  cairo_fill (cr);
}

static const GdkRGBA *
kind_color (SpkGraphView *self,
            SpkCardKind   kind)
{
  switch (kind)
    {
    case SPK_CARD_NODE:
      return &self->colors[SPK_COLOR_NODE];
    case SPK_CARD_ENSEMBLE:
      return &self->colors[SPK_COLOR_ENSEMBLE];
    case SPK_CARD_LAYER:
      return &self->colors[SPK_COLOR_LAYER];
    case SPK_CARD_PROBE:
    case SPK_N_CARD_KINDS:
    default:
      return &self->colors[SPK_COLOR_PROBE];
    }
}

static const GdkRGBA *
port_color (SpkGraphView *self,
            SpkPortKind   port)
{
  if (port == SPK_PORT_NEURONS_IN || port == SPK_PORT_NEURONS_OUT)
    return &self->colors[SPK_COLOR_NEURON_PORT];
  if (port == SPK_PORT_PROBE)
    return &self->colors[SPK_COLOR_PROBE];
  return &self->colors[SPK_COLOR_VALUE_PORT];
}

static gboolean
is_selected (SpkGraphView *self,
             SpkObject    *object)
{
  return g_ptr_array_find (self->selection, object, NULL);
}

static void
port_path (cairo_t     *cr,
           SpkPortKind  kind,
           double       x,
           double       y,
           double       r)
{
  switch (kind)
    {
    case SPK_PORT_NEURONS_IN:
    case SPK_PORT_NEURONS_OUT:
      r *= 0.9;
      cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
      break;
    case SPK_PORT_PROBE:
      r *= 1.25;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r, y);
      cairo_line_to (cr, x, y + r);
      cairo_line_to (cr, x - r, y);
      cairo_close_path (cr);
      break;
    case SPK_PORT_INPUT:
    case SPK_PORT_OUTPUT:
    case SPK_PORT_NONE:
    case SPK_N_PORTS:
    default:
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    }
}

static void
draw_edge (SpkGraphView *self,
           cairo_t      *cr,
           SpkEdge      *edge)
{
  double s = self->scale;
  gboolean selected = !edge->is_probe && is_selected (self, edge->object);
  const GdkRGBA *color;
  double dashes[2] = { 6 * s, 4 * s };

  if (selected)
    color = &self->colors[SPK_COLOR_ACCENT];
  else if (edge->is_probe)
    color = &self->colors[SPK_COLOR_PROBE];
  else if (edge->pre_port == SPK_PORT_NEURONS_OUT || edge->post_port == SPK_PORT_NEURONS_IN)
    color = &self->colors[SPK_COLOR_NEURON_PORT];
  else
    color = &self->colors[SPK_COLOR_EDGE];

  cairo_move_to (cr, edge->p[0][0], edge->p[0][1]);
  cairo_curve_to (cr, edge->p[1][0], edge->p[1][1], edge->p[2][0], edge->p[2][1],
                  edge->p[3][0], edge->p[3][1]);
  if (edge->is_probe)
    {
      cairo_set_dash (cr, dashes, 2, 0);
      cairo_set_line_width (cr, 1.6 * s);
    }
  else
    cairo_set_line_width (cr, (selected ? 3.5 : 2.2) * s);
  set_color (cr, color, edge->is_probe ? 0.8 : 1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  cairo_move_to (cr, edge->arrow[0][0], edge->arrow[0][1]);
  cairo_line_to (cr, edge->arrow[1][0], edge->arrow[1][1]);
  cairo_line_to (cr, edge->arrow[2][0], edge->arrow[2][1]);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_edge_label (SpkGraphView *self,
                 cairo_t      *cr,
                 SpkEdge      *edge)
{
  double s = self->scale;
  double x = edge->label_x - edge->label_w / 2;
  double y = edge->label_y - edge->label_h / 2;
  gboolean selected = is_selected (self, edge->object);

  if (edge->label == NULL)
    return;
  rounded_rect (cr, x, y, edge->label_w, edge->label_h, edge->label_h / 2);
  set_color (cr, &self->colors[SPK_COLOR_LABEL_BG], 0.94);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, (selected ? 2 : 1) * s);
  set_color (cr, selected ? &self->colors[SPK_COLOR_ACCENT] : &self->colors[SPK_COLOR_CARD_BORDER], 1);
  cairo_stroke (cr);
  cairo_move_to (cr, x + 6 * s, y + 2 * s);
  set_color (cr, &self->colors[SPK_COLOR_FG], 0.85);
  pango_cairo_show_layout (cr, edge->label);
}

static void
draw_card (SpkGraphView *self,
           cairo_t      *cr,
           SpkCard      *card)
{
  double s = self->scale;
  double radius = 9 * s;
  int tw, th, kw, kh;
  double header;
  gboolean selected = is_selected (self, card->object);
  gboolean active = selected && g_ptr_array_index (self->selection, self->selection->len - 1) == card->object;
  const GdkRGBA *kind = kind_color (self, card->kind);

  pango_layout_get_pixel_size (card->title_layout, &tw, &th);
  pango_layout_get_pixel_size (card->kind_layout, &kw, &kh);
  header = th + 12 * s;

  /* A soft shadow lifts the card off the grid. */
  rounded_rect (cr, card->x + 1 * s, card->y + 3 * s, card->w, card->h, radius);
  set_color (cr, &self->colors[SPK_COLOR_SHADOW], 1);
  cairo_fill (cr);

  rounded_rect (cr, card->x, card->y, card->w, card->h, radius);
  set_color (cr, &self->colors[SPK_COLOR_CARD], 1);
  cairo_fill_preserve (cr);
  cairo_save (cr);
  cairo_clip (cr);
  cairo_rectangle (cr, card->x, card->y, card->w, header);
  set_color (cr, kind, 1);
  cairo_fill (cr);
  if (card->neurons_layout != NULL)
    {
      double row = card->y + card->h - 22 * s;
      int nw, nh;

      cairo_rectangle (cr, card->x, row, card->w, 22 * s);
      set_color (cr, &self->colors[SPK_COLOR_NEURON_PORT], 0.12);
      cairo_fill (cr);
      pango_layout_get_pixel_size (card->neurons_layout, &nw, &nh);
      cairo_move_to (cr, card->x + (card->w - nw) / 2, row + (22 * s - nh) / 2);
      set_color (cr, &self->colors[SPK_COLOR_NEURON_PORT], 1);
      pango_cairo_show_layout (cr, card->neurons_layout);
    }
  cairo_restore (cr);

  rounded_rect (cr, card->x, card->y, card->w, card->h, radius);
  cairo_set_line_width (cr, 1 * s);
  set_color (cr, &self->colors[SPK_COLOR_CARD_BORDER], 1);
  cairo_stroke (cr);

  cairo_move_to (cr, card->x + 10 * s, card->y + 6 * s);
  set_color (cr, &self->colors[SPK_COLOR_HEADER_FG], 1);
  pango_cairo_show_layout (cr, card->title_layout);
  cairo_move_to (cr, card->x + card->w - 10 * s - kw, card->y + (header - kh) / 2);
  set_color (cr, &self->colors[SPK_COLOR_HEADER_FG], 0.8);
  pango_cairo_show_layout (cr, card->kind_layout);

  cairo_move_to (cr, card->x + 10 * s, card->y + header + 10 * s);
  set_color (cr, &self->colors[SPK_COLOR_FG], 1);
  pango_cairo_show_layout (cr, card->body_layout);

  if (selected)
    {
      rounded_rect (cr, card->x - 4 * s, card->y - 4 * s, card->w + 8 * s, card->h + 8 * s, radius + 4 * s);
      cairo_set_line_width (cr, (active ? 3.5 : 2.5) * s);
      set_color (cr, &self->colors[SPK_COLOR_ACCENT], active ? 1 : 0.7);
      cairo_stroke (cr);
    }
  if (card->object == self->focus_object && gtk_widget_has_visible_focus (GTK_WIDGET (self)))
    {
      double dashes[2] = { 4 * s, 3 * s };

      rounded_rect (cr, card->x - 8 * s, card->y - 8 * s, card->w + 16 * s, card->h + 16 * s, radius + 8 * s);
      cairo_set_dash (cr, dashes, 2, 0);
      cairo_set_line_width (cr, 2 * s);
      set_color (cr, &self->colors[SPK_COLOR_FG], 0.8);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  for (guint k = 0; k < SPK_N_PORTS; k++)
    {
      SpkPort *port = &card->ports[k];
      double r = _spk_graph_view_port_radius (self);
      gboolean target = self->drag_mode == SPK_DRAG_CONNECT && self->target_card == card
                        && self->target_port == (SpkPortKind) k;
      gboolean hover = self->hover_card == card && self->hover_port == (SpkPortKind) k;

      if (!port->present)
        continue;
      if (hover || target)
        r *= 1.4;
      port_path (cr, k, port->x, port->y, r + 2.5 * s);
      set_color (cr, &self->colors[SPK_COLOR_CARD], 1);
      cairo_fill (cr);
      port_path (cr, k, port->x, port->y, r);
      set_color (cr, port_color (self, k), 1);
      cairo_fill (cr);
      if (target)
        {
          port_path (cr, k, port->x, port->y, r + 5 * s);
          cairo_set_line_width (cr, 3 * s);
          set_color (cr, self->drag_message != NULL ? &self->colors[SPK_COLOR_ERROR]
                                                    : &self->colors[SPK_COLOR_OK], 1);
          cairo_stroke (cr);
        }
    }

  if (g_hash_table_contains (self->errors, card->object))
    {
      double bx = card->x + card->w, by = card->y, r = 10 * s;

      cairo_arc (cr, bx, by, r + 2 * s, 0, 2 * G_PI);
      set_color (cr, &self->colors[SPK_COLOR_CARD], 1);
      cairo_fill (cr);
      cairo_arc (cr, bx, by, r, 0, 2 * G_PI);
      set_color (cr, &self->colors[SPK_COLOR_ERROR], 1);
      cairo_fill (cr);
      set_color (cr, &self->colors[SPK_COLOR_HEADER_FG], 1);
      cairo_set_line_width (cr, 2.6 * s);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_move_to (cr, bx, by - r * 0.5);
      cairo_line_to (cr, bx, by + r * 0.12);
      cairo_stroke (cr);
      cairo_arc (cr, bx, by + r * 0.5, 1.5 * s, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
    }
}

/* A small triangle before a group's title: down when open, right when
 * collapsed. */
static void
draw_chevron (cairo_t  *cr,
              double    x,
              double    y,
              double    size,
              gboolean  open)
{
  if (open)
    {
      cairo_move_to (cr, x, y - size * 0.35);
      cairo_line_to (cr, x + size, y - size * 0.35);
      cairo_line_to (cr, x + size / 2, y + size * 0.45);
    }
  else
    {
      cairo_move_to (cr, x + size * 0.15, y - size / 2);
      cairo_line_to (cr, x + size * 0.95, y);
      cairo_line_to (cr, x + size * 0.15, y + size / 2);
    }
  cairo_close_path (cr);
  cairo_fill (cr);
}

static gboolean
group_selected (SpkGraphView *self,
                SpkGroupCard *group)
{
  for (guint i = 0; i < group->members->len; i++)
    if (!is_selected (self, ((SpkCard *) g_ptr_array_index (group->members, i))->object))
      return FALSE;
  return TRUE;
}

static void
draw_group_title (SpkGraphView *self,
                  cairo_t      *cr,
                  SpkGroupCard *group)
{
  double s = self->scale;
  int tw, th, kw, kh;

  pango_layout_get_pixel_size (group->title_layout, &tw, &th);
  pango_layout_get_pixel_size (group->kind_layout, &kw, &kh);
  set_color (cr, &self->colors[SPK_COLOR_HEADER_FG], 1);
  draw_chevron (cr, group->x + 10 * s, group->y + group->header_h / 2, 9 * s, !group->collapsed);
  cairo_move_to (cr, group->x + 24 * s, group->y + (group->header_h - th) / 2);
  pango_cairo_show_layout (cr, group->title_layout);
  cairo_move_to (cr, group->x + group->w - 10 * s - kw, group->y + (group->header_h - kh) / 2);
  set_color (cr, &self->colors[SPK_COLOR_HEADER_FG], 0.8);
  pango_cairo_show_layout (cr, group->kind_layout);
}

/* An open group: a tinted frame around its members, its title on top. */
static void
draw_group_frame (SpkGraphView *self,
                  cairo_t      *cr,
                  SpkGroupCard *group)
{
  double s = self->scale;
  double radius = 12 * s;
  const GdkRGBA *color = &self->colors[SPK_COLOR_NETWORK];
  gboolean selected = group_selected (self, group);

  rounded_rect (cr, group->x, group->y, group->w, group->h, radius);
  set_color (cr, color, 0.08);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, (selected ? 3 : 1.5) * s);
  set_color (cr, selected ? &self->colors[SPK_COLOR_ACCENT] : color, selected ? 1 : 0.7);
  cairo_stroke (cr);

  cairo_save (cr);
  rounded_rect (cr, group->x, group->y, group->w, group->h, radius);
  cairo_clip (cr);
  cairo_rectangle (cr, group->x, group->y, group->w, group->header_h);
  set_color (cr, color, 1);
  cairo_fill (cr);
  cairo_restore (cr);
  draw_group_title (self, cr, group);
}

static void
draw_group_ports (SpkGraphView *self,
                  cairo_t      *cr,
                  GArray       *ports,
                  gboolean      left)
{
  double s = self->scale;

  for (guint i = 0; i < ports->len; i++)
    {
      SpkGroupPort *gport = &g_array_index (ports, SpkGroupPort, i);
      SpkPort *port = &gport->member->ports[gport->kind];
      double r = _spk_graph_view_port_radius (self);
      gboolean target = self->drag_mode == SPK_DRAG_CONNECT && self->target_card == gport->member
                        && self->target_port == gport->kind;
      gboolean hover = self->hover_card == gport->member && self->hover_port == gport->kind;
      int w, h;

      pango_layout_get_pixel_size (gport->name, &w, &h);
      cairo_move_to (cr, left ? port->x + 12 * s : port->x - 12 * s - w, port->y - h / 2.0);
      set_color (cr, &self->colors[SPK_COLOR_FG], 0.85);
      pango_cairo_show_layout (cr, gport->name);

      if (hover || target)
        r *= 1.4;
      port_path (cr, gport->kind, port->x, port->y, r + 2.5 * s);
      set_color (cr, &self->colors[SPK_COLOR_CARD], 1);
      cairo_fill (cr);
      port_path (cr, gport->kind, port->x, port->y, r);
      set_color (cr, port_color (self, gport->kind), 1);
      cairo_fill (cr);
      if (target)
        {
          port_path (cr, gport->kind, port->x, port->y, r + 5 * s);
          cairo_set_line_width (cr, 3 * s);
          set_color (cr, self->drag_message != NULL ? &self->colors[SPK_COLOR_ERROR]
                                                    : &self->colors[SPK_COLOR_OK], 1);
          cairo_stroke (cr);
        }
    }
}

/* A collapsed group: one card, a second one peeking out behind it to say
 * it holds several, with its members' outside ports down its sides. */
static void
draw_group_card (SpkGraphView *self,
                 cairo_t      *cr,
                 SpkGroupCard *group)
{
  double s = self->scale;
  double radius = 9 * s;
  gboolean selected = group_selected (self, group);

  rounded_rect (cr, group->x + 6 * s, group->y - 6 * s, group->w, group->h, radius);
  set_color (cr, &self->colors[SPK_COLOR_CARD], 1);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1 * s);
  set_color (cr, &self->colors[SPK_COLOR_NETWORK], 0.8);
  cairo_stroke (cr);

  rounded_rect (cr, group->x + 1 * s, group->y + 3 * s, group->w, group->h, radius);
  set_color (cr, &self->colors[SPK_COLOR_SHADOW], 1);
  cairo_fill (cr);
  rounded_rect (cr, group->x, group->y, group->w, group->h, radius);
  set_color (cr, &self->colors[SPK_COLOR_CARD], 1);
  cairo_fill_preserve (cr);
  cairo_save (cr);
  cairo_clip (cr);
  cairo_rectangle (cr, group->x, group->y, group->w, group->header_h);
  set_color (cr, &self->colors[SPK_COLOR_NETWORK], 1);
  cairo_fill (cr);
  cairo_restore (cr);
  rounded_rect (cr, group->x, group->y, group->w, group->h, radius);
  cairo_set_line_width (cr, 1 * s);
  set_color (cr, &self->colors[SPK_COLOR_CARD_BORDER], 1);
  cairo_stroke (cr);
  draw_group_title (self, cr, group);

  cairo_move_to (cr, group->x + 10 * s, group->y + group->header_h + 10 * s);
  set_color (cr, &self->colors[SPK_COLOR_FG], 1);
  pango_cairo_show_layout (cr, group->body_layout);

  if (selected)
    {
      rounded_rect (cr, group->x - 4 * s, group->y - 4 * s, group->w + 8 * s, group->h + 8 * s, radius + 4 * s);
      cairo_set_line_width (cr, 3.5 * s);
      set_color (cr, &self->colors[SPK_COLOR_ACCENT], 1);
      cairo_stroke (cr);
    }
  draw_group_ports (self, cr, group->inputs, TRUE);
  draw_group_ports (self, cr, group->outputs, FALSE);
}

static void
draw_connect_drag (SpkGraphView *self,
                   cairo_t      *cr)
{
  SpkPort *from = &self->drag_card->ports[self->drag_port];
  double s = self->scale;
  double x, y, dx;
  double dashes[2] = { 8 * s, 5 * s };
  gboolean refused = self->drag_message != NULL;
  gboolean backwards = self->drag_port != SPK_PORT_OUTPUT && self->drag_port != SPK_PORT_NEURONS_OUT;

  _spk_graph_view_to_canvas (self, self->drag_x, self->drag_y, &x, &y);
  if (self->target_card != NULL)
    {
      x = self->target_card->ports[self->target_port].x;
      y = self->target_card->ports[self->target_port].y;
    }
  dx = MAX (40 * s, fabs (x - from->x) / 2);
  /* Always drawn from the output to the input. */
  if (backwards)
    {
      cairo_move_to (cr, x, y);
      cairo_curve_to (cr, x + dx, y, from->x - dx, from->y, from->x, from->y);
    }
  else
    {
      cairo_move_to (cr, from->x, from->y);
      cairo_curve_to (cr, from->x + dx, from->y, x - dx, y, x, y);
    }
  cairo_set_dash (cr, dashes, 2, 0);
  cairo_set_line_width (cr, 2.5 * s);
  set_color (cr, refused ? &self->colors[SPK_COLOR_ERROR] : &self->colors[SPK_COLOR_ACCENT], 1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* A text bubble at a widget point, drawn at screen size. */
static void
draw_bubble (SpkGraphView  *self,
             cairo_t       *cr,
             PangoLayout   *layout,
             double         x,
             double         y,
             const GdkRGBA *border,
             double         width,
             double         height)
{
  int w, h;
  double pad = 7;

  pango_layout_get_pixel_size (layout, &w, &h);
  x = CLAMP (x, 4, MAX (4, width - w - 2 * pad - 4));
  y = CLAMP (y, 4, MAX (4, height - h - 2 * pad - 4));
  rounded_rect (cr, x, y, w + 2 * pad, h + 2 * pad, 8);
  set_color (cr, &self->colors[SPK_COLOR_CARD], 0.97);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 2);
  set_color (cr, border, 1);
  cairo_stroke (cr);
  cairo_move_to (cr, x + pad, y + pad);
  set_color (cr, &self->colors[SPK_COLOR_FG], 1);
  pango_cairo_show_layout (cr, layout);
}

void
_spk_graph_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_grid (self, cr, width, height);

  if (self->cards->len == 0 && self->empty_layout != NULL)
    {
      int w, h;

      pango_layout_get_pixel_size (self->empty_layout, &w, &h);
      cairo_move_to (cr, (width - w) / 2, (height - h) / 2);
      set_color (cr, &self->colors[SPK_COLOR_DIM_FG], 1);
      pango_cairo_show_layout (cr, self->empty_layout);
    }

  cairo_save (cr);
  cairo_translate (cr, self->off_x, self->off_y);
  cairo_scale (cr, self->zoom, self->zoom);
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkGroupCard *group = g_ptr_array_index (self->groups, i);

      if (!group->collapsed)
        draw_group_frame (self, cr, group);
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);

      if (!edge->hidden)
        draw_edge (self, cr, edge);
    }
  for (guint i = 0; i < self->cards->len; i++)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);

      if (!card->hidden)
        draw_card (self, cr, card);
    }
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkGroupCard *group = g_ptr_array_index (self->groups, i);

      if (group->collapsed)
        draw_group_card (self, cr, group);
    }
  /* Labels above the cards: a loop's label sits over its own card. */
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);

      if (!edge->hidden)
        draw_edge_label (self, cr, edge);
    }
  if (self->drag_mode == SPK_DRAG_CONNECT && self->drag_card != NULL)
    draw_connect_drag (self, cr);
  cairo_restore (cr);

  if (self->drag_mode == SPK_DRAG_RUBBER)
    {
      double x = MIN (self->drag_x0, self->drag_x), y = MIN (self->drag_y0, self->drag_y);
      double w = fabs (self->drag_x - self->drag_x0), h = fabs (self->drag_y - self->drag_y0);

      cairo_rectangle (cr, x + 0.5, y + 0.5, w, h);
      set_color (cr, &self->colors[SPK_COLOR_ACCENT], 0.15);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1);
      set_color (cr, &self->colors[SPK_COLOR_ACCENT], 1);
      cairo_stroke (cr);
    }

  if (self->drag_mode == SPK_DRAG_CONNECT && self->message_layout != NULL)
    draw_bubble (self, cr, self->message_layout, self->drag_x + 16, self->drag_y + 16,
                 &self->colors[SPK_COLOR_ERROR], width, height);
  else if (self->hover_layout != NULL && self->hover_card != NULL && self->drag_mode == SPK_DRAG_NONE)
    {
      SpkPort *port = &self->hover_card->ports[self->hover_port];
      double x = port->x * self->zoom + self->off_x;
      double y = port->y * self->zoom + self->off_y;
      gboolean left = self->hover_card->hidden
                      ? self->hover_port == SPK_PORT_INPUT || self->hover_port == SPK_PORT_NEURONS_IN
                        || self->hover_port == SPK_PORT_PROBE
                      : port->x < self->hover_card->x + self->hover_card->w / 2;
      int w, h;

      pango_layout_get_pixel_size (self->hover_layout, &w, &h);
      draw_bubble (self, cr, self->hover_layout, left ? x - w - 14 - 16 : x + 16, y - h / 2.0 - 7,
                   port_color (self, self->hover_port), width, height);
    }
  cairo_destroy (cr);
}
