/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-format.c — shortest round-tripping decimal forms of floats. */
#define G_LOG_DOMAIN "spk-format"

#include "spk-format.h"

#include <math.h>
#include <stdlib.h>

static const char *
shortest (char     buf[SPK_FORMAT_BUF_SIZE],
          double   value,
          int      max_digits,
          gboolean as_float)
{
  if (!isfinite (value))
    {
      g_strlcpy (buf, isnan (value) ? "nan" : value > 0 ? "inf" : "-inf", SPK_FORMAT_BUF_SIZE);
      return buf;
    }
  for (int digits = 1; digits <= max_digits; digits++)
    {
      char format[8];
      double back;

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, SPK_FORMAT_BUF_SIZE, format, value);
      back = g_ascii_strtod (buf, NULL);
      if (as_float ? (float) back == (float) value : back == value)
        break;
    }
  return buf;
}

const char *
spk_format_double (char   buf[SPK_FORMAT_BUF_SIZE],
                   double value)
{
  return shortest (buf, value, 17, FALSE);
}

const char *
spk_format_float (char  buf[SPK_FORMAT_BUF_SIZE],
                  float value)
{
  return shortest (buf, value, 9, TRUE);
}
