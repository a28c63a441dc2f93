/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-layer.c — the layer kernels (spk-ops-layer.h) in float32 and
 * float64 from one template, and the window arithmetic they share. */
#define G_LOG_DOMAIN "spk-ops-layer"

#include "ops/spk-ops-layer.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-pool.h"

gboolean
spk_layer_window_init (SpkLayerWindow *win,
                       const char     *what,
                       GError        **error)
{
  guint sw;

  if (win->h == 0 || win->w == 0 || win->c == 0 || win->kh == 0 || win->kw == 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("%s: the input (%u × %u × %u) and the window (%u × %u) must not be empty"),
                   what, win->h, win->w, win->c, win->kh, win->kw);
      return FALSE;
    }
  if (win->stride == 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE, _("%s: the stride must be at least 1"), what);
      return FALSE;
    }
  sw = spk_layer_window_stride_w (win);
  if (win->same)
    {
      guint ph, pw;

      win->out_h = (win->h + win->stride - 1) / win->stride;
      win->out_w = (win->w + sw - 1) / sw;
      ph = (win->out_h - 1) * win->stride + win->kh > win->h ? (win->out_h - 1) * win->stride + win->kh - win->h : 0;
      pw = (win->out_w - 1) * sw + win->kw > win->w ? (win->out_w - 1) * sw + win->kw - win->w : 0;
      win->pad_top = ph / 2;
      win->pad_left = pw / 2;
      return TRUE;
    }
  if (win->kh > win->h || win->kw > win->w)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("%s: a %u × %u window does not fit a %u × %u input without padding; use \"same\" padding"),
                   what, win->kh, win->kw, win->h, win->w);
      return FALSE;
    }
  win->out_h = (win->h - win->kh) / win->stride + 1;
  win->out_w = (win->w - win->kw) / sw + 1;
  win->pad_top = win->pad_left = 0;
  return TRUE;
}

#define REAL float
#define SFX(name) name##_f32
#define CBLAS_GEMM cblas_sgemm
#include "spk-ops-layer-tmpl.h"
#undef REAL
#undef SFX
#undef CBLAS_GEMM

#define REAL double
#define SFX(name) name##_f64
#define CBLAS_GEMM cblas_dgemm
#include "spk-ops-layer-tmpl.h"
#undef REAL
#undef SFX
#undef CBLAS_GEMM
