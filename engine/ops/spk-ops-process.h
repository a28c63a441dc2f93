/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-process.h — a running process: the precomputed table or random
 * stream behind a Node's process output, evaluated once per step.
 *
 * Built once per Node at build time (allocation happens there); evaluating
 * a step never allocates.  Output at step n (n = 1, 2, …, t = n·dt) depends
 * only on n and the seed, so reset just rewinds.
 */
#pragma once

#include <glib.h>

#include "model/spk-process.h"

G_BEGIN_DECLS

typedef struct _SpkProcessState SpkProcessState;

SpkProcessState *spk_process_state_new   (const SpkProcess *process,
                                          guint             size_out,
                                          double            dt,
                                          guint64           seed,
                                          GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void             spk_process_state_free  (SpkProcessState  *self);
/* Back to before step 1 (random streams restart from the seed). */
void             spk_process_state_reset (SpkProcessState  *self);
/* Takes from's position in its random stream and its filter's state, so
 * a run rebuilt mid-way goes on; FALSE (nothing taken) when from runs
 * another kind of process, size or seed. */
gboolean         spk_process_state_carry (SpkProcessState       *self,
                                          const SpkProcessState *from);
/* Writes the output (size_out) of step n.  Steps are asked for in
 * increasing order after a reset; random processes may rely on it. */
void             spk_process_state_eval  (SpkProcessState  *self,
                                          guint64           step,
                                          double           *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkProcessState, spk_process_state_free)

G_END_DECLS
