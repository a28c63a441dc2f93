/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-slider-panel.c — SpkSliderPanel: interactive input for a running
 * network.
 *
 * Each Node whose output is a constant vector gets a group of sliders, one
 * per dimension (not the constant Nodes a built-in network made inside
 * itself, such as an AssociativeMemory's bias_node: they are its
 * workings, not the user's inputs), each with a spin button sharing its GtkAdjustment (type a
 * value, or drag) and a popover to change the range.  Moving one sends the
 * Node's whole vector to the runner (spk_runner_set_node_output), which
 * applies it at the next step; the model itself is not edited, so undo and
 * the saved file are untouched.  A reset of the run puts the sliders back
 * to the model's value.  Main thread only.
 */
#define G_LOG_DOMAIN "spk-slider-panel"

#include "ui/run/spk-slider-panel.h"
#include "model/spk-subnetwork.h"
#include "ui/run/spk-wrap-layout.h"

#include <glib/gi18n.h>
#include <math.h>

typedef struct
{
  char           *label;
  guint           n;
  GtkAdjustment **adjustments;
  double         *model;      /* the Node's output-value */
  gboolean        touched;
} Group;

struct _SpkSliderPanel
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *list;
  GPtrArray *groups;
  SpkRunner *runner;
  gboolean   resetting;
};

G_DEFINE_FINAL_TYPE (SpkSliderPanel, spk_slider_panel, GTK_TYPE_WIDGET)

static void
group_free (gpointer data)
{
  Group *group = data;

  for (guint i = 0; i < group->n; i++)
    g_object_unref (group->adjustments[i]);
  g_free (group->adjustments);
  g_free (group->model);
  g_free (group->label);
  g_free (group);
}

static void
send (SpkSliderPanel *self,
      Group          *group)
{
  g_autofree double *values = g_new (double, MAX (group->n, 1));

  if (self->runner == NULL)
    return;
  for (guint i = 0; i < group->n; i++)
    values[i] = gtk_adjustment_get_value (group->adjustments[i]);
  spk_runner_set_node_output (self->runner, group->label, values, group->n);
}

static void
value_changed_cb (GtkAdjustment  *adjustment,
                  SpkSliderPanel *self)
{
  Group *group = g_object_get_data (G_OBJECT (adjustment), "spk-group");

  if (self->resetting)
    return;
  group->touched = TRUE;
  send (self, group);
}

static void
range_changed_cb (GtkSpinButton *spin,
                  GtkAdjustment *adjustment)
{
  gboolean is_low = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spin), "spk-low"));
  double v = gtk_spin_button_get_value (spin);
  double lo = is_low ? v : gtk_adjustment_get_lower (adjustment);
  double hi = is_low ? gtk_adjustment_get_upper (adjustment) : v;

  if (hi <= lo)
    return;
  gtk_adjustment_set_lower (adjustment, lo);
  gtk_adjustment_set_upper (adjustment, hi);
  gtk_adjustment_set_value (adjustment, CLAMP (gtk_adjustment_get_value (adjustment), lo, hi));
}

static GtkWidget *
range_button (GtkAdjustment *adjustment)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *grid = gtk_grid_new ();
  const char *names[] = { N_("Minimum"), N_("Maximum") };

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *label = gtk_label_new (_(names[i]));
      GtkWidget *spin = gtk_spin_button_new_with_range (-1e6, 1e6, 0.1);

      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), i == 0 ? gtk_adjustment_get_lower (adjustment)
                                                                 : gtk_adjustment_get_upper (adjustment));
      g_object_set_data (G_OBJECT (spin), "spk-low", GINT_TO_POINTER (i == 0));
      g_signal_connect_object (spin, "value-changed", G_CALLBACK (range_changed_cb), adjustment, 0);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), spin, 1, i, 1, 1);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), grid);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Change the slider's range"));
  return button;
}

/* Whether a built-in network made object from its parameters. */
static gboolean
is_made_by_builtin (SpkObject *object)
{
  return spk_object_get_generated (object) && spk_subnetwork_builtin_of (object) != NULL;
}

void
spk_slider_panel_set_network (SpkSliderPanel *self,
                              SpkNetwork     *network)
{
  GtkWidget *child;
  GPtrArray *objects;

  g_return_if_fail (SPK_IS_SLIDER_PANEL (self));

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);
  g_ptr_array_set_size (self->groups, 0);
  objects = network ? spk_network_get_objects (network) : NULL;
  for (guint k = 0; objects != NULL && k < objects->len; k++)
    {
      SpkObject *object = g_ptr_array_index (objects, k);
      SpkArray *value;
      GtkWidget *heading;
      Group *group;

      if (!SPK_IS_NODE (object) || (value = spk_node_get_output_value (SPK_NODE (object))) == NULL
          || value->size == 0 || value->size > SPK_SLIDER_PANEL_MAX_DIMS
          || spk_object_get_label (object) == NULL || is_made_by_builtin (object))
        continue;
      group = g_new0 (Group, 1);
      group->label = g_strdup (spk_object_get_label (object));
      group->n = value->size;
      group->model = g_memdup2 (value->data, value->size * sizeof (double));
      group->adjustments = g_new0 (GtkAdjustment *, group->n);
      g_ptr_array_add (self->groups, group);

      heading = gtk_label_new (group->label);
      gtk_widget_add_css_class (heading, "heading");
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_box_append (GTK_BOX (self->list), heading);
      for (guint i = 0; i < group->n; i++)
        {
          double v = group->model[i];
          double extent = MAX (1.0, ceil (fabs (v)));
          GtkAdjustment *adjustment = gtk_adjustment_new (v, -extent, extent, 0.01, 0.1, 0);
          GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
          GtkWidget *scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, adjustment);
          GtkWidget *spin = gtk_spin_button_new (adjustment, 0.01, 2);
          g_autofree char *name = g_strdup_printf ("%s[%u]", group->label, i);

          group->adjustments[i] = g_object_ref_sink (adjustment);
          g_object_set_data (G_OBJECT (adjustment), "spk-group", group);
          g_signal_connect (adjustment, "value-changed", G_CALLBACK (value_changed_cb), self);
          gtk_widget_set_hexpand (scale, TRUE);
          /* The slider is what a class watches being dragged: it gets the
           * width, the spin button only what a value like -0.25 needs. */
          gtk_widget_set_size_request (scale, 180, -1);
          gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
          gtk_editable_set_max_width_chars (GTK_EDITABLE (spin), 6);
          gtk_scale_add_mark (GTK_SCALE (scale), 0, GTK_POS_BOTTOM, NULL);
          gtk_widget_set_tooltip_text (scale, name);
          gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          /* On a narrow screen the number goes under the slider. */
          gtk_widget_set_layout_manager (row, spk_wrap_layout_new (4, 2));
          gtk_box_append (GTK_BOX (row), scale);
          gtk_box_append (GTK_BOX (row), spin);
          gtk_box_append (GTK_BOX (row), range_button (adjustment));
          gtk_box_append (GTK_BOX (self->list), row);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->groups->len > 0);
  if (self->runner != NULL)
    spk_slider_panel_set_runner (self, self->runner);
}

void
spk_slider_panel_set_runner (SpkSliderPanel *self,
                             SpkRunner      *runner)
{
  g_return_if_fail (SPK_IS_SLIDER_PANEL (self));

  if (runner != self->runner)
    {
      g_clear_pointer (&self->runner, spk_runner_unref);
      self->runner = runner ? spk_runner_ref (runner) : NULL;
    }
  for (guint i = 0; i < self->groups->len; i++)
    {
      Group *group = g_ptr_array_index (self->groups, i);

      if (group->touched)
        send (self, group);
    }
}

void
spk_slider_panel_reset (SpkSliderPanel *self)
{
  g_return_if_fail (SPK_IS_SLIDER_PANEL (self));

  self->resetting = TRUE;
  for (guint i = 0; i < self->groups->len; i++)
    {
      Group *group = g_ptr_array_index (self->groups, i);

      for (guint k = 0; k < group->n; k++)
        gtk_adjustment_set_value (group->adjustments[k], group->model[k]);
      if (group->touched && self->runner != NULL)
        spk_runner_set_node_output (self->runner, group->label, NULL, 0);
      group->touched = FALSE;
    }
  self->resetting = FALSE;
}

guint
spk_slider_panel_get_n_sliders (SpkSliderPanel *self)
{
  guint n = 0;

  g_return_val_if_fail (SPK_IS_SLIDER_PANEL (self), 0);

  for (guint i = 0; i < self->groups->len; i++)
    n += ((Group *) g_ptr_array_index (self->groups, i))->n;
  return n;
}

GtkAdjustment *
spk_slider_panel_get_adjustment (SpkSliderPanel *self,
                                 const char     *node,
                                 guint           dimension)
{
  g_return_val_if_fail (SPK_IS_SLIDER_PANEL (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      Group *group = g_ptr_array_index (self->groups, i);

      if (g_strcmp0 (group->label, node) == 0 && dimension < group->n)
        return group->adjustments[dimension];
    }
  return NULL;
}

static void
spk_slider_panel_dispose (GObject *object)
{
  SpkSliderPanel *self = SPK_SLIDER_PANEL (object);

  g_clear_pointer (&self->runner, spk_runner_unref);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  if (self->groups != NULL)
    g_ptr_array_set_size (self->groups, 0);
  G_OBJECT_CLASS (spk_slider_panel_parent_class)->dispose (object);
}

static void
spk_slider_panel_finalize (GObject *object)
{
  SpkSliderPanel *self = SPK_SLIDER_PANEL (object);

  g_ptr_array_unref (self->groups);
  G_OBJECT_CLASS (spk_slider_panel_parent_class)->finalize (object);
}

static void
spk_slider_panel_class_init (SpkSliderPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = spk_slider_panel_dispose;
  object_class->finalize = spk_slider_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sliderpanel");
}

static void
spk_slider_panel_init (SpkSliderPanel *self)
{
  GtkWidget *title, *scrolled;

  self->groups = g_ptr_array_new_with_free_func (group_free);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->box, "spk-slider-panel");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  title = gtk_label_new (_("Inputs"));
  gtk_widget_add_css_class (title, "title-4");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (self->box), title);
  self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self->box), scrolled);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
spk_slider_panel_new (void)
{
  return g_object_new (SPK_TYPE_SLIDER_PANEL, NULL);
}
