/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-inspector-values.c — reading and writing a
 * property over all inspected objects, and the one-line summaries of
 * arrays and boxed values that rows and expanders show. */
#define G_LOG_DOMAIN "spk-inspector"

#include "spk-inspector-private.h"

#include <math.h>

#include <glib/gi18n.h>

#include "core/spk-format.h"
#include "expr/spk-expr.h"
#include "model/spk-transform.h"
#include "model/spk-value-equal.h"
#include "ui/shell/spk-shell.h"

/* {{{ Values */

/* Units of the parameters that have one, by property or parameter name. */
const char *
_spk_inspector_unit_for (const char *name)
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
const char *
_spk_inspector_nick_of (GParamSpec *pspec)
{
  return g_dgettext (GETTEXT_PACKAGE, g_param_spec_get_nick (pspec));
}

const char *
_spk_inspector_blurb_of (GParamSpec *pspec)
{
  const char *blurb = g_param_spec_get_blurb (pspec);

  return blurb ? g_dgettext (GETTEXT_PACKAGE, blurb) : NULL;
}

gboolean
_spk_inspector_is_expression (GParamSpec *pspec)
{
  return pspec->value_type == G_TYPE_STRING
         && (g_str_equal (pspec->name, "output-expr") || g_str_equal (pspec->name, "function"));
}

GObject *
_spk_inspector_first_object (SpkInspector *self)
{
  return self->objects->len > 0 ? g_ptr_array_index (self->objects, 0) : NULL;
}

void
_spk_inspector_get_value (Editor *editor,
                          GValue *value)
{
  g_value_init (value, editor->pspec->value_type);
  g_object_get_property (_spk_inspector_first_object (editor->inspector), editor->pspec->name, value);
}

gpointer
_spk_inspector_dup_boxed (Editor *editor)
{
  gpointer boxed = NULL;

  g_object_get (_spk_inspector_first_object (editor->inspector), editor->pspec->name, &boxed, NULL);
  return boxed;
}

/* Sets the property on every inspected object. */
void
_spk_inspector_set_value (Editor       *editor,
                          const GValue *value)
{
  SpkInspector *self = editor->inspector;

  if (_spk_inspector_is_network_param (self, editor->pspec))
    {
      _spk_inspector_edit_network (self, editor->pspec, value);
      return;
    }
  self->updating++;
  self->setting = editor->pspec->name;
  for (guint i = 0; i < self->objects->len; i++)
    g_object_set_property (g_ptr_array_index (self->objects, i), editor->pspec->name, value);
  self->setting = NULL;
  self->updating--;
}

void
_spk_inspector_set_boxed (Editor   *editor,
                          gpointer  boxed)
{
  GValue value = G_VALUE_INIT;

  g_value_init (&value, editor->pspec->value_type);
  g_value_set_boxed (&value, boxed);
  _spk_inspector_set_value (editor, &value);
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
gboolean
_spk_inspector_is_mixed (Editor *editor)
{
  SpkInspector *self = editor->inspector;
  GValue first = G_VALUE_INIT;
  gboolean mixed = FALSE;

  _spk_inspector_get_value (editor, &first);
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

char *
_spk_inspector_summarize_array (const SpkArray *array)
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

char *
_spk_inspector_summarize_distribution (const SpkDistribution *dist)
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
      return _spk_inspector_summarize_array (dist->array);
    case SPK_DIST_SPARSE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sparse(%u × %u, %zu entry)", "Sparse(%u × %u, %zu entries)",
                                           spk_transform_n_values (dist)),
                              dist->shape[0], dist->shape[1], spk_transform_n_values (dist));
    case SPK_DIST_CONVOLUTION:
    case SPK_DIST_CONVOLUTION_TRANSPOSE:
      {
        guint out[SPK_CONV_MAX_DIMS];
        GString *text = g_string_new (spk_distribution_kind_to_name (dist->kind));

        spk_transform_output_shape (dist, out);
        g_string_append_c (text, '(');
        for (guint i = 0; i < dist->n_dims; i++)
          g_string_append_printf (text, "%s%u", i ? "×" : "", dist->input_shape[i]);
        g_string_append (text, " → ");
        for (guint i = 0; i < dist->n_dims; i++)
          g_string_append_printf (text, "%s%u", i ? "×" : "", out[i]);
        g_string_append_c (text, ')');
        return g_string_free (text, FALSE);
      }
    case SPK_DIST_CHOICE:
    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
    default:
      return g_strdup_printf ("%s%s", spk_distribution_kind_to_name (dist->kind),
                              dist->surface ? _(" (surface)") : "");
    }
}

char *
_spk_inspector_summarize_neuron_type (const SpkNeuronType *type)
{
  if (type == NULL)
    return g_strdup (_("Default"));
  if (type->base != NULL)
    return g_strdup_printf ("%s(%s)", spk_neuron_kind_to_name (type->kind),
                            spk_neuron_kind_to_name (type->base->kind));
  return g_strdup (spk_neuron_kind_to_name (type->kind));
}

char *
_spk_inspector_summarize_synapse (const SpkSynapse *synapse)
{
  g_autofree char *tau = NULL;

  if (synapse == NULL)
    return g_strdup (_("None"));
  if (synapse->kind == SPK_SYNAPSE_LINEAR_FILTER && !synapse->analog)
    /* Translators: a linear filter with coefficients in z (Nengo's analog=False) */
    return g_strdup (_("LinearFilter(digital)"));
  if (synapse->kind == SPK_SYNAPSE_LINEAR_FILTER)
    return g_strdup (spk_synapse_kind_to_name (synapse->kind));
  if (synapse->kind == SPK_SYNAPSE_TRIANGLE)
    {
      tau = format_number (synapse->tau);
      /* Translators: a triangular synapse of length t, such as Triangle(t = 0.01 s) */
      return g_strdup_printf (_("Triangle(t = %s s)"), tau);
    }
  tau = format_number (synapse->tau);
  /* Translators: a synapse, such as Lowpass(τ = 0.005 s) */
  return g_strdup_printf (_("%s(τ = %s s)"), spk_synapse_kind_to_name (synapse->kind), tau);
}

char *
_spk_inspector_summarize_solver (const SpkSolver *solver)
{
  const char *name;
  g_autofree char *value = NULL, *args = NULL;

  if (solver == NULL)
    return g_strdup (_("Default"));
  name = spk_solver_kind_to_name (solver->kind);
  switch (solver->kind)
    {
    case SPK_SOLVER_NNLS:
    case SPK_SOLVER_NO_SOLVER:
      args = g_strdup ("");
      break;
    case SPK_SOLVER_LSTSQ:
      value = format_number (solver->rcond);
      args = g_strdup_printf ("rcond = %s", value);
      break;
    case SPK_SOLVER_LSTSQ_NOISE:
    case SPK_SOLVER_LSTSQ_MULT_NOISE:
      value = format_number (solver->noise);
      args = g_strdup_printf ("noise = %s", value);
      break;
    case SPK_SOLVER_LSTSQ_DROP:
      value = format_number (solver->drop);
      args = g_strdup_printf ("drop = %s", value);
      break;
    case SPK_SOLVER_LSTSQ_L2:
    case SPK_SOLVER_LSTSQ_L2NZ:
    case SPK_SOLVER_NNLS_L2:
    case SPK_SOLVER_NNLS_L2NZ:
    case SPK_SOLVER_N_KINDS:
    default:
      value = format_number (solver->reg);
      args = g_strdup_printf ("reg = %s", value);
      break;
    }
  if (solver->weights)
    {
      char *with = g_strdup_printf ("%s%sweights = True", args, *args ? ", " : "");

      g_free (args);
      args = with;
    }
  if (*args == '\0')
    return g_strdup (name);
  return g_strdup_printf ("%s(%s)", name, args);
}

char *
_spk_inspector_summarize_learning_rule (const SpkLearningRuleType *rule)
{
  g_autofree char *rate = NULL;

  if (rule == NULL)
    return g_strdup (_("None"));
  rate = format_number (rule->learning_rate);
  return g_strdup_printf ("%s(learning_rate = %s)", spk_learning_kind_to_name (rule->kind), rate);
}

char *
_spk_inspector_summarize_process (const SpkProcess *process)
{
  if (process == NULL)
    return g_strdup (_("None"));
  if (process->kind == SPK_PROCESS_PRESENT_INPUT && process->dataset != NULL)
    return g_strdup_printf (g_dngettext (NULL, "PresentInput: %u image of %s", "PresentInput: %u images of %s",
                                         process->dataset_count),
                            process->dataset_count, process->dataset);
  if (process->kind == SPK_PROCESS_PIECEWISE && process->interpolation != SPK_INTERPOLATION_ZERO)
    return g_strdup_printf ("Piecewise(%s)", spk_interpolation_to_name (process->interpolation));
  return g_strdup (spk_process_kind_to_name (process->kind));
}

/* }}} */
