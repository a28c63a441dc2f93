/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window.c — the workbench window: the header bar with its menus, the
 * palette, the canvas and the inspector, and the model they share.
 *
 * The window owns the network on show, its layout and its undo stack.  It
 * follows the undo stack to keep the title's unsaved-changes marker, the
 * undo/redo actions and the validity of the model up to date: shortly after
 * each edit the model is built (spk_build), and a failure marks the object
 * its message names on the canvas and explains in a banner why the model
 * cannot run.  Files are in spk-window-files.c, the model on show and its
 * plots in spk-window-model.c, solving on demand in spk-window-solve.c and
 * what training gives back in spk-window-training.c.
 *
 * Below the canvas sit the run bar, the sliders and the plots.  The run bar
 * runs a copy of the model with one hidden probe per plot (see
 * spk-run-bar.c); an edit while a run exists rebuilds that copy and starts
 * the run again at t = 0, with a toast saying so.  Plots are added from an
 * object's context menu on the canvas (win.add-plot), and an example opens
 * with plots of what its own probes record, so there is activity to see
 * at once.
 *
 * The training panel (Ctrl+T) takes the inspector's place while it is
 * shown.  What it trains comes back as built parameters that every build
 * of the model takes from then on, with the loss history; a session saves
 * both, and the inspector shows them.
 */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "builder/spk-plan.h"
#include "io/spk-model-json.h"
#include "examples/spk-examples.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/shell/spk-palette.h"
#include "ui/shell/spk-shell.h"
#include "ui/shell/spk-window-lessons.h"

/* How long after an edit the model is validated, so typing stays smooth. */
#define VALIDATE_DELAY_MS 300

G_DEFINE_FINAL_TYPE (SpkWindow, spk_window, ADW_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_PRESENTATION, PROP_RUN_BLOCKER, PROP_TRAINING, PROP_SHOW_INSPECTOR, N_PROPS };

/* Presentation mode's scale of the plots' lines, margins and heights (the
 * window's text grows by 1.35 through CSS; plots need a little more). */
#define PRESENTATION_PLOT_SCALE 1.5
static GParamSpec *properties[N_PROPS];

/* {{{ Title, state and validation */

gboolean
_spk_window_is_modified (SpkWindow *self)
{
  return self->training_unsaved || (self->undo_stack && spk_undo_stack_get_modified (self->undo_stack));
}

void
_spk_window_update_title (SpkWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  gboolean modified = _spk_window_is_modified (self);

  if (self->file != NULL)
    name = g_file_get_basename (self->file);
  else if (_spk_window_lesson_title (self) != NULL)
    name = g_strdup (_spk_window_lesson_title (self));
  else if (self->network != NULL && spk_network_get_label (self->network) != NULL)
    name = g_strdup (spk_network_get_label (self->network));
  else
    name = g_strdup (_("Untitled Model"));

  /* The dot before the name marks unsaved changes, as GNOME's editors do. */
  title = modified ? g_strdup_printf ("• %s", name) : g_strdup (name);
  adw_window_title_set_title (self->window_title, title);
  if (self->file != NULL)
    {
      g_autoptr (GFile) parent = g_file_get_parent (self->file);
      g_autofree char *dir = parent ? g_file_get_path (parent) : NULL;
      const char *home = g_get_home_dir ();

      if (dir != NULL && g_str_has_prefix (dir, home))
        {
          g_autofree char *short_dir = g_strconcat ("~", dir + strlen (home), NULL);

          adw_window_title_set_subtitle (self->window_title, short_dir);
        }
      else
        adw_window_title_set_subtitle (self->window_title, dir);
    }
  else if (_spk_window_lesson_title (self) != NULL)
    /* Translators: the window's subtitle while a lesson's model is open */
    adw_window_title_set_subtitle (self->window_title, _("Lesson"));
  else
    adw_window_title_set_subtitle (self->window_title, modified ? _("Unsaved changes") : _("Not saved yet"));

  {
    g_autofree char *window_title = g_strdup_printf ("%s — Spikeworks", title);

    gtk_window_set_title (GTK_WINDOW (self), window_title);
  }
}

void
_spk_window_update_actions (SpkWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 self->undo_stack && spk_undo_stack_get_can_undo (self->undo_stack));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 self->undo_stack && spk_undo_stack_get_can_redo (self->undo_stack));
}

/* The builder's messages start with the object: "ensemble 'b': …". */
static SpkObject *
object_named_in (SpkNetwork *network,
                 const char *message)
{
  const char *start = strchr (message, '\'');
  const char *end = start ? strchr (start + 1, '\'') : NULL;
  g_autofree char *label = NULL;

  if (end == NULL)
    return NULL;
  label = g_strndup (start + 1, end - start - 1);
  return spk_network_lookup (network, label);
}

void
spk_window_validate_now (SpkWindow *self)
{
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GError) error = NULL;
  SpkObject *culprit = NULL;

  g_return_if_fail (SPK_IS_WINDOW (self));

  g_clear_handle_id (&self->validate_id, g_source_remove);
  if (self->network == NULL)
    return;
  _spk_window_follow_params (self);
  plan = self->params ? spk_build_with_params (self->network, self->params, &error) : spk_build (self->network, &error);
  if (plan == NULL && self->params != NULL)
    {
      g_autoptr (GError) fresh_error = NULL;
      g_autoptr (SpkPlan) fresh = spk_build (self->network, &fresh_error);

      /* An edit the saved or trained parameters no longer fit (a size
       * changed): the model runs built afresh, and says so. */
      if (fresh != NULL)
        {
          spk_window_forget_training (self);
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (_("The model changed so that its trained parameters no longer fit: "
                                                        "it is built afresh")));
          g_clear_error (&error);
          plan = g_steal_pointer (&fresh);
        }
    }
  if (error != NULL)
    culprit = object_named_in (self->network, error->message);

  if (self->error_object != NULL && self->error_object != culprit)
    spk_graph_view_set_object_error (self->graph_view, self->error_object, NULL);
  g_set_object (&self->error_object, culprit);
  if (culprit != NULL)
    spk_graph_view_set_object_error (self->graph_view, culprit, error->message);

  g_free (self->run_blocker);
  self->run_blocker = error ? g_strdup (error->message) : NULL;
  if (self->run_blocker != NULL)
    {
      /* Translators: the banner above the canvas; %s is the builder's message */
      g_autofree char *text = g_strdup_printf (_("This model cannot run yet: %s"), self->run_blocker);

      gtk_label_set_text (self->run_banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->run_banner, self->run_blocker != NULL);
  spk_run_bar_set_blocked (self->run_bar, self->run_blocker);
  if (plan != NULL)
    spk_plot_grid_set_plan (self->plot_grid, plan);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_BLOCKER]);
}

static gboolean
validate_cb (gpointer data)
{
  SpkWindow *self = data;
  g_autofree char *model = NULL;
  gboolean running;

  self->validate_id = 0;
  model = spk_model_to_data (self->network, NULL);
  if (model != NULL && g_strcmp0 (model, self->validated_model) == 0)
    return G_SOURCE_REMOVE;
  g_free (self->validated_model);
  self->validated_model = g_strdup (model);
  /* Decode errors describe the model as it was solved. */
  spk_window_cancel_solve (self);
  _spk_window_forget_solve (self);
  if (self->run_model != NULL)
    {
      /* An edit ends a reopened run: it cannot go on with another model,
       * and parameters saved with it (not trained) would hide the edit. */
      if (g_strcmp0 (model, self->run_model) != 0)
        {
          g_clear_pointer (&self->run_model, g_free);
          g_clear_pointer (&self->run_session, spk_session_unref);
          self->run_learned = FALSE;
          spk_run_bar_set_resume_steps (self->run_bar, 0);
          if (self->history_loss == NULL || self->history_loss->len == 0)
            spk_window_forget_training (self);
        }
    }
  spk_window_validate_now (self);
  spk_slider_panel_set_network (self->slider_panel, self->network);
  spk_train_panel_set_model (self->train_panel, self->network, self->params);
  /* A run in progress starts again from t = 0 with the edited model, and
   * keeps running (Play pressed right after an edit included). */
  running = spk_run_bar_get_state (self->run_bar) == SPK_RUNNER_STATE_RUNNING;
  if (self->run_blocker == NULL && spk_run_bar_get_runner (self->run_bar) != NULL
      && !spk_run_bar_is_built_from (self->run_bar, model))
    {
      g_autoptr (GError) error = NULL;

      if (spk_run_bar_rebuild (self->run_bar, FALSE, &error))
        {
          if (running)
            spk_runner_run (spk_run_bar_get_runner (self->run_bar), 0);
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (_("The model changed: the run starts again from t = 0")));
        }
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
    }
  return G_SOURCE_REMOVE;
}

/* }}} */
/* {{{ Following the model */

void
_spk_window_model_changed_cb (SpkUndoStack *stack,
                              SpkWindow    *self)
{
  _spk_window_sync_plot_targets (self);
  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (VALIDATE_DELAY_MS, validate_cb, self);
}

void
_spk_window_undo_state_cb (SpkUndoStack *stack,
                           GParamSpec   *pspec,
                           SpkWindow    *self)
{
  _spk_window_update_actions (self);
  _spk_window_update_title (self);
}

void
_spk_window_selection_changed_cb (SpkGraphView *view,
                                  SpkWindow    *self)
{
  GPtrArray *selection = spk_graph_view_get_selection (view);
  g_autoptr (GPtrArray) objects = g_ptr_array_new ();
  SpkObject *net = spk_graph_view_get_selected_network (view);

  /* A network's card (Ctrl+G, or a built-in one) is one thing to its
   * user: the inspector shows the network, to rename it. */
  if (net != NULL)
    g_ptr_array_add (objects, net);
  else if (selection != NULL && selection->len > 0)
    {
      SpkObject *active = spk_graph_view_get_active_object (view);

      /* The active object leads: its values are the ones shown. */
      if (active != NULL)
        g_ptr_array_add (objects, active);
      for (guint i = 0; i < selection->len; i++)
        if (g_ptr_array_index (selection, i) != active)
          g_ptr_array_add (objects, g_ptr_array_index (selection, i));
    }
  else if (self->network != NULL)
    g_ptr_array_add (objects, self->network);
  spk_inspector_set_objects (self->inspector, objects);
}

/* A built-in network's parameter edited in the inspector: the canvas
 * remakes its objects; a refused value is said, and the inspector shows
 * the value kept. */
static gboolean
set_network_param_cb (SpkInspector  *inspector,
                      SpkSubnetwork *net,
                      const char    *name,
                      const GValue  *value,
                      SpkWindow     *self)
{
  g_autoptr (GError) error = NULL;

  if (self->network == NULL
      || !g_ptr_array_find (spk_network_get_objects (self->network), net, NULL))
    return TRUE;
  if (!spk_graph_view_set_network_param (self->graph_view, SPK_OBJECT (net), name, value, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      _spk_window_selection_changed_cb (self->graph_view, self);
    }
  return TRUE;
}

/* }}} */
/* {{{ Training */

void
spk_window_set_training (SpkWindow *self,
                         gboolean   training)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  training = !!training;
  if (self->training == training)
    return;
  self->training = training;
  /* The panel takes the inspector's place: the canvas keeps its room. */
  gtk_stack_set_visible_child_name (self->side_stack, training ? "training" : "inspector");
  if (training)
    spk_window_set_show_inspector (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

gboolean
spk_window_get_show_inspector (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  /* Before the template is built and after it is disposed: the default. */
  return self->side_stack == NULL || gtk_widget_get_visible (GTK_WIDGET (self->side_stack));
}

void
spk_window_set_show_inspector (SpkWindow *self,
                               gboolean   show)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  show = !!show;
  if (self->side_stack == NULL || spk_window_get_show_inspector (self) == show)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->side_stack), show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_INSPECTOR]);
}


/* }}} */
/* {{{ Actions */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);

  if (self->undo_stack != NULL)
    spk_undo_stack_undo (self->undo_stack);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);

  if (self->undo_stack != NULL)
    spk_undo_stack_redo (self->undo_stack);
}

/* Where a clicked palette item (Alt+1 …) lands: the free cell nearest
 * the middle of what is on the canvas (which the view fits to the
 * window), in rings of card-sized cells, so a new card never covers one
 * that is there. */
#define SPOT_W 200.0   /* a card's width and a gap, in layout units */
#define SPOT_H 120.0   /* a card's height and a gap */

/* Where the cards are, in layout units: each card's place, and a
 * collapsed network's card in the middle of where its members sit. */
static GArray *
card_spots (SpkWindow *self)
{
  GArray *spots = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  GPtrArray *objects = spk_network_get_objects (self->network);
  GPtrArray *groups = spk_layout_get_groups (self->layout);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkLayoutGroup *group = spk_layout_get_group_of (self->layout, object);
      double ox, oy;

      if ((group == NULL || !spk_layout_group_get_collapsed (group))
          && spk_layout_get_position (self->layout, object, &ox, &oy))
        g_array_append_val (spots, GRAPHENE_POINT_INIT (ox, oy));
    }
  for (guint i = 0; i < groups->len; i++)
    {
      GPtrArray *members = spk_layout_group_get_members (g_ptr_array_index (groups, i));
      double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
      double ox, oy;

      if (!spk_layout_group_get_collapsed (g_ptr_array_index (groups, i)))
        continue;
      for (guint j = 0; j < members->len; j++)
        if (spk_layout_get_position (self->layout, g_ptr_array_index (members, j), &ox, &oy))
          {
            x0 = MIN (x0, ox);
            x1 = MAX (x1, ox);
            y0 = MIN (y0, oy);
            y1 = MAX (y1, oy);
          }
      if (x0 <= x1)
        g_array_append_val (spots, GRAPHENE_POINT_INIT ((x0 + x1) / 2, (y0 + y1) / 2));
    }
  return spots;
}

static gboolean
spot_is_free (GArray *spots,
              double  w,
              double  x,
              double  y)
{
  for (guint i = 0; i < spots->len; i++)
    {
      graphene_point_t *p = &g_array_index (spots, graphene_point_t, i);

      if (fabs (p->x - x) < w && fabs (p->y - y) < SPOT_H)
        return FALSE;
    }
  return TRUE;
}

/* w: the width of a cell (a network's card is wider than an object's). */
static void
free_spot (SpkWindow *self,
           double     w,
           double    *x,
           double    *y)
{
  g_autoptr (GArray) spots = card_spots (self);
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double cx, cy;
  gboolean any = spots->len > 0;

  for (guint i = 0; i < spots->len; i++)
    {
      graphene_point_t *p = &g_array_index (spots, graphene_point_t, i);

      min_x = MIN (min_x, p->x);
      max_x = MAX (max_x, p->x);
      min_y = MIN (min_y, p->y);
      max_y = MAX (max_y, p->y);
    }
  cx = *x = any ? (min_x + max_x) / 2 : 0;
  cy = *y = any ? (min_y + max_y) / 2 : 0;
  for (int ring = 0; ring < 16; ring++)
    for (int j = 0; j <= 2 * ring; j++)
      for (int i = 0; i <= 2 * ring; i++)
        {
          int dx = (i % 2 ? 1 : -1) * ((i + 1) / 2), dy = (j % 2 ? 1 : -1) * ((j + 1) / 2);

          if (MAX (ABS (dx), ABS (dy)) != ring)
            continue;
          if (spot_is_free (spots, w, cx + dx * w, cy + dy * SPOT_H))
            {
              *x = cx + dx * w;
              *y = cy + dy * SPOT_H;
              return;
            }
        }
}

static void
add_object_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  GType type = g_type_from_name (g_variant_get_string (parameter, NULL));
  double x, y;

  if (self->network == NULL || !g_type_is_a (type, SPK_TYPE_OBJECT) || G_TYPE_IS_ABSTRACT (type))
    return;
  free_spot (self, SPOT_W, &x, &y);
  spk_graph_view_add_object (self->graph_view, type, x, y);
}

/* Add → Networks: one of Nengo's built-in networks, in the nearest free
 * place to the middle of the network. */
static void
add_network_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  double x, y;

  if (self->network == NULL)
    return;
  free_spot (self, 1.5 * SPOT_W, &x, &y);
  spk_graph_view_add_network (self->graph_view, g_variant_get_string (parameter, NULL), x, y);
}

static void
auto_layout_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);

  spk_graph_view_auto_layout (self->graph_view, FALSE);
  spk_graph_view_fit (self->graph_view);
}

static void
add_plot_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  const char *kind_name, *label;
  SpkPlotKind kind;
  SpkObject *target;

  g_variant_get (parameter, "(&s&s)", &kind_name, &label);
  if (self->network == NULL || !spk_plot_kind_from_name (kind_name, &kind)
      || (target = _spk_window_lookup_plot_target (self, label)) == NULL
      || !spk_plot_kind_applies (kind, target))
    return;
  _spk_window_add_plot (self, kind, target);
}

/* The decoded-function plot of the connection the inspector shows. */
static void
plot_decoded_function_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  GPtrArray *objects = spk_inspector_get_objects (self->inspector);
  SpkObject *connection;

  if (self->network == NULL || objects == NULL || objects->len != 1
      || !SPK_IS_CONNECTION (connection = g_ptr_array_index (objects, 0))
      || !spk_plot_kind_applies (SPK_PLOT_DECODED, connection))
    return;
  _spk_window_add_plot (self, SPK_PLOT_DECODED, connection);
}

/* The object's context menu on the canvas: the plots it can have, at
 * (x, y) in the canvas's coordinates.  FALSE when it has none. */
static gboolean
popup_object_menu (SpkWindow *self,
                   SpkObject *object,
                   double     x,
                   double     y)
{
  static const struct { SpkPlotKind kind; const char *label; } items[] = {
    { SPK_PLOT_VALUE, N_("Plot _Decoded Value") },
    { SPK_PLOT_SPIKES, N_("Plot _Spikes") },
    { SPK_PLOT_FILTERED, N_("Plot _Filtered Spikes") },
    { SPK_PLOT_VOLTAGE, N_("Plot _Voltage") },
    { SPK_PLOT_CURRENT, N_("Plot _Input Current") },
    { SPK_PLOT_XY, N_("Plot _XY") },
    { SPK_PLOT_IMAGE, N_("Plot as _Image") },
    { SPK_PLOT_TUNING, N_("Plot _Tuning Curves") },
    { SPK_PLOT_DECODED, N_("Plot Decoded _Function") },
  };
  g_autoptr (GMenu) menu = NULL;
  g_autofree char *key = NULL;
  const char *label;
  double cx, cy;

  /* A connection is named by its key: most have no label. */
  if (object != NULL && SPK_IS_CONNECTION (object))
    key = _spk_window_connection_key (self->network, SPK_CONNECTION (object));
  if (object == NULL || (label = key != NULL ? key : spk_object_get_label (object)) == NULL)
    return FALSE;
  menu = g_menu_new ();
  /* Connecting without a drag (the keyboard's way, Shift+C). */
  if (!SPK_IS_CONNECTION (object) && !SPK_IS_PROBE (object))
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_("_Connect To…"), NULL);

      g_menu_item_set_action_and_target (item, "win.connect-from", "s", label);
      g_menu_append_item (menu, item);
    }
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    if (spk_plot_kind_applies (items[i].kind, object))
      {
        g_autoptr (GMenuItem) item = NULL;
        const char *text = _(items[i].label);

        /* A Node or a Layer has an output, not a decoded value; so has a
         * connection that decodes nothing. */
        if (items[i].kind == SPK_PLOT_VALUE
            && (SPK_IS_NODE (object) || SPK_IS_LAYER (object)
                || (SPK_IS_CONNECTION (object) && !spk_plot_kind_applies (SPK_PLOT_DECODED, object))))
          text = _("Plot _Output");
        item = g_menu_item_new (text, NULL);
        g_menu_item_set_action_and_target (item, "win.add-plot", "(ss)",
                                           spk_plot_kind_to_name (items[i].kind), label);
        g_menu_append_item (menu, item);
      }
  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    return FALSE;
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), G_MENU_MODEL (menu));
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->graph_view), self->canvas_box, x, y, &cx, &cy))
    return FALSE;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &(GdkRectangle) { (int) cx, (int) cy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
  return TRUE;
}

/* The object menu's "Connect To…": the graph view's keyboard connect
 * from that object. */
static void
connect_from_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  SpkObject *object = self->network ? spk_network_lookup (self->network, g_variant_get_string (parameter, NULL)) : NULL;

  if (object == NULL)
    return;
  spk_graph_view_select (self->graph_view, object, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (self->graph_view), "graph.connect", NULL);
}

static void
canvas_pressed_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   SpkWindow       *self)
{
  if (popup_object_menu (self, spk_graph_view_get_object_at (self->graph_view, x, y), x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Shift+F10 or the Menu key: the selected object's menu, at its card, so
 * plots can be added without the mouse (the menu's items are then walked
 * with the arrow keys). */
static void
object_menu_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  SpkObject *object = spk_graph_view_get_active_object (self->graph_view);
  graphene_rect_t bounds;

  if (object == NULL || !spk_graph_view_get_object_bounds (self->graph_view, object, &bounds))
    return;
  popup_object_menu (self, object, bounds.origin.x + bounds.size.width / 2,
                     bounds.origin.y + bounds.size.height / 2);
}

gboolean
spk_window_get_object_menu_shown (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->context_menu);
}

static void
run_notice_cb (SpkRunBar  *bar,
               const char *message,
               SpkWindow  *self)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
plots_changed_cb (SpkPlotGrid *grid,
                  SpkWindow   *self)
{
  g_autoptr (GError) error = NULL;

  /* A new plot needs its probe in the running copy; the run carries on.
   * Plots removed with their objects wait for the edit's check. */
  if (self->syncing_plots)
    return;
  if (self->run_blocker == NULL && !spk_run_bar_rebuild (self->run_bar, TRUE, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* }}} */
/* {{{ Leaving with unsaved changes */

static void
close_after_save (SpkWindow *self,
                  gboolean   saved)
{
  if (!saved)
    return;
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   SpkWindow        *self)
{
  if (g_str_equal (response, "discard"))
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (g_str_equal (response, "save"))
    _spk_window_save_then (self, close_after_save);
}

static gboolean
spk_window_close_request (GtkWindow *window)
{
  SpkWindow *self = SPK_WINDOW (window);

  if (!self->close_confirmed && _spk_window_is_modified (self))
    {
      _spk_window_ask_to_save (self, NULL, G_CALLBACK (close_response_cb));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (spk_window_parent_class)->close_request (window);
}

static void
open_pending_example (SpkWindow *self,
                      gboolean   saved)
{
  g_autofree char *name = g_steal_pointer (&self->pending_example);
  g_autoptr (GError) error = NULL;

  /* An empty name is New: an empty network. */
  if (saved && name != NULL && name[0] == '\0')
    spk_window_new_model (self);
  else if (saved && name != NULL && !spk_window_open_example (self, name, &error))
    _spk_window_show_error (self, _("Could not open the example"), error);
}

static void
example_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     SpkWindow        *self)
{
  if (g_str_equal (response, "discard"))
    open_pending_example (self, TRUE);
  else if (g_str_equal (response, "save"))
    _spk_window_save_then (self, open_pending_example);
  else
    g_clear_pointer (&self->pending_example, g_free);
}

static void
open_example_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr (GError) error = NULL;

  if (_spk_window_is_modified (self))
    {
      _spk_window_ask_to_save (self, NULL, G_CALLBACK (example_response_cb));
      g_free (self->pending_example);
      self->pending_example = g_strdup (name);
      return;
    }
  if (!spk_window_open_example (self, name, &error))
    _spk_window_show_error (self, _("Could not open the example"), error);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);

  if (_spk_window_is_modified (self))
    {
      _spk_window_ask_to_save (self, NULL, G_CALLBACK (example_response_cb));
      g_free (self->pending_example);
      self->pending_example = g_strdup ("");
      return;
    }
  spk_window_new_model (self);
}

/* }}} */
/* {{{ Screenshot */

gboolean
spk_window_save_screenshot (SpkWindow   *self,
                            const char  *path,
                            GError     **error)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("The window is not on screen yet"));
      return FALSE;
    }
  paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The window drew nothing"));
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”"), path);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
/* {{{ GObject */

gboolean
spk_window_get_presentation (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  return self->presentation;
}

void
spk_window_set_presentation (SpkWindow *self,
                             gboolean   presentation)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  if (presentation)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  spk_graph_view_set_presentation (self->graph_view, presentation);
  spk_plot_grid_set_scale (self->plot_grid, presentation ? PRESENTATION_PLOT_SCALE : 1.0);
  /* On a projector the canvas and the plots need the width; F9 brings
   * the inspector back.  A lesson the class follows stays. */
  spk_window_set_show_inspector (self, !presentation || spk_window_get_show_lesson (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

static void
spk_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SpkWindow *self = SPK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    case PROP_RUN_BLOCKER:
      g_value_set_string (value, self->run_blocker);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, spk_window_get_training (self));
      break;
    case PROP_SHOW_INSPECTOR:
      g_value_set_boolean (value, spk_window_get_show_inspector (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SpkWindow *self = SPK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      spk_window_set_presentation (self, g_value_get_boolean (value));
      break;
    case PROP_TRAINING:
      spk_window_set_training (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_INSPECTOR:
      spk_window_set_show_inspector (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_window_dispose (GObject *object)
{
  SpkWindow *self = SPK_WINDOW (object);

  g_clear_handle_id (&self->validate_id, g_source_remove);
  _spk_window_release_model (self);
  _spk_window_set_pending_training (self, NULL, NULL, NULL);
  g_clear_pointer (&self->pending_plots, g_variant_unref);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SPK_TYPE_WINDOW);
  G_OBJECT_CLASS (spk_window_parent_class)->dispose (object);
}

static void
spk_window_finalize (GObject *object)
{
  SpkWindow *self = SPK_WINDOW (object);

  g_free (self->run_blocker);
  g_free (self->pending_example);
  G_OBJECT_CLASS (spk_window_parent_class)->finalize (object);
}

static void
spk_window_class_init (SpkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = spk_window_dispose;
  object_class->finalize = spk_window_finalize;
  object_class->get_property = spk_window_get_property;
  object_class->set_property = spk_window_set_property;
  window_class->close_request = spk_window_close_request;

  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUN_BLOCKER] =
    g_param_spec_string ("run-blocker", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_INSPECTOR] =
    g_param_spec_boolean ("show-inspector", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SPK_TYPE_PALETTE);
  g_type_ensure (SPK_TYPE_GRAPH_VIEW);
  g_type_ensure (SPK_TYPE_INSPECTOR);
  g_type_ensure (SPK_TYPE_RUN_BAR);
  g_type_ensure (SPK_TYPE_PLOT_GRID);
  g_type_ensure (SPK_TYPE_SLIDER_PANEL);
  g_type_ensure (SPK_TYPE_TRAIN_PANEL);
  spk_shell_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/spikeworks/Spikeworks/spk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, run_banner);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, run_banner_label);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, graph_view);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, examples_section);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, canvas_box);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, run_bar);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, plot_grid);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, slider_panel);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, solve_revealer);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, solve_progress);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, SpkWindow, train_panel);

  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, _spk_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, _spk_window_save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, _spk_window_save_as_action);
  gtk_widget_class_install_action (widget_class, "win.export-model", NULL, _spk_window_export_action);
  gtk_widget_class_install_action (widget_class, "win.export-nir", NULL, _spk_window_export_nir_action);
  gtk_widget_class_install_action (widget_class, "win.open-example", "s", open_example_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.add-object", "s", add_object_action);
  gtk_widget_class_install_action (widget_class, "win.add-network", "s", add_network_action);
  gtk_widget_class_install_action (widget_class, "win.auto-layout", NULL, auto_layout_action);
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_action (widget_class, "win.add-plot", "(ss)", add_plot_action);
  gtk_widget_class_install_action (widget_class, "win.object-menu", NULL, object_menu_action);
  gtk_widget_class_install_action (widget_class, "win.connect-from", "s", connect_from_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "win.object-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "win.object-menu", NULL);
  gtk_widget_class_install_action (widget_class, "win.plot-decoded-function", NULL, plot_decoded_function_action);
  gtk_widget_class_install_action (widget_class, "win.solve", NULL, _spk_window_solve_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-solve", NULL, _spk_window_cancel_solve_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.solve", NULL);
  gtk_widget_class_install_property_action (widget_class, "win.train", "training");
  gtk_widget_class_install_action (widget_class, "win.forget-training", NULL, _spk_window_forget_training_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.train", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.add-object", "s", "SpkNode");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.add-object", "s", "SpkEnsemble");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.add-object", "s", "SpkProbe");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.add-object", "s", "SpkLayer");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.presentation", NULL);
  _spk_window_lessons_class_init (widget_class);
  gtk_widget_class_install_property_action (widget_class, "win.show-inspector", "show-inspector");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-inspector", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
spk_window_init (SpkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-solve", FALSE);
  _spk_window_fill_examples_menu (self);
  GtkGesture *click;

  g_signal_connect (self->graph_view, "selection-changed", G_CALLBACK (_spk_window_selection_changed_cb), self);
  g_signal_connect (self->inspector, "set-network-param", G_CALLBACK (set_network_param_cb), self);
  g_signal_connect (self->run_bar, "notice", G_CALLBACK (run_notice_cb), self);
  g_signal_connect (self->plot_grid, "plots-changed", G_CALLBACK (plots_changed_cb), self);
  g_signal_connect_object (self->train_panel, "trained", G_CALLBACK (_spk_window_trained_cb), self, 0);
  g_signal_connect_object (self->train_panel, "started", G_CALLBACK (_spk_window_training_started_cb), self, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forget-training", FALSE);
  _spk_window_lessons_init (self);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (canvas_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->graph_view), GTK_EVENT_CONTROLLER (click));
  self->context_menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_popover_set_position (GTK_POPOVER (self->context_menu), GTK_POS_BOTTOM);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, self->canvas_box);
  _spk_window_update_actions (self);
}

SpkWindow *
spk_window_new (GtkApplication *application)
{
  return g_object_new (SPK_TYPE_WINDOW, "application", application, NULL);
}

SpkNetwork *
spk_window_get_network (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->network;
}

SpkGraphView *
spk_window_get_graph_view (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->graph_view;
}

SpkInspector *
spk_window_get_inspector (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->inspector;
}

SpkUndoStack *
spk_window_get_undo_stack (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->undo_stack;
}

GFile *
spk_window_get_file (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->file;
}

SpkRunBar *
spk_window_get_run_bar (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->run_bar;
}

SpkPlotGrid *
spk_window_get_plot_grid (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->plot_grid;
}

SpkSliderPanel *
spk_window_get_slider_panel (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->slider_panel;
}

const char *
spk_window_get_run_blocker (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->run_blocker;
}

/* }}} */
