/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-keras.c — Keras models on the command line: `convert` turns a
 * Keras 2 HDF5 model into a session with NengoDL Converter's options, and
 * `export-keras` writes a layer model out in Keras's layout
 * (engine/io/spk-keras.h, docs/converter.md). */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "io/spk-hdf5-check.h"
#include "io/spk-keras.h"
#include "io/spk-nir.h"
#include "io/spk-session.h"

static gboolean
is_nir_name (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".nir");
}

int
_spk_cli_convert (int    argc,
                  char **argv)
{
  g_auto (GStrv) swaps = NULL;
  g_autofree char *scale_text = NULL, *synapse_text = NULL;
  g_autofree char *dt_text = NULL;
  gboolean max_to_avg = FALSE, inference_only = FALSE, no_fallback = FALSE, euler = FALSE;
  GOptionEntry entries[] = {
    { "swap", 0, 0, G_OPTION_ARG_STRING_ARRAY, &swaps,
      N_("Use neuron type TO for activation FROM (swap_activations), e.g. relu=SpikingRectifiedLinear; repeatable"),
      N_("FROM=TO") },
    { "scale-firing-rates", 0, 0, G_OPTION_ARG_STRING, &scale_text,
      N_("Scale the neurons' input by S and their output by 1/S (default 1)"), N_("S") },
    { "synapse", 0, 0, G_OPTION_ARG_STRING, &synapse_text,
      N_("A Lowpass synapse of TAU seconds on connections out of neurons (default none)"), N_("TAU") },
    { "max-to-avg-pool", 0, 0, G_OPTION_ARG_NONE, &max_to_avg, N_("Convert MaxPooling2D to average pooling"), NULL },
    { "inference-only", 0, 0, G_OPTION_ARG_NONE, &inference_only,
      N_("Fold BatchNormalization into the layer before it and drop Dropout"), NULL },
    { "no-allow-fallback", 0, 0, G_OPTION_ARG_NONE, &no_fallback,
      N_("Refuse activations that have no neuron type instead of keeping them as expression layers"), NULL },
    { "dt", 0, 0, G_OPTION_ARG_STRING, &dt_text,
      N_("NIR: the step the network runs at, in seconds (default 0.0001)"), N_("DT") },
    { "euler", 0, 0, G_OPTION_ARG_NONE, &euler,
      N_("NIR: step the neurons by forward Euler, as snnTorch and Norse do, instead of exactly"), NULL },
    { NULL },
  };
  const char *usage = "convert MODEL.h5 OUT.spkw [--swap FROM=TO] [--scale-firing-rates S] [--synapse TAU] "
                      "[--max-to-avg-pool] [--inference-only] [--no-allow-fallback] | convert GRAPH.nir OUT.spkw [--dt DT] [--euler]";
  g_autoptr (GOptionContext) context = g_option_context_new (N_("MODEL.h5 OUT.spkw"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = NULL;
  SpkKerasOptions options;
  int status;

  g_option_context_set_summary (context, _("Converts a Keras 2 HDF5 model into a Spikeworks session, "
                                           "as NengoDL's Converter does, or a NIR graph (.nir, recognised "
                                           "by its content) into one that computes its equations."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 2, usage))
    return 2;
  if (argc != 3)
    return _spk_cli_usage (_("convert needs a Keras model and an output session"), usage);
  /* A NIR graph is HDF5 too: its name or its content tells (a damaged
   * .nir file gets the NIR reader's message, not the Keras one). */
  if (is_nir_name (argv[1]) || (spk_hdf5_check_file (argv[1], &error) && spk_nir_file_is_nir (argv[1])))
    {
      if (swaps || scale_text || synapse_text || max_to_avg || inference_only || no_fallback)
        return _spk_cli_usage (_("--swap, --scale-firing-rates, --synapse, --max-to-avg-pool, --inference-only "
                                 "and --no-allow-fallback apply to Keras models, not to NIR graphs"), usage);
      return _spk_cli_convert_nir (argv[1], argv[2], dt_text, euler, usage);
    }
  if (error != NULL)
    return _spk_cli_fail (error);
  if (dt_text || euler)
    return _spk_cli_usage (_("--dt and --euler apply to NIR graphs; this is not one"), usage);
  spk_keras_options_init (&options);
  options.max_to_avg_pool = max_to_avg;
  options.inference_only = inference_only;
  options.allow_fallback = !no_fallback;
  for (guint i = 0; swaps && swaps[i]; i++)
    if (!spk_keras_options_add_swap (&options, swaps[i], &error))
      break;
  if (error == NULL)
    _spk_cli_double_option ("--scale-firing-rates", scale_text, 0, FALSE, &options.scale_firing_rates, &error);
  if (error == NULL)
    _spk_cli_double_option ("--synapse", synapse_text, 0, TRUE, &options.synapse, &error);
  if (error != NULL)
    {
      spk_keras_options_clear (&options);
      return _spk_cli_usage (error->message, usage);
    }
  session = spk_keras_convert_file (argv[1], &options, &error);
  spk_keras_options_clear (&options);
  status = session && spk_session_save (session, argv[2], &error) ? 0 : _spk_cli_fail (error);
  return status;
}

int
_spk_cli_export_keras (int    argc,
                       char **argv)
{
  g_autofree char *example = NULL;
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { NULL },
  };
  const char *usage = "export-keras (MODEL.json | SESSION.spkw | --example NAME) OUT.h5";
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | SESSION.spkw | --example NAME) OUT.h5"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  const char *in = NULL;

  g_option_context_set_summary (context, _("Writes a layer model, with its trained weights, as a Keras 2 HDF5 model."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 2, usage))
    return 2;
  if (argc == 3)
    in = argv[1];
  else if (argc != 2)
    return _spk_cli_usage (_("export-keras needs one output file"), usage);
  if (!(plan = _spk_cli_load_plan (in, example, -1, &network, &error))
      || !spk_keras_export (network, plan, argv[argc - 1], &error))
    return _spk_cli_fail (error);
  return 0;
}
