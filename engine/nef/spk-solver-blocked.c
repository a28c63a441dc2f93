/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-solver-blocked.c — the regularised least-squares solve of
 * spk-solver.c for big ensembles, from activities given a block of
 * evaluation points at a time (see spk-solver-blocked.h).
 *
 * Storage: the Gram matrix's upper triangle as tile rows ("panels") of
 * TILE rows each; panel p holds rows p·TILE … and columns p·TILE … n − 1,
 * row-major with its own leading dimension n − p·TILE, and is allocated
 * on its own, so that float32 panels can be widened to float64 one at a
 * time without ever holding both whole.  Every operation on it is a
 * level-3 BLAS call on a panel or a tile of one, so OpenBLAS keeps both
 * cores busy, and the loops between the calls are where progress is
 * reported and a cancel is seen.
 */
#define G_LOG_DOMAIN "spk-solver"

#include "nef/spk-solver-blocked.h"

#include <cblas.h>
#include <gio/gio.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "core/spk-pool.h"
#include "nef/spk-nef-gram.h"
#include "nef/spk-nef-kernels.h"
#include "ops/spk-gemm-small-private.h"

/* Rows per panel: large enough that each product keeps OpenBLAS's
 * kernels busy, small enough that a cancel is seen within a fraction of
 * a second. */
#define TILE 384

/* A block of activities of about this many bytes (as doubles). */
#define BLOCK_BYTES ((gsize) 32 << 20)

/* The float32 Gram products by the engine's own kernel take the
 * activities in longer blocks of about this many bytes (twice: the block
 * and its transpose, or its packed strips when the silent points are
 * skipped), so that the Gram matrix is read and written once
 * per 1,600 or so points for 10,000 neurons. */
#define BLOCK_F32_BYTES ((gsize) 64 << 20)

/* Columns of the Gram matrix per task of the float32 kernel, and rows of
 * the block per call: a panel of the block (256 × 64 floats) stays in L1
 * and L2 while the panel's 384 rows go through it. */
#define TASK_COLS 64
#define TASK_K 256

typedef struct
{
  gsize    n;
  gsize    n_panels;
  double **panel;     /* float64 panels (the factorisation's) */
  float  **panel_f;   /* float32 panels while accumulating with `single` */
} Gram;

static inline gsize
panel_rows (const Gram *g,
            gsize       p)
{
  return MIN (TILE, g->n - p * TILE);
}

static inline gsize
panel_cols (const Gram *g,
            gsize       p)
{
  return g->n - p * TILE;
}

static void
gram_free (Gram *g)
{
  for (gsize p = 0; p < g->n_panels; p++)
    {
      if (g->panel)
        g_free (g->panel[p]);
      if (g->panel_f)
        g_free (g->panel_f[p]);
    }
  g_free (g->panel);
  g_free (g->panel_f);
}

static gboolean
no_memory (gsize    rows,
           gsize    cols,
           GError **error)
{
  g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
               "not enough memory for a %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT
               " matrix in the decoder solve", rows, cols);
  return FALSE;
}

static gboolean
gram_init (Gram     *g,
           gsize     n,
           gboolean  single,
           GError  **error)
{
  g->n = n;
  g->n_panels = (n + TILE - 1) / TILE;
  g->panel = g_new0 (double *, g->n_panels);
  g->panel_f = single ? g_new0 (float *, g->n_panels) : NULL;
  for (gsize p = 0; p < g->n_panels; p++)
    {
      gsize size = panel_rows (g, p) * panel_cols (g, p);

      if (single)
        g->panel_f[p] = g_try_malloc0_n (size, sizeof (float));
      else
        g->panel[p] = g_try_malloc0_n (size, sizeof (double));
      if (single ? g->panel_f[p] == NULL : g->panel[p] == NULL)
        return no_memory (n, n, error);
    }
  return TRUE;
}

/* Each panel's rows += (its columns of A)ᵀ · A from its first column on:
 * the diagonal tile by a symmetric rank-k update, the rest by a product. */
static void
gram_add_f64 (Gram         *g,
              const double *A,
              gsize         rows)
{
  for (gsize p = 0; p < g->n_panels; p++)
    {
      gsize first = p * TILE, bp = panel_rows (g, p), ld = panel_cols (g, p);

      cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) bp, (int) rows, 1.0,
                   A + first, (int) g->n, 1.0, g->panel[p], (int) ld);
      if (ld > bp)
        cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) bp, (int) (ld - bp), (int) rows, 1.0,
                     A + first, (int) g->n, A + first + bp, (int) g->n, 1.0, g->panel[p] + bp, (int) ld);
    }
}

static void
gram_add_f32 (Gram        *g,
              const float *A,
              gsize        rows)
{
  for (gsize p = 0; p < g->n_panels; p++)
    {
      gsize first = p * TILE, bp = panel_rows (g, p), ld = panel_cols (g, p);

      cblas_ssyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) bp, (int) rows, 1.0f,
                   A + first, (int) g->n, 1.0f, g->panel_f[p], (int) ld);
      if (ld > bp)
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) bp, (int) (ld - bp), (int) rows, 1.0f,
                     A + first, (int) g->n, A + first + bp, (int) g->n, 1.0f, g->panel_f[p] + bp, (int) ld);
    }
}

/* The float32 products by the engine's kernel (ops/spk-gemm-small.c:
 * AVX-512 or AVX2 with FMA, whatever OpenBLAS's build or environment
 * picks) on every core of the pool.  OpenBLAS's float32 kernel for this
 * processor may be far from its peak (its Haswell kernel uses half the
 * AVX-512 width; an unknown processor gets its SSE3 one). */
typedef struct
{
  Gram        *g;
  float      **panel;       /* the float32 panels to add to */
  gsize        p_first;     /* the first panel added to */
  const float *A;           /* k × …, row stride lda; column c is the matrix's col_base + c */
  gsize        lda;
  gsize        col_base;
  const float *At;          /* Aᵀ, row stride ldt */
  gsize        ldt;
  gsize        k;
  gsize       *first_task;  /* per panel from p_first, and one past the last */
} GramJob;

static void
gram_tasks_cb (gpointer data,
               gsize    begin,
               gsize    end)
{
  GramJob *job = data;
  Gram *g = job->g;
  g_autofree float *sum = g_malloc (TILE * TASK_COLS * sizeof (float));
  gsize p = 0;

  for (gsize t = begin; t < end; t++)
    {
      gsize first, c0, w, pp, bp, ld;
      float *C;

      while (t >= job->first_task[p + 1])
        p++;
      pp = job->p_first + p;
      first = pp * TILE;
      c0 = first + (t - job->first_task[p]) * TASK_COLS;
      w = MIN (TASK_COLS, g->n - c0);
      bp = panel_rows (g, pp);
      ld = panel_cols (g, pp);
      C = job->panel[pp] + (c0 - first);
      /* Panel rows first … (bp of them), columns c0 … c0 + w − 1 +=
       * At[rows] · A[·, columns], A read in place, TASK_K of its rows at
       * a time (their pages stay in the TLB, the task's sums in L2):
       * each part summed from zero, then added, so that the float32
       * sums' round-off grows with TASK_K, not with the block. */
      for (gsize k0 = 0; k0 < job->k; k0 += TASK_K)
        {
          memset (sum, 0, bp * w * sizeof (float));
          _spk_gemm_small_ldw_f32 (sum, w, job->A + k0 * job->lda + (c0 - job->col_base), job->lda,
                                   job->At + (first - job->col_base) * job->ldt + k0, job->ldt, (guint) w,
                                   (guint) MIN (TASK_K, job->k - k0), (guint) bp);
          for (gsize r = 0; r < bp; r++)
            for (gsize c = 0; c < w; c++)
              C[r * ld + c] += sum[r * w + c];
        }
    }
}

/* Panels p_first … += AtᵀA on every core of the pool (At = ±Aᵀ). */
static void
gram_update_own (Gram        *g,
                 float      **panel,
                 gsize        p_first,
                 const float *A,
                 gsize        lda,
                 gsize        col_base,
                 const float *At,
                 gsize        ldt,
                 gsize        k)
{
  g_autofree gsize *first_task = g_new (gsize, g->n_panels - p_first + 1);
  GramJob job = { g, panel, p_first, A, lda, col_base, At, ldt, k, first_task };

  first_task[0] = 0;
  for (gsize p = p_first; p < g->n_panels; p++)
    first_task[p - p_first + 1] = first_task[p - p_first] + (panel_cols (g, p) + TASK_COLS - 1) / TASK_COLS;
  spk_pool_for (gram_tasks_cb, &job, first_task[g->n_panels - p_first], 1, 2);
}

static void
gram_add_f32_own (Gram        *g,
                  const float *Af,
                  const float *At,
                  gsize        ldt,
                  gsize        k)
{
  gram_update_own (g, g->panel_f, 0, Af, g->n, 0, At, ldt, k);
}

/* For the tests and measurements: the dense float32 products even where
 * the sparse ones would run. */
static gboolean force_dense;

void
_spk_solver_blocked_set_dense (gboolean dense)
{
  force_dense = dense;
}

/* {{{ The float32 Gram products over the active points only (AVX-512;
 * nef/spk-nef-gram.h).  The neurons are taken in an order that puts the
 * most selective first (the solve's own order, undone on the decoders):
 * their strips are silent together at most points, and the first panels,
 * which are the longest, cost the least. */

typedef struct
{
  gsize    n_strips;
  gsize    k_max;      /* points per block, at most */
  guint32 *idx;        /* n_strips × k_max */
  float   *vals;       /* n_strips × k_max × SPK_NEF_STRIP */
  guint32 *start;      /* n_strips × (⌈k_max / TASK_K⌉ + 1) */
  gsize   *task_panel; /* per task: its panel and first column */
  gsize   *task_col;
  double  *task_cost;
  gsize   *order;      /* tasks, the most costly first */
  gsize    n_tasks;
} Sparse;

static gboolean
sparse_init (Sparse     *sp,
             const Gram *g,
             gsize       k_max)
{
  gsize n_chunks = (k_max + TASK_K - 1) / TASK_K;

  sp->n_strips = (g->n + SPK_NEF_STRIP - 1) / SPK_NEF_STRIP;
  sp->k_max = k_max;
  sp->n_tasks = 0;
  for (gsize p = 0; p < g->n_panels; p++)
    sp->n_tasks += (panel_cols (g, p) + SPK_NEF_GRAM_COLS - 1) / SPK_NEF_GRAM_COLS;
  sp->idx = g_try_malloc_n (sp->n_strips * k_max, sizeof (guint32));
  sp->vals = g_try_malloc_n (sp->n_strips * k_max, SPK_NEF_STRIP * sizeof (float));
  sp->start = g_try_malloc_n (sp->n_strips * (n_chunks + 1), sizeof (guint32));
  sp->task_panel = g_new (gsize, sp->n_tasks);
  sp->task_col = g_new (gsize, sp->n_tasks);
  sp->task_cost = g_new (double, sp->n_tasks);
  sp->order = g_new (gsize, sp->n_tasks);
  for (gsize p = 0, t = 0; p < g->n_panels; p++)
    for (gsize c0 = p * TILE; c0 < g->n; c0 += SPK_NEF_GRAM_COLS, t++)
      {
        sp->task_panel[t] = p;
        sp->task_col[t] = c0;
      }
  return sp->idx != NULL && sp->vals != NULL && sp->start != NULL;
}

static void
sparse_clear (Sparse *sp)
{
  g_clear_pointer (&sp->idx, g_free);
  g_clear_pointer (&sp->vals, g_free);
  g_clear_pointer (&sp->start, g_free);
  g_clear_pointer (&sp->task_panel, g_free);
  g_clear_pointer (&sp->task_col, g_free);
  g_clear_pointer (&sp->task_cost, g_free);
  g_clear_pointer (&sp->order, g_free);
}

typedef struct
{
  Gram        *g;
  Sparse      *sp;
  const float *A;    /* k × n */
  gsize        k;
  gsize        n_chunks;
  gint         next;  /* the next task in sp->order */
} SparseJob;

static void
sparse_pack_cb (gpointer data,
                 gsize    begin,
                 gsize    end)
{
  SparseJob *job = data;

  _spk_nef_gram_pack (job->A, job->k, job->g->n, TASK_K, begin, end - begin,
                      job->sp->idx, job->sp->vals, job->sp->k_max, job->sp->start);
}

/* Strip s's list in chunk c: its first entry, values and length. */
static inline const guint32 *
strip_list (const SparseJob *job,
            gsize            s,
            gsize            c,
            const float    **vals,
            gsize           *cnt)
{
  const guint32 *st = job->sp->start + s * (job->n_chunks + 1);

  *cnt = st[c + 1] - st[c];
  *vals = job->sp->vals + (s * job->sp->k_max + st[c]) * SPK_NEF_STRIP;
  return job->sp->idx + s * job->sp->k_max + st[c];
}

/* The chunk's rows of the block, columns c0 … c0 + w − 1, into a
 * contiguous TASK_K × SPK_NEF_GRAM_COLS tile (zeros past w): the kernel
 * reads its rows in the lists' order, which the prefetchers cannot
 * follow through rows of the whole block. */
static void
copy_chunk (const SparseJob *job,
            gsize            c,
            gsize            c0,
            gsize            w,
            float           *tile)
{
  gsize p0 = c * TASK_K, p1 = MIN (p0 + TASK_K, job->k), n = job->g->n;

  for (gsize p = p0; p < p1; p++)
    {
      float *row = tile + (p - p0) * SPK_NEF_GRAM_COLS;

      memcpy (row, job->A + p * n + c0, w * sizeof (float));
      if (w < SPK_NEF_GRAM_COLS)
        memset (row + w, 0, (SPK_NEF_GRAM_COLS - w) * sizeof (float));
    }
}

static void
sparse_task (SparseJob *job,
             gsize      t,
             float     *tile)
{
  Gram *g = job->g;
  gsize pp = job->sp->task_panel[t], c0 = job->sp->task_col[t];
  gsize first = pp * TILE, bp = panel_rows (g, pp), ld = panel_cols (g, pp);
  gsize w = MIN (SPK_NEF_GRAM_COLS, g->n - c0);
  float *C = job->g->panel_f[pp] + (c0 - first);

  for (gsize c = 0; c < job->n_chunks; c++)
    {
      copy_chunk (job, c, c0, w, tile);
      for (gsize r0 = first; r0 < first + bp; r0 += SPK_NEF_STRIP)
        {
          gsize rows = MIN (SPK_NEF_STRIP, first + bp - r0), cnt;
          const guint32 *idx;
          const float *vals;

          /* Wholly below the diagonal (and so are the strips after it):
           * the lower triangle is never read. */
          if (c0 + w <= r0)
            break;
          idx = strip_list (job, r0 / SPK_NEF_STRIP, c, &vals, &cnt);
          if (cnt > 0)
            _spk_nef_gram_strip (C + (r0 - first) * ld, ld, vals, tile, SPK_NEF_GRAM_COLS, idx, cnt,
                                 (guint) rows, (guint) w);
        }
    }
}

/* Each thread takes the next task, the most costly first, until none is
 * left: the tasks' costs differ by orders of magnitude. */
static void
sparse_tasks_cb (gpointer data,
                 gsize    begin,
                 gsize    end)
{
  SparseJob *job = data;
  g_autofree float *tile = g_malloc (TASK_K * SPK_NEF_GRAM_COLS * sizeof (float));
  gint t;

  while ((t = g_atomic_int_add (&job->next, 1)) < (gint) job->sp->n_tasks)
    sparse_task (job, job->sp->order[t], tile);
}

static int
by_cost_desc (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const double *cost = data;
  double ca = cost[*(const gsize *) a], cb = cost[*(const gsize *) b];

  return ca < cb ? 1 : ca > cb ? -1 : 0;
}

/* Gram += AᵀA over the k points of the block (A k × n), skipping each
 * strip's silent points. */
static void
gram_add_f32_sparse (Gram        *g,
                     Sparse      *sp,
                     const float *Af,
                     gsize        k)
{
  SparseJob job = { g, sp, Af, k, (k + TASK_K - 1) / TASK_K, 0 };
  g_autofree double *strip_cnt = g_new (double, sp->n_strips);

  spk_pool_for (sparse_pack_cb, &job, sp->n_strips, 1, 2);
  for (gsize s = 0; s < sp->n_strips; s++)
    strip_cnt[s] = sp->start[s * (job.n_chunks + 1) + job.n_chunks];
  for (gsize t = 0; t < sp->n_tasks; t++)
    {
      gsize pp = sp->task_panel[t], c0 = sp->task_col[t], first = pp * TILE;
      double cost = 0.0;

      for (gsize r0 = first; r0 < first + panel_rows (g, pp) && r0 < c0 + SPK_NEF_GRAM_COLS; r0 += SPK_NEF_STRIP)
        cost += strip_cnt[r0 / SPK_NEF_STRIP] + 1.0;
      sp->task_cost[t] = cost;
      sp->order[t] = t;
    }
  g_qsort_with_data (sp->order, (gint) sp->n_tasks, sizeof (gsize), by_cost_desc, sp->task_cost);
  spk_pool_for (sparse_tasks_cb, &job, spk_pool_get_n_threads (), 1, 2);
}

/* The order of the neurons for the sparse products: by the number of
 * points of the first block where each is active, fewest first. */
static int
by_count (gconstpointer a,
          gconstpointer b,
          gpointer      data)
{
  const guint32 *count = data;
  gsize ia = *(const gsize *) a, ib = *(const gsize *) b;

  if (count[ia] != count[ib])
    return count[ia] < count[ib] ? -1 : 1;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

static gsize *
selectivity_order (const double *A,
                   gsize         rows,
                   gsize         n)
{
  g_autofree guint32 *count = g_new0 (guint32, n);
  gsize *perm = g_new (gsize, n);

  for (gsize r = 0; r < rows; r++)
    for (gsize i = 0; i < n; i++)
      count[i] += A[r * n + i] != 0.0;
  for (gsize i = 0; i < n; i++)
    perm[i] = i;
  g_qsort_with_data (perm, (gint) n, sizeof (gsize), by_count, count);
  return perm;
}

typedef struct
{
  double      *A;
  gsize        n;
  const gsize *perm;
} Permute;

static void
permute_rows_cb (gpointer data,
                 gsize    begin,
                 gsize    end)
{
  Permute *job = data;
  g_autofree double *row = g_new (double, job->n);

  for (gsize r = begin; r < end; r++)
    {
      double *a = job->A + r * job->n;

      for (gsize j = 0; j < job->n; j++)
        row[j] = a[job->perm[j]];
      memcpy (a, row, job->n * sizeof (double));
    }
}

/* A's columns in the solve's order: column j becomes the neuron perm[j]. */
static void
permute_columns (double      *A,
                 gsize        rows,
                 gsize        n,
                 const gsize *perm)
{
  Permute job = { A, n, perm };

  spk_pool_for (permute_rows_cb, &job, rows, 1, 16);
}

/* }}} */

/* The float32 sums widened to float64, a panel at a time (the float32
 * panel freed as soon as its float64 twin exists). */
static gboolean
gram_widen (Gram    *g,
            GError **error)
{
  for (gsize p = 0; p < g->n_panels; p++)
    {
      gsize size = panel_rows (g, p) * panel_cols (g, p);

      g->panel[p] = g_try_malloc_n (size, sizeof (double));
      if (g->panel[p] == NULL)
        return no_memory (g->n, g->n, error);
      for (gsize i = 0; i < size; i++)
        g->panel[p][i] = g->panel_f[p][i];
      g_clear_pointer (&g->panel_f[p], g_free);
    }
  return TRUE;
}

static gboolean
cancelled (GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the decoder solve was cancelled");
  return FALSE;
}

typedef struct
{
  SpkSolveProgressFunc func;
  gpointer             data;
  double               total;  /* multiply-adds of the whole solve */
  double               done;
} Progress;

/* Counts work multiply-adds done; FALSE when the caller wants to stop. */
static gboolean
progress_add (Progress *progress,
              double    work)
{
  progress->done += work;
  return progress->func == NULL
         || progress->func (MIN (progress->done / progress->total, 1.0), progress->data);
}

/* Gram = UᵀU in place, U upper (row-major); right-looking by panels:
 * factor the diagonal tile, solve the rest of its panel, update every
 * later panel. */
static gboolean
gram_cholesky (Gram     *g,
               Progress *progress,
               GError  **error)
{
  for (gsize k = 0; k < g->n_panels; k++)
    {
      double *P = g->panel[k];
      gsize bk = panel_rows (g, k), ldk = panel_cols (g, k);
      lapack_int info;

      /* A row-major upper tile is the column-major lower one: no
       * transposed copy in LAPACKE. */
      info = LAPACKE_dpotrf_work (LAPACK_COL_MAJOR, 'L', (lapack_int) bk, P, (lapack_int) ldk);
      if (info > 0)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER,
                       "Cholesky factorisation of the n × n Gram matrix failed: it is not "
                       "positive definite (leading minor %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                       "); the neurons' activities are linearly dependent, so use reg > 0",
                       k * TILE + (gsize) info, g->n);
          return FALSE;
        }
      g_return_val_if_fail (info == 0, FALSE);
      if (ldk > bk)
        cblas_dtrsm (CblasRowMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, (int) bk,
                     (int) (ldk - bk), 1.0, P, (int) ldk, P + bk, (int) ldk);
      for (gsize i = k + 1; i < g->n_panels; i++)
        {
          gsize c0 = (i - k) * TILE, bi = panel_rows (g, i), ldi = panel_cols (g, i);

          cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) bi, (int) ldi, (int) bk, -1.0,
                       P + c0, (int) ldk, P + c0, (int) ldk, 1.0, g->panel[i], (int) ldi);
        }
      if (!progress_add (progress, (double) bk * ldk * ldk / 2.0))
        return cancelled (error);
    }
  return TRUE;
}

/* X (n × k) = (UᵀU)⁻¹ X: forward with Uᵀ, then back with U. */
static void
gram_solve (const Gram *g,
            double     *X,
            gsize       k)
{
  for (gsize p = 0; p < g->n_panels; p++)
    {
      const double *P = g->panel[p];
      gsize bp = panel_rows (g, p), ld = panel_cols (g, p);
      double *Xp = X + p * TILE * k;

      cblas_dtrsm (CblasRowMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, (int) bp, (int) k,
                   1.0, P, (int) ld, Xp, (int) k);
      if (ld > bp)
        cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) (ld - bp), (int) k, (int) bp, -1.0,
                     P + bp, (int) ld, Xp, (int) k, 1.0, Xp + bp * k, (int) k);
    }
  for (gsize p = g->n_panels; p-- > 0;)
    {
      const double *P = g->panel[p];
      gsize bp = panel_rows (g, p), ld = panel_cols (g, p);
      double *Xp = X + p * TILE * k;

      if (ld > bp)
        cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) bp, (int) k, (int) (ld - bp), -1.0,
                     P + bp, (int) ld, Xp + bp * k, (int) k, 1.0, Xp, (int) k);
      cblas_dtrsm (CblasRowMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, (int) bp, (int) k,
                   1.0, P, (int) ld, Xp, (int) k);
    }
}

/* {{{ The float32 factorisation with float64 refinement (float32 models) */

/* The float32 panels factorised in place as gram_cholesky() does the
 * float64 ones, the updates of later panels by the engine's kernel.
 * FALSE with nothing set in error when a pivot is not positive in float32
 * (the caller then factorises in float64), or cancelled. */
static gboolean
gram_cholesky_f32 (Gram     *g,
                   Progress *progress,
                   GError  **error)
{
  g_autofree float *Pt = g_try_malloc_n (g->n * TILE, sizeof (float));

  if (Pt == NULL)
    return FALSE;
  for (gsize k = 0; k < g->n_panels; k++)
    {
      float *P = g->panel_f[k];
      gsize bk = panel_rows (g, k), ldk = panel_cols (g, k);

      if (LAPACKE_spotrf_work (LAPACK_COL_MAJOR, 'L', (lapack_int) bk, P, (lapack_int) ldk) != 0)
        return FALSE;
      if (ldk > bk)
        {
          cblas_strsm (CblasRowMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, (int) bk,
                       (int) (ldk - bk), 1.0f, P, (int) ldk, P + bk, (int) ldk);
          /* Later panels −= Pᵀ·P: −Pᵀ as the kernel's broadcast side. */
          _spk_nef_transpose_f32 (P, bk, ldk, Pt, bk, 0);
          for (gsize i = 0; i < ldk * bk; i++)
            Pt[i] = -Pt[i];
          gram_update_own (g, g->panel_f, k + 1, P, ldk, k * TILE, Pt, bk, bk);
        }
      if (!progress_add (progress, (double) bk * ldk * ldk / 2.0))
        return cancelled (error);
    }
  return TRUE;
}

/* X (n × k) = (UᵀU)⁻¹ X with the float32 factor, as gram_solve(). */
static void
gram_solve_f32 (const Gram *g,
                float      *X,
                gsize       k)
{
  for (gsize p = 0; p < g->n_panels; p++)
    {
      const float *P = g->panel_f[p];
      gsize bp = panel_rows (g, p), ld = panel_cols (g, p);
      float *Xp = X + p * TILE * k;

      cblas_strsm (CblasRowMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, (int) bp, (int) k,
                   1.0f, P, (int) ld, Xp, (int) k);
      if (ld > bp)
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) (ld - bp), (int) k, (int) bp, -1.0f,
                     P + bp, (int) ld, Xp, (int) k, 1.0f, Xp + bp * k, (int) k);
    }
  for (gsize p = g->n_panels; p-- > 0;)
    {
      const float *P = g->panel_f[p];
      gsize bp = panel_rows (g, p), ld = panel_cols (g, p);
      float *Xp = X + p * TILE * k;

      if (ld > bp)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) bp, (int) k, (int) (ld - bp), -1.0f,
                     P + bp, (int) ld, Xp + bp * k, (int) k, 1.0f, Xp, (int) k);
      cblas_strsm (CblasRowMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, (int) bp, (int) k,
                   1.0f, P, (int) ld, Xp, (int) k);
    }
}

/* R = B − (G + Λ)·X in float64, G's upper triangle in the float32
 * panels G (the Gram sums, not the factor); rows split over the pool,
 * each part summing into its own copy of R (a row's upper triangle
 * reaches the later rows too). */
typedef struct
{
  const Gram   *g;
  float *const *G;
  const double *lambda;
  const double *X;
  gsize         k;
  double       *R;
  GMutex        lock;
} Residual;

static void
residual_cb (gpointer data,
             gsize    begin,
             gsize    end)
{
  Residual *res = data;
  const Gram *g = res->g;
  gsize n = g->n, k = res->k;
  g_autofree double *R = g_new0 (double, n * k);
  const double *X = res->X;

  for (gsize i = begin; i < end; i++)
    {
      gsize p = i / TILE, a = i % TILE;
      const float *row = res->G[p] + a * panel_cols (g, p) + a;  /* G[i][i …] */
      double d = (double) row[0] + res->lambda[i];

      for (gsize c = 0; c < k; c++)
        R[i * k + c] -= d * X[i * k + c];
      _spk_nef_residual_row (row + 1, n - i - 1, k, X + i * k, R + i * k, X + (i + 1) * k, R + (i + 1) * k);
    }
  g_mutex_lock (&res->lock);
  for (gsize i = 0; i < n * k; i++)
    res->R[i] += R[i];
  g_mutex_unlock (&res->lock);
}

static void
residual (const Gram   *g,
          float *const *G,
          const double *lambda,
          const double *B,
          const double *X,
          gsize         k,
          double       *R)
{
  Residual res = { g, G, lambda, X, k, R };

  memcpy (R, B, g->n * k * sizeof (double));
  g_mutex_init (&res.lock);
  spk_pool_for (residual_cb, &res, g->n, 1, 2);
  g_mutex_clear (&res.lock);
}

/* The refinement stops once a correction is below REFINE_TOL of the
 * solution and a hundredth of the one before: what is left is about the
 * next correction, below 1e-11 of the solution — the float64
 * factorisation's own round-off (cond · 1e-16) is of that order. */
#define REFINE_TOL 1e-9
#define REFINE_MAX_STEPS 12

/* X = (G + Λ)⁻¹ B: the float32 factor's solution, corrected by the
 * float64 residual until the correction is round-off (classic mixed
 * precision iterative refinement; it converges when cond · 2⁻²⁴ < 1).
 * FALSE if it did not converge. */
static gboolean
solve_refined (const Gram   *g,
               float *const *G,
               const double *lambda,
               const double *B,
               gsize         k,
               double       *X)
{
  gsize n = g->n;
  g_autofree double *R = g_try_malloc_n (n * k, sizeof (double));
  g_autofree float *d = g_try_malloc_n (n * k, sizeof (float));
  double last = G_MAXDOUBLE;

  if (R == NULL || d == NULL)
    return FALSE;
  memcpy (R, B, n * k * sizeof (double));
  memset (X, 0, n * k * sizeof (double));
  for (guint step = 0; step < REFINE_MAX_STEPS; step++)
    {
      double d_max = 0.0, x_max = 0.0;

      for (gsize i = 0; i < n * k; i++)
        d[i] = (float) R[i];
      gram_solve_f32 (g, d, k);
      for (gsize i = 0; i < n * k; i++)
        {
          X[i] += d[i];
          d_max = MAX (d_max, fabs ((double) d[i]));
          x_max = MAX (x_max, fabs (X[i]));
        }
      if (!isfinite (d_max))
        return FALSE;
      if (d_max <= REFINE_TOL * x_max && (d_max <= 0.01 * last || d_max == 0.0))
        return TRUE;
      /* No longer shrinking: round-off, good enough only if small. */
      if (step > 0 && d_max > 0.5 * last)
        return d_max <= REFINE_TOL * x_max;
      last = d_max;
      residual (g, G, lambda, B, X, k, R);
    }
  return FALSE;
}

/* }}} */

gboolean
spk_solver_can_solve_blocked (const SpkSolver *solver,
                              gsize            m,
                              gsize            n)
{
  return solver != NULL
         && ((solver->kind == SPK_SOLVER_LSTSQ_L2 && m >= n) || solver->kind == SPK_SOLVER_LSTSQ_L2NZ);
}

/* What the regularisation needs from A, gathered block by block. */
typedef struct
{
  double  max_a;
  double  max_abs;
  guint64 *active;  /* per neuron: points where it is not zero (LstsqL2nz) */
} Stats;

static gboolean
block_stats (Stats        *stats,
             const double *A,
             gsize         first_row,
             gsize         rows,
             gsize         n,
             GError      **error)
{
  for (gsize p = 0; p < rows; p++)
    for (gsize i = 0; i < n; i++)
      {
        double a = A[p * n + i];

        if (!isfinite (a))
          {
            g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                         "the activities contain a non-finite value (%g) at evaluation point %"
                         G_GSIZE_FORMAT ", neuron %" G_GSIZE_FORMAT, a, first_row + p, i);
            return FALSE;
          }
        stats->max_a = MAX (stats->max_a, a);
        stats->max_abs = MAX (stats->max_abs, fabs (a));
        if (stats->active && a != 0.0)
          stats->active[i]++;
      }
  return TRUE;
}

/* m·σ_i², as compute_lambda() in spk-solver.c (nengo's LstsqL2 and
 * LstsqL2nz), from the gathered statistics. */
static void
stats_lambda (const SpkSolver *solver,
              const Stats     *stats,
              gsize            m,
              gsize            n,
              double          *lambda)
{
  double sigma_max = 0.0;

  if (solver->kind == SPK_SOLVER_LSTSQ_L2)
    {
      double sigma = solver->reg * stats->max_a;

      for (gsize i = 0; i < n; i++)
        lambda[i] = (double) m * sigma * sigma;
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      lambda[i] = solver->reg * stats->max_abs * sqrt ((double) stats->active[i] / (double) m);
      sigma_max = MAX (sigma_max, lambda[i]);
    }
  for (gsize i = 0; i < n; i++)
    {
      double sigma = lambda[i] == 0.0 ? sigma_max : lambda[i];

      lambda[i] = (double) m * sigma * sigma;
    }
}

gboolean
spk_solver_solve_blocked (const SpkSolver     *solver,
                          SpkActivitiesFunc    activities,
                          gpointer             activities_data,
                          gsize                m,
                          gsize                n,
                          const double        *Y,
                          gsize                k,
                          gboolean             single,
                          gsize                block_rows,
                          SpkSolveProgressFunc progress_func,
                          gpointer             progress_data,
                          double              *D,
                          double              *rmse,
                          GError             **error)
{
  Gram gram = { 0 };
  Stats stats = { -INFINITY, 0.0, NULL };
  Progress progress = { progress_func, progress_data, 0, 0 };
  g_autofree double *A = NULL, *ATY = NULL, *lambda = NULL;
  g_autofree float *Af = NULL, *At = NULL;
  g_autofree guint64 *active = NULL;
  gboolean ok = FALSE, own = single && _spk_gemm_small_fast ();
  gboolean sparse = own && !force_dense && _spk_nef_gram_sparse_available ();
  Sparse sp = { 0 };
  g_autofree gsize *perm = NULL;  /* the sparse products' order: position j holds neuron perm[j] */
  gsize rows_f32 = 0, filled = 0;
  gboolean solved;
  float **G = NULL;  /* the float32 sums, kept for the refinement */
  int blas_threads = openblas_get_num_threads ();
  double gram_work;

  g_return_val_if_fail (solver != NULL && activities != NULL && Y != NULL && D != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (spk_solver_can_solve_blocked (solver, m, n), FALSE);

  if (!spk_solver_validate (solver, error))
    return FALSE;
  if (m == 0 || n == 0 || k == 0 || m > G_MAXINT || n > G_MAXINT || k > G_MAXINT)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   "cannot solve for decoders with %" G_GSIZE_FORMAT " evaluation points, %"
                   G_GSIZE_FORMAT " neurons and %" G_GSIZE_FORMAT " dimensions",
                   m, n, k);
      return FALSE;
    }
  for (gsize p = 0; p < m * k; p++)
    if (!isfinite (Y[p]))
      {
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                     "the decoding targets contain a non-finite value (%g) at evaluation point %"
                     G_GSIZE_FORMAT ", dimension %" G_GSIZE_FORMAT, Y[p], p / k, p % k);
        return FALSE;
      }
  if (block_rows == 0)
    block_rows = MAX (BLOCK_BYTES / (n * sizeof (double)), 64);
  block_rows = MIN (block_rows, m);

  /* The Gram products (float32 ones count half), then the factorisation. */
  gram_work = (double) m * n * n / 2.0 * (single ? 0.5 : 1.0);
  progress.total = gram_work + (double) n * n * n / 6.0;

  /* With the engine's kernel the float32 block (and its transpose) holds
   * several blocks of activities. */
  rows_f32 = own ? MIN (MAX (BLOCK_F32_BYTES / (n * sizeof (float)), block_rows), m) : block_rows;
  A = g_try_malloc_n (block_rows * n, sizeof (double));
  Af = single ? g_try_malloc_n (rows_f32 * n, sizeof (float)) : NULL;
  /* The sparse products read the block through their packed strips. */
  At = own && !sparse ? g_try_malloc_n (rows_f32 * n, sizeof (float)) : NULL;
  ATY = g_try_malloc0_n (n * k, sizeof (double));
  lambda = g_try_malloc_n (n, sizeof (double));
  active = solver->kind == SPK_SOLVER_LSTSQ_L2NZ ? g_try_malloc0_n (n, sizeof (guint64)) : NULL;
  if (A == NULL || (single && Af == NULL) || (own && !sparse && At == NULL) || ATY == NULL || lambda == NULL
      || (solver->kind == SPK_SOLVER_LSTSQ_L2NZ && active == NULL))
    return no_memory (block_rows, n, error);
  stats.active = active;
  /* The engine's kernel runs on the pool: OpenBLAS's few calls here go on
   * one thread, so that its threads do not spin on the cores the pool's
   * helpers need. */
  if (own && blas_threads > 1)
    openblas_set_num_threads (1);
  if (!gram_init (&gram, n, single, error))
    goto out;
  if (sparse && !sparse_init (&sp, &gram, rows_f32))
    {
      no_memory (n, rows_f32, error);
      goto out;
    }

  for (gsize first = 0; first < m; first += block_rows)
    {
      gsize rows = MIN (block_rows, m - first);

      activities (first, rows, A, activities_data);
      if (sparse)
        {
          if (perm == NULL)
            perm = selectivity_order (A, rows, n);
          permute_columns (A, rows, n, perm);
        }
      if (own)
        {
          if (!_spk_nef_block_to_f32 (A, rows, n, Af + filled * n, At, rows_f32, filled,
                                      &stats.max_a, &stats.max_abs, stats.active))
            {
              /* A value is not finite: say which. */
              if (block_stats (&stats, A, first, rows, n, error))
                g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                             "the activities contain a non-finite value");
              goto out;
            }
          filled += rows;
        }
      else if (!block_stats (&stats, A, first, rows, n, error))
        goto out;
      /* Aᵀ·Y in float64 always: it is small, and the residual comes from it. */
      cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) n, (int) k, (int) rows, 1.0,
                   A, (int) n, Y + first * k, (int) k, 1.0, ATY, (int) k);
      if (own)
        {
          gsize next = MIN (block_rows, m - first - rows);

          /* Full, or the last block: the products of all it holds. */
          if (next == 0 || filled + next > rows_f32)
            {
              if (sparse)
                gram_add_f32_sparse (&gram, &sp, Af, filled);
              else
                gram_add_f32_own (&gram, Af, At, rows_f32, filled);
              filled = 0;
            }
        }
      else if (single)
        {
          for (gsize p = 0; p < rows * n; p++)
            Af[p] = (float) A[p];
          gram_add_f32 (&gram, Af, rows);
        }
      else
        gram_add_f64 (&gram, A, rows);
      if (!progress_add (&progress, (double) rows * n * n / 2.0 * (single ? 0.5 : 1.0)))
        {
          cancelled (error);
          goto out;
        }
    }
  g_clear_pointer (&A, g_free);
  g_clear_pointer (&Af, g_free);
  g_clear_pointer (&At, g_free);
  sparse_clear (&sp);  /* before the factorisation's copy of the sums: the peak */
  if (stats.max_abs == 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER,
                   "all neurons are silent at the evaluation points, so no decoders "
                   "can be found; check the ensemble's intercepts, max_rates and "
                   "eval_points");
      goto out;
    }
  stats_lambda (solver, &stats, m, n, lambda);
  solved = FALSE;
  if (own)
    {
      /* Factorised in float32 (a copy of the sums kept for the
       * residuals), then refined in float64; if float32 cannot hold the
       * factorisation or the refinement does not converge, the float64
       * factorisation below takes over from the copy. */
      G = g_new0 (float *, gram.n_panels);
      for (gsize p = 0; p < gram.n_panels; p++)
        {
          gsize size = panel_rows (&gram, p) * panel_cols (&gram, p);

          G[p] = g_try_malloc_n (size, sizeof (float));
          if (G[p] == NULL)
            break;
          memcpy (G[p], gram.panel_f[p], size * sizeof (float));
        }
      if (G[gram.n_panels - 1] != NULL)
        {
          for (gsize i = 0; i < n; i++)
            gram.panel_f[i / TILE][(i % TILE) * panel_cols (&gram, i / TILE) + i % TILE] += (float) lambda[i];
          if (gram_cholesky_f32 (&gram, &progress, error))
            solved = solve_refined (&gram, G, lambda, ATY, k, D);
          else if (error != NULL && *error != NULL)
            goto out;
          if (!solved)
            {
              g_debug ("float32 factorisation with refinement failed; factorising in float64");
              for (gsize p = 0; p < gram.n_panels; p++)
                {
                  g_free (gram.panel_f[p]);
                  gram.panel_f[p] = g_steal_pointer (&G[p]);
                }
            }
        }
    }
  if (!solved)
    {
      if (single && !gram_widen (&gram, error))
        goto out;
      for (gsize i = 0; i < n; i++)
        gram.panel[i / TILE][(i % TILE) * panel_cols (&gram, i / TILE) + i % TILE] += lambda[i];
      if (!gram_cholesky (&gram, &progress, error))
        goto out;
      memcpy (D, ATY, n * k * sizeof (double));
      gram_solve (&gram, D, k);
    }

  /* |Y − A·D|² = |Y|² − 2·Dᵀ·Aᵀ·Y + Dᵀ·G·D, and (G + Λ)·D = Aᵀ·Y. */
  if (rmse != NULL)
    for (gsize j = 0; j < k; j++)
      {
        double yy = 0.0, dy = 0.0, dld = 0.0;

        for (gsize p = 0; p < m; p++)
          yy += Y[p * k + j] * Y[p * k + j];
        for (gsize i = 0; i < n; i++)
          {
            dy += D[i * k + j] * ATY[i * k + j];
            dld += lambda[i] * D[i * k + j] * D[i * k + j];
          }
        rmse[j] = sqrt (MAX (yy - dy - dld, 0.0) / (double) m);
      }
  if (perm != NULL)
    {
      /* Back to the neurons' own order. */
      g_autofree double *Dp = g_memdup2 (D, n * k * sizeof (double));

      for (gsize j = 0; j < n; j++)
        memcpy (D + perm[j] * k, Dp + j * k, k * sizeof (double));
    }
  ok = TRUE;

out:
  if (own && blas_threads > 1)
    openblas_set_num_threads (blas_threads);
  if (G != NULL)
    for (gsize p = 0; p < gram.n_panels; p++)
      g_free (G[p]);
  g_free (G);
  gram_free (&gram);
  sparse_clear (&sp);
  return ok;
}
