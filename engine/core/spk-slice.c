/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-slice.c — Python-style slices of a vector, parsed, printed and
 * resolved to index lists at build time. */
#define G_LOG_DOMAIN "spk-slice"

#include "spk-slice.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spk-error.h"

G_DEFINE_BOXED_TYPE (SpkSlice, spk_slice, spk_slice_ref, spk_slice_unref)

static void
slice_clear (gpointer data)
{
  SpkSlice *self = data;

  g_free (self->indices);
}

SpkSlice *
spk_slice_new_range (gboolean has_start,
                     gint64   start,
                     gboolean has_stop,
                     gint64   stop,
                     gint64   step)
{
  SpkSlice *self = g_atomic_rc_box_new0 (SpkSlice);

  g_return_val_if_fail (step != 0, self);
  self->has_start = has_start;
  self->start = has_start ? start : 0;
  self->has_stop = has_stop;
  self->stop = has_stop ? stop : 0;
  self->step = step;
  return self;
}

SpkSlice *
spk_slice_new_list (const gint64 *indices,
                    gsize         n)
{
  SpkSlice *self = g_atomic_rc_box_new0 (SpkSlice);

  self->is_list = TRUE;
  self->step = 1;
  self->indices = g_memdup2 (indices, n * sizeof (gint64));
  self->n_indices = n;
  return self;
}

SpkSlice *
spk_slice_ref (SpkSlice *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
spk_slice_unref (SpkSlice *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, slice_clear);
}

gboolean
spk_slice_equal (const SpkSlice *a,
                 const SpkSlice *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->is_list != b->is_list)
    return FALSE;
  if (a->is_list)
    return a->n_indices == b->n_indices
           && (a->n_indices == 0
               || memcmp (a->indices, b->indices, a->n_indices * sizeof (gint64)) == 0);
  return a->has_start == b->has_start && a->start == b->start
         && a->has_stop == b->has_stop && a->stop == b->stop && a->step == b->step;
}

static gboolean
parse_int (const char *text,
           gint64     *value)
{
  char *end = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoll (stripped, &end, 10);
  return errno == 0 && end != NULL && *end == '\0';
}

SpkSlice *
spk_slice_parse (const char  *text,
                 GError     **error)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  g_auto (GStrv) parts = NULL;
  guint n;

  if (s[0] == '[')
    {
      gsize len = strlen (s);
      g_autoptr (GArray) list = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (len < 2 || s[len - 1] != ']')
        goto bad;
      s[len - 1] = '\0';
      parts = g_strsplit (s + 1, ",", -1);
      for (guint i = 0; parts[i]; i++)
        {
          gint64 v;

          if (!parse_int (parts[i], &v))
            {
              if (parts[i + 1] == NULL && g_strstrip (parts[i])[0] == '\0' && i > 0)
                break; /* a trailing comma */
              if (i == 0 && parts[1] == NULL && g_strstrip (parts[0])[0] == '\0')
                break; /* an empty list */
              goto bad;
            }
          g_array_append_val (list, v);
        }
      return spk_slice_new_list ((gint64 *) list->data, list->len);
    }

  parts = g_strsplit (s, ":", -1);
  n = g_strv_length (parts);
  if (n == 1)
    {
      gint64 v;

      if (!parse_int (parts[0], &v))
        goto bad;
      return spk_slice_new_list (&v, 1);
    }
  if (n == 2 || n == 3)
    {
      gint64 start = 0, stop = 0, step = 1;
      gboolean has_start = g_strstrip (parts[0])[0] != '\0';
      gboolean has_stop = g_strstrip (parts[1])[0] != '\0';

      if ((has_start && !parse_int (parts[0], &start))
          || (has_stop && !parse_int (parts[1], &stop)))
        goto bad;
      if (n == 3 && g_strstrip (parts[2])[0] != '\0')
        {
          if (!parse_int (parts[2], &step))
            goto bad;
          if (step == 0)
            {
              g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                           "slice '%s': the step must not be zero", text);
              return NULL;
            }
        }
      return spk_slice_new_range (has_start, start, has_stop, stop, step);
    }

bad:
  g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
               "'%s' is not a slice: write an index (0), a range (1:3) or a list ([0, 2])",
               text);
  return NULL;
}

char *
spk_slice_to_string (const SpkSlice *self)
{
  GString *out = g_string_new (NULL);

  if (self->is_list)
    {
      if (self->n_indices == 1)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, self->indices[0]);
      else
        {
          g_string_append_c (out, '[');
          for (gsize i = 0; i < self->n_indices; i++)
            g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? ", " : "", self->indices[i]);
          g_string_append_c (out, ']');
        }
      return g_string_free (out, FALSE);
    }
  if (self->has_start)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, self->start);
  g_string_append_c (out, ':');
  if (self->has_stop)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, self->stop);
  if (self->step != 1)
    g_string_append_printf (out, ":%" G_GINT64_FORMAT, self->step);
  return g_string_free (out, FALSE);
}

guint *
spk_slice_resolve (const SpkSlice  *self,
                   guint            size,
                   guint           *n_out,
                   GError         **error)
{
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 n = size;

  if (self == NULL)
    {
      for (guint i = 0; i < size; i++)
        g_array_append_val (out, i);
    }
  else if (self->is_list)
    {
      for (gsize i = 0; i < self->n_indices; i++)
        {
          gint64 idx = self->indices[i] < 0 ? self->indices[i] + n : self->indices[i];
          guint u;

          if (idx < 0 || idx >= n)
            {
              g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                           "index %" G_GINT64_FORMAT " is out of range for a vector of size %u",
                           self->indices[i], size);
              return NULL;
            }
          u = (guint) idx;
          g_array_append_val (out, u);
        }
    }
  else
    {
      /* Python's slice.indices(): clamp the ends, defaults by the step's sign. */
      gint64 step = self->step, start, stop;

      if (step > 0)
        {
          start = !self->has_start ? 0 : self->start < 0 ? MAX (self->start + n, 0) : MIN (self->start, n);
          stop = !self->has_stop ? n : self->stop < 0 ? MAX (self->stop + n, 0) : MIN (self->stop, n);
          for (gint64 i = start; i < stop; i += step)
            {
              guint u = (guint) i;
              g_array_append_val (out, u);
            }
        }
      else
        {
          start = !self->has_start ? n - 1 : self->start < 0 ? MAX (self->start + n, -1) : MIN (self->start, n - 1);
          stop = !self->has_stop ? -1 : self->stop < 0 ? MAX (self->stop + n, -1) : MIN (self->stop, n - 1);
          for (gint64 i = start; i > stop; i += step)
            {
              guint u = (guint) i;
              g_array_append_val (out, u);
            }
        }
    }
  *n_out = out->len;
  return (guint *) g_array_free (g_steal_pointer (&out), FALSE);
}
