/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-session-damaged.c — sessions damaged the way files sent around a
 * class get damaged, each once a crash, a hang or a memory bomb (the
 * files in tests/data/damaged are integrator sessions with one flipped
 * byte, a zeroed range, a link cycle, or headers declaring more data than
 * they hold).  Loading each through the checked loader ends with a
 * message naming the file, never a crash, a hang or gigabytes.  Also:
 * new sessions are written with fixed-length strings (libhdf5 crashed
 * inside variable-length ones), and old sessions with variable-length
 * strings still load. */
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <hdf5.h>

#include "core/spk-error.h"
#include "examples/spk-examples.h"
#include "io/spk-hdf5-check.h"
#include "io/spk-session.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

/* Loads a damaged file; returns the message, which names it. */
static char *
load_error (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autofree char *base = g_path_get_basename (name);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = spk_session_load_checked (path, &error);

  g_assert_null (session);
  g_assert_error (error, SPK_IO_ERROR, error->code);
  g_test_message ("%s: %s", name, error->message);
  if (strstr (error->message, base) == NULL)
    g_error ("the message does not name %s: %s", base, error->message);
  return g_strdup (error->message);
}

#define assert_load_error(name, expected) \
  G_STMT_START { \
    g_autofree char *message_ = load_error (name); \
    if (strstr (message_, (expected)) == NULL) \
      g_error ("expected '%s' in: %s", (expected), message_); \
  } G_STMT_END

/* F5: one byte in the global heap made libhdf5 loop for ever reading a
 * string attribute; F11: flipped bytes crashed it (SIGSEGV, overflows). */
static void
test_library_crashes (void)
{
  /* The check gives up on a hang quickly here. */
  g_setenv ("SPK_HDF5_CHECK_SECONDS", "3", TRUE);
  assert_load_error ("damaged/hang3249.spkw", "is damaged");
  assert_load_error ("damaged/v474.spkw", "is damaged");
  assert_load_error ("damaged/v502.spkw", "is damaged");
  assert_load_error ("damaged/zero3520.spkw", "is damaged");
  g_unsetenv ("SPK_HDF5_CHECK_SECONDS");
  /* This one the library survives (under AddressSanitizer it overflows a
   * buffer): refused either way. */
  g_free (load_error ("damaged/v384.spkw"));
}

/* F14: a decoder of the wrong size (and no leak on the way out, which the
 * ASan run of this suite checks). */
static void
test_wrong_size_parameter (void)
{
  assert_load_error ("damaged/v837.spkw", "integral_value");
}

/* F15: f["layout/loop"] = f["layout"] recursed until memory ran out. */
static void
test_link_cycle (void)
{
  assert_load_error ("damaged/cycle.spkw", "/layout/loop");
}

/* F16: 59 KB files declaring 3e8 probe samples or 2e8 history entries
 * allocated gigabytes; sizes are checked against what the file holds.
 * Under a 1 GB address-space limit (skipped under AddressSanitizer, which
 * reserves far more) the refusal cannot come from a failed allocation. */
static void
test_size_bombs (void)
{
#if !defined(__SANITIZE_ADDRESS__)
  struct rlimit old, limit = { 1ul << 30, 1ul << 30 };

  g_assert_cmpint (getrlimit (RLIMIT_AS, &old), ==, 0);
  if (old.rlim_cur == RLIM_INFINITY || old.rlim_cur > limit.rlim_cur)
    setrlimit (RLIMIT_AS, &limit);
#endif
  assert_load_error ("damaged/bigprobe.spkw", "more than the file holds");
  assert_load_error ("damaged/bighist.spkw", "more than the file holds");
#if !defined(__SANITIZE_ADDRESS__)
  setrlimit (RLIMIT_AS, &old);
#endif
}

/* Whether the attribute or dataset at path@attr (attr NULL: a dataset)
 * is a variable-length string. */
static gboolean
is_vlen_string (const char *file_path,
                const char *object,
                const char *attr)
{
  hid_t file = H5Fopen (file_path, H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t obj = H5Oopen (file, object, H5P_DEFAULT);
  hid_t item = attr ? H5Aopen (obj, attr, H5P_DEFAULT) : obj;
  hid_t type = attr ? H5Aget_type (item) : H5Dget_type (item);
  gboolean vlen;

  g_assert_cmpint (type, >=, 0);
  g_assert_cmpint (H5Tget_class (type), ==, H5T_STRING);
  vlen = H5Tis_variable_str (type) > 0;
  H5Tclose (type);
  if (attr)
    H5Aclose (item);
  H5Oclose (obj);
  H5Fclose (file);
  return vlen;
}

static void
test_fixed_length_strings (void)
{
  g_autofree char *dir = g_dir_make_tmp ("spk-damaged-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.spkw", NULL);
  g_autofree char *old = data_path ("integrator-v1-vlen.spkw");
  g_autoptr (SpkNetwork) network = spk_example_new ("integrator", NULL);
  g_autoptr (SpkSession) session = spk_session_new (network);
  g_autoptr (SpkSession) back = NULL, old_session = NULL;
  g_autoptr (GError) error = NULL;

  spk_session_set_layout (session, "nodes/a", g_variant_new_string ("ünïcode"));
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  G_LOCK (spk_hdf5);
  g_assert_false (is_vlen_string (path, "/", "format"));
  g_assert_false (is_vlen_string (path, "/network/model_json", NULL));
  G_UNLOCK (spk_hdf5);
  back = spk_session_load_checked (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (spk_session_get_layout (back, "nodes/a"), NULL), ==, "ünïcode");

  /* Sessions written before keep loading. */
  G_LOCK (spk_hdf5);
  g_assert_true (is_vlen_string (old, "/", "format"));
  G_UNLOCK (spk_hdf5);
  old_session = spk_session_load_checked (old, &error);
  g_assert_no_error (error);
  g_assert_nonnull (spk_session_get_network (old_session));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  g_test_add_func ("/spk/session-damaged/library-crashes", test_library_crashes);
  g_test_add_func ("/spk/session-damaged/wrong-size-parameter", test_wrong_size_parameter);
  g_test_add_func ("/spk/session-damaged/link-cycle", test_link_cycle);
  g_test_add_func ("/spk/session-damaged/size-bombs", test_size_bombs);
  g_test_add_func ("/spk/session-damaged/fixed-length-strings", test_fixed_length_strings);
  return g_test_run ();
}
