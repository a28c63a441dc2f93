/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-order.c — the order of work in a step (NEF-FACTS §1) and the
 * merging of same-kind operators into one. */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "core/spk-slice.h"
#include "nef/spk-solver.h"
#include "ops/spk-ops-neurons.h"

/* Ordering (NEF-FACTS §1): per signal, setters → incrementers → readers →
 * updaters.  Kahn's algorithm; among the ready operators it keeps taking
 * the kind it took last, so that same-kind operators end up side by side
 * and merge (merge_runs) into one operator with many items. */
typedef enum { ROLE_SET, ROLE_INC, ROLE_READ, ROLE_UPDATE, N_ROLES } Role;

typedef void (*RoleVisit) (gpointer data, int signal, Role role, guint op_index);

static void
op_roles (const SpkPlanOp *op,
          RoleVisit        visit,
          gpointer         data,
          guint            op_index)
{
  for (guint i = 0; i < op->items->len; i++)
    {
      const SpkOpItem *item = spk_plan_op_item (op, i);

      switch (op->kind)
        {
        case SPK_OP_RESET:
        case SPK_OP_SET_PARAM:
        case SPK_OP_PROCESS:
        case SPK_OP_CONST:
          visit (data, item->dst.sig, ROLE_SET, op_index);
          break;
        case SPK_OP_COPY:
          visit (data, item->dst.sig, item->inc ? ROLE_INC : ROLE_SET, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          break;
        case SPK_OP_DOT_INC:
        case SPK_OP_ELEM_INC:
          visit (data, item->dst.sig, ROLE_INC, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          break;
        case SPK_OP_NEURONS:
          /* Nengo's SimNeurons *sets* its state as well as its output, so
           * whatever reads a state (a probe's filter) sees this step's. */
          visit (data, item->dst.sig, ROLE_SET, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          for (guint s = 0; s < op->n_states; s++)
            visit (data, item->states[s].sig, ROLE_SET, op_index);
          break;
        case SPK_OP_FILTER:
          /* A connection's or probe's synapse is an update (Nengo's
           * mode="update"); a learning rule's sets its output this step. */
          visit (data, item->dst.sig, item->set_mode ? ROLE_SET : ROLE_UPDATE, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          for (guint s = 0; s < op->n_states; s++)
            visit (data, item->states[s].sig, item->set_mode ? ROLE_SET : ROLE_UPDATE, op_index);
          break;
        case SPK_OP_DOT_INC_SIGNAL:
          visit (data, item->dst.sig, ROLE_INC, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          visit (data, item->states[0].sig, ROLE_READ, op_index);
          break;
        case SPK_OP_PES:
        case SPK_OP_BCM:
        case SPK_OP_OJA:
          /* Nengo's SimPES (SimBCM, SimOja) reads the filtered activities
           * and the error (post activities, theta or weights) and updates
           * delta, which the weights' increment read before. */
          visit (data, item->dst.sig, ROLE_UPDATE, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          for (guint s = 0; s < op->n_states; s++)
            visit (data, item->states[s].sig, ROLE_READ, op_index);
          break;
        case SPK_OP_VOJA:
          /* SimVoja reads the connection's output, the post activities,
           * the encoders (after this step's increment) and the learning
           * signal, and updates delta. */
          visit (data, item->dst.sig, ROLE_UPDATE, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          for (guint s = 0; s < op->n_states; s++)
            visit (data, item->states[s].sig, ROLE_READ, op_index);
          break;
        case SPK_OP_RLS:
          /* SimRLS reads the filtered activities and the error, and
           * updates delta and its inverse correlations P. */
          visit (data, item->dst.sig, ROLE_UPDATE, op_index);
          visit (data, item->src.sig, ROLE_READ, op_index);
          visit (data, item->states[0].sig, ROLE_READ, op_index);
          visit (data, item->states[1].sig, ROLE_UPDATE, op_index);
          visit (data, item->states[2].sig, ROLE_UPDATE, op_index);
          break;
        case SPK_OP_EXPR:
        case SPK_OP_LAYER:
        case SPK_OP_CALLBACK:
          visit (data, item->dst.sig, ROLE_SET, op_index);
          if (item->src.sig >= 0)
            visit (data, item->src.sig, ROLE_READ, op_index);
          break;
        case SPK_OP_N_KINDS:
          g_assert_not_reached ();
        }
    }
}

typedef struct
{
  GArray **by_role;   /* [signal * N_ROLES + role] → GArray of op indices */
} RoleTable;

static void
collect_role (gpointer data,
              int      signal,
              Role     role,
              guint    op_index)
{
  RoleTable *table = data;
  GArray **slot = &table->by_role[(gsize) signal * N_ROLES + role];

  if (*slot == NULL)
    *slot = g_array_new (FALSE, FALSE, sizeof (guint));
  /* An op with many items may touch one signal in one role many times. */
  if ((*slot)->len == 0 || g_array_index (*slot, guint, (*slot)->len - 1) != op_index)
    g_array_append_val (*slot, op_index);
}

/* Operators that may share one operator: every item runs in the order the
 * sort put them, so merging a run of neighbours never changes a result. */
static gboolean
can_merge (const SpkPlanOp *a,
           const SpkPlanOp *c)
{
  if (a->kind != c->kind)
    return FALSE;
  switch (a->kind)
    {
    case SPK_OP_RESET:
    case SPK_OP_SET_PARAM:
    case SPK_OP_COPY:
    case SPK_OP_DOT_INC:
    case SPK_OP_ELEM_INC:
    case SPK_OP_DOT_INC_SIGNAL:
    case SPK_OP_PES:
    case SPK_OP_BCM:
    case SPK_OP_OJA:
    case SPK_OP_VOJA:
    case SPK_OP_RLS:
      return TRUE;
    case SPK_OP_FILTER:
      return a->n_states == c->n_states && memcmp (&a->filter, &c->filter, sizeof a->filter) == 0;
    case SPK_OP_NEURONS:
    case SPK_OP_EXPR:
    case SPK_OP_PROCESS:
    case SPK_OP_CONST:
    case SPK_OP_LAYER:
    case SPK_OP_CALLBACK:
    case SPK_OP_N_KINDS:
      return FALSE;
    }
  return FALSE;
}

static void
merge_runs (SpkPlan *plan)
{
  GPtrArray *ops = plan->ops;
  g_autoptr (GPtrArray) merged = g_ptr_array_new_with_free_func (_spk_builder_plan_op_free);

  for (guint i = 0; i < ops->len; i++)
    {
      SpkPlanOp *op = g_ptr_array_index (ops, i);
      SpkPlanOp *last = merged->len ? g_ptr_array_index (merged, merged->len - 1) : NULL;

      if (last != NULL && can_merge (last, op))
        {
          /* The items move; their index arrays now belong to last. */
          g_array_append_vals (last->items, op->items->data, op->items->len);
          g_array_set_size (op->items, 0);
          _spk_builder_plan_op_free (op);
          if (!g_str_equal (last->owner, "merged"))
            {
              g_free (last->owner);
              last->owner = g_strdup ("merged");
            }
        }
      else
        g_ptr_array_add (merged, op);
    }
  g_ptr_array_set_free_func (ops, NULL);
  g_ptr_array_unref (ops);
  plan->ops = g_steal_pointer (&merged);
}

/* The sub-networks the objects of a loop's ops (owners) are in, by their
 * outermost network's label ("'prod', 'ea'"), so that a loop through a
 * built-in network's objects is found in the model; NULL when the loop is
 * at the top level only. */
static char *
loop_networks (Builder   *b,
               GPtrArray *owners)
{
  GPtrArray *objects = spk_network_get_objects (b->network);
  g_autoptr (GPtrArray) seen = g_ptr_array_new ();
  GString *where = g_string_new (NULL);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *outermost = NULL;
      g_autofree char *who = NULL;
      const char *label;

      for (SpkObject *up = spk_object_get_network (object); up != NULL; up = spk_object_get_network (up))
        outermost = up;
      if (outermost == NULL || g_ptr_array_find (seen, outermost, NULL))
        continue;
      who = _spk_builder_describe (object);
      if (!g_ptr_array_find_with_equal_func (owners, who, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, outermost);
      label = spk_object_get_label (outermost);
      g_string_append_printf (where, "%s'%s'", where->len ? ", " : "", label ? label : "?");
    }
  if (where->len == 0)
    {
      g_string_free (where, TRUE);
      return NULL;
    }
  return g_string_free (where, FALSE);
}

gboolean
_spk_builder_sort_ops (Builder  *b,
          GError  **error)
{
  GPtrArray *ops = b->plan->ops;
  guint n_ops = ops->len, n_signals = b->plan->signals->len;
  g_autofree guint *indegree = g_new0 (guint, n_ops);
  g_autofree GArray **succ = g_new0 (GArray *, n_ops);
  RoleTable table = { g_new0 (GArray *, (gsize) n_signals * N_ROLES) };
  static const Role before[][2] = {
    { ROLE_SET, ROLE_INC }, { ROLE_SET, ROLE_READ }, { ROLE_SET, ROLE_UPDATE },
    { ROLE_INC, ROLE_READ }, { ROLE_INC, ROLE_UPDATE }, { ROLE_READ, ROLE_UPDATE },
  };
  g_autoptr (GPtrArray) sorted = g_ptr_array_new_full (n_ops, _spk_builder_plan_op_free);
  GQueue ready[SPK_OP_N_KINDS];
  SpkOpKind current = SPK_OP_RESET;
  gboolean ok = TRUE;

  for (guint k = 0; k < SPK_OP_N_KINDS; k++)
    g_queue_init (&ready[k]);
  for (guint i = 0; i < n_ops; i++)
    op_roles (g_ptr_array_index (ops, i), collect_role, &table, i);
  for (guint s = 0; s < n_signals; s++)
    for (guint e = 0; e < G_N_ELEMENTS (before); e++)
      {
        GArray *from = table.by_role[(gsize) s * N_ROLES + before[e][0]];
        GArray *to = table.by_role[(gsize) s * N_ROLES + before[e][1]];

        if (from == NULL || to == NULL)
          continue;
        for (guint i = 0; i < from->len; i++)
          for (guint j = 0; j < to->len; j++)
            {
              guint a = g_array_index (from, guint, i), c = g_array_index (to, guint, j);

              if (a == c)
                continue;
              if (succ[a] == NULL)
                succ[a] = g_array_new (FALSE, FALSE, sizeof (guint));
              g_array_append_val (succ[a], c);
              indegree[c]++;
            }
      }

  for (guint i = 0; i < n_ops; i++)
    if (indegree[i] == 0)
      g_queue_push_tail (&ready[((SpkPlanOp *) g_ptr_array_index (ops, i))->kind], GUINT_TO_POINTER (i));
  for (;;)
    {
      guint i;

      /* Stay with the current kind while it has ready operators; else
       * switch to the kind whose first ready operator was made first. */
      if (g_queue_is_empty (&ready[current]))
        {
          guint best = G_MAXUINT;

          for (guint k = 0; k < SPK_OP_N_KINDS; k++)
            if (!g_queue_is_empty (&ready[k])
                && GPOINTER_TO_UINT (g_queue_peek_head (&ready[k])) < best)
              {
                best = GPOINTER_TO_UINT (g_queue_peek_head (&ready[k]));
                current = k;
              }
          if (best == G_MAXUINT)
            break;
        }
      i = GPOINTER_TO_UINT (g_queue_pop_head (&ready[current]));
      g_ptr_array_add (sorted, g_ptr_array_index (ops, i));
      if (succ[i])
        for (guint j = 0; j < succ[i]->len; j++)
          {
            guint c = g_array_index (succ[i], guint, j);

            if (--indegree[c] == 0)
              g_queue_push_tail (&ready[((SpkPlanOp *) g_ptr_array_index (ops, c))->kind],
                                 GUINT_TO_POINTER (c));
          }
    }

  if (sorted->len != n_ops)
    {
      const char *culprit = NULL;
      g_autofree gboolean *on_loop = g_new0 (gboolean, MAX (n_ops, 1));
      g_autoptr (GPtrArray) owners = g_ptr_array_new ();
      g_autofree char *where = NULL;
      gboolean changed = TRUE;

      /* The ops left are on a loop or after one: drop those with no
       * successor left until only loops remain. */
      for (guint i = 0; i < n_ops; i++)
        on_loop[i] = indegree[i] > 0;
      while (changed)
        {
          changed = FALSE;
          for (guint i = 0; i < n_ops; i++)
            {
              gboolean feeds = FALSE;

              if (!on_loop[i])
                continue;
              for (guint j = 0; succ[i] && j < succ[i]->len && !feeds; j++)
                feeds = on_loop[g_array_index (succ[i], guint, j)];
              if (!feeds)
                {
                  on_loop[i] = FALSE;
                  changed = TRUE;
                }
            }
        }
      /* Name an object on the loop: prefer a connection's op. */
      for (guint i = 0; i < n_ops; i++)
        if (on_loop[i])
          {
            SpkPlanOp *op = g_ptr_array_index (ops, i);

            g_ptr_array_add (owners, op->owner);
            if (culprit == NULL || g_str_has_prefix (op->owner, "connection"))
              culprit = op->owner;
          }
      where = loop_networks (b, owners);
      if (where != NULL)
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_CYCLE,
                     _("the network has a loop with no synapse in it (through %s, and inside the "
                       "sub-networks %s); give one of the loop's connections a synapse"),
                     culprit, where);
      else
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_CYCLE,
                     _("the network has a loop with no synapse in it (through %s); "
                       "give one of the loop's connections a synapse"),
                     culprit ? culprit : "?");
      ok = FALSE;
      g_ptr_array_set_free_func (sorted, NULL);
    }
  else
    {
      /* The ops now belong to sorted. */
      g_ptr_array_set_free_func (ops, NULL);
      g_ptr_array_unref (ops);
      b->plan->ops = g_steal_pointer (&sorted);
      merge_runs (b->plan);
      _spk_builder_coalesce_signals (b->plan);
    }

  for (guint i = 0; i < n_ops; i++)
    if (succ[i])
      g_array_unref (succ[i]);
  for (gsize i = 0; i < (gsize) n_signals * N_ROLES; i++)
    if (table.by_role[i])
      g_array_unref (table.by_role[i]);
  g_free (table.by_role);
  return ok;
}
