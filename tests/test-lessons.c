/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-lessons.c — lesson files: every built-in lesson validates and its
 * scripted solution completes with the real runner in float32; every kind
 * of bad input named by the lessons issue gives a message with file and
 * line; a seeded, bounded fuzz of the parser; the user's lesson folder;
 * and `spikeworks-cli lessons` / `lesson check` as a teacher runs them. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sys/wait.h>

#include "lessons/spk-lesson-catalog.h"
#include "lessons/spk-lesson-solve.h"
#include "io/spk-model-json.h"

static char *user_home;

static void
test_builtin (void)
{
  g_autoptr (GPtrArray) entries = spk_lessons_list ();
  guint n_builtin = 0, n_ready = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      SpkLessonEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GError) error = NULL;

      if (!entry->builtin)
        continue;
      n_builtin++;
      g_test_message ("lesson %s", entry->name);
      g_assert_no_error (entry->error);
      g_assert_nonnull (entry->lesson);
      g_assert_nonnull (entry->lesson->title);
      if (entry->lesson->coming)
        continue;
      n_ready++;
      g_assert_cmpuint (entry->lesson->pages->len, >, 0);
      g_assert_cmpuint (spk_lesson_count_tasks (entry->lesson), >, 0);
      spk_lesson_check (entry->lesson, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (n_builtin, >=, 13);
  g_assert_cmpuint (n_ready, >=, 12);
}

/* A solution that does not do what its task checks fails, naming the task. */
static void
test_check_fails (void)
{
  static const char text[] =
    "# Too few spikes\nstart: example communication-channel\n\n## Page\n\n"
    "### Task: Run it\ncheck: time >= 1\ndo: run 1\n\n"
    "### Task: Make a silent\ncheck: probe a_value error input_value > 5\ndo: run 0.5\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = spk_lesson_parse (text, -1, "fails.lesson", ".", &error);

  g_assert_no_error (error);
  g_assert_false (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK);
  g_assert_nonnull (strstr (error->message, "fails.lesson:10:"));
  g_assert_nonnull (strstr (error->message, "Make a silent"));
  g_assert_nonnull (strstr (error->message, "line 11"));
}

/* A model edit forgets the run, as pressing Play again is needed in the
 * workbench: a time check after an edit without a run does not hold. */
static void
test_edit_forgets_run (void)
{
  static const char text[] =
    "# Edit\nstart: example communication-channel\n## Page\n"
    "### Task: Run\ncheck: time >= 0.5\ndo: run 0.5\n"
    "### Task: Edit\ncheck: param a n_neurons = 20\ncheck: time >= 0.5\ndo: set a n_neurons 20\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = spk_lesson_parse (text, -1, "edit.lesson", ".", &error);

  g_assert_no_error (error);
  g_assert_false (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK);
  g_assert_nonnull (strstr (error->message, "edit.lesson:7:"));
  g_assert_nonnull (strstr (error->message, "line 9"));
}

/* Training: `train` runs the trainer on the data set, `trained` checks
 * its epochs (counted across trainings) and losses; a loss that is not
 * reached fails naming what was measured; a bad option names its line. */
static void
test_train (void)
{
  static const char good[] =
    "# Train\nstart: example integrator\n## P\n"
    "### Task: Not yet\ncheck: time >= 0.1\ndo: run 0.1\n"
    "### Task: Train\ncheck: trained epochs = 2\ncheck: trained loss < 0.2\n"
    "do: train noise-integral 2 {\"probe\": \"integral_value\", \"examples\": 16, \"batch\": 8}\n"
    "### Task: More\ncheck: trained epochs = 3\ncheck: trained val_loss < 0.2\n"
    "do: train noise-integral 1 {\"probe\": \"integral_value\", \"examples\": 16, \"batch\": 8, \"validate\": true}\n"
    "### Task: Run trained\ncheck: time >= 0.1\ndo: run 0.1\n";
  static const char unreachable[] =
    "# Train\nstart: example integrator\n## P\n"
    "### Task: Train\ncheck: trained loss < 1e-12\n"
    "do: train noise-integral 1 {\"probe\": \"integral_value\", \"examples\": 8, \"batch\": 8}\n";
  static const char untrained[] =
    "# Train\nstart: example integrator\n## P\n"
    "### Task: Run\ncheck: trained epochs >= 0\ndo: run 0.1\n";
  static const char bad_option[] =
    "# Train\nstart: example integrator\n## P\n"
    "### Task: Train\ncheck: trained epochs >= 1\n"
    "do: train noise-integral 1 {\"speed\": 11}\n";
  static const char bad_probe[] =
    "# Train\nstart: example integrator\n## P\n"
    "### Task: Train\ncheck: trained epochs >= 1\n"
    "do: train noise-integral 1 {\"probe\": \"nowhere\"}\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = spk_lesson_parse (good, -1, "train.lesson", ".", &error);

  g_assert_no_error (error);
  spk_lesson_check (lesson, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&lesson, spk_lesson_free);

  lesson = spk_lesson_parse (unreachable, -1, "train.lesson", ".", &error);
  g_assert_false (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK);
  g_assert_nonnull (strstr (error->message, "line 5"));
  g_assert_nonnull (strstr (error->message, "measured"));
  g_clear_error (&error);
  g_clear_pointer (&lesson, spk_lesson_free);

  /* Before any training even "epochs >= 0" does not hold. */
  lesson = spk_lesson_parse (untrained, -1, "train.lesson", ".", &error);
  g_assert_false (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "line 5"));
  g_clear_error (&error);
  g_clear_pointer (&lesson, spk_lesson_free);

  lesson = spk_lesson_parse (bad_option, -1, "train.lesson", ".", &error);
  g_assert_false (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "train.lesson:6:"));
  g_assert_nonnull (strstr (error->message, "unknown training option 'speed'"));
  g_clear_error (&error);
  g_clear_pointer (&lesson, spk_lesson_free);

  lesson = spk_lesson_parse (bad_probe, -1, "train.lesson", ".", &error);
  g_assert_false (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "train.lesson:6:"));
  g_assert_nonnull (strstr (error->message, "nowhere"));
}

/* `probe P accuracy NODE`: the share of the images NODE presented whose
 * class is P's largest value at their last step, written here by hand
 * (generated images: image i is of class i mod 10; 10 steps each). */
static void
test_accuracy (void)
{
  static const char model[] =
    "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": ["
    "{\"type\": \"node\", \"label\": \"input\", \"output\": {\"process\": \"PresentInput\", "
    "\"presentation_time\": 0.01, \"inputs\": {\"dataset\": \"generated-images\", \"count\": 10}}},"
    "{\"type\": \"node\", \"label\": \"sine\", \"output\": \"sin(t)\"},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"input\"}]}";
  static const char text[] =
    "# Accuracy\nstart: empty\n## P\n"
    "### Task: a\ncheck: probe p accuracy input >= 0\n"
    "### Task: b\ncheck: probe p accuracy input >= 0 after 0.05\n"
    "### Task: c\ncheck: probe p accuracy sine > 0\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = spk_lesson_parse (text, -1, "acc.lesson", ".", &error);
  g_autoptr (SpkNetwork) network = spk_model_load_data (model, -1, &error);
  g_autoptr (SpkLessonState) state = spk_lesson_state_new ();
  const SpkLessonPage *page;
  const SpkLessonCondition *all, *late, *wrong_node;
  double times[100], rows[100 * 10] = { 0 };

  g_assert_no_error (error);
  page = g_ptr_array_index (lesson->pages, 0);
  all = g_ptr_array_index (((SpkLessonTask *) g_ptr_array_index (page->tasks, 0))->conditions, 0);
  late = g_ptr_array_index (((SpkLessonTask *) g_ptr_array_index (page->tasks, 1))->conditions, 0);
  wrong_node = g_ptr_array_index (((SpkLessonTask *) g_ptr_array_index (page->tasks, 2))->conditions, 0);
  /* Steps 1…100 show images 0…9; the first five are answered right, the
   * others one class off. */
  for (guint s = 1; s <= 100; s++)
    {
      guint image = (s - 1) / 10;

      times[s - 1] = s * 0.001;
      rows[(s - 1) * 10 + (image < 5 ? image : (image + 1) % 10)] = 1.0;
    }
  /* Nothing run yet: nothing measured. */
  g_assert_false (spk_lesson_condition_holds (lesson, all, network, state, &error));
  g_assert_no_error (error);
  g_assert_true (isnan (spk_lesson_state_get_measured (state)));

  spk_lesson_state_append_probe (state, "p", 10, times, rows, 95);
  /* Image 9 is not shown to its last step yet: 5 of 9. */
  g_assert_true (spk_lesson_condition_holds (lesson, all, network, state, &error));
  g_assert_cmpfloat_with_epsilon (spk_lesson_state_get_measured (state), 5.0 / 9.0, 1e-12);
  spk_lesson_state_append_probe (state, "p", 10, times + 95, rows + 950, 5);
  g_assert_true (spk_lesson_condition_holds (lesson, all, network, state, &error));
  g_assert_cmpfloat_with_epsilon (spk_lesson_state_get_measured (state), 0.5, 1e-12);
  /* From t = 0.05 on: images 5…9, none right. */
  g_assert_true (spk_lesson_condition_holds (lesson, late, network, state, &error));
  g_assert_cmpfloat_with_epsilon (spk_lesson_state_get_measured (state), 0.0, 1e-12);
  g_assert_no_error (error);

  /* A tie (no answer yet) is not right. */
  spk_lesson_state_clear_run (state);
  memset (rows, 0, sizeof rows);
  spk_lesson_state_append_probe (state, "p", 10, times, rows, 100);
  g_assert_true (spk_lesson_condition_holds (lesson, all, network, state, &error));
  g_assert_cmpfloat_with_epsilon (spk_lesson_state_get_measured (state), 0.0, 1e-12);

  /* A node that presents no images: said, with file and line. */
  g_assert_false (spk_lesson_condition_holds (lesson, wrong_node, network, state, &error));
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_NAME);
  g_assert_nonnull (strstr (error->message, "acc.lesson:9:"));
  g_assert_nonnull (strstr (error->message, "'sine' is not a node presenting the images of a data set"));
}

/* `probe P error OTHER` compares samples of the same time: a live run
 * may have dropped some samples of one probe and not of the other. */
static void
test_error_pairs_times (void)
{
  static const char text[] =
    "# Error\nstart: example communication-channel\n## P\n"
    "### Task: a\ncheck: probe a_value error b_value < 1\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = spk_lesson_parse (text, -1, "err.lesson", ".", &error);
  g_autoptr (SpkNetwork) network = spk_lesson_load_start (lesson, &error);
  g_autoptr (SpkLessonState) state = spk_lesson_state_new ();
  const SpkLessonPage *page = g_ptr_array_index (lesson->pages, 0);
  const SpkLessonCondition *c = g_ptr_array_index (((SpkLessonTask *) g_ptr_array_index (page->tasks, 0))->conditions, 0);
  double t[10], a[10], b_t[6], b[6];
  guint n = 0;

  g_assert_no_error (error);
  /* a = b = t at every step; b lost four of its samples. */
  for (guint k = 0; k < 10; k++)
    {
      t[k] = a[k] = (k + 1) * 0.001;
      if (k % 2 == 0 || k == 9)
        b_t[n] = b[n] = t[k], n++;
    }
  spk_lesson_state_append_probe (state, "a_value", 1, t, a, 10);
  spk_lesson_state_append_probe (state, "b_value", 1, b_t, b, n);
  g_assert_true (spk_lesson_condition_holds (lesson, c, network, state, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (spk_lesson_state_get_measured (state), ==, 0.0);
}

/* `set OBJECT KEY.FIELD VALUE` sets one field inside a key, as a student
 * edits one field of the inspector; a field the key does not have is
 * refused with file and line. */
static void
test_set_field (void)
{
  static const char good[] =
    "# Fields\nstart: example spiking-classifier\n## P\n"
    "### Task: a\ncheck: param input output.presentation_time = 0.03\n"
    "do: set input output.presentation_time 0.03\n";
  static const char bad[] =
    "# Fields\nstart: example spiking-classifier\n## P\n"
    "### Task: a\ncheck: time >= 0\n"
    "do: set input output.speed 0.03\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = spk_lesson_parse (good, -1, "fields.lesson", ".", &error);

  g_assert_no_error (error);
  g_assert_true (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&lesson, spk_lesson_free);
  lesson = spk_lesson_parse (bad, -1, "fields.lesson", ".", &error);
  g_assert_false (spk_lesson_check (lesson, NULL, NULL, &error));
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK);
  g_assert_nonnull (strstr (error->message, "fields.lesson:6:"));
  g_assert_nonnull (strstr (error->message, "has no parameter 'output.speed'"));
}

typedef struct
{
  const char *what;
  const char *text;
  const char *where;    /* "FILE:LINE:" the message must hold */
  const char *says;     /* and this */
} BadCase;

static const BadCase bad_cases[] = {
  { "syntax: no title", "level: easy\n", "bad.lesson:1:", "title" },
  { "syntax: bad header", "# T\nstart: empty\nwhat is this\n", "bad.lesson:3:", "header" },
  { "syntax: unknown header", "# T\ncolour: red\n", "bad.lesson:2:", "unknown header 'colour'" },
  { "syntax: task outside a page", "# T\nstart: empty\n### Task: x\n", "bad.lesson:3:", "on a page" },
  { "syntax: bad task line", "# T\nstart: empty\n## P\n### Task: x\nwhen: now\n", "bad.lesson:5:", "unknown task line" },
  { "syntax: task without check", "# T\nstart: empty\n## P\n\n### Task: x\nhint: h\n", "bad.lesson:5:", "no 'check:'" },
  { "syntax: bad comparison", "# T\nstart: empty\n## P\n### Task: x\ncheck: time ~ 2\n", "bad.lesson:5:", "comparison" },
  { "syntax: bad range", "# T\nstart: empty\n## P\n### Task: x\ncheck: time in 3..1\n", "bad.lesson:5:", "range" },
  { "syntax: bad json", "# T\nstart: empty\n## P\n### Task: x\ncheck: time >= 1\ndo: add node n {\"output\": }\n", "bad.lesson:6:", "malformed JSON" },
  { "syntax: deep json", "# T\nstart: empty\n## P\n### Task: x\ncheck: time >= 1\ndo: set n output [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]\n", "bad.lesson:6:", "deeper" },
  { "syntax: run too long", "# T\nstart: empty\n## P\n### Task: x\ncheck: time >= 1\ndo: run 1e9\n", "bad.lesson:6:", "run SECONDS" },
  { "syntax: bad plot kind", "# T\nstart: empty\n## P\n### Task: x\ncheck: plot pie a\n", "bad.lesson:5:", "unknown plot kind 'pie'" },
  { "syntax: escaping start file", "# T\nstart: file ../../etc/passwd\n", "bad.lesson:2:", "plain name" },
  { "unknown task kind", "# T\nstart: empty\n## P\n### Task: x\ncheck: telepathy a\n", "bad.lesson:5:", "unknown task kind 'telepathy'" },
  { "unknown action", "# T\nstart: empty\n## P\n### Task: x\ncheck: time >= 1\ndo: dance\n", "bad.lesson:6:", "unknown action 'dance'" },
  { "start model: no such example", "# T\nstart: example nope\n## P\n", "bad.lesson:2:", "start model does not load" },
  { "start model: missing file", "# T\n\nstart: file missing.json\n## P\n", "bad.lesson:3:", "start model does not load" },
  { "start model: broken file", "# T\nstart: file broken.json\n## P\n", "bad.lesson:2:", "malformed JSON" },
  { "unknown object in a check", "# T\nstart: example communication-channel\n## P\n### Task: x\ncheck: param zz n_neurons = 3\n", "bad.lesson:5:", "no object 'zz'" },
  { "unknown object in an action", "# T\nstart: example integrator\n## P\n### Task: x\ncheck: time >= 1\ndo: delete a->b\n", "bad.lesson:6:", "no object 'a'" },
  { "unknown object after a delete", "# T\nstart: example communication-channel\n## P\n### Task: x\ncheck: time >= 0\ndo: delete b\n### Task: y\ncheck: exists ensemble b\n", "bad.lesson:8:", "no object 'b'" },
  { "label used twice", "# T\nstart: example communication-channel\n## P\n### Task: x\ncheck: time >= 0\ndo: add node a\n", "bad.lesson:6:", "already used" },
  { "trained: unknown measure", "# T\nstart: empty\n## P\n### Task: x\ncheck: trained accuracy > 0.5\n", "bad.lesson:5:", "trained epochs|loss|val_loss" },
  { "trained: no number", "# T\nstart: empty\n## P\n### Task: x\ncheck: trained loss < low\n", "bad.lesson:5:", "expected a number" },
  { "train: unknown data set", "# T\nstart: empty\n## P\n### Task: x\ncheck: trained epochs >= 1\ndo: train cats 3\n", "bad.lesson:6:", "unknown data set 'cats'" },
  { "train: no epochs", "# T\nstart: empty\n## P\n### Task: x\ncheck: trained epochs >= 1\ndo: train noise-integral 0\n", "bad.lesson:6:", "epochs from 1 to 100" },
  { "train: too many epochs", "# T\nstart: empty\n## P\n### Task: x\ncheck: trained epochs >= 1\ndo: train noise-integral 1000\n", "bad.lesson:6:", "epochs from 1 to 100" },
  { "train: options not an object", "# T\nstart: empty\n## P\n### Task: x\ncheck: trained epochs >= 1\ndo: train noise-integral 2 [1]\n", "bad.lesson:6:", "JSON object" },
  { "probe accuracy: unknown node", "# T\nstart: example communication-channel\n## P\n### Task: x\ncheck: probe b_value accuracy zz > 0.5\n", "bad.lesson:5:", "no object 'zz'" },
  { "probe accuracy: no node", "# T\nstart: empty\n## P\n### Task: x\ncheck: probe b_value accuracy\n", "bad.lesson:5:", "value|rate|error OTHER|accuracy NODE" },
  { "train: unknown data set, images offered", "# T\nstart: empty\n## P\n### Task: x\ncheck: trained epochs >= 1\ndo: train pictures 3\n", "bad.lesson:6:", "expected images, fashion-mnist" },
  { "not UTF-8", "# T\nstart: empty\n\xff\xfe\n", "bad.lesson:3:", "UTF-8" },
};

static void
test_bad_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("spk-lessons-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.json", NULL);

  g_assert_true (g_file_set_contents (broken, "{\"format\": \"spikeworks-model\", ", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkLesson) lesson = spk_lesson_parse (c->text, -1, "bad.lesson", dir, &error);

      g_test_message ("%s", c->what);
      if (lesson != NULL)
        spk_lesson_validate (lesson, &error);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SPK_LESSON_ERROR);
      if (!g_str_has_prefix (error->message, c->where) || strstr (error->message, c->says) == NULL)
        g_error ("%s: got '%s', wanted '%s … %s'", c->what, error->message, c->where, c->says);
    }
  g_unlink (broken);
  g_rmdir (dir);
}

/* Bounds: a huge file and a huge line are refused before parsing. */
static void
test_bounds (void)
{
  g_autoptr (GString) big = g_string_new ("# T\nstart: empty\n## P\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkLesson) lesson = NULL;
  g_autofree char *line = g_strnfill (SPK_LESSON_MAX_LINE + 1, 'x');
  g_autofree char *text = g_strconcat ("# T\nstart: empty\n## P\n", line, "\n", NULL);

  while (big->len <= SPK_LESSON_MAX_BYTES)
    g_string_append (big, "Some text.\n");
  lesson = spk_lesson_parse (big->str, (gssize) big->len, "big.lesson", ".", &error);
  g_assert_null (lesson);
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TOO_LARGE);
  g_clear_error (&error);
  lesson = spk_lesson_parse (text, -1, "long.lesson", ".", &error);
  g_assert_null (lesson);
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "long.lesson:4:"));
  g_clear_pointer (&lesson, spk_lesson_free);
  g_clear_error (&error);

  /* A device that never ends is not read. */
  lesson = spk_lesson_load_file ("/dev/zero", &error);
  g_assert_null (lesson);
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "/dev/zero:1:"));
}

/* Random edits of the built-in lessons: the parser and validator must
 * never crash; they either accept or say where.  Seeded and bounded;
 * SPK_FUZZ_LESSONS=N runs N rounds instead. */
static void
test_fuzz (void)
{
  g_autoptr (GPtrArray) entries = spk_lessons_list ();
  const char *env = g_getenv ("SPK_FUZZ_LESSONS");
  guint rounds = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 400;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261206);
  static const char *const tokens[] = {
    "\n", "##", "### Task:", "check:", "do:", "hint:", "->", "[", "{", "}", "..", " in ",
    ">=", "\xff", "run 1", "probe", "param", "\"", "0", "-1e308", "nan",
  };

  for (guint round = 0; round < rounds; round++)
    {
      SpkLessonEntry *entry = g_ptr_array_index (entries, g_rand_int_range (rand, 0, (gint32) entries->len));
      g_autoptr (GString) text = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkLesson) lesson = NULL;
      guint n_edits = (guint) g_rand_int_range (rand, 1, 8);

      /* Rebuild a text from the parsed lesson's source: its file. */
      {
        g_auto (GStrv) children = g_resources_enumerate_children (SPK_LESSONS_RESOURCE, 0, NULL);

        for (guint i = 0; children && children[i]; i++)
          if (g_str_has_suffix (children[i], ".lesson") && strstr (children[i], entry->name))
            {
              g_autofree char *full = g_build_path ("/", SPK_LESSONS_RESOURCE, children[i], NULL);
              g_autoptr (GBytes) bytes = g_resources_lookup_data (full, 0, NULL);

              g_string_append_len (text, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
            }
      }
      for (guint e = 0; e < n_edits && text->len > 0; e++)
        {
          guint at = (guint) g_rand_int_range (rand, 0, (gint32) text->len);

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              {
                gsize cut = (gsize) g_rand_int_range (rand, 1, 40);

                g_string_erase (text, at, (gssize) MIN (text->len - at, cut));
              }
              break;
            case 1:
              g_string_insert (text, at, tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))]);
              break;
            default:
              text->str[at] = (char) g_rand_int_range (rand, 1, 256);
              break;
            }
        }
      lesson = spk_lesson_parse (text->str, (gssize) text->len, "fuzz.lesson", "resource://" SPK_LESSONS_RESOURCE, &error);
      if (lesson == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (g_str_has_prefix (error->message, "fuzz.lesson:"));
          continue;
        }
      if (!spk_lesson_validate (lesson, &error))
        g_assert_true (g_str_has_prefix (error->message, "fuzz.lesson:"));
    }
}

/* The user's folder: a good lesson is listed and found by name; a broken
 * one is listed as broken, with file and line, and the others still work. */
static void
test_user_dir (void)
{
  g_autofree char *dir = spk_lessons_user_dir ();
  g_autofree char *good = g_build_filename (dir, "my-lesson.lesson", NULL);
  g_autofree char *bad = g_build_filename (dir, "zz-broken.lesson", NULL);
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (SpkLesson) found = NULL;
  g_autoptr (GError) error = NULL;
  gboolean saw_good = FALSE, saw_bad = FALSE;

  g_assert_true (g_str_has_prefix (dir, user_home));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (good, "# Mine\nstart: example integrator\n\n## One\n\nText.\n\n"
                                      "### Task: Run\ncheck: time >= 0.5\ndo: run 0.5\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "# Broken\nstart: example integrator\n## One\n"
                                      "### Task: x\ncheck: exists ensemble nobody\n", -1, NULL));
  entries = spk_lessons_list ();
  for (guint i = 0; i < entries->len; i++)
    {
      SpkLessonEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->name, "my-lesson"))
        {
          saw_good = TRUE;
          g_assert_false (entry->builtin);
          g_assert_no_error (entry->error);
          g_assert_cmpstr (entry->title, ==, "Mine");
        }
      else if (g_str_equal (entry->name, "zz-broken"))
        {
          saw_bad = TRUE;
          g_assert_null (entry->lesson);
          g_assert_nonnull (entry->error);
          g_assert_nonnull (strstr (entry->error->message, "zz-broken.lesson:5:"));
        }
      else
        g_assert_no_error (entry->error);
    }
  g_assert_true (saw_good && saw_bad);
  found = spk_lesson_find ("my-lesson", &error);
  g_assert_no_error (error);
  g_assert_true (spk_lesson_check (found, NULL, NULL, &error));
  g_assert_null (spk_lesson_find ("no-such-lesson", &error));
  g_assert_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_NOT_FOUND);
  g_unlink (good);
  g_unlink (bad);
}

static void
expect_listed (const char *strings,
               const char *lesson,
               const char *text)
{
  g_autoptr (GString) literal = g_string_new ("N_(\"");

  if (text == NULL)
    return;
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (literal, '\\');
      g_string_append_c (literal, *p);
    }
  g_string_append (literal, "\")");
  if (strstr (strings, literal->str) == NULL)
    g_error ("%s: '%s' is not in data/lessons/lesson-strings.c; run tools/lesson-strings.py",
             lesson, text);
}

/* Every text of the built-in lessons is there for xgettext. */
static void
test_strings_listed (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "lessons",
                                                 "lesson-strings.c", NULL);
  g_autofree char *strings = NULL;
  g_autoptr (GPtrArray) entries = spk_lessons_list ();
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &strings, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      SpkLessonEntry *entry = g_ptr_array_index (entries, i);
      SpkLesson *lesson = entry->lesson;

      if (!entry->builtin)
        continue;
      g_assert_nonnull (lesson);
      expect_listed (strings, lesson->name, lesson->title);
      expect_listed (strings, lesson->name, lesson->level);
      expect_listed (strings, lesson->name, lesson->teaches);
      for (guint p = 0; p < lesson->pages->len; p++)
        {
          SpkLessonPage *page = g_ptr_array_index (lesson->pages, p);

          expect_listed (strings, lesson->name, page->title);
          for (guint k = 0; k < page->paragraphs->len; k++)
            expect_listed (strings, lesson->name, g_ptr_array_index (page->paragraphs, k));
          for (guint t = 0; t < page->tasks->len; t++)
            {
              SpkLessonTask *task = g_ptr_array_index (page->tasks, t);

              expect_listed (strings, lesson->name, task->title);
              expect_listed (strings, lesson->name, task->hint);
            }
        }
    }
}

static void
run_cli (const char *const *args,
         int                *status,
         char              **out,
         char              **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SPK_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &wait_status, &error));
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("spk-lessons-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.lesson", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  if (g_getenv ("SPK_CLI") == NULL)
    {
      g_test_skip ("SPK_CLI is not set");
      return;
    }
  run_cli ((const char *[]) { "lessons", NULL }, &status, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "first-spike\tA neuron and its current\n"));
  g_assert_nonnull (strstr (out, "\nintegrator\t"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_cli ((const char *[]) { "lesson", "check", "first-spike", NULL }, &status, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "all 4 tasks complete"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (bad, "# Bad\nstart: example integrator\n## P\n### Task: Wait\n"
                                      "check: time >= 2\ndo: run 1\n", -1, NULL));
  run_cli ((const char *[]) { "lesson", "check", bad, NULL }, &status, &out, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "bad.lesson:4:"));
  g_assert_nonnull (strstr (err, "'Wait'"));
  g_unlink (bad);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  /* A private data folder before GLib caches the user's. */
  user_home = g_dir_make_tmp ("spk-lessons-home-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", user_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/lessons/builtin", test_builtin);
  g_test_add_func ("/spk/lessons/strings-listed", test_strings_listed);
  g_test_add_func ("/spk/lessons/check-fails", test_check_fails);
  g_test_add_func ("/spk/lessons/edit-forgets-run", test_edit_forgets_run);
  g_test_add_func ("/spk/lessons/bad-input", test_bad_input);
  g_test_add_func ("/spk/lessons/accuracy", test_accuracy);
  g_test_add_func ("/spk/lessons/set-field", test_set_field);
  g_test_add_func ("/spk/lessons/error-pairs-times", test_error_pairs_times);
  g_test_add_func ("/spk/lessons/train", test_train);
  g_test_add_func ("/spk/lessons/bounds", test_bounds);
  g_test_add_func ("/spk/lessons/fuzz", test_fuzz);
  g_test_add_func ("/spk/lessons/user-dir", test_user_dir);
  g_test_add_func ("/spk/lessons/cli", test_cli);
  return g_test_run ();
}
