/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-undo.c — the undo stack: every edit of the model and the layout is
 * undone and redone back to the identical model file and layout, groups
 * form one step, deleting and restoring keeps connections, probes and the
 * objects' order, and the unsaved-changes state follows the saved step. */
#include <adwaita.h>
#include <string.h>

#include "examples/spk-examples.h"
#include "io/spk-model-json.h"
#include "ui/graph/spk-graph-view.h"
#include "ui/shell/spk-undo-stack.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

/* The model file text and the printed layout: equal states print equally. */
static char *
state_of (SpkNetwork *network,
          SpkLayout  *layout)
{
  g_autofree char *model = spk_model_to_data (network, NULL);
  g_autoptr (GVariant) positions = g_variant_ref_sink (spk_layout_serialize (layout));
  g_autofree char *printed = g_variant_print (positions, FALSE);

  return g_strconcat (model, "\n", printed, NULL);
}

typedef struct
{
  SpkNetwork   *network;
  SpkLayout    *layout;
  SpkUndoStack *stack;
  SpkNode      *node;
  SpkEnsemble  *ensemble;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->network = spk_network_new ();
  f->layout = spk_layout_new ();
  f->node = spk_node_new ();
  spk_object_set_label (SPK_OBJECT (f->node), "stim");
  spk_node_set_output_expr (f->node, "sin(2*pi*t)");
  g_assert_true (spk_network_add (f->network, SPK_OBJECT (f->node), NULL));
  f->ensemble = spk_ensemble_new ();
  spk_object_set_label (SPK_OBJECT (f->ensemble), "a");
  g_assert_true (spk_network_add (f->network, SPK_OBJECT (f->ensemble), NULL));
  spk_layout_set_position (f->layout, SPK_OBJECT (f->node), 0, 0);
  spk_layout_set_position (f->layout, SPK_OBJECT (f->ensemble), 200, 0);
  f->stack = spk_undo_stack_new (f->network, f->layout);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_unref (f->node);
  g_object_unref (f->ensemble);
  g_assert_finalize_object (f->stack);
  g_assert_finalize_object (f->network);
  g_assert_finalize_object (f->layout);
}

static void
test_property (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *before = state_of (f->network, f->layout);
  g_autofree char *after = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;

  g_assert_false (spk_undo_stack_get_can_undo (f->stack));
  spk_ensemble_set_n_neurons (f->ensemble, 321);
  g_assert_true (spk_undo_stack_get_can_undo (f->stack));
  spk_undo_stack_close_group (f->stack);
  after = state_of (f->network, f->layout);

  g_assert_true (spk_undo_stack_undo (f->stack));
  g_assert_cmpint (spk_ensemble_get_n_neurons (f->ensemble), !=, 321);
  undone = state_of (f->network, f->layout);
  g_assert_cmpstr (undone, ==, before);
  g_assert_true (spk_undo_stack_get_can_redo (f->stack));
  g_assert_false (spk_undo_stack_get_can_undo (f->stack));

  g_assert_true (spk_undo_stack_redo (f->stack));
  redone = state_of (f->network, f->layout);
  g_assert_cmpstr (redone, ==, after);
  g_assert_false (spk_undo_stack_redo (f->stack));
}

/* Edits of one main-loop iteration are one step. */
static void
test_group (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *before = state_of (f->network, f->layout);
  g_autofree char *undone = NULL;

  spk_ensemble_set_n_neurons (f->ensemble, 7);
  spk_ensemble_set_radius (f->ensemble, 2.0);
  spk_layout_set_position (f->layout, SPK_OBJECT (f->node), 50, 60);
  ut_drain ();
  spk_undo_stack_undo (f->stack);
  undone = state_of (f->network, f->layout);
  g_assert_cmpstr (undone, ==, before);
  g_assert_false (spk_undo_stack_get_can_undo (f->stack));
}

/* A drag sends many positions; they undo as one move. */
static void
test_merge_drag (Fixture       *f,
                 gconstpointer  data)
{
  double x, y;

  for (int i = 1; i <= 10; i++)
    {
      spk_layout_set_position (f->layout, SPK_OBJECT (f->node), i * 10, i * 5);
      ut_drain ();
    }
  spk_undo_stack_undo (f->stack);
  g_assert_true (spk_layout_get_position (f->layout, SPK_OBJECT (f->node), &x, &y));
  g_assert_cmpfloat (x, ==, 0);
  g_assert_cmpfloat (y, ==, 0);
  g_assert_false (spk_undo_stack_get_can_undo (f->stack));
}

/* Deleting an object takes its connections and probes; undo brings them
 * all back, in the same order, at the same places. */
static void
test_delete_restores (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (SpkProbe) probe = spk_probe_new ();
  g_autoptr (SpkEnsemble) other = spk_ensemble_new ();
  g_autofree char *before = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;

  spk_connection_set_pre (conn, SPK_OBJECT (f->node));
  spk_connection_set_post (conn, SPK_OBJECT (f->ensemble));
  g_assert_true (spk_network_add (f->network, SPK_OBJECT (conn), NULL));
  spk_object_set_label (SPK_OBJECT (other), "after");
  g_assert_true (spk_network_add (f->network, SPK_OBJECT (other), NULL));
  spk_layout_set_position (f->layout, SPK_OBJECT (other), 400, 100);
  spk_object_set_label (SPK_OBJECT (probe), "p");
  spk_probe_set_target (probe, SPK_OBJECT (f->ensemble));
  g_assert_true (spk_network_add (f->network, SPK_OBJECT (probe), NULL));
  spk_layout_set_position (f->layout, SPK_OBJECT (probe), 200, 200);
  spk_undo_stack_close_group (f->stack);
  before = state_of (f->network, f->layout);

  spk_network_remove (f->network, SPK_OBJECT (f->ensemble));
  spk_layout_remove (f->layout, SPK_OBJECT (f->ensemble));
  spk_layout_remove (f->layout, SPK_OBJECT (probe));
  spk_undo_stack_close_group (f->stack);
  g_assert_cmpuint (spk_network_get_objects (f->network)->len, ==, 2);
  deleted = state_of (f->network, f->layout);

  spk_undo_stack_undo (f->stack);
  undone = state_of (f->network, f->layout);
  g_assert_cmpstr (undone, ==, before);
  g_assert_true (spk_connection_get_post (conn) == SPK_OBJECT (f->ensemble));

  spk_undo_stack_redo (f->stack);
  redone = state_of (f->network, f->layout);
  g_assert_cmpstr (redone, ==, deleted);
}

static void
test_modified (Fixture       *f,
               gconstpointer  data)
{
  g_assert_false (spk_undo_stack_get_modified (f->stack));
  spk_node_set_output_expr (f->node, "cos(t)");
  g_assert_true (spk_undo_stack_get_modified (f->stack));
  spk_undo_stack_mark_saved (f->stack);
  g_assert_false (spk_undo_stack_get_modified (f->stack));
  spk_undo_stack_undo (f->stack);
  g_assert_true (spk_undo_stack_get_modified (f->stack));
  spk_undo_stack_redo (f->stack);
  g_assert_false (spk_undo_stack_get_modified (f->stack));

  /* A new edit after an undo loses the saved state for good. */
  spk_undo_stack_undo (f->stack);
  spk_ensemble_set_radius (f->ensemble, 3.0);
  spk_undo_stack_close_group (f->stack);
  g_assert_true (spk_undo_stack_get_modified (f->stack));
  spk_undo_stack_undo (f->stack);
  g_assert_true (spk_undo_stack_get_modified (f->stack));
}

/* A scripted session in the window: adding through its actions, editing,
 * connecting, moving and deleting through the canvas; undoing every step
 * walks back through each earlier state exactly, and redoing forward. */
static void
test_window_sequence (void)
{
  SpkWindow *window = spk_window_new (NULL);
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkUndoStack *stack;
  SpkNetwork *network;
  g_autoptr (GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  SpkObject *node, *ensemble, *probe;
  SpkConnection *conn;
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_window_open_example (window, "communication-channel", NULL));
  stack = spk_window_get_undo_stack (window);
  network = spk_window_get_network (window);
  gtk_window_present (GTK_WINDOW (window));
  ut_drain ();
  spk_undo_stack_close_group (stack);

#define STEP(code) \
  G_STMT_START { \
    g_ptr_array_add (states, state_of (network, spk_graph_view_get_layout (view))); \
    spk_undo_stack_begin_group (stack); \
    code; \
    spk_undo_stack_end_group (stack); \
  } G_STMT_END

  STEP (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-object", "s", "SpkNode"));
  node = spk_graph_view_get_active_object (view);
  g_assert_true (SPK_IS_NODE (node));
  STEP (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-object", "s", "SpkEnsemble"));
  ensemble = spk_graph_view_get_active_object (view);
  g_assert_true (SPK_IS_ENSEMBLE (ensemble));
  STEP (spk_node_set_output_expr (SPK_NODE (node), "0.5*sin(4*t)"));
  STEP (spk_ensemble_set_n_neurons (SPK_ENSEMBLE (ensemble), 42); spk_ensemble_set_radius (SPK_ENSEMBLE (ensemble), 1.5));
  STEP (conn = spk_graph_view_connect (view, node, FALSE, ensemble, FALSE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (conn);
  STEP (spk_connection_set_function (conn, "x**2"));
  STEP (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-object", "s", "SpkProbe"));
  probe = spk_graph_view_get_active_object (view);
  g_assert_true (SPK_IS_PROBE (probe));
  /* The canvas aims a new probe at the selected object; point it elsewhere. */
  g_assert_true (spk_probe_get_target (SPK_PROBE (probe)) == ensemble);
  STEP (spk_probe_set_target (SPK_PROBE (probe), node));
  STEP (spk_layout_set_position (spk_graph_view_get_layout (view), node, -300, 120));
  STEP (spk_graph_view_select (view, ensemble, FALSE); spk_graph_view_delete_selection (view));
  g_assert_null (spk_network_lookup (network, spk_object_get_label (ensemble)));
  g_ptr_array_add (states, state_of (network, spk_graph_view_get_layout (view)));
#undef STEP

  for (guint i = states->len - 1; i-- > 0;)
    {
      g_autofree char *now = NULL;

      gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
      now = state_of (network, spk_graph_view_get_layout (view));
      g_test_message ("undo to step %u", i);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i));
    }
  g_assert_false (spk_undo_stack_get_can_undo (stack));
  for (guint i = 1; i < states->len; i++)
    {
      g_autofree char *now = NULL;

      gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
      now = state_of (network, spk_graph_view_get_layout (view));
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i));
    }
  g_assert_false (spk_undo_stack_get_can_redo (stack));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* Xvfb has no session bus for the accessibility bus to live on. */
  ut_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/spk/ui/undo/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("property", test_property);
  ADD ("group", test_group);
  ADD ("merge-drag", test_merge_drag);
  ADD ("delete-restores", test_delete_restores);
  ADD ("modified", test_modified);
#undef ADD
  g_test_add_func ("/spk/ui/undo/window-sequence", test_window_sequence);
  return g_test_run ();
}
