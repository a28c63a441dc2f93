/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-value-equal.c — which equality serves each model value type. */
#define G_LOG_DOMAIN "spk-value-equal"

#include "spk-value-equal.h"

#include "core/spk-array.h"
#include "core/spk-slice.h"
#include "model/spk-distribution.h"
#include "model/spk-learning-rule.h"
#include "model/spk-neuron-type.h"
#include "model/spk-process.h"
#include "model/spk-synapse.h"
#include "nef/spk-solver.h"

#include <json-glib/json-glib.h>

/* json_node_equal() compares numbers by value (1 equals 1.0). */
static gboolean
json_value_equal (gconstpointer a,
                  gconstpointer b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

GEqualFunc
spk_model_value_equal_func (GType type)
{
  if (type == SPK_TYPE_ARRAY)
    return (GEqualFunc) spk_array_equal;
  if (type == SPK_TYPE_DISTRIBUTION)
    return (GEqualFunc) spk_distribution_equal;
  if (type == SPK_TYPE_NEURON_TYPE)
    return (GEqualFunc) spk_neuron_type_equal;
  if (type == SPK_TYPE_SYNAPSE)
    return (GEqualFunc) spk_synapse_equal;
  if (type == SPK_TYPE_PROCESS)
    return (GEqualFunc) spk_process_equal;
  if (type == SPK_TYPE_SOLVER)
    return (GEqualFunc) spk_solver_equal;
  if (type == SPK_TYPE_LEARNING_RULE_TYPE)
    return (GEqualFunc) spk_learning_rule_type_equal;
  if (type == SPK_TYPE_SLICE)
    return (GEqualFunc) spk_slice_equal;
  if (type == JSON_TYPE_NODE)
    return json_value_equal;
  return NULL;
}
