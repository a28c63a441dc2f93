/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-feed.c — draining the model's probes from the run bar's
 * runner for the lesson panel's checks (see the header). */
#define G_LOG_DOMAIN "spk-lessons"

#include "ui/lessons/spk-lesson-feed.h"

#include <math.h>

struct _SpkLessonFeed
{
  SpkRunner *runner;      /* not a reference: only compared */
  SpkPlan   *plan;        /* likewise */
  guint64    n_steps;     /* at the last poll */
  double     last_time;   /* of the newest sample read */
  GArray    *probe_time;  /* per probe of plan: its newest sample's time */
  gboolean   forget;
  GArray    *data;        /* scratch */
  GArray    *times;
};

SpkLessonFeed *
spk_lesson_feed_new (void)
{
  SpkLessonFeed *self = g_new0 (SpkLessonFeed, 1);

  self->data = g_array_new (FALSE, FALSE, sizeof (double));
  self->times = g_array_new (FALSE, FALSE, sizeof (double));
  self->probe_time = g_array_new (FALSE, FALSE, sizeof (double));
  self->last_time = -INFINITY;
  return self;
}

void
spk_lesson_feed_free (SpkLessonFeed *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->data);
  g_array_unref (self->times);
  g_array_unref (self->probe_time);
  g_free (self);
}

void
spk_lesson_feed_forget (SpkLessonFeed *self)
{
  self->forget = TRUE;
}

static void
start_over (SpkLessonFeed  *self,
            SpkLessonState *state)
{
  spk_lesson_state_clear_run (state);
  self->last_time = -INFINITY;
  self->n_steps = 0;
  for (guint i = 0; i < self->probe_time->len; i++)
    g_array_index (self->probe_time, double, i) = -INFINITY;
}

gboolean
spk_lesson_feed_poll (SpkLessonFeed  *self,
                      SpkRunner      *runner,
                      SpkLessonState *state)
{
  gboolean changed = FALSE;
  SpkRunnerStatus status;
  SpkPlan *plan;
  guint n_probes;

  if (self->forget || runner != self->runner)
    {
      start_over (self, state);
      self->forget = FALSE;
      self->runner = runner;
      self->plan = NULL;
      changed = TRUE;
    }
  if (runner == NULL)
    return changed;
  plan = spk_runner_get_plan (runner);
  spk_runner_get_status (runner, &status);
  if (plan != self->plan || status.n_steps < self->n_steps)
    {
      start_over (self, state);
      self->plan = plan;
      changed = TRUE;
    }
  self->n_steps = status.n_steps;

  n_probes = plan ? spk_plan_get_n_probes (plan) : 0;
  while (self->probe_time->len < n_probes)
    {
      double never = -INFINITY;

      g_array_append_val (self->probe_time, never);
    }
  for (guint p = 0; p < n_probes; p++)
    {
      const char *label = spk_plan_get_probe_label (plan, p);
      guint width = spk_runner_get_probe_width (runner, p);
      guint capacity = MAX (spk_runner_get_probe_capacity (runner, p), 1);
      guint n;

      /* The plots' probes are theirs to drain. */
      if (label == NULL || g_str_has_prefix (label, "__plot") || width == 0)
        continue;
      g_array_set_size (self->data, (gsize) capacity * width);
      g_array_set_size (self->times, capacity);
      while ((n = spk_runner_read_probe (runner, p, (double *) self->data->data,
                                         (double *) self->times->data, capacity, NULL)) > 0)
        {
          const double *times = (const double *) self->times->data;

          /* Earlier than what came before: a reset we did not see. */
          if (times[0] < g_array_index (self->probe_time, double, p) - 1e-12)
            {
              start_over (self, state);
              self->n_steps = status.n_steps;
            }
          spk_lesson_state_append_probe (state, label, width, times, (const double *) self->data->data, n);
          g_array_index (self->probe_time, double, p) = times[n - 1];
          self->last_time = MAX (self->last_time, times[n - 1]);
          changed = TRUE;
        }
    }
  if (status.time != spk_lesson_state_get_time (state) || self->last_time > status.time)
    {
      spk_lesson_state_set_time (state, MAX (status.time, self->last_time));
      changed = TRUE;
    }
  return changed;
}
