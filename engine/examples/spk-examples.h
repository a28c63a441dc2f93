/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-examples.h — the built-in example networks, shared by the CLI and
 * the workbench. */
#pragma once

#include "model/spk-network.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *description;   /* one line, translatable */
} SpkExampleInfo;

/* The examples, NULL-name terminated, in the order menus list them. */
const SpkExampleInfo *spk_examples_list (void);
/* A new network of the named example; fails naming the known examples. */
SpkNetwork           *spk_example_new   (const char  *name,
                                         GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
