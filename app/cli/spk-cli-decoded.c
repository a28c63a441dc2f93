/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-decoded.c — `spikeworks-cli decoded`: a decoded connection's
 * function along its pre's first dimension, its target and the error per
 * output (spk_analysis_decoded_function()), as CSV, the errors on stdout. */
#define G_LOG_DOMAIN "spikeworks-cli"

#include <inttypes.h>
#include "spk-cli-private.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "core/spk-format.h"
#include "io/spk-file.h"
#include "nef/spk-analysis.h"

/* The connection whose key (its label, or "connection<i>":
 * spk_network_dup_keys()) is key, or NULL. */
static SpkConnection *
find_connection (SpkNetwork *network,
                 const char *key)
{
  g_autoptr (GHashTable) keys = spk_network_dup_keys (network);
  GHashTableIter iter;
  gpointer object, name;

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &object, &name))
    if (SPK_IS_CONNECTION (object) && g_str_equal (name, key))
      return SPK_CONNECTION (object);
  return NULL;
}

static void
append_header (GString    *csv,
               const char *what,
               guint       n_dims)
{
  for (guint r = 0; r < n_dims; r++)
    {
      g_autofree char *field = g_strdup_printf ("%s[%u]", what, r);

      g_string_append_c (csv, ',');
      _spk_cli_append_csv_field (csv, field);
    }
}

int
_spk_cli_decoded (int    argc,
                  char **argv)
{
  g_autofree char *example = NULL, *key = NULL, *out = NULL, *points_text = NULL;
  gint64 n_points = 201;
  const char *usage = "decoded (MODEL.json | --example NAME) --connection KEY --out FILE.csv [--points N]";
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { "connection", 0, 0, G_OPTION_ARG_STRING, &key, N_("The connection's label, or connection<i> for the i-th unlabelled one"), N_("KEY") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The CSV file to write"), N_("FILE.csv") },
    { "points", 0, 0, G_OPTION_ARG_STRING, &points_text, N_("Number of input values (default 201)"), N_("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | --example NAME) --connection KEY --out FILE.csv"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkDecodedFunction) f = NULL;
  g_autoptr (GString) csv = g_string_new ("x");
  SpkConnection *connection;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 1, usage))
    return 2;
  if (key == NULL || out == NULL)
    return _spk_cli_usage (_("decoded needs --connection and --out"), usage);
  /* The CSV is built in memory: a million rows draw any curve. */
  if (!_spk_cli_int_option ("--points", points_text, 2, 1000000, &n_points, &error))
    return _spk_cli_usage (error->message, usage);
  if (!(network = _spk_cli_load_model (argc > 1 ? argv[1] : NULL, example, &error))
      || !(plan = _spk_cli_build (network, NULL, &error)))
    return _spk_cli_fail (error);
  if (!(connection = find_connection (network, key)))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("there is no connection '%s' in this model"), key);
      return _spk_cli_fail (error);
    }
  if (!(f = spk_analysis_decoded_function (plan, connection, key, (guint) n_points, &error)))
    return _spk_cli_fail (error);
  if ((guint64) n_points * f->n_dims > 50000000)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%" PRId64 " points of %u outputs are more than a decoded-function CSV may hold: "
                     "give fewer --points"), n_points, f->n_dims);
      return _spk_cli_fail (error);
    }

  append_header (csv, "decoded", f->n_dims);
  if (f->target)
    append_header (csv, "target", f->n_dims);
  g_string_append_c (csv, '\n');
  for (guint p = 0; p < f->n_points; p++)
    {
      char buf[SPK_FORMAT_BUF_SIZE];

      g_string_append (csv, spk_format_double (buf, f->x[p]));
      for (guint r = 0; r < f->n_dims; r++)
        {
          g_string_append_c (csv, ',');
          g_string_append (csv, spk_format_double (buf, f->decoded[(gsize) p * f->n_dims + r]));
        }
      for (guint r = 0; f->target && r < f->n_dims; r++)
        {
          g_string_append_c (csv, ',');
          g_string_append (csv, spk_format_double (buf, f->target[(gsize) p * f->n_dims + r]));
        }
      g_string_append_c (csv, '\n');
    }
  if (!spk_file_write_all (out, csv->str, csv->len, &error))
    return _spk_cli_fail (error);

  for (guint r = 0; r < f->n_dims; r++)
    {
      char rmse[SPK_FORMAT_BUF_SIZE], solve[SPK_FORMAT_BUF_SIZE];

      if (f->target == NULL)
        /* Translators: %u is an output dimension of the connection */
        printf (_("output %u: no target (the transform is sampled, or the connection goes into neurons)\n"), r);
      else if (f->solve_rmse)
        /* Translators: %u is an output dimension; both %s are errors (RMSE) in the output's units */
        printf (_("output %u: RMSE %s over the sweep, %s at the solve's evaluation points\n"), r,
                spk_format_double (rmse, f->rmse[r]), spk_format_double (solve, f->solve_rmse[r]));
      else
        /* Translators: %u is an output dimension; %s is an error (RMSE) in the output's units */
        printf (_("output %u: RMSE %s over the sweep\n"), r, spk_format_double (rmse, f->rmse[r]));
    }
  return 0;
}
