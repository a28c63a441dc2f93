/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-shell.c — the GResource of the workbench and the presentation of the
 * model's types (icon, translated name), shared by the palette, the
 * inspector and the window so that one object type looks the same
 * everywhere. */
#define G_LOG_DOMAIN "spk-shell"

#include "ui/shell/spk-shell.h"

#include "model/spk-subnetwork.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "model/spk-network.h"
#include "ui/shell/spk-shell-resources.h"

void
spk_shell_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      _spk_shell_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

const char *
spk_shell_type_icon_name (GType type)
{
  if (g_type_is_a (type, SPK_TYPE_NODE))
    return "spk-node-symbolic";
  if (g_type_is_a (type, SPK_TYPE_ENSEMBLE))
    return "spk-ensemble-symbolic";
  if (g_type_is_a (type, SPK_TYPE_PROBE))
    return "spk-probe-symbolic";
  if (g_type_is_a (type, SPK_TYPE_LAYER))
    return "view-grid-symbolic";
  if (g_type_is_a (type, SPK_TYPE_CONNECTION))
    return "network-transmit-symbolic";
  if (g_type_is_a (type, SPK_TYPE_SUBNETWORK))
    return "view-app-grid-symbolic";
  return "org.spikeworks.Spikeworks-symbolic";
}

/* Nengo's built-in networks by their names in the palette; a kind the
 * engine learns later shows as its class name until it gets one here. */
const char *
spk_shell_network_kind_display_name (const char *kind)
{
  static const struct { const char *kind, *name; } names[] = {
    { "EnsembleArray", N_("Ensemble Array") },
    { "Product", N_("Product") },
    { "CircularConvolution", N_("Circular Convolution") },
    { "Integrator", N_("Integrator") },
    { "Oscillator", N_("Oscillator") },
    { "InputGatedMemory", N_("Input-Gated Memory") },
    { "BasalGanglia", N_("Basal Ganglia") },
    { "Thalamus", N_("Thalamus") },
    { "AssociativeMemory", N_("Associative Memory") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (names[i].kind, kind) == 0)
      return _(names[i].name);
  return kind;
}

const char *
spk_shell_type_display_name (GType type)
{
  if (g_type_is_a (type, SPK_TYPE_NODE))
    return _("Node");
  if (g_type_is_a (type, SPK_TYPE_ENSEMBLE))
    return _("Ensemble");
  if (g_type_is_a (type, SPK_TYPE_PROBE))
    return _("Probe");
  if (g_type_is_a (type, SPK_TYPE_LAYER))
    return _("Layer");
  if (g_type_is_a (type, SPK_TYPE_CONNECTION))
    return _("Connection");
  return _("Network");
}
