/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-run.c — `spikeworks-cli run`: build, simulate, and write one CSV
 * per probe.  Files are written only after the whole run succeeded, so a
 * failed run leaves no output behind. */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <inttypes.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/spk-error.h"
#include "core/spk-format.h"
#include "sim/spk-simulator.h"

static char *
probe_csv (SpkSimulator *sim,
           guint         probe,
           gboolean      f32)
{
  SpkPlan *plan = spk_simulator_get_plan (sim);
  const char *label = spk_plan_get_probe_label (plan, probe);
  guint size = spk_plan_get_probe_size (plan, probe);
  guint64 n = spk_simulator_get_probe_n_samples (sim, probe);
  g_autofree double *data = g_new (double, MAX (n * size, 1));
  g_autofree double *times = g_new (double, MAX (n, 1));
  GString *csv = g_string_new ("t");
  char buf[SPK_FORMAT_BUF_SIZE];

  spk_simulator_get_probe_data (sim, probe, data);
  spk_simulator_get_probe_times (sim, probe, times);
  for (guint i = 0; i < size; i++)
    g_string_append_printf (csv, ",%s[%u]", label, i);
  g_string_append_c (csv, '\n');
  for (guint64 k = 0; k < n; k++)
    {
      g_string_append (csv, spk_format_double (buf, times[k]));
      for (guint i = 0; i < size; i++)
        {
          double v = data[k * size + i];

          g_string_append_c (csv, ',');
          g_string_append (csv, f32 ? spk_format_float (buf, (float) v) : spk_format_double (buf, v));
        }
      g_string_append_c (csv, '\n');
    }
  return g_string_free (csv, FALSE);
}

int
_spk_cli_run (int    argc,
              char **argv)
{
  g_autofree char *example = NULL, *out_dir = NULL;
  gint64 steps = -1, seed = -1;
  double seconds = -1.0;
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { "steps", 'n', 0, G_OPTION_ARG_INT64, &steps, N_("Number of steps (default 1000)"), N_("N") },
    { "time", 't', 0, G_OPTION_ARG_DOUBLE, &seconds, N_("Simulated time in seconds"), N_("SECONDS") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Network seed, overriding the model's"), N_("S") },
    { "out-dir", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Directory for the CSV files"), N_("DIR") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | SESSION.spkw | --example NAME) --out-dir DIR"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GTimer) timer = g_timer_new ();
  guint64 n_steps;
  gboolean f32;

  g_option_context_set_summary (context, _("Simulates a model and writes DIR/<probe label>.csv per probe."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv))
    return 2;
  if (out_dir == NULL)
    return _spk_cli_usage (_("run needs --out-dir"), "run (MODEL.json | SESSION.spkw | --example NAME) [--steps N | --time S] --out-dir DIR");
  if (steps >= 0 && seconds >= 0)
    return _spk_cli_usage (_("give --steps or --time, not both"), "run … [--steps N | --time S]");
  if (argc > 2)
    return _spk_cli_usage (_("run takes one model"), "run (MODEL.json | --example NAME) --out-dir DIR");

  if (!(plan = _spk_cli_load_plan (argc > 1 ? argv[1] : NULL, example, seed, &network, &error)))
    return _spk_cli_fail (error);
  if (seconds >= 0)
    {
      if (!isfinite (seconds))
        return _spk_cli_usage (_("--time must be a number of seconds"), "run … --time S");
      /* Nengo's run(T) runs round(T/dt) steps. */
      n_steps = (guint64) llround (seconds / spk_plan_get_dt (plan));
    }
  else
    n_steps = steps >= 0 ? (guint64) steps : 1000;
  {
    guint n_neurons = spk_plan_get_n_neurons (plan);
    guint n_ops = spk_plan_get_n_ops (plan);
    g_autofree char *neurons = g_strdup_printf (ngettext ("%u neuron", "%u neurons", n_neurons), n_neurons);
    g_autofree char *ops = g_strdup_printf (ngettext ("%u operator", "%u operators", n_ops), n_ops);

    /* Translators: "built 200 neurons, 31 operators in 0.012 s" */
    fprintf (stderr, _("built %s, %s in %.3f s\n"), neurons, ops, g_timer_elapsed (timer, NULL));
  }

  g_timer_start (timer);
  if (!(sim = spk_simulator_new (plan, 1, &error))
      || !spk_simulator_run_steps (sim, n_steps, &error))
    return _spk_cli_fail (error);
  fprintf (stderr, _("ran %" PRIu64 " steps (%.6g s simulated) in %.3f s\n"),
           n_steps, (double) n_steps * spk_plan_get_dt (plan), g_timer_elapsed (timer, NULL));

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot create directory '%s': %s"), out_dir, g_strerror (saved));
      return _spk_cli_fail (error);
    }
  f32 = spk_plan_get_dtype (plan) == SPK_DTYPE_FLOAT32;
  for (guint p = 0; p < spk_plan_get_n_probes (plan); p++)
    {
      g_autofree char *name = g_strconcat (spk_plan_get_probe_label (plan, p), ".csv", NULL);
      g_autofree char *path = g_build_filename (out_dir, name, NULL);
      g_autofree char *csv = probe_csv (sim, p, f32);

      if (!g_file_set_contents (path, csv, -1, &error))
        {
          /* Leave no partial set of files behind. */
          for (guint i = 0; i < files->len; i++)
            g_unlink (g_ptr_array_index (files, i));
          return _spk_cli_fail (error);
        }
      g_ptr_array_add (files, g_steal_pointer (&path));
    }
  return 0;
}
