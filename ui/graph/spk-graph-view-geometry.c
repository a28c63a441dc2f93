/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-geometry.c — the prepared geometry of the canvas: cards
 * with their text and ports, edges with their curves and labels.
 *
 * _spk_graph_view_rebuild() remakes everything from the model (text, card
 * sizes, which ports exist, which edges exist); it runs when an object is
 * added, removed or edited and when the style changes.
 * _spk_graph_view_update_geometry() only repositions cards, ports and
 * curves; it runs for every move.  Both work in canvas units.
 *
 * Groups: rebuild() makes an SpkGroupCard per group of the layout with
 * members on the canvas, hides the cards and edges a collapsed group
 * swallows and marks the members' ports that still connect outside as
 * exposed; update_geometry() puts an open group's frame around its members
 * and a collapsed group's card at the middle of where its members sit, and
 * moves the exposed ports onto that card's edges.
 *
 * The hit tests that read this geometry are in spk-graph-view-hit.c.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "model/spk-subnetwork.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>


/* Card metrics in canvas units at scale 1. */
#define CARD_MIN_WIDTH   150.0
#define CARD_MAX_WIDTH   230.0
#define CARD_PAD         10.0
#define HEADER_PAD_Y     6.0
#define NEURON_ROW       22.0
#define PORT_RADIUS      6.0
#define FAN_SPACING      30.0
#define ARROW_LENGTH     11.0
#define ARROW_HALF_WIDTH 5.5
#define LABEL_LIFT       4.0
#define GROUP_PAD        18.0
#define GROUP_PORT_ROW   24.0

void
_spk_graph_card_free (gpointer data)
{
  SpkCard *card = data;

  g_clear_object (&card->kind_layout);
  g_clear_object (&card->title_layout);
  g_clear_object (&card->body_layout);
  g_clear_object (&card->neurons_layout);
  for (guint i = 0; i < SPK_N_PORTS; i++)
    g_free (card->ports[i].tip);
  g_free (card->description);
  g_free (card);
}

static void
clear_group_port (gpointer data)
{
  SpkGroupPort *port = data;

  g_clear_object (&port->name);
}

void
_spk_graph_group_card_free (gpointer data)
{
  SpkGroupCard *group = data;

  g_ptr_array_unref (group->members);
  g_clear_object (&group->kind_layout);
  g_clear_object (&group->title_layout);
  g_clear_object (&group->body_layout);
  g_array_unref (group->inputs);
  g_array_unref (group->outputs);
  g_free (group->label);
  g_free (group->description);
  g_free (group);
}

void
_spk_graph_edge_free (gpointer data)
{
  SpkEdge *edge = data;

  g_clear_object (&edge->label);
  g_free (edge);
}

double
_spk_graph_view_port_radius (SpkGraphView *self)
{
  return PORT_RADIUS * self->scale;
}

void
_spk_graph_view_clear_geometry (SpkGraphView *self)
{
  self->hover_card = NULL;
  self->drag_card = NULL;
  self->target_card = NULL;
  self->drag_group = NULL;
  g_ptr_array_set_size (self->groups, 0);
  g_hash_table_remove_all (self->card_map);
  g_ptr_array_set_size (self->edges, 0);
  g_ptr_array_set_size (self->cards, 0);
}

static PangoLayout *
make_layout (PangoContext *context,
             const char   *text,
             double        points,
             PangoWeight   weight,
             double        max_width)
{
  PangoLayout *layout = pango_layout_new (context);
  g_autoptr (PangoFontDescription) font =
    pango_font_description_copy (pango_context_get_font_description (context));

  pango_font_description_set_size (font, (int) (points * PANGO_SCALE));
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

/* Text is drawn scaled by the zoom: unhinted metrics keep it in place. */
static PangoContext *
create_context (SpkGraphView *self)
{
  PangoContext *context = gtk_widget_create_pango_context (GTK_WIDGET (self));
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  return context;
}

/* A layout for text drawn over the canvas at screen size (hover labels,
 * messages). */
PangoLayout *
_spk_graph_view_make_text (SpkGraphView *self,
                           const char   *text,
                           gboolean      bold)
{
  PangoContext *context = create_context (self);
  PangoLayout *layout = make_layout (context, text, 10.5 * self->scale,
                                     bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                                     360 * self->scale);

  g_object_unref (context);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return h;
}

static char *
format_seconds (double seconds)
{
  if (seconds < 1.0)
    return g_strdup_printf (_("%g ms"), seconds * 1000.0);
  return g_strdup_printf (_("%g s"), seconds);
}

static char *
describe_synapse (SpkSynapse *synapse)
{
  g_autofree char *tau = NULL;

  if (synapse == NULL)
    return g_strdup (_("no synapse"));
  tau = format_seconds (synapse->tau);
  switch (synapse->kind)
    {
    case SPK_SYNAPSE_LOWPASS:
      /* TRANSLATORS: a lowpass synapse and its time constant, "lowpass 5 ms" */
      return g_strdup_printf (_("lowpass %s"), tau);
    case SPK_SYNAPSE_ALPHA:
      return g_strdup_printf (_("alpha %s"), tau);
    case SPK_SYNAPSE_TRIANGLE:
      /* TRANSLATORS: a triangular synapse and its length, "triangle 10 ms" */
      return g_strdup_printf (_("triangle %s"), tau);
    case SPK_SYNAPSE_LINEAR_FILTER:
    default:
      return g_strdup (_("linear filter"));
    }
}

static char *
describe_transform (SpkDistribution *transform)
{
  if (transform == NULL)
    return NULL;
  switch (transform->kind)
    {
    case SPK_DIST_ARRAY:
      if (transform->array->ndim == 0)
        return transform->array->data[0] == 1.0
               ? NULL : g_strdup_printf ("×%g", transform->array->data[0]);
      if (transform->array->ndim == 1)
        return g_strdup_printf (_("×diag %zu"), transform->array->size);
      return g_strdup_printf (_("%zu×%zu matrix"),
                              transform->array->shape[0], transform->array->shape[1]);
    case SPK_DIST_GLOROT:
      return g_strdup (_("Glorot weights"));
    case SPK_DIST_UNIFORM:
    case SPK_DIST_GAUSSIAN:
    case SPK_DIST_CHOICE:
    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
    default:
      return g_strdup_printf (_("%s weights"), spk_distribution_kind_to_name (transform->kind));
    }
}

static char *
connection_label (SpkConnection *conn)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *function = spk_connection_get_function (conn);
  char *transform = describe_transform (spk_connection_get_transform (conn));

  if (function != NULL && *function != '\0')
    g_ptr_array_add (parts, g_strdup_printf ("f = %s", function));
  else if (spk_connection_get_function_points (conn) != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("f given at %zu points"),
                                             spk_connection_get_function_points (conn)->shape[0]));
  if (transform != NULL)
    g_ptr_array_add (parts, transform);
  g_ptr_array_add (parts, describe_synapse (spk_connection_get_synapse (conn)));
  if (spk_connection_get_learning_rule_type (conn) != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("learns by %s"),
                                             spk_learning_kind_to_name (spk_connection_get_learning_rule_type (conn)->kind)));
  g_ptr_array_add (parts, NULL);
  /* One part a line: a narrow label leaves the columns close together. */
  return g_strjoinv ("\n", (char **) parts->pdata);
}

static const char *
object_name (SpkObject *object)
{
  const char *label = spk_object_get_label (object);

  return label != NULL && *label != '\0' ? label : _("(unnamed)");
}

static const char *
describe_process (SpkProcess *process)
{
  switch (process->kind)
    {
    case SPK_PROCESS_WHITE_SIGNAL:
      return _("random smooth signal");
    case SPK_PROCESS_WHITE_NOISE:
      return _("white noise");
    case SPK_PROCESS_PRESENT_INPUT:
      if (g_strcmp0 (process->dataset, "fashion-mnist") == 0)
        return _("Fashion-MNIST images in turn");
      if (process->dataset != NULL)
        return _("generated images in turn");
      return _("presents inputs in turn");
    case SPK_PROCESS_PIECEWISE:
      return _("steps over time");
    case SPK_PROCESS_N_KINDS:
    default:
      return spk_process_kind_to_name (process->kind);
    }
}

static char *
node_body (SpkNode *node,
           guint    size_out)
{
  SpkArray *value = spk_node_get_output_value (node);
  const char *expr = spk_node_get_output_expr (node);
  SpkProcess *process = spk_node_get_output_process (node);
  guint size_in = spk_node_get_size_in (node);
  g_autofree char *what = NULL;
  g_autofree char *sizes = NULL;

  if (expr != NULL && *expr != '\0')
    what = g_strdup (expr);
  else if (process != NULL)
    what = g_strdup (describe_process (process));
  else if (value != NULL && value->size == 1)
    what = g_strdup_printf (_("constant %g"), value->data[0]);
  else if (value != NULL)
    what = g_strdup (_("constant vector"));
  else if (size_in > 0)
    what = g_strdup (_("pass-through"));
  else
    what = g_strdup (_("no output"));

  if (size_in > 0 && size_out > 0 && (value != NULL || expr != NULL || process != NULL))
    sizes = g_strdup_printf (_("%u in → %u out"), size_in, size_out);
  else if (size_out > 0)
    sizes = g_strdup_printf (ngettext ("%u value", "%u values", size_out), size_out);
  else if (size_in > 0)
    sizes = g_strdup_printf (ngettext ("%u value in", "%u values in", size_in), size_in);
  else
    sizes = g_strdup (_("nothing to send"));
  return g_strdup_printf ("%s\n%s", what, sizes);
}

static char *
ensemble_body (SpkEnsemble *ens)
{
  SpkNeuronType *type = spk_ensemble_get_neuron_type (ens);
  int n = spk_ensemble_get_n_neurons (ens);
  int d = spk_ensemble_get_dimensions (ens);
  const char *kind = type != NULL ? spk_neuron_kind_to_name (type->kind) : "?";
  g_autofree char *neurons = NULL;
  g_autofree char *dims = g_strdup_printf (ngettext ("%d dimension", "%d dimensions", d), d);

  if (type != NULL && spk_neuron_kind_is_direct (type->kind))
    neurons = g_strdup (_("Direct: computed exactly"));
  else
    neurons = g_strdup_printf (ngettext ("%d %s neuron", "%d %s neurons", n), n, kind);
  return g_strdup_printf ("%s\n%s", neurons, dims);
}

static char *
probe_body (SpkProbe *probe)
{
  SpkObject *target = spk_probe_get_target (probe);
  const char *attr = spk_probe_get_attr (probe);
  const char *what;

  if (target == NULL)
    return g_strdup (_("no target yet\ndrag a port here"));
  if (attr != NULL && *attr != '\0')
    what = attr;
  else if (spk_probe_get_target_neurons (probe))
    what = _("neuron output");
  else if (SPK_IS_NODE (target) || SPK_IS_LAYER (target))
    what = _("output");
  else
    what = _("decoded value");
  return g_strdup_printf ("%s\n%s", object_name (target), what);
}

static void
set_port (SpkCard    *card,
          SpkPortKind kind,
          char       *tip)
{
  card->ports[kind].present = TRUE;
  card->ports[kind].tip = tip;
}

static SpkCard *
make_card (SpkGraphView *self,
           PangoContext *context,
           SpkObject    *object)
{
  SpkCard *card = g_new0 (SpkCard, 1);
  static const char *kind_names[SPK_N_CARD_KINDS] = { N_("Node"), N_("Ensemble"), N_("Probe"), N_("Layer") };
  double s = self->scale;
  double text_max = (CARD_MAX_WIDTH - 2 * CARD_PAD) * s;
  g_autofree char *body = NULL;
  gboolean has_neurons = TRUE;
  double w;

  card->object = object;
  if (SPK_IS_ENSEMBLE (object))
    {
      SpkEnsemble *ens = SPK_ENSEMBLE (object);
      int d = spk_ensemble_get_dimensions (ens);
      int n = spk_ensemble_get_n_neurons (ens);

      card->kind = SPK_CARD_ENSEMBLE;
      body = ensemble_body (ens);
      set_port (card, SPK_PORT_INPUT,
                g_strdup_printf (ngettext ("input: %d dimension", "input: %d dimensions", d), d));
      set_port (card, SPK_PORT_OUTPUT,
                g_strdup_printf (ngettext ("decoded output: %d dimension",
                                           "decoded output: %d dimensions", d), d));
      /* A Direct ensemble has no neurons to connect to or from. */
      if (spk_neuron_kind_is_direct (spk_ensemble_get_neuron_type (ens)->kind))
        has_neurons = FALSE;
      else
        {
          set_port (card, SPK_PORT_NEURONS_IN,
                    g_strdup_printf (ngettext ("into the neurons: %d neuron",
                                               "into the neurons: %d neurons", n), n));
          set_port (card, SPK_PORT_NEURONS_OUT,
                    g_strdup_printf (ngettext ("from the neurons: %d neuron",
                                               "from the neurons: %d neurons", n), n));
        }
    }
  else if (SPK_IS_NODE (object))
    {
      guint in = _spk_graph_input_size (object, FALSE);
      guint out = _spk_graph_output_size (object, FALSE);

      card->kind = SPK_CARD_NODE;
      body = node_body (SPK_NODE (object), out);
      if (in > 0)
        set_port (card, SPK_PORT_INPUT,
                  g_strdup_printf (ngettext ("input: %u value", "input: %u values", in), in));
      if (out > 0)
        set_port (card, SPK_PORT_OUTPUT,
                  g_strdup_printf (ngettext ("output: %u value", "output: %u values", out), out));
    }
  else if (SPK_IS_LAYER (object))
    {
      guint in = _spk_graph_input_size (object, FALSE);
      guint out = _spk_graph_output_size (object, FALSE);
      g_autofree char *what = spk_layer_describe (SPK_LAYER (object));
      char *colon = strstr (what, ": ");

      /* "Conv2D 3×3, 32 filters, strides 1" over "28×28×1 → 26×26×32". */
      card->kind = SPK_CARD_LAYER;
      if (colon)
        {
          SpkLayerType type = spk_layer_get_layer_type (SPK_LAYER (object));
          char *strides = NULL;

          /* A window's stride (the last ", " part of its description, in
           * any language) gets a line of its own, so cards stay narrow. */
          *colon = '\0';
          if (type == SPK_LAYER_CONV2D || type == SPK_LAYER_AVERAGE_POOLING2D)
            strides = g_strrstr (what, ", ");
          if (strides)
            *strides = '\0';
          body = g_strdup_printf ("%s\n%s%s%s", what, colon + 2, strides ? "\n" : "",
                                  strides ? strides + 2 : "");
        }
      else
        body = g_strdup (what);
      if (in > 0)
        set_port (card, SPK_PORT_INPUT,
                  g_strdup_printf (ngettext ("input: %u value", "input: %u values", in), in));
      if (out > 0)
        set_port (card, SPK_PORT_OUTPUT,
                  g_strdup_printf (ngettext ("output: %u value", "output: %u values", out), out));
    }
  else
    {
      card->kind = SPK_CARD_PROBE;
      body = probe_body (SPK_PROBE (object));
      set_port (card, SPK_PORT_PROBE, g_strdup (_("records: drag an output here")));
    }

  card->kind_layout = make_layout (context, _(kind_names[card->kind]), 8.5 * s, PANGO_WEIGHT_NORMAL, -1);
  card->title_layout = make_layout (context, object_name (object), 11.5 * s, PANGO_WEIGHT_BOLD,
                                    text_max - layout_width (card->kind_layout) - 8 * s);
  card->body_layout = make_layout (context, body, 10 * s, PANGO_WEIGHT_NORMAL, text_max);
  pango_layout_set_spacing (card->body_layout, (int) (2 * s * PANGO_SCALE));
  if (card->kind == SPK_CARD_ENSEMBLE && has_neurons)
    card->neurons_layout = make_layout (context, _("neurons"), 8.5 * s, PANGO_WEIGHT_NORMAL, -1);

  w = MAX (layout_width (card->title_layout) + layout_width (card->kind_layout) + 12 * s,
           layout_width (card->body_layout)) + 2 * CARD_PAD * s;
  card->w = CLAMP (w, CARD_MIN_WIDTH * s, CARD_MAX_WIDTH * s);
  card->w = ceil (card->w / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2);
  card->h = layout_height (card->title_layout) + 2 * HEADER_PAD_Y * s
            + layout_height (card->body_layout) + 2 * CARD_PAD * s
            + (card->neurons_layout != NULL ? NEURON_ROW * s : 0);
  card->description = g_strdup_printf ("%s %s: %s", _(kind_names[card->kind]),
                                       object_name (object), body);
  g_strdelimit (card->description, "\n", ',');
  return card;
}

static SpkEdge *
make_edge (SpkGraphView *self,
           PangoContext *context,
           SpkObject    *object)
{
  SpkEdge *edge = g_new0 (SpkEdge, 1);

  edge->object = object;
  if (SPK_IS_CONNECTION (object))
    {
      SpkConnection *conn = SPK_CONNECTION (object);
      gboolean pre_neurons = spk_connection_get_pre_neurons (conn);
      gboolean post_neurons = spk_connection_get_post_neurons (conn);
      g_autofree char *text = connection_label (conn);

      SpkObject *post = spk_connection_get_post (conn);

      /* An error connection is drawn into the connection it teaches;
       * _spk_graph_view_rebuild() finds that edge. */
      if (SPK_IS_CONNECTION (post))
        post = spk_connection_get_post (SPK_CONNECTION (post));
      edge->pre = _spk_graph_view_lookup_card (self, spk_connection_get_pre (conn));
      edge->post = post ? _spk_graph_view_lookup_card (self, post) : NULL;
      edge->pre_port = pre_neurons ? SPK_PORT_NEURONS_OUT : SPK_PORT_OUTPUT;
      edge->post_port = edge->post != NULL && edge->post->kind == SPK_CARD_PROBE
                        ? SPK_PORT_PROBE
                        : post_neurons ? SPK_PORT_NEURONS_IN : SPK_PORT_INPUT;
      edge->label = make_layout (context, text, 8.5 * self->scale, PANGO_WEIGHT_NORMAL, -1);
      pango_layout_set_alignment (edge->label, PANGO_ALIGN_CENTER);
      edge->label_w = layout_width (edge->label) + 12 * self->scale;
      edge->label_h = layout_height (edge->label) + 4 * self->scale;
    }
  else
    {
      SpkProbe *probe = SPK_PROBE (object);

      edge->is_probe = TRUE;
      edge->pre = _spk_graph_view_lookup_card (self, spk_probe_get_target (probe));
      edge->post = _spk_graph_view_lookup_card (self, object);
      edge->pre_port = spk_probe_get_target_neurons (probe) ? SPK_PORT_NEURONS_OUT : SPK_PORT_OUTPUT;
      edge->post_port = SPK_PORT_PROBE;
    }
  if (edge->pre == NULL || edge->post == NULL)
    {
      _spk_graph_edge_free (edge);
      return NULL;
    }
  edge->is_loop = edge->pre == edge->post;
  return edge;
}

static void
add_group_port (GArray       *ports,
                SpkCard      *member,
                SpkPortKind   kind,
                PangoContext *context,
                double        scale)
{
  SpkGroupPort port = { member, kind, NULL };

  for (guint i = 0; i < ports->len; i++)
    {
      SpkGroupPort *other = &g_array_index (ports, SpkGroupPort, i);

      if (other->member == member && other->kind == kind)
        return;
    }
  port.name = make_layout (context, object_name (member->object), 9 * scale, PANGO_WEIGHT_NORMAL,
                           (CARD_MAX_WIDTH / 2 - CARD_PAD) * scale);
  g_array_append_val (ports, port);
}

/* What a collapsed group holds, counted: "2 ensembles · 150 neurons". */
static char *
group_body (GPtrArray *members)
{
  guint n_ens = 0, n_neurons = 0, n_nodes = 0, n_probes = 0;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < members->len; i++)
    {
      SpkObject *object = ((SpkCard *) g_ptr_array_index (members, i))->object;

      if (SPK_IS_ENSEMBLE (object))
        {
          n_ens++;
          n_neurons += spk_ensemble_get_n_neurons (SPK_ENSEMBLE (object));
        }
      else if (SPK_IS_NODE (object))
        n_nodes++;
      else
        n_probes++;
    }
  if (n_ens > 0)
    {
      g_autofree char *ens = g_strdup_printf (ngettext ("%u ensemble", "%u ensembles", n_ens), n_ens);
      g_autofree char *neurons = g_strdup_printf (ngettext ("%u neuron", "%u neurons", n_neurons), n_neurons);

      g_ptr_array_add (lines, g_strdup_printf ("%s · %s", ens, neurons));
    }
  if (n_nodes > 0 || n_probes > 0)
    {
      g_autofree char *nodes = g_strdup_printf (ngettext ("%u node", "%u nodes", n_nodes), n_nodes);
      g_autofree char *probes = g_strdup_printf (ngettext ("%u probe", "%u probes", n_probes), n_probes);

      if (n_nodes > 0 && n_probes > 0)
        g_ptr_array_add (lines, g_strdup_printf ("%s · %s", nodes, probes));
      else
        g_ptr_array_add (lines, g_strdup (n_nodes > 0 ? nodes : probes));
    }
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* A group card for net (label) of the cards in members that are inside
 * it (all of them for a top-level group), or NULL when none is; each
 * card's group becomes the innermost one, hidden inside a collapsed one. */
static SpkGroupCard *
make_group (SpkGraphView   *self,
            PangoContext   *context,
            SpkLayoutGroup *group,
            SpkObject      *net,
            const char     *label,
            gboolean        collapsed,
            SpkGroupCard   *parent,
            GPtrArray      *members)
{
  SpkGroupCard *gcard;
  double s = self->scale;
  double text_max = (CARD_MAX_WIDTH + 40 - 2 * CARD_PAD) * s;
  g_autofree char *body = NULL;
  const char *kind_name;

  gcard = g_new0 (SpkGroupCard, 1);
  gcard->group = group;
  gcard->net = net;
  gcard->parent = parent;
  gcard->label = g_strdup (label);
  gcard->collapsed = collapsed;
  gcard->members = g_ptr_array_new ();
  gcard->inputs = g_array_new (FALSE, FALSE, sizeof (SpkGroupPort));
  gcard->outputs = g_array_new (FALSE, FALSE, sizeof (SpkGroupPort));
  g_array_set_clear_func (gcard->inputs, clear_group_port);
  g_array_set_clear_func (gcard->outputs, clear_group_port);
  for (guint i = 0; i < members->len; i++)
    {
      SpkCard *card = parent != NULL ? g_ptr_array_index (members, i)
                                     : _spk_graph_view_lookup_card (self, g_ptr_array_index (members, i));

      /* A deleted member keeps its membership for undo, but no card. */
      if (card == NULL || self->layout == NULL || !spk_layout_get_position (self->layout, card->object, NULL, NULL))
        continue;
      if (parent == NULL ? card->group != NULL
                         : !spk_subnetwork_contains (SPK_SUBNETWORK (net), card->object))
        continue;
      card->group = gcard;
      card->hidden = card->hidden || collapsed;
      g_ptr_array_add (gcard->members, card);
    }
  if (gcard->members->len == 0)
    {
      _spk_graph_group_card_free (gcard);
      return NULL;
    }

  body = group_body (gcard->members);
  /* A built-in network says which it is, by Nengo's name for it. */
  kind_name = net != NULL && SPK_IS_SUBNETWORK (net) && spk_subnetwork_get_kind (SPK_SUBNETWORK (net)) != NULL
              ? spk_subnetwork_get_kind (SPK_SUBNETWORK (net)) : _("Network");
  gcard->kind_layout = make_layout (context, kind_name, 8.5 * s, PANGO_WEIGHT_NORMAL, -1);
  gcard->title_layout = make_layout (context, label, (parent != NULL && !collapsed ? 10 : 11.5) * s,
                                     PANGO_WEIGHT_BOLD, text_max - layout_width (gcard->kind_layout) - 8 * s);
  gcard->body_layout = make_layout (context, body, 10 * s, PANGO_WEIGHT_NORMAL, text_max);
  pango_layout_set_spacing (gcard->body_layout, (int) (2 * s * PANGO_SCALE));
  gcard->header_h = layout_height (gcard->title_layout) + 2 * HEADER_PAD_Y * s;
  gcard->description = g_strdup_printf ("%s %s: %s", kind_name, label, body);
  g_strdelimit (gcard->description, "\n", ',');
  return gcard;
}

/* An open group's nested networks, each a group card of its own (added
 * after it), collapsed unless the layout says open; an open one's
 * nested networks in turn. */
static void
add_nested_groups (SpkGraphView *self,
                   PangoContext *context,
                   SpkGroupCard *open)
{
  GPtrArray *objects = spk_network_get_objects (self->network);

  if (open->net == NULL || !SPK_IS_SUBNETWORK (open->net))
    return;
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *inner = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (inner);
      SpkLayoutGroup *group;
      SpkGroupCard *gcard;
      gboolean collapsed;

      if (!SPK_IS_SUBNETWORK (inner) || spk_object_get_network (inner) != open->net || label == NULL)
        continue;
      collapsed = spk_layout_get_nested_collapsed (self->layout, label);
      group = spk_layout_lookup_group (self->layout, label);
      if (group != NULL && spk_layout_group_get_members (group)->len > 0)
        group = NULL;
      gcard = make_group (self, context, group, inner, label, collapsed, open, open->members);
      if (gcard == NULL)
        continue;
      g_ptr_array_add (self->groups, gcard);
      if (!collapsed)
        add_nested_groups (self, context, gcard);
    }
}

/* The size of a collapsed group's card, once its ports are known. */
static void
size_group (SpkGraphView *self,
            SpkGroupCard *gcard)
{
  double s = self->scale;
  double in_w = 0, out_w = 0, w;
  guint rows = MAX (gcard->inputs->len, gcard->outputs->len);

  for (guint i = 0; i < gcard->inputs->len; i++)
    in_w = MAX (in_w, layout_width (g_array_index (gcard->inputs, SpkGroupPort, i).name));
  for (guint i = 0; i < gcard->outputs->len; i++)
    out_w = MAX (out_w, layout_width (g_array_index (gcard->outputs, SpkGroupPort, i).name));
  w = MAX (layout_width (gcard->title_layout) + layout_width (gcard->kind_layout) + 12 * s,
           MAX (layout_width (gcard->body_layout), in_w + out_w + 24 * s)) + 2 * CARD_PAD * s;
  gcard->w = MAX (w, CARD_MIN_WIDTH * s);
  gcard->w = ceil (gcard->w / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2);
  gcard->h = gcard->header_h + layout_height (gcard->body_layout) + 2 * CARD_PAD * s
             + rows * GROUP_PORT_ROW * s + (rows > 0 ? CARD_PAD * s / 2 : 0);
}

/* Groups on the canvas: which cards and edges a collapsed group hides,
 * and which of its members' ports it shows. */
static void
build_groups (SpkGraphView *self,
              PangoContext *context)
{
  GPtrArray *groups;

  if (self->layout == NULL)
    return;
  groups = spk_layout_get_groups (self->layout);
  for (guint i = 0; i < groups->len; i++)
    {
      SpkLayoutGroup *group = g_ptr_array_index (groups, i);
      const char *label = spk_layout_group_get_label (group);
      SpkObject *net = self->network ? spk_network_lookup (self->network, label) : NULL;
      SpkGroupCard *gcard;

      /* A nested network's group (no members) is drawn inside its outer one. */
      if (spk_layout_group_get_members (group)->len == 0)
        continue;
      gcard = make_group (self, context, group, net, label, spk_layout_group_get_collapsed (group), NULL,
                          spk_layout_group_get_members (group));
      if (gcard == NULL)
        continue;
      g_ptr_array_add (self->groups, gcard);
      if (!gcard->collapsed)
        add_nested_groups (self, context, gcard);
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);

      if (edge->pre->hidden && edge->post->hidden && edge->pre->group == edge->post->group)
        {
          edge->hidden = TRUE;
          continue;
        }
      if (edge->pre->hidden)
        {
          edge->pre->ports[edge->pre_port].exposed = TRUE;
          add_group_port (edge->pre->group->outputs, edge->pre, edge->pre_port, context, self->scale);
        }
      if (edge->post->hidden)
        {
          edge->post->ports[edge->post_port].exposed = TRUE;
          add_group_port (edge->post->group->inputs, edge->post, edge->post_port, context, self->scale);
        }
    }
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkGroupCard *gcard = g_ptr_array_index (self->groups, i);

      if (gcard->collapsed)
        size_group (self, gcard);
    }
}

/* Everything from the model.  Cheap enough to run on every edit: a network
 * a class draws has tens of objects, not thousands. */
void
_spk_graph_view_rebuild (SpkGraphView *self)
{
  g_autoptr (GObject) context_ref = NULL;
  PangoContext *context = create_context (self);
  GPtrArray *objects;

  context_ref = G_OBJECT (context);
  _spk_graph_view_clear_geometry (self);
  g_clear_object (&self->empty_layout);
  self->empty_layout = make_layout (context,
                                    _("Press Shift+A or double-click to add a node, an ensemble or a probe"),
                                    13 * self->scale, PANGO_WEIGHT_NORMAL, -1);
  if (self->network == NULL)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  objects = spk_network_get_objects (self->network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkCard *card;

      /* Connections are edges; a sub-network is its group's card. */
      if (!_spk_graph_view_is_card_object (object))
        continue;
      card = make_card (self, context, object);
      g_ptr_array_add (self->cards, card);
      g_hash_table_insert (self->card_map, object, card);
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkEdge *edge = NULL;

      if (SPK_IS_CONNECTION (object))
        edge = make_edge (self, context, object);
      else if (SPK_IS_PROBE (object) && spk_probe_get_target (SPK_PROBE (object)) != NULL)
        edge = make_edge (self, context, object);
      if (edge != NULL)
        g_ptr_array_add (self->edges, edge);
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);
      SpkObject *post = SPK_IS_CONNECTION (edge->object)
                        ? spk_connection_get_post (SPK_CONNECTION (edge->object)) : NULL;

      if (post == NULL || !SPK_IS_CONNECTION (post))
        continue;
      for (guint j = 0; j < self->edges->len; j++)
        if (((SpkEdge *) g_ptr_array_index (self->edges, j))->object == post)
          edge->post_edge = g_ptr_array_index (self->edges, j);
      edge->is_loop = FALSE;
    }

  build_groups (self, context);

  /* Parallel edges between the same two cards fan apart. */
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);

      for (guint j = 0; j < self->edges->len; j++)
        {
          SpkEdge *other = g_ptr_array_index (self->edges, j);

          if (other->pre == edge->pre && other->post == edge->post)
            {
              if (j < i)
                edge->fan_index++;
              edge->fan_count++;
            }
        }
    }
  _spk_graph_view_update_geometry (self);
}

static void
bezier_point (const double p[4][2],
              double       t,
              double      *x,
              double      *y)
{
  double u = 1 - t;
  double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;

  *x = a * p[0][0] + b * p[1][0] + c * p[2][0] + d * p[3][0];
  *y = a * p[0][1] + b * p[1][1] + c * p[2][1] + d * p[3][1];
}

static void
place_card (SpkGraphView *self,
            SpkCard      *card)
{
  double s = self->scale;
  double cx = 0, cy = 0;
  double header, body_mid, neuron_mid;

  /* Presentation mode spreads the positions as it grows the cards, so the
   * layout (the user's placement) stays as it is. */
  if (self->layout != NULL && spk_layout_get_position (self->layout, card->object, &cx, &cy))
    {
      cx *= s;
      cy *= s;
    }
  card->x = cx - card->w / 2;
  card->y = cy - card->h / 2;

  header = layout_height (card->title_layout) + 2 * HEADER_PAD_Y * s;
  body_mid = card->y + header + (layout_height (card->body_layout) + 2 * CARD_PAD * s) / 2;
  neuron_mid = card->y + card->h - NEURON_ROW * s / 2;
  for (guint k = 0; k < SPK_N_PORTS; k++)
    {
      SpkPort *port = &card->ports[k];
      gboolean left = k == SPK_PORT_INPUT || k == SPK_PORT_NEURONS_IN || k == SPK_PORT_PROBE;
      gboolean neurons = k == SPK_PORT_NEURONS_IN || k == SPK_PORT_NEURONS_OUT;

      port->x = left ? card->x : card->x + card->w;
      port->y = neurons ? neuron_mid : body_mid;
    }
}

static void
place_edge (SpkGraphView *self,
            SpkEdge      *edge)
{
  double s = self->scale;
  SpkPort *from = &edge->pre->ports[edge->pre_port];
  SpkPort *to = &edge->post->ports[edge->post_port];
  double r = PORT_RADIUS * s;
  double fan = ((double) edge->fan_index - (edge->fan_count - 1) / 2.0) * FAN_SPACING * s;
  double x0 = from->x + r, y0 = from->y;
  double x3 = to->x - r, y3 = to->y;
  double dx, ux, uy, len;

  if (edge->post_edge != NULL)
    {
      /* Over the top into the taught connection's label, where the
       * canvas is usually clear. */
      SpkEdge *taught = edge->post_edge;
      double top;

      x3 = taught->label_x;
      y3 = taught->label_y - taught->label_h / 2;
      top = MIN (y0, y3) - 70 * s;
      edge->p[1][0] = x0 + 60 * s;
      edge->p[1][1] = top;
      edge->p[2][0] = x3;
      edge->p[2][1] = top;
    }
  else if (edge->drops)
    {
      /* A bend from the output round into the right side of the probe
       * below, clear of every card. */
      double reach = MAX (x0, to->x + r) + 40 * s;

      x3 = to->x + r;
      edge->p[1][0] = reach;
      edge->p[1][1] = y0;
      edge->p[2][0] = reach;
      edge->p[2][1] = y3;
    }
  else if (edge->is_loop)
    {
      /* Over the top of the card, higher for each further loop. */
      double mid = edge->pre->y - (34 + FAN_SPACING * edge->fan_index) * s;
      double top = (mid - 0.25 * (y0 + y3) / 2) / 0.75;

      edge->p[1][0] = x0 + 80 * s;
      edge->p[1][1] = top;
      edge->p[2][0] = x3 - 80 * s;
      edge->p[2][1] = top;
    }
  else
    {
      dx = MAX (50 * s, fabs (x3 - x0) * 0.5);
      if (x3 < x0 + 40 * s)
        dx = MAX (dx, 120 * s);
      edge->p[1][0] = x0 + dx;
      edge->p[1][1] = y0 + fan * 1.33;
      edge->p[2][0] = x3 - dx;
      edge->p[2][1] = y3 + fan * 1.33;
    }
  edge->p[0][0] = x0;
  edge->p[0][1] = y0;
  edge->p[3][0] = x3;
  edge->p[3][1] = y3;

  for (guint i = 0; i <= SPK_GRAPH_EDGE_SAMPLES; i++)
    bezier_point ((const double (*)[2]) edge->p, (double) i / SPK_GRAPH_EDGE_SAMPLES,
                  &edge->poly[i][0], &edge->poly[i][1]);
  bezier_point ((const double (*)[2]) edge->p, 0.5, &edge->label_x, &edge->label_y);
  /* Above the curve, not across it, so the curve stays visible and two
   * columns need only the label's width between them. */
  if (!edge->is_loop)
    edge->label_y -= edge->label_h / 2 + LABEL_LIFT * s;

  /* The arrowhead points along the curve's last stretch. */
  ux = edge->p[3][0] - edge->poly[SPK_GRAPH_EDGE_SAMPLES - 1][0];
  uy = edge->p[3][1] - edge->poly[SPK_GRAPH_EDGE_SAMPLES - 1][1];
  len = hypot (ux, uy);
  if (len < 1e-6)
    ux = 1, uy = 0, len = 1;
  ux /= len;
  uy /= len;
  edge->arrow[0][0] = x3;
  edge->arrow[0][1] = y3;
  edge->arrow[1][0] = x3 - ux * ARROW_LENGTH * s - uy * ARROW_HALF_WIDTH * s;
  edge->arrow[1][1] = y3 - uy * ARROW_LENGTH * s + ux * ARROW_HALF_WIDTH * s;
  edge->arrow[2][0] = x3 - ux * ARROW_LENGTH * s + uy * ARROW_HALF_WIDTH * s;
  edge->arrow[2][1] = y3 - uy * ARROW_LENGTH * s - ux * ARROW_HALF_WIDTH * s;
}

/* How much of a label centred at (cx, cy) lies on cards (open or
 * collapsed groups' cards) and on the labels in placed: an area in canvas
 * units², 0 when it is clear. */
static double
label_overlap (SpkGraphView *self,
               SpkEdge      *edge,
               double        cx,
               double        cy,
               GPtrArray    *placed)
{
  graphene_rect_t label, other, both;
  double total = 0;

  graphene_rect_init (&label, cx - edge->label_w / 2, cy - edge->label_h / 2, edge->label_w, edge->label_h);
  for (guint i = 0; i < self->cards->len; i++)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);

      graphene_rect_init (&other, card->x, card->y, card->w, card->h);
      if (!card->hidden && graphene_rect_intersection (&label, &other, &both))
        total += both.size.width * both.size.height;
    }
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkGroupCard *gcard = g_ptr_array_index (self->groups, i);

      graphene_rect_init (&other, gcard->x, gcard->y, gcard->w, gcard->h);
      if (gcard->collapsed && graphene_rect_intersection (&label, &other, &both))
        total += both.size.width * both.size.height;
    }
  for (guint i = 0; i < placed->len; i++)
    {
      SpkEdge *done = g_ptr_array_index (placed, i);

      graphene_rect_init (&other, done->label_x - done->label_w / 2, done->label_y - done->label_h / 2,
                          done->label_w, done->label_h);
      if (done->label != NULL && graphene_rect_intersection (&label, &other, &both))
        total += both.size.width * both.size.height;
    }
  return total;
}

/* A label at the middle of its curve that would cover a card (a port,
 * the card's text) or another label moves along the curve, above or
 * below it, to the nearest place where it covers the least. */
static void
place_label (SpkGraphView *self,
             SpkEdge      *edge,
             GPtrArray    *placed)
{
  static const double offsets[][2] = { { -1, 1 }, { 0, 0 } };   /* above, below; across */
  double lift = edge->label_h / 2 + LABEL_LIFT * self->scale;
  double best = label_overlap (self, edge, edge->label_x, edge->label_y, placed);
  double best_x = edge->label_x, best_y = edge->label_y;

  /* Above or below the curve, outwards from its middle (0.5 ± 0.04·k);
   * only then across it, hiding that part of the curve. */
  for (guint pass = 0; pass < G_N_ELEMENTS (offsets) && best > 0; pass++)
    for (guint k = 0; k <= 10 && best > 0; k++)
      for (int dir = -1; dir <= 1 && best > 0; dir += 2)
        for (guint o = 0; o < 2 && best > 0; o++)
          {
            double t = 0.5 + dir * 0.04 * k, x, y, overlap;

            bezier_point ((const double (*)[2]) edge->p, t, &x, &y);
            y += offsets[pass][o] * lift;
            overlap = label_overlap (self, edge, x, y, placed);
            /* Only a clear place, or one far less covered, is worth it. */
            if (overlap == 0 || overlap < best * 0.5)
              {
                best = overlap;
                best_x = x;
                best_y = y;
              }
          }
  edge->label_x = best_x;
  edge->label_y = best_y;
}

static void
place_group_ports (GArray *ports,
                   double  x,
                   double  y0,
                   double  row)
{
  for (guint i = 0; i < ports->len; i++)
    {
      SpkGroupPort *port = &g_array_index (ports, SpkGroupPort, i);

      port->member->ports[port->kind].x = x;
      port->member->ports[port->kind].y = y0 + (i + 0.5) * row;
    }
}

/* Open: a frame around the members, its title strip above them.
 * Collapsed: a card at the middle of where the members sit, with their
 * exposed ports down its sides. */
static void
place_group (SpkGraphView *self,
             SpkGroupCard *gcard)
{
  double s = self->scale;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  /* A nested frame sits inside its outer one with a narrower margin. */
  double pad = gcard->parent != NULL ? GROUP_PAD / 2 : GROUP_PAD;

  for (guint i = 0; i < gcard->members->len; i++)
    {
      SpkCard *card = g_ptr_array_index (gcard->members, i);

      /* Open: around what shows (a collapsed nested network's card below). */
      if (!gcard->collapsed && card->hidden)
        continue;
      x0 = MIN (x0, card->x);
      y0 = MIN (y0, card->y);
      x1 = MAX (x1, card->x + card->w);
      y1 = MAX (y1, card->y + card->h);
    }
  if (!gcard->collapsed)
    {
      /* Around the cards and the nested networks' cards and frames,
       * placed before it. */
      for (guint i = 0; i < self->groups->len; i++)
        {
          SpkGroupCard *inner = g_ptr_array_index (self->groups, i);

          if (inner->parent != gcard)
            continue;
          x0 = MIN (x0, inner->x);
          y0 = MIN (y0, inner->y);
          x1 = MAX (x1, inner->x + inner->w);
          y1 = MAX (y1, inner->y + inner->h);
        }
      gcard->x = x0 - pad * s;
      gcard->y = y0 - pad * s - gcard->header_h;
      gcard->w = x1 - x0 + 2 * pad * s;
      gcard->h = y1 - y0 + 2 * pad * s + gcard->header_h;
      return;
    }
  gcard->x = round ((x0 + x1) / 2 - gcard->w / 2);
  gcard->y = round ((y0 + y1) / 2 - gcard->h / 2);
  {
    double rows_y = gcard->y + gcard->header_h + layout_height (gcard->body_layout) + 2 * CARD_PAD * s;

    place_group_ports (gcard->inputs, gcard->x, rows_y, GROUP_PORT_ROW * s);
    place_group_ports (gcard->outputs, gcard->x + gcard->w, rows_y, GROUP_PORT_ROW * s);
  }
}

/* Whether a probe sits under the port it records (as auto-layout puts
 * it), so that its edge can come down into it from the right. */
static gboolean
probe_hangs (SpkGraphView *self,
             SpkEdge      *edge)
{
  SpkPort *from = &edge->pre->ports[edge->pre_port];
  SpkCard *probe = edge->post;

  return probe->y > from->y + 16 * self->scale
         && from->x >= probe->x + probe->w / 2
         && from->x <= probe->x + probe->w + 120 * self->scale;
}

void
_spk_graph_view_update_geometry (SpkGraphView *self)
{
  g_autoptr (GPtrArray) placed = g_ptr_array_new ();

  for (guint i = 0; i < self->cards->len; i++)
    place_card (self, g_ptr_array_index (self->cards, i));
  /* Nested groups before the ones they are in, whose frames hold them. */
  for (guint i = self->groups->len; i-- > 0;)
    place_group (self, g_ptr_array_index (self->groups, i));
  /* Error connections last: they end on the edges they teach. */
  for (guint k = 0; k < 2 * self->edges->len; k++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, k % self->edges->len);

      if (edge->hidden || (k < self->edges->len) == (edge->post_edge != NULL))
        continue;
      edge->drops = edge->is_probe && !edge->post->hidden && probe_hangs (self, edge);
      if (edge->drops)
        {
          /* The probe takes what it records from above, on its right. */
          edge->post->ports[SPK_PORT_PROBE].x = edge->post->x + edge->post->w;
        }
      place_edge (self, edge);
      if (edge->label != NULL && !edge->is_loop)
        {
          place_label (self, edge, placed);
          g_ptr_array_add (placed, edge);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
