/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-grid-runner.c — feeding the plots from a
 * runner: a hidden probe per plot (a tap for a connection's output), and
 * on every frame the probes drained into their plots. */
#define G_LOG_DOMAIN "spk-plot-grid"

#include "spk-plot-grid-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "model/spk-network.h"

/* {{{ Runner */

/* The object a plot's target names: a label, or the key of an unlabelled
 * object (spk_network_dup_keys()). */
static SpkObject *
lookup_target (SpkNetwork *network,
               const char *key)
{
  return spk_network_lookup_key (network, key);
}

/* A connection's output as it reaches its post (transform, function and
 * synapse applied) is recorded through a copy of the connection into a
 * hidden pass-through Node of the same width: its decoders are solved
 * from the same ensemble, function and solver, so they are the same.
 * Returns the Node to probe, or NULL when the width is not known. */
static SpkObject *
add_connection_tap (SpkNetwork    *network,
                    SpkConnection *connection,
                    const char    *label)
{
  /* The tap computes what the connection delivers; it learns nothing
   * itself (no error reaches it, and Voja needs the ensemble as post). */
  static const char *const own[] = { "label", "post", "post-neurons", "post-slice", "learning-rule-type" };
  SpkObject *post = spk_connection_get_post (connection);
  g_autoptr (SpkNode) node = NULL;
  g_autoptr (GObject) copy = NULL;
  g_autofree GParamSpec **specs = NULL;
  g_autofree guint *index = NULL;
  g_autofree char *node_label = g_strdup_printf ("%s_node", label);
  g_autofree char *copy_label = g_strdup_printf ("%s_connection", label);
  guint n_specs, post_size, width;

  if (SPK_IS_ENSEMBLE (post))
    post_size = MAX (spk_ensemble_get_dimensions (SPK_ENSEMBLE (post)), 0);
  else if (SPK_IS_NODE (post))
    post_size = spk_node_get_size_in (SPK_NODE (post));
  else
    return NULL;
  index = spk_slice_resolve (spk_connection_get_post_slice (connection), post_size, &width, NULL);
  if (index == NULL || width == 0)
    return NULL;

  node = spk_node_new ();
  spk_object_set_label (SPK_OBJECT (node), node_label);
  spk_node_set_size_in (node, width);
  spk_network_add (network, SPK_OBJECT (node), NULL);
  copy = g_object_new (G_OBJECT_TYPE (connection), NULL);
  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (connection), &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;
      gboolean skip = (specs[i]->flags & (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY)) != G_PARAM_READWRITE;

      for (guint k = 0; k < G_N_ELEMENTS (own) && !skip; k++)
        skip = g_str_equal (specs[i]->name, own[k]);
      if (skip)
        continue;
      g_value_init (&value, specs[i]->value_type);
      g_object_get_property (G_OBJECT (connection), specs[i]->name, &value);
      g_object_set_property (copy, specs[i]->name, &value);
    }
  spk_object_set_label (SPK_OBJECT (copy), copy_label);
  spk_connection_set_post (SPK_CONNECTION (copy), SPK_OBJECT (node));
  spk_network_add (network, SPK_OBJECT (copy), NULL);
  return SPK_OBJECT (node);
}

/* The synapse a plot of target's values shows them through: that of the
 * model's own filtered probe of them, as its author chose (the classifier's
 * ten scores through output_filtered's 20 ms), else for a decoded value
 * Nengo GUI's 10 ms, else none. */
static SpkSynapse *
value_synapse (SpkNetwork *network,
               SpkObject  *target,
               const char *attr)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      SpkSynapse *synapse;

      if (SPK_IS_PROBE (object) && spk_probe_get_target (SPK_PROBE (object)) == target
          && !spk_probe_get_target_neurons (SPK_PROBE (object))
          && (label == NULL || !g_str_has_prefix (label, "__plot"))
          && (attr == NULL || spk_probe_get_attr (SPK_PROBE (object)) == NULL
              || g_str_equal (attr, spk_probe_get_attr (SPK_PROBE (object))))
          && (synapse = spk_probe_get_synapse (SPK_PROBE (object))) != NULL)
        return spk_synapse_ref (synapse);
    }
  return SPK_IS_ENSEMBLE (target) ? spk_synapse_new_lowpass (0.01) : NULL;
}

void
spk_plot_grid_add_probes (SpkPlotGrid *self,
                          SpkNetwork  *network)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));
  g_return_if_fail (SPK_IS_NETWORK (network));

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      SpkObject *target = lookup_target (network, spk_plot_view_get_target (slot->view));
      SpkPlotKind kind = spk_plot_view_get_kind (slot->view);
      g_autoptr (SpkProbe) probe = NULL;
      g_autofree char *label = NULL;
      const char *attr;
      gboolean neurons;

      if (target == NULL || !spk_plot_kind_applies (kind, target)
          || !spk_plot_view_get_probe_spec (slot->view, &attr, &neurons))
        continue;
      /* An image of a square ensemble shows its neurons' activity. */
      if (kind == SPK_PLOT_IMAGE && SPK_IS_ENSEMBLE (target))
        {
          int n = spk_ensemble_get_n_neurons (SPK_ENSEMBLE (target));
          int side = (int) round (sqrt (n));

          neurons = side * side == n;
        }
      label = g_strdup_printf ("__plot%u", slot->id);
      if (SPK_IS_CONNECTION (target)
          && (target = add_connection_tap (network, SPK_CONNECTION (target), label)) == NULL)
        continue;
      probe = spk_probe_new ();
      spk_object_set_label (SPK_OBJECT (probe), label);
      spk_probe_set_target (probe, target);
      spk_probe_set_target_neurons (probe, neurons);
      spk_probe_set_attr (probe, attr);
      if (!neurons)
        {
          g_autoptr (SpkSynapse) synapse = value_synapse (network, target, attr);

          if (synapse != NULL)
            spk_probe_set_synapse (probe, synapse);
        }
      spk_network_add (network, SPK_OBJECT (probe), NULL);
    }
}

void
spk_plot_grid_plan_changed (SpkPlotGrid *self)
{
  SpkPlan *plan;
  gsize need = 0, need_samples = 0, need_entries = 0;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  plan = self->runner ? spk_runner_get_plan (self->runner) : NULL;
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      g_autofree char *label = g_strdup_printf ("__plot%u", slot->id);

      slot->probe = plan ? spk_plan_find_probe (plan, label) : -1;
      if (slot->probe >= 0)
        {
          gsize capacity = spk_runner_get_probe_capacity (self->runner, slot->probe);
          gsize width = spk_runner_get_probe_width (self->runner, slot->probe);

          if (spk_runner_probe_is_sparse (self->runner, slot->probe))
            {
              need_samples = MAX (need_samples, capacity);
              need_entries = MAX (need_entries, MAX (width, SPARSE_READ_ENTRIES));
              /* Read dense (by a plot other than a raster) in parts. */
              capacity = MIN (capacity, DENSE_READ_SAMPLES);
            }
          need = MAX (need, capacity * width);
        }
      if (plan != NULL)
        spk_plot_view_set_plan (slot->view, plan);
    }
  if (plan != NULL)
    {
      g_clear_pointer (&self->plan, spk_plan_unref);
      self->plan = spk_plan_ref (plan);
    }
  if (need > self->scratch_size)
    {
      g_free (self->scratch);
      g_free (self->scratch_times);
      self->scratch = g_new (double, need);
      /* Every probe's capacity is at most need samples. */
      self->scratch_times = g_new (double, need);
      self->scratch_size = need;
    }
  if (need_samples > self->sparse_samples)
    {
      g_free (self->sparse_counts);
      g_free (self->sparse_times);
      self->sparse_counts = g_new (guint32, need_samples);
      self->sparse_times = g_new (double, need_samples);
      self->sparse_samples = need_samples;
    }
  if (need_entries > self->sparse_entries)
    {
      g_free (self->sparse_index);
      g_free (self->sparse_values);
      self->sparse_index = g_new (guint32, need_entries);
      self->sparse_values = g_new (double, need_entries);
      self->sparse_entries = need_entries;
    }
}

/* Moves what the probe's ring holds into the plot, reading at most a
 * ring's worth, so a simulation that outruns the screen cannot keep the
 * main thread here.  Returns the newest sample's time, or -INFINITY. */
static double
drain_slot (SpkPlotGrid *self,
            Slot        *slot)
{
  guint width = spk_runner_get_probe_width (self->runner, slot->probe);
  guint capacity = spk_runner_get_probe_capacity (self->runner, slot->probe);
  double newest = -INFINITY;
  guint total = 0, n;

  if (spk_runner_probe_is_sparse (self->runner, slot->probe)
      && spk_plot_view_get_kind (slot->view) == SPK_PLOT_SPIKES)
    {
      /* A raster keeps only the spikes: read them as such. */
      do
        {
          guint32 entries = 0;

          n = spk_runner_read_probe_sparse (self->runner, slot->probe, self->sparse_counts,
                                            self->sparse_index, self->sparse_values,
                                            self->sparse_entries, self->sparse_times,
                                            capacity - total, NULL);
          if (n == 0)
            break;
          for (guint i = 0; i < n; i++)
            entries += self->sparse_counts[i];
          spk_plot_view_append_sparse (slot->view, self->sparse_times, self->sparse_counts,
                                       self->sparse_index, self->sparse_values, n, width);
          newest = self->sparse_times[n - 1];
          total += n;
          /* Fewer samples than asked for and room left: the ring is empty. */
          if (entries + width <= self->sparse_entries)
            break;
        }
      while (total < capacity);
      return newest;
    }
  do
    {
      guint room = (guint) MIN ((gsize) (capacity - total), self->scratch_size / MAX (width, 1));

      n = spk_runner_read_probe (self->runner, slot->probe, self->scratch, self->scratch_times,
                                 room, NULL);
      if (n == 0)
        break;
      spk_plot_view_append (slot->view, self->scratch_times, self->scratch, n, width);
      newest = self->scratch_times[n - 1];
      total += n;
      if (n < room)
        break;
    }
  while (total < capacity);
  return newest;
}

void
spk_plot_grid_drain (SpkPlotGrid *self)
{
  double newest = self->last_time;

  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  if (self->runner == NULL)
    return;
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      /* Drained once: MAX () would evaluate it twice, and the second
       * read, of an emptied ring, said -infinity. */
      if (slot->probe >= 0)
        {
          double slot_newest = drain_slot (self, slot);

          newest = MAX (newest, slot_newest);
        }
    }
  if (newest != self->last_time)
    {
      self->last_time = newest;
      if (self->following)
        _spk_plot_grid_set_end_time (self, newest);
      else
        {
          /* Scrolled back: the plots stay put, the scrollbar grows. */
          for (guint i = 0; i < self->slots->len; i++)
            spk_plot_view_set_end_time (((Slot *) g_ptr_array_index (self->slots, i))->view, self->end_time);
          _spk_plot_grid_sync_adjustment (self);
        }
    }
}

static gboolean
drain_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  SpkPlotGrid *self = SPK_PLOT_GRID (widget);

  spk_plot_grid_drain (self);
  self->n_frames++;
  return G_SOURCE_CONTINUE;
}

void
spk_plot_grid_set_runner (SpkPlotGrid *self,
                          SpkRunner   *runner)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  if (self->runner == runner)
    return;
  g_clear_pointer (&self->runner, spk_runner_unref);
  if (runner != NULL)
    self->runner = spk_runner_ref (runner);
  if (self->runner != NULL && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), drain_tick_cb, NULL, NULL);
  else if (self->runner == NULL && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  spk_plot_grid_clear (self);
  spk_plot_grid_plan_changed (self);
}

void
spk_plot_grid_set_plan (SpkPlotGrid *self,
                        SpkPlan     *plan)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  if (plan == NULL || plan == self->plan)
    return;
  g_clear_pointer (&self->plan, spk_plan_unref);
  self->plan = spk_plan_ref (plan);
  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_set_plan (((Slot *) g_ptr_array_index (self->slots, i))->view, plan);
}

void
spk_plot_grid_clear (SpkPlotGrid *self)
{
  g_return_if_fail (SPK_IS_PLOT_GRID (self));

  for (guint i = 0; i < self->slots->len; i++)
    spk_plot_view_clear (((Slot *) g_ptr_array_index (self->slots, i))->view);
  self->last_time = 0;
  self->following = TRUE;
  _spk_plot_grid_set_end_time (self, 0);
}

guint64
spk_plot_grid_get_n_frames (SpkPlotGrid *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_GRID (self), 0);
  return self->n_frames;
}

/* }}} */
