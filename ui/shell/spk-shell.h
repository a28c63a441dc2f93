/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-shell.h — what the workbench's widgets share: the GResource and
 * the names and icons of the model's object types. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Registers the workbench's GResource once; every widget with a template
 * calls it from class_init. */
void        spk_shell_ensure_resources (void);

/* The icon and the translated name of a model type (SpkNode, SpkEnsemble,
 * SpkConnection, SpkProbe or SpkNetwork). */
const char *spk_shell_type_icon_name   (GType type);
const char *spk_shell_type_display_name (GType type);
/* "Ensemble Array" for "EnsembleArray", translated. */
const char *spk_shell_network_kind_display_name (const char *kind);

G_END_DECLS
