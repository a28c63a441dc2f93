/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cpu.h — the one way the engine picks instruction-set-specific code.
 *
 * spk_cpu_isa() asks the CPU once (__builtin_cpu_supports()) which level
 * it runs: AVX-512 (avx512f with fma), AVX2 (avx2 with fma) or baseline.
 * Every kernel with variants branches on it: the small GEMM's hand-written
 * AVX-512 and AVX2 kernels, the runner ring's AVX-512 copy, and the loops
 * written once in C and compiled three times by SPK_ISA_DISPATCH (neuron
 * updates, the simulator's probe copies, the trainer's backward loops and
 * optimizers).
 *
 * Why not GCC's target_clones, which these loops used before: it can only
 * recompile one C body, while the GEMM kernels are different intrinsics per
 * instruction set, so two mechanisms were needed; its ifunc resolvers run
 * before ThreadSanitizer starts, so TSan builds had to leave the variants
 * out and tested other code than the release runs; and an explicit choice
 * is one that tests and benchmarks can name and see.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SPK_ISA_BASELINE,   /* baseline x86-64 (SSE2), or any other architecture */
  SPK_ISA_AVX2,       /* AVX2 with FMA */
  SPK_ISA_AVX512,     /* AVX-512F with FMA */
} SpkIsa;

SpkIsa       spk_cpu_isa        (void);
const char  *spk_isa_to_name    (SpkIsa isa);

/* A loop written once: its body is a function marked SPK_ISA_BODY, and
 * SPK_ISA_DISPATCH (storage, type, name, body, (params), (args)) defines
 * `storage type name (params)` that runs body compiled for the CPU's level
 * (SPK_ISA_DISPATCH_VOID for a void function).  args name the params in
 * order. */
#define SPK_ISA_BODY static inline __attribute__ ((always_inline))

#if defined(__x86_64__)
#define SPK_ISA_VARIANTS_(type, name, body, params, args) \
  __attribute__ ((target ("avx512f"))) static type name##_avx512 params { return body args; } \
  __attribute__ ((target ("avx2"))) static type name##_avx2 params { return body args; }
#define SPK_ISA_DISPATCH_(storage, type, name, body, params, args) \
  SPK_ISA_VARIANTS_ (type, name, body, params, args) \
  storage type name params \
  { \
    switch (spk_cpu_isa ()) \
      { \
      case SPK_ISA_AVX512: return name##_avx512 args; \
      case SPK_ISA_AVX2: return name##_avx2 args; \
      default: return body args; \
      } \
  }
#define SPK_ISA_DISPATCH_VOID_(storage, name, body, params, args) \
  __attribute__ ((target ("avx512f"))) static void name##_avx512 params { body args; } \
  __attribute__ ((target ("avx2"))) static void name##_avx2 params { body args; } \
  storage void name params \
  { \
    switch (spk_cpu_isa ()) \
      { \
      case SPK_ISA_AVX512: name##_avx512 args; break; \
      case SPK_ISA_AVX2: name##_avx2 args; break; \
      default: body args; break; \
      } \
  }
#else
#define SPK_ISA_DISPATCH_(storage, type, name, body, params, args) \
  storage type name params { return body args; }
#define SPK_ISA_DISPATCH_VOID_(storage, name, body, params, args) \
  storage void name params { body args; }
#endif
/* One more level, so that names built by macros (SFX (x)) expand first. */
#define SPK_ISA_DISPATCH(storage, type, name, body, params, args) \
  SPK_ISA_DISPATCH_ (storage, type, name, body, params, args)
#define SPK_ISA_DISPATCH_VOID(storage, name, body, params, args) \
  SPK_ISA_DISPATCH_VOID_ (storage, name, body, params, args)

G_END_DECLS
