/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson.h — a lesson: pages of short text, each with tasks whose
 * checks are conditions on the model, the run and the interface, plus the
 * scripted solution ("Show me") of every task as model edits.
 *
 * Lessons are files written by teachers (docs/lessons.md); they are parsed
 * as untrusted input: bounded in size, every error names the file and line.
 * This is plain data; evaluating conditions is spk-lesson-check.h's job and
 * applying solutions spk-lesson-solve.h's.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_LESSON_ERROR (spk_lesson_error_quark ())
GQuark spk_lesson_error_quark (void);

typedef enum
{
  SPK_LESSON_ERROR_PARSE,      /* a line the format does not allow */
  SPK_LESSON_ERROR_TOO_LARGE,  /* over one of the format's bounds */
  SPK_LESSON_ERROR_MODEL,      /* the start model does not load */
  SPK_LESSON_ERROR_NAME,       /* a task names an object the model lacks */
  SPK_LESSON_ERROR_NOT_FOUND,  /* no lesson of that name */
  SPK_LESSON_ERROR_TASK,       /* a task's solution did not complete it */
} SpkLessonError;

/* Bounds on what a lesson file may hold. */
#define SPK_LESSON_MAX_BYTES      (256 * 1024)
#define SPK_LESSON_MAX_LINE       2048
#define SPK_LESSON_MAX_PAGES      64
#define SPK_LESSON_MAX_TASKS      32     /* per page */
#define SPK_LESSON_MAX_STEPS      32     /* checks or actions per task */
#define SPK_LESSON_MAX_JSON_DEPTH 16
#define SPK_LESSON_MAX_RUN_TIME   60.0   /* seconds a `run` may simulate */
#define SPK_LESSON_MAX_EPOCHS     100    /* epochs a `train` may run */

typedef enum
{
  SPK_LESSON_START_EMPTY,
  SPK_LESSON_START_EXAMPLE,   /* start_arg: the example's name */
  SPK_LESSON_START_FILE,      /* start_arg: a model file beside the lesson */
} SpkLessonStart;

typedef enum
{
  SPK_LESSON_OP_EQ,   /* = value (numbers within 1e-9 relative, or text) */
  SPK_LESSON_OP_IN,   /* in low..high, both included */
  SPK_LESSON_OP_LT,
  SPK_LESSON_OP_LE,
  SPK_LESSON_OP_GT,
  SPK_LESSON_OP_GE,
} SpkLessonOp;

typedef enum
{
  SPK_LESSON_COND_EXISTS,      /* an object of type (and label) exists */
  SPK_LESSON_COND_CONNECTION,  /* a connection from object to post */
  SPK_LESSON_COND_PARAM,       /* object's key (with .field path) op value */
  SPK_LESSON_COND_TIME,        /* the run has reached time op value */
  SPK_LESSON_COND_PROBE,       /* measure of probe object op value */
  SPK_LESSON_COND_PLOT,        /* interface: a plot of kind type is open */
  SPK_LESSON_COND_CLICKED,     /* interface: the user clicked object */
  SPK_LESSON_COND_TRAINED,     /* key (epochs, loss, val_loss) of the
                                * training so far op value */
} SpkLessonCondKind;

typedef enum
{
  SPK_LESSON_MEASURE_VALUE,   /* mean of one component over the window */
  SPK_LESSON_MEASURE_RATE,    /* mean over every component: spikes/s */
  SPK_LESSON_MEASURE_ERROR,   /* RMS difference to another probe */
  SPK_LESSON_MEASURE_ACCURACY,/* the fraction of the images a data-set
                               * node presented whose class is the
                               * probe's largest value at their last step */
} SpkLessonMeasure;

typedef struct
{
  SpkLessonCondKind kind;
  guint             line;
  char             *type;       /* EXISTS: object type or NULL; PLOT: plot kind */
  char             *object;     /* label, or "pre->post" for a connection */
  char             *post;       /* CONNECTION: the post's label */
  char             *key;        /* PARAM: model-file key, maybe key.field… */
  char             *text;       /* PARAM: a text value compared with = */
  SpkLessonOp       op;
  double            value;
  double            high;       /* OP_IN */
  SpkLessonMeasure  measure;
  int               component;  /* PROBE VALUE: which component (0 default) */
  char             *other;      /* PROBE ERROR: the probe compared with;
                                 * ACCURACY: the node presenting images */
  double            after;      /* PROBE: samples at t >= after count */
} SpkLessonCondition;

typedef enum
{
  SPK_LESSON_DO_ADD,      /* add type object {json members} */
  SPK_LESSON_DO_CONNECT,  /* connect object post {json members} */
  SPK_LESSON_DO_SET,      /* set object key json-value */
  SPK_LESSON_DO_DELETE,   /* delete object */
  SPK_LESSON_DO_RUN,      /* reset, then run for time seconds */
  SPK_LESSON_DO_PLOT,     /* interface: open a plot of kind type on object */
  SPK_LESSON_DO_CLICK,    /* interface: click object */
  SPK_LESSON_DO_TRAIN,    /* train on data set type for epochs {json options} */
} SpkLessonActionKind;

typedef struct
{
  SpkLessonActionKind kind;
  guint               line;
  char               *type;
  char               *object;
  char               *post;
  char               *key;
  char               *json;    /* ADD/CONNECT/TRAIN: a JSON object; SET: a JSON value */
  double              time;
  guint               epochs;  /* TRAIN */
} SpkLessonAction;

typedef struct
{
  char      *title;
  guint      line;
  char      *hint;         /* nullable */
  GPtrArray *conditions;   /* (element-type SpkLessonCondition) */
  GPtrArray *actions;      /* (element-type SpkLessonAction) */
} SpkLessonTask;

typedef struct
{
  char      *title;
  guint      line;
  GPtrArray *paragraphs;   /* (element-type utf8): one per paragraph */
  GPtrArray *tasks;        /* (element-type SpkLessonTask) */
} SpkLessonPage;

typedef struct
{
  char          *name;       /* the file's name without ".lesson" */
  char          *file;       /* where it came from, for messages */
  char          *base;       /* directory (or resource path) of start files */
  char          *title;
  char          *level;      /* nullable */
  guint          minutes;    /* 0 if not given */
  char          *teaches;    /* nullable */
  gboolean       coming;     /* listed, but not yet playable */
  SpkLessonStart start;
  char          *start_arg;
  guint          start_line;
  GPtrArray     *pages;      /* (element-type SpkLessonPage) */
} SpkLesson;

/* Parses a lesson from data (length bytes, or -1 for NUL-terminated).
 * file names it in messages ("FILE:LINE: …"); base is where a start
 * model file is looked up (a directory, or "resource://…"). */
SpkLesson *spk_lesson_parse      (const char  *data,
                                  gssize       length,
                                  const char  *file,
                                  const char  *base,
                                  GError     **error) G_GNUC_WARN_UNUSED_RESULT;
/* Reads and parses a lesson file (bounded by SPK_LESSON_MAX_BYTES). */
SpkLesson *spk_lesson_load_file  (const char  *path,
                                  GError     **error) G_GNUC_WARN_UNUSED_RESULT;
void       spk_lesson_free       (SpkLesson   *lesson);
guint      spk_lesson_count_tasks (const SpkLesson *lesson);

/* Plot kinds an interface condition or action may name. */
const char *const *spk_lesson_plot_kinds (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkLesson, spk_lesson_free)

G_END_DECLS
