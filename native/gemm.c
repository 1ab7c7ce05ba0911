/* The GEMM driver: C = op(A)·op(B) with the three-level blocking of Goto and van de Geijn
 * ("Anatomy of high-performance matrix multiplication", 2008). For each NC-wide column block and
 * KC-deep slice of the shared dimension (a "step"), B is packed once, by whichever threads are
 * there, into one shared buffer of NR-wide micro-panels that the micro-kernel reads
 * sequentially; then C tasks (MC rows of A, in narrower column chunks when rows are few) are
 * handed out from an atomic counter, each thread packing its A block into MR-tall micro-panels
 * (sized for L2) and sweeping the micro-kernel over it. When m is small (fewer row blocks than
 * tasks, as for a batch of 128 rows) the tasks are column chunks of the same rows, so A's slice
 * is packed once, by all threads, next to B's, instead of by every thread. The KC and MC blocks
 * are evened out over k and m so that no step is a sliver. Packing also absorbs transposition and
 * zero-pads the edges (an ISA may supply a transposing packer); partial tiles go through a small
 * buffer.
 *
 * Threads only ever wait for work that has been claimed (no barrier counts heads), so a worker
 * that the OS schedules late costs nothing: the caller packs and computes what is left. Each C
 * element is summed in the same order whoever computes it, so results do not depend on threads.
 *
 * The driver is written once over an element type in gemm_driver.inc and instantiated for float
 * and double below. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "nabla.h"

/* Below this many multiply-adds a GEMM stays on the calling thread: waking the pool costs more. */
#define PARALLEL_MIN_MNK (1L << 19)
/* Largest A slice the threads pack together (see share_a). */
#define SHARED_A_MAX_BYTES (8L << 20)
/* B micro-panels packed per claim. */
#define PACK_GRAIN 4

/* The progress of one (jc, pc) step, shared by the threads: B panels claimed and packed, C tasks
 * claimed and finished. On its own cache line. */
typedef struct {
  _Atomic long pack_next, pack_done, task_next, task_done;
  char pad[64 - 4 * sizeof(long)];
} nb_gemm_step;

/* Per-thread packing buffers that grow as needed and are kept between calls: slot 0 a thread's own
 * A block, 1 the shared B panels and 2 the shared A slice (both in the calling thread's slots). */
static void *thread_buffer(int slot, size_t bytes) {
  static __thread void *buf[3];
  static __thread size_t cap[3];
  if (cap[slot] < bytes) {
    free(buf[slot]);
    buf[slot] = NULL;
    cap[slot] = 0;
    if (posix_memalign(&buf[slot], 64, bytes) != 0) return NULL;
    cap[slot] = bytes;
  }
  return buf[slot];
}

static inline long min_l(long a, long b) {
  return a < b ? a : b;
}

static inline long round_up(long x, long m) {
  return (x + m - 1) / m * m;
}

/* How many threads a GEMM of this size should use. */
static int gemm_threads(long m, long n, long k) {
  if (m * n * k < PARALLEL_MIN_MNK) return 1;
  return nb_pool_threads();
}

/* A block size for `total` of at most `block` (a multiple of `mult`), evened out so that the last
 * block is not a sliver: 784 in blocks of ≤ 256 is 3 × 262, not 256, 256, 256, 16. */
static long even_block(long total, long block, long mult) {
  long blocks = (total + block - 1) / block;
  return round_up((total + blocks - 1) / blocks, mult);
}

/* Whether the threads pack all of A's kc-slice once, together, into one shared buffer instead of
 * each packing the row blocks it works on. Worth it when there are too few row blocks for one per
 * task (small m: the tasks are column chunks of the same rows, so every thread would pack the
 * same A), and the slice is not large. */
static int share_a(long m_padded, long row_blocks, long kc, size_t elem, int nth) {
  return nth > 1 && row_blocks < 4L * nth && (size_t)m_padded * (size_t)kc * elem <= SHARED_A_MAX_BYTES;
}

/* Column-chunk width of one task (a multiple of nr): whole NC blocks when there are enough row
 * blocks for every thread to take several (the last ones even out the load), else narrower
 * chunks, at least 4 micro-panels wide, so that small-m products still spread. */
static long task_width(long row_blocks, long nc, int nr, int nth) {
  const long want = 4L * nth;
  if (nth <= 1 || row_blocks >= want) return nc;
  long chunks = (want + row_blocks - 1) / row_blocks;
  long max_chunks = (nc + 4L * nr - 1) / (4L * nr);
  if (chunks > max_chunks) chunks = max_chunks;
  if (chunks < 1) chunks = 1;
  return round_up((nc + chunks - 1) / chunks, nr);
}

#define REAL float
#define FN(name) nb_s##name
#define DESC nb_sgemm_desc
#define ACTIVE nb_sgemm_active
#include "gemm_driver.inc"
#undef REAL
#undef FN
#undef DESC
#undef ACTIVE

#define REAL double
#define FN(name) nb_d##name
#define DESC nb_dgemm_desc
#define ACTIVE nb_dgemm_active
#include "gemm_driver.inc"
