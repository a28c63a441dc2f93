/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-value-equal.h — equality of the model's boxed value types, for code
 * that walks properties generically (the model file, the inspector). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The equality of a model value type (SpkArray, SpkDistribution,
 * SpkNeuronType, SpkSynapse, SpkProcess, SpkSolver, SpkLearningRuleType,
 * SpkSlice), comparing
 * contents, NULL-safe; NULL for any other type. */
GEqualFunc spk_model_value_equal_func (GType type);

G_END_DECLS
