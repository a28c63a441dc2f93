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
 */
#define G_LOG_DOMAIN "spk-inspector"

#include "ui/shell/spk-inspector.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "core/spk-format.h"
#include "expr/spk-expr.h"
#include "model/spk-network.h"
#include "model/spk-value-equal.h"
#include "ui/shell/spk-shell.h"
#include "ui/train/spk-loss-curve.h"

typedef struct _Editor Editor;
typedef void (*EditorRefresh) (Editor *editor);

struct _Editor
{
  SpkInspector  *inspector;
  GParamSpec    *pspec;
  GtkWidget     *row;        /* the row in the page */
  GtkWidget     *editor;     /* what spk_inspector_get_editor() returns */
  GtkWidget     *message;    /* expressions: the error under the entry */
  GtkWidget     *combo;      /* expanders: the kind drop-down */
  GPtrArray     *sub_rows;   /* expanders: the parameter rows of the kind */
  EditorRefresh  refresh;
};

struct _SpkInspector
{
  GtkWidget   parent_instance;

  GtkWidget  *icon;
  GtkWidget  *title;
  GtkWidget  *subtitle;
  GtkWidget  *page;

  GPtrArray  *objects;   /* GObject* */
  GPtrArray  *groups;    /* the AdwPreferencesGroups in page */
  GHashTable *editors;   /* property name → Editor* */
  guint       updating;
  GHashTable *decode_errors; /* SpkObject* → SpkArray* (RMSE per output), or NULL */
  char       *decode_error_text;
  GHashTable *trained;       /* SpkObject* → what training changed (const char*) */
  GArray     *history_loss;  /* doubles per epoch trained */
  GArray     *history_val_loss;
  char       *training_text;
};

G_DEFINE_FINAL_TYPE (SpkInspector, spk_inspector, GTK_TYPE_WIDGET)

/* {{{ Values */

/* Units of the parameters that have one, by property or parameter name. */
static const char *
unit_for (const char *name)
{
  static const struct { const char *name; const char *unit; } units[] = {
    { "dt", "s" }, { "sample-every", "s" }, { "max-rates", "Hz" },
    { "tau", "s" }, { "tau_rc", "s" }, { "tau_ref", "s" }, { "tau_n", "s" },
    { "tau_recovery", "s" }, { "period", "s" }, { "high", "Hz" },
    { "presentation_time", "s" }, { "reset_voltage", "mV" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_strcmp0 (units[i].name, name) == 0)
      return units[i].unit;
  return NULL;
}

/* The model marks its nicks and blurbs with N_(); they are translated
 * where they are shown. */
static const char *
nick_of (GParamSpec *pspec)
{
  return g_dgettext (GETTEXT_PACKAGE, g_param_spec_get_nick (pspec));
}

static const char *
blurb_of (GParamSpec *pspec)
{
  const char *blurb = g_param_spec_get_blurb (pspec);

  return blurb ? g_dgettext (GETTEXT_PACKAGE, blurb) : NULL;
}

static gboolean
is_expression (GParamSpec *pspec)
{
  return pspec->value_type == G_TYPE_STRING
         && (g_str_equal (pspec->name, "output-expr") || g_str_equal (pspec->name, "function"));
}

static GObject *
first_object (SpkInspector *self)
{
  return self->objects->len > 0 ? g_ptr_array_index (self->objects, 0) : NULL;
}

static void
get_value (Editor *editor,
           GValue *value)
{
  g_value_init (value, editor->pspec->value_type);
  g_object_get_property (first_object (editor->inspector), editor->pspec->name, value);
}

static gpointer
dup_boxed (Editor *editor)
{
  gpointer boxed = NULL;

  g_object_get (first_object (editor->inspector), editor->pspec->name, &boxed, NULL);
  return boxed;
}

/* Sets the property on every inspected object. */
static void
set_value (Editor       *editor,
           const GValue *value)
{
  SpkInspector *self = editor->inspector;

  self->updating++;
  for (guint i = 0; i < self->objects->len; i++)
    g_object_set_property (g_ptr_array_index (self->objects, i), editor->pspec->name, value);
  self->updating--;
}

static void
set_boxed (Editor   *editor,
           gpointer  boxed)
{
  GValue value = G_VALUE_INIT;

  g_value_init (&value, editor->pspec->value_type);
  g_value_set_boxed (&value, boxed);
  set_value (editor, &value);
  g_value_unset (&value);
}

static gboolean
boxed_equal (GType         type,
             gconstpointer a,
             gconstpointer b)
{
  GEqualFunc equal = spk_model_value_equal_func (type);

  return a == b || (equal != NULL && equal (a, b));
}

/* Whether the inspected objects disagree on the property. */
static gboolean
is_mixed (Editor *editor)
{
  SpkInspector *self = editor->inspector;
  GValue first = G_VALUE_INIT;
  gboolean mixed = FALSE;

  get_value (editor, &first);
  for (guint i = 1; i < self->objects->len && !mixed; i++)
    {
      GValue other = G_VALUE_INIT;

      g_value_init (&other, editor->pspec->value_type);
      g_object_get_property (g_ptr_array_index (self->objects, i), editor->pspec->name, &other);
      if (G_VALUE_HOLDS_BOXED (&first))
        mixed = !boxed_equal (editor->pspec->value_type, g_value_get_boxed (&first),
                              g_value_get_boxed (&other));
      else
        mixed = g_param_values_cmp (editor->pspec, &first, &other) != 0;
      g_value_unset (&other);
    }
  g_value_unset (&first);
  return mixed;
}

/* Numbers as people read them (the model file keeps the exact ones). */
static char *
format_number (double value)
{
  return g_strdup_printf ("%.6g", value);
}

static char *
summarize_array (const SpkArray *array)
{
  GString *text;

  if (array == NULL)
    return g_strdup (_("Not set"));
  if (array->ndim == 2)
    /* Translators: a matrix's rows × columns */
    return g_strdup_printf (_("%zu × %zu matrix"), array->shape[0], array->shape[1]);
  text = g_string_new (NULL);
  for (gsize i = 0; i < MIN (array->size, 4); i++)
    {
      g_autofree char *number = format_number (array->data[i]);

      g_string_append_printf (text, "%s%s", i ? ", " : "", number);
    }
  if (array->size > 4)
    g_string_append_printf (text, ", … (%zu)", array->size);
  if (array->ndim == 1)
    {
      g_string_prepend_c (text, '[');
      g_string_append_c (text, ']');
    }
  return g_string_free (text, FALSE);
}

static char *
summarize_distribution (const SpkDistribution *dist)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *array = NULL;

  if (dist == NULL)
    return g_strdup (_("Default"));
  switch (dist->kind)
    {
    case SPK_DIST_UNIFORM:
      a = format_number (dist->low);
      b = format_number (dist->high);
      return g_strdup_printf ("Uniform(%s, %s)", a, b);
    case SPK_DIST_GAUSSIAN:
      a = format_number (dist->mean);
      b = format_number (dist->std);
      return g_strdup_printf ("Gaussian(%s, %s)", a, b);
    case SPK_DIST_GLOROT:
      a = format_number (dist->scale);
      return g_strdup_printf ("Glorot(%s)", a);
    case SPK_DIST_ARRAY:
      return summarize_array (dist->array);
    case SPK_DIST_CHOICE:
    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
    default:
      return g_strdup_printf ("%s%s", spk_distribution_kind_to_name (dist->kind),
                              dist->surface ? _(" (surface)") : "");
    }
}

static char *
summarize_neuron_type (const SpkNeuronType *type)
{
  if (type == NULL)
    return g_strdup (_("Default"));
  if (type->base != NULL)
    return g_strdup_printf ("%s(%s)", spk_neuron_kind_to_name (type->kind),
                            spk_neuron_kind_to_name (type->base->kind));
  return g_strdup (spk_neuron_kind_to_name (type->kind));
}

static char *
summarize_synapse (const SpkSynapse *synapse)
{
  g_autofree char *tau = NULL;

  if (synapse == NULL)
    return g_strdup (_("None"));
  if (synapse->kind == SPK_SYNAPSE_LINEAR_FILTER)
    return g_strdup (spk_synapse_kind_to_name (synapse->kind));
  tau = format_number (synapse->tau);
  /* Translators: a synapse, such as Lowpass(τ = 0.005 s) */
  return g_strdup_printf (_("%s(τ = %s s)"), spk_synapse_kind_to_name (synapse->kind), tau);
}

static char *
summarize_solver (const SpkSolver *solver)
{
  g_autofree char *reg = NULL;

  if (solver == NULL)
    return g_strdup (_("Default"));
  reg = format_number (solver->reg);
  return g_strdup_printf ("%s(reg = %s)", spk_solver_kind_to_name (solver->kind), reg);
}

static char *
summarize_learning_rule (const SpkLearningRuleType *rule)
{
  g_autofree char *rate = NULL;

  if (rule == NULL)
    return g_strdup (_("None"));
  rate = format_number (rule->learning_rate);
  return g_strdup_printf ("%s(learning_rate = %s)", spk_learning_kind_to_name (rule->kind), rate);
}

static char *
summarize_process (const SpkProcess *process)
{
  if (process == NULL)
    return g_strdup (_("None"));
  return g_strdup (spk_process_kind_to_name (process->kind));
}

/* }}} */
/* {{{ Small widgets */

static GtkWidget *
unit_label (const char *unit)
{
  GtkWidget *label = gtk_label_new (unit);

  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* 0.001 rather than 0.0010: as short as the value allows. */
static gboolean
spin_output_cb (GtkSpinButton *spin,
                gpointer       data)
{
  g_autofree char *text = g_strdup_printf ("%.*g", gtk_spin_button_get_digits (spin) ? 6 : 15,
                                           gtk_spin_button_get_value (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static GtkWidget *
number_spin (double lower,
             double upper,
             guint  digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, digits ? pow (10, -(double) digits) : 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 8);
  g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), NULL);
  return spin;
}

/* An action row with a spin button (and a unit) as its suffix. */
static GtkWidget *
spin_row (const char  *title,
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

static GtkWidget *
combo_row (const char         *title,
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
  if (is_mixed (editor))
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

  get_value (editor, &value);
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
  set_value (editor, &value);
  g_value_unset (&value);
  set_mixed (editor);
}

static void
number_editor (Editor *editor)
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
  editor->editor = number_spin (lower, upper, digits);
  editor->row = spin_row (nick_of (pspec), NULL, unit_for (pspec->name), editor->editor);
  gtk_widget_set_tooltip_text (editor->row, blurb_of (pspec));
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

  get_value (editor, &value);
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
  set_value (editor, &value);
  g_value_unset (&value);
  set_mixed (editor);
}

static void
switch_editor (Editor *editor)
{
  editor->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, blurb_of (editor->pspec));
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

  get_value (editor, &value);
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
  set_value (editor, &value);
  g_value_unset (&value);
}

static void
enum_editor (Editor *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < klass->n_values; i++)
    g_ptr_array_add (names, (gpointer) klass->values[i].value_nick);
  g_ptr_array_add (names, NULL);
  editor->row = editor->editor = combo_row (nick_of (editor->pspec),
                                            (const char * const *) names->pdata);
  gtk_widget_set_tooltip_text (editor->row, blurb_of (editor->pspec));
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

  get_value (editor, &value);
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
static gboolean
validate_expression (Editor *editor)
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
    validate_expression (editor);
}

static void
string_apply_cb (AdwEntryRow *row,
                 Editor      *editor)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  GValue value = G_VALUE_INIT;

  if (editor->inspector->updating)
    return;
  if (editor->message != NULL && !validate_expression (editor))
    return;
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, *text ? text : NULL);
  set_value (editor, &value);
  g_value_unset (&value);
}

static void
expression_refresh (Editor *editor)
{
  string_refresh (editor);
  validate_expression (editor);
}

static void
string_editor (Editor *editor)
{
  editor->row = editor->editor = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), nick_of (editor->pspec));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (editor->row), TRUE);
  gtk_widget_set_tooltip_text (editor->row, blurb_of (editor->pspec));
  editor->refresh = string_refresh;
  if (is_expression (editor->pspec))
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
  g_autoptr (SpkSlice) slice = dup_boxed (editor);
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
  gtk_widget_set_tooltip_text (editor->editor, blurb_of (editor->pspec));
  set_boxed (editor, slice);
}

static void
slice_editor (Editor *editor)
{
  editor->row = editor->editor = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), nick_of (editor->pspec));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (editor->row), TRUE);
  gtk_widget_set_tooltip_text (editor->row, blurb_of (editor->pspec));
  gtk_widget_add_css_class (editor->row, "monospace");
  editor->refresh = slice_refresh;
  slice_refresh (editor);
  g_signal_connect (editor->editor, "apply", G_CALLBACK (slice_apply_cb), editor);
}

/* }}} */
/* {{{ Objects (read-only references) */

static void
reference_refresh (Editor *editor)
{
  g_autoptr (GObject) target = NULL;
  const char *text = _("None");

  g_object_get (first_object (editor->inspector), editor->pspec->name, &target, NULL);
  if (SPK_IS_OBJECT (target))
    text = spk_object_get_label (SPK_OBJECT (target))
           ? spk_object_get_label (SPK_OBJECT (target))
           : spk_shell_type_display_name (G_OBJECT_TYPE (target));
  gtk_label_set_text (GTK_LABEL (editor->editor), text);
  set_mixed (editor);
}

static void
reference_editor (Editor *editor)
{
  editor->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, blurb_of (editor->pspec));
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
                       _("Row %zu has %zu values, but the first row has %zu"), rows + 1, n, cols);
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
    return dup_boxed (editor);
  else
    {
      g_autoptr (SpkDistribution) dist = dup_boxed (editor);

      return dist && dist->array ? spk_array_ref (dist->array) : NULL;
    }
}

static void
set_editor_array (Editor   *editor,
                  SpkArray *array)
{
  if (editor->pspec->value_type == SPK_TYPE_ARRAY)
    set_boxed (editor, array);
  else if (array != NULL)
    {
      g_autoptr (SpkDistribution) dist = spk_distribution_new_array (array);

      set_boxed (editor, dist);
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
                                   nick_of (editor->pspec),
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
  g_autoptr (SpkArray) array = dup_boxed (editor);
  g_autofree char *summary = summarize_array (array);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (editor->row), summary);
  set_mixed (editor);
}

static GtkWidget *
edit_button (Editor *editor)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Edit…"));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (array_edit_cb), editor);
  return button;
}

static void
array_editor (Editor *editor)
{
  editor->row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, blurb_of (editor->pspec));
  editor->editor = edit_button (editor);
  adw_action_row_add_suffix (ADW_ACTION_ROW (editor->row), editor->editor);
  editor->refresh = array_refresh;
  array_refresh (editor);
}

/* }}} */
/* {{{ Expanders: distributions, neuron types, synapses, solvers, processes */

/* One numeric parameter inside a boxed value: where the double lives and
 * how to write the changed value back. */
typedef struct
{
  Editor *editor;
  gsize   offset;       /* of the double in the boxed struct */
  gboolean is_bool;
} Field;

static void expander_rebuild (Editor *editor);
static char *summarize (GType type, gconstpointer boxed);

static gpointer
copy_boxed_for_edit (Editor *editor)
{
  GType type = editor->pspec->value_type;
  gpointer boxed = dup_boxed (editor);
  gpointer copy;

  if (boxed == NULL)
    return NULL;
  if (type == SPK_TYPE_DISTRIBUTION)
    copy = spk_distribution_copy (boxed);
  else if (type == SPK_TYPE_NEURON_TYPE)
    copy = spk_neuron_type_copy (boxed);
  else if (type == SPK_TYPE_PROCESS)
    copy = spk_process_copy (boxed);
  else if (type == SPK_TYPE_SOLVER)
    copy = spk_solver_new (((SpkSolver *) boxed)->kind, ((SpkSolver *) boxed)->reg);
  else if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    copy = spk_learning_rule_type_copy (boxed);
  else
    {
      SpkSynapse *synapse = boxed;

      copy = synapse->kind == SPK_SYNAPSE_ALPHA ? spk_synapse_new_alpha (synapse->tau)
             : synapse->kind == SPK_SYNAPSE_LOWPASS ? spk_synapse_new_lowpass (synapse->tau)
             : g_boxed_copy (type, synapse);
    }
  g_boxed_free (type, boxed);
  return copy;
}

static void
field_changed (Field  *field,
               double  number)
{
  Editor *editor = field->editor;
  gpointer copy;

  if (editor->inspector->updating)
    return;
  copy = copy_boxed_for_edit (editor);
  if (copy == NULL)
    return;
  if (field->is_bool)
    G_STRUCT_MEMBER (gboolean, copy, field->offset) = number != 0;
  else
    G_STRUCT_MEMBER (double, copy, field->offset) = number;
  set_boxed (editor, copy);
  /* Only the summary changes: the row being edited keeps its focus. */
  {
    g_autofree char *summary = summarize (editor->pspec->value_type, copy);

    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), summary);
  }
  g_boxed_free (editor->pspec->value_type, copy);
}

static void
field_spin_cb (GtkSpinButton *spin,
               Field         *field)
{
  field_changed (field, gtk_spin_button_get_value (spin));
}

static void
field_switch_cb (GtkSwitch  *widget,
                 GParamSpec *pspec,
                 Field      *field)
{
  field_changed (field, gtk_switch_get_active (widget));
}

static void
add_sub_row (Editor    *editor,
             GtkWidget *row)
{
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), row);
  g_ptr_array_add (editor->sub_rows, row);
}

static void
add_number_field_digits (Editor        *editor,
                         gconstpointer  boxed,
                         const char    *title,
                         const char    *unit,
                         gsize          offset,
                         double         lower,
                         guint          digits)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *spin = number_spin (lower, 1e9, digits);

  field->editor = editor;
  field->offset = offset;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), G_STRUCT_MEMBER (double, boxed, offset));
  g_signal_connect_data (spin, "value-changed", G_CALLBACK (field_spin_cb), field,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  add_sub_row (editor, spin_row (title, NULL, unit, spin));
}

static void
add_number_field (Editor        *editor,
                  gconstpointer  boxed,
                  const char    *title,
                  const char    *unit,
                  gsize          offset,
                  double         lower)
{
  add_number_field_digits (editor, boxed, title, unit, offset, lower, 4);
}

static void
add_bool_field (Editor       *editor,
                gconstpointer boxed,
                const char   *title,
                gsize         offset)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *widget = gtk_switch_new ();

  field->editor = editor;
  field->offset = offset;
  field->is_bool = TRUE;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (widget), G_STRUCT_MEMBER (gboolean, boxed, offset));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
  g_signal_connect_data (widget, "notify::active", G_CALLBACK (field_switch_cb), field,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  add_sub_row (editor, row);
}

/* The parameter rows of the value's kind. */
static void
add_fields (Editor        *editor,
            gconstpointer  boxed)
{
  GType type = editor->pspec->value_type;

  if (boxed == NULL)
    return;
  if (type == SPK_TYPE_DISTRIBUTION)
    {
      const SpkDistribution *dist = boxed;

      switch (dist->kind)
        {
        case SPK_DIST_UNIFORM:
          add_number_field (editor, boxed, _("Low"), unit_for (editor->pspec->name),
                            G_STRUCT_OFFSET (SpkDistribution, low), -1e9);
          add_number_field (editor, boxed, _("High"), unit_for (editor->pspec->name),
                            G_STRUCT_OFFSET (SpkDistribution, high), -1e9);
          add_bool_field (editor, boxed, _("Integers only"), G_STRUCT_OFFSET (SpkDistribution, integer));
          break;
        case SPK_DIST_GAUSSIAN:
          add_number_field (editor, boxed, _("Mean"), unit_for (editor->pspec->name),
                            G_STRUCT_OFFSET (SpkDistribution, mean), -1e9);
          add_number_field (editor, boxed, _("Standard deviation"), unit_for (editor->pspec->name),
                            G_STRUCT_OFFSET (SpkDistribution, std), 0);
          break;
        case SPK_DIST_UNIFORM_HYPERSPHERE:
        case SPK_DIST_SCATTERED_HYPERSPHERE:
          add_bool_field (editor, boxed, _("On the surface"), G_STRUCT_OFFSET (SpkDistribution, surface));
          add_number_field (editor, boxed, _("Minimum magnitude"), NULL,
                            G_STRUCT_OFFSET (SpkDistribution, min_magnitude), 0);
          break;
        case SPK_DIST_GLOROT:
          add_number_field (editor, boxed, _("Scale"), NULL, G_STRUCT_OFFSET (SpkDistribution, scale), 0);
          add_bool_field (editor, boxed, _("Normal"), G_STRUCT_OFFSET (SpkDistribution, normal));
          break;
        case SPK_DIST_ARRAY:
        case SPK_DIST_CHOICE:
        default:
          {
            GtkWidget *row = adw_action_row_new ();
            g_autofree char *summary = summarize_array (dist->kind == SPK_DIST_ARRAY ? dist->array
                                                                                        : dist->options);

            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Values"));
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
            if (dist->kind == SPK_DIST_ARRAY)
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit_button (editor));
            add_sub_row (editor, row);
          }
          break;
        }
    }
  else if (type == SPK_TYPE_NEURON_TYPE)
    {
      const SpkNeuronType *neuron = boxed;
      const SpkNeuronParam *params = spk_neuron_kind_params (neuron->kind);

      for (guint i = 0; params != NULL && params[i].name != NULL; i++)
        add_number_field (editor, boxed, params[i].name, unit_for (params[i].name), params[i].offset, -1e9);
    }
  else if (type == SPK_TYPE_SYNAPSE)
    {
      const SpkSynapse *synapse = boxed;

      if (synapse->kind != SPK_SYNAPSE_LINEAR_FILTER)
        add_number_field (editor, boxed, _("Time constant τ"), "s", G_STRUCT_OFFSET (SpkSynapse, tau), 0);
    }
  else if (type == SPK_TYPE_SOLVER)
    add_number_field (editor, boxed, _("Regularization"), NULL, G_STRUCT_OFFSET (SpkSolver, reg), 0);
  else if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    add_number_field_digits (editor, boxed, _("Learning rate"), NULL,
                             G_STRUCT_OFFSET (SpkLearningRuleType, learning_rate), 0, 8);
  else if (type == SPK_TYPE_PROCESS)
    {
      const SpkProcess *process = boxed;

      if (process->kind == SPK_PROCESS_WHITE_SIGNAL)
        {
          add_number_field (editor, boxed, _("Period"), "s", G_STRUCT_OFFSET (SpkProcess, period), 0);
          add_number_field (editor, boxed, _("Highest frequency"), "Hz", G_STRUCT_OFFSET (SpkProcess, high), 0);
          add_number_field (editor, boxed, _("RMS"), NULL, G_STRUCT_OFFSET (SpkProcess, rms), 0);
        }
      else if (process->kind == SPK_PROCESS_PRESENT_INPUT)
        add_number_field (editor, boxed, _("Presentation time"), "s",
                          G_STRUCT_OFFSET (SpkProcess, presentation_time), 0);
    }
}

/* The kinds the drop-down offers, and the kind of a value as an index. */
static GStrv
kind_names (GType type)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (type == SPK_TYPE_DISTRIBUTION)
    for (int k = SPK_DIST_UNIFORM; k <= SPK_DIST_ARRAY; k++)
      g_strv_builder_add (builder, spk_distribution_kind_to_name (k));
  else if (type == SPK_TYPE_NEURON_TYPE)
    for (int k = 0; k < SPK_NEURON_N_KINDS; k++)
      g_strv_builder_add (builder, spk_neuron_kind_to_name (k));
  else if (type == SPK_TYPE_SYNAPSE)
    {
      g_strv_builder_add (builder, _("None"));
      for (int k = SPK_SYNAPSE_LOWPASS; k <= SPK_SYNAPSE_LINEAR_FILTER; k++)
        g_strv_builder_add (builder, spk_synapse_kind_to_name (k));
    }
  else if (type == SPK_TYPE_SOLVER)
    for (int k = 0; k < SPK_SOLVER_N_KINDS; k++)
      g_strv_builder_add (builder, spk_solver_kind_to_name (k));
  else if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    {
      g_strv_builder_add (builder, _("None"));
      for (int k = 0; k < SPK_LEARNING_N_KINDS; k++)
        g_strv_builder_add (builder, spk_learning_kind_to_name (k));
    }
  else if (type == SPK_TYPE_PROCESS)
    {
      g_strv_builder_add (builder, _("None"));
      for (int k = 0; k < SPK_PROCESS_N_KINDS; k++)
        g_strv_builder_add (builder, spk_process_kind_to_name (k));
    }
  return g_strv_builder_end (builder);
}

static guint
kind_index (GType         type,
            gconstpointer boxed)
{
  if (type == SPK_TYPE_DISTRIBUTION)
    return boxed ? ((const SpkDistribution *) boxed)->kind : 0;
  if (type == SPK_TYPE_NEURON_TYPE)
    return boxed ? ((const SpkNeuronType *) boxed)->kind : SPK_NEURON_LIF;
  if (type == SPK_TYPE_SYNAPSE)
    return boxed ? ((const SpkSynapse *) boxed)->kind + 1 : 0;
  if (type == SPK_TYPE_SOLVER)
    return boxed ? ((const SpkSolver *) boxed)->kind : 0;
  if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    return boxed ? ((const SpkLearningRuleType *) boxed)->kind + 1 : 0;
  return boxed ? ((const SpkProcess *) boxed)->kind + 1 : 0;
}

/* A new value of the chosen kind with Nengo's defaults, keeping what
 * carries over (a synapse's tau, a solver's reg); NULL for "None". */
static gpointer
new_of_kind (Editor        *editor,
             gconstpointer  old,
             guint          index)
{
  GType type = editor->pspec->value_type;

  if (type == SPK_TYPE_DISTRIBUTION)
    {
      if (index == SPK_DIST_ARRAY)
        {
          g_autoptr (SpkArray) array = spk_array_new_scalar (1.0);

          return spk_distribution_new_array (array);
        }
      return spk_distribution_new (index);
    }
  if (type == SPK_TYPE_NEURON_TYPE)
    return spk_neuron_type_new (index);
  if (type == SPK_TYPE_SOLVER)
    return spk_solver_new (index, old ? ((const SpkSolver *) old)->reg : 0.1);
  if (index == 0)
    return NULL;
  if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    {
      SpkLearningRuleType *rule = spk_learning_rule_type_new (index - 1);

      if (old != NULL)
        rule->learning_rate = ((const SpkLearningRuleType *) old)->learning_rate;
      return rule;
    }
  if (type == SPK_TYPE_SYNAPSE)
    {
      double tau = old && ((const SpkSynapse *) old)->kind != SPK_SYNAPSE_LINEAR_FILTER
                   ? ((const SpkSynapse *) old)->tau : 0.005;

      if (index - 1 == SPK_SYNAPSE_ALPHA)
        return spk_synapse_new_alpha (tau);
      if (index - 1 == SPK_SYNAPSE_LOWPASS)
        return spk_synapse_new_lowpass (tau);
      {
        double num[] = { 1.0 }, den[] = { tau, 1.0 };
        g_autoptr (SpkArray) n = spk_array_new_vector (num, 1);
        g_autoptr (SpkArray) d = spk_array_new_vector (den, 2);

        return spk_synapse_new_linear_filter (n, d);
      }
    }
  return spk_process_new (index - 1);
}

static char *
summarize (GType         type,
           gconstpointer boxed)
{
  if (type == SPK_TYPE_DISTRIBUTION)
    return summarize_distribution (boxed);
  if (type == SPK_TYPE_NEURON_TYPE)
    return summarize_neuron_type (boxed);
  if (type == SPK_TYPE_SYNAPSE)
    return summarize_synapse (boxed);
  if (type == SPK_TYPE_SOLVER)
    return summarize_solver (boxed);
  if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    return summarize_learning_rule (boxed);
  return summarize_process (boxed);
}

static void
kind_changed_cb (AdwComboRow *combo,
                 GParamSpec  *unused,
                 Editor      *editor)
{
  GType type = editor->pspec->value_type;
  gpointer old, value;

  if (editor->inspector->updating)
    return;
  old = dup_boxed (editor);
  if (kind_index (type, old) != adw_combo_row_get_selected (combo))
    {
      value = new_of_kind (editor, old, adw_combo_row_get_selected (combo));
      set_boxed (editor, value);
      if (value != NULL)
        g_boxed_free (type, value);
      expander_rebuild (editor);
    }
  if (old != NULL)
    g_boxed_free (type, old);
}

static void
expander_rebuild (Editor *editor)
{
  GType type = editor->pspec->value_type;
  gpointer boxed = dup_boxed (editor);
  g_autofree char *summary = summarize (type, boxed);

  editor->inspector->updating++;
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), summary);
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor->combo), kind_index (type, boxed));
  for (guint i = 0; i < editor->sub_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (editor->row), g_ptr_array_index (editor->sub_rows, i));
  g_ptr_array_set_size (editor->sub_rows, 0);
  add_fields (editor, boxed);
  editor->inspector->updating--;
  if (boxed != NULL)
    g_boxed_free (type, boxed);
  if (editor->inspector->objects->len > 1 && is_mixed (editor))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), _("Differs between the selected objects"));
}

static void
expander_editor (Editor *editor)
{
  g_auto (GStrv) names = kind_names (editor->pspec->value_type);

  editor->row = editor->editor = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, blurb_of (editor->pspec));
  editor->sub_rows = g_ptr_array_new ();
  editor->combo = combo_row (_("Type"), (const char * const *) names);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), editor->combo);
  editor->refresh = expander_rebuild;
  expander_rebuild (editor);
  g_signal_connect (editor->combo, "notify::selected", G_CALLBACK (kind_changed_cb), editor);
}

/* }}} */
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
    switch_editor (editor);
  else if (G_TYPE_IS_ENUM (type))
    enum_editor (editor);
  else if (type == G_TYPE_INT || type == G_TYPE_UINT || type == G_TYPE_INT64
           || type == G_TYPE_DOUBLE || type == G_TYPE_FLOAT)
    number_editor (editor);
  else if (type == G_TYPE_STRING)
    string_editor (editor);
  else if (type == SPK_TYPE_SLICE)
    slice_editor (editor);
  else if (type == SPK_TYPE_ARRAY)
    array_editor (editor);
  else if (is_expander_type (type))
    expander_editor (editor);
  else if (g_type_is_a (type, G_TYPE_OBJECT))
    reference_editor (editor);
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

/* The properties every inspected object has (the same GParamSpec), label
 * first and seed last, the rest in the order the type installed them. */
static GPtrArray *
shared_properties (SpkInspector *self)
{
  GPtrArray *shared = g_ptr_array_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  GParamSpec *label = NULL, *seed = NULL;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (first_object (self)), &n_pspecs);
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
  GObject *object = first_object (self);
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
  if (self->updating)
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
        validate_expression (expression);
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
          AdwPreferencesGroup *group = add_group (self, nick_of (pspec),
                                                  blurb_of (pspec));

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _("Expression"));
          adw_preferences_group_add (group, editor->row);
          adw_preferences_group_add (group, editor->message);
          main_group = add_group (self, NULL, NULL);
        }
      else
        adw_preferences_group_add (main_group, editor->row);
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
  G_OBJECT_CLASS (spk_inspector_parent_class)->dispose (object);
}

static void
spk_inspector_class_init (SpkInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = spk_inspector_dispose;

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
