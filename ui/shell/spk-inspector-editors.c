/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-inspector-editors.c — the editor of each kind
 * of value: numbers with their unit, switches, enum drop-downs, entries
 * validated as you type for expressions and slices, read-only object
 * references, and an "Edit…" dialog for arrays. */
#define G_LOG_DOMAIN "spk-inspector"

#include "spk-inspector-private.h"

#include <math.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "core/spk-format.h"
#include "expr/spk-expr.h"
#include "model/spk-value-equal.h"
#include "ui/shell/spk-shell.h"

/* {{{ Small widgets */

static GtkWidget *
unit_label (const char *unit)
{
  GtkWidget *label = gtk_label_new (unit);

  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* A whole-number parameter whose lowest value, -1, means "not set" (a
 * seed, an output size, a number of evaluation points): shown as a word,
 * never as -1. */
static gboolean
spin_means_unset (GtkSpinButton *spin)
{
  double lower;

  gtk_spin_button_get_range (spin, &lower, NULL);
  return lower == -1 && gtk_spin_button_get_digits (spin) == 0 && gtk_spin_button_get_value (spin) == -1;
}

/* Typing the word (or nothing) back gives -1. */
static int
spin_input_cb (GtkSpinButton *spin,
               double        *value,
               gpointer       data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  double lower;
  char *end;

  gtk_spin_button_get_range (spin, &lower, NULL);
  if (lower != -1 || gtk_spin_button_get_digits (spin) != 0)
    return FALSE;
  if (*text == '\0' || g_str_equal (text, _("Automatic")))
    {
      *value = -1;
      return TRUE;
    }
  *value = g_ascii_strtod (text, &end);
  return *end == '\0' ? TRUE : GTK_INPUT_ERROR;
}

/* 0.001 rather than 0.0010: as short as the value allows. */
static gboolean
spin_output_cb (GtkSpinButton *spin,
                gpointer       data)
{
  g_autofree char *text = spin_means_unset (spin)
                          ? g_strdup (_("Automatic"))
                          : g_strdup_printf ("%.*g", gtk_spin_button_get_digits (spin) ? 6 : 15,
                                             gtk_spin_button_get_value (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

GtkWidget *
_spk_inspector_number_spin (double lower,
                            double upper,
                            guint  digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, digits ? pow (10, -(double) digits) : 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 8);
  g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (spin_input_cb), NULL);
  return spin;
}

/* An action row with a spin button (and a unit) as its suffix. */
GtkWidget *
_spk_inspector_spin_row (const char  *title,
                         const char  *subtitle,
                         const char  *unit,
                         GtkWidget   *spin)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  if (unit != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), unit_label (unit));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

GtkWidget *
_spk_inspector_combo_row (const char         *title,
                          const char * const *items)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr (GtkStringList) list = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  return row;
}

static void
set_mixed (Editor *editor)
{
  if (!ADW_IS_ACTION_ROW (editor->row) || editor->inspector->objects->len < 2)
    return;
  if (_spk_inspector_is_mixed (editor))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (editor->row), _("Differs between the selected objects"));
      gtk_widget_add_css_class (editor->row, "spk-mixed");
    }
  else
    gtk_widget_remove_css_class (editor->row, "spk-mixed");
}

/* }}} */
/* {{{ Numbers */

static double
value_to_double (const GValue *value)
{
  switch (G_VALUE_TYPE (value))
    {
    case G_TYPE_INT: return g_value_get_int (value);
    case G_TYPE_UINT: return g_value_get_uint (value);
    case G_TYPE_INT64: return (double) g_value_get_int64 (value);
    case G_TYPE_DOUBLE: return g_value_get_double (value);
    case G_TYPE_FLOAT: return g_value_get_float (value);
    default: g_assert_not_reached ();
    }
}

static void
number_refresh (Editor *editor)
{
  GValue value = G_VALUE_INIT;

  _spk_inspector_get_value (editor, &value);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor->editor), value_to_double (&value));
  g_value_unset (&value);
  set_mixed (editor);
}

static void
number_changed_cb (GtkSpinButton *spin,
                   Editor        *editor)
{
  GValue value = G_VALUE_INIT;
  double number = gtk_spin_button_get_value (spin);

  if (editor->inspector->updating)
    return;
  g_value_init (&value, editor->pspec->value_type);
  switch (editor->pspec->value_type)
    {
    case G_TYPE_INT: g_value_set_int (&value, (int) number); break;
    case G_TYPE_UINT: g_value_set_uint (&value, (guint) number); break;
    case G_TYPE_INT64: g_value_set_int64 (&value, (gint64) number); break;
    case G_TYPE_FLOAT: g_value_set_float (&value, (float) number); break;
    default: g_value_set_double (&value, number); break;
    }
  _spk_inspector_set_value (editor, &value);
  g_value_unset (&value);
  set_mixed (editor);
}

void
_spk_inspector_number_editor (Editor *editor)
{
  GParamSpec *pspec = editor->pspec;
  double lower, upper;
  guint digits = 0;

  switch (pspec->value_type)
    {
    case G_TYPE_INT:
      lower = G_PARAM_SPEC_INT (pspec)->minimum;
      upper = G_PARAM_SPEC_INT (pspec)->maximum;
      break;
    case G_TYPE_UINT:
      lower = G_PARAM_SPEC_UINT (pspec)->minimum;
      upper = G_PARAM_SPEC_UINT (pspec)->maximum;
      break;
    case G_TYPE_INT64:
      lower = (double) G_PARAM_SPEC_INT64 (pspec)->minimum;
      upper = MIN ((double) G_PARAM_SPEC_INT64 (pspec)->maximum, 9007199254740992.0);
      break;
    case G_TYPE_FLOAT:
      lower = G_PARAM_SPEC_FLOAT (pspec)->minimum;
      upper = G_PARAM_SPEC_FLOAT (pspec)->maximum;
      digits = 4;
      break;
    default:
      lower = G_PARAM_SPEC_DOUBLE (pspec)->minimum;
      upper = G_PARAM_SPEC_DOUBLE (pspec)->maximum;
      digits = 4;
      break;
    }
  editor->editor = _spk_inspector_number_spin (lower, upper, digits);
  editor->row = _spk_inspector_spin_row (_spk_inspector_nick_of (pspec), NULL, _spk_inspector_unit_for (pspec->name), editor->editor);
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (pspec));
  editor->refresh = number_refresh;
  number_refresh (editor);
  g_signal_connect (editor->editor, "value-changed", G_CALLBACK (number_changed_cb), editor);
}

/* }}} */
/* {{{ Booleans and enums */

static void
switch_refresh (Editor *editor)
{
  GValue value = G_VALUE_INIT;

  _spk_inspector_get_value (editor, &value);
  gtk_switch_set_active (GTK_SWITCH (editor->editor), g_value_get_boolean (&value));
  g_value_unset (&value);
  set_mixed (editor);
}

static void
switch_changed_cb (GtkSwitch  *widget,
                   GParamSpec *pspec,
                   Editor     *editor)
{
  GValue value = G_VALUE_INIT;

  if (editor->inspector->updating)
    return;
  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, gtk_switch_get_active (widget));
  _spk_inspector_set_value (editor, &value);
  g_value_unset (&value);
  set_mixed (editor);
}

void
_spk_inspector_switch_editor (Editor *editor)
{
  editor->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _spk_inspector_nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  editor->editor = gtk_switch_new ();
  gtk_widget_set_valign (editor->editor, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (editor->row), editor->editor);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (editor->row), editor->editor);
  editor->refresh = switch_refresh;
  switch_refresh (editor);
  g_signal_connect (editor->editor, "notify::active", G_CALLBACK (switch_changed_cb), editor);
}

static void
enum_refresh (Editor *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  GValue value = G_VALUE_INIT;

  _spk_inspector_get_value (editor, &value);
  for (guint i = 0; i < klass->n_values; i++)
    if (klass->values[i].value == g_value_get_enum (&value))
      adw_combo_row_set_selected (ADW_COMBO_ROW (editor->editor), i);
  g_value_unset (&value);
  set_mixed (editor);
}

static void
enum_changed_cb (AdwComboRow *row,
                 GParamSpec  *pspec,
                 Editor      *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  GValue value = G_VALUE_INIT;
  guint selected = adw_combo_row_get_selected (row);

  if (editor->inspector->updating || selected >= klass->n_values)
    return;
  g_value_init (&value, editor->pspec->value_type);
  g_value_set_enum (&value, klass->values[selected].value);
  _spk_inspector_set_value (editor, &value);
  g_value_unset (&value);
}

void
_spk_inspector_enum_editor (Editor *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < klass->n_values; i++)
    g_ptr_array_add (names, (gpointer) klass->values[i].value_nick);
  g_ptr_array_add (names, NULL);
  editor->row = editor->editor = _spk_inspector_combo_row (_spk_inspector_nick_of (editor->pspec),
                                            (const char * const *) names->pdata);
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  editor->refresh = enum_refresh;
  enum_refresh (editor);
  g_signal_connect (editor->editor, "notify::selected", G_CALLBACK (enum_changed_cb), editor);
}

/* }}} */
/* {{{ Strings, expressions and slices */

/* The size of x for an expression: a Node's input, or what a connection
 * reads from its pre. */
static guint
expression_size_in (GObject *object)
{
  if (SPK_IS_NODE (object))
    return spk_node_get_size_in (SPK_NODE (object));
  if (SPK_IS_CONNECTION (object))
    {
      SpkConnection *conn = SPK_CONNECTION (object);
      SpkObject *pre = spk_connection_get_pre (conn);
      SpkSlice *slice = spk_connection_get_pre_slice (conn);
      guint size = 1;

      if (SPK_IS_ENSEMBLE (pre))
        size = spk_connection_get_pre_neurons (conn)
               ? (guint) spk_ensemble_get_n_neurons (SPK_ENSEMBLE (pre))
               : (guint) spk_ensemble_get_dimensions (SPK_ENSEMBLE (pre));
      else if (SPK_IS_NODE (pre))
        {
          SpkNode *node = SPK_NODE (pre);

          if (spk_node_get_size_out (node) >= 0)
            size = spk_node_get_size_out (node);
          else if (spk_node_get_output_value (node) != NULL)
            size = spk_node_get_output_value (node)->size;
          else if (spk_node_get_output_expr (node) != NULL)
            {
              g_autoptr (SpkExpr) expr = spk_expr_compile (spk_node_get_output_expr (node),
                                                          spk_node_get_size_in (node), NULL);
              if (expr != NULL)
                size = spk_expr_get_size_out (expr);
            }
          else if (spk_node_get_size_in (node) > 0)
            size = spk_node_get_size_in (node);
        }
      if (slice != NULL)
        {
          guint n = size;
          g_autofree guint *indices = spk_slice_resolve (slice, size, &n, NULL);

          if (indices != NULL)
            size = n;
        }
      return size;
    }
  return 0;
}

static void
string_refresh (Editor *editor)
{
  GValue value = G_VALUE_INIT;
  const char *text;

  _spk_inspector_get_value (editor, &value);
  text = g_value_get_string (&value);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (editor->editor)), text ? text : "") != 0)
    {
      editor->inspector->updating++;
      gtk_editable_set_text (GTK_EDITABLE (editor->editor), text ? text : "");
      editor->inspector->updating--;
    }
  g_value_unset (&value);
}

/* Validates an expression as it is typed; returns whether it compiles. */
gboolean
_spk_inspector_validate_expression (Editor *editor)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (editor->editor));
  g_autoptr (GError) error = NULL;
  gboolean valid = TRUE;

  if (*text != '\0')
    for (guint i = 0; i < editor->inspector->objects->len && valid; i++)
      {
        g_autoptr (SpkExpr) expr =
          spk_expr_compile (text, expression_size_in (g_ptr_array_index (editor->inspector->objects, i)), &error);

        valid = expr != NULL;
      }
  gtk_label_set_text (GTK_LABEL (editor->message), valid ? "" : error->message);
  gtk_widget_set_visible (editor->message, !valid);
  /* The row's ✓ would read as "OK" (in red): an invalid expression has
   * nothing to apply, so it has no apply button. */
  if (ADW_IS_ENTRY_ROW (editor->editor))
    adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (editor->editor), valid);
  if (valid)
    gtk_widget_remove_css_class (editor->editor, "error");
  else
    gtk_widget_add_css_class (editor->editor, "error");
  return valid;
}

static void
string_changed_cb (GtkEditable *editable,
                   Editor      *editor)
{
  if (editor->message != NULL)
    _spk_inspector_validate_expression (editor);
}

static void
string_apply_cb (AdwEntryRow *row,
                 Editor      *editor)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  GValue value = G_VALUE_INIT;

  if (editor->inspector->updating)
    return;
  if (editor->message != NULL && !_spk_inspector_validate_expression (editor))
    return;
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, *text ? text : NULL);
  _spk_inspector_set_value (editor, &value);
  g_value_unset (&value);
}

static void
expression_refresh (Editor *editor)
{
  string_refresh (editor);
  _spk_inspector_validate_expression (editor);
}

void
_spk_inspector_string_editor (Editor *editor)
{
  editor->row = editor->editor = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _spk_inspector_nick_of (editor->pspec));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (editor->row), TRUE);
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  editor->refresh = string_refresh;
  if (_spk_inspector_is_expression (editor->pspec))
    {
      editor->message = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (editor->message), 0);
      gtk_label_set_wrap (GTK_LABEL (editor->message), TRUE);
      gtk_label_set_selectable (GTK_LABEL (editor->message), TRUE);
      gtk_widget_add_css_class (editor->message, "spk-expression-error");
      gtk_widget_set_visible (editor->message, FALSE);
      editor->refresh = expression_refresh;
      gtk_widget_add_css_class (editor->row, "monospace");
    }
  editor->refresh (editor);
  g_signal_connect (editor->editor, "changed", G_CALLBACK (string_changed_cb), editor);
  g_signal_connect (editor->editor, "apply", G_CALLBACK (string_apply_cb), editor);
}

static void
slice_refresh (Editor *editor)
{
  g_autoptr (SpkSlice) slice = _spk_inspector_dup_boxed (editor);
  g_autofree char *text = slice ? spk_slice_to_string (slice) : g_strdup ("");

  editor->inspector->updating++;
  gtk_editable_set_text (GTK_EDITABLE (editor->editor), text);
  editor->inspector->updating--;
  gtk_widget_remove_css_class (editor->editor, "error");
}

static void
slice_apply_cb (AdwEntryRow *row,
                Editor      *editor)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr (SpkSlice) slice = NULL;
  g_autoptr (GError) error = NULL;

  if (*text != '\0')
    {
      slice = spk_slice_parse (text, &error);
      if (slice == NULL)
        {
          gtk_widget_add_css_class (editor->editor, "error");
          gtk_widget_set_tooltip_text (editor->editor, error->message);
          return;
        }
    }
  gtk_widget_remove_css_class (editor->editor, "error");
  gtk_widget_set_tooltip_text (editor->editor, _spk_inspector_blurb_of (editor->pspec));
  _spk_inspector_set_boxed (editor, slice);
}

void
_spk_inspector_slice_editor (Editor *editor)
{
  editor->row = editor->editor = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _spk_inspector_nick_of (editor->pspec));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (editor->row), TRUE);
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  gtk_widget_add_css_class (editor->row, "monospace");
  editor->refresh = slice_refresh;
  slice_refresh (editor);
  g_signal_connect (editor->editor, "apply", G_CALLBACK (slice_apply_cb), editor);
}

/* }}} */
/* {{{ JSON values (AssociativeMemory's add-ons) */

static void
json_refresh (Editor *editor)
{
  g_autoptr (JsonNode) node = _spk_inspector_dup_boxed (editor);
  g_autofree char *text = node && !JSON_NODE_HOLDS_NULL (node) ? json_to_string (node, FALSE) : g_strdup ("");

  editor->inspector->updating++;
  gtk_editable_set_text (GTK_EDITABLE (editor->editor), text);
  editor->inspector->updating--;
  gtk_widget_remove_css_class (editor->editor, "error");
}

/* The text as JSON (empty: none); whether it is right is the engine's
 * to say, and a refusal comes back with its message. */
static void
json_apply_cb (AdwEntryRow *row,
               Editor      *editor)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;

  if (*text != '\0' && (node = json_from_string (text, &error)) == NULL)
    {
      gtk_widget_add_css_class (editor->editor, "error");
      gtk_widget_set_tooltip_text (editor->editor, error->message);
      return;
    }
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    g_clear_pointer (&node, json_node_unref);
  gtk_widget_remove_css_class (editor->editor, "error");
  gtk_widget_set_tooltip_text (editor->editor, _spk_inspector_blurb_of (editor->pspec));
  _spk_inspector_set_boxed (editor, node);
}

void
_spk_inspector_json_editor (Editor *editor)
{
  editor->row = editor->editor = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _spk_inspector_nick_of (editor->pspec));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (editor->row), TRUE);
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  gtk_widget_add_css_class (editor->row, "monospace");
  editor->refresh = json_refresh;
  json_refresh (editor);
  g_signal_connect (editor->editor, "apply", G_CALLBACK (json_apply_cb), editor);
}

/* }}} */
/* {{{ Objects (read-only references) */

static void
reference_refresh (Editor *editor)
{
  g_autoptr (GObject) target = NULL;
  const char *text = _("None");

  g_object_get (_spk_inspector_first_object (editor->inspector), editor->pspec->name, &target, NULL);
  if (SPK_IS_OBJECT (target))
    text = spk_object_get_label (SPK_OBJECT (target))
           ? spk_object_get_label (SPK_OBJECT (target))
           : spk_shell_type_display_name (G_OBJECT_TYPE (target));
  gtk_label_set_text (GTK_LABEL (editor->editor), text);
  set_mixed (editor);
}

void
_spk_inspector_reference_editor (Editor *editor)
{
  editor->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _spk_inspector_nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  editor->editor = gtk_label_new (NULL);
  gtk_widget_add_css_class (editor->editor, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (editor->row), editor->editor);
  editor->refresh = reference_refresh;
  reference_refresh (editor);
}

/* }}} */
/* {{{ Arrays */

static SpkArray *
parse_array (const char  *text,
             GError     **error)
{
  g_auto (GStrv) lines = g_regex_split_simple ("[\\n;]+", text, 0, 0);
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  gsize rows = 0, cols = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_regex_split_simple ("[\\s,\\[\\]]+", lines[i], 0, 0);
      gsize n = 0;

      for (guint j = 0; fields[j] != NULL; j++)
        {
          char *end;
          double value;

          if (*fields[j] == '\0')
            continue;
          value = g_ascii_strtod (fields[j], &end);
          if (*end != '\0' || !isfinite (value))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“%s” is not a number"), fields[j]);
              return NULL;
            }
          g_array_append_val (values, value);
          n++;
        }
      if (n == 0)
        continue;
      if (rows > 0 && n != cols)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       ngettext ("Row %zu has %zu value, but the first row has %zu",
                                 "Row %zu has %zu values, but the first row has %zu", n),
                       rows + 1, n, cols);
          return NULL;
        }
      cols = n;
      rows++;
    }
  if (rows == 0)
    return NULL;
  if (rows == 1)
    return spk_array_new_vector ((const double *) values->data, cols);
  return spk_array_new_matrix ((const double *) values->data, rows, cols);
}

static char *
array_to_text (const SpkArray *array)
{
  GString *text = g_string_new (NULL);
  gsize cols;

  if (array == NULL)
    return g_string_free (text, FALSE);
  cols = array->ndim == 2 ? array->shape[1] : MAX (array->size, 1);
  for (gsize i = 0; i < array->size; i++)
    {
      char number[SPK_FORMAT_BUF_SIZE];

      /* Exact, so that applying unchanged text changes nothing. */
      g_string_append (text, spk_format_double (number, array->data[i]));
      if (i + 1 < array->size)
        g_string_append (text, (i + 1) % cols == 0 ? "\n" : ", ");
    }
  return g_string_free (text, FALSE);
}

/* The array an editor edits: the property itself, or a distribution's
 * explicit values. */
static SpkArray *
dup_editor_array (Editor *editor)
{
  if (editor->pspec->value_type == SPK_TYPE_ARRAY)
    return _spk_inspector_dup_boxed (editor);
  else
    {
      g_autoptr (SpkDistribution) dist = _spk_inspector_dup_boxed (editor);

      return dist && dist->array ? spk_array_ref (dist->array) : NULL;
    }
}

static void
set_editor_array (Editor   *editor,
                  SpkArray *array)
{
  if (editor->pspec->value_type == SPK_TYPE_ARRAY)
    _spk_inspector_set_boxed (editor, array);
  else if (array != NULL)
    {
      g_autoptr (SpkDistribution) dist = spk_distribution_new_array (array);

      _spk_inspector_set_boxed (editor, dist);
    }
}

/* The dialog outlives a rebuild of the inspector, so it finds its editor
 * again by property name when it answers. */
static void
array_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   SpkInspector     *self)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "text-view");
  const char *property = g_object_get_data (G_OBJECT (dialog), "property");
  Editor *editor = g_hash_table_lookup (self->editors, property);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr (SpkArray) array = NULL;
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (response, "apply") != 0 || editor == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  array = parse_array (text, &error);
  if (error != NULL)
    {
      GtkWidget *alert = adw_message_dialog_new (gtk_window_get_transient_for (GTK_WINDOW (dialog)),
                                                 _("The values were not changed"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (alert));
      return;
    }
  set_editor_array (editor, array);
  editor->refresh (editor);
}

static void
array_edit_cb (GtkButton *button,
               Editor    *editor)
{
  GtkWidget *dialog, *scrolled, *view;
  g_autoptr (SpkArray) array = dup_editor_array (editor);
  g_autofree char *text = array_to_text (array);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (editor->inspector));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _spk_inspector_nick_of (editor->pspec),
                                   _("One row per line; values separated by commas or spaces. Leave it empty to unset it."));
  view = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  g_object_set_data (G_OBJECT (dialog), "text-view", view);
  g_object_set_data_full (G_OBJECT (dialog), "property", g_strdup (editor->pspec->name), g_free);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Apply"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  g_signal_connect_object (dialog, "response", G_CALLBACK (array_response_cb), editor->inspector, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
array_refresh (Editor *editor)
{
  g_autoptr (SpkArray) array = _spk_inspector_dup_boxed (editor);
  g_autofree char *summary = _spk_inspector_summarize_array (array);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (editor->row), summary);
  set_mixed (editor);
}

GtkWidget *
_spk_inspector_edit_button (Editor *editor)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Edit…"));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (array_edit_cb), editor);
  return button;
}

void
_spk_inspector_array_editor (Editor *editor)
{
  editor->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _spk_inspector_nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  editor->editor = _spk_inspector_edit_button (editor);
  adw_action_row_add_suffix (ADW_ACTION_ROW (editor->row), editor->editor);
  editor->refresh = array_refresh;
  array_refresh (editor);
}

/* }}} */
