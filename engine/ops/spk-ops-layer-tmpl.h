/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-layer-tmpl.h — the layer kernels for one dtype (REAL, SFX),
 * included twice by spk-ops-layer.c.  Shapes are in spk-ops-layer.h;
 * each forward is followed by its backward. */

/* ---- Dense --------------------------------------------------------------- */

void
SFX (spk_layer_dense_forward) (REAL       *y,
                               const REAL *x,
                               const REAL *W,
                               const REAL *b,
                               guint       batch,
                               guint       n_in,
                               guint       n_out)
{
  /* y (batch × n_out) = x (batch × n_in) · W (n_in × n_out) */
  CBLAS_GEMM (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) batch, (int) n_out, (int) n_in,
              1, x, (int) n_in, W, (int) n_out, 0, y, (int) n_out);
  if (b)
    for (guint r = 0; r < batch; r++)
      for (guint j = 0; j < n_out; j++)
        y[(gsize) r * n_out + j] += b[j];
}

void
SFX (spk_layer_dense_backward) (REAL       *g_x,
                                REAL       *g_W,
                                REAL       *g_b,
                                const REAL *g_y,
                                const REAL *x,
                                const REAL *W,
                                guint       batch,
                                guint       n_in,
                                guint       n_out)
{
  /* g_W (n_in × n_out) += xᵀ (n_in × batch) · g_y (batch × n_out) */
  if (g_W)
    CBLAS_GEMM (CblasRowMajor, CblasTrans, CblasNoTrans, (int) n_in, (int) n_out, (int) batch,
                1, x, (int) n_in, g_y, (int) n_out, 1, g_W, (int) n_out);
  if (g_b)
    for (guint r = 0; r < batch; r++)
      for (guint j = 0; j < n_out; j++)
        g_b[j] += g_y[(gsize) r * n_out + j];
  /* g_x (batch × n_in) += g_y (batch × n_out) · Wᵀ (n_out × n_in) */
  if (g_x)
    CBLAS_GEMM (CblasRowMajor, CblasNoTrans, CblasTrans, (int) batch, (int) n_in, (int) n_out,
                1, g_y, (int) n_out, W, (int) n_out, 1, g_x, (int) n_in);
}

/* ---- Conv2D through patches (im2col) ------------------------------------ */

/* cols (batch·out_h·out_w × kh·kw·c) ← the windows of x (batch × h × w × c),
 * zeros where a window hangs over the padding. */
static void
SFX (im2col) (REAL                 *cols,
              const REAL           *x,
              const SpkLayerWindow *win,
              guint                 batch)
{
  const gsize patch = (gsize) win->kh * win->kw * win->c;

  for (guint b = 0; b < batch; b++)
    for (guint oy = 0; oy < win->out_h; oy++)
      for (guint ox = 0; ox < win->out_w; ox++)
        {
          REAL *row = cols + (((gsize) b * win->out_h + oy) * win->out_w + ox) * patch;

          for (guint ky = 0; ky < win->kh; ky++)
            for (guint kx = 0; kx < win->kw; kx++)
              {
                const long iy = (long) oy * win->stride + ky - win->pad_top;
                const long ix = (long) ox * win->stride + kx - win->pad_left;
                REAL *dst = row + ((gsize) ky * win->kw + kx) * win->c;

                if (iy < 0 || ix < 0 || iy >= (long) win->h || ix >= (long) win->w)
                  memset (dst, 0, win->c * sizeof (REAL));
                else
                  memcpy (dst, x + (((gsize) b * win->h + (gsize) iy) * win->w + (gsize) ix) * win->c,
                          win->c * sizeof (REAL));
              }
        }
}

/* g_x (batch × h × w × c) += the patches g_cols (as cols) put back. */
static void
SFX (col2im) (REAL                 *g_x,
              const REAL           *g_cols,
              const SpkLayerWindow *win,
              guint                 batch)
{
  const gsize patch = (gsize) win->kh * win->kw * win->c;

  for (guint b = 0; b < batch; b++)
    for (guint oy = 0; oy < win->out_h; oy++)
      for (guint ox = 0; ox < win->out_w; ox++)
        {
          const REAL *row = g_cols + (((gsize) b * win->out_h + oy) * win->out_w + ox) * patch;

          for (guint ky = 0; ky < win->kh; ky++)
            for (guint kx = 0; kx < win->kw; kx++)
              {
                const long iy = (long) oy * win->stride + ky - win->pad_top;
                const long ix = (long) ox * win->stride + kx - win->pad_left;
                const REAL *src = row + ((gsize) ky * win->kw + kx) * win->c;
                REAL *dst;

                if (iy < 0 || ix < 0 || iy >= (long) win->h || ix >= (long) win->w)
                  continue;
                dst = g_x + (((gsize) b * win->h + (gsize) iy) * win->w + (gsize) ix) * win->c;
                for (guint ch = 0; ch < win->c; ch++)
                  dst[ch] += src[ch];
              }
        }
}

void
SFX (spk_layer_conv2d_forward) (REAL                 *y,
                                REAL                 *cols,
                                const REAL           *x,
                                const REAL           *K,
                                const REAL           *b,
                                const SpkLayerWindow *win,
                                guint                 filters,
                                guint                 batch)
{
  const int rows = (int) (batch * win->out_h * win->out_w), patch = (int) (win->kh * win->kw * win->c);

  SFX (im2col) (cols, x, win, batch);
  /* y (rows × F) = cols (rows × patch) · K (patch × F) */
  CBLAS_GEMM (CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, (int) filters, patch,
              1, cols, patch, K, (int) filters, 0, y, (int) filters);
  if (b)
    for (gsize r = 0; r < (gsize) rows; r++)
      for (guint f = 0; f < filters; f++)
        y[r * filters + f] += b[f];
}

void
SFX (spk_layer_conv2d_backward) (REAL                 *g_x,
                                 REAL                 *g_K,
                                 REAL                 *g_b,
                                 REAL                 *g_cols,
                                 const REAL           *g_y,
                                 const REAL           *cols,
                                 const REAL           *K,
                                 const SpkLayerWindow *win,
                                 guint                 filters,
                                 guint                 batch)
{
  const int rows = (int) (batch * win->out_h * win->out_w), patch = (int) (win->kh * win->kw * win->c);

  /* g_K (patch × F) += colsᵀ (patch × rows) · g_y (rows × F) */
  if (g_K)
    CBLAS_GEMM (CblasRowMajor, CblasTrans, CblasNoTrans, patch, (int) filters, rows,
                1, cols, patch, g_y, (int) filters, 1, g_K, (int) filters);
  if (g_b)
    for (gsize r = 0; r < (gsize) rows; r++)
      for (guint f = 0; f < filters; f++)
        g_b[f] += g_y[r * filters + f];
  if (g_x)
    {
      /* g_cols (rows × patch) = g_y (rows × F) · Kᵀ (F × patch) */
      CBLAS_GEMM (CblasRowMajor, CblasNoTrans, CblasTrans, rows, patch, (int) filters,
                  1, g_y, (int) filters, K, (int) filters, 0, g_cols, patch);
      SFX (col2im) (g_x, g_cols, win, batch);
    }
}

/* ---- AveragePooling2D ---------------------------------------------------- */

/* The input cells of output (oy, ox), clipped to the image. */
static inline void
SFX (pool_range) (const SpkLayerWindow *win,
                  guint                 oy,
                  guint                 ox,
                  long                 *y0,
                  long                 *y1,
                  long                 *x0,
                  long                 *x1)
{
  *y0 = MAX ((long) oy * win->stride - (long) win->pad_top, 0);
  *x0 = MAX ((long) ox * win->stride - (long) win->pad_left, 0);
  *y1 = MIN ((long) oy * win->stride - (long) win->pad_top + (long) win->kh, (long) win->h);
  *x1 = MIN ((long) ox * win->stride - (long) win->pad_left + (long) win->kw, (long) win->w);
}

void
SFX (spk_layer_avgpool_forward) (REAL                 *y,
                                 const REAL           *x,
                                 const SpkLayerWindow *win,
                                 guint                 batch)
{
  for (guint b = 0; b < batch; b++)
    for (guint oy = 0; oy < win->out_h; oy++)
      for (guint ox = 0; ox < win->out_w; ox++)
        {
          REAL *out = y + (((gsize) b * win->out_h + oy) * win->out_w + ox) * win->c;
          long y0, y1, x0, x1;
          REAL scale;

          SFX (pool_range) (win, oy, ox, &y0, &y1, &x0, &x1);
          scale = (REAL) 1 / (REAL) ((y1 - y0) * (x1 - x0));
          memset (out, 0, win->c * sizeof (REAL));
          for (long iy = y0; iy < y1; iy++)
            for (long ix = x0; ix < x1; ix++)
              {
                const REAL *in = x + (((gsize) b * win->h + (gsize) iy) * win->w + (gsize) ix) * win->c;

                for (guint ch = 0; ch < win->c; ch++)
                  out[ch] += in[ch];
              }
          for (guint ch = 0; ch < win->c; ch++)
            out[ch] *= scale;
        }
}

void
SFX (spk_layer_avgpool_backward) (REAL                 *g_x,
                                  const REAL           *g_y,
                                  const SpkLayerWindow *win,
                                  guint                 batch)
{
  for (guint b = 0; b < batch; b++)
    for (guint oy = 0; oy < win->out_h; oy++)
      for (guint ox = 0; ox < win->out_w; ox++)
        {
          const REAL *g = g_y + (((gsize) b * win->out_h + oy) * win->out_w + ox) * win->c;
          long y0, y1, x0, x1;
          REAL scale;

          SFX (pool_range) (win, oy, ox, &y0, &y1, &x0, &x1);
          scale = (REAL) 1 / (REAL) ((y1 - y0) * (x1 - x0));
          for (long iy = y0; iy < y1; iy++)
            for (long ix = x0; ix < x1; ix++)
              {
                REAL *gx = g_x + (((gsize) b * win->h + (gsize) iy) * win->w + (gsize) ix) * win->c;

                for (guint ch = 0; ch < win->c; ch++)
                  gx[ch] += g[ch] * scale;
              }
        }
}

/* ---- BatchNormalization -------------------------------------------------- */

void
SFX (spk_layer_batchnorm_forward) (REAL       *y,
                                   REAL       *xhat,
                                   REAL       *inv_std,
                                   const REAL *x,
                                   const REAL *gamma,
                                   const REAL *beta,
                                   REAL       *moving_mean,
                                   REAL       *moving_var,
                                   double      momentum,
                                   double      eps,
                                   gboolean    training,
                                   guint       n,
                                   guint       c)
{
  for (guint ch = 0; ch < c; ch++)
    {
      double mean, var, is;

      if (training)
        {
          double s = 0.0, ss = 0.0;

          for (guint r = 0; r < n; r++)
            s += x[(gsize) r * c + ch];
          mean = s / n;
          for (guint r = 0; r < n; r++)
            {
              const double d = x[(gsize) r * c + ch] - mean;

              ss += d * d;
            }
          var = ss / n;
          moving_mean[ch] = (REAL) (momentum * moving_mean[ch] + (1.0 - momentum) * mean);
          moving_var[ch] = (REAL) (momentum * moving_var[ch] + (1.0 - momentum) * var);
        }
      else
        {
          mean = moving_mean[ch];
          var = moving_var[ch];
        }
      is = 1.0 / sqrt (var + eps);
      if (training)
        inv_std[ch] = (REAL) is;
      for (guint r = 0; r < n; r++)
        {
          const double h = (x[(gsize) r * c + ch] - mean) * is;

          if (training)
            xhat[(gsize) r * c + ch] = (REAL) h;
          y[(gsize) r * c + ch] = (REAL) (gamma[ch] * h + beta[ch]);
        }
    }
}

void
SFX (spk_layer_batchnorm_backward) (REAL       *g_x,
                                    REAL       *g_gamma,
                                    REAL       *g_beta,
                                    const REAL *g_y,
                                    const REAL *xhat,
                                    const REAL *inv_std,
                                    const REAL *gamma,
                                    guint       n,
                                    guint       c)
{
  for (guint ch = 0; ch < c; ch++)
    {
      double sg = 0.0, sgh = 0.0;

      for (guint r = 0; r < n; r++)
        {
          sg += g_y[(gsize) r * c + ch];
          sgh += (double) g_y[(gsize) r * c + ch] * xhat[(gsize) r * c + ch];
        }
      if (g_gamma)
        g_gamma[ch] += (REAL) sgh;
      if (g_beta)
        g_beta[ch] += (REAL) sg;
      if (g_x)
        {
          const double k = gamma[ch] * inv_std[ch] / n;

          for (guint r = 0; r < n; r++)
            g_x[(gsize) r * c + ch] += (REAL) (k * (n * (double) g_y[(gsize) r * c + ch] - sg
                                                    - xhat[(gsize) r * c + ch] * sgh));
        }
    }
}

/* ---- Dropout ------------------------------------------------------------- */

void
SFX (spk_layer_dropout_forward) (REAL       *y,
                                 REAL       *mask,
                                 const REAL *x,
                                 double      rate,
                                 SpkRng     *rng,
                                 gsize       count)
{
  const REAL keep = (REAL) (1.0 / (1.0 - rate));

  for (gsize i = 0; i < count; i++)
    {
      mask[i] = spk_rng_uniform (rng) < rate ? 0 : keep;
      y[i] = x[i] * mask[i];
    }
}

void
SFX (spk_layer_dropout_backward) (REAL       *g_x,
                                  const REAL *g_y,
                                  const REAL *mask,
                                  gsize       count)
{
  for (gsize i = 0; i < count; i++)
    g_x[i] += g_y[i] * mask[i];
}
