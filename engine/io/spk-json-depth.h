/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-json-depth.h — a bound on JSON nesting, checked before parsing. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects a model file may have; a
 * model needs a handful of levels (objects, a matrix, a distribution). */
#define SPK_JSON_MAX_DEPTH 64

/* FALSE with an SPK_IO_ERROR_PARSE naming the line when the JSON text
 * (length bytes, or up to its NUL when length < 0) nests arrays and
 * objects deeper than max_depth.  json-glib's parser recurses once per
 * level, so a file of 100,000 '[' would overflow the stack inside it;
 * this scan keeps no stack of its own.  Malformed text is left for the
 * parser to report. */
gboolean spk_json_check_depth (const char  *data,
                               gssize       length,
                               guint        max_depth,
                               GError     **error);

G_END_DECLS
