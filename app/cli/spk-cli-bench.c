/* spk-cli-bench.c — `spikeworks-cli bench`: speed as ratios measured in one
 * run, never as timed test assertions. */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "expr/spk-expr.h"

/* `bench expr`: the expression evaluator against the same loop written by
 * hand in C, over a million elements. */
static int
bench_expr (gboolean json)
{
  const gsize n = 1000000;
  double expr_s = 0, c_s = 0;
  double ratio = spk_expr_bench (n, &expr_s, &c_s);

  if (isnan (ratio))
    {
      fprintf (stderr, "spikeworks-cli: %s\n", _("the expression and the C loop disagree"));
      return 1;
    }
  if (json)
    printf ("[{\"name\": \"expr\", \"elements\": %zu, \"expr_s\": %.6g, \"c_s\": %.6g, \"ratio\": %.3f}]\n",
            n, expr_s, c_s, ratio);
  else
    printf ("expr: sin(2*pi*t) * x[0] + x[1]^2 over %zu elements: %.3f ms, hand-written C %.3f ms, ratio %.2f×\n",
            n, expr_s * 1e3, c_s * 1e3, ratio);
  return 0;
}

int
_spk_cli_bench (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("[NAME…]"));

  g_option_context_set_summary (context, _("Benchmarks: expr"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv))
    return 2;
  for (int i = 1; i < argc; i++)
    if (!g_str_equal (argv[i], "expr"))
      return _spk_cli_usage (_("unknown benchmark; the benchmarks are: expr"), "bench [--json] [expr]");
  return bench_expr (json);
}
