/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-wrap-layout.c — SpkWrapLayout: children in rows that wrap.
 *
 * Each child gets its natural width (at most the widget's, at least its
 * minimum); a row takes children while they fit, the first child of a row
 * always.  The row's spare width goes to its first child that expands
 * horizontally, and every child of a row gets the row's height (its own
 * valign places it inside). */
#include "ui/run/spk-wrap-layout.h"

struct _SpkWrapLayout
{
  GtkLayoutManager parent_instance;

  int              spacing;
  int              row_spacing;
};

G_DEFINE_FINAL_TYPE (SpkWrapLayout, spk_wrap_layout, GTK_TYPE_LAYOUT_MANAGER)

static int
child_width (GtkWidget *child,
             int        available)
{
  int minimum, natural;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return MAX (minimum, MIN (natural, available));
}

static GtkWidget *
next_shown (GtkWidget *child)
{
  while (child != NULL && !gtk_widget_should_layout (child))
    child = gtk_widget_get_next_sibling (child);
  return child;
}

/* Lays widget's children out in rows of at most width and, when allocate
 * is set, allocates them.  Returns the height of the rows. */
static int
lay_out (SpkWrapLayout *self,
         GtkWidget     *widget,
         int            width,
         gboolean       allocate)
{
  GtkWidget *start = next_shown (gtk_widget_get_first_child (widget));
  int y = 0;

  while (start != NULL)
    {
      GtkWidget *end;
      int used = 0, height = 0, n = 0;

      for (end = start; end != NULL; end = next_shown (gtk_widget_get_next_sibling (end)))
        {
          int w = child_width (end, width), h;

          if (n > 0 && used + self->spacing + w > width)
            break;
          used += (n++ > 0 ? self->spacing : 0) + w;
          gtk_widget_measure (end, GTK_ORIENTATION_VERTICAL, w, &h, NULL, NULL, NULL);
          height = MAX (height, h);
        }
      if (allocate)
        {
          int extra = MAX (width - used, 0), x = 0;

          for (GtkWidget *child = start; child != end; child = next_shown (gtk_widget_get_next_sibling (child)))
            {
              int w = child_width (child, width);

              if (extra > 0 && gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
                {
                  w += extra;
                  extra = 0;
                }
              gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, height }, -1);
              x += w + self->spacing;
            }
        }
      y += height + (end != NULL ? self->row_spacing : 0);
      start = end;
    }
  return y;
}

static GtkSizeRequestMode
spk_wrap_layout_get_request_mode (GtkLayoutManager *manager,
                                  GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
spk_wrap_layout_measure (GtkLayoutManager *manager,
                         GtkWidget        *widget,
                         GtkOrientation    orientation,
                         int               for_size,
                         int              *minimum,
                         int              *natural,
                         int              *minimum_baseline,
                         int              *natural_baseline)
{
  SpkWrapLayout *self = SPK_WRAP_LAYOUT (manager);
  int widest = 0, row = 0;

  for (GtkWidget *child = next_shown (gtk_widget_get_first_child (widget)); child != NULL;
       child = next_shown (gtk_widget_get_next_sibling (child)))
    {
      int child_min, child_nat;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, &child_nat, NULL, NULL);
      widest = MAX (widest, child_min);
      row += (row > 0 ? self->spacing : 0) + child_nat;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = widest;
      *natural = MAX (row, widest);
    }
  else
    *minimum = *natural = lay_out (self, widget, for_size >= 0 ? MAX (for_size, widest) : MAX (row, widest), FALSE);
}

static void
spk_wrap_layout_allocate (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          int               width,
                          int               height,
                          int               baseline)
{
  lay_out (SPK_WRAP_LAYOUT (manager), widget, width, TRUE);
}

static void
spk_wrap_layout_class_init (SpkWrapLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->get_request_mode = spk_wrap_layout_get_request_mode;
  layout_class->measure = spk_wrap_layout_measure;
  layout_class->allocate = spk_wrap_layout_allocate;
}

static void
spk_wrap_layout_init (SpkWrapLayout *self)
{
}

/**
 * spk_wrap_layout_new:
 * @spacing: pixels between the children of a row
 * @row_spacing: pixels between rows
 *
 * Returns: (transfer full): a layout manager for a widget whose children
 * wrap onto rows.
 */
GtkLayoutManager *
spk_wrap_layout_new (int spacing,
                     int row_spacing)
{
  SpkWrapLayout *self = g_object_new (SPK_TYPE_WRAP_LAYOUT, NULL);

  self->spacing = MAX (spacing, 0);
  self->row_spacing = MAX (row_spacing, 0);
  return GTK_LAYOUT_MANAGER (self);
}
