/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-grid.c — SpkPlotGrid: the plots under the canvas.
 *
 * Each plot sits in a card with its title, a settings popover (range,
 * neurons, tau) and a menu (move, export, remove); the cards fill a grid
 * of up to three columns.  Below them, one scrollbar and one window length serve
 * every plot: they share the time axis.
 *
 * Data path (GTK main thread only): a tick callback on the frame clock
 * drains each plot's probe ring with spk_runner_read_probe () and appends
 * the samples to the plot, which prepares its geometry before the frame is
 * drawn.  The runner's worker never waits for this; a ring that overflows
 * loses samples, which the plot shows as a gap.  The probes are the hidden
 * "__plot<N>" probes spk_plot_grid_add_probes () put into the copy of the
 * model that runs, found again by label after each plan change.
 *
 * The cards (menu, settings, drag and drop) are made in
 * spk-plot-grid-card.c, the runner feeds the plots in
 * spk-plot-grid-runner.c, around spk-plot-grid-private.h.
 */
#define G_LOG_DOMAIN "spk-plot-grid"

#include "spk-plot-grid-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "model/spk-network.h"
#include "ui/run/spk-wrap-layout.h"

G_DEFINE_FINAL_TYPE (SpkPlotGrid, spk_plot_grid, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_WINDOW, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { PLOTS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  g_object_unref (slot->card);
  g_object_unref (slot->view);
  g_free (slot);
}

static void
emit_plots_changed (SpkPlotGrid *self)
{
  if (self->freeze_count > 0)
    self->changed_while_frozen = TRUE;
  else
    g_signal_emit (self, signals[PLOTS_CHANGED], 0);
}

Slot *
_spk_plot_grid_find_slot (SpkPlotGrid *self,
                          SpkPlotView *view,
                          guint       *index)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (slot->view == view)
        {
          if (index)
            *index = i;
          return slot;
        }
    }
  return NULL;
}

static void relayout (SpkPlotGrid *self);

static void
relayout_idle (gpointer data)
{
  SpkPlotGrid *self = data;

  self->relayout_id = 0;
  relayout (self);
}

/* The grid's width changed: as many columns as cards of their minimum
 * width fit (the scrolled window does not ask for the grid's width, so
 * this does not feed back into the width). */
static void
page_size_cb (GtkAdjustment *adjustment,
              GParamSpec    *pspec,
              SpkPlotGrid   *self)
{
  double width = gtk_adjustment_get_page_size (adjustment) - 16;   /* the grid's margins */
  int card = 0;
  guint fit;

  for (guint i = 0; i < self->slots->len; i++)
    {
      int minimum;

      gtk_widget_measure (((Slot *) g_ptr_array_index (self->slots, i))->card, GTK_ORIENTATION_HORIZONTAL, -1,
                          &minimum, NULL, NULL, NULL);
      card = MAX (card, minimum);
    }
  fit = card > 0 ? (guint) MAX ((width + 8) / (card + 8), 1) : N_COLUMNS;
  if (width <= 0 || fit == self->fit_columns)
    return;
  self->fit_columns = fit;
  /* Not while GTK allocates: the cards move to their cells after it. */
  if (self->relayout_id == 0)
    self->relayout_id = g_idle_add_once (relayout_idle, self);
}

static void
relayout (SpkPlotGrid *self)
{
  GtkGrid *grid = GTK_GRID (self->grid);
  /* Four plots read best as two by two; a narrow screen (a projector)
   * holds fewer side by side. */
  guint columns = self->slots->len == 4 ? 2 : MIN (MAX (self->slots->len, 1), N_COLUMNS);

  columns = CLAMP (columns, 1, MAX (self->fit_columns, 1));

  /* Cards stay in the grid and only change cells: a card taken out and
   * put back leaves its menu's items insensitive (GTK 4.8 does not tell a
   * menu that its actions' muxer got a new parent). */
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (gtk_widget_get_parent (slot->card) == NULL)
        gtk_grid_attach (grid, slot->card, i % columns, i / columns, 1, 1);
      else
        {
          GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (grid));
          GtkGridLayoutChild *child = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, slot->card));

          gtk_grid_layout_child_set_column (child, i % columns);
          gtk_grid_layout_child_set_row (child, i / columns);
        }
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->slots->len > 0 ? "plots" : "empty");
}

char *
_spk_plot_grid_default_title (SpkPlotView *view)
{
  /* Translators: a plot's title: the object's label, then the kind of plot */
  return g_strdup_printf (_("%s — %s"), spk_plot_view_get_target (view),
                          spk_plot_kind_display_name (spk_plot_view_get_kind (view)));
}

/* {{{ Plots */

void
spk_plot_grid_add_view (SpkPlotGrid *self,
                        SpkPlotView *view)
{
  Slot *slot;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));
  g_return_if_fail (SPK_IS_PLOT_VIEW (view));

  slot = g_new0 (Slot, 1);
  slot->view = g_object_ref_sink (view);
  slot->id = self->next_id++;
  slot->probe = -1;
  /* The slot keeps the card alive while relayout () moves it around. */
  slot->card = g_object_ref_sink (_spk_plot_grid_make_card (self, slot));
  spk_plot_view_set_window (view, self->window);
  spk_plot_view_set_scale (view, self->scale);
  spk_plot_view_set_end_time (view, self->end_time);
  if (self->plan != NULL)
    spk_plot_view_set_plan (view, self->plan);
  g_ptr_array_add (self->slots, slot);
  relayout (self);
  emit_plots_changed (self);
}

SpkPlotView *
spk_plot_grid_add (SpkPlotGrid *self,
                   SpkPlotKind  kind,
                   const char  *target)
{
  GtkWidget *view;

  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), NULL);

  view = spk_plot_view_new (kind, target);
  spk_plot_grid_add_view (self, SPK_PLOT_VIEW (view));
  return SPK_PLOT_VIEW (view);
}

void
spk_plot_grid_remove (SpkPlotGrid *self,
                      SpkPlotView *view)
{
  guint index;
  Slot *slot;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  slot = _spk_plot_grid_find_slot (self, view, &index);
  if (slot == NULL)
    return;
  gtk_grid_remove (GTK_GRID (self->grid), slot->card);
  g_ptr_array_remove_index (self->slots, index);
  relayout (self);
  emit_plots_changed (self);
}

void
spk_plot_grid_remove_all (SpkPlotGrid *self)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  while (self->slots->len > 0)
    {
      Slot *slot = g_ptr_array_index (self->slots, self->slots->len - 1);

      gtk_grid_remove (GTK_GRID (self->grid), slot->card);
      g_ptr_array_remove_index (self->slots, self->slots->len - 1);
    }
  relayout (self);
  emit_plots_changed (self);
}

void
spk_plot_grid_move (SpkPlotGrid *self,
                    SpkPlotView *view,
                    int          delta)
{
  guint index;
  int to;
  Slot *slot;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  slot = _spk_plot_grid_find_slot (self, view, &index);
  if (slot == NULL)
    return;
  to = CLAMP ((int) index + delta, 0, (int) self->slots->len - 1);
  if (to == (int) index)
    return;
  g_ptr_array_steal_index (self->slots, index);
  g_ptr_array_insert (self->slots, to, slot);
  relayout (self);
}

void
spk_plot_grid_move_to (SpkPlotGrid *self,
                       SpkPlotView *view,
                       guint        index)
{
  guint from;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  if (_spk_plot_grid_find_slot (self, view, &from) == NULL)
    return;
  spk_plot_grid_move (self, view, (int) MIN (index, self->slots->len - 1) - (int) from);
}

void
spk_plot_grid_freeze_changes (SpkPlotGrid *self)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  self->freeze_count++;
}

void
spk_plot_grid_thaw_changes (SpkPlotGrid *self)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));
  g_return_if_fail (self->freeze_count > 0);

  if (--self->freeze_count == 0 && self->changed_while_frozen)
    {
      self->changed_while_frozen = FALSE;
      g_signal_emit (self, signals[PLOTS_CHANGED], 0);
    }
}

guint
spk_plot_grid_get_n_plots (SpkPlotGrid *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), 0);
  return self->slots->len;
}

SpkPlotView *
spk_plot_grid_get_plot (SpkPlotGrid *self,
                        guint        index)
{
  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), NULL);
  g_return_val_if_fail (index < self->slots->len, NULL);
  return ((Slot *) g_ptr_array_index (self->slots, index))->view;
}

/* }}} */
/* {{{ Time axis */

void
_spk_plot_grid_sync_adjustment (SpkPlotGrid *self)
{
  double upper = MAX (self->last_time, self->window);

  self->updating_adjustment = TRUE;
  gtk_adjustment_configure (self->adjustment, MAX (self->end_time - self->window, 0), 0, upper,
                            self->window / 10, self->window, self->window);
  self->updating_adjustment = FALSE;
}

void
_spk_plot_grid_set_end_time (SpkPlotGrid *self,
                             double       end_time)
{
  self->end_time = end_time;
  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_set_end_time (((Slot *) g_ptr_array_index (self->slots, i))->view, end_time);
  _spk_plot_grid_sync_adjustment (self);
}

void
spk_plot_grid_scroll_to (SpkPlotGrid *self,
                         double       end_time)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  end_time = CLAMP (end_time, 0, self->last_time);
  self->following = end_time >= self->last_time;
  _spk_plot_grid_set_end_time (self, end_time);
}

void
spk_plot_grid_set_scale (SpkPlotGrid *self,
                         double       scale)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));
  g_return_if_fail (scale > 0);

  self->scale = scale;
  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_set_scale (((Slot *) g_ptr_array_index (self->slots, i))->view, scale);
}

void
spk_plot_grid_set_recorded_time (SpkPlotGrid *self,
                                 double       time)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  self->last_time = MAX (time, 0);
  self->following = TRUE;
  _spk_plot_grid_set_end_time (self, self->last_time);
}

double
spk_plot_grid_get_end_time (SpkPlotGrid *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), 0);
  return self->end_time;
}

static void
adjustment_changed_cb (GtkAdjustment *adjustment,
                       SpkPlotGrid   *self)
{
  double value = gtk_adjustment_get_value (adjustment);

  if (self->updating_adjustment)
    return;
  /* The left edge moved; the right edge is a window later. */
  spk_plot_grid_scroll_to (self, MAX (value, 0) + (self->last_time > self->window ? self->window : self->last_time));
}

double
spk_plot_grid_get_window (SpkPlotGrid *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), 1);
  return self->window;
}

void
spk_plot_grid_set_window (SpkPlotGrid *self,
                          double       window)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  window = CLAMP (window, 0.05, 600);
  if (self->window == window)
    return;
  self->window = window;
  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_set_window (((Slot *) g_ptr_array_index (self->slots, i))->view, window);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->window_spin), window);
  _spk_plot_grid_sync_adjustment (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

/* }}} */
/* {{{ Set-up */

GVariant *
spk_plot_grid_serialize (SpkPlotGrid *self)
{
  GVariantBuilder b, plots;

  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), NULL);

  g_variant_builder_init (&plots, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->slots->len; i++)
    g_variant_builder_add_value (&plots, spk_plot_view_serialize (((Slot *) g_ptr_array_index (self->slots, i))->view));
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "window", g_variant_new_double (self->window));
  g_variant_builder_add (&b, "{sv}", "plots", g_variant_builder_end (&plots));
  return g_variant_builder_end (&b);
}

void
spk_plot_grid_apply (SpkPlotGrid *self,
                     GVariant    *value)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) plots = NULL;
  double window;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  spk_plot_grid_remove_all (self);
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    return;
  g_variant_dict_init (&dict, value);
  if (g_variant_dict_lookup (&dict, "window", "d", &window))
    spk_plot_grid_set_window (self, window);
  plots = g_variant_dict_lookup_value (&dict, "plots", G_VARIANT_TYPE ("aa{sv}"));
  for (gsize i = 0; plots != NULL && i < g_variant_n_children (plots); i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (plots, i);
      GtkWidget *view = spk_plot_view_new_from_variant (child);

      if (view != NULL)
        spk_plot_grid_add_view (self, SPK_PLOT_VIEW (view));
    }
}

/* }}} */
/* {{{ GObject */

static void
window_spin_cb (GtkSpinButton *spin,
                SpkPlotGrid   *self)
{
  spk_plot_grid_set_window (self, gtk_spin_button_get_value (spin));
}

static void
spk_plot_grid_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SpkPlotGrid *self = SPK_PLOT_GRID (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_double (value, self->window);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_plot_grid_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SpkPlotGrid *self = SPK_PLOT_GRID (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      spk_plot_grid_set_window (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_plot_grid_dispose (GObject *object)
{
  SpkPlotGrid *self = SPK_PLOT_GRID (object);

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_clear_handle_id (&self->relayout_id, g_source_remove);
  g_clear_pointer (&self->runner, spk_runner_unref);
  g_clear_pointer (&self->plan, spk_plan_unref);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  if (self->slots != NULL)
    g_ptr_array_set_size (self->slots, 0);
  G_OBJECT_CLASS (spk_plot_grid_parent_class)->dispose (object);
}

static void
spk_plot_grid_finalize (GObject *object)
{
  SpkPlotGrid *self = SPK_PLOT_GRID (object);

  g_ptr_array_unref (self->slots);
  g_free (self->scratch);
  g_free (self->scratch_times);
  g_free (self->sparse_counts);
  g_free (self->sparse_times);
  g_free (self->sparse_index);
  g_free (self->sparse_values);
  G_OBJECT_CLASS (spk_plot_grid_parent_class)->finalize (object);
}

static void
spk_plot_grid_class_init (SpkPlotGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = spk_plot_grid_get_property;
  object_class->set_property = spk_plot_grid_set_property;
  object_class->dispose = spk_plot_grid_dispose;
  object_class->finalize = spk_plot_grid_finalize;

  properties[PROP_WINDOW] =
    g_param_spec_double ("window", NULL, NULL, 0.05, 600, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PLOTS_CHANGED] =
    g_signal_new ("plots-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plotgrid");
}

static void
spk_plot_grid_init (SpkPlotGrid *self)
{
  GtkWidget *scrolled, *empty, *bottom, *window_box, *window_label;

  self->slots = g_ptr_array_new_with_free_func (slot_free);
  self->window = 1.0;
  self->scale = 1.0;
  self->following = TRUE;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_add_css_class (self->box, "spk-plot-area");

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  empty = gtk_label_new (_("Right-click a node or an ensemble on the canvas to plot its value, spikes or tuning curves."));
  gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
  gtk_label_set_justify (GTK_LABEL (empty), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (empty, "spk-plot-empty");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");

  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_widget_set_margin_start (self->grid, 8);
  gtk_widget_set_margin_end (self->grid, 8);
  gtk_widget_set_margin_top (self->grid, 8);
  gtk_widget_set_margin_bottom (self->grid, 8);
  self->fit_columns = N_COLUMNS;
  scrolled = gtk_scrolled_window_new ();
  /* External: the plots ask for no width of their own (a narrow screen
   * gets fewer columns, page_size_cb ()), only for the height. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_EXTERNAL, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->grid);
  g_signal_connect_object (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled)), "notify::page-size",
                           G_CALLBACK (page_size_cb), self, 0);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "plots");
  gtk_box_append (GTK_BOX (self->box), self->stack);

  bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  /* On a narrow screen the window length goes under the scrollbar. */
  gtk_widget_set_layout_manager (bottom, spk_wrap_layout_new (8, 4));
  window_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (bottom, 12);
  gtk_widget_set_margin_end (bottom, 12);
  gtk_widget_set_margin_bottom (bottom, 4);
  self->adjustment = gtk_adjustment_new (0, 0, 1, 0.1, 1, 1);
  g_signal_connect (self->adjustment, "value-changed", G_CALLBACK (adjustment_changed_cb), self);
  self->scrollbar = gtk_scrollbar_new (GTK_ORIENTATION_HORIZONTAL, self->adjustment);
  gtk_widget_set_hexpand (self->scrollbar, TRUE);
  gtk_widget_set_valign (self->scrollbar, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->scrollbar, _("Scroll back through the whole run"));
  window_label = gtk_label_new_with_mnemonic (_("_Window (s)"));
  self->window_spin = gtk_spin_button_new_with_range (0.05, 600, 0.1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->window_spin), self->window);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (self->window_spin), 2);
  gtk_label_set_mnemonic_widget (GTK_LABEL (window_label), self->window_spin);
  gtk_widget_set_tooltip_text (self->window_spin, _("How many seconds every plot shows"));
  g_signal_connect (self->window_spin, "value-changed", G_CALLBACK (window_spin_cb), self);
  gtk_box_append (GTK_BOX (bottom), self->scrollbar);
  gtk_box_append (GTK_BOX (window_box), window_label);
  gtk_box_append (GTK_BOX (window_box), self->window_spin);
  gtk_box_append (GTK_BOX (bottom), window_box);
  gtk_box_append (GTK_BOX (self->box), bottom);
  relayout (self);
}

GtkWidget *
spk_plot_grid_new (void)
{
  return g_object_new (SPK_TYPE_PLOT_GRID, NULL);
}

/* }}} */
