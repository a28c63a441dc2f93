/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cpu.c — the CPU's instruction-set level, asked once (spk-cpu.h). */
#define G_LOG_DOMAIN "spk-cpu"

#include "core/spk-cpu.h"

static SpkIsa
detect (void)
{
#if defined(__x86_64__)
  if (__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("fma"))
    return SPK_ISA_AVX512;
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    return SPK_ISA_AVX2;
#endif
  return SPK_ISA_BASELINE;
}

SpkIsa
spk_cpu_isa (void)
{
  static gsize level = 0;   /* SpkIsa + 1 once known */

  if (g_once_init_enter (&level))
    g_once_init_leave (&level, (gsize) detect () + 1);
  return (SpkIsa) (level - 1);
}

const char *
spk_isa_to_name (SpkIsa isa)
{
  switch (isa)
    {
    case SPK_ISA_AVX512: return "avx512";
    case SPK_ISA_AVX2: return "avx2";
    case SPK_ISA_BASELINE: default: return "baseline";
    }
}
