/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-carry.c — a run going on in a simulator of another plan.
 *
 * The workbench rebuilds its running copy of the model when a plot is
 * added (a new probe, often with a filter of its own, or a tap on a
 * connection): the new plan has more signals, so its arena is laid out
 * differently and cannot simply be copied.  Every signal is named by the
 * builder after the object it belongs to ("ensemble 'a' neuron voltage",
 * "connection 'c' filtered"), and objects keep their order in a rebuild,
 * so a signal is matched by its name and its rank among the signals of
 * that name; an ensemble's part of a signal shared by a group of
 * ensembles, by its named view.  Random streams and processes are matched
 * the same way by the operator's owner and kind.  Whatever has no match
 * (the new probe's filter) keeps its initial state.
 */
#define G_LOG_DOMAIN "spk-simulator"

#include "spk-simulator-private.h"

#include <string.h>

/* "name\n<rank>": the rank-th thing of that name, counted in ranks (a
 * table of names it owns). */
static char *
ranked_key (GHashTable *ranks,
            const char *name)
{
  guint rank = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, name));

  g_hash_table_replace (ranks, g_strdup (name), GUINT_TO_POINTER (rank + 1));
  return g_strdup_printf ("%s\n%u", name, rank);
}

/* Signal index + 1 of each of plan's signals by ranked name. */
static GHashTable *
index_signals (const SpkPlan *plan)
{
  g_autoptr (GHashTable) ranks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint s = 0; s < plan->signals->len; s++)
    {
      const SpkPlanSignal *signal = g_ptr_array_index (plan->signals, s);

      g_hash_table_insert (index, ranked_key (ranks, signal->name), GUINT_TO_POINTER (s + 1));
    }
  return index;
}

/* Copies len values of every batch row from view src of from into view
 * dst of self. */
static void
copy_rows (SpkSimulator       *self,
           const SpkView      *dst,
           const SpkSimulator *from,
           const SpkView      *src,
           guint               len)
{
  gsize dst_size = ((const SpkPlanSignal *) g_ptr_array_index (self->plan->signals, dst->sig))->size;
  gsize src_size = ((const SpkPlanSignal *) g_ptr_array_index (from->plan->signals, src->sig))->size;

  for (guint b = 0; b < self->batch; b++)
    memcpy ((char *) self->arena + (self->offsets[dst->sig] + b * dst_size + dst->off) * self->elem_size,
            (const char *) from->arena + (from->offsets[src->sig] + b * src_size + src->off) * self->elem_size,
            (gsize) len * self->elem_size);
}

/* The signals (and parts of shared signals) found in both; returns how
 * many of self's signals took a value. */
static guint
carry_signals (SpkSimulator       *self,
               const SpkSimulator *from)
{
  g_autoptr (GHashTable) old = index_signals (from->plan);
  g_autoptr (GHashTable) ranks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gboolean *carried = g_new0 (gboolean, MAX (self->plan->signals->len, 1));
  guint n = 0;

  for (guint s = 0; s < self->plan->signals->len; s++)
    {
      const SpkPlanSignal *signal = g_ptr_array_index (self->plan->signals, s);
      g_autofree char *key = ranked_key (ranks, signal->name);
      guint o = GPOINTER_TO_UINT (g_hash_table_lookup (old, key));
      const SpkPlanSignal *match = o > 0 ? g_ptr_array_index (from->plan->signals, o - 1) : NULL;

      if (match == NULL || match->size != signal->size)
        continue;
      copy_rows (self, &(SpkView) { (int) s, 0, signal->size }, from,
                 &(SpkView) { (int) o - 1, 0, signal->size }, signal->size);
      carried[s] = TRUE;
      n++;
    }

  /* A group of ensembles that changed (one more or fewer) makes a shared
   * signal of another size: each member's part still matches. */
  {
    GArray *named = self->plan->named_views, *old_named = from->plan->named_views;
    g_autoptr (GHashTable) old_views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    g_hash_table_remove_all (ranks);
    for (guint i = 0; i < old_named->len; i++)
      g_hash_table_insert (old_views,
                           ranked_key (ranks, g_array_index (old_named, SpkNamedView, i).name),
                           GUINT_TO_POINTER (i + 1));
    g_hash_table_remove_all (ranks);
    for (guint i = 0; i < named->len; i++)
      {
        const SpkNamedView *nv = &g_array_index (named, SpkNamedView, i);
        g_autofree char *key = ranked_key (ranks, nv->name);
        guint o = GPOINTER_TO_UINT (g_hash_table_lookup (old_views, key));
        const SpkNamedView *match = o > 0 ? &g_array_index (old_named, SpkNamedView, o - 1) : NULL;

        if (match == NULL || carried[nv->view.sig] || match->view.len != nv->view.len)
          continue;
        copy_rows (self, &nv->view, from, &match->view, nv->view.len);
      }
  }
  return n;
}

/* Each operator's random stream and process state, matched by kind and
 * owner (and rank among those). */
static void
carry_streams (SpkSimulator       *self,
               const SpkSimulator *from)
{
  g_autoptr (GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) ranks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < from->n_ops; i++)
    {
      const SpkPlanOp *op = from->ops[i].op;
      g_autofree char *name = g_strdup_printf ("%d %s", op->kind, op->owner ? op->owner : "");

      g_hash_table_insert (old, ranked_key (ranks, name), GUINT_TO_POINTER (i + 1));
    }
  g_hash_table_remove_all (ranks);
  for (guint i = 0; i < self->n_ops; i++)
    {
      BoundOp *bop = &self->ops[i];
      g_autofree char *name = g_strdup_printf ("%d %s", bop->op->kind, bop->op->owner ? bop->op->owner : "");
      g_autofree char *key = ranked_key (ranks, name);
      guint o = GPOINTER_TO_UINT (g_hash_table_lookup (old, key));
      if (o == 0 || from->ops[o - 1].op->seed != bop->op->seed)
        continue;
      bop->rng = from->ops[o - 1].rng;
      if (bop->process != NULL && from->ops[o - 1].process != NULL)
        spk_process_state_carry (bop->process, from->ops[o - 1].process);
    }
}

gboolean
spk_simulator_carry_state (SpkSimulator       *self,
                           const SpkSimulator *from)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (from != NULL, FALSE);

  if (self->plan->dtype != from->plan->dtype || self->batch != from->batch
      || self->plan->dt != from->plan->dt)
    return FALSE;
  carry_signals (self, from);
  carry_streams (self, from);
  self->step = from->step;
  return TRUE;
}
