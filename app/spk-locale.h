/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-locale.h — the locale and the translations of both programs.
 *
 * gettext ignores LANGUAGE in the C locale, and the C locale is what a
 * process gets with no LANG at all (a fresh machine, a container) or with
 * a LANG the machine has not generated (de_DE.UTF-8 without the locales
 * package): German would then not show.  In that case the programs switch
 * to C.UTF-8, built into the C library, where LANGUAGE counts, and take
 * the language of the missing locale as LANGUAGE when none is set. */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

static inline gboolean
spk_locale_is_c (const char *name)
{
  return name == NULL || *name == '\0' || g_str_equal (name, "C") || g_str_equal (name, "POSIX");
}

static inline void
spk_locale_init (void)
{
  /* `meson devenv` points this at the catalogues compiled in the build tree. */
  const char *locale_dir = g_getenv ("SPIKEWORKS_LOCALEDIR");

  setlocale (LC_ALL, "");
  if (spk_locale_is_c (setlocale (LC_MESSAGES, NULL)))
    {
      const char *asked = NULL;
      const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

      for (guint i = 0; i < G_N_ELEMENTS (vars) && asked == NULL; i++)
        if (g_getenv (vars[i]) != NULL && *g_getenv (vars[i]) != '\0')
          asked = g_getenv (vars[i]);
      if (!spk_locale_is_c (asked) && !g_str_has_prefix (asked, "C.") && g_getenv ("LANGUAGE") == NULL)
        {
          /* "de_DE.UTF-8@euro" → "de_DE" */
          g_autofree char *language = g_strndup (asked, strcspn (asked, ".@"));

          g_setenv ("LANGUAGE", language, TRUE);
        }
      setlocale (LC_ALL, "C.UTF-8");
    }
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ? locale_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
