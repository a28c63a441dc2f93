/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-network-kinds-fallback.c — weak stand-ins for the engine's table of
 * built-in network kinds (spk-model-json-networks.c), for the kinds the
 * engine has built since model format 4.  The engine's own definitions,
 * strong symbols, take their place wherever they are linked in; this
 * file goes once they are. */
#include "spk-network-kinds-fallback.h"

__attribute__ ((weak)) const char *const *
spk_model_network_kinds (void)
{
  static const char *const kinds[] = { "EnsembleArray", "Product", "Integrator", "Oscillator", NULL };

  return kinds;
}

__attribute__ ((weak)) const char *
spk_model_network_example_params (const char *kind)
{
  static const struct { const char *kind, *params; } examples[] = {
    { "EnsembleArray", "\"n_neurons\": 50, \"n_ensembles\": 2" },
    { "Product", "\"n_neurons\": 100, \"dimensions\": 1" },
    { "Integrator", "\"recurrent_tau\": 0.1, \"n_neurons\": 100, \"dimensions\": 1" },
    { "Oscillator", "\"recurrent_tau\": 0.1, \"frequency\": 6.28, \"n_neurons\": 200" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    if (g_strcmp0 (examples[i].kind, kind) == 0)
      return examples[i].params;
  return NULL;
}
