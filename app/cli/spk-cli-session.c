/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-session.c — sessions on the command line: `spikeworks-cli save`
 * writes a model (and optionally a recorded run) to a .spkw session, and
 * the helpers below let `run`, `info` and `export` take a session wherever
 * they take a model file.  A session is recognised by the HDF5 signature
 * of its first bytes, or by its .spkw name. */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "io/spk-session.h"
#include "sim/spk-simulator.h"

/* The eight bytes every HDF5 file without a user block starts with; the
 * writer never adds a user block. */
static const char hdf5_signature[8] = { '\211', 'H', 'D', 'F', '\r', '\n', '\032', '\n' };

gboolean
_spk_cli_is_session (const char *path)
{
  char head[sizeof hdf5_signature];
  FILE *file;
  gboolean is_session;

  if (path == NULL || !(file = fopen (path, "rb")))
    return FALSE;
  /* A .spkw that is not HDF5 is a damaged session, and should be reported
   * as one rather than as malformed JSON. */
  if (g_str_has_suffix (path, ".spkw"))
    {
      fclose (file);
      return TRUE;
    }
  is_session = fread (head, 1, sizeof head, file) == sizeof head
               && memcmp (head, hdf5_signature, sizeof head) == 0;
  fclose (file);
  return is_session;
}

SpkNetwork *
_spk_cli_load_network (const char  *path,
                       const char  *example,
                       GError     **error)
{
  g_autoptr (SpkSession) session = NULL;

  if (example != NULL || !_spk_cli_is_session (path))
    return _spk_cli_load_model (path, example, error);
  if (!(session = spk_session_load_checked (path, error)))
    return NULL;
  return g_object_ref (spk_session_get_network (session));
}

SpkPlan *
_spk_cli_load_plan (const char  *path,
                    const char  *example,
                    gint64       seed,
                    SpkNetwork **network,
                    GError     **error)
{
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkNetwork) net = NULL;
  SpkPlan *plan;

  if (example != NULL || !_spk_cli_is_session (path))
    {
      if (!(net = _spk_cli_load_model (path, example, error)))
        return NULL;
    }
  else
    {
      if (!(session = spk_session_load_checked (path, error)))
        return NULL;
      net = g_object_ref (spk_session_get_network (session));
    }
  if (seed >= 0)
    spk_network_set_seed (net, seed);
  /* A session's saved parameters are used as they are, unless a new seed
   * asks for new ones. */
  if (session != NULL && seed < 0 && spk_session_get_plan (session) != NULL)
    plan = spk_plan_ref (spk_session_get_plan (session));
  else if (!(plan = _spk_cli_build (net, NULL, error)))
    return NULL;
  if (network)
    *network = g_steal_pointer (&net);
  return plan;
}

int
_spk_cli_save (int    argc,
               char **argv)
{
  g_autofree char *example = NULL, *run_steps_text = NULL;
  gint64 run_steps = 0;
  GOptionEntry entries[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, &example, N_("A built-in example"), N_("NAME") },
    { "run-steps", 'n', 0, G_OPTION_ARG_STRING, &run_steps_text, N_("Run N steps and save the probe data"), N_("N") },
    { NULL },
  };
  const char *usage = "save (MODEL.json | --example NAME) OUT.spkw [--run-steps N]";
  g_autoptr (GOptionContext) context = g_option_context_new (N_("(MODEL.json | --example NAME) OUT.spkw"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  const char *in = NULL, *out;

  g_option_context_set_summary (context, _("Builds a model and saves it, with its built parameters and optionally a recorded run, as a session."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, 2, usage))
    return 2;
  if (argc == 3)
    in = argv[1];
  else if (argc != 2)
    return _spk_cli_usage (_("save needs one output file"), usage);
  if (!_spk_cli_int_option ("--run-steps", run_steps_text, 0, G_MAXINT64, &run_steps, &error))
    return _spk_cli_usage (error->message, usage);
  out = argv[argc - 1];

  if (!(plan = _spk_cli_load_plan (in, example, -1, &network, &error)))
    return _spk_cli_fail (error);
  session = spk_session_new (network);
  spk_session_set_plan (session, plan);
  if (run_steps > 0)
    {
      g_autoptr (GHashTable) now = NULL;
      g_autoptr (SpkPlan) learned = NULL;

      if (!(sim = spk_simulator_new (plan, 1, &error))
          || !spk_simulator_run_steps (sim, (guint64) run_steps, &error)
          || !spk_session_record_simulator (session, sim, &error))
        return _spk_cli_fail (error);
      /* Weights a learning rule changed are saved as they ended up. */
      now = spk_simulator_dup_params (sim);
      if (!(learned = _spk_cli_build (network, now, &error)))
        return _spk_cli_fail (error);
      spk_session_set_plan (session, learned);
    }
  if (!spk_session_save (session, out, &error))
    return _spk_cli_fail (error);
  return 0;
}
