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

/* cols (rows of images [b0, b1), out_h·out_w × kh·kw·c each) ← the windows
 * of x (batch × h × w × c), zeros where a window hangs over the padding.
 * A window's row ky is kw·c values side by side in x: one copy each, not
 * one per channel run (conv0's single channel made that a call per value). */
static void
SFX (im2col) (REAL                 *cols,
              const REAL           *x,
              const SpkLayerWindow *win,
              guint                 b0,
              guint                 b1)
{
  const gsize patch = (gsize) win->kh * win->kw * win->c, run = (gsize) win->kw * win->c;
  const long sw = (long) spk_layer_window_stride_w (win);

  for (guint b = b0; b < b1; b++)
    for (guint oy = 0; oy < win->out_h; oy++)
      for (guint ox = 0; ox < win->out_w; ox++)
        {
          REAL *row = cols + (((gsize) b * win->out_h + oy) * win->out_w + ox) * patch;
          const long ix0 = (long) ox * sw - (long) win->pad_left;
          /* The columns of the window inside the image: [kx0, kx1). */
          const long kx0 = MAX (-ix0, 0), kx1 = MIN ((long) win->kw, (long) win->w - ix0);

          for (guint ky = 0; ky < win->kh; ky++)
            {
              const long iy = (long) oy * win->stride + ky - (long) win->pad_top;
              REAL *dst = row + (gsize) ky * run;
              const REAL *src;

              if (iy < 0 || iy >= (long) win->h || kx0 >= kx1)
                {
                  memset (dst, 0, run * sizeof (REAL));
                  continue;
                }
              if (kx0 > 0)
                memset (dst, 0, (gsize) kx0 * win->c * sizeof (REAL));
              src = x + (((gsize) b * win->h + (gsize) iy) * win->w + (gsize) (ix0 + kx0)) * win->c;
              for (gsize i = 0; i < (gsize) (kx1 - kx0) * win->c; i++)
                dst[(gsize) kx0 * win->c + i] = src[i];
              if (kx1 < (long) win->kw)
                memset (dst + (gsize) kx1 * win->c, 0, (gsize) (win->kw - kx1) * win->c * sizeof (REAL));
            }
        }
}

/* g_x (images [b0, b1) of batch × h × w × c) += their patches g_cols (as
 * cols) put back. */
static void
SFX (col2im) (REAL                 *g_x,
              const REAL           *g_cols,
              const SpkLayerWindow *win,
              guint                 b0,
              guint                 b1)
{
  const gsize patch = (gsize) win->kh * win->kw * win->c, run = (gsize) win->kw * win->c;
  const long sw = (long) spk_layer_window_stride_w (win);

  for (guint b = b0; b < b1; b++)
    for (guint oy = 0; oy < win->out_h; oy++)
      for (guint ox = 0; ox < win->out_w; ox++)
        {
          const REAL *row = g_cols + (((gsize) b * win->out_h + oy) * win->out_w + ox) * patch;
          const long ix0 = (long) ox * sw - (long) win->pad_left;
          const long kx0 = MAX (-ix0, 0), kx1 = MIN ((long) win->kw, (long) win->w - ix0);

          if (kx0 >= kx1)
            continue;
          for (guint ky = 0; ky < win->kh; ky++)
            {
              const long iy = (long) oy * win->stride + ky - (long) win->pad_top;
              const REAL *src = row + (gsize) ky * run + (gsize) kx0 * win->c;
              REAL *dst;

              if (iy < 0 || iy >= (long) win->h)
                continue;
              dst = g_x + (((gsize) b * win->h + (gsize) iy) * win->w + (gsize) (ix0 + kx0)) * win->c;
              for (gsize i = 0; i < (gsize) (kx1 - kx0) * win->c; i++)
                dst[i] += src[i];
            }
        }
}

/* What a part of a Conv2D's work needs (the pool passes one pointer). */
typedef struct
{
  REAL                 *y, *cols;            /* forward */
  const REAL           *x, *b;
  REAL                 *g_x, *g_K, *g_cols;  /* backward */
  const REAL           *g_y, *taped;         /* taped: the forward's cols */
  const REAL           *K;
  const SpkLayerWindow *win;
  guint                 filters;
  gsize                 rows;     /* batch·out_h·out_w */
} SFX (ConvJob);

/* Whether to split a Conv2D over the pool: OpenBLAS single-threaded
 * (else its own threads split each product, and two splitters would
 * fight over the cores) and a pool with helpers. */
static gboolean
SFX (conv_parallel) (void)
{
  return openblas_get_num_threads () == 1 && spk_pool_get_n_threads () > 1;
}

/* Forward of images [b0, b1): patches, product, bias. */
static void
SFX (conv_forward_part) (gpointer data,
                         gsize    b0,
                         gsize    b1)
{
  const SFX (ConvJob) *j = data;
  const SpkLayerWindow *win = j->win;
  const gsize per = (gsize) win->out_h * win->out_w, patch = (gsize) win->kh * win->kw * win->c;
  const gsize r0 = b0 * per, nr = (b1 - b0) * per;
  REAL *y = j->y + r0 * j->filters;

  SFX (im2col) (j->cols, j->x, win, (guint) b0, (guint) b1);
  /* y (rows × F) = cols (rows × patch) · K (patch × F) */
  CBLAS_GEMM (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) nr, (int) j->filters, (int) patch,
              1, j->cols + r0 * patch, (int) patch, j->K, (int) j->filters, 0, y, (int) j->filters);
  if (j->b)
    for (gsize r = 0; r < nr; r++)
      for (guint f = 0; f < j->filters; f++)
        y[r * j->filters + f] += j->b[f];
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
  SFX (ConvJob) job = { .y = y, .cols = cols, .x = x, .K = K, .b = b, .win = win, .filters = filters };

  if (SFX (conv_parallel) ())
    spk_pool_for (SFX (conv_forward_part), &job, batch, 1, 2);
  else
    SFX (conv_forward_part) (&job, 0, batch);
}

/* Rows [p0, p1) of the kernel gradient: g_K[p0:p1] += cols[:, p0:p1]ᵀ · g_y,
 * a product over every output position of the batch. */
static void
SFX (conv_kernel_grad_part) (gpointer data,
                             gsize    p0,
                             gsize    p1)
{
  const SFX (ConvJob) *j = data;
  const gsize patch = (gsize) j->win->kh * j->win->kw * j->win->c;

  /* g_K (patch × F) += colsᵀ (patch × rows) · g_y (rows × F) */
  CBLAS_GEMM (CblasRowMajor, CblasTrans, CblasNoTrans, (int) (p1 - p0), (int) j->filters, (int) j->rows,
              1, j->taped + p0, (int) patch, j->g_y, (int) j->filters, 1, j->g_K + p0 * j->filters,
              (int) j->filters);
}

/* The input gradient of images [b0, b1): their patches' gradient, put back. */
static void
SFX (conv_input_grad_part) (gpointer data,
                            gsize    b0,
                            gsize    b1)
{
  const SFX (ConvJob) *j = data;
  const SpkLayerWindow *win = j->win;
  const gsize per = (gsize) win->out_h * win->out_w, patch = (gsize) win->kh * win->kw * win->c;
  const gsize r0 = b0 * per, nr = (b1 - b0) * per;

  /* g_cols (rows × patch) = g_y (rows × F) · Kᵀ (F × patch) */
  CBLAS_GEMM (CblasRowMajor, CblasNoTrans, CblasTrans, (int) nr, (int) patch, (int) j->filters,
              1, j->g_y + r0 * j->filters, (int) j->filters, j->K, (int) j->filters, 0,
              j->g_cols + r0 * patch, (int) patch);
  SFX (col2im) (j->g_x, j->g_cols, win, (guint) b0, (guint) b1);
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
  const gsize rows = (gsize) batch * win->out_h * win->out_w, patch = (gsize) win->kh * win->kw * win->c;
  SFX (ConvJob) job = { .g_x = g_x, .g_K = g_K, .g_cols = g_cols, .g_y = g_y, .taped = cols,
                        .K = K, .win = win, .filters = filters, .rows = rows };
  const gboolean parallel = SFX (conv_parallel) ();

  /* Kernel rows in parts of at least 16 (a product's rows), so that no
   * part is too thin to run at speed. */
  if (g_K)
    {
      if (parallel)
        spk_pool_for (SFX (conv_kernel_grad_part), &job, patch, 16, 32);
      else
        SFX (conv_kernel_grad_part) (&job, 0, patch);
    }
  if (g_b)
    for (gsize r = 0; r < rows; r++)
      for (guint f = 0; f < filters; f++)
        g_b[f] += g_y[r * filters + f];
  if (g_x)
    {
      if (parallel)
        spk_pool_for (SFX (conv_input_grad_part), &job, batch, 1, 2);
      else
        SFX (conv_input_grad_part) (&job, 0, batch);
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
  const long sw = (long) spk_layer_window_stride_w (win);

  *y0 = MAX ((long) oy * win->stride - (long) win->pad_top, 0);
  *x0 = MAX ((long) ox * sw - (long) win->pad_left, 0);
  *y1 = MIN ((long) oy * win->stride - (long) win->pad_top + (long) win->kh, (long) win->h);
  *x1 = MIN ((long) ox * sw - (long) win->pad_left + (long) win->kw, (long) win->w);
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
