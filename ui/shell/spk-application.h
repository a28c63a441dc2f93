/* spk-application.h — the workbench application. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SPK_TYPE_APPLICATION (spk_application_get_type ())
G_DECLARE_FINAL_TYPE (SpkApplication, spk_application, SPK, APPLICATION, AdwApplication)

SpkApplication *spk_application_new        (void) G_GNUC_WARN_UNUSED_RESULT;
/* What the process should exit with after g_application_run(): 1 when
 * a file or example on the command line could not be opened or the
 * screenshot not written, else 0. */
int             spk_application_get_status (SpkApplication *self);

G_END_DECLS
