/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-coalesce.c — laying out the signals of many small objects
 * side by side, so that a merged operator's items become one item.
 *
 * After the sort and merge (spk-builder-order.c) an operator may hold a
 * thousand items that each filter, copy or reset one value of a signal of
 * its own (chain-1000: a thousand connections, each with a "weighted", a
 * "filtered" and a synapse state signal of one value).  Signals that the
 * same operators use in the same roles — the same "signature" — are
 * replaced by one signal holding them side by side, in the order of the
 * items of their first filter or copy; each old signal's name stays as a
 * named view of its part (for messages, and for carrying a run into a
 * rebuilt plan).  Then neighbouring items of one operator whose views now
 * continue each other (reset, copy, filter: elementwise work) become one
 * item, and the simulator runs one call over the whole block.
 *
 * Nothing changes what is computed: elementwise items do the same
 * arithmetic on each value whether they run as one item or many, items of
 * other kinds (products) keep their order and only see their pointers
 * move, and two signals share a block only when every operator treats
 * them alike, so the order the sort derived per signal still holds.
 * The old signals stay in the plan with no values and no name (indices
 * elsewhere keep their meaning).
 */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <string.h>

/* Operator kinds whose items take any part of a signal as their view,
 * row by row, so their signals may move into a shared one. */
static gboolean
kind_takes_views (SpkOpKind kind)
{
  switch (kind)
    {
    case SPK_OP_RESET:
    case SPK_OP_SET_PARAM:
    case SPK_OP_COPY:
    case SPK_OP_DOT_INC:
    case SPK_OP_ELEM_INC:
    case SPK_OP_FILTER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Which of a signal's roles an anchor the layout follows: filters first
 * (their items then fuse), then copies, then everything else. */
static int
anchor_rank (SpkOpKind kind)
{
  return kind == SPK_OP_FILTER ? 0 : kind == SPK_OP_COPY ? 1 : kind == SPK_OP_RESET ? 3 : 2;
}

typedef struct
{
  gboolean  movable;
  GString  *signature;  /* "op.role.item;" of each use, in order */
  guint     anchor_op;  /* the use the layout follows: operator, */
  guint     anchor_item;/* and the item there */
  int       anchor_rank;
} SignalUses;

enum { ROLE_DST, ROLE_SRC, ROLE_STATE };

static void
note_use (SignalUses      *uses,
          const SpkPlan   *plan,
          const SpkView   *view,
          guint            op_index,
          const SpkPlanOp *op,
          guint            item,
          guint            role)
{
  SignalUses *u;
  const SpkPlanSignal *signal;

  if (view->sig < 0)
    return;
  u = &uses[view->sig];
  signal = g_ptr_array_index (plan->signals, view->sig);
  if (op != NULL && (!kind_takes_views (op->kind) || view->off != 0 || view->len != signal->size))
    u->movable = FALSE;
  if (!u->movable)
    return;
  if (u->signature == NULL)
    u->signature = g_string_new (NULL);
  /* The item index is not part of the signature: members differ there. */
  g_string_append_printf (u->signature, "%u.%u;", op_index, role);
  if (op != NULL && anchor_rank (op->kind) < u->anchor_rank)
    {
      u->anchor_rank = anchor_rank (op->kind);
      u->anchor_op = op_index;
      u->anchor_item = item;
    }
}

static void
note_view_unmovable (SignalUses    *uses,
                     const SpkView *view)
{
  if (view->sig >= 0)
    uses[view->sig].movable = FALSE;
}

static SignalUses *
collect_uses (const SpkPlan *plan)
{
  guint n = plan->signals->len;
  SignalUses *uses = g_new0 (SignalUses, MAX (n, 1));

  for (guint s = 0; s < n; s++)
    {
      uses[s].movable = ((SpkPlanSignal *) g_ptr_array_index (plan->signals, s))->size > 0;
      uses[s].anchor_rank = G_MAXINT;
    }
  for (guint i = 0; i < plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (plan->ops, i);

      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          note_use (uses, plan, &item->dst, i, op, k, ROLE_DST);
          note_use (uses, plan, &item->src, i, op, k, ROLE_SRC);
          for (guint s = 0; s < op->n_states; s++)
            note_use (uses, plan, &item->states[s], i, op, k, ROLE_STATE + s);
        }
    }
  /* A probe reads any part of a signal; it is a use of its own. */
  for (guint p = 0; p < plan->probes->len; p++)
    {
      const SpkPlanProbe *probe = g_ptr_array_index (plan->probes, p);

      note_use (uses, plan, &probe->view, plan->ops->len + p, NULL, 0, ROLE_SRC);
    }
  for (guint v = 0; v < plan->named_views->len; v++)
    note_view_unmovable (uses, &g_array_index (plan->named_views, SpkNamedView, v).view);
  if (plan->learned != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, plan->learned);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        note_view_unmovable (uses, value);
    }
  return uses;
}

typedef struct
{
  int   sig;
  guint anchor_item;
} Member;

static int
member_cmp (gconstpointer a,
            gconstpointer b)
{
  const Member *ma = a, *mb = b;

  if (ma->anchor_item != mb->anchor_item)
    return ma->anchor_item < mb->anchor_item ? -1 : 1;
  return ma->sig < mb->sig ? -1 : ma->sig > mb->sig;
}

static void
remap_view (SpkView     *view,
            const int   *new_sig,
            const guint *new_off)
{
  if (view->sig < 0 || new_sig[view->sig] < 0)
    return;
  view->off += new_off[view->sig];
  view->sig = new_sig[view->sig];
}

/* Puts each group of members (same signature) into one new signal. */
static void
coalesce (SpkPlan    *plan,
          GPtrArray  *groups)
{
  guint n = plan->signals->len;
  g_autofree int *new_sig = g_new (int, MAX (n, 1));
  g_autofree guint *new_off = g_new0 (guint, MAX (n, 1));

  for (guint s = 0; s < n; s++)
    new_sig[s] = -1;
  for (guint g = 0; g < groups->len; g++)
    {
      GArray *members = g_ptr_array_index (groups, g);
      SpkPlanSignal *merged = g_new0 (SpkPlanSignal, 1);
      const SpkPlanSignal *first = g_ptr_array_index (plan->signals, g_array_index (members, Member, 0).sig);
      gboolean any_init = FALSE;
      int sig = (int) plan->signals->len;

      for (guint m = 0; m < members->len; m++)
        {
          SpkPlanSignal *old = g_ptr_array_index (plan->signals, g_array_index (members, Member, m).sig);

          new_sig[g_array_index (members, Member, m).sig] = sig;
          new_off[g_array_index (members, Member, m).sig] = merged->size;
          merged->size += old->size;
          any_init |= old->init != NULL;
        }
      merged->name = g_strdup_printf ("%s and %u like it", first->name, members->len - 1);
      if (any_init)
        merged->init = g_new0 (double, merged->size);
      for (guint m = 0; m < members->len; m++)
        {
          int old_sig = g_array_index (members, Member, m).sig;
          SpkPlanSignal *old = g_ptr_array_index (plan->signals, old_sig);
          SpkNamedView named = { { sig, new_off[old_sig], old->size }, old->name };

          if (old->init != NULL)
            memcpy (merged->init + new_off[old_sig], old->init, old->size * sizeof (double));
          g_clear_pointer (&old->init, g_free);
          /* The name goes on as the part's; the old signal keeps none. */
          g_array_append_val (plan->named_views, named);
          old->name = g_strdup ("");
          old->size = 0;
        }
      g_ptr_array_add (plan->signals, merged);
    }

  for (guint i = 0; i < plan->ops->len; i++)
    {
      SpkPlanOp *op = g_ptr_array_index (plan->ops, i);

      for (guint k = 0; k < op->items->len; k++)
        {
          SpkOpItem *item = spk_plan_op_item (op, k);

          remap_view (&item->dst, new_sig, new_off);
          remap_view (&item->src, new_sig, new_off);
          for (guint s = 0; s < op->n_states; s++)
            remap_view (&item->states[s], new_sig, new_off);
        }
    }
  for (guint p = 0; p < plan->probes->len; p++)
    remap_view (&((SpkPlanProbe *) g_ptr_array_index (plan->probes, p))->view, new_sig, new_off);
}

/* Whether view b continues view a in the same signal. */
static gboolean
continues (const SpkView *a,
           const SpkView *b)
{
  if (a->sig < 0 || b->sig < 0)
    return a->sig == b->sig;
  return a->sig == b->sig && a->off + a->len == b->off;
}

static gboolean
can_fuse (const SpkPlanOp *op,
          const SpkOpItem *a,
          const SpkOpItem *b)
{
  switch (op->kind)
    {
    case SPK_OP_RESET:
      break;
    case SPK_OP_COPY:
      if (a->src_index || a->dst_index || b->src_index || b->dst_index || a->inc != b->inc
          || a->n_index != a->dst.len || a->n_index != a->src.len
          || b->n_index != b->dst.len || b->n_index != b->src.len)
        return FALSE;
      break;
    case SPK_OP_FILTER:
      if (a->set_mode != b->set_mode)
        return FALSE;
      break;
    default:
      return FALSE;
    }
  if (!continues (&a->dst, &b->dst) || !continues (&a->src, &b->src))
    return FALSE;
  /* Elementwise work on one block is the same as on its parts only when
   * no part reads what another writes: the views lie in other signals. */
  if (a->dst.sig >= 0 && a->dst.sig == a->src.sig)
    return FALSE;
  for (guint s = 0; s < op->n_states; s++)
    {
      if (!continues (&a->states[s], &b->states[s]))
        return FALSE;
      if (a->states[s].sig == a->dst.sig || a->states[s].sig == a->src.sig)
        return FALSE;
      for (guint t = 0; t < s; t++)
        if (a->states[s].sig == a->states[t].sig)
          return FALSE;
    }
  return TRUE;
}

static void
fuse_items (SpkPlan *plan)
{
  for (guint i = 0; i < plan->ops->len; i++)
    {
      SpkPlanOp *op = g_ptr_array_index (plan->ops, i);
      guint kept = 0;

      if (op->items->len < 2)
        continue;
      for (guint k = 0; k < op->items->len; k++)
        {
          SpkOpItem *item = spk_plan_op_item (op, k);
          SpkOpItem *last = kept > 0 ? spk_plan_op_item (op, kept - 1) : NULL;

          if (last != NULL && can_fuse (op, last, item))
            {
              last->dst.len += item->dst.len;
              last->src.len += item->src.len;
              for (guint s = 0; s < op->n_states; s++)
                last->states[s].len += item->states[s].len;
              if (op->kind == SPK_OP_COPY)
                last->n_index += item->n_index;
              continue;
            }
          if (kept != k)
            *spk_plan_op_item (op, kept) = *item;
          kept++;
        }
      g_array_set_size (op->items, kept);
    }
}

/* Off only in tests that compare against the layout without it. */
gboolean _spk_builder_coalesce_enabled = TRUE;

void
_spk_builder_coalesce_signals (SpkPlan *plan)
{
  guint n = plan->signals->len;
  g_autoptr (GHashTable) by_signature = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  SignalUses *uses;

  if (!_spk_builder_coalesce_enabled)
    return;
  uses = collect_uses (plan);

  for (guint s = 0; s < n; s++)
    {
      SignalUses *u = &uses[s];
      GArray *members;
      Member m = { (int) s, u->anchor_item };

      if (!u->movable || u->signature == NULL || u->anchor_rank == G_MAXINT)
        continue;
      /* The anchor's operator heads the key, so one layout serves a group. */
      g_string_append_printf (u->signature, "@%u", u->anchor_op);
      members = g_hash_table_lookup (by_signature, u->signature->str);
      if (members == NULL)
        {
          members = g_array_new (FALSE, FALSE, sizeof (Member));
          g_hash_table_insert (by_signature, u->signature->str, members);
          g_ptr_array_add (groups, members);
        }
      g_array_append_val (members, m);
    }
  /* Groups in order of their first signal; members in anchor order. */
  for (guint g = 0; g < groups->len;)
    {
      GArray *members = g_ptr_array_index (groups, g);

      if (members->len < 2)
        {
          g_ptr_array_remove_index (groups, g);
          continue;
        }
      g_array_sort (members, member_cmp);
      g++;
    }
  if (groups->len > 0)
    {
      coalesce (plan, groups);
      fuse_items (plan);
    }
  for (guint s = 0; s < n; s++)
    if (uses[s].signature)
      g_string_free (uses[s].signature, TRUE);
  g_free (uses);
}
