/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-inspector.c — the inspector generated from GParamSpecs: an edit in
 * a row reaches the model, a change of the model reaches the row, enums,
 * distributions and expressions (validated as typed) work, and a
 * multi-selection edits the properties its objects share. */
#include <adwaita.h>
#include <string.h>

#include "ui/shell/spk-inspector.h"
#include "spk-ui-test-util.h"
#include "model/spk-network.h"

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
#undef ADD
  return g_test_run ();
}
