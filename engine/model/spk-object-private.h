/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-object-private.h — helpers the model's types share for their
 * property setters; not part of the public API. */
#pragma once

#include "model/spk-object.h"

G_BEGIN_DECLS

/* Sets *field to value (either may be NULL), notifying pspec only when
 * the value changed.  For the boxed value types of the model. */
gboolean    _spk_object_set_boxed    (GObject        *object,
                                      gpointer       *field,
                                      gconstpointer   value,
                                      GType           boxed_type,
                                      GEqualFunc      equal,
                                      GParamSpec     *pspec);
/* The same for a string property: *field becomes a copy of value. */
gboolean    _spk_object_set_string   (GObject        *object,
                                      char          **field,
                                      const char     *value,
                                      GParamSpec     *pspec);

G_END_DECLS
