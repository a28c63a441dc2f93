/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-grid-private.h — what the files of SpkPlotGrid share: its
 * struct, the slot of a plot, and their functions. */
#pragma once

#include "ui/plots/spk-plot-grid.h"

G_BEGIN_DECLS

#define N_COLUMNS 3
/* Spikes read from a sparse probe in one go (the reads repeat until the
 * ring is empty), and samples of it read at once by a plot that wants
 * them dense. */
#define SPARSE_READ_ENTRIES (1u << 16)
#define DENSE_READ_SAMPLES  1024u

typedef struct
{
  SpkPlotView *view;
  GtkWidget   *card;
  GtkWidget   *title;
  guint        id;
  int          probe;     /* index in the runner's plan, or -1 */
} Slot;

struct _SpkPlotGrid
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkWidget     *stack;
  GtkWidget     *grid;
  GtkWidget     *scrolled;
  guint          fit_columns;   /* how many cards the width holds side by side */
  guint          relayout_id;
  GtkWidget     *scrollbar;
  GtkAdjustment *adjustment;
  GtkWidget     *window_spin;

  GPtrArray     *slots;
  guint          next_id;
  double         window;
  double         scale;         /* every plot's (presentation mode) */
  double         end_time;
  double         last_time;
  gboolean       following;
  gboolean       updating_adjustment;

  SpkRunner     *runner;
  SpkPlan       *plan;
  guint          tick_id;
  double        *scratch;
  double        *scratch_times;
  gsize          scratch_size;
  /* For reading spike probes sparse: per sample, then per spike. */
  guint32       *sparse_counts;
  double        *sparse_times;
  gsize          sparse_samples;
  guint32       *sparse_index;
  double        *sparse_values;
  gsize          sparse_entries;
  guint64        n_frames;
  guint          freeze_count;
  gboolean       changed_while_frozen;
};

Slot *_spk_plot_grid_find_slot (SpkPlotGrid *self,
                                SpkPlotView *view,
                                guint       *index);
char *_spk_plot_grid_default_title (SpkPlotView *view);
void _spk_plot_grid_sync_adjustment (SpkPlotGrid *self);
void _spk_plot_grid_set_end_time (SpkPlotGrid *self,
                                  double       end_time);
GtkWidget *_spk_plot_grid_make_card (SpkPlotGrid *self,
                                     Slot        *slot);

G_END_DECLS
