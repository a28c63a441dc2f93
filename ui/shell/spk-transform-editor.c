/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-transform-editor.c — SpkTransformEditor: the values of a
 * connection's Sparse or convolution transform in a table.
 *
 * A kernel of kernel_size × input channels × filters values (a 3 × 3 ×
 * 32 × 32 one holds 9,216) is shown one channel pair at a time: the
 * kernel's rows and columns for one input channel and one filter, browsed
 * with two spin buttons or the previous/next buttons.  A Sparse
 * transform's entries are a table of (row, column, value), with entries
 * added and removed.  Both tables are GtkColumnViews over a model of row
 * numbers, so only the rows on screen have widgets.
 *
 * A value is typed and committed with Enter (or by leaving its cell);
 * text that is not a finite number is refused with a message and the
 * model keeps its value.  Each change sets the connection's transform
 * once, inside one sealed undo step.  Values drawn from a distribution
 * when the model is built (Nengo's default kernel, Uniform(-1, 1)) are not
 * numbers yet: "Draw Values to Edit" replaces the distribution with one
 * draw of it.  The window follows the connection's transform ("notify"),
 * so undo and the inspector's edits show here.  Main thread only.
 */
#define G_LOG_DOMAIN "spk-transform-editor"

#include "ui/shell/spk-transform-editor.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "core/spk-format.h"
#include "model/spk-transform.h"
#include "spk-inspector-private.h"

/* What a column of the table shows; a kernel's value columns are its
 * column numbers (0 and up). */
enum
{
  COLUMN_KERNEL_ROW = -1,
  COLUMN_SPARSE_ROW = -2,
  COLUMN_SPARSE_COL = -3,
  COLUMN_SPARSE_VALUE = -4,
  COLUMN_SPARSE_REMOVE = -5,
};

struct _SpkTransformEditor
{
  AdwWindow        parent_instance;

  SpkConnection   *connection;
  SpkUndoStack    *undo;
  SpkDistribution *transform;   /* the connection's, as last seen */
  gboolean         has_values;  /* numbers, not drawn at build */
  GArray          *values;      /* doubles, spk_transform_n_values of them */
  GArray          *pairs;       /* Sparse: (row, column) doubles per entry */
  guint            channel, filter;   /* the kernel's channel pair shown */
  guint            n_channels, n_filters, k_rows, k_cols;
  int              layout;      /* the transform kind the columns are for, or -1 */
  gboolean         own_edit;    /* a value set from a cell: the cell shows it already */
  gboolean         loading;     /* the spin buttons follow the transform */
  char            *message_text;

  GtkWidget       *window_title;
  GtkWidget       *undo_buttons;
  GtkWidget       *about;
  GtkWidget       *drawn_box;
  GtkWidget       *drawn_label;
  GtkWidget       *pair_box;
  GtkWidget       *channel_spin;
  GtkWidget       *filter_spin;
  GtkWidget       *pair_label;
  GtkWidget       *scrolled;
  GtkWidget       *table;
  GtkStringList   *rows;
  GtkWidget       *add_box;
  GtkWidget       *row_spin;
  GtkWidget       *col_spin;
  GtkWidget       *value_entry;
  GtkWidget       *message;
};

G_DEFINE_FINAL_TYPE (SpkTransformEditor, spk_transform_editor, ADW_TYPE_WINDOW)

/* {{{ Reading the transform */

static gboolean
is_sparse (SpkTransformEditor *self)
{
  return self->transform != NULL && self->transform->kind == SPK_DIST_SPARSE;
}

static guint
n_rows_wanted (SpkTransformEditor *self)
{
  if (self->transform == NULL)
    return 0;
  if (is_sparse (self))
    return self->pairs->len / 2;
  return self->has_values ? self->k_rows : 0;
}

/* The flat index of a kernel's value at (row, column) of the pair shown,
 * in Nengo's order: kernel position, input channel, filter. */
static gsize
kernel_index (SpkTransformEditor *self,
              guint               row,
              guint               col)
{
  return (((gsize) row * self->k_cols + col) * self->n_channels + self->channel) * self->n_filters + self->filter;
}

static void
show_message (SpkTransformEditor *self,
              const char         *text)
{
  g_free (self->message_text);
  self->message_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->message), text ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

static void
update_pair_label (SpkTransformEditor *self)
{
  g_autofree char *text = NULL;
  guint64 pair = (guint64) self->channel * self->n_filters + self->filter + 1;
  guint64 n_pairs = (guint64) self->n_channels * self->n_filters;

  text = g_strdup_printf (_("Pair %" PRIu64 " of %" PRIu64), pair, n_pairs);
  gtk_label_set_text (GTK_LABEL (self->pair_label), text);
}

/* The rows of the table again, for new values or another pair. */
static void
refresh_rows (SpkTransformEditor *self)
{
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint n = n_rows_wanted (self);
  g_autofree const char **items = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    items[i] = "";
  gtk_string_list_splice (self->rows, 0, old, items);
}

static char *
describe_kernel (SpkTransformEditor *self)
{
  const SpkDistribution *t = self->transform;
  GString *text = g_string_new (NULL);

  for (guint i = 0; i + 1 < t->n_dims; i++)
    g_string_append_printf (text, "%u × ", t->kernel_size[i]);
  g_string_append_printf (text, "%u × %u", self->n_channels, self->n_filters);
  return g_string_free (text, FALSE);
}

static void build_columns (SpkTransformEditor *self);

/* Reads the connection's transform into values and pairs, and shows
 * what it is. */
static void
load (SpkTransformEditor *self)
{
  SpkDistribution *t = spk_connection_get_transform (self->connection);
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  guint size_out, size_in;
  gsize n;

  g_clear_pointer (&self->transform, spk_distribution_unref);
  g_array_set_size (self->values, 0);
  g_array_set_size (self->pairs, 0);
  self->has_values = FALSE;
  if (t == NULL || !SPK_DIST_KIND_IS_TRANSFORM (t->kind))
    {
      gtk_label_set_text (GTK_LABEL (self->about),
                          _("The connection's transform is no longer Sparse or a convolution."));
      goto shown;
    }
  if (!spk_transform_check (t, &size_out, &size_in, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->about), error->message);
      goto shown;
    }
  self->transform = spk_distribution_ref (t);
  summary = _spk_inspector_summarize_distribution (t);
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), summary);
  n = spk_transform_n_values (t);
  self->has_values = spk_transform_has_values (t);
  if (self->has_values)
    {
      SpkRng unused;   /* numbers are copied, not drawn */

      spk_rng_init (&unused, 0);
      g_array_set_size (self->values, n);
      if (!spk_transform_weights (t, &unused, NULL, (double *) self->values->data, &error))
        {
          gtk_label_set_text (GTK_LABEL (self->about), error->message);
          g_clear_pointer (&self->transform, spk_distribution_unref);
          goto shown;
        }
    }
  if (t->kind == SPK_DIST_SPARSE)
    {
      g_autofree char *about = NULL;

      g_array_set_size (self->pairs, 2 * n);
      spk_transform_sparse_pairs (t, (double *) self->pairs->data);
      about = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "A %u × %u matrix with %zu entry; its other entries are 0.",
                                            "A %u × %u matrix with %zu entries; its other entries are 0.", n),
                               t->shape[0], t->shape[1], n);
      gtk_label_set_text (GTK_LABEL (self->about), about);
      gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->row_spin), 0, t->shape[0] - 1);
      gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->col_spin), 0, t->shape[1] - 1);
    }
  else
    {
      guint in_ch = t->channels_last ? t->input_shape[t->n_dims - 1] : t->input_shape[0];
      g_autofree char *shape = NULL;
      g_autofree char *about = NULL;

      self->n_channels = t->kind == SPK_DIST_CONVOLUTION ? in_ch / MAX (t->groups, 1) : in_ch;
      self->n_filters = t->n_filters;
      self->k_rows = t->kernel_size[0];
      self->k_cols = t->n_dims == 3 ? t->kernel_size[1] : 1;
      self->channel = MIN (self->channel, self->n_channels - 1);
      self->filter = MIN (self->filter, self->n_filters - 1);
      shape = describe_kernel (self);
      about = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Kernel %s (kernel size × input channels × filters): %zu value, "
                                            "shown for one input channel and one filter at a time.",
                                            "Kernel %s (kernel size × input channels × filters): %zu values, "
                                            "shown for one input channel and one filter at a time.", n),
                               shape, n);
      gtk_label_set_text (GTK_LABEL (self->about), about);
      self->loading = TRUE;
      gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->channel_spin), 0, self->n_channels - 1);
      gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->filter_spin), 0, self->n_filters - 1);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->channel_spin), self->channel);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->filter_spin), self->filter);
      self->loading = FALSE;
      update_pair_label (self);
    }
  if (!self->has_values)
    {
      g_autofree char *init = _spk_inspector_summarize_distribution (t->init);
      g_autofree char *text = g_strdup_printf (_("The values are drawn from %s when the model is built. "
                                                 "Draw them now to see and edit them."), init);

      gtk_label_set_text (GTK_LABEL (self->drawn_label), text);
    }

shown:
  gtk_widget_set_visible (self->drawn_box, self->transform != NULL && !self->has_values);
  gtk_widget_set_visible (self->pair_box, self->transform != NULL && !is_sparse (self));
  gtk_widget_set_visible (self->add_box, is_sparse (self) && self->has_values);
  gtk_widget_set_visible (self->scrolled, self->transform != NULL && (self->has_values || is_sparse (self)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.set", self->has_values);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.add", is_sparse (self) && self->has_values);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.remove", is_sparse (self) && self->has_values);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.draw", self->transform != NULL && !self->has_values);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.pair", self->transform != NULL && !is_sparse (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.next-pair", self->transform != NULL && !is_sparse (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.previous-pair",
                                 self->transform != NULL && !is_sparse (self));
  build_columns (self);
}

static void
transform_notify_cb (SpkConnection      *connection,
                     GParamSpec         *pspec,
                     SpkTransformEditor *self)
{
  load (self);
  /* A value typed into a cell is in the cell already: rebinding the rows
   * would take the keyboard's focus from it. */
  if (!self->own_edit)
    refresh_rows (self);
}

/* }}} */
/* {{{ Changing the transform */

/* Sets the connection's transform to t, one undo step; refuses a
 * transform its checks refuse. */
static gboolean
apply (SpkTransformEditor *self,
       SpkDistribution    *t,
       gboolean            from_cell)
{
  g_autoptr (GError) error = NULL;
  guint size_out, size_in;

  if (!spk_transform_check (t, &size_out, &size_in, &error))
    {
      show_message (self, error->message);
      return FALSE;
    }
  show_message (self, NULL);
  if (self->undo != NULL)
    spk_undo_stack_begin_group (self->undo);
  self->own_edit = from_cell;
  spk_connection_set_transform (self->connection, t);
  self->own_edit = FALSE;
  if (self->undo != NULL)
    spk_undo_stack_end_group (self->undo);
  return TRUE;
}

/* A finite number from text (surrounding spaces allowed), or a message. */
static gboolean
parse_value (const char  *text,
             double      *value,
             char       **message)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (*stripped == '\0')
    {
      *message = g_strdup (_("The value was not changed: type a number"));
      return FALSE;
    }
  *value = g_ascii_strtod (stripped, &end);
  if (end == stripped || *end != '\0')
    {
      *message = g_strdup_printf (_("The value was not changed: “%s” is not a number"), stripped);
      return FALSE;
    }
  if (!isfinite (*value))
    {
      *message = g_strdup_printf (_("The value was not changed: “%s” is not a finite number"), stripped);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_value_text (SpkTransformEditor *self,
                gsize               index,
                const char         *text,
                gboolean            from_cell)
{
  g_autofree char *message = NULL;
  g_autofree double *values = NULL;
  g_autoptr (SpkDistribution) t = NULL;
  double value, old;

  if (self->transform == NULL || !self->has_values || index >= self->values->len)
    return FALSE;
  if (!parse_value (text, &value, &message))
    {
      show_message (self, message);
      return FALSE;
    }
  old = g_array_index (self->values, double, index);
  if (value == old && signbit (value) == signbit (old))
    {
      show_message (self, NULL);
      return TRUE;
    }
  values = g_memdup2 (self->values->data, self->values->len * sizeof (double));
  values[index] = value;
  t = spk_transform_with_values (self->transform, values);
  return apply (self, t, from_cell);
}

static void
set_action_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (widget);
  guint index;
  const char *text;

  g_variant_get (parameter, "(u&s)", &index, &text);
  set_value_text (self, index, text, FALSE);
}

static void
draw_action_cb (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (widget);
  gint64 seed = spk_object_get_seed (SPK_OBJECT (self->connection));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkDistribution) t = NULL;
  g_autofree double *values = NULL;
  SpkRng rng;
  gsize n;

  if (self->transform == NULL || self->has_values)
    return;
  n = spk_transform_n_values (self->transform);
  values = g_try_new (double, MAX (n, 1));
  if (values == NULL)
    {
      show_message (self, _("There is not enough memory to hold the values"));
      return;
    }
  /* The connection's own seed when it has one, so that a draw can be
   * repeated. */
  spk_rng_init (&rng, seed >= 0 ? (guint64) seed : 0);
  if (!spk_transform_weights (self->transform, &rng, NULL, values, &error))
    {
      show_message (self, error->message);
      return;
    }
  t = spk_transform_with_values (self->transform, values);
  apply (self, t, FALSE);
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (widget);
  g_autofree char *message = NULL;
  g_autoptr (GArray) pairs = NULL;
  g_autoptr (GArray) values = NULL;
  g_autoptr (SpkDistribution) t = NULL;
  guint row, col;
  const char *text;
  double value, r, c;

  if (!is_sparse (self) || !self->has_values)
    return;
  g_variant_get (parameter, "(uu&s)", &row, &col, &text);
  if (row >= self->transform->shape[0] || col >= self->transform->shape[1])
    {
      message = g_strdup_printf (_("No entry was added: (%u, %u) is outside the %u × %u matrix"),
                                 row, col, self->transform->shape[0], self->transform->shape[1]);
      show_message (self, message);
      return;
    }
  if (!parse_value (text, &value, &message))
    {
      show_message (self, message);
      return;
    }
  pairs = g_array_copy (self->pairs);
  values = g_array_copy (self->values);
  r = row;
  c = col;
  g_array_append_val (pairs, r);
  g_array_append_val (pairs, c);
  g_array_append_val (values, value);
  t = spk_transform_with_entries (self->transform, (double *) pairs->data, (double *) values->data, values->len);
  if (apply (self, t, FALSE))
    gtk_editable_set_text (GTK_EDITABLE (self->value_entry), "");
}

static void
remove_action_cb (GtkWidget  *widget,
                  const char *action,
                  GVariant   *parameter)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr (GArray) pairs = NULL;
  g_autoptr (GArray) values = NULL;
  g_autoptr (SpkDistribution) t = NULL;

  if (!is_sparse (self) || !self->has_values || index >= self->values->len)
    return;
  if (self->values->len == 1)
    {
      show_message (self, _("The entry was not removed: a Sparse transform keeps at least one entry"));
      return;
    }
  pairs = g_array_copy (self->pairs);
  values = g_array_copy (self->values);
  g_array_remove_range (pairs, 2 * index, 2);
  g_array_remove_index (values, index);
  t = spk_transform_with_entries (self->transform, (double *) pairs->data, (double *) values->data, values->len);
  apply (self, t, FALSE);
}

static void
add_clicked_cb (GtkButton          *button,
                SpkTransformEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "values.add", "(uus)",
                              (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->row_spin)),
                              (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->col_spin)),
                              gtk_editable_get_text (GTK_EDITABLE (self->value_entry)));
}

/* Undo and redo here too: the window is modal, and the main window's
 * Edit menu out of reach while it is open. */
static void
undo_action_cb (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (widget);

  if (self->undo == NULL)
    return;
  if (g_str_equal (action, "values.undo"))
    spk_undo_stack_undo (self->undo);
  else
    spk_undo_stack_redo (self->undo);
}

static void
undo_state_cb (SpkUndoStack       *undo,
               GParamSpec         *pspec,
               SpkTransformEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.undo", spk_undo_stack_get_can_undo (undo));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.redo", spk_undo_stack_get_can_redo (undo));
}

/* }}} */
/* {{{ Channel pairs */

static void
set_pair (SpkTransformEditor *self,
          guint               channel,
          guint               filter)
{
  if (self->transform == NULL || is_sparse (self))
    return;
  channel = MIN (channel, self->n_channels - 1);
  filter = MIN (filter, self->n_filters - 1);
  if (channel == self->channel && filter == self->filter)
    return;
  self->channel = channel;
  self->filter = filter;
  self->loading = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->channel_spin), channel);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->filter_spin), filter);
  self->loading = FALSE;
  update_pair_label (self);
  refresh_rows (self);
}

static void
pair_spin_cb (GtkSpinButton      *spin,
              SpkTransformEditor *self)
{
  if (self->loading)
    return;
  set_pair (self, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->channel_spin)),
            gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->filter_spin)));
}

static void
pair_action_cb (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (widget);
  guint channel, filter;

  g_variant_get (parameter, "(uu)", &channel, &filter);
  set_pair (self, channel, filter);
}

/* The pairs in order: every filter of the first input channel, then of
 * the next; wrapping around at either end. */
static void
step_pair_action_cb (GtkWidget  *widget,
                     const char *action,
                     GVariant   *parameter)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (widget);
  guint64 n_pairs = (guint64) self->n_channels * self->n_filters;
  guint64 pair = (guint64) self->channel * self->n_filters + self->filter;

  if (self->transform == NULL || is_sparse (self) || n_pairs == 0)
    return;
  pair = g_str_equal (action, "values.next-pair") ? (pair + 1) % n_pairs : (pair + n_pairs - 1) % n_pairs;
  set_pair (self, (guint) (pair / self->n_filters), (guint) (pair % self->n_filters));
}

/* }}} */
/* {{{ The table's cells */

static int
column_of (GtkListItemFactory *factory)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "spk-column"));
}

static gsize
index_of_cell (SpkTransformEditor *self,
               int                 column,
               guint               row)
{
  return column == COLUMN_SPARSE_VALUE || column == COLUMN_SPARSE_REMOVE ? row : kernel_index (self, row, column);
}

static void
setup_label_cb (GtkListItemFactory *factory,
                GtkListItem        *item,
                SpkTransformEditor *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  if (column_of (factory) == COLUMN_KERNEL_ROW)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkListItemFactory *factory,
               GtkListItem        *item,
               SpkTransformEditor *self)
{
  guint row = gtk_list_item_get_position (item);
  int column = column_of (factory);
  g_autofree char *text = NULL;

  if (column == COLUMN_KERNEL_ROW)
    text = g_strdup_printf ("%u", row);
  else if (2 * row + 1 < self->pairs->len)
    text = g_strdup_printf ("%.0f", g_array_index (self->pairs, double, 2 * row + (column == COLUMN_SPARSE_COL)));
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text ? text : "");
}

/* A value as a cell shows it: six significant digits, which fit the
 * cell (its tooltip has every digit). */
static char *
value_text (SpkTransformEditor *self,
            gsize               index)
{
  if (index >= self->values->len)
    return g_strdup ("");
  return g_strdup_printf ("%.6g", g_array_index (self->values, double, index));
}

static char *
exact_text (SpkTransformEditor *self,
            gsize               index)
{
  char number[SPK_FORMAT_BUF_SIZE];

  if (index >= self->values->len)
    return NULL;
  return g_strdup (spk_format_double (number, g_array_index (self->values, double, index)));
}

/* Commits a cell's text: its value, or a refusal marked on the cell. */
static void
commit_cell (SpkTransformEditor *self,
             GtkWidget          *entry)
{
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (entry), "spk-index"));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *shown = NULL;

  if (index == 0 || self->connection == NULL)
    return;
  index--;
  shown = value_text (self, index);
  /* The text as shown, rounded: the value stays as it is. */
  if (g_strcmp0 (shown, text) == 0 || set_value_text (self, index, text, TRUE))
    {
      g_autofree char *exact = exact_text (self, index);

      g_free (shown);
      shown = value_text (self, index);
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, exact);
      if (g_strcmp0 (shown, text) != 0)
        gtk_editable_set_text (GTK_EDITABLE (entry), shown);
    }
  else
    gtk_widget_add_css_class (entry, "error");
}

static void
cell_activate_cb (GtkEntry           *entry,
                  SpkTransformEditor *self)
{
  commit_cell (self, GTK_WIDGET (entry));
}

/* Leaving a changed cell commits it, as Enter does. */
static void
cell_leave_cb (GtkEventControllerFocus *controller,
               SpkTransformEditor      *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (entry), "spk-index"));
  g_autofree char *shown = NULL;

  if (index == 0 || self->connection == NULL)
    return;
  shown = value_text (self, index - 1);
  if (g_strcmp0 (shown, gtk_editable_get_text (GTK_EDITABLE (entry))) != 0)
    commit_cell (self, entry);
}

static void
setup_entry_cb (GtkListItemFactory *factory,
                GtkListItem        *item,
                SpkTransformEditor *self)
{
  GtkWidget *entry = gtk_entry_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 9);
  gtk_entry_set_alignment (GTK_ENTRY (entry), 1.0);
  gtk_entry_set_has_frame (GTK_ENTRY (entry), FALSE);
  gtk_widget_add_css_class (entry, "numeric");
  g_signal_connect (entry, "activate", G_CALLBACK (cell_activate_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (cell_leave_cb), self);
  gtk_widget_add_controller (entry, focus);
  gtk_list_item_set_child (item, entry);
}

static void
bind_entry_cb (GtkListItemFactory *factory,
               GtkListItem        *item,
               SpkTransformEditor *self)
{
  GtkWidget *entry = gtk_list_item_get_child (item);
  guint row = gtk_list_item_get_position (item);
  int column = column_of (factory);
  gsize index = index_of_cell (self, column, row);
  g_autofree char *text = value_text (self, index);
  g_autofree char *exact = exact_text (self, index);
  g_autofree char *name = column == COLUMN_SPARSE_VALUE
                          ? g_strdup_printf (_("Value of entry %u"), row)
                          : g_strdup_printf (_("Kernel value at row %u, column %d"), row, column);

  /* Stored plus one: 0 is "not bound". */
  g_object_set_data (G_OBJECT (entry), "spk-index", GSIZE_TO_POINTER (index + 1));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_widget_set_tooltip_text (entry, exact);
  gtk_widget_remove_css_class (entry, "error");
  gtk_widget_set_sensitive (entry, self->has_values);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
unbind_entry_cb (GtkListItemFactory *factory,
                 GtkListItem        *item,
                 SpkTransformEditor *self)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "spk-index", NULL);
}

static void
remove_clicked_cb (GtkButton          *button,
                   SpkTransformEditor *self)
{
  gsize index = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "spk-index"));

  if (index > 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "values.remove", "u", (guint) (index - 1));
}

static void
setup_remove_cb (GtkListItemFactory *factory,
                 GtkListItem        *item,
                 SpkTransformEditor *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove this entry"));
  g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_list_item_set_child (item, button);
}

static void
bind_remove_cb (GtkListItemFactory *factory,
                GtkListItem        *item,
                SpkTransformEditor *self)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "spk-index",
                     GSIZE_TO_POINTER ((gsize) gtk_list_item_get_position (item) + 1));
  gtk_widget_set_sensitive (gtk_list_item_get_child (item), self->has_values);
}

static void
add_column (SpkTransformEditor *self,
            const char         *title,
            int                 column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "spk-column", GINT_TO_POINTER (column));
  if (column >= 0 || column == COLUMN_SPARSE_VALUE)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_entry_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_entry_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_entry_cb), self);
    }
  else if (column == COLUMN_SPARSE_REMOVE)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_remove_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_remove_cb), self);
    }
  else
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), self);
    }
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, column >= 0 || column == COLUMN_SPARSE_VALUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->table), view_column);
  g_object_unref (view_column);
}

/* The columns for the transform's kind and kernel width, made again
 * only when those change. */
static void
build_columns (SpkTransformEditor *self)
{
  int layout = self->transform == NULL ? -1
               : is_sparse (self) ? SPK_DIST_SPARSE
               : (int) (SPK_DIST_CONVOLUTION + 16 * self->k_cols);
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (self->table));

  if (layout == self->layout)
    return;
  self->layout = layout;
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (GTK_COLUMN_VIEW (self->table), column);
    }
  if (self->transform == NULL)
    return;
  if (is_sparse (self))
    {
      add_column (self, _("Row"), COLUMN_SPARSE_ROW);
      add_column (self, _("Column"), COLUMN_SPARSE_COL);
      add_column (self, _("Value"), COLUMN_SPARSE_VALUE);
      add_column (self, NULL, COLUMN_SPARSE_REMOVE);
      return;
    }
  add_column (self, self->k_cols > 1 ? _("Row") : _("Position"), COLUMN_KERNEL_ROW);
  for (guint j = 0; j < self->k_cols; j++)
    {
      g_autofree char *title = self->k_cols > 1 ? g_strdup_printf ("%u", j) : g_strdup (_("Value"));

      add_column (self, title, (int) j);
    }
}

/* }}} */
/* {{{ The window */

static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static void
spk_transform_editor_dispose (GObject *object)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (object);

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (self->undo != NULL)
    g_signal_handlers_disconnect_by_data (self->undo, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->undo);
  g_clear_pointer (&self->transform, spk_distribution_unref);
  G_OBJECT_CLASS (spk_transform_editor_parent_class)->dispose (object);
}

static void
spk_transform_editor_finalize (GObject *object)
{
  SpkTransformEditor *self = SPK_TRANSFORM_EDITOR (object);

  g_array_unref (self->values);
  g_array_unref (self->pairs);
  g_free (self->message_text);
  G_OBJECT_CLASS (spk_transform_editor_parent_class)->finalize (object);
}

static void
spk_transform_editor_class_init (SpkTransformEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = spk_transform_editor_dispose;
  object_class->finalize = spk_transform_editor_finalize;
  gtk_widget_class_install_action (widget_class, "values.set", "(us)", set_action_cb);
  gtk_widget_class_install_action (widget_class, "values.pair", "(uu)", pair_action_cb);
  gtk_widget_class_install_action (widget_class, "values.next-pair", NULL, step_pair_action_cb);
  gtk_widget_class_install_action (widget_class, "values.previous-pair", NULL, step_pair_action_cb);
  gtk_widget_class_install_action (widget_class, "values.add", "(uus)", add_action_cb);
  gtk_widget_class_install_action (widget_class, "values.remove", "u", remove_action_cb);
  gtk_widget_class_install_action (widget_class, "values.draw", NULL, draw_action_cb);
  gtk_widget_class_install_action (widget_class, "values.undo", NULL, undo_action_cb);
  gtk_widget_class_install_action (widget_class, "values.redo", NULL, undo_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "values.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "values.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "values.next-pair", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "values.previous-pair", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
spk_transform_editor_init (SpkTransformEditor *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *button, *hint;

  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->pairs = g_array_new (FALSE, FALSE, sizeof (double));
  self->layout = -2;

  gtk_window_set_default_size (GTK_WINDOW (self), 600, 620);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  self->window_title = adw_window_title_new (_("Transform Values"), NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), self->window_title);
  self->undo_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->undo_buttons, "linked");
  button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "values.undo");
  gtk_widget_set_tooltip_text (button, _("Undo (Ctrl+Z)"));
  gtk_box_append (GTK_BOX (self->undo_buttons), button);
  button = gtk_button_new_from_icon_name ("edit-redo-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "values.redo");
  gtk_widget_set_tooltip_text (button, _("Redo (Shift+Ctrl+Z)"));
  gtk_box_append (GTK_BOX (self->undo_buttons), button);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->undo_buttons);
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (toolbar), content);
  adw_window_set_content (ADW_WINDOW (self), toolbar);

  self->about = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->about), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->about), 0);
  gtk_box_append (GTK_BOX (content), self->about);
  hint = gtk_label_new (_("Type a value and press Enter: each change is one step to undo."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_box_append (GTK_BOX (content), hint);

  self->drawn_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->drawn_box, "card");
  self->drawn_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->drawn_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->drawn_label), 0);
  gtk_widget_set_margin_start (self->drawn_label, 12);
  gtk_widget_set_margin_end (self->drawn_label, 12);
  gtk_widget_set_margin_top (self->drawn_label, 12);
  gtk_box_append (GTK_BOX (self->drawn_box), self->drawn_label);
  button = gtk_button_new_with_mnemonic (_("_Draw Values to Edit"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "values.draw");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_start (button, 12);
  gtk_widget_set_margin_bottom (button, 12);
  gtk_box_append (GTK_BOX (self->drawn_box), button);
  gtk_box_append (GTK_BOX (content), self->drawn_box);

  self->pair_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->channel_spin = gtk_spin_button_new_with_range (0, 0, 1);
  self->filter_spin = gtk_spin_button_new_with_range (0, 0, 1);
  g_signal_connect (self->channel_spin, "value-changed", G_CALLBACK (pair_spin_cb), self);
  g_signal_connect (self->filter_spin, "value-changed", G_CALLBACK (pair_spin_cb), self);
  gtk_box_append (GTK_BOX (self->pair_box), labelled (_("_Input channel"), self->channel_spin));
  gtk_box_append (GTK_BOX (self->pair_box), labelled (_("_Filter"), self->filter_spin));
  button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "values.previous-pair");
  gtk_widget_set_tooltip_text (button, _("Previous channel pair (Ctrl+Page Up)"));
  gtk_box_append (GTK_BOX (self->pair_box), button);
  button = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "values.next-pair");
  gtk_widget_set_tooltip_text (button, _("Next channel pair (Ctrl+Page Down)"));
  gtk_box_append (GTK_BOX (self->pair_box), button);
  self->pair_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->pair_label, "dim-label");
  gtk_box_append (GTK_BOX (self->pair_box), self->pair_label);
  gtk_box_append (GTK_BOX (content), self->pair_box);

  self->rows = gtk_string_list_new (NULL);
  self->table = gtk_column_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)))));
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (self->table), TRUE);
  gtk_column_view_set_show_column_separators (GTK_COLUMN_VIEW (self->table), TRUE);
  gtk_widget_add_css_class (self->table, "data-table");
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->table);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scrolled), 200);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_widget_add_css_class (self->scrolled, "card");
  gtk_box_append (GTK_BOX (content), self->scrolled);

  self->add_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->row_spin = gtk_spin_button_new_with_range (0, 0, 1);
  self->col_spin = gtk_spin_button_new_with_range (0, 0, 1);
  self->value_entry = gtk_entry_new ();
  gtk_editable_set_width_chars (GTK_EDITABLE (self->value_entry), 8);
  gtk_box_append (GTK_BOX (self->add_box), labelled (_("_Row"), self->row_spin));
  gtk_box_append (GTK_BOX (self->add_box), labelled (_("_Column"), self->col_spin));
  gtk_box_append (GTK_BOX (self->add_box), labelled (_("_Value"), self->value_entry));
  button = gtk_button_new_with_mnemonic (_("_Add Entry"));
  g_signal_connect (button, "clicked", G_CALLBACK (add_clicked_cb), self);
  g_signal_connect_swapped (self->value_entry, "activate", G_CALLBACK (gtk_widget_activate), button);
  gtk_box_append (GTK_BOX (self->add_box), button);
  gtk_box_append (GTK_BOX (content), self->add_box);

  self->message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_widget_add_css_class (self->message, "error");
  gtk_widget_set_visible (self->message, FALSE);
  gtk_box_append (GTK_BOX (content), self->message);
}

GtkWidget *
spk_transform_editor_new (SpkConnection *connection,
                          SpkUndoStack  *undo)
{
  SpkTransformEditor *self;

  g_return_val_if_fail (SPK_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (undo == NULL || SPK_IS_UNDO_STACK (undo), NULL);

  self = g_object_new (SPK_TYPE_TRANSFORM_EDITOR, NULL);
  self->connection = g_object_ref (connection);
  self->undo = undo ? g_object_ref (undo) : NULL;
  gtk_widget_set_visible (self->undo_buttons, undo != NULL);
  if (undo != NULL)
    {
      g_signal_connect (undo, "notify::can-undo", G_CALLBACK (undo_state_cb), self);
      g_signal_connect (undo, "notify::can-redo", G_CALLBACK (undo_state_cb), self);
      undo_state_cb (undo, NULL, self);
    }
  else
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.undo", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "values.redo", FALSE);
    }
  {
    SpkDistribution *t = spk_connection_get_transform (connection);

    adw_window_title_set_title (ADW_WINDOW_TITLE (self->window_title),
                                t && t->kind == SPK_DIST_SPARSE ? _("Sparse Entries") : _("Convolution Kernel"));
  }
  g_signal_connect (connection, "notify::transform", G_CALLBACK (transform_notify_cb), self);
  load (self);
  refresh_rows (self);
  return GTK_WIDGET (self);
}

const char *
spk_transform_editor_get_message (SpkTransformEditor *self)
{
  g_return_val_if_fail (SPK_IS_TRANSFORM_EDITOR (self), NULL);
  return self->message_text;
}

guint
spk_transform_editor_get_n_rows (SpkTransformEditor *self)
{
  g_return_val_if_fail (SPK_IS_TRANSFORM_EDITOR (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

void
spk_transform_editor_get_pair (SpkTransformEditor *self,
                               guint              *channel,
                               guint              *filter)
{
  g_return_if_fail (SPK_IS_TRANSFORM_EDITOR (self));
  *channel = self->channel;
  *filter = self->filter;
}

/* }}} */
