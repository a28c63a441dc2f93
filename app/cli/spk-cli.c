/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli.c — spikeworks-cli: the headless front end.  Anything the
 * workbench does to a model, a script can do through these commands. */
#define G_LOG_DOMAIN "spk-cli"

#include <inttypes.h>
#include "spk-cli.h"
#include "spk-cli-private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "examples/spk-examples.h"
#include "io/spk-model-json.h"

SpkNetwork *
_spk_cli_load_model (const char  *path,
                     const char  *example,
                     GError     **error)
{
  if (example != NULL && path != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("give either a model file or --example, not both"));
      return NULL;
    }
  if (example != NULL)
    return spk_example_new (example, error);
  if (path == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("no model: give a MODEL.json file or --example NAME"));
      return NULL;
    }
  if (_spk_cli_is_session (path))
    return _spk_cli_load_network (path, NULL, error);
  return spk_model_load_file (path, error);
}

int
_spk_cli_fail (const GError *error)
{
  fprintf (stderr, "spikeworks-cli: %s\n", error->message);
  return 1;
}

int
_spk_cli_usage (const char *message,
                const char *usage)
{
  fprintf (stderr, "spikeworks-cli: %s\nusage: spikeworks-cli %s\n", message, usage);
  return 2;
}

gboolean
_spk_cli_parse (GOptionContext  *context,
                int             *argc,
                char          ***argv,
                int              max_args,
                const char      *usage)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      _spk_cli_usage (error->message, usage);
      return FALSE;
    }
  /* (*argv)[0] is the command itself. */
  if (max_args >= 0 && *argc - 1 > max_args)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument '%s'"), (*argv)[1 + max_args]);

      _spk_cli_usage (message, usage);
      return FALSE;
    }
  return TRUE;
}

gboolean
_spk_cli_int_option (const char  *option,
                     const char  *text,
                     gint64       min,
                     gint64       max,
                     gint64      *value,
                     GError     **error)
{
  gint64 parsed;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, &parsed, NULL))
    {
      if (max == G_MAXINT64)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("%s must be a whole number of at least %" PRId64 ", not '%s'"),
                     option, min, text);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("%s must be a whole number from %" PRId64 " to %" PRId64 ", not '%s'"),
                     option, min, max, text);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

gboolean
_spk_cli_double_option (const char  *option,
                        const char  *text,
                        double       min,
                        gboolean     min_allowed,
                        double      *value,
                        GError     **error)
{
  char *end = NULL;
  double parsed;

  if (text == NULL)
    return TRUE;
  errno = 0;
  parsed = g_ascii_strtod (text, &end);
  /* NaN fails both comparisons, so it is refused with infinities. */
  if (*text == '\0' || *end != '\0' || errno == ERANGE || !isfinite (parsed)
      || !(min_allowed ? parsed >= min : parsed > min))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buf, sizeof buf, "%g", min);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   min_allowed ? _("%s must be a finite number of at least %s, not '%s'")
                               : _("%s must be a finite number greater than %s, not '%s'"),
                   option, buf, text);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

static int
flush_stdout (void)
{
  /* printf() buffers: a full disk or a closed pipe shows only here. */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      fprintf (stderr, "spikeworks-cli: %s: %s\n", _("could not write the output"), g_strerror (errno));
      return 1;
    }
  return 0;
}

static const struct
{
  const char   *name;
  SpkCliCommand run;
  const char   *summary;
} commands[] = {
  { "examples", _spk_cli_examples, N_("list the built-in examples") },
  { "info", _spk_cli_info, N_("describe a model: objects, sizes, neuron counts") },
  { "run", _spk_cli_run, N_("simulate a model and write each probe to CSV") },
  { "save", _spk_cli_save, N_("save a model and optionally a recorded run as a session") },
  { "export", _spk_cli_export, N_("write an example as a model file") },
  { "convert", _spk_cli_convert, N_("convert a Keras model (.h5) or a NIR graph (.nir) into a spiking network session") },
  { "export-keras", _spk_cli_export_keras, N_("write a layer model as a Keras model (.h5)") },
  { "export-nir", _spk_cli_export_nir, N_("write a network as a NIR graph (.nir)") },
  { "tuning", _spk_cli_tuning, N_("write an ensemble's tuning curves to CSV") },
  { "decoded", _spk_cli_decoded, N_("write a connection's decoded function and its target to CSV") },
  { "fit", _spk_cli_fit, N_("train a network on a data set and save the trained session") },
  { "evaluate", _spk_cli_evaluate, N_("run a network on a data set and print the loss") },
  { "predict", _spk_cli_predict, N_("run a network on a data set and write its outputs") },
  { "lessons", _spk_cli_lessons, N_("list the lessons: name, then title") },
  { "lesson", _spk_cli_lesson, N_("check a lesson: validate it and run its solution") },
  { "bench", _spk_cli_bench, N_("measure speed as ratios to reference code") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("usage: spikeworks-cli COMMAND [OPTIONS…]"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-13s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run 'spikeworks-cli COMMAND --help' for a command's options, "
                             "'spikeworks-cli --version' for the version."));
}

int
spk_cli_main (int    argc,
              char **argv)
{
  if (argc < 2)
    {
      print_help (stderr);
      return 2;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return 0;
    }
  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "version"))
    {
      printf ("%s %s\n", "spikeworks-cli", PACKAGE_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        int status = commands[i].run (argc - 1, argv + 1);

        return status == 0 ? flush_stdout () : status;
      }
  fprintf (stderr, _("spikeworks-cli: unknown command '%s'\n\n"), argv[1]);
  print_help (stderr);
  return 2;
}
