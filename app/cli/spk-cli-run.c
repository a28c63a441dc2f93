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
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/spk-error.h"
#include "core/spk-format.h"
#include "io/spk-file.h"
#include "sim/spk-simulator.h"

/* Appends a CSV field, quoted (RFC 4180) when it holds a comma, a quote
 * or a line break: labels are the user's text. */
void
_spk_cli_append_csv_field (GString    *csv,
                           const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (csv, field);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *c = field; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append_c (csv, '"');
}

static char *
probe_csv (SpkSimulator *sim,
           guint         probe,
           gboolean      f32,
           GError      **error)
{
  SpkPlan *plan = spk_simulator_get_plan (sim);
  const char *label = spk_plan_get_probe_label (plan, probe);
  guint size = spk_plan_get_probe_size (plan, probe);
  guint64 n = spk_simulator_get_probe_n_samples (sim, probe);
  g_autofree double *data = NULL;
  g_autofree double *times = NULL;
  GString *csv;
  char buf[SPK_FORMAT_BUF_SIZE];

  /* The simulator holds these samples already; a copy may still not fit. */
  if (!(data = g_try_new (double, MAX (n * size, 1))) || !(times = g_try_new (double, MAX (n, 1))))
    {
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_NO_MEMORY,
                   _("not enough memory for the %" PRIu64 " samples of probe '%s'"), n, label);
      return NULL;
    }
  spk_simulator_get_probe_data (sim, probe, data);
  spk_simulator_get_probe_times (sim, probe, times);
  csv = g_string_new ("t");
  for (guint i = 0; i < size; i++)
    {
      g_autofree char *field = g_strdup_printf ("%s[%u]", label, i);

      g_string_append_c (csv, ',');
      _spk_cli_append_csv_field (csv, field);
    }
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

/* The file name of a probe's CSV: its label made safe to use as one name
 * inside the output directory (no '/', no leading '.', no control
 * characters, at most 200 bytes), and made unique among the names already
 * used with "-2", "-3"… (two labels can become the same name). */
static char *
probe_file_name (const char *label,
                          GHashTable *used)
{
  g_autoptr (GString) base = g_string_new (NULL);
  char *name;

  for (const char *c = label ? label : ""; *c && base->len < 200; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u == '/' || u == '\\' || g_unichar_iscntrl (u) || (base->len == 0 && u == '.'))
        g_string_append_c (base, '_');
      else
        g_string_append_unichar (base, u);
    }
  if (base->len == 0)
    g_string_assign (base, "probe");
  name = g_strconcat (base->str, ".csv", NULL);
  for (guint i = 2; g_hash_table_contains (used, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u.csv", base->str, i);
    }
  g_hash_table_add (used, g_strdup (name));
  return name;
}

int
_spk_cli_run (int    argc,
              char **argv)
{
  g_autofree char *example = NULL, *out_dir = NULL, *steps_text = NULL, *time_text = NULL, *seed_text = NULL;
  gint64 steps = 1000, seed = -1;
  double seconds = 0.0;
  const char *usage = "run (MODEL.json | SESSION.spkw | --example NAME) [--steps N | --time S] --out-dir DIR";
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { "steps", 'n', 0, G_OPTION_ARG_STRING, &steps_text, N_("Number of steps (default 1000)"), N_("N") },
    { "time", 't', 0, G_OPTION_ARG_STRING, &time_text, N_("Simulated time in seconds"), N_("SECONDS") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text, N_("Network seed, overriding the model's"), N_("S") },
    { "out-dir", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Directory for the CSV files"), N_("DIR") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | SESSION.spkw | --example NAME) --out-dir DIR"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GTimer) timer = g_timer_new ();
  guint64 n_steps;
  gboolean f32;

  g_option_context_set_summary (context, _("Simulates a model and writes DIR/<probe label>.csv per probe."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 1, usage))
    return 2;
  if (out_dir == NULL)
    return _spk_cli_usage (_("run needs --out-dir"), usage);
  if (steps_text != NULL && time_text != NULL)
    return _spk_cli_usage (_("give --steps or --time, not both"), usage);
  if (!_spk_cli_int_option ("--steps", steps_text, 0, G_MAXINT64, &steps, &error)
      || !_spk_cli_double_option ("--time", time_text, 0.0, TRUE, &seconds, &error)
      || !_spk_cli_int_option ("--seed", seed_text, 0, G_MAXINT64, &seed, &error))
    return _spk_cli_usage (error->message, usage);

  if (!(plan = _spk_cli_load_plan (argc > 1 ? argv[1] : NULL, example, seed, &network, &error)))
    return _spk_cli_fail (error);
  if (time_text != NULL)
    {
      /* Nengo's run(T) runs round(T/dt) steps; llround() of more steps
       * than a 64-bit count holds is undefined. */
      double n = round (seconds / spk_plan_get_dt (plan));

      if (!(n < 0x1p63))
        return _spk_cli_usage (_("--time is too long: it is more steps than can be counted"), usage);
      n_steps = (guint64) n;
    }
  else
    n_steps = (guint64) steps;
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
      const char *label = spk_plan_get_probe_label (plan, p);
      g_autofree char *name = probe_file_name (label, used);
      g_autofree char *path = g_build_filename (out_dir, name, NULL);
      g_autofree char *csv = probe_csv (sim, p, f32, &error);
      g_autofree char *plain = g_strconcat (label ? label : "", ".csv", NULL);

      if (!g_str_equal (name, plain))
        fprintf (stderr, _("probe '%s' is written as '%s'\n"), label ? label : "", name);
      if (csv == NULL || !spk_file_write_all (path, csv, strlen (csv), &error))
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
