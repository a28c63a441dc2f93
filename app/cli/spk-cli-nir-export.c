/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-nir-export.c — `spikeworks-cli export-nir`: a model, an example
 * or a session written as a NIR graph (engine/io/spk-nir-write.h,
 * docs/nir.md).  Notes on what was replaced or approximated go to
 * standard error; a refusal names the object and fails. */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "io/spk-nir-write.h"

int
_spk_cli_export_nir (int    argc,
                     char **argv)
{
  g_autofree char *example = NULL;
  gboolean approximate = FALSE;
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { "approximate", 0, 0, G_OPTION_ARG_NONE, &approximate,
      N_("Write LIF neurons without what NIR's LIF lacks (refractory period, voltage floor, random start)"), NULL },
    { NULL },
  };
  const char *usage = "export-nir (MODEL.json | SESSION.spkw | --example NAME) [--approximate] OUT.nir";
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | SESSION.spkw | --example NAME) OUT.nir"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  SpkNirExportOptions options;
  const char *in = NULL;

  g_option_context_set_summary (context, _("Writes a network, with its solved and trained weights, as a NIR graph "
                                           "(Neuromorphic Intermediate Representation)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 2, usage))
    return 2;
  if (argc == 3)
    in = argv[1];
  else if (argc != 2)
    return _spk_cli_usage (_("export-nir needs one output file"), usage);
  spk_nir_export_options_init (&options);
  options.approximate = approximate;
  if (!(plan = _spk_cli_load_plan (in, example, -1, &network, &error))
      || !spk_nir_export_full (network, plan, argv[argc - 1], &options, notes, &error))
    return _spk_cli_fail (error);
  for (guint i = 0; i < notes->len; i++)
    fprintf (stderr, "spikeworks-cli: %s %s\n", _("note:"), (const char *) g_ptr_array_index (notes, i));
  return 0;
}
