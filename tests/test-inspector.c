/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-inspector.c — the inspector generated from GParamSpecs: an edit in
 * a row reaches the model, a change of the model reaches the row, enums,
 * distributions and expressions (validated as typed) work, and a
 * multi-selection edits the properties its objects share. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-transform-editor.h"
#include "spk-ui-test-util.h"
#include "core/spk-format.h"
#include "io/spk-model-json.h"
#include "model/spk-network.h"
#include "model/spk-transform.h"

typedef struct
{
  GtkWidget    *window;
  SpkInspector *inspector;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->inspector = SPK_INSPECTOR (spk_inspector_new ());
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->inspector));
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static void
inspect (Fixture *f,
         gpointer first,
         ...)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (gpointer object = first; object != NULL; object = va_arg (args, gpointer))
    g_ptr_array_add (objects, object);
  va_end (args);
  spk_inspector_set_objects (f->inspector, objects);
}

static void
test_edit_reaches_model (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (SpkEnsemble) ensemble = spk_ensemble_new ();
  GtkWidget *spin;

  inspect (f, ensemble, NULL);
  spin = spk_inspector_get_editor (f->inspector, "n-neurons");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 77);
  g_assert_cmpint (spk_ensemble_get_n_neurons (ensemble), ==, 77);

  spin = spk_inspector_get_editor (f->inspector, "radius");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2.5);
  g_assert_cmpfloat (spk_ensemble_get_radius (ensemble), ==, 2.5);

  /* Booleans are switches. */
  g_assert_true (GTK_IS_SWITCH (spk_inspector_get_editor (f->inspector, "normalize-encoders")));
  gtk_switch_set_active (GTK_SWITCH (spk_inspector_get_editor (f->inspector, "normalize-encoders")),
                         !spk_ensemble_get_normalize_encoders (ensemble));
  g_assert_false (spk_ensemble_get_normalize_encoders (ensemble));
}

static void
test_model_reaches_inspector (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (SpkEnsemble) ensemble = spk_ensemble_new ();
  GtkWidget *spin;
  GtkWidget *label;

  inspect (f, ensemble, NULL);
  spin = spk_inspector_get_editor (f->inspector, "radius");
  spk_ensemble_set_radius (ensemble, 3.25);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 3.25);

  label = spk_inspector_get_editor (f->inspector, "label");
  g_assert_true (ADW_IS_ENTRY_ROW (label));
  spk_object_set_label (SPK_OBJECT (ensemble), "cortex");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (label)), ==, "cortex");
}

static void
test_enum (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (SpkNetwork) network = spk_network_new ();
  GtkWidget *combo;

  inspect (f, network, NULL);
  combo = spk_inspector_get_editor (f->inspector, "dtype");
  g_assert_true (ADW_IS_COMBO_ROW (combo));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1);
  g_assert_cmpint (spk_network_get_dtype (network), ==, SPK_DTYPE_FLOAT64);
  spk_network_set_dtype (network, SPK_DTYPE_FLOAT32);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
}

/* Changing a distribution's type sets a new one with Nengo's defaults. */
static void
test_distribution (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (SpkEnsemble) ensemble = spk_ensemble_new ();
  g_autoptr (SpkDistribution) uniform = spk_distribution_new_uniform (100, 200);
  GtkWidget *expander;
  GtkWidget *combo;
  SpkDistribution *dist;

  spk_ensemble_set_max_rates (ensemble, uniform);
  inspect (f, ensemble, NULL);
  expander = spk_inspector_get_editor (f->inspector, "max-rates");
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Uniform(100, 200)");

  /* The first row inside is the type drop-down. */
  combo = NULL;
  for (GtkWidget *w = gtk_widget_get_first_child (expander); w && !combo; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *stack[64];
      int top = 0;

      stack[top++] = w;
      while (top > 0 && combo == NULL)
        {
          GtkWidget *cur = stack[--top];

          if (ADW_IS_COMBO_ROW (cur))
            combo = cur;
          for (GtkWidget *c = gtk_widget_get_first_child (cur); c && top < 64; c = gtk_widget_get_next_sibling (c))
            stack[top++] = c;
        }
    }
  g_assert_nonnull (combo);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), SPK_DIST_GAUSSIAN);
  dist = spk_ensemble_get_max_rates (ensemble);
  g_assert_cmpint (dist->kind, ==, SPK_DIST_GAUSSIAN);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Gaussian(0, 1)");

  /* And a change from the model shows. */
  spk_ensemble_set_max_rates (ensemble, uniform);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Uniform(100, 200)");
}

static void
test_expression (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (SpkNode) node = spk_node_new ();
  GtkWidget *entry;
  const char *message;

  spk_node_set_output_expr (node, "sin(t)");
  inspect (f, node, NULL);
  entry = spk_inspector_get_editor (f->inspector, "output-expr");
  g_assert_true (ADW_IS_ENTRY_ROW (entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "sin(t)");
  g_assert_null (spk_inspector_get_message (f->inspector, "output-expr"));

  /* Typing an unfinished expression shows where it goes wrong at once. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "sin(2*pi*t");
  message = spk_inspector_get_message (f->inspector, "output-expr");
  g_assert_nonnull (message);
  g_assert_true (strstr (message, "column") != NULL);
  g_assert_true (strchr (message, '^') != NULL);
  g_signal_emit_by_name (entry, "apply");
  g_assert_cmpstr (spk_node_get_output_expr (node), ==, "sin(t)");

  /* x needs an input. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "x[0]");
  g_assert_nonnull (spk_inspector_get_message (f->inspector, "output-expr"));
  spk_node_set_size_in (node, 2);
  g_assert_null (spk_inspector_get_message (f->inspector, "output-expr"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "sin(2*pi*t)");
  g_assert_null (spk_inspector_get_message (f->inspector, "output-expr"));
  g_signal_emit_by_name (entry, "apply");
  g_assert_cmpstr (spk_node_get_output_expr (node), ==, "sin(2*pi*t)");
}

static void
test_multi_selection (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (SpkEnsemble) a = spk_ensemble_new ();
  g_autoptr (SpkEnsemble) b = spk_ensemble_new ();
  g_autoptr (SpkNode) node = spk_node_new ();
  GtkWidget *spin;

  inspect (f, a, b, NULL);
  spin = spk_inspector_get_editor (f->inspector, "n-neurons");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 12);
  g_assert_cmpint (spk_ensemble_get_n_neurons (a), ==, 12);
  g_assert_cmpint (spk_ensemble_get_n_neurons (b), ==, 12);

  /* A node and an ensemble share only what every object has. */
  inspect (f, node, a, NULL);
  g_assert_null (spk_inspector_get_editor (f->inspector, "n-neurons"));
  g_assert_null (spk_inspector_get_editor (f->inspector, "output-expr"));
  spin = spk_inspector_get_editor (f->inspector, "seed");
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 5);
  g_assert_cmpint (spk_object_get_seed (SPK_OBJECT (node)), ==, 5);
  g_assert_cmpint (spk_object_get_seed (SPK_OBJECT (a)), ==, 5);
  g_assert_cmpint (spk_object_get_seed (SPK_OBJECT (b)), ==, -1);
}

static GtkWidget *
find_combo (GtkWidget *root)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ADW_IS_COMBO_ROW (c) ? c : find_combo (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether a row titled title (with that subtitle, unless NULL) is
 * under root. */
static gboolean
find_subtitle (GtkWidget  *root,
               const char *title,
               const char *subtitle)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_ACTION_ROW (c)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0
          && (subtitle == NULL || g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (c)), subtitle) == 0))
        return TRUE;
      if (find_subtitle (c, title, subtitle))
        return TRUE;
    }
  return FALSE;
}

/* A connection's learning rule: None, or PES with Nengo's defaults, its
 * learning rate editable. */
static void
test_learning_rule (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (SpkLearningRuleType) pes = spk_learning_rule_type_new (SPK_LEARNING_PES);
  GtkWidget *expander, *combo;
  SpkLearningRuleType *rule;

  inspect (f, conn, NULL);
  expander = spk_inspector_get_editor (f->inspector, "learning-rule-type");
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "None");
  combo = find_combo (expander);
  g_assert_nonnull (combo);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1 + SPK_LEARNING_PES);
  rule = spk_connection_get_learning_rule_type (conn);
  g_assert_nonnull (rule);
  g_assert_true (spk_learning_rule_type_equal (rule, pes));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "PES(learning_rate = 0.0001)");
  /* Its filter is shown: Nengo's default pre_synapse. */
  g_assert_true (find_subtitle (expander, "Pre synapse", "Lowpass(τ = 0.005 s)"));
  g_assert_false (find_subtitle (expander, "Theta synapse", NULL));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1 + SPK_LEARNING_BCM);
  g_assert_true (find_subtitle (expander, "Post synapse", "Lowpass(τ = 0.005 s)"));
  g_assert_true (find_subtitle (expander, "Theta synapse", "Lowpass(τ = 1 s)"));

  /* Back to none from the model. */
  spk_connection_set_learning_rule_type (conn, NULL);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
}

/* The switch of the row titled title (the expander row has a switch of
 * its own). */
static GtkWidget *
find_switch (GtkWidget  *root,
             const char *title,
             gboolean    inside)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      gboolean here = inside || (ADW_IS_ACTION_ROW (c)
                                 && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0);
      GtkWidget *found = here && GTK_IS_SWITCH (c) ? c : find_switch (c, title, here);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A connection's solver: another kind from the drop-down with Nengo's
 * defaults, and full weights switched on; its synapse a Triangle or a
 * digital filter. */
static void
test_solver (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  GtkWidget *expander, *combo, *toggle;
  SpkSolver *solver;

  inspect (f, conn, NULL);
  expander = spk_inspector_get_editor (f->inspector, "solver");
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "LstsqL2(reg = 0.1)");
  combo = find_combo (expander);
  g_assert_nonnull (combo);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), SPK_SOLVER_LSTSQ_DROP);
  solver = spk_connection_get_solver (conn);
  g_assert_cmpint (solver->kind, ==, SPK_SOLVER_LSTSQ_DROP);
  g_assert_cmpfloat (solver->drop, ==, 0.25);
  g_assert_cmpfloat (solver->solver1->reg, ==, 0.001);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "LstsqDrop(drop = 0.25)");

  toggle = find_switch (expander, "Full weights", FALSE);
  g_assert_nonnull (toggle);
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  solver = spk_connection_get_solver (conn);
  g_assert_true (solver->weights);
  g_assert_cmpint (solver->kind, ==, SPK_SOLVER_LSTSQ_DROP);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==,
                   "LstsqDrop(drop = 0.25, weights = True)");

  /* The synapse: Triangle keeps the time as its length. */
  expander = spk_inspector_get_editor (f->inspector, "synapse");
  combo = find_combo (expander);
  g_assert_nonnull (combo);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1 + SPK_SYNAPSE_TRIANGLE);
  g_assert_cmpint (spk_connection_get_synapse (conn)->kind, ==, SPK_SYNAPSE_TRIANGLE);
  g_assert_cmpfloat (spk_connection_get_synapse (conn)->tau, ==, 0.005);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Triangle(t = 0.005 s)");
  /* A digital LinearFilter by the switch. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1 + SPK_SYNAPSE_LINEAR_FILTER);
  g_assert_true (spk_connection_get_synapse (conn)->analog);
  toggle = find_switch (expander, "Continuous time (analog)", FALSE);
  g_assert_nonnull (toggle);
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (spk_connection_get_synapse (conn)->analog);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "LinearFilter(digital)");
}

/* The spin button of the row titled title. */
static GtkWidget *
find_spin (GtkWidget  *root,
           const char *title,
           gboolean    inside)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      gboolean here = inside || (ADW_IS_ACTION_ROW (c)
                                 && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0);
      GtkWidget *found = here && GTK_IS_SPIN_BUTTON (c) ? c : find_spin (c, title, here);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A connection's transform: a matrix turned into a Sparse transform of
 * its non-zero entries from the drop-down, then a convolution whose
 * filters, strides and padding are edited in its rows. */
static void
test_structured_transform (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  const double values[] = { 0, 2, 1, 0 };
  g_autoptr (SpkArray) matrix = spk_array_new_matrix (values, 2, 2);
  g_autoptr (SpkDistribution) dense = spk_distribution_new_array (matrix);
  GtkWidget *expander, *combo, *spin, *toggle;
  SpkDistribution *t;

  spk_connection_set_transform (conn, dense);
  inspect (f, conn, NULL);
  expander = spk_inspector_get_editor (f->inspector, "transform");
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  combo = find_combo (expander);
  g_assert_nonnull (combo);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), SPK_DIST_SPARSE);
  t = spk_connection_get_transform (conn);
  g_assert_cmpint (t->kind, ==, SPK_DIST_SPARSE);
  g_assert_cmpuint (t->shape[0], ==, 2);
  g_assert_cmpuint (t->indices->size, ==, 4);
  g_assert_cmpfloat (t->indices->data[0], ==, 0);
  g_assert_cmpfloat (t->indices->data[1], ==, 1);
  g_assert_cmpfloat (t->init->array->data[0], ==, 2);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Sparse(2 × 2, 2 entries)");

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), SPK_DIST_CONVOLUTION);
  t = spk_connection_get_transform (conn);
  g_assert_cmpint (t->kind, ==, SPK_DIST_CONVOLUTION);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Convolution(4×1 → 4×1)");
  spin = find_spin (expander, "Filters", FALSE);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 3);
  g_assert_cmpuint (spk_connection_get_transform (conn)->n_filters, ==, 3);
  spin = find_spin (expander, "Stride, dimension 1", FALSE);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2);
  g_assert_cmpuint (spk_connection_get_transform (conn)->strides[0], ==, 2);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Convolution(4×1 → 2×3)");
  toggle = find_switch (expander, "Same padding", FALSE);
  g_assert_nonnull (toggle);
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (spk_connection_get_transform (conn)->padding_same);
  /* Only a connection's transform offers them. */
  {
    g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
    GtkWidget *rates;

    inspect (f, ens, NULL);
    rates = find_combo (spk_inspector_get_editor (f->inspector, "max-rates"));
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (rates))), ==,
                      SPK_DIST_ARRAY + 1);
  }
}

/* An ensemble's noise: None, or a process from the drop-down (BrownNoise
 * with its scale switch). */
static void
test_ensemble_noise (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
  GtkWidget *expander, *combo, *toggle;

  inspect (f, ens, NULL);
  expander = spk_inspector_get_editor (f->inspector, "noise");
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "None");
  combo = find_combo (expander);
  g_assert_nonnull (combo);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1 + SPK_PROCESS_BROWN_NOISE);
  g_assert_nonnull (spk_ensemble_get_noise (ens));
  g_assert_cmpint (spk_ensemble_get_noise (ens)->kind, ==, SPK_PROCESS_BROWN_NOISE);
  g_assert_true (spk_ensemble_get_noise (ens)->scale);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "BrownNoise");
  toggle = find_switch (expander, "Scaled by 1/√dt", FALSE);
  g_assert_nonnull (toggle);
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (spk_ensemble_get_noise (ens)->scale);
}

/* A connection's own eval points: "Default" (the pre's) or a
 * distribution or points from the drop-down; scale_eval_points a switch. */
static void
test_connection_eval_points (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  GtkWidget *expander, *combo, *toggle;

  inspect (f, conn, NULL);
  expander = spk_inspector_get_editor (f->inspector, "eval-points");
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Default");
  combo = find_combo (expander);
  g_assert_nonnull (combo);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1 + SPK_DIST_UNIFORM);
  g_assert_nonnull (spk_connection_get_eval_points (conn));
  g_assert_cmpint (spk_connection_get_eval_points (conn)->kind, ==, SPK_DIST_UNIFORM);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Uniform(0, 1)");
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1 + SPK_DIST_ARRAY);
  g_assert_cmpint (spk_connection_get_eval_points (conn)->kind, ==, SPK_DIST_ARRAY);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);
  g_assert_null (spk_connection_get_eval_points (conn));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (expander)), ==, "Default");

  toggle = spk_inspector_get_editor (f->inspector, "scale-eval-points");
  g_assert_true (GTK_IS_SWITCH (toggle));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (spk_connection_get_scale_eval_points (conn));
  g_assert_nonnull (spk_inspector_get_editor (f->inspector, "function-points"));
}

/* Every kind of model object gets an editor for each of its properties. */
static void
test_every_property (Fixture       *f,
                     gconstpointer  data)
{
  GType types[] = { SPK_TYPE_NODE, SPK_TYPE_ENSEMBLE, SPK_TYPE_CONNECTION, SPK_TYPE_PROBE, SPK_TYPE_LAYER,
                    SPK_TYPE_NETWORK };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr (GObject) object = g_object_new (types[t], NULL);
      g_autofree GParamSpec **pspecs = NULL;
      guint n;

      inspect (f, object, NULL);
      pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
      for (guint i = 0; i < n; i++)
        if ((pspecs[i]->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE)
          {
            if (spk_inspector_get_editor (f->inspector, pspecs[i]->name) == NULL)
              g_error ("%s:%s has no editor", g_type_name (types[t]), pspecs[i]->name);
          }
    }
  spk_inspector_set_objects (f->inspector, NULL);
  g_assert_cmpuint (spk_inspector_get_objects (f->inspector)->len, ==, 0);
}

/* {{{ A transform's values in their window */

/* Nodes a → b through transform t, in network; the connection (transfer
 * none). */
static SpkConnection *
connect_through (SpkNetwork      *network,
                 SpkDistribution *t)
{
  g_autoptr (SpkNode) a = spk_node_new ();
  g_autoptr (SpkNode) b = spk_node_new ();
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (SpkArray) zeros = NULL;
  g_autofree double *data = NULL;
  guint size_out, size_in;

  g_assert_true (spk_transform_check (t, &size_out, &size_in, NULL));
  data = g_new0 (double, size_in);
  zeros = spk_array_new_vector (data, size_in);
  spk_object_set_label (SPK_OBJECT (a), "a");
  spk_node_set_output_value (a, zeros);
  spk_object_set_label (SPK_OBJECT (b), "b");
  spk_node_set_size_in (b, size_out);
  spk_connection_set_pre (conn, SPK_OBJECT (a));
  spk_connection_set_post (conn, SPK_OBJECT (b));
  spk_connection_set_transform (conn, t);
  g_assert_true (spk_network_add (network, SPK_OBJECT (a), NULL));
  g_assert_true (spk_network_add (network, SPK_OBJECT (b), NULL));
  g_assert_true (spk_network_add (network, SPK_OBJECT (conn), NULL));
  return conn;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0
                         ? c : find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The window the values are edited in: opened with the inspector's action
 * (or its "Edit…" button, which has that action). */
static SpkTransformEditor *
open_values_from (Fixture  *f,
                  gboolean  button)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (button)
    {
      GtkWidget *edit = find_button (spk_inspector_get_editor (f->inspector, "transform"), "_Edit…");

      g_assert_nonnull (edit);
      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (edit)), ==, "inspector.edit-transform-values");
      g_signal_emit_by_name (edit, "clicked");
    }
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->inspector), "inspector.edit-transform-values", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (SPK_IS_TRANSFORM_EDITOR (window))
        {
          ut_wait_for_frames (GTK_WIDGET (window), 2);
          return SPK_TRANSFORM_EDITOR (window);
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static SpkTransformEditor *
open_values (Fixture *f)
{
  return open_values_from (f, FALSE);
}

static void
values_do (SpkTransformEditor *editor,
           const char         *action,
           GVariant           *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (editor), action, parameter));
}

/* The mapped text entries under root (the cells on screen), and the first
 * whose text is text. */
static guint
count_entries (GtkWidget  *root,
               const char *text,
               GtkWidget **found)
{
  guint n = 0;

  if (GTK_IS_ENTRY (root) && gtk_widget_get_mapped (root))
    {
      if (found != NULL && *found == NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (root)), text) == 0)
        *found = root;
      return 1;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    n += count_entries (c, text, found);
  return n;
}

static GtkWidget *
find_entry (SpkTransformEditor *editor,
            const char         *text)
{
  GtkWidget *found = NULL;

  count_entries (GTK_WIDGET (editor), text, &found);
  return found;
}

static SpkConnection *
first_connection (SpkNetwork *network)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_CONNECTION (g_ptr_array_index (objects, i)))
      return g_ptr_array_index (objects, i);
  g_assert_not_reached ();
  return NULL;
}

/* Saved to a model file and read back, the connection's transform is
 * the same. */
static void
assert_reopens_same (SpkNetwork    *network,
                     SpkConnection *conn)
{
  g_autofree char *dir = g_dir_make_tmp ("spk-inspector-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "values.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) again = NULL;

  g_assert_true (spk_model_save_file (network, path, &error));
  g_assert_no_error (error);
  again = spk_model_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (spk_distribution_equal (spk_connection_get_transform (first_connection (again)),
                                         spk_connection_get_transform (conn)));
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A Sparse transform given as its dense matrix: its entries in a table,
 * a value typed into its cell, bad text refused with a message, entries
 * added and removed, each change one undo step, and the values kept
 * through a model file. */
static void
test_sparse_values (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (SpkNetwork) network = spk_network_new ();
  const double matrix[] = { 0, 2, 0, 1, 0, -3 };   /* 2 × 3: entries (0,1) (1,0) (1,2) */
  g_autoptr (SpkArray) dense = spk_array_new_matrix (matrix, 2, 3);
  g_autoptr (SpkDistribution) init = spk_distribution_new_array (dense);
  g_autoptr (SpkDistribution) sparse = spk_distribution_new_sparse (2, 3, NULL, init);
  SpkConnection *conn = connect_through (network, sparse);
  g_autoptr (SpkUndoStack) undo = spk_undo_stack_new (network, NULL);
  SpkTransformEditor *editor;
  SpkDistribution *t;
  GtkWidget *cell;

  spk_inspector_set_undo_stack (f->inspector, undo);
  inspect (f, conn, NULL);
  editor = open_values (f);
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 3);
  g_assert_null (spk_transform_editor_get_message (editor));

  /* Typed into its cell, committed with Enter. */
  cell = find_entry (editor, "1");
  g_assert_nonnull (cell);
  gtk_editable_set_text (GTK_EDITABLE (cell), "0.5");
  g_signal_emit_by_name (cell, "activate");
  t = spk_connection_get_transform (conn);
  g_assert_nonnull (t->indices);
  g_assert_cmpfloat (t->init->array->data[1], ==, 0.5);
  g_assert_false (gtk_widget_has_css_class (cell, "error"));
  /* An entry set to 0 stays an entry. */
  values_do (editor, "values.set", g_variant_new ("(us)", 0, "0"));
  t = spk_connection_get_transform (conn);
  g_assert_cmpuint (spk_transform_n_values (t), ==, 3);
  g_assert_cmpfloat (t->init->array->data[0], ==, 0);

  /* Refused, with a message; the model keeps its value. */
  values_do (editor, "values.set", g_variant_new ("(us)", 2, "abc"));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==, "The value was not changed: “abc” is not a number");
  values_do (editor, "values.set", g_variant_new ("(us)", 2, "inf"));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==,
                   "The value was not changed: “inf” is not a finite number");
  values_do (editor, "values.set", g_variant_new ("(us)", 2, " "));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==, "The value was not changed: type a number");
  cell = find_entry (editor, "-3");
  g_assert_nonnull (cell);
  gtk_editable_set_text (GTK_EDITABLE (cell), "1e999");
  g_signal_emit_by_name (cell, "activate");
  g_assert_true (gtk_widget_has_css_class (cell, "error"));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==,
                   "The value was not changed: “1e999” is not a finite number");
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[2], ==, -3);
  gtk_editable_set_text (GTK_EDITABLE (cell), "-3.5");
  g_signal_emit_by_name (cell, "activate");
  g_assert_null (spk_transform_editor_get_message (editor));
  g_assert_false (gtk_widget_has_css_class (cell, "error"));
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[2], ==, -3.5);

  /* Entries added (inside the matrix only) and removed. */
  values_do (editor, "values.add", g_variant_new ("(uus)", 1, 1, "4"));
  t = spk_connection_get_transform (conn);
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 4);
  g_assert_cmpfloat (t->indices->data[6], ==, 1);
  g_assert_cmpfloat (t->indices->data[7], ==, 1);
  g_assert_cmpfloat (t->init->array->data[3], ==, 4);
  values_do (editor, "values.add", g_variant_new ("(uus)", 2, 0, "1"));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==,
                   "No entry was added: (2, 0) is outside the 2 × 3 matrix");
  values_do (editor, "values.add", g_variant_new ("(uus)", 0, 0, "x"));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==, "The value was not changed: “x” is not a number");
  g_assert_cmpuint (spk_transform_n_values (spk_connection_get_transform (conn)), ==, 4);
  values_do (editor, "values.remove", g_variant_new_uint32 (0));
  t = spk_connection_get_transform (conn);
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 3);
  g_assert_cmpfloat (t->indices->data[0], ==, 1);
  g_assert_cmpfloat (t->indices->data[1], ==, 0);

  /* Each change is one step of undo: the removal, the addition, -3.5, 0,
   * 0.5 (the first from the window's own Undo). */
  values_do (editor, "values.undo", NULL);
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 4);
  g_assert_true (spk_undo_stack_undo (undo));
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 3);
  g_assert_true (spk_undo_stack_undo (undo));
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[2], ==, -3);
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[0], ==, 0);
  g_assert_true (spk_undo_stack_undo (undo));
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[0], ==, 2);
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[1], ==, 0.5);
  g_assert_true (spk_undo_stack_undo (undo));
  g_assert_null (spk_connection_get_transform (conn)->indices);
  g_assert_false (spk_undo_stack_get_can_undo (undo));
  for (guint i = 0; i < 5; i++)
    g_assert_true (spk_undo_stack_redo (undo));
  g_assert_cmpuint (spk_transform_n_values (spk_connection_get_transform (conn)), ==, 3);
  assert_reopens_same (network, conn);
  values_do (editor, "values.set", g_variant_new ("(us)", 1, "abc"));
  ut_wait_for_frames (GTK_WIDGET (editor), 2);
  ut_save_png ("SPK_INSPECTOR_SCREENSHOTS", GTK_WIDGET (editor), "sparse-entries.png");

  /* The last entry stays. */
  values_do (editor, "values.remove", g_variant_new_uint32 (0));
  values_do (editor, "values.remove", g_variant_new_uint32 (0));
  values_do (editor, "values.remove", g_variant_new_uint32 (0));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==,
                   "The entry was not removed: a Sparse transform keeps at least one entry");
  g_assert_cmpuint (spk_transform_n_values (spk_connection_get_transform (conn)), ==, 1);
  gtk_window_destroy (GTK_WINDOW (editor));
  spk_inspector_set_undo_stack (f->inspector, NULL);
}

/* A 3 × 3 kernel over 32 input channels and 32 filters (9,216 values),
 * drawn from Nengo's default Uniform(-1, 1) until drawn here, shown one
 * channel pair at a time (nine cells on screen), edited, refused, undone,
 * and kept through a model file. */
static void
test_kernel_values (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (SpkNetwork) network = spk_network_new ();
  const guint shape[3] = { 8, 8, 32 };
  g_autoptr (SpkDistribution) conv = spk_distribution_new_convolution (FALSE, 32, 3, shape);
  SpkConnection *conn = connect_through (network, conv);
  g_autoptr (SpkUndoStack) undo = spk_undo_stack_new (network, NULL);
  SpkTransformEditor *editor;
  SpkDistribution *t;
  guint channel, filter;
  const gsize index = ((1 * 3 + 2) * 32 + 5) * 32 + 7;   /* row 1, column 2, channel 5, filter 7 */
  double drawn;
  char number[SPK_FORMAT_BUF_SIZE];

  spk_inspector_set_undo_stack (f->inspector, undo);
  inspect (f, conn, NULL);
  editor = open_values (f);
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 0);
  values_do (editor, "values.draw", NULL);
  t = spk_connection_get_transform (conn);
  g_assert_true (spk_transform_has_values (t));
  g_assert_cmpuint (t->init->array->size, ==, 9216);
  for (gsize i = 0; i < t->init->array->size; i++)
    g_assert_true (t->init->array->data[i] >= -1 && t->init->array->data[i] <= 1);
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 3);
  ut_wait_for_frames (GTK_WIDGET (editor), 2);
  /* One pair's cells, not 9,216. */
  g_assert_cmpuint (count_entries (GTK_WIDGET (editor), NULL, NULL), ==, 9);

  values_do (editor, "values.pair", g_variant_new ("(uu)", 5, 7));
  spk_transform_editor_get_pair (editor, &channel, &filter);
  g_assert_cmpuint (channel, ==, 5);
  g_assert_cmpuint (filter, ==, 7);
  drawn = spk_connection_get_transform (conn)->init->array->data[index];
  ut_wait_for_frames (GTK_WIDGET (editor), 1);
  {
    /* Shown to six digits, every digit in its tooltip. */
    g_autofree char *shown = g_strdup_printf ("%.6g", drawn);
    GtkWidget *cell = find_entry (editor, shown);

    g_assert_nonnull (cell);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (cell), ==, spk_format_double (number, drawn));
    /* Committing the rounded text as shown changes nothing. */
    g_signal_emit_by_name (cell, "activate");
    g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[index], ==, drawn);
  }
  values_do (editor, "values.set", g_variant_new ("(us)", (guint) index, "0.5"));
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[index], ==, 0.5);
  ut_wait_for_frames (GTK_WIDGET (editor), 1);
  g_assert_nonnull (find_entry (editor, "0.5"));

  values_do (editor, "values.set", g_variant_new ("(us)", (guint) index, "1e400"));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==,
                   "The value was not changed: “1e400” is not a finite number");
  values_do (editor, "values.set", g_variant_new ("(us)", (guint) index, "0,5"));
  g_assert_cmpstr (spk_transform_editor_get_message (editor), ==, "The value was not changed: “0,5” is not a number");
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[index], ==, 0.5);

  /* The pairs in order, wrapping around. */
  values_do (editor, "values.pair", g_variant_new ("(uu)", 31, 31));
  values_do (editor, "values.next-pair", NULL);
  spk_transform_editor_get_pair (editor, &channel, &filter);
  g_assert_cmpuint (channel, ==, 0);
  g_assert_cmpuint (filter, ==, 0);
  values_do (editor, "values.previous-pair", NULL);
  values_do (editor, "values.previous-pair", NULL);
  spk_transform_editor_get_pair (editor, &channel, &filter);
  g_assert_cmpuint (channel, ==, 31);
  g_assert_cmpuint (filter, ==, 30);

  /* Undo: the edit, then the draw. */
  g_assert_true (spk_undo_stack_undo (undo));
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[index], ==, drawn);
  g_assert_true (spk_undo_stack_undo (undo));
  g_assert_false (spk_transform_has_values (spk_connection_get_transform (conn)));
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 0);
  g_assert_true (spk_undo_stack_redo (undo));
  g_assert_true (spk_undo_stack_redo (undo));
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[index], ==, 0.5);
  assert_reopens_same (network, conn);
  values_do (editor, "values.pair", g_variant_new ("(uu)", 5, 7));
  ut_wait_for_frames (GTK_WIDGET (editor), 2);
  ut_save_png ("SPK_INSPECTOR_SCREENSHOTS", GTK_WIDGET (editor), "convolution-kernel.png");
  if (g_getenv ("SPK_INSPECTOR_SCREENSHOTS") != NULL)
    {
      /* The inspector's rows, with the Kernel row's button. */
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (spk_inspector_get_editor (f->inspector, "transform")), TRUE);
      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 1600);
      ut_wait_for_frames (f->window, 3);
      ut_save_png ("SPK_INSPECTOR_SCREENSHOTS", f->window, "transform-inspector.png");
    }

  gtk_window_destroy (GTK_WINDOW (editor));
  spk_inspector_set_undo_stack (f->inspector, NULL);
}

/* A 1-D ConvolutionTranspose's kernel (2 positions × 2 input channels ×
 * 3 filters, Nengo's order) as one column of positions per channel pair;
 * and a Sparse transform whose values are drawn at build: its entries
 * listed, their values drawn to be edited. */
static void
test_transpose_and_drawn_entries (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr (SpkNetwork) network = spk_network_new ();
  const guint shape[2] = { 3, 2 };
  g_autoptr (SpkDistribution) conv = spk_distribution_new_convolution (TRUE, 3, 2, shape);
  double kernel[12];
  g_autoptr (SpkDistribution) with_kernel = NULL;
  SpkConnection *conn;
  SpkTransformEditor *editor;

  for (guint i = 0; i < 12; i++)
    kernel[i] = i;
  conv->kernel_size[0] = 2;
  with_kernel = spk_transform_with_values (conv, kernel);
  conn = connect_through (network, with_kernel);
  inspect (f, conn, NULL);
  editor = open_values_from (f, TRUE);
  g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 2);
  values_do (editor, "values.pair", g_variant_new ("(uu)", 1, 2));
  ut_wait_for_frames (GTK_WIDGET (editor), 2);
  /* Position p of channel 1, filter 2: kernel[(p × 2 + 1) × 3 + 2]. */
  g_assert_cmpuint (count_entries (GTK_WIDGET (editor), NULL, NULL), ==, 2);
  g_assert_nonnull (find_entry (editor, "5"));
  g_assert_nonnull (find_entry (editor, "11"));
  values_do (editor, "values.set", g_variant_new ("(us)", 11, "-2"));
  g_assert_cmpfloat (spk_connection_get_transform (conn)->init->array->data[11], ==, -2);
  gtk_window_destroy (GTK_WINDOW (editor));

  {
    const double pairs[] = { 0, 1, 1, 2 };
    g_autoptr (SpkArray) indices = spk_array_new_matrix (pairs, 2, 2);
    g_autoptr (SpkDistribution) uniform = spk_distribution_new_uniform (2, 3);
    g_autoptr (SpkDistribution) sparse = spk_distribution_new_sparse (2, 3, indices, uniform);
    g_autoptr (SpkNetwork) other = spk_network_new ();
    SpkConnection *drawn = connect_through (other, sparse);
    SpkDistribution *t;

    inspect (f, drawn, NULL);
    editor = open_values (f);
    g_assert_cmpuint (spk_transform_editor_get_n_rows (editor), ==, 2);
    /* Nothing to add to until the values are numbers. */
    gtk_widget_activate_action (GTK_WIDGET (editor), "values.add", "(uus)", 0, 0, "1");
    g_assert_cmpuint (spk_transform_n_values (spk_connection_get_transform (drawn)), ==, 2);
    g_assert_false (spk_transform_has_values (spk_connection_get_transform (drawn)));
    values_do (editor, "values.draw", NULL);
    t = spk_connection_get_transform (drawn);
    g_assert_true (spk_transform_has_values (t));
    g_assert_cmpuint (t->init->array->size, ==, 2);
    for (guint i = 0; i < 2; i++)
      g_assert_true (t->init->array->data[i] >= 2 && t->init->array->data[i] < 3);
    g_assert_cmpfloat (t->indices->data[3], ==, 2);
    values_do (editor, "values.add", g_variant_new ("(uus)", 0, 0, "1"));
    g_assert_cmpuint (spk_transform_n_values (spk_connection_get_transform (drawn)), ==, 3);
    gtk_window_destroy (GTK_WINDOW (editor));
  }
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  /* Xvfb has no session bus for the accessibility bus to live on. */
  ut_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/spk/ui/inspector/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("edit-reaches-model", test_edit_reaches_model);
  ADD ("model-reaches-inspector", test_model_reaches_inspector);
  ADD ("enum", test_enum);
  ADD ("distribution", test_distribution);
  ADD ("expression", test_expression);
  ADD ("multi-selection", test_multi_selection);
  ADD ("every-property", test_every_property);
  ADD ("learning-rule", test_learning_rule);
  ADD ("solver", test_solver);
  ADD ("ensemble-noise", test_ensemble_noise);
  ADD ("connection-eval-points", test_connection_eval_points);
  ADD ("structured-transform", test_structured_transform);
  ADD ("sparse-values", test_sparse_values);
  ADD ("kernel-values", test_kernel_values);
  ADD ("transpose-and-drawn-entries", test_transpose_and_drawn_entries);
#undef ADD
  return g_test_run ();
}
