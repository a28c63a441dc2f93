/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-info.c — the commands that describe models: examples, info,
 * export, tuning. */
#define G_LOG_DOMAIN "spk-cli"

#include <inttypes.h>
#include "spk-cli-private.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "core/spk-format.h"
#include "examples/spk-examples.h"
#include "io/spk-file.h"
#include "io/spk-model-json.h"
#include "nef/spk-analysis.h"

int
_spk_cli_examples (int    argc,
                   char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, _("Lists the built-in examples."));
  if (!_spk_cli_parse (context, &argc, &argv, 0, "examples"))
    return 2;
  for (const SpkExampleInfo *info = spk_examples_list (); info->name; info++)
    printf ("%-24s %s\n", info->name, _(info->description));
  return 0;
}

static char *
describe_target (SpkObject *object,
                 gboolean   neurons)
{
  const char *label = object ? spk_object_get_label (object) : NULL;

  return g_strdup_printf ("%s%s", label ? label : "?", neurons ? ".neurons" : "");
}

static void
print_object (SpkObject *object)
{
  const char *label = spk_object_get_label (object);

  if (SPK_IS_NODE (object))
    {
      SpkNode *node = SPK_NODE (object);
      const char *what = spk_node_get_output_expr (node) ? spk_node_get_output_expr (node)
                         : spk_node_get_output_process (node)
                         ? spk_process_kind_to_name (spk_node_get_output_process (node)->kind)
                         : spk_node_get_output_value (node) ? "constant" : "pass-through";

      printf ("node        %-20s size_in %u, output %s\n", label ? label : "", spk_node_get_size_in (node), what);
    }
  else if (SPK_IS_LAYER (object))
    {
      g_autofree char *what = spk_layer_describe (SPK_LAYER (object));

      printf ("layer       %-20s %s\n", label ? label : "", what);
    }
  else if (SPK_IS_ENSEMBLE (object))
    {
      SpkEnsemble *ens = SPK_ENSEMBLE (object);

      int n_neurons = spk_ensemble_get_n_neurons (ens);
      int dimensions = spk_ensemble_get_dimensions (ens);

      if (spk_neuron_kind_is_direct (spk_ensemble_get_neuron_type (ens)->kind))
        printf ("ensemble    %-20s Direct (no neurons: the value computed exactly), %d %s\n",
                label ? label : "", dimensions, dimensions == 1 ? "dimension" : "dimensions");
      else
        printf ("ensemble    %-20s %d %s %s, %d %s\n", label ? label : "", n_neurons,
                spk_neuron_kind_to_name (spk_ensemble_get_neuron_type (ens)->kind),
                n_neurons == 1 ? "neuron" : "neurons", dimensions, dimensions == 1 ? "dimension" : "dimensions");
    }
  else if (SPK_IS_CONNECTION (object))
    {
      SpkConnection *conn = SPK_CONNECTION (object);
      g_autofree char *pre = describe_target (spk_connection_get_pre (conn), spk_connection_get_pre_neurons (conn));
      g_autofree char *post = describe_target (spk_connection_get_post (conn), spk_connection_get_post_neurons (conn));
      const char *function = spk_connection_get_function (conn);

      printf ("connection  %s → %s%s%s\n", pre, post, function ? ", function " : "", function ? function : "");
    }
  else if (SPK_IS_PROBE (object))
    {
      SpkProbe *probe = SPK_PROBE (object);
      g_autofree char *target = describe_target (spk_probe_get_target (probe), spk_probe_get_target_neurons (probe));
      const char *attr = spk_probe_get_attr (probe);

      printf ("probe       %-20s %s%s%s\n", label ? label : "", target, attr ? " " : "", attr ? attr : "");
    }
}

int
_spk_cli_info (int    argc,
               char **argv)
{
  g_autofree char *example = NULL;
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("[MODEL.json]"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  GPtrArray *objects;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 1, "info (MODEL.json | SESSION.spkw | --example NAME)"))
    return 2;
  if (!(network = _spk_cli_load_model (argc > 1 ? argv[1] : NULL, example, &error)))
    return _spk_cli_fail (error);
  objects = spk_network_get_objects (network);
  printf ("network %s: seed %" G_GINT64_FORMAT ", dt %g s, %s\n",
          spk_network_get_label (network) ? spk_network_get_label (network) : "(unnamed)",
          spk_network_get_seed (network), spk_network_get_dt (network),
          spk_dtype_to_name (spk_network_get_dtype (network)));
  for (guint i = 0; i < objects->len; i++)
    print_object (g_ptr_array_index (objects, i));
  if (!(plan = _spk_cli_build (network, NULL, &error)))
    return _spk_cli_fail (error);
  printf ("%u neurons, %u operators per step\n", spk_plan_get_n_neurons (plan), spk_plan_get_n_ops (plan));
  return 0;
}

int
_spk_cli_export (int    argc,
                 char **argv)
{
  g_autofree char *example = NULL;
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(--example NAME | IN.json) OUT.json"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  const char *in = NULL, *out;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 2, "export (--example NAME | IN.json) OUT.json"))
    return 2;
  if (argc == 3)
    in = argv[1];
  else if (argc != 2)
    return _spk_cli_usage (_("export needs one output file"), "export (--example NAME | IN.json) OUT.json");
  out = argv[argc - 1];
  if (!(network = _spk_cli_load_model (in, example, &error))
      || !spk_model_save_file (network, out, &error))
    return _spk_cli_fail (error);
  return 0;
}

int
_spk_cli_tuning (int    argc,
                 char **argv)
{
  g_autofree char *example = NULL, *label = NULL, *out = NULL, *points_text = NULL;
  gint64 n_points = 201;
  const char *usage = "tuning (MODEL.json | --example NAME) --ensemble LABEL --out FILE.csv [--points N]";
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { "ensemble", 0, 0, G_OPTION_ARG_STRING, &label, N_("The ensemble's label"), N_("LABEL") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The CSV file to write"), N_("FILE.csv") },
    { "points", 0, 0, G_OPTION_ARG_STRING, &points_text, N_("Number of input values (default 201)"), N_("N") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | --example NAME) --ensemble LABEL --out FILE.csv"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GString) csv = g_string_new ("x");
  g_autofree double *x = NULL, *rates = NULL;
  guint n, d;
  double radius;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 1, usage))
    return 2;
  if (label == NULL || out == NULL)
    return _spk_cli_usage (_("tuning needs --ensemble and --out"), usage);
  /* A million points draws any curve; the CSV is built in memory. */
  if (!_spk_cli_int_option ("--points", points_text, 2, 1000000, &n_points, &error))
    return _spk_cli_usage (error->message, usage);
  if (!(network = _spk_cli_load_model (argc > 1 ? argv[1] : NULL, example, &error))
      || !(plan = _spk_cli_build (network, NULL, &error)))
    return _spk_cli_fail (error);
  if (!spk_plan_get_ensemble (plan, label, &n, &d, &radius, NULL, NULL, NULL))
    {
      SpkObject *object = spk_network_lookup (network, label);

      if (object != NULL && SPK_IS_ENSEMBLE (object)
          && spk_neuron_kind_is_direct (spk_ensemble_get_neuron_type (SPK_ENSEMBLE (object))->kind))
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("ensemble '%s' is a Direct ensemble: it has no neurons, so no tuning curves"), label);
          return _spk_cli_fail (error);
        }
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("there is no ensemble '%s' in this model"), label);
      return _spk_cli_fail (error);
    }
  /* In 1-D the input sweeps [-radius, radius]; in more dimensions it sweeps
   * the same range along the first axis, the others at 0. */
  /* The CSV is built in memory, at up to 25 bytes a value. */
  if ((guint64) n_points * n > 100000000)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%" PRId64 " tuning points of %u neurons are more than the 100 million "
                     "values a tuning CSV may hold: give fewer --points"), n_points, n);
      return _spk_cli_fail (error);
    }
  if (!(x = g_try_new0 (double, (gsize) n_points * d)) || !(rates = g_try_new (double, (gsize) n_points * n)))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("not enough memory for %" PRId64 " tuning points of %u neurons"), n_points, n);
      return _spk_cli_fail (error);
    }
  for (gint64 i = 0; i < n_points; i++)
    x[(gsize) i * d] = -radius + 2.0 * radius * i / (n_points - 1);
  if (!spk_analysis_tuning_curves (plan, label, x, (gsize) n_points, rates, &error))
    return _spk_cli_fail (error);
  for (guint j = 0; j < n; j++)
    {
      g_autofree char *field = g_strdup_printf ("%s[%u]", label, j);

      g_string_append_c (csv, ',');
      _spk_cli_append_csv_field (csv, field);
    }
  g_string_append_c (csv, '\n');
  for (gint64 i = 0; i < n_points; i++)
    {
      char buf[SPK_FORMAT_BUF_SIZE];

      g_string_append (csv, spk_format_double (buf, x[(gsize) i * d]));
      for (guint j = 0; j < n; j++)
        {
          g_string_append_c (csv, ',');
          g_string_append (csv, spk_format_double (buf, rates[(gsize) i * n + j]));
        }
      g_string_append_c (csv, '\n');
    }
  if (!spk_file_write_all (out, csv->str, csv->len, &error))
    return _spk_cli_fail (error);
  return 0;
}
