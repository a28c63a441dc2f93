/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-format.h — numbers as text that read back to the very same value:
 * the shortest decimal that round-trips (at most 17 significant digits for
 * a double, 9 for a float), in the C locale. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_FORMAT_BUF_SIZE 32

const char *spk_format_double (char   buf[SPK_FORMAT_BUF_SIZE],
                               double value);
const char *spk_format_float  (char   buf[SPK_FORMAT_BUF_SIZE],
                               float  value);

G_END_DECLS
