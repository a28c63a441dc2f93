/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-decoder-cache.c — the decoder cache: a second build of the same
 * solve gives the very same decoders from memory, a new process's from
 * disk; an edit that changes a solve's input solves again, one that does
 * not solves nothing; damaged, truncated, other-version and misplaced
 * entries are never trusted and are replaced; an unwritable cache turns
 * the disk part off with one warning; SPK_DECODER_CACHE=0 and the
 * preference turn it off; the files stay under their cap; threads and
 * processes building at once leave only whole entries.  The scattered
 * hypersphere's samples (encoders, evaluation points) are drawn once per
 * process: a repeat is the same draw, bit for bit, and leaves the random
 * stream where drawing leaves it. */
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "core/spk-build-reuse.h"
#include "builder/spk-decoder-cache.h"
#include "builder/spk-plan-private.h"
#include "model/spk-sample-memo.h"
#include "spk-test-util.h"

/* stim → a (LIF, 2-D) → b through connection c with a function: one
 * solve (a node's connection solves nothing).  The function and a's size
 * are the knobs the tests turn. */
static SpkNetwork *
make_net (const char *function,
          guint       n_a)
{
  SpkNetwork *net = tu_network (7, SPK_DTYPE_FLOAT64);
  SpkNode *stim = tu_node_expr (net, "stim", "[sin(t), cos(t)]");
  SpkEnsemble *a = tu_ensemble (net, "a", n_a, 2, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 30, 1, SPK_NEURON_LIF);
  SpkConnection *c;

  tu_connect (net, stim, FALSE, a, FALSE, 0.005);
  c = tu_connect (net, a, FALSE, b, FALSE, 0.005);
  spk_object_set_label (SPK_OBJECT (c), "c");
  spk_connection_set_function (c, function);
  return net;
}

static SpkArray *
build_weights (SpkNetwork *net)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);

  g_assert_no_error (error);
  return spk_plan_dup_param (plan, "c/weights");
}

static SpkDecoderCacheStats
stats_now (void)
{
  SpkDecoderCacheStats s;

  spk_decoder_cache_get_stats (&s);
  return s;
}

static SpkSampleMemoStats
memo_now (void)
{
  SpkSampleMemoStats s;

  spk_sample_memo_get_stats (&s);
  return s;
}

/* A fresh cache directory, and nothing in memory. */
static char *
fresh_cache (void)
{
  char *dir = g_dir_make_tmp ("spk-decoder-cache-XXXXXX", NULL);

  g_assert_nonnull (dir);
  spk_decoder_cache_set_dir (dir);
  spk_decoder_cache_set_disk_enabled (TRUE);
  spk_decoder_cache_set_enabled (TRUE);
  spk_decoder_cache_set_limits (G_GUINT64_CONSTANT (256) << 20, G_GUINT64_CONSTANT (512) << 20);
  spk_decoder_cache_clear_memory ();
  spk_decoder_cache_reset_stats ();
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* The entry files in dir, sorted. */
static GPtrArray *
entries_in (const char *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

static void
assert_same (const SpkArray *x,
             const SpkArray *y)
{
  g_assert_cmpuint (x->size, ==, y->size);
  g_assert_cmpmem (x->data, x->size * sizeof (double), y->data, y->size * sizeof (double));
}

/* Memory, then disk, then an unrelated edit, then edits of the inputs. */
static void
test_reuse (void)
{
  g_autofree char *dir = fresh_cache ();
  g_autoptr (SpkNetwork) net = make_net ("x[0]*x[1]", 50);
  g_autoptr (SpkArray) cold = NULL, warm = NULL, disk = NULL, edited = NULL, changed = NULL, off = NULL;
  g_autoptr (GPtrArray) files = NULL;
  SpkDecoderCacheStats s;

  cold = build_weights (net);
  s = stats_now ();
  g_assert_cmpuint (s.misses, ==, 1);
  g_assert_cmpuint (s.stores, ==, 1);
  files = entries_in (dir);
  g_assert_cmpuint (files->len, ==, 1);

  /* The same build: from memory, to the bit. */
  warm = build_weights (net);
  assert_same (cold, warm);
  s = stats_now ();
  g_assert_cmpuint (s.memory_hits, ==, 1);
  g_assert_cmpuint (s.misses, ==, 1);

  /* As a new process would: from disk. */
  spk_decoder_cache_clear_memory ();
  disk = build_weights (net);
  assert_same (cold, disk);
  g_assert_cmpuint (stats_now ().disk_hits, ==, 1);

  /* An edit elsewhere (a new node, a probe's synapse): nothing solved. */
  tu_node_expr (net, "other", "t");
  edited = build_weights (net);
  assert_same (cold, edited);
  g_assert_cmpuint (stats_now ().misses, ==, 1);

  /* An edit of the solve's inputs: solved again, and the result is what a
   * build without the cache gives. */
  spk_connection_set_function (SPK_CONNECTION (spk_network_lookup (net, "c")), "x[0]");
  changed = build_weights (net);
  g_assert_cmpuint (stats_now ().misses, ==, 2);
  spk_decoder_cache_set_enabled (FALSE);
  off = build_weights (net);
  assert_same (changed, off);
  g_assert_cmpuint (stats_now ().misses, ==, 2);   /* off: neither looked up nor counted */
  spk_decoder_cache_set_enabled (TRUE);
  {
    g_autoptr (SpkNetwork) bigger = make_net ("x[0]*x[1]", 51);
    g_autoptr (SpkArray) w = build_weights (bigger);

    g_assert_cmpuint (stats_now ().misses, ==, 3);
  }
  remove_tree (dir);
}

typedef enum
{
  DAMAGE_TRUNCATE,
  DAMAGE_EMPTY,
  DAMAGE_FLIP_PAYLOAD,
  DAMAGE_FLIP_DIGEST,
  DAMAGE_VERSION,
  DAMAGE_MAGIC,
  DAMAGE_OTHER_KEY,
  DAMAGE_LONGER,
  DAMAGE_N
} Damage;

static const char *const damage_names[] = {
  "truncated", "empty", "payload byte", "checksum byte", "other version", "not an entry", "another key's entry",
  "trailing bytes",
};

/* Every kind of damage: the build still gives the cold decoders, counts
 * the entry rejected, and leaves a whole entry behind (the next process
 * reads it from disk). */
static void
test_damaged_entries (void)
{
  for (Damage damage = 0; damage < DAMAGE_N; damage++)
    {
      g_autofree char *dir = fresh_cache ();
      g_autoptr (SpkNetwork) net = make_net ("x[0]*x[1]", 40);
      g_autoptr (SpkNetwork) other = make_net ("x[1]", 40);
      g_autoptr (SpkArray) cold = build_weights (net);
      g_autoptr (GPtrArray) files = entries_in (dir);
      g_autoptr (SpkArray) other_w = NULL, again = NULL, replaced = NULL;
      g_autofree char *path = NULL, *contents = NULL, *other_path = NULL;
      gsize len;
      guint32 version = 2;

      g_test_message ("damage: %s", damage_names[damage]);
      /* net's entry, then another solve's beside it. */
      g_assert_cmpuint (files->len, ==, 1);
      path = g_strdup (g_ptr_array_index (files, 0));
      other_w = build_weights (other);
      g_clear_pointer (&files, g_ptr_array_unref);
      files = entries_in (dir);
      g_assert_cmpuint (files->len, ==, 2);
      other_path = g_strdup (g_ptr_array_index (files, g_str_equal (g_ptr_array_index (files, 0), path) ? 1 : 0));
      spk_decoder_cache_clear_memory ();
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

      switch (damage)
        {
        case DAMAGE_TRUNCATE:
          len = len / 2;
          break;
        case DAMAGE_EMPTY:
          len = 0;
          break;
        case DAMAGE_FLIP_PAYLOAD:
          contents[len / 2] ^= 0x10;
          break;
        case DAMAGE_FLIP_DIGEST:
          contents[len - 1] ^= 0x01;
          break;
        case DAMAGE_VERSION:
          memcpy (contents + 8, &version, 4);
          break;
        case DAMAGE_MAGIC:
          memcpy (contents, "GARBAGE!", 8);
          break;
        case DAMAGE_OTHER_KEY:
          g_clear_pointer (&contents, g_free);
          g_assert_true (g_file_get_contents (other_path, &contents, &len, NULL));
          break;
        case DAMAGE_LONGER:
          contents = g_realloc (contents, len + 3);
          memcpy (contents + len, "abc", 3);
          len += 3;
          break;
        case DAMAGE_N:
          g_assert_not_reached ();
        }
      g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));

      spk_decoder_cache_reset_stats ();
      again = build_weights (net);
      assert_same (cold, again);
      g_assert_cmpuint (stats_now ().rejected, ==, 1);
      g_assert_cmpuint (stats_now ().disk_hits, ==, 0);
      g_assert_cmpuint (stats_now ().misses, ==, 1);
      /* Replaced by a whole entry. */
      spk_decoder_cache_clear_memory ();
      spk_decoder_cache_reset_stats ();
      replaced = build_weights (net);
      assert_same (cold, replaced);
      g_assert_cmpuint (stats_now ().disk_hits, ==, 1);
      g_assert_cmpuint (stats_now ().rejected, ==, 0);
      remove_tree (dir);
    }
}

/* A cache directory that cannot be made: one warning, the builds still
 * right, from memory. */
static void
test_unwritable (void)
{
  g_autofree char *dir = fresh_cache ();
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autofree char *below = g_build_filename (file, "decoders", NULL);
  g_autoptr (SpkNetwork) net = make_net ("x[0]*x[1]", 30);
  g_autoptr (SpkNetwork) net2 = make_net ("x[0]", 30);
  g_autoptr (SpkArray) cold = NULL, warm = NULL, second = NULL;

  g_assert_true (g_file_set_contents (file, "not a directory", -1, NULL));
  spk_decoder_cache_set_dir (below);
  g_test_expect_message ("spk-decoder-cache", G_LOG_LEVEL_WARNING, "The decoder cache cannot write to *");
  cold = build_weights (net);
  g_test_assert_expected_messages ();
  /* Said once: the next store does not warn again. */
  second = build_weights (net2);
  warm = build_weights (net);
  assert_same (cold, warm);
  g_assert_cmpuint (stats_now ().memory_hits, ==, 1);
  g_assert_cmpuint (stats_now ().stores, ==, 0);
  remove_tree (dir);
}

/* The files stay under the cap, the least recently used going first. */
static void
test_disk_cap (void)
{
  g_autofree char *dir = fresh_cache ();
  g_autoptr (GPtrArray) files = NULL;
  guint64 entry_size = 0;
  GStatBuf st;

  {
    g_autoptr (SpkNetwork) net = make_net ("x[0]", 40);
    g_autoptr (SpkArray) w = build_weights (net);

    files = entries_in (dir);
    g_assert_cmpuint (files->len, ==, 1);
    g_assert_cmpint (g_stat (g_ptr_array_index (files, 0), &st), ==, 0);
    entry_size = (guint64) st.st_size;
  }
  /* Room for three entries of this size. */
  spk_decoder_cache_set_limits (G_GUINT64_CONSTANT (256) << 20, 3 * entry_size + entry_size / 2);
  for (guint i = 1; i < 6; i++)
    {
      g_autofree char *f = g_strdup_printf ("x[0]*%u", i + 1);
      g_autoptr (SpkNetwork) net = make_net (f, 40);
      g_autoptr (SpkArray) w = build_weights (net);
      struct utimbuf old = { (time_t) (1000 + i), (time_t) (1000 + i) };

      g_clear_pointer (&files, g_ptr_array_unref);
      files = entries_in (dir);
      g_assert_cmpuint (files->len, <=, 3);
      /* Make the order of use certain whatever the clock's resolution. */
      for (guint j = 0; j < files->len; j++)
        if (g_stat (g_ptr_array_index (files, j), &st) == 0 && st.st_mtime > 100000)
          g_utime (g_ptr_array_index (files, j), &old);
    }
  g_clear_pointer (&files, g_ptr_array_unref);
  files = entries_in (dir);
  g_assert_cmpuint (files->len, ==, 3);
  /* The last three built are the ones kept. */
  spk_decoder_cache_clear_memory ();
  spk_decoder_cache_reset_stats ();
  for (guint i = 3; i < 6; i++)
    {
      g_autofree char *f = g_strdup_printf ("x[0]*%u", i + 1);
      g_autoptr (SpkNetwork) net = make_net (f, 40);
      g_autoptr (SpkArray) w = build_weights (net);
    }
  g_assert_cmpuint (stats_now ().disk_hits, ==, 3);
  remove_tree (dir);
}

typedef struct
{
  const char *function;
  SpkArray   *weights;
} ThreadJob;

static gpointer
build_in_thread (gpointer data)
{
  ThreadJob *job = data;
  g_autoptr (SpkNetwork) net = make_net (job->function, 60);

  job->weights = build_weights (net);
  return NULL;
}

/* Threads and processes building the same solves at once into one
 * directory: every result right, every entry left whole. */
static void
test_concurrent (void)
{
  g_autofree char *dir = fresh_cache ();
  static const char *const functions[] = { "x[0]", "x[1]", "x[0]*x[1]", "x[0]+x[1]" };
  g_autoptr (GPtrArray) refs = g_ptr_array_new_with_free_func ((GDestroyNotify) spk_array_unref);
  g_autoptr (GPtrArray) files = NULL;
  ThreadJob jobs[8];
  GThread *threads[8];
  pid_t pids[4];

  /* References, solved with the cache off. */
  spk_decoder_cache_set_enabled (FALSE);
  for (guint f = 0; f < G_N_ELEMENTS (functions); f++)
    {
      g_autoptr (SpkNetwork) net = make_net (functions[f], 60);

      g_ptr_array_add (refs, build_weights (net));
    }
  spk_decoder_cache_set_enabled (TRUE);

  /* Child processes (forked before any thread of ours starts) and threads
   * of this one, all at once. */
  for (guint p = 0; p < G_N_ELEMENTS (pids); p++)
    {
      pids[p] = fork ();
      g_assert_cmpint (pids[p], >=, 0);
      if (pids[p] == 0)
        {
          for (guint r = 0; r < 3; r++)
            for (guint f = 0; f < G_N_ELEMENTS (functions); f++)
              {
                g_autoptr (SpkNetwork) net = make_net (functions[(f + p) % G_N_ELEMENTS (functions)], 60);
                g_autoptr (SpkArray) w = build_weights (net);
                const SpkArray *ref = g_ptr_array_index (refs, (f + p) % G_N_ELEMENTS (functions));

                if (memcmp (w->data, ref->data, w->size * sizeof (double)) != 0)
                  _exit (3);
                spk_decoder_cache_clear_memory ();
              }
          _exit (0);
        }
    }
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      jobs[t].function = functions[t % G_N_ELEMENTS (functions)];
      jobs[t].weights = NULL;
      threads[t] = g_thread_new ("build", build_in_thread, &jobs[t]);
    }
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      g_thread_join (threads[t]);
      assert_same (jobs[t].weights, g_ptr_array_index (refs, t % G_N_ELEMENTS (functions)));
      spk_array_unref (jobs[t].weights);
    }
  for (guint p = 0; p < G_N_ELEMENTS (pids); p++)
    {
      int status;

      g_assert_cmpint (waitpid (pids[p], &status, 0), ==, pids[p]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }

  /* Every file is a whole entry: read back from disk, none rejected. */
  files = entries_in (dir);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (functions));
  spk_decoder_cache_clear_memory ();
  spk_decoder_cache_reset_stats ();
  for (guint f = 0; f < G_N_ELEMENTS (functions); f++)
    {
      g_autoptr (SpkNetwork) net = make_net (functions[f], 60);
      g_autoptr (SpkArray) w = build_weights (net);

      assert_same (w, g_ptr_array_index (refs, f));
    }
  g_assert_cmpuint (stats_now ().disk_hits, ==, G_N_ELEMENTS (functions));
  g_assert_cmpuint (stats_now ().rejected, ==, 0);
  remove_tree (dir);
}

/* SPK_DECODER_CACHE=0: a process that builds leaves no entry. */
static void
test_env_off (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr (SpkNetwork) net = make_net ("x[0]", 30);
      g_autoptr (SpkArray) w = NULL;

      g_assert_cmpstr (g_getenv ("SPK_DECODER_CACHE"), ==, "0");
      g_assert_false (spk_decoder_cache_get_enabled ());
      g_assert_false (spk_build_reuse_get_enabled ());
      w = build_weights (net);
      w = (spk_array_unref (w), build_weights (net));
      g_assert_cmpuint (stats_now ().memory_hits + stats_now ().stores + stats_now ().misses, ==, 0);
      g_assert_cmpuint (memo_now ().hits + memo_now ().misses, ==, 0);
      return;
    }
  dir = fresh_cache ();
  g_setenv ("SPK_DECODER_CACHE", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("SPK_DECODER_CACHE");
  g_test_trap_assert_passed ();
  g_rmdir (dir);
}

static void
draw (SpkDistribution *dist,
      guint64          seed,
      gsize            n,
      gsize            d,
      double          *out,
      SpkRng          *rng)
{
  g_autoptr (GError) error = NULL;

  spk_rng_init (rng, seed);
  /* Half a normal pair drawn first: the memo must keep the spare too. */
  if (seed % 2 == 1)
    (void) spk_rng_normal (rng);
  g_assert_true (spk_distribution_sample (dist, n, d, rng, out, &error));
  g_assert_no_error (error);
}

static void
assert_same_rng (const SpkRng *a,
                 const SpkRng *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (a->s); i++)
    g_assert_cmphex (a->s[i], ==, b->s[i]);
  g_assert_cmpint (!a->has_spare, ==, !b->has_spare);
  if (a->has_spare)
    g_assert_cmpfloat (a->spare_normal, ==, b->spare_normal);
  /* And the stream goes on alike. */
  {
    SpkRng x = *a, y = *b;

    g_assert_cmpfloat (spk_rng_normal (&x), ==, spk_rng_normal (&y));
    g_assert_cmpuint (spk_rng_next_u64 (&x), ==, spk_rng_next_u64 (&y));
  }
}

/* A repeated draw comes from the memo: the same values and the same
 * stream after it as a real draw; another stream, shape or surface is
 * drawn again; off (the preference), nothing is kept. */
static void
test_sample_memo (void)
{
  g_autoptr (SpkDistribution) ball = spk_distribution_new_hypersphere (TRUE, FALSE);
  g_autoptr (SpkDistribution) sphere = spk_distribution_new_hypersphere (TRUE, TRUE);
  gsize n = 300, d = 5;
  g_autofree double *first = g_new (double, n * d);
  g_autofree double *again = g_new (double, n * d);
  g_autofree double *drawn = g_new (double, n * d);
  SpkRng r_first, r_again, r_drawn;

  for (guint64 seed = 3; seed <= 4; seed++)
    {
      spk_decoder_cache_set_enabled (TRUE);
      spk_decoder_cache_clear_memory ();
      spk_sample_memo_reset_stats ();
      draw (ball, seed, n, d, first, &r_first);
      g_assert_cmpuint (memo_now ().misses, ==, 1);
      draw (ball, seed, n, d, again, &r_again);
      g_assert_cmpuint (memo_now ().hits, ==, 1);
      g_assert_cmpmem (first, n * d * sizeof (double), again, n * d * sizeof (double));
      assert_same_rng (&r_first, &r_again);

      /* Off: a real draw, equal to what the memo gave. */
      spk_decoder_cache_set_enabled (FALSE);
      draw (ball, seed, n, d, drawn, &r_drawn);
      g_assert_cmpuint (memo_now ().hits, ==, 1);
      g_assert_cmpmem (first, n * d * sizeof (double), drawn, n * d * sizeof (double));
      assert_same_rng (&r_first, &r_drawn);
      spk_decoder_cache_set_enabled (TRUE);
      draw (ball, seed, n, d, again, &r_again);
      g_assert_cmpuint (memo_now ().hits, ==, 1);  /* turning it off forgot it */
    }

  /* Another stream, shape or kind of sample is not a hit. */
  spk_sample_memo_reset_stats ();
  draw (ball, 5, n, d, first, &r_first);
  draw (ball, 6, n, d, drawn, &r_drawn);
  g_assert_true (memcmp (first, drawn, n * d * sizeof (double)) != 0);
  draw (sphere, 5, n, d, drawn, &r_drawn);
  g_assert_true (memcmp (first, drawn, n * d * sizeof (double)) != 0);
  draw (ball, 5, n - 1, d, drawn, &r_drawn);
  g_assert_cmpuint (memo_now ().hits, ==, 0);
  g_assert_cmpuint (memo_now ().misses, ==, 4);

  /* Under a cap smaller than a sample nothing is kept. */
  spk_sample_memo_set_limit (n * d * sizeof (double) / 2);
  spk_decoder_cache_clear_memory ();
  spk_sample_memo_reset_stats ();
  draw (ball, 5, n, d, first, &r_first);
  draw (ball, 5, n, d, again, &r_again);
  g_assert_cmpuint (memo_now ().hits, ==, 0);
  g_assert_cmpmem (first, n * d * sizeof (double), again, n * d * sizeof (double));
  spk_sample_memo_set_limit (G_GUINT64_CONSTANT (64) << 20);
}

/* A rebuild takes its encoders and evaluation points from the memo: the
 * same plan as a build that draws them. */
static void
test_sample_memo_build (void)
{
  g_autofree char *dir = fresh_cache ();
  g_autoptr (SpkNetwork) net = make_net ("x[0] * x[1]", 200);
  g_autoptr (SpkArray) enc_memo = NULL, enc_drawn = NULL, w_memo = NULL, w_drawn = NULL;
  g_autoptr (SpkArray) ep_memo = NULL, ep_drawn = NULL;

  spk_sample_memo_reset_stats ();
  spk_array_unref (build_weights (net));
  g_assert_cmpuint (memo_now ().hits, ==, 0);
  g_assert_cmpuint (memo_now ().misses, ==, 2);  /* a's eval points and encoders */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkPlan) plan = spk_build (net, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (memo_now ().hits, ==, 2);
    enc_memo = spk_plan_dup_param (plan, "a/encoders");
    ep_memo = spk_plan_dup_param (plan, "a/eval_points");
    w_memo = spk_plan_dup_param (plan, "c/weights");
  }
  spk_decoder_cache_set_enabled (FALSE);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkPlan) plan = spk_build (net, &error);

    g_assert_no_error (error);
    enc_drawn = spk_plan_dup_param (plan, "a/encoders");
    ep_drawn = spk_plan_dup_param (plan, "a/eval_points");
    w_drawn = spk_plan_dup_param (plan, "c/weights");
  }
  spk_decoder_cache_set_enabled (TRUE);
  g_assert_cmpuint (memo_now ().hits, ==, 2);
  assert_same (enc_memo, enc_drawn);
  assert_same (ep_memo, ep_drawn);
  assert_same (w_memo, w_drawn);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/decoder-cache/reuse", test_reuse);
  g_test_add_func ("/spk/decoder-cache/damaged-entries", test_damaged_entries);
  g_test_add_func ("/spk/decoder-cache/unwritable", test_unwritable);
  g_test_add_func ("/spk/decoder-cache/disk-cap", test_disk_cap);
  g_test_add_func ("/spk/decoder-cache/concurrent", test_concurrent);
  g_test_add_func ("/spk/decoder-cache/env-off", test_env_off);
  g_test_add_func ("/spk/decoder-cache/sample-memo", test_sample_memo);
  g_test_add_func ("/spk/decoder-cache/sample-memo-build", test_sample_memo_build);
  return g_test_run ();
}
