/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-error.h — the engine's error domains, one per module. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_MODEL_ERROR (spk_model_error_quark ())
#define SPK_BUILD_ERROR (spk_build_error_quark ())
#define SPK_SIM_ERROR   (spk_sim_error_quark ())
#define SPK_IO_ERROR    (spk_io_error_quark ())

typedef enum
{
  SPK_MODEL_ERROR_INVALID,     /* a parameter value is out of its domain */
  SPK_MODEL_ERROR_LABEL,       /* duplicate or unknown label */
  SPK_MODEL_ERROR_SHAPE,       /* sizes that do not fit */
  SPK_MODEL_ERROR_CYCLE,       /* a sub-network inside itself */
} SpkModelError;

typedef enum
{
  SPK_BUILD_ERROR_INVALID,     /* a value the builder cannot use */
  SPK_BUILD_ERROR_SHAPE,
  SPK_BUILD_ERROR_CYCLE,       /* a loop with no synapse in it */
  SPK_BUILD_ERROR_SOLVER,      /* the least-squares solve failed */
  SPK_BUILD_ERROR_NO_MEMORY,
} SpkBuildError;

typedef enum
{
  SPK_SIM_ERROR_NOT_FINITE,    /* the state blew up to NaN or infinity */
  SPK_SIM_ERROR_INPUT,         /* bad input data for a run */
  SPK_SIM_ERROR_NO_MEMORY,
  SPK_SIM_ERROR_CALLBACK,      /* a Node computed outside the engine failed or has no function */
} SpkSimError;

typedef enum
{
  SPK_IO_ERROR_PARSE,          /* malformed file */
  SPK_IO_ERROR_FORMAT,         /* well formed, but not what we read */
  SPK_IO_ERROR_UNKNOWN,        /* unknown type or parameter */
  SPK_IO_ERROR_VALUE,          /* a value of the wrong type or range */
  SPK_IO_ERROR_WRITE,
} SpkIoError;

GQuark spk_model_error_quark (void);
GQuark spk_build_error_quark (void);
GQuark spk_sim_error_quark   (void);
GQuark spk_io_error_quark    (void);

/* Sets *error (when error is not NULL) to "prefix: message", message
 * formatted from format and args: the one way the readers say where a
 * problem is. */
void   spk_error_set_at_valist (GError     **error,
                                GQuark       domain,
                                int          code,
                                const char  *prefix,
                                const char  *format,
                                va_list      args) G_GNUC_PRINTF (5, 0);

G_END_DECLS
