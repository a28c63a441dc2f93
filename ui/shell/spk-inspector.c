/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-inspector.c — the inspector: rows generated from the GParamSpecs of
 * the selected objects, so a new model parameter appears here without code.
 *
 * Each shown property gets an Editor: a row of the kind its value type
 * calls for (numbers with their unit, switches, enum drop-downs, an
 * expander for distributions, neuron types, synapses, solvers and
 * processes, an "Edit…" dialog for arrays, an entry validated as you type
 * for expressions).  An edit sets the property on every inspected object;
 * a "notify" from any of them refreshes its editor, unless the inspector
 * itself is the one writing (self->updating), so the model stays the only
 * source of truth.
 *
 * This file builds the page and holds the widget; the editors of each
 * kind of value are in spk-inspector-editors.c, the expanders of boxed
 * values in spk-inspector-expanders.c, the reading and summarising of
 * values in spk-inspector-values.c, around spk-inspector-private.h.
 */
#define G_LOG_DOMAIN "spk-inspector"

#include "spk-inspector-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "io/spk-model-json.h"
#include "model/spk-subnetwork.h"
#include "ui/shell/spk-shell.h"
#include "ui/shell/spk-transform-editor.h"
#include "ui/train/spk-loss-curve.h"

G_DEFINE_FINAL_TYPE (SpkInspector, spk_inspector, GTK_TYPE_WIDGET)

enum { SET_NETWORK_PARAM, N_SIGNALS };

static guint inspector_signals[N_SIGNALS];

typedef struct
{
  SpkInspector *inspector;
  GObject      *net;
  char         *name;
  GValue        value;
} NetworkEdit;

static void
network_edit_free (gpointer data)
{
  NetworkEdit *edit = data;

  g_object_unref (edit->inspector);
  g_object_unref (edit->net);
  g_free (edit->name);
  g_value_unset (&edit->value);
  g_free (edit);
}

static gboolean
network_edit_cb (gpointer data)
{
  NetworkEdit *edit = data;
  gboolean handled = FALSE;

  g_signal_emit (edit->inspector, inspector_signals[SET_NETWORK_PARAM], 0, edit->net, edit->name, &edit->value,
                 &handled);
  if (!handled)
    g_object_set_property (edit->net, edit->name, &edit->value);
  return G_SOURCE_REMOVE;
}

/* An edit of a built-in network's parameter, passed on from the main loop. */
void
_spk_inspector_edit_network (SpkInspector *self,
                             GParamSpec   *pspec,
                             const GValue *value)
{
  NetworkEdit *edit = g_new0 (NetworkEdit, 1);

  edit->inspector = g_object_ref (self);
  edit->net = g_object_ref (_spk_inspector_first_object (self));
  edit->name = g_strdup (pspec->name);
  g_value_init (&edit->value, G_VALUE_TYPE (value));
  g_value_copy (value, &edit->value);
  g_idle_add_full (G_PRIORITY_DEFAULT, network_edit_cb, edit, network_edit_free);
}

/* {{{ Building the page */

static void
editor_free (gpointer data)
{
  Editor *editor = data;

  g_clear_pointer (&editor->sub_rows, g_ptr_array_unref);
  g_free (editor);
}

static gboolean
is_expander_type (GType type)
{
  return type == SPK_TYPE_DISTRIBUTION || type == SPK_TYPE_NEURON_TYPE || type == SPK_TYPE_SYNAPSE
         || type == SPK_TYPE_SOLVER || type == SPK_TYPE_PROCESS || type == SPK_TYPE_LEARNING_RULE_TYPE;
}

static Editor *
editor_new (SpkInspector *self,
            GParamSpec   *pspec)
{
  Editor *editor = g_new0 (Editor, 1);
  GType type = pspec->value_type;

  editor->inspector = self;
  editor->pspec = pspec;
  if (type == G_TYPE_BOOLEAN)
    _spk_inspector_switch_editor (editor);
  else if (G_TYPE_IS_ENUM (type))
    _spk_inspector_enum_editor (editor);
  else if (type == G_TYPE_INT || type == G_TYPE_UINT || type == G_TYPE_INT64
           || type == G_TYPE_DOUBLE || type == G_TYPE_FLOAT)
    _spk_inspector_number_editor (editor);
  else if (type == G_TYPE_STRING)
    _spk_inspector_string_editor (editor);
  else if (type == SPK_TYPE_SLICE)
    _spk_inspector_slice_editor (editor);
  else if (type == SPK_TYPE_ARRAY)
    _spk_inspector_array_editor (editor);
  else if (type == JSON_TYPE_NODE)
    _spk_inspector_json_editor (editor);
  else if (is_expander_type (type))
    _spk_inspector_expander_editor (editor);
  else if (g_type_is_a (type, G_TYPE_OBJECT))
    _spk_inspector_reference_editor (editor);
  else
    {
      g_free (editor);
      return NULL;
    }
  return editor;
}

static AdwPreferencesGroup *
add_group (SpkInspector *self,
           const char   *title,
           const char   *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->groups, group);
  return ADW_PREFERENCES_GROUP (group);
}

/* Whether pspec is a parameter of the kind of the one built-in network
 * inspected ("n-neurons" of a Product). */
gboolean
_spk_inspector_is_network_param (SpkInspector *self,
                                 GParamSpec   *pspec)
{
  GObject *first = _spk_inspector_first_object (self);
  const char *kind;
  g_auto (GStrv) keys = NULL;
  g_autofree char *key = NULL;

  if (self->objects->len != 1 || !SPK_IS_SUBNETWORK (first)
      || (kind = spk_subnetwork_get_kind (SPK_SUBNETWORK (first))) == NULL)
    return FALSE;
  keys = spk_model_network_kind_params (kind);
  key = g_strdelimit (g_strdup (pspec->name), "-", '_');
  return keys != NULL && g_strv_contains ((const char *const *) keys, key);
}

/* The properties every inspected object has (the same GParamSpec), label
 * first and seed last, the rest in the order the type installed them. */
static GPtrArray *
shared_properties (SpkInspector *self)
{
  GPtrArray *shared = g_ptr_array_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  GParamSpec *label = NULL, *seed = NULL;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (_spk_inspector_first_object (self)), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      gboolean everywhere = TRUE;

      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
        continue;
      for (guint j = 1; j < self->objects->len && everywhere; j++)
        everywhere = g_object_class_find_property (G_OBJECT_GET_CLASS (g_ptr_array_index (self->objects, j)),
                                                   pspecs[i]->name) == pspecs[i];
      if (!everywhere)
        continue;
      /* A sub-network shows its label and seed, and a built-in one the
       * parameters of its kind (an edit remakes its objects). */
      if (SPK_IS_SUBNETWORK (_spk_inspector_first_object (self))
          && !g_str_equal (pspecs[i]->name, "label") && !g_str_equal (pspecs[i]->name, "seed")
          && !_spk_inspector_is_network_param (self, pspecs[i]))
        continue;
      /* One label for several objects would be a clash, not an edit. */
      if (g_str_equal (pspecs[i]->name, "label") && self->objects->len > 1)
        continue;
      if (g_str_equal (pspecs[i]->name, "label"))
        label = pspecs[i];
      else if (g_str_equal (pspecs[i]->name, "seed"))
        seed = pspecs[i];
      else
        g_ptr_array_add (shared, pspecs[i]);
    }
  if (label != NULL)
    g_ptr_array_insert (shared, 0, label);
  if (seed != NULL)
    g_ptr_array_add (shared, seed);
  return shared;
}

static void
update_header (SpkInspector *self)
{
  GObject *object = _spk_inspector_first_object (self);
  const char *label = NULL;
  GType type;

  if (object == NULL)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "org.spikeworks.Spikeworks-symbolic");
      gtk_label_set_text (GTK_LABEL (self->title), _("Nothing Selected"));
      gtk_label_set_text (GTK_LABEL (self->subtitle), _("Select an object on the canvas to see its parameters"));
      return;
    }
  type = G_OBJECT_TYPE (object);
  if (SPK_IS_SUBNETWORK (object) && self->objects->len == 1)
    {
      /* A sub-network on the canvas (Ctrl+G, or a built-in one) is one
       * thing to its user, named by its label. */
      const char *kind = spk_subnetwork_get_kind (SPK_SUBNETWORK (object));
      g_autofree char *subtitle = kind != NULL
                                  ? g_strdup_printf (_("Built-in network: %s"),
                                                     spk_shell_network_kind_display_name (kind))
                                  : g_strdup (_("Sub-network"));

      label = spk_object_get_label (SPK_OBJECT (object));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "view-app-grid-symbolic");
      gtk_label_set_text (GTK_LABEL (self->title), label ? label : _("Sub-network"));
      gtk_label_set_text (GTK_LABEL (self->subtitle), subtitle);
      return;
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), spk_shell_type_icon_name (type));
  if (self->objects->len > 1)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (NULL, "%u Object", "%u Objects", self->objects->len),
                                                self->objects->len);

      gtk_label_set_text (GTK_LABEL (self->title), title);
      gtk_label_set_text (GTK_LABEL (self->subtitle), _("Changes apply to every selected object"));
      return;
    }
  if (SPK_IS_OBJECT (object))
    label = spk_object_get_label (SPK_OBJECT (object));
  else if (SPK_IS_NETWORK (object))
    label = spk_network_get_label (SPK_NETWORK (object));
  gtk_label_set_text (GTK_LABEL (self->title), label ? label : spk_shell_type_display_name (type));
  gtk_label_set_text (GTK_LABEL (self->subtitle), spk_shell_type_display_name (type));
}

static void
object_notify_cb (GObject      *object,
                  GParamSpec   *pspec,
                  SpkInspector *self)
{
  Editor *editor;

  if (g_str_equal (pspec->name, "label"))
    update_header (self);
  /* The editor being used keeps what was typed; another property the
   * edit changed (a constant output clears the expression) shows it. */
  if (self->updating && (self->setting == NULL || g_str_equal (pspec->name, self->setting)))
    return;
  editor = g_hash_table_lookup (self->editors, pspec->name);
  if (editor != NULL)
    editor->refresh (editor);
  /* An expression's validity depends on the sizes around it. */
  if (!g_str_equal (pspec->name, "output-expr") && !g_str_equal (pspec->name, "function"))
    {
      Editor *expression = g_hash_table_lookup (self->editors, "output-expr");

      if (expression == NULL)
        expression = g_hash_table_lookup (self->editors, "function");
      if (expression != NULL)
        _spk_inspector_validate_expression (expression);
    }
}

static void
clear (SpkInspector *self)
{
  for (guint i = 0; i < self->objects->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->objects, i), object_notify_cb, self);
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self->page), g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_hash_table_remove_all (self->editors);
  g_ptr_array_set_size (self->objects, 0);
}

/* Whether object is a connection whose decoders the NEF solves. */
static gboolean
is_decoded_connection (GObject *object)
{
  return SPK_IS_CONNECTION (object)
         && SPK_IS_ENSEMBLE (spk_connection_get_pre (SPK_CONNECTION (object)))
         && !spk_connection_get_pre_neurons (SPK_CONNECTION (object));
}

/* The decode error of one selected decoded connection, from the last
 * solve, and the way to its decoded-function plot (also in the
 * connection's menu on the canvas), in a group of their own at the top. */
static void
add_decode_error (SpkInspector *self)
{
  SpkArray *rmse = NULL;
  AdwPreferencesGroup *group;
  GtkWidget *row, *button;
  g_autoptr (GString) text = g_string_new (NULL);

  g_clear_pointer (&self->decode_error_text, g_free);
  if (self->objects->len != 1 || !is_decoded_connection (g_ptr_array_index (self->objects, 0)))
    return;
  group = add_group (self, _("Decoders"), NULL);
  button = gtk_button_new_with_mnemonic (_("_Plot Decoded Function"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.plot-decoded-function");
  gtk_widget_set_tooltip_text (button, _("Target and decoded function against the input, with their error, "
                                         "computed from the built model without running"));
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (button, 6);
  if (self->decode_errors != NULL)
    rmse = g_hash_table_lookup (self->decode_errors, g_ptr_array_index (self->objects, 0));
  if (rmse == NULL)
    {
      adw_preferences_group_add (group, button);
      return;
    }
  for (gsize i = 0; i < rmse->size; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (text, i > 0 ? ", %s" : "%s", g_ascii_formatd (buf, sizeof buf, "%.3g", rmse->data[i]));
    }
  self->decode_error_text = g_strdup (text->str);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Decode error (RMSE)"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text->str);
  gtk_widget_set_tooltip_text (row, _("Root-mean-square error of the decoded function at the evaluation points, "
                                      "per output dimension, from the last solve (Ctrl+B)"));
  adw_preferences_group_add (group, row);
  adw_preferences_group_add (group, button);
}

static char *
format_loss (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", value));
}

/* What training left: for the network, the epochs, the last loss and the
 * history as a small chart; for an object whose parameters were trained,
 * a mark saying which, since the rows below show the model's settings and
 * not the trained values that the run uses. */
static void
add_training (SpkInspector *self)
{
  GObject *object;
  guint n = self->history_loss->len;
  AdwPreferencesGroup *group;
  GtkWidget *row, *icon;
  const char *what;
  g_autofree char *last = NULL;

  g_clear_pointer (&self->training_text, g_free);
  if (self->objects->len != 1 || n == 0)
    return;
  object = g_ptr_array_index (self->objects, 0);
  last = format_loss (g_array_index (self->history_loss, double, n - 1));
  if (SPK_IS_NETWORK (object))
    {
      double val = g_array_index (self->history_val_loss, double, n - 1);
      GtkWidget *curve = spk_loss_curve_new ();

      group = add_group (self, _("Training"), NULL);
      if (isnan (val))
        self->training_text = g_strdup_printf (g_dngettext (NULL, "%u epoch trained, last loss %s",
                                                            "%u epochs trained, last loss %s", n), n, last);
      else
        {
          g_autofree char *val_text = format_loss (val);

          self->training_text = g_strdup_printf (g_dngettext (NULL, "%u epoch trained, last loss %s, validation loss %s",
                                                              "%u epochs trained, last loss %s, validation loss %s", n),
                                                 n, last, val_text);
        }
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("History"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), self->training_text);
      adw_preferences_group_add (group, row);
      spk_loss_curve_set_history (SPK_LOSS_CURVE (curve), n, (const double *) self->history_loss->data,
                                  (const double *) self->history_val_loss->data);
      gtk_widget_set_size_request (curve, -1, 130);
      gtk_widget_set_margin_start (curve, 6);
      gtk_widget_set_margin_end (curve, 6);
      gtk_widget_set_margin_top (curve, 6);
      gtk_widget_set_margin_bottom (curve, 6);
      {
        GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

        gtk_widget_add_css_class (card, "card");
        gtk_widget_set_margin_top (card, 6);
        gtk_box_append (GTK_BOX (card), curve);
        adw_preferences_group_add (group, card);
      }
      return;
    }
  if (self->trained == NULL || (what = g_hash_table_lookup (self->trained, object)) == NULL)
    return;
  group = add_group (self, _("Training"), NULL);
  /* Translators: what was trained (e.g. "Weights"), the epochs and the loss */
  self->training_text = g_strdup_printf (g_dngettext (NULL, "%s trained over %u epoch (loss %s); the run uses them",
                                                      "%s trained over %u epochs (loss %s); the run uses them", n),
                                         what, n, last);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Trained"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), self->training_text);
  gtk_widget_set_tooltip_text (row, _("Training replaced the built values of these parameters; "
                                      "Forget Training in the main menu builds them afresh"));
  icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  gtk_widget_add_css_class (icon, "success");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "spk-trained");
  adw_preferences_group_add (group, row);
}

static void
rebuild (SpkInspector *self)
{
  g_autoptr (GPtrArray) pspecs = NULL;
  AdwPreferencesGroup *main_group;

  update_header (self);
  if (self->objects->len == 0)
    return;
  /* First, so that they show without scrolling. */
  add_training (self);
  add_decode_error (self);
  pspecs = shared_properties (self);
  main_group = add_group (self, NULL, NULL);
  for (guint i = 0; i < pspecs->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (pspecs, i);
      Editor *editor = editor_new (self, pspec);

      if (editor == NULL)
        continue;
      g_hash_table_insert (self->editors, (gpointer) pspec->name, editor);
      if (editor->message != NULL)
        {
          /* An expression gets its own group, with its error under it. */
          AdwPreferencesGroup *group = add_group (self, _spk_inspector_nick_of (pspec),
                                                  _spk_inspector_blurb_of (pspec));

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _("Expression"));
          adw_preferences_group_add (group, editor->row);
          adw_preferences_group_add (group, editor->message);
          main_group = add_group (self, NULL, NULL);
        }
      else
        adw_preferences_group_add (main_group, editor->row);
    }
  /* A network a built-in network made inside it (BasalGanglia's
   * EnsembleArrays) is made from that network's parameters: its own
   * name and parameters are not to be edited one by one. */
  {
    GObject *first = _spk_inspector_first_object (self);
    SpkSubnetwork *maker = SPK_IS_OBJECT (first) ? spk_subnetwork_builtin_of (SPK_OBJECT (first)) : NULL;

    if (SPK_IS_SUBNETWORK (first) && maker != NULL && spk_object_get_generated (SPK_OBJECT (first)))
      {
        g_autofree char *why = g_strdup_printf (_("Made by the network '%s' from its parameters: change those instead"),
                                                spk_object_get_label (SPK_OBJECT (maker)));
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init (&iter, self->editors);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          {
            Editor *editor = value;

            if (g_str_equal (editor->pspec->name, "seed"))
              continue;
            gtk_widget_set_sensitive (editor->row, FALSE);
            gtk_widget_set_tooltip_text (editor->row, why);
          }
      }
  }
  for (guint i = 0; i < self->objects->len; i++)
    g_signal_connect (g_ptr_array_index (self->objects, i), "notify", G_CALLBACK (object_notify_cb), self);
}

/* }}} */
/* {{{ GObject */

static void
spk_inspector_dispose (GObject *object)
{
  SpkInspector *self = SPK_INSPECTOR (object);
  GtkWidget *child;

  if (self->objects != NULL)
    clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), SPK_TYPE_INSPECTOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->objects, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->editors, g_hash_table_unref);
  g_clear_pointer (&self->decode_errors, g_hash_table_unref);
  g_clear_pointer (&self->decode_error_text, g_free);
  g_clear_pointer (&self->trained, g_hash_table_unref);
  g_clear_pointer (&self->history_loss, g_array_unref);
  g_clear_pointer (&self->history_val_loss, g_array_unref);
  g_clear_pointer (&self->training_text, g_free);
  g_clear_object (&self->undo);
  G_OBJECT_CLASS (spk_inspector_parent_class)->dispose (object);
}

/* A connection's Sparse or convolution transform: its values in a window
 * of their own (their tables need the room). */
static void
edit_transform_values_cb (GtkWidget  *widget,
                          const char *action,
                          GVariant   *parameter)
{
  SpkInspector *self = SPK_INSPECTOR (widget);
  GObject *first = _spk_inspector_first_object (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  SpkDistribution *t;
  GtkWidget *window;

  if (self->objects->len != 1 || !SPK_IS_CONNECTION (first)
      || (t = spk_connection_get_transform (SPK_CONNECTION (first))) == NULL || !SPK_DIST_KIND_IS_TRANSFORM (t->kind))
    return;
  window = spk_transform_editor_new (SPK_CONNECTION (first), self->undo);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

static void
spk_inspector_class_init (SpkInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = spk_inspector_dispose;

  /**
   * SpkInspector::set-network-param:
   * @net: the built-in network (an SpkSubnetwork) inspected
   * @name: the property of the parameter edited
   * @value: its new value
   *
   * A parameter of a built-in network was edited: a handler sets it and
   * remakes the network's objects, returning TRUE.  Emitted from the main
   * loop after the edit, not inside the editor's own signal, since the
   * remaking changes what is inspected.  Without a handler the property
   * is set alone.
   */
  inspector_signals[SET_NETWORK_PARAM] =
    g_signal_new ("set-network-param", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 3,
                  SPK_TYPE_SUBNETWORK, G_TYPE_STRING, G_TYPE_VALUE);

  gtk_widget_class_install_action (widget_class, "inspector.edit-transform-values", NULL, edit_transform_values_cb);

  spk_shell_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/spikeworks/Spikeworks/spk-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, SpkInspector, icon);
  gtk_widget_class_bind_template_child (widget_class, SpkInspector, title);
  gtk_widget_class_bind_template_child (widget_class, SpkInspector, subtitle);
  gtk_widget_class_bind_template_child (widget_class, SpkInspector, page);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
spk_inspector_init (SpkInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->objects = g_ptr_array_new_with_free_func (g_object_unref);
  self->groups = g_ptr_array_new ();
  self->editors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, editor_free);
  self->history_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->history_val_loss = g_array_new (FALSE, FALSE, sizeof (double));
  update_header (self);
}

GtkWidget *
spk_inspector_new (void)
{
  return g_object_new (SPK_TYPE_INSPECTOR, NULL);
}

void
spk_inspector_set_objects (SpkInspector *self,
                           GPtrArray    *objects)
{
  g_return_if_fail (SPK_IS_INSPECTOR (self));

  clear (self);
  for (guint i = 0; objects != NULL && i < objects->len; i++)
    g_ptr_array_add (self->objects, g_object_ref (g_ptr_array_index (objects, i)));
  rebuild (self);
}

const char *
spk_inspector_get_title (SpkInspector *self)
{
  g_return_val_if_fail (SPK_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->title));
}

GPtrArray *
spk_inspector_get_objects (SpkInspector *self)
{
  g_return_val_if_fail (SPK_IS_INSPECTOR (self), NULL);
  return self->objects;
}

GtkWidget *
spk_inspector_get_editor (SpkInspector *self,
                          const char   *property)
{
  Editor *editor;

  g_return_val_if_fail (SPK_IS_INSPECTOR (self), NULL);
  editor = g_hash_table_lookup (self->editors, property);
  return editor ? editor->editor : NULL;
}

void
spk_inspector_set_decode_errors (SpkInspector *self,
                                 GHashTable   *errors)
{
  g_return_if_fail (SPK_IS_INSPECTOR (self));

  if (errors == self->decode_errors)
    return;
  g_clear_pointer (&self->decode_errors, g_hash_table_unref);
  if (errors != NULL)
    self->decode_errors = g_hash_table_ref (errors);
  {
    /* The same objects again: set_objects () empties self->objects first. */
    g_autoptr (GPtrArray) objects = g_ptr_array_copy (self->objects, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);

    g_ptr_array_set_free_func (objects, g_object_unref);
    spk_inspector_set_objects (self, objects);
  }
}

void
spk_inspector_set_training (SpkInspector *self,
                            GHashTable   *trained,
                            guint         n_epochs,
                            const double *loss,
                            const double *val_loss)
{
  g_return_if_fail (SPK_IS_INSPECTOR (self));
  g_return_if_fail (n_epochs == 0 || loss != NULL);

  g_clear_pointer (&self->trained, g_hash_table_unref);
  if (trained != NULL)
    self->trained = g_hash_table_ref (trained);
  g_array_set_size (self->history_loss, 0);
  g_array_set_size (self->history_val_loss, 0);
  g_array_append_vals (self->history_loss, loss, n_epochs);
  for (guint e = 0; e < n_epochs; e++)
    {
      double v = val_loss ? val_loss[e] : NAN;

      g_array_append_val (self->history_val_loss, v);
    }
  {
    g_autoptr (GPtrArray) objects = g_ptr_array_copy (self->objects, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);

    g_ptr_array_set_free_func (objects, g_object_unref);
    spk_inspector_set_objects (self, objects);
  }
}

const char *
spk_inspector_get_training (SpkInspector *self)
{
  g_return_val_if_fail (SPK_IS_INSPECTOR (self), NULL);
  return self->training_text;
}

const char *
spk_inspector_get_decode_error (SpkInspector *self)
{
  g_return_val_if_fail (SPK_IS_INSPECTOR (self), NULL);
  return self->decode_error_text;
}

void
spk_inspector_set_undo_stack (SpkInspector *self,
                              SpkUndoStack *undo)
{
  g_return_if_fail (SPK_IS_INSPECTOR (self));
  g_return_if_fail (undo == NULL || SPK_IS_UNDO_STACK (undo));

  g_set_object (&self->undo, undo);
}

const char *
spk_inspector_get_message (SpkInspector *self,
                           const char   *property)
{
  Editor *editor;

  g_return_val_if_fail (SPK_IS_INSPECTOR (self), NULL);
  editor = g_hash_table_lookup (self->editors, property);
  if (editor == NULL || editor->message == NULL || !gtk_widget_get_visible (editor->message))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (editor->message));
}

/* }}} */
