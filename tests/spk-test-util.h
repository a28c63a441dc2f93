/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-test-util.h — small builders shared by the engine tests, so each
 * test reads like the Nengo script it mirrors. */
#pragma once

#include <json-glib/json-glib.h>

#include "builder/spk-plan.h"
#include "model/spk-network.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"

SpkNetwork    *tu_network     (gint64          seed,
                               SpkDtype        dtype);
SpkNode       *tu_node_expr   (SpkNetwork     *net,
                               const char     *label,
                               const char     *expr);
SpkNode       *tu_node_const  (SpkNetwork     *net,
                               const char     *label,
                               const double   *values,
                               gsize           n);
SpkNode       *tu_node_pass   (SpkNetwork     *net,
                               const char     *label,
                               guint           size_in);
SpkEnsemble   *tu_ensemble    (SpkNetwork     *net,
                               const char     *label,
                               int             n_neurons,
                               int             dims,
                               SpkNeuronKind   kind);
/* A layer of type over an h × w × c input (w = c = 0: a flat h). */
SpkLayer      *tu_layer       (SpkNetwork     *net,
                               const char     *label,
                               SpkLayerType    type,
                               guint           h,
                               guint           w,
                               guint           c);
/* tau < 0: no synapse (Nengo's None). */
SpkConnection *tu_connect     (SpkNetwork     *net,
                               gpointer        pre,
                               gboolean        pre_neurons,
                               gpointer        post,
                               gboolean        post_neurons,
                               double          tau);
SpkProbe      *tu_probe       (SpkNetwork     *net,
                               const char     *label,
                               gpointer        target,
                               gboolean        neurons,
                               const char     *attr,
                               double          tau);
void           tu_set_gain_bias (SpkEnsemble  *ens,
                                 double        gain,
                                 double        bias);
/* Builds, runs n_steps with batch 1 and returns the probe's data
 * (n_steps × size), asserting success. */
double        *tu_run_probe   (SpkNetwork     *net,
                               const char     *probe,
                               guint64         n_steps,
                               guint          *size);
/* A network Nengo ran, loaded from tests/data/<dir>/<name>.json, built and
 * run for the file's "steps" (the model's own dtype when dtype is NULL). */
typedef struct
{
  JsonParser   *parser;
  JsonObject   *root;   /* the file's object, owned by parser */
  SpkPlan      *plan;
  SpkSimulator *sim;
  guint         steps;
} TuReferenceRun;

void           tu_reference_run       (TuReferenceRun *run,
                                       const char     *dir,
                                       const char     *name,
                                       const SpkDtype *dtype);
void           tu_reference_run_clear (TuReferenceRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TuReferenceRun, tu_reference_run_clear)

/* The model text fails to load (at_build FALSE) or loads and fails to
 * build (TRUE), with fragment in the message. */
void           tu_assert_model_fails (const char *model,
                                      gboolean    at_build,
                                      const char *fragment);

/* The network written as a model file, read back and written again gives
 * the same text; the text is returned. */
char          *tu_model_written_twice (SpkNetwork *net);

/* A new temporary folder (template as g_dir_make_tmp ()) filled by the
 * Python script tests/<subdir>/<script> given the folder, asserting
 * success; tu_remove_dir () removes it and its files again. */
char          *tu_make_test_files (const char *tmp_template,
                                   const char *subdir,
                                   const char *script);
void           tu_remove_dir      (const char *path);

/* Reads path; success or an error, exactly one of them. */
typedef gboolean (*TuReadFunc) (const char *path,
                                GError    **error);
/* Seeded fuzzing of a reader: n times (× SPK_FUZZ_SCALE when set) a copy
 * of the file good with 1–8 random bytes changed is written to damaged
 * and read, which must end in success or an error, never a crash. */
void           tu_fuzz_file       (const char *good,
                                   const char *damaged,
                                   guint       n,
                                   guint64     seed,
                                   TuReadFunc  read);

/* Runs a network Nengo ran and compares every probe with Nengo's data
 * (tests/data/<dir>/<name>.json). */
void           tu_check_against_nengo (const char *dir,
                                       const char *name,
                                       SpkDtype    dtype,
                                       double      rtol_f64,
                                       gboolean    nonzero);
/* Registers /spk/<dir>/nengo/<case>/<float32|float64> for every name in
 * cases (n of them), each running tu_check_against_nengo (dir, case, …). */
void           tu_add_nengo_cases     (const char        *dir,
                                       const char *const *cases,
                                       guint              n,
                                       double             rtol_f64,
                                       gboolean           nonzero);

/* Central differences on every stride-th trainable value (0: an even
 * sample of up to 80), asserting |analytic − numeric| ≤ tol·max|analytic|. */
void           tu_check_gradient (SpkTrainer *trainer,
                                  SpkDataset *x,
                                  SpkDataset *y,
                                  gsize       stride,
                                  double      tol);
