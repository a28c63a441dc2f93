/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-inspector-expanders.c — expanders for the
 * boxed values (distributions, neuron types, synapses, solvers,
 * processes): a kind drop-down and a row per numeric parameter. */
#define G_LOG_DOMAIN "spk-inspector"

#include "spk-inspector-private.h"

#include <math.h>

#include <glib/gi18n.h>

#include "core/spk-format.h"
#include "expr/spk-expr.h"
#include "model/spk-value-equal.h"
#include "ui/shell/spk-shell.h"

/* {{{ Expanders: distributions, neuron types, synapses, solvers, processes */

/* One numeric parameter inside a boxed value: where the double lives and
 * how to write the changed value back. */
typedef struct
{
  Editor *editor;
  gsize   offset;       /* of the double in the boxed struct */
  gboolean is_bool;
  gboolean is_uint;     /* a guint rather than a double */
} Field;

static void expander_rebuild (Editor *editor);
static char *summarize (GType type, gconstpointer boxed);
static gboolean is_transform (GParamSpec *pspec);

static gpointer
copy_boxed_for_edit (Editor *editor)
{
  GType type = editor->pspec->value_type;
  gpointer boxed = _spk_inspector_dup_boxed (editor);
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
    copy = spk_solver_copy (boxed);
  else if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    copy = spk_learning_rule_type_copy (boxed);
  else
    {
      SpkSynapse *synapse = boxed;

      copy = synapse->kind == SPK_SYNAPSE_ALPHA ? spk_synapse_new_alpha (synapse->tau)
             : synapse->kind == SPK_SYNAPSE_LOWPASS ? spk_synapse_new_lowpass (synapse->tau)
             : synapse->kind == SPK_SYNAPSE_TRIANGLE ? spk_synapse_new_triangle (synapse->tau)
             : spk_synapse_new_linear_filter_full (synapse->num, synapse->den, synapse->analog);
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
  else if (field->is_uint)
    G_STRUCT_MEMBER (guint, copy, field->offset) = (guint) number;
  else
    G_STRUCT_MEMBER (double, copy, field->offset) = number;
  _spk_inspector_set_boxed (editor, copy);
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
  GtkWidget *spin = _spk_inspector_number_spin (lower, 1e9, digits);

  field->editor = editor;
  field->offset = offset;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), G_STRUCT_MEMBER (double, boxed, offset));
  g_signal_connect_data (spin, "value-changed", G_CALLBACK (field_spin_cb), field,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  add_sub_row (editor, _spk_inspector_spin_row (title, NULL, unit, spin));
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

/* A read-only row: a value the model file sets, shown as its summary
 * (takes the summary). */
static void
add_summary_row (Editor     *editor,
                 const char *title,
                 char       *summary)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
  g_free (summary);
  add_sub_row (editor, row);
}

/* A whole number of a process (PresentInput's first image and count). */
static void
add_uint_field (Editor        *editor,
                gconstpointer  boxed,
                const char    *title,
                gsize          offset,
                double         lower,
                double         upper)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *spin = _spk_inspector_number_spin (lower, upper, 0);

  field->editor = editor;
  field->offset = offset;
  field->is_uint = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), G_STRUCT_MEMBER (guint, boxed, offset));
  g_signal_connect_data (spin, "value-changed", G_CALLBACK (field_spin_cb), field,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  add_sub_row (editor, _spk_inspector_spin_row (title, NULL, NULL, spin));
}

/* The values of a Sparse or convolution transform: their summary, and a
 * button to the window that edits them (one connection at a time). */
static void
add_values_row (Editor     *editor,
                const char *title,
                char       *summary)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
  g_free (summary);
  if (editor->inspector->objects->len == 1 && is_transform (editor->pspec))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Edit…"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "inspector.edit-transform-values");
      gtk_widget_set_tooltip_text (button, _("See and change the values one by one"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }
  add_sub_row (editor, row);
}

typedef struct
{
  Editor  *editor;
  GWeakRef row;     /* the editor's expander row: the editor lives as long */
} Rebuild;

static void
rebuild_free (gpointer data)
{
  Rebuild *rebuild = data;

  g_weak_ref_clear (&rebuild->row);
  g_free (rebuild);
}

static gboolean
rebuild_idle (gpointer data)
{
  Rebuild *rebuild = data;
  g_autoptr (GObject) row = g_weak_ref_get (&rebuild->row);

  if (row != NULL)
    expander_rebuild (rebuild->editor);
  return G_SOURCE_REMOVE;
}

/* PresentInput's source: its listed inputs, or a data set's images. */
static void
dataset_changed_cb (AdwComboRow *combo,
                    GParamSpec  *unused,
                    Editor      *editor)
{
  const char *const *names = spk_process_dataset_names ();
  guint selected = adw_combo_row_get_selected (combo);
  SpkProcess *copy;

  if (editor->inspector->updating || (copy = copy_boxed_for_edit (editor)) == NULL)
    return;
  g_clear_pointer (&copy->dataset, g_free);
  if (selected > 0 && selected <= g_strv_length ((GStrv) names))
    copy->dataset = g_strdup (names[selected - 1]);
  else if (copy->inputs == NULL)
    copy->inputs = spk_array_new_scalar (0.0);   /* one item to edit from */
  _spk_inspector_set_boxed (editor, copy);
  spk_process_unref (copy);
  /* The rows change with the source, this one among them: not while it is
   * still emitting, but once the main loop is back (if the editor's row
   * is still there). */
  {
    Rebuild *rebuild = g_new0 (Rebuild, 1);

    rebuild->editor = editor;
    g_weak_ref_init (&rebuild->row, editor->row);
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_idle, rebuild, rebuild_free);
  }
}

static void
add_dataset_fields (Editor           *editor,
                    const SpkProcess *process)
{
  const char *titles[] = { N_("Listed inputs"), N_("Fashion-MNIST images"), N_("Generated images") };
  g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);
  const char *const *names = spk_process_dataset_names ();
  GtkWidget *row = adw_combo_row_new ();
  guint selected = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (titles) == 3);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    gtk_string_list_append (model, _(titles[i]));
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (process->dataset, names[i]) == 0)
      selected = i + 1;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Presents"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_signal_connect (row, "notify::selected", G_CALLBACK (dataset_changed_cb), editor);
  add_sub_row (editor, row);
  if (process->dataset == NULL)
    return;
  add_bool_field (editor, process, _("Training images"), G_STRUCT_OFFSET (SpkProcess, dataset_train));
  add_uint_field (editor, process, _("First image"), G_STRUCT_OFFSET (SpkProcess, dataset_first), 0, 59999);
  add_uint_field (editor, process, _("Images"), G_STRUCT_OFFSET (SpkProcess, dataset_count), 1,
                  SPK_PROCESS_DATASET_MAX_COUNT);
}

/* Piecewise's interpolation, Nengo's names in a drop-down. */
static void
interpolation_changed_cb (AdwComboRow *combo,
                          GParamSpec  *unused,
                          Editor      *editor)
{
  guint selected = adw_combo_row_get_selected (combo);
  SpkProcess *copy;

  if (editor->inspector->updating || selected >= SPK_INTERPOLATION_N_KINDS
      || (copy = copy_boxed_for_edit (editor)) == NULL)
    return;
  copy->interpolation = selected;
  _spk_inspector_set_boxed (editor, copy);
  {
    g_autofree char *summary = summarize (editor->pspec->value_type, copy);

    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), summary);
  }
  spk_process_unref (copy);
}

static void
add_interpolation_field (Editor           *editor,
                         const SpkProcess *process)
{
  g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  for (guint k = 0; k < SPK_INTERPOLATION_N_KINDS; k++)
    gtk_string_list_append (model, spk_interpolation_to_name (k));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Interpolation"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), process->interpolation);
  g_signal_connect (row, "notify::selected", G_CALLBACK (interpolation_changed_cb), editor);
  add_sub_row (editor, row);
}

/* A convolution's whole-number parameters, one row per entry of its
 * shapes, and its switches; the kernel as a summary (files set it). */
static void
add_transform_fields (Editor                *editor,
                      const SpkDistribution *t)
{
  guint n_sp = t->n_dims - 1;

  add_uint_field (editor, t, _("Filters"), G_STRUCT_OFFSET (SpkDistribution, n_filters), 1, 1e6);
  for (guint i = 0; i < t->n_dims; i++)
    {
      g_autofree char *title = g_strdup_printf (_("Input shape, entry %u"), i + 1);

      add_uint_field (editor, t, title, G_STRUCT_OFFSET (SpkDistribution, input_shape) + i * sizeof (guint), 1, 1e6);
    }
  for (guint i = 0; i < n_sp; i++)
    {
      g_autofree char *kernel = g_strdup_printf (_("Kernel size, dimension %u"), i + 1);
      g_autofree char *stride = g_strdup_printf (_("Stride, dimension %u"), i + 1);

      add_uint_field (editor, t, kernel, G_STRUCT_OFFSET (SpkDistribution, kernel_size) + i * sizeof (guint), 1, 1e4);
      add_uint_field (editor, t, stride, G_STRUCT_OFFSET (SpkDistribution, strides) + i * sizeof (guint), 1, 1e4);
    }
  add_bool_field (editor, t, _("Same padding"), G_STRUCT_OFFSET (SpkDistribution, padding_same));
  add_bool_field (editor, t, _("Channels last"), G_STRUCT_OFFSET (SpkDistribution, channels_last));
  if (t->kind == SPK_DIST_CONVOLUTION)
    add_uint_field (editor, t, _("Groups"), G_STRUCT_OFFSET (SpkDistribution, groups), 1, 1e6);
  add_values_row (editor, _("Kernel"), _spk_inspector_summarize_distribution (t->init));
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
          add_number_field (editor, boxed, _("Low"), _spk_inspector_unit_for (editor->pspec->name),
                            G_STRUCT_OFFSET (SpkDistribution, low), -1e9);
          add_number_field (editor, boxed, _("High"), _spk_inspector_unit_for (editor->pspec->name),
                            G_STRUCT_OFFSET (SpkDistribution, high), -1e9);
          add_bool_field (editor, boxed, _("Integers only"), G_STRUCT_OFFSET (SpkDistribution, integer));
          break;
        case SPK_DIST_GAUSSIAN:
          add_number_field (editor, boxed, _("Mean"), _spk_inspector_unit_for (editor->pspec->name),
                            G_STRUCT_OFFSET (SpkDistribution, mean), -1e9);
          add_number_field (editor, boxed, _("Standard deviation"), _spk_inspector_unit_for (editor->pspec->name),
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
        case SPK_DIST_SPARSE:
          add_uint_field (editor, boxed, _("Output size"), G_STRUCT_OFFSET (SpkDistribution, shape[0]), 1, 1e7);
          add_uint_field (editor, boxed, _("Input size"), G_STRUCT_OFFSET (SpkDistribution, shape[1]), 1, 1e7);
          add_values_row (editor, _("Entries"), _spk_inspector_summarize_distribution (dist->init));
          break;
        case SPK_DIST_CONVOLUTION:
        case SPK_DIST_CONVOLUTION_TRANSPOSE:
          add_transform_fields (editor, dist);
          break;
        case SPK_DIST_ARRAY:
        case SPK_DIST_CHOICE:
        default:
          {
            GtkWidget *row = adw_action_row_new ();
            g_autofree char *summary = _spk_inspector_summarize_array (dist->kind == SPK_DIST_ARRAY ? dist->array
                                                                                        : dist->options);

            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Values"));
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
            if (dist->kind == SPK_DIST_ARRAY)
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), _spk_inspector_edit_button (editor));
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
        add_number_field (editor, boxed, params[i].name, _spk_inspector_unit_for (params[i].name), params[i].offset, -1e9);
    }
  else if (type == SPK_TYPE_SYNAPSE)
    {
      const SpkSynapse *synapse = boxed;

      if (synapse->kind == SPK_SYNAPSE_TRIANGLE)
        add_number_field (editor, boxed, _("Length"), "s", G_STRUCT_OFFSET (SpkSynapse, tau), 0);
      else if (synapse->kind != SPK_SYNAPSE_LINEAR_FILTER)
        add_number_field (editor, boxed, _("Time constant τ"), "s", G_STRUCT_OFFSET (SpkSynapse, tau), 0);
      else
        add_bool_field (editor, boxed, _("Continuous time (analog)"), G_STRUCT_OFFSET (SpkSynapse, analog));
    }
  else if (type == SPK_TYPE_SOLVER)
    {
      SpkSolverKind kind = ((const SpkSolver *) boxed)->kind;

      const SpkSolver *solver = boxed;

      if (kind == SPK_SOLVER_LSTSQ)
        add_number_field (editor, boxed, _("Singular value cut-off"), NULL, G_STRUCT_OFFSET (SpkSolver, rcond), 0);
      else if (kind == SPK_SOLVER_LSTSQ_NOISE || kind == SPK_SOLVER_LSTSQ_MULT_NOISE)
        add_number_field (editor, boxed, _("Noise"), NULL, G_STRUCT_OFFSET (SpkSolver, noise), 0);
      else if (kind == SPK_SOLVER_LSTSQ_DROP)
        {
          add_number_field (editor, boxed, _("Fraction dropped"), NULL, G_STRUCT_OFFSET (SpkSolver, drop), 0);
          add_summary_row (editor, _("First solve"), _spk_inspector_summarize_solver (solver->solver1));
          add_summary_row (editor, _("Solve after dropping"), _spk_inspector_summarize_solver (solver->solver2));
        }
      else if (kind == SPK_SOLVER_NO_SOLVER)
        add_summary_row (editor, _("Decoders"),
                         solver->values ? _spk_inspector_summarize_array (solver->values) : g_strdup (_("Zeros")));
      else if (kind != SPK_SOLVER_NNLS)
        add_number_field (editor, boxed, _("Regularization"), NULL, G_STRUCT_OFFSET (SpkSolver, reg), 0);
      add_bool_field (editor, boxed, _("Full weights"), G_STRUCT_OFFSET (SpkSolver, weights));
    }
  else if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    {
      add_number_field_digits (editor, boxed, _("Learning rate"), NULL,
                               G_STRUCT_OFFSET (SpkLearningRuleType, learning_rate), 0, 10);
      const SpkLearningRuleType *rule = boxed;

      if (rule->kind == SPK_LEARNING_OJA)
        add_number_field (editor, boxed, _("Forgetting β"), NULL, G_STRUCT_OFFSET (SpkLearningRuleType, beta), 0);
      /* The rule's filters, as the model file sets them. */
      if (rule->kind != SPK_LEARNING_VOJA)
        add_summary_row (editor, _("Pre synapse"), _spk_inspector_summarize_synapse (rule->pre_synapse));
      if (spk_learning_kind_modifies_weights (rule->kind) || spk_learning_kind_modifies_encoders (rule->kind))
        add_summary_row (editor, _("Post synapse"), _spk_inspector_summarize_synapse (rule->post_synapse));
      if (rule->kind == SPK_LEARNING_BCM)
        add_summary_row (editor, _("Theta synapse"), _spk_inspector_summarize_synapse (rule->theta_synapse));
    }
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
        {
          add_number_field (editor, boxed, _("Presentation time"), "s",
                            G_STRUCT_OFFSET (SpkProcess, presentation_time), 0);
          add_dataset_fields (editor, process);
        }
      else if (process->kind == SPK_PROCESS_PIECEWISE)
        add_interpolation_field (editor, process);
      else
        {
          if (process->kind == SPK_PROCESS_FILTERED_NOISE)
            add_summary_row (editor, _("Synapse"), _spk_inspector_summarize_synapse (process->synapse));
          add_bool_field (editor, boxed, _("Scaled by 1/√dt"), G_STRUCT_OFFSET (SpkProcess, scale));
        }
    }
}

/* A distribution that may be unset: a connection's eval_points (unset,
 * the pre ensemble's own).  Its drop-down starts with "Default". */
static gboolean
distribution_may_be_unset (GParamSpec *pspec)
{
  return pspec->value_type == SPK_TYPE_DISTRIBUTION && pspec->owner_type == SPK_TYPE_CONNECTION
         && g_str_equal (pspec->name, "eval-points");
}

/* A connection's transform, which may also be one of Nengo's structured
 * transforms (Sparse, Convolution, ConvolutionTranspose). */
static gboolean
is_transform (GParamSpec *pspec)
{
  return pspec->value_type == SPK_TYPE_DISTRIBUTION && pspec->owner_type == SPK_TYPE_CONNECTION
         && g_str_equal (pspec->name, "transform");
}

/* A structured transform of kind to start editing from: a Sparse one with
 * the non-zero entries of a matrix transform (else a 1 × 1), a
 * convolution over a 1-D input of one channel, as long as the matrix's
 * input (else 4), padded to keep its length. */
static SpkDistribution *
new_transform (SpkDistKind            kind,
               const SpkDistribution *old)
{
  const SpkArray *matrix = old && old->kind == SPK_DIST_ARRAY && old->array->ndim == 2 ? old->array : NULL;

  if (kind == SPK_DIST_SPARSE)
    {
      g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (SpkArray) indices = NULL;
      g_autoptr (SpkArray) init = NULL;
      g_autoptr (SpkDistribution) init_dist = NULL;
      gsize rows = matrix ? matrix->shape[0] : 1, cols = matrix ? matrix->shape[1] : 1;

      for (gsize i = 0; i < rows * cols; i++)
        if (matrix == NULL || matrix->data[i] != 0.0)
          {
            double r = (double) (i / cols), c = (double) (i % cols), v = matrix ? matrix->data[i] : 1.0;

            g_array_append_val (pairs, r);
            g_array_append_val (pairs, c);
            g_array_append_val (values, v);
          }
      indices = spk_array_new_matrix ((double *) pairs->data, values->len, 2);
      init = spk_array_new_vector ((double *) values->data, values->len);
      init_dist = spk_distribution_new_array (init);
      return spk_distribution_new_sparse ((guint) rows, (guint) cols, indices, init_dist);
    }
  {
    guint shape[2] = { matrix ? (guint) matrix->shape[1] : 4, 1 };
    SpkDistribution *t = spk_distribution_new_convolution (kind == SPK_DIST_CONVOLUTION_TRANSPOSE, 1, 2, shape);

    t->padding_same = TRUE;
    return t;
  }
}

/* The kinds the drop-down offers, and the kind of a value as an index. */
static GStrv
kind_names (GParamSpec *pspec)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GType type = pspec->value_type;

  if (distribution_may_be_unset (pspec))
    g_strv_builder_add (builder, _("Default"));
  if (type == SPK_TYPE_DISTRIBUTION)
    for (int k = SPK_DIST_UNIFORM; k <= (is_transform (pspec) ? SPK_DIST_CONVOLUTION_TRANSPOSE : SPK_DIST_ARRAY); k++)
      g_strv_builder_add (builder, spk_distribution_kind_to_name (k));
  else if (type == SPK_TYPE_NEURON_TYPE)
    for (int k = 0; k < SPK_NEURON_N_KINDS; k++)
      g_strv_builder_add (builder, spk_neuron_kind_to_name (k));
  else if (type == SPK_TYPE_SYNAPSE)
    {
      g_strv_builder_add (builder, _("None"));
      for (int k = SPK_SYNAPSE_LOWPASS; k < SPK_SYNAPSE_N_KINDS; k++)
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
kind_index (GParamSpec    *pspec,
            gconstpointer  boxed)
{
  GType type = pspec->value_type;

  if (distribution_may_be_unset (pspec))
    return boxed ? ((const SpkDistribution *) boxed)->kind + 1 : 0;
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

  if (distribution_may_be_unset (editor->pspec))
    {
      if (index == 0)
        return NULL;
      index--;
    }
  if (type == SPK_TYPE_DISTRIBUTION)
    {
      if (SPK_DIST_KIND_IS_TRANSFORM (index))
        return new_transform (index, old);
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
    {
      SpkSolver *solver = spk_solver_new (index, old ? ((const SpkSolver *) old)->reg : 0.1);

      solver->weights = old ? ((const SpkSolver *) old)->weights : FALSE;
      return solver;
    }
  if (index == 0)
    return NULL;
  /* Learning rates differ by orders of magnitude between rules: each
   * new rule starts from Nengo's defaults. */
  if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    return spk_learning_rule_type_new (index - 1);
  if (type == SPK_TYPE_SYNAPSE)
    {
      double tau = old && ((const SpkSynapse *) old)->kind != SPK_SYNAPSE_LINEAR_FILTER
                   ? ((const SpkSynapse *) old)->tau : 0.005;

      if (index - 1 == SPK_SYNAPSE_ALPHA)
        return spk_synapse_new_alpha (tau);
      if (index - 1 == SPK_SYNAPSE_LOWPASS)
        return spk_synapse_new_lowpass (tau);
      if (index - 1 == SPK_SYNAPSE_TRIANGLE)
        return spk_synapse_new_triangle (tau);
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
    return _spk_inspector_summarize_distribution (boxed);
  if (type == SPK_TYPE_NEURON_TYPE)
    return _spk_inspector_summarize_neuron_type (boxed);
  if (type == SPK_TYPE_SYNAPSE)
    return _spk_inspector_summarize_synapse (boxed);
  if (type == SPK_TYPE_SOLVER)
    return _spk_inspector_summarize_solver (boxed);
  if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    return _spk_inspector_summarize_learning_rule (boxed);
  return _spk_inspector_summarize_process (boxed);
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
  old = _spk_inspector_dup_boxed (editor);
  if (kind_index (editor->pspec, old) != adw_combo_row_get_selected (combo))
    {
      value = new_of_kind (editor, old, adw_combo_row_get_selected (combo));
      _spk_inspector_set_boxed (editor, value);
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
  gpointer boxed = _spk_inspector_dup_boxed (editor);
  g_autofree char *summary = summarize (type, boxed);

  editor->inspector->updating++;
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), summary);
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor->combo), kind_index (editor->pspec, boxed));
  for (guint i = 0; i < editor->sub_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (editor->row), g_ptr_array_index (editor->sub_rows, i));
  g_ptr_array_set_size (editor->sub_rows, 0);
  add_fields (editor, boxed);
  editor->inspector->updating--;
  if (boxed != NULL)
    g_boxed_free (type, boxed);
  if (editor->inspector->objects->len > 1 && _spk_inspector_is_mixed (editor))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (editor->row), _("Differs between the selected objects"));
}

void
_spk_inspector_expander_editor (Editor *editor)
{
  g_auto (GStrv) names = kind_names (editor->pspec);

  editor->row = editor->editor = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->row), _spk_inspector_nick_of (editor->pspec));
  gtk_widget_set_tooltip_text (editor->row, _spk_inspector_blurb_of (editor->pspec));
  editor->sub_rows = g_ptr_array_new ();
  editor->combo = _spk_inspector_combo_row (_("Type"), (const char * const *) names);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (editor->row), editor->combo);
  editor->refresh = expander_rebuild;
  expander_rebuild (editor);
  g_signal_connect (editor->combo, "notify::selected", G_CALLBACK (kind_changed_cb), editor);
}

/* }}} */
