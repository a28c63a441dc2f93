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
 */
#define G_LOG_DOMAIN "spk-plot-grid"

#include "ui/plots/spk-plot-grid.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "model/spk-network.h"

#define N_COLUMNS 3
/* Spikes read from a sparse probe in one go (the reads repeat until the
 * ring is empty), and samples of it read at once by a plot that wants
 * them dense. */
#define SPARSE_READ_ENTRIES (1u << 16)
#define DENSE_READ_SAMPLES  1024u

typedef struct
{
  SpkPlotView *view;
  GtkWidget   *card;
  GtkWidget   *title;
  guint        id;
  int          probe;     /* index in the runner's plan, or -1 */
} Slot;

struct _SpkPlotGrid
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkWidget     *stack;
  GtkWidget     *grid;
  GtkWidget     *scrollbar;
  GtkAdjustment *adjustment;
  GtkWidget     *window_spin;

  GPtrArray     *slots;
  guint          next_id;
  double         window;
  double         scale;         /* every plot's (presentation mode) */
  double         end_time;
  double         last_time;
  gboolean       following;
  gboolean       updating_adjustment;

  SpkRunner     *runner;
  SpkPlan       *plan;
  guint          tick_id;
  double        *scratch;
  double        *scratch_times;
  gsize          scratch_size;
  /* For reading spike probes sparse: per sample, then per spike. */
  guint32       *sparse_counts;
  double        *sparse_times;
  gsize          sparse_samples;
  guint32       *sparse_index;
  double        *sparse_values;
  gsize          sparse_entries;
  guint64        n_frames;
  guint          freeze_count;
  gboolean       changed_while_frozen;
};

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

static Slot *
find_slot (SpkPlotGrid *self,
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

static void
relayout (SpkPlotGrid *self)
{
  GtkGrid *grid = GTK_GRID (self->grid);
  /* Four plots read best as two by two. */
  guint columns = self->slots->len == 4 ? 2 : MIN (MAX (self->slots->len, 1), N_COLUMNS);

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

static char *
default_title (SpkPlotView *view)
{
  /* Translators: a plot's title: the object's label, then the kind of plot */
  return g_strdup_printf (_("%s — %s"), spk_plot_view_get_target (view),
                          spk_plot_kind_display_name (spk_plot_view_get_kind (view)));
}

/* {{{ A card's menu and settings */

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    SpkPlotView     *view)
{
  SpkPlotFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "spk-format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;
      /* Twice the size on screen: sharp on slides and in print. */
      int width = MAX (gtk_widget_get_width (GTK_WIDGET (view)), 480) * (format == SPK_PLOT_FORMAT_PNG ? 2 : 1);
      int height = MAX (gtk_widget_get_height (GTK_WIDGET (view)), 240) * (format == SPK_PLOT_FORMAT_PNG ? 2 : 1);

      if (path != NULL && !spk_plot_view_export (view, path, format, width, height, &error))
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));
          GtkWidget *dialog = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                      GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                      GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                      _("Could not export the plot"));

          gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
          g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }
  g_object_unref (chooser);
}

static void
plot_export_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  SpkPlotView *view = data;
  static const char *extensions[] = { "png", "svg", "pdf", "csv" };
  const char *name = g_variant_get_string (parameter, NULL);
  SpkPlotFormat format = SPK_PLOT_FORMAT_PNG;
  GtkFileChooserNative *chooser;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));
  g_autofree char *suggested = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_equal (name, extensions[i]))
      format = i;
  chooser = gtk_file_chooser_native_new (format == SPK_PLOT_FORMAT_CSV ? _("Export Plot Data") : _("Export Plot"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  suggested = g_strdup_printf ("%s-%s.%s", spk_plot_view_get_target (view),
                               spk_plot_kind_to_name (spk_plot_view_get_kind (view)), extensions[format]);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_object_set_data (G_OBJECT (chooser), "spk-format", GUINT_TO_POINTER (format));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), view, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
plot_move_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  SpkPlotView *view = data;
  SpkPlotGrid *self = SPK_PLOT_GRID (gtk_widget_get_ancestor (GTK_WIDGET (view), SPK_TYPE_PLOT_GRID));

  if (self != NULL)
    spk_plot_grid_move (self, view, g_variant_get_int32 (parameter));
}

static void
plot_remove_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  SpkPlotView *view = data;
  SpkPlotGrid *self = SPK_PLOT_GRID (gtk_widget_get_ancestor (GTK_WIDGET (view), SPK_TYPE_PLOT_GRID));

  if (self != NULL)
    spk_plot_grid_remove (self, view);
}

static GMenuModel *
card_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) move = g_menu_new ();
  g_autoptr (GMenu) export = g_menu_new ();
  g_autoptr (GMenu) remove = g_menu_new ();

  g_menu_append (move, _("Move _Earlier"), "plot.move(-1)");
  g_menu_append (move, _("Move _Later"), "plot.move(1)");
  g_menu_append (export, _("Export as _PNG…"), "plot.export('png')");
  g_menu_append (export, _("Export as _SVG…"), "plot.export('svg')");
  g_menu_append (export, _("Export as P_DF…"), "plot.export('pdf')");
  g_menu_append (export, _("Export Data as _CSV…"), "plot.export('csv')");
  g_menu_append (remove, _("_Remove Plot"), "plot.remove");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (move));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (export));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (remove));
  return G_MENU_MODEL (menu);
}

static GtkWidget *
labelled (const char *text,
          GtkWidget  *control)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), control);
  return row;
}

static void
order_selected_cb (GtkDropDown *drop,
                   GParamSpec  *pspec,
                   SpkPlotView *view)
{
  g_object_set (view, "order", gtk_drop_down_get_selected (drop), NULL);
}

static GtkWidget *
settings_popover (SpkPlotView *view)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  SpkPlotKind kind = spk_plot_view_get_kind (view);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  if (kind == SPK_PLOT_VALUE || kind == SPK_PLOT_VOLTAGE || kind == SPK_PLOT_CURRENT
      || kind == SPK_PLOT_FILTERED || kind == SPK_PLOT_XY || kind == SPK_PLOT_DECODED)
    {
      GtkWidget *autoscale = gtk_switch_new ();
      GtkWidget *lo = gtk_spin_button_new_with_range (-1e6, 1e6, 0.1);
      GtkWidget *hi = gtk_spin_button_new_with_range (-1e6, 1e6, 0.1);

      g_object_bind_property (view, "autoscale", autoscale, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (view, "y-min", lo, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (view, "y-max", hi, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (autoscale, "active", lo, "sensitive", G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);
      g_object_bind_property (autoscale, "active", hi, "sensitive", G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (box), labelled (_("_Autoscale"), autoscale));
      gtk_box_append (GTK_BOX (box), labelled (_("_Lowest value"), lo));
      gtk_box_append (GTK_BOX (box), labelled (_("_Highest value"), hi));
    }
  if (kind == SPK_PLOT_FILTERED)
    {
      GtkWidget *tau = gtk_spin_button_new_with_range (0, 1, 0.005);

      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (tau), 3);
      g_object_bind_property (view, "tau", tau, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (box), labelled (_("Lowpass _tau (s)"), tau));
    }
  if (kind == SPK_PLOT_SPIKES || kind == SPK_PLOT_FILTERED || kind == SPK_PLOT_VOLTAGE
      || kind == SPK_PLOT_CURRENT || kind == SPK_PLOT_TUNING)
    {
      GtkWidget *first = gtk_spin_button_new_with_range (0, 1e6, 1);
      GtkWidget *count = gtk_spin_button_new_with_range (0, 1e6, 1);
      const char *orders[] = { _("By index"), _("By encoder"), _("By firing rate"), NULL };
      GtkWidget *order = gtk_drop_down_new_from_strings (orders);

      gtk_widget_set_tooltip_text (count, _("0 shows every neuron"));
      g_object_bind_property (view, "first-neuron", first, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (view, "max-neurons", count, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (order), spk_plot_view_get_order (view));
      g_signal_connect_object (order, "notify::selected", G_CALLBACK (order_selected_cb), view, 0);
      gtk_box_append (GTK_BOX (box), labelled (_("_First neuron"), first));
      gtk_box_append (GTK_BOX (box), labelled (_("_Number of neurons"), count));
      gtk_box_append (GTK_BOX (box), labelled (_("_Order"), order));
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

/* Rearranging by drag and drop: a card's header is the handle, and
 * dropping it on another card puts the dragged plot in that card's place. */

static GdkContentProvider *
header_drag_prepare_cb (GtkDragSource *source,
                        double         x,
                        double         y,
                        SpkPlotView   *view)
{
  return gdk_content_provider_new_typed (SPK_TYPE_PLOT_VIEW, view);
}

static void
header_drag_begin_cb (GtkDragSource *source,
                      GdkDrag       *drag,
                      SpkPlotView   *view)
{
  GtkWidget *card = gtk_widget_get_parent (GTK_WIDGET (view));
  g_autoptr (GdkPaintable) icon = gtk_widget_paintable_new (card);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static gboolean
card_drop_cb (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              SpkPlotView   *onto)
{
  SpkPlotView *dragged = g_value_get_object (value);
  SpkPlotGrid *self = SPK_PLOT_GRID (gtk_widget_get_ancestor (GTK_WIDGET (onto), SPK_TYPE_PLOT_GRID));
  guint index;

  if (self == NULL || dragged == NULL || dragged == onto || find_slot (self, dragged, NULL) == NULL
      || find_slot (self, onto, &index) == NULL)
    return FALSE;
  spk_plot_grid_move_to (self, dragged, index);
  return TRUE;
}

static GtkWidget *
make_card (SpkPlotGrid *self,
           Slot        *slot)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *settings = gtk_menu_button_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  g_autoptr (GMenuModel) model = card_menu ();
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  const GActionEntry entries[] = {
    { .name = "move", .activate = plot_move_cb, .parameter_type = "i" },
    { .name = "export", .activate = plot_export_cb, .parameter_type = "s" },
    { .name = "remove", .activate = plot_remove_cb },
  };
  g_autofree char *title = default_title (slot->view);

  gtk_widget_add_css_class (card, "spk-plot-card");
  slot->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (slot->title, "spk-plot-title");
  gtk_label_set_xalign (GTK_LABEL (slot->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (slot->title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (slot->title, TRUE);
  if (spk_plot_view_get_title (slot->view) == NULL)
    spk_plot_view_set_title (slot->view, title);
  g_object_bind_property (slot->view, "title", slot->title, "label", G_BINDING_SYNC_CREATE);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (settings), "emblem-system-symbolic");
  gtk_widget_set_tooltip_text (settings, _("Plot settings"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (settings), settings_popover (slot->view));
  gtk_widget_add_css_class (settings, "flat");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu, _("Move, export or remove this plot"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu), model);
  gtk_widget_add_css_class (menu, "flat");

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), slot->view);
  gtk_widget_insert_action_group (card, "plot", G_ACTION_GROUP (group));

  gtk_box_append (GTK_BOX (header), slot->title);
  gtk_box_append (GTK_BOX (header), settings);
  gtk_box_append (GTK_BOX (header), menu);
  gtk_box_append (GTK_BOX (card), header);
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (slot->view));

  {
    GtkDragSource *source = gtk_drag_source_new ();
    GtkDropTarget *target = gtk_drop_target_new (SPK_TYPE_PLOT_VIEW, GDK_ACTION_MOVE);

    gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
    g_signal_connect (source, "prepare", G_CALLBACK (header_drag_prepare_cb), slot->view);
    g_signal_connect (source, "drag-begin", G_CALLBACK (header_drag_begin_cb), slot->view);
    gtk_widget_add_controller (header, GTK_EVENT_CONTROLLER (source));
    gtk_widget_set_cursor_from_name (header, "grab");
    gtk_widget_set_tooltip_text (slot->title, _("Drag the title onto another plot to move this one there"));
    g_signal_connect (target, "drop", G_CALLBACK (card_drop_cb), slot->view);
    gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (target));
  }
  return card;
}

/* }}} */
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
  slot->card = g_object_ref_sink (make_card (self, slot));
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

  slot = find_slot (self, view, &index);
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

  slot = find_slot (self, view, &index);
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

  if (find_slot (self, view, &from) == NULL)
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

static void
sync_adjustment (SpkPlotGrid *self)
{
  double upper = MAX (self->last_time, self->window);

  self->updating_adjustment = TRUE;
  gtk_adjustment_configure (self->adjustment, MAX (self->end_time - self->window, 0), 0, upper,
                            self->window / 10, self->window, self->window);
  self->updating_adjustment = FALSE;
}

static void
set_end_time (SpkPlotGrid *self,
              double       end_time)
{
  self->end_time = end_time;
  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_set_end_time (((Slot *) g_ptr_array_index (self->slots, i))->view, end_time);
  sync_adjustment (self);
}

void
spk_plot_grid_scroll_to (SpkPlotGrid *self,
                         double       end_time)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  end_time = CLAMP (end_time, 0, self->last_time);
  self->following = end_time >= self->last_time;
  set_end_time (self, end_time);
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
  set_end_time (self, self->last_time);
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
  sync_adjustment (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

/* }}} */
/* {{{ Runner */

/* The object a plot's target names: a label, or for an unlabelled
 * connection "connection<i>", counting every connection in model order
 * (the builder's key). */
static SpkObject *
lookup_target (SpkNetwork *network,
               const char *key)
{
  GPtrArray *objects = spk_network_get_objects (network);
  SpkObject *object = spk_network_lookup (network, key);
  guint64 index, n_connections = 0;

  if (object != NULL || key == NULL || !g_str_has_prefix (key, "connection")
      || !g_ascii_string_to_unsigned (key + strlen ("connection"), 10, 0, G_MAXUINT, &index, NULL))
    return object;
  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_CONNECTION (g_ptr_array_index (objects, i)) && n_connections++ == index)
      return spk_object_get_label (g_ptr_array_index (objects, i)) == NULL ? g_ptr_array_index (objects, i) : NULL;
  return NULL;
}

/* A connection's output as it reaches its post (transform, function and
 * synapse applied) is recorded through a copy of the connection into a
 * hidden pass-through Node of the same width: its decoders are solved
 * from the same ensemble, function and solver, so they are the same.
 * Returns the Node to probe, or NULL when the width is not known. */
static SpkObject *
add_connection_tap (SpkNetwork    *network,
                    SpkConnection *connection,
                    const char    *label)
{
  static const char *const own[] = { "label", "post", "post-neurons", "post-slice" };
  SpkObject *post = spk_connection_get_post (connection);
  g_autoptr (SpkNode) node = NULL;
  g_autoptr (GObject) copy = NULL;
  g_autofree GParamSpec **specs = NULL;
  g_autofree guint *index = NULL;
  g_autofree char *node_label = g_strdup_printf ("%s_node", label);
  g_autofree char *copy_label = g_strdup_printf ("%s_connection", label);
  guint n_specs, post_size, width;

  if (SPK_IS_ENSEMBLE (post))
    post_size = MAX (spk_ensemble_get_dimensions (SPK_ENSEMBLE (post)), 0);
  else if (SPK_IS_NODE (post))
    post_size = spk_node_get_size_in (SPK_NODE (post));
  else
    return NULL;
  index = spk_slice_resolve (spk_connection_get_post_slice (connection), post_size, &width, NULL);
  if (index == NULL || width == 0)
    return NULL;

  node = spk_node_new ();
  spk_object_set_label (SPK_OBJECT (node), node_label);
  spk_node_set_size_in (node, width);
  spk_network_add (network, SPK_OBJECT (node), NULL);
  copy = g_object_new (G_OBJECT_TYPE (connection), NULL);
  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (connection), &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;
      gboolean skip = (specs[i]->flags & (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY)) != G_PARAM_READWRITE;

      for (guint k = 0; k < G_N_ELEMENTS (own) && !skip; k++)
        skip = g_str_equal (specs[i]->name, own[k]);
      if (skip)
        continue;
      g_value_init (&value, specs[i]->value_type);
      g_object_get_property (G_OBJECT (connection), specs[i]->name, &value);
      g_object_set_property (copy, specs[i]->name, &value);
    }
  spk_object_set_label (SPK_OBJECT (copy), copy_label);
  spk_connection_set_post (SPK_CONNECTION (copy), SPK_OBJECT (node));
  spk_network_add (network, SPK_OBJECT (copy), NULL);
  return SPK_OBJECT (node);
}

void
spk_plot_grid_add_probes (SpkPlotGrid *self,
                          SpkNetwork  *network)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));
  g_return_if_fail (SPK_IS_NETWORK (network));

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      SpkObject *target = lookup_target (network, spk_plot_view_get_target (slot->view));
      SpkPlotKind kind = spk_plot_view_get_kind (slot->view);
      g_autoptr (SpkProbe) probe = NULL;
      g_autofree char *label = NULL;
      const char *attr;
      gboolean neurons;

      if (target == NULL || !spk_plot_kind_applies (kind, target)
          || !spk_plot_view_get_probe_spec (slot->view, &attr, &neurons))
        continue;
      /* An image of a square ensemble shows its neurons' activity. */
      if (kind == SPK_PLOT_IMAGE && SPK_IS_ENSEMBLE (target))
        {
          int n = spk_ensemble_get_n_neurons (SPK_ENSEMBLE (target));
          int side = (int) round (sqrt (n));

          neurons = side * side == n;
        }
      label = g_strdup_printf ("__plot%u", slot->id);
      if (SPK_IS_CONNECTION (target)
          && (target = add_connection_tap (network, SPK_CONNECTION (target), label)) == NULL)
        continue;
      probe = spk_probe_new ();
      spk_object_set_label (SPK_OBJECT (probe), label);
      spk_probe_set_target (probe, target);
      spk_probe_set_target_neurons (probe, neurons);
      spk_probe_set_attr (probe, attr);
      /* Decoded values are shown through Nengo GUI's 10 ms synapse. */
      if (!neurons && SPK_IS_ENSEMBLE (target))
        {
          g_autoptr (SpkSynapse) synapse = spk_synapse_new_lowpass (0.01);

          spk_probe_set_synapse (probe, synapse);
        }
      spk_network_add (network, SPK_OBJECT (probe), NULL);
    }
}

void
spk_plot_grid_plan_changed (SpkPlotGrid *self)
{
  SpkPlan *plan;
  gsize need = 0, need_samples = 0, need_entries = 0;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  plan = self->runner ? spk_runner_get_plan (self->runner) : NULL;
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      g_autofree char *label = g_strdup_printf ("__plot%u", slot->id);

      slot->probe = plan ? spk_plan_find_probe (plan, label) : -1;
      if (slot->probe >= 0)
        {
          gsize capacity = spk_runner_get_probe_capacity (self->runner, slot->probe);
          gsize width = spk_runner_get_probe_width (self->runner, slot->probe);

          if (spk_runner_probe_is_sparse (self->runner, slot->probe))
            {
              need_samples = MAX (need_samples, capacity);
              need_entries = MAX (need_entries, MAX (width, SPARSE_READ_ENTRIES));
              /* Read dense (by a plot other than a raster) in parts. */
              capacity = MIN (capacity, DENSE_READ_SAMPLES);
            }
          need = MAX (need, capacity * width);
        }
      if (plan != NULL)
        spk_plot_view_set_plan (slot->view, plan);
    }
  if (plan != NULL)
    {
      g_clear_pointer (&self->plan, spk_plan_unref);
      self->plan = spk_plan_ref (plan);
    }
  if (need > self->scratch_size)
    {
      g_free (self->scratch);
      g_free (self->scratch_times);
      self->scratch = g_new (double, need);
      /* Every probe's capacity is at most need samples. */
      self->scratch_times = g_new (double, need);
      self->scratch_size = need;
    }
  if (need_samples > self->sparse_samples)
    {
      g_free (self->sparse_counts);
      g_free (self->sparse_times);
      self->sparse_counts = g_new (guint32, need_samples);
      self->sparse_times = g_new (double, need_samples);
      self->sparse_samples = need_samples;
    }
  if (need_entries > self->sparse_entries)
    {
      g_free (self->sparse_index);
      g_free (self->sparse_values);
      self->sparse_index = g_new (guint32, need_entries);
      self->sparse_values = g_new (double, need_entries);
      self->sparse_entries = need_entries;
    }
}

/* Moves what the probe's ring holds into the plot, reading at most a
 * ring's worth, so a simulation that outruns the screen cannot keep the
 * main thread here.  Returns the newest sample's time, or -INFINITY. */
static double
drain_slot (SpkPlotGrid *self,
            Slot        *slot)
{
  guint width = spk_runner_get_probe_width (self->runner, slot->probe);
  guint capacity = spk_runner_get_probe_capacity (self->runner, slot->probe);
  double newest = -INFINITY;
  guint total = 0, n;

  if (spk_runner_probe_is_sparse (self->runner, slot->probe)
      && spk_plot_view_get_kind (slot->view) == SPK_PLOT_SPIKES)
    {
      /* A raster keeps only the spikes: read them as such. */
      do
        {
          guint32 entries = 0;

          n = spk_runner_read_probe_sparse (self->runner, slot->probe, self->sparse_counts,
                                            self->sparse_index, self->sparse_values,
                                            self->sparse_entries, self->sparse_times,
                                            capacity - total, NULL);
          if (n == 0)
            break;
          for (guint i = 0; i < n; i++)
            entries += self->sparse_counts[i];
          spk_plot_view_append_sparse (slot->view, self->sparse_times, self->sparse_counts,
                                       self->sparse_index, self->sparse_values, n, width);
          newest = self->sparse_times[n - 1];
          total += n;
          /* Fewer samples than asked for and room left: the ring is empty. */
          if (entries + width <= self->sparse_entries)
            break;
        }
      while (total < capacity);
      return newest;
    }
  do
    {
      guint room = (guint) MIN ((gsize) (capacity - total), self->scratch_size / MAX (width, 1));

      n = spk_runner_read_probe (self->runner, slot->probe, self->scratch, self->scratch_times,
                                 room, NULL);
      if (n == 0)
        break;
      spk_plot_view_append (slot->view, self->scratch_times, self->scratch, n, width);
      newest = self->scratch_times[n - 1];
      total += n;
      if (n < room)
        break;
    }
  while (total < capacity);
  return newest;
}

void
spk_plot_grid_drain (SpkPlotGrid *self)
{
  double newest = self->last_time;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  if (self->runner == NULL)
    return;
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (slot->probe >= 0)
        newest = MAX (newest, drain_slot (self, slot));
    }
  if (newest != self->last_time)
    {
      self->last_time = newest;
      if (self->following)
        set_end_time (self, newest);
      else
        {
          /* Scrolled back: the plots stay put, the scrollbar grows. */
          for (guint i = 0; i < self->slots->len; i++)
            spk_plot_view_set_end_time (((Slot *) g_ptr_array_index (self->slots, i))->view, self->end_time);
          sync_adjustment (self);
        }
    }
}

static gboolean
drain_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  SpkPlotGrid *self = SPK_PLOT_GRID (widget);

  spk_plot_grid_drain (self);
  self->n_frames++;
  return G_SOURCE_CONTINUE;
}

void
spk_plot_grid_set_runner (SpkPlotGrid *self,
                          SpkRunner   *runner)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  if (self->runner == runner)
    return;
  g_clear_pointer (&self->runner, spk_runner_unref);
  if (runner != NULL)
    self->runner = spk_runner_ref (runner);
  if (self->runner != NULL && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), drain_tick_cb, NULL, NULL);
  else if (self->runner == NULL && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  spk_plot_grid_clear (self);
  spk_plot_grid_plan_changed (self);
}

void
spk_plot_grid_set_plan (SpkPlotGrid *self,
                        SpkPlan     *plan)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  if (plan == NULL || plan == self->plan)
    return;
  g_clear_pointer (&self->plan, spk_plan_unref);
  self->plan = spk_plan_ref (plan);
  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_set_plan (((Slot *) g_ptr_array_index (self->slots, i))->view, plan);
}

void
spk_plot_grid_clear (SpkPlotGrid *self)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_clear (((Slot *) g_ptr_array_index (self->slots, i))->view);
  self->last_time = 0;
  self->following = TRUE;
  set_end_time (self, 0);
}

guint64
spk_plot_grid_get_n_frames (SpkPlotGrid *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), 0);
  return self->n_frames;
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
  GtkWidget *scrolled, *empty, *bottom, *window_label;

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
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->grid);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "plots");
  gtk_box_append (GTK_BOX (self->box), self->stack);

  bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
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
  gtk_box_append (GTK_BOX (bottom), window_label);
  gtk_box_append (GTK_BOX (bottom), self->window_spin);
  gtk_box_append (GTK_BOX (self->box), bottom);
  relayout (self);
}

GtkWidget *
spk_plot_grid_new (void)
{
  return g_object_new (SPK_TYPE_PLOT_GRID, NULL);
}

/* }}} */
