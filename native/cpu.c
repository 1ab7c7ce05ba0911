/* Which SIMD level this CPU has, and which GEMM micro-kernels that selects. One build runs on any
 * x86-64: the AVX kernels are compiled with per-function target attributes and only called when
 * the CPU (and the OS, which must save the wide registers) supports them. */
#include <string.h>
#include "nabla.h"

static nb_isa detected = ISA_PORTABLE;
static nb_isa active = ISA_PORTABLE;

int nb_cpu_has(nb_isa isa) {
  return isa <= detected;
}

void nb_cpu_init(const char *request) {
#ifdef NB_X86
  __builtin_cpu_init();
  /* libgcc/compiler-rt only report these when the OS enables the register state (XCR0). */
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) detected = ISA_AVX2;
  if (detected == ISA_AVX2 && __builtin_cpu_supports("avx512f")) detected = ISA_AVX512;
#endif
  active = detected;
  if (request && request[0]) {
    nb_isa want = active;
    if (strcmp(request, "portable") == 0) want = ISA_PORTABLE;
    else if (strcmp(request, "avx2") == 0) want = ISA_AVX2;
    else if (strcmp(request, "avx512") == 0) want = ISA_AVX512;
    if (want < active) active = want; /* never raise above what the CPU has */
  }
}

nb_isa nb_cpu_isa(void) {
  return active;
}

const char *nb_isa_name(nb_isa isa) {
  switch (isa) {
    case ISA_AVX512: return "avx512";
    case ISA_AVX2: return "avx2";
    default: return "portable";
  }
}

const nb_sgemm_desc *nb_sgemm_active(void) {
#ifdef NB_X86
  if (active == ISA_AVX512) return &nb_sgemm_avx512;
  if (active == ISA_AVX2) return &nb_sgemm_avx2;
#endif
  return &nb_sgemm_portable;
}

const nb_dgemm_desc *nb_dgemm_active(void) {
#ifdef NB_X86
  if (active == ISA_AVX512) return &nb_dgemm_avx512;
  if (active == ISA_AVX2) return &nb_dgemm_avx2;
#endif
  return &nb_dgemm_portable;
}
