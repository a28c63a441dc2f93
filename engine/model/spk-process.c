/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-process.c — Node processes as values: construction with Nengo's
 * defaults, copying, comparison, naming and validation.  The running
 * state (tables, random streams) is in ops/spk-ops-process.c. */
#define G_LOG_DOMAIN "spk-process"

#include "spk-process.h"

#include <math.h>

#include "core/spk-error.h"
#include "core/spk-names.h"

G_DEFINE_BOXED_TYPE (SpkProcess, spk_process, spk_process_ref, spk_process_unref)

static void
process_clear (gpointer data)
{
  SpkProcess *self = data;

  spk_distribution_unref (self->dist);
  spk_array_unref (self->inputs);
  spk_array_unref (self->times);
  spk_array_unref (self->values);
  g_free (self->dataset);
  spk_synapse_unref (self->synapse);
}

const char *const *
spk_process_dataset_names (void)
{
  static const char *const names[] = { "fashion-mnist", "generated-images", NULL };

  return names;
}

SpkProcess *
spk_process_new (SpkProcessKind kind)
{
  SpkProcess *self;

  g_return_val_if_fail (kind < SPK_PROCESS_N_KINDS, NULL);

  self = g_atomic_rc_box_new0 (SpkProcess);
  self->kind = kind;
  self->period = 10.0;
  self->high = 5.0;
  self->rms = 0.5;
  self->y0 = NAN;
  self->scale = TRUE;
  self->presentation_time = 0.1;
  self->seed = -1;
  self->dataset_count = 100;
  if (kind == SPK_PROCESS_WHITE_NOISE || kind == SPK_PROCESS_FILTERED_NOISE || kind == SPK_PROCESS_BROWN_NOISE)
    self->dist = spk_distribution_new_gaussian (0.0, 1.0);
  if (kind == SPK_PROCESS_FILTERED_NOISE)
    self->synapse = spk_synapse_new_lowpass (0.005);
  return self;
}

SpkProcess *
spk_process_copy (const SpkProcess *self)
{
  SpkProcess *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_atomic_rc_box_dup (sizeof (SpkProcess), (gpointer) self);
  if (copy->dist)
    spk_distribution_ref (copy->dist);
  if (copy->inputs)
    spk_array_ref (copy->inputs);
  if (copy->times)
    spk_array_ref (copy->times);
  if (copy->values)
    spk_array_ref (copy->values);
  copy->dataset = g_strdup (self->dataset);
  if (copy->synapse)
    spk_synapse_ref (copy->synapse);
  return copy;
}

SpkProcess *
spk_process_ref (SpkProcess *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
spk_process_unref (SpkProcess *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, process_clear);
}

/* NAN stands for "no y0", so two unset values are equal. */
static gboolean
same_number (double a,
             double b)
{
  return a == b || (isnan (a) && isnan (b));
}

gboolean
spk_process_equal (const SpkProcess *a,
                   const SpkProcess *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->kind != b->kind)
    return FALSE;
  return a->period == b->period && a->high == b->high && a->rms == b->rms
         && same_number (a->y0, b->y0)
         && spk_distribution_equal (a->dist, b->dist) && a->scale == b->scale
         && spk_array_equal (a->inputs, b->inputs)
         && a->presentation_time == b->presentation_time
         && g_strcmp0 (a->dataset, b->dataset) == 0
         && a->dataset_train == b->dataset_train
         && a->dataset_first == b->dataset_first
         && a->dataset_count == b->dataset_count
         && spk_array_equal (a->times, b->times)
         && spk_array_equal (a->values, b->values)
         && a->interpolation == b->interpolation
         && spk_synapse_equal (a->synapse, b->synapse)
         && a->seed == b->seed;
}

static const char *const kind_names[] = {
  [SPK_PROCESS_WHITE_SIGNAL] = "WhiteSignal",
  [SPK_PROCESS_WHITE_NOISE] = "WhiteNoise",
  [SPK_PROCESS_PRESENT_INPUT] = "PresentInput",
  [SPK_PROCESS_PIECEWISE] = "Piecewise",
  [SPK_PROCESS_FILTERED_NOISE] = "FilteredNoise",
  [SPK_PROCESS_BROWN_NOISE] = "BrownNoise",
};

SPK_DEFINE_KIND_NAMES (spk_process_kind, SpkProcessKind, kind_names, SPK_PROCESS_N_KINDS)

static const char *const interpolation_names[] = {
  [SPK_INTERPOLATION_ZERO] = "zero",
  [SPK_INTERPOLATION_LINEAR] = "linear",
  [SPK_INTERPOLATION_NEAREST] = "nearest",
  [SPK_INTERPOLATION_SLINEAR] = "slinear",
  [SPK_INTERPOLATION_QUADRATIC] = "quadratic",
  [SPK_INTERPOLATION_CUBIC] = "cubic",
};

SPK_DEFINE_KIND_NAMES (spk_interpolation, SpkInterpolation, interpolation_names, SPK_INTERPOLATION_N_KINDS)

/* Items of PresentInput's inputs and Piecewise's values are the rows of a
 * matrix, or scalars for a vector. */
static guint
row_length (const SpkArray *array)
{
  if (array == NULL)
    return 0;
  return array->ndim == 2 ? (guint) array->shape[1] : 1;
}

static gsize
row_count (const SpkArray *array)
{
  if (array == NULL)
    return 0;
  return array->ndim == 0 ? 1 : array->shape[0];
}

guint
spk_process_default_size_out (const SpkProcess *self)
{
  g_return_val_if_fail (self != NULL, 0);

  switch (self->kind)
    {
    case SPK_PROCESS_WHITE_SIGNAL:
    case SPK_PROCESS_WHITE_NOISE:
    case SPK_PROCESS_FILTERED_NOISE:
    case SPK_PROCESS_BROWN_NOISE:
      return 1;
    case SPK_PROCESS_PRESENT_INPUT:
      return self->dataset ? SPK_PROCESS_DATASET_IMAGE_SIZE : row_length (self->inputs);
    case SPK_PROCESS_PIECEWISE:
      return row_length (self->values);
    case SPK_PROCESS_N_KINDS:
    default:
      g_return_val_if_reached (0);
    }
}

static gboolean
check_positive (const char  *kind,
                const char  *param,
                double       value,
                GError     **error)
{
  if (!(value > 0.0) || !isfinite (value))
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "%s %s must be a positive number (got %g)", kind, param, value);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_size_out (const char  *kind,
                const char  *param,
                guint        natural,
                guint        size_out,
                GError     **error)
{
  if (natural != size_out)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                   "%s %s have %u dimensions but the output has %u",
                   kind, param, natural, size_out);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_piecewise (const SpkProcess  *self,
                    guint              size_out,
                    GError           **error)
{
  const SpkArray *times = self->times;
  gsize n;

  if (times == NULL || times->size == 0 || times->ndim > 1)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "Piecewise times must be a non-empty vector");
      return FALSE;
    }
  n = times->size;
  if (!spk_array_all_finite (times))
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "Piecewise times must be finite numbers");
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    for (gsize j = i + 1; j < n; j++)
      if (times->data[i] == times->data[j])
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "Piecewise times must be distinct (%g appears twice)",
                       times->data[i]);
          return FALSE;
        }
  if (self->values == NULL || row_count (self->values) != n)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                   "Piecewise values must have one row per time (%zu times, %zu rows)",
                   n, row_count (self->values));
      return FALSE;
    }
  if (!spk_array_all_finite (self->values))
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "Piecewise values must be finite numbers");
      return FALSE;
    }
  /* scipy's interp1d needs one key more than the spline's order. */
  {
    static const guint min_keys[] = { 1, 2, 1, 2, 3, 4 };

    G_STATIC_ASSERT (G_N_ELEMENTS (min_keys) == SPK_INTERPOLATION_N_KINDS);
    if ((guint) self->interpolation >= SPK_INTERPOLATION_N_KINDS)
      {
        g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                     "Piecewise interpolation %d is unknown", (int) self->interpolation);
        return FALSE;
      }
    if (n < min_keys[self->interpolation])
      {
        g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                     "Piecewise with '%s' interpolation needs at least %u times (got %zu)",
                     interpolation_names[self->interpolation], min_keys[self->interpolation], n);
        return FALSE;
      }
  }
  return check_size_out ("Piecewise", "values", row_length (self->values), size_out, error);
}

static gboolean
validate_dataset (const SpkProcess  *self,
                  guint              size_out,
                  GError           **error)
{
  if (!g_strv_contains (spk_process_dataset_names (), self->dataset))
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "PresentInput: there is no data set '%s' (known: fashion-mnist, generated-images)",
                   self->dataset);
      return FALSE;
    }
  if (self->dataset_count < 1 || self->dataset_count > SPK_PROCESS_DATASET_MAX_COUNT)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "PresentInput: the data set's count must be from 1 to %d (got %u)",
                   SPK_PROCESS_DATASET_MAX_COUNT, self->dataset_count);
      return FALSE;
    }
  if (!check_positive ("PresentInput", "presentation_time", self->presentation_time, error))
    return FALSE;
  return check_size_out ("PresentInput", "images", SPK_PROCESS_DATASET_IMAGE_SIZE, size_out, error);
}

gboolean
spk_process_validate (const SpkProcess  *self,
                      guint              size_out,
                      GError           **error)
{
  const char *name;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = spk_process_kind_to_name (self->kind);
  switch (self->kind)
    {
    case SPK_PROCESS_WHITE_SIGNAL:
      if (!check_positive (name, "period", self->period, error)
          || !check_positive (name, "high", self->high, error)
          || !check_positive (name, "rms", self->rms, error))
        return FALSE;
      if (self->high < 1.0 / self->period)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "WhiteSignal high (%g Hz) must be at least 1/period (%g Hz) "
                       "to produce a non-zero signal", self->high, 1.0 / self->period);
          return FALSE;
        }
      if (isinf (self->y0))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "WhiteSignal y0 must be a finite number or unset");
          return FALSE;
        }
      break;

    case SPK_PROCESS_WHITE_NOISE:
    case SPK_PROCESS_FILTERED_NOISE:
    case SPK_PROCESS_BROWN_NOISE:
      if (self->dist == NULL)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "%s needs a distribution (dist)", name);
          return FALSE;
        }
      if (self->kind == SPK_PROCESS_FILTERED_NOISE)
        {
          if (self->synapse == NULL)
            {
              g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                           "FilteredNoise needs a synapse (not null)");
              return FALSE;
            }
          if (!spk_synapse_validate (self->synapse, error))
            return g_prefix_error (error, "FilteredNoise synapse: "), FALSE;
        }
      break;

    case SPK_PROCESS_PRESENT_INPUT:
      if (self->dataset != NULL)
        return validate_dataset (self, size_out, error);
      if (self->inputs == NULL || self->inputs->size == 0)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "PresentInput needs at least one input (inputs)");
          return FALSE;
        }
      if (!spk_array_all_finite (self->inputs))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "PresentInput inputs must be finite numbers");
          return FALSE;
        }
      if (!check_positive (name, "presentation_time", self->presentation_time, error))
        return FALSE;
      return check_size_out (name, "inputs", row_length (self->inputs), size_out, error);

    case SPK_PROCESS_PIECEWISE:
      return validate_piecewise (self, size_out, error);

    case SPK_PROCESS_N_KINDS:
    default:
      g_return_val_if_reached (FALSE);
    }

  if (size_out == 0)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                   "%s needs at least one output dimension", name);
      return FALSE;
    }
  return TRUE;
}
