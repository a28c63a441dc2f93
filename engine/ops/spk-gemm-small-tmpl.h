/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-gemm-small-tmpl.h — the micro-kernels for one instruction set.
 *
 * Included by spk-gemm-small.c once per instruction set, with:
 *   ISA(name)        the name with the set's suffix
 *   ISA_ATTR         the target attribute of its functions
 *   V, VW            the vector type and its lanes
 *   V_ZERO(), V_LOAD(p), V_STORE(p, v), V_SET1(x), V_FMA(a, b, c) = a·b + c
 *   V_LOADN(p, n), V_STOREN(p, v, n)   the first n < VW lanes only
 *   V_HSUM(v)        the sum of the lanes
 *   V_KEEP(v)        keeps v in a register (an empty asm)
 *   V_HSUM_ROW(d, a) optional: d[0..NR_D) += the sums of a[0..NR_D)
 *   MB_T × NV_T      the broadcast tile: batch rows × vectors of outputs
 *   MB_D × NR_D      the dot tile: batch rows × outputs
 *   KC_D             the longest row of W a dot tile takes at once
 * Tiles take their sizes as constants, so each call below compiles to a
 * kernel whose accumulators all live in registers.
 */

#define UNROLL _Pragma ("GCC unroll 16")

/* W stored transposed (cols × rows, row stride ldw): for each k,
 * d[i][·] += s[i][k] · W[k][·] — one broadcast of s and a vector of W per
 * multiply-add, no reduction.  A tile is mb rows × nv vectors; with n < VW
 * its last vector keeps only n lanes. */
static inline __attribute__ ((always_inline)) ISA_ATTR void
ISA (tile_t) (float *restrict       d,
              gsize                 ldd,
              const float *restrict s,
              gsize                 lds,
              const float *restrict w,
              gsize                 ldw,
              guint                 k,
              int                   mb,
              int                   nv,
              guint                 n)
{
  V acc[MB_T][NV_T];

  UNROLL for (int i = 0; i < mb; i++)
    UNROLL for (int j = 0; j < nv; j++)
      acc[i][j] = n < VW && j == nv - 1 ? V_LOADN (d + i * ldd + j * VW, n)
                                        : V_LOAD (d + i * ldd + j * VW);
  for (guint p = 0; p < k; p++)
    {
      const float *restrict wp = w + p * ldw;
      V wv[NV_T];

      UNROLL for (int j = 0; j < nv; j++)
        wv[j] = n < VW && j == nv - 1 ? V_LOADN (wp + j * VW, n) : V_LOAD (wp + j * VW);
      UNROLL for (int i = 0; i < mb; i++)
        {
          const V x = V_SET1 (s[i * lds + p]);

          UNROLL for (int j = 0; j < nv; j++)
            acc[i][j] = V_FMA (x, wv[j], acc[i][j]);
        }
    }
  UNROLL for (int i = 0; i < mb; i++)
    UNROLL for (int j = 0; j < nv; j++)
      {
        if (n < VW && j == nv - 1)
          V_STOREN (d + i * ldd + j * VW, acc[i][j], n);
        else
          V_STORE (d + i * ldd + j * VW, acc[i][j]);
      }
}

/* W stored rows × cols (row stride ldw): d[i][j] += s[i][·] · W[j][·],
 * vectors along k and one reduction per output at the end. */
static inline __attribute__ ((always_inline)) ISA_ATTR void
ISA (tile_d) (float *restrict       d,
              gsize                 ldd,
              const float *restrict s,
              gsize                 lds,
              const float *restrict w,
              gsize                 ldw,
              guint                 k,
              int                   mb,
              int                   nr)
{
  V acc[MB_D][NR_D];
  guint p = 0;

  UNROLL for (int i = 0; i < mb; i++)
    UNROLL for (int j = 0; j < nr; j++)
      acc[i][j] = V_ZERO ();
  for (; p + VW <= k; p += VW)
    {
      V sv[MB_D];

      UNROLL for (int i = 0; i < mb; i++)
        sv[i] = V_LOAD (s + i * lds + p);
      UNROLL for (int j = 0; j < nr; j++)
        {
          V wv = V_LOAD (w + j * ldw + p);

          /* Loaded once for the mb rows: the compiler would otherwise fold
           * the load into each multiply-add and run out of load ports. */
          V_KEEP (wv);
          UNROLL for (int i = 0; i < mb; i++)
            acc[i][j] = V_FMA (sv[i], wv, acc[i][j]);
        }
    }
  if (p < k)
    {
      const guint n = k - p;
      V sv[MB_D];

      UNROLL for (int i = 0; i < mb; i++)
        sv[i] = V_LOADN (s + i * lds + p, n);
      UNROLL for (int j = 0; j < nr; j++)
        {
          const V wv = V_LOADN (w + j * ldw + p, n);

          UNROLL for (int i = 0; i < mb; i++)
            acc[i][j] = V_FMA (sv[i], wv, acc[i][j]);
        }
    }
#ifdef V_HSUM_ROW
  if (nr == NR_D)
    {
      UNROLL for (int i = 0; i < mb; i++)
        V_HSUM_ROW (d + i * ldd, acc[i]);
      return;
    }
#endif
  UNROLL for (int i = 0; i < mb; i++)
    UNROLL for (int j = 0; j < nr; j++)
      d[i * ldd + j] += V_HSUM (acc[i][j]);
}

/* One call per tile shape: full tiles, then the narrower last ones. */
#define TILE_T_CASE(MB)                                                        \
  case MB:                                                                     \
    if (nv == NV_T && n == VW)                                                 \
      ISA (tile_t) (d, ldd, s, lds, w, ldw, k, MB, NV_T, VW);                  \
    else if (n == VW)                                                          \
      ISA (tile_t) (d, ldd, s, lds, w, ldw, k, MB, 1, VW);                     \
    else                                                                       \
      ISA (tile_t) (d, ldd, s, lds, w, ldw, k, MB, 1, n);                      \
    break;

static ISA_ATTR void
ISA (tile_t_any) (float *restrict       d,
                  gsize                 ldd,
                  const float *restrict s,
                  gsize                 lds,
                  const float *restrict w,
                  gsize                 ldw,
                  guint                 k,
                  int                   mb,
                  int                   nv,
                  guint                 n)
{
  switch (mb)
    {
      TILE_T_CASE (1)
#if MB_T >= 2
      TILE_T_CASE (2)
#endif
#if MB_T >= 3
      TILE_T_CASE (3)
#endif
#if MB_T >= 4
      TILE_T_CASE (4)
#endif
#if MB_T >= 5
      TILE_T_CASE (5)
#endif
#if MB_T >= 6
      TILE_T_CASE (6)
#endif
#if MB_T >= 7
#error "MB_T above 6 needs more cases"
#endif
    default:
      g_assert_not_reached ();
    }
}

#define TILE_D_CASE(MB)                                                        \
  case MB:                                                                     \
    if (nr == NR_D)                                                            \
      ISA (tile_d) (d, ldd, s, lds, w, ldw, k, MB, NR_D);                      \
    else                                                                       \
      ISA (tile_d) (d, ldd, s, lds, w, ldw, k, MB, 1);                         \
    break;

static ISA_ATTR void
ISA (tile_d_any) (float *restrict       d,
                  gsize                 ldd,
                  const float *restrict s,
                  gsize                 lds,
                  const float *restrict w,
                  gsize                 ldw,
                  guint                 k,
                  int                   mb,
                  int                   nr)
{
  switch (mb)
    {
      TILE_D_CASE (1)
#if MB_D >= 2
      TILE_D_CASE (2)
#endif
#if MB_D >= 3
      TILE_D_CASE (3)
#endif
#if MB_D >= 4
      TILE_D_CASE (4)
#endif
#if MB_D >= 5
      TILE_D_CASE (5)
#endif
#if MB_D >= 6
      TILE_D_CASE (6)
#endif
#if MB_D >= 7
#error "MB_D above 6 needs more cases"
#endif
    default:
      g_assert_not_reached ();
    }
}

#undef TILE_T_CASE
#undef TILE_D_CASE

/* Batch rows for the next broadcast tile, out of `left`: the tiles as even
 * as their number allows (50 rows as 6,6,6,6,6,5,5,5,5 rather than eight
 * of 6 and a slow one of 2). */
static inline guint
ISA (tile_rows) (guint left)
{
  guint n_tiles = (left + MB_T - 1) / MB_T;

  return (left + n_tiles - 1) / n_tiles;
}

/* Outputs in panels outer, batch inner: a panel of W (NV_T·VW columns of
 * the transposed matrix, or NR_D rows) stays in L1 while every batch row
 * goes through it. */
static ISA_ATTR void
ISA (gemm) (float *restrict       dst,
            gsize                 ld_dst,
            const float *restrict W,
            gsize                 ldw,
            gboolean              transposed,
            const float *restrict src,
            gsize                 ld_src,
            guint                 rows,
            guint                 cols,
            guint                 batch)
{
  guint r = 0;

  if (transposed)
    {
      for (; r + NV_T * VW <= rows; r += NV_T * VW)
        for (guint b = 0, mb; b < batch; b += mb)
          {
            mb = ISA (tile_rows) (batch - b);
            ISA (tile_t_any) (dst + b * ld_dst + r, ld_dst, src + b * ld_src, ld_src, W + r, ldw,
                              cols, mb, NV_T, VW);
          }
      for (; r < rows; r += VW)
        for (guint b = 0, mb; b < batch; b += mb)
          {
            mb = ISA (tile_rows) (batch - b);
            ISA (tile_t_any) (dst + b * ld_dst + r, ld_dst, src + b * ld_src, ld_src, W + r, ldw,
                              cols, mb, 1, MIN (VW, rows - r));
          }
    }
  else
    /* Long rows in blocks of KC_D, so that NR_D rows of W stay in L1. */
    for (guint k0 = 0; k0 < cols; k0 += KC_D)
      {
        const guint kc = MIN (KC_D, cols - k0);

        for (r = 0; r + NR_D <= rows; r += NR_D)
          for (guint b = 0; b < batch; b += MB_D)
            ISA (tile_d_any) (dst + b * ld_dst + r, ld_dst, src + b * ld_src + k0, ld_src,
                              W + (gsize) r * cols + k0, cols, kc, MIN (MB_D, batch - b), NR_D);
        for (; r < rows; r++)
          for (guint b = 0; b < batch; b += MB_D)
            ISA (tile_d_any) (dst + b * ld_dst + r, ld_dst, src + b * ld_src + k0, ld_src,
                              W + (gsize) r * cols + k0, cols, kc, MIN (MB_D, batch - b), 1);
      }
}

#undef UNROLL
