/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-names.h — tables of names, written once: the value types (synapse,
 * distribution, process, learning rule, solver) each keep a table of the
 * names Nengo gives their kinds, indexed by the enum, and
 * SPK_DEFINE_KIND_NAMES defines the two look-ups over it; the model reader
 * and the expression checker suggest the closest name for a typo. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The index of name in names[0 .. n_names - 1] (entries may be NULL). */
gboolean spk_names_find (const char *const *names,
                         guint              n_names,
                         const char        *name,
                         guint             *index);

/* The closest of candidates to word when it is a likely typo of it: the
 * first at the smallest edit distance, if that is at most 2 and less
 * than word's length (so that `y` is not "corrected" to `x`); else NULL. */
const char *spk_names_closest (const char        *word,
                               const char *const *candidates,
                               gsize              n_candidates);

/* Defines `const char *prefix_to_name (Type)` and
 * `gboolean prefix_from_name (const char *, Type *)` over the table
 * `names`, which must name each of the n_kinds kinds. */
#define SPK_DEFINE_KIND_NAMES(prefix, Type, names, n_kinds)               \
  G_STATIC_ASSERT (G_N_ELEMENTS (names) == (n_kinds));                    \
                                                                          \
  const char *                                                            \
  prefix##_to_name (Type kind)                                            \
  {                                                                       \
    g_return_val_if_fail ((guint) kind < (n_kinds), NULL);                \
    return names[kind];                                                   \
  }                                                                       \
                                                                          \
  gboolean                                                                \
  prefix##_from_name (const char *name,                                   \
                      Type       *kind)                                   \
  {                                                                       \
    guint i;                                                              \
                                                                          \
    g_return_val_if_fail (kind != NULL, FALSE);                           \
    if (!spk_names_find (names, G_N_ELEMENTS (names), name, &i))          \
      return FALSE;                                                       \
    *kind = (Type) i;                                                     \
    return TRUE;                                                          \
  }

G_END_DECLS
