/* A small thread pool. Workers are created on first use and wait for jobs, spinning a little
 * before they sleep so that back-to-back kernels do not pay a wake-up each time.
 *
 * A job is a number of chunks that threads claim one by one from a single atomic word holding
 * (job generation, next chunk); the caller claims too. A worker that wakes late, when every
 * chunk is taken or the job is over, finds nothing to claim and goes back to waiting: the caller
 * never waits for a worker that has not started, only for chunks that were claimed (with other
 * processes on the machine, a worker may not run for milliseconds). One job runs at a time; a caller that finds the pool busy (another JS thread) runs alone.
 *
 * The job's fields are guarded like a seqlock: the caller first moves the generation to an odd
 * value (no chunk can be claimed), writes the fields, then publishes the next even generation. A
 * worker reads the fields and then claims with a compare-and-swap that names the generation it
 * read them under, so a successful claim proves they were that job's. */
#ifdef __linux__
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#endif
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "nabla.h"

#define MAX_THREADS 256
#define SPIN_BEFORE_SLEEP 20000
#define SPIN_BEFORE_YIELD 2000

static _Atomic int pool_size;    /* threads a job may use, the caller included */
static int started;              /* worker threads created so far */
static uint32_t start_gen[MAX_THREADS]; /* the generation current when each was created */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static _Atomic int sleepers;

/* (generation << 32) | next chunk to claim */
static _Atomic uint64_t state;
static _Atomic long done;        /* chunks finished in the current job */

/* The current job. Written only while no chunk of the previous one can still be claimed. */
static _Atomic long job_chunks;
static _Atomic long job_n, job_grain;
static void *_Atomic job_ctx;
static _Atomic nb_range_fn job_fn;

static inline void cpu_relax(void) {
#ifdef NB_X86
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* Claims the next chunk of job `gen`; -1 when the job is over or fully claimed. */
static long claim(uint32_t gen, long chunks) {
  uint64_t v = atomic_load_explicit(&state, memory_order_acquire);
  for (;;) {
    if ((uint32_t)(v >> 32) != gen || (long)(uint32_t)v >= chunks) return -1;
    if (atomic_compare_exchange_weak_explicit(&state, &v, v + 1, memory_order_acq_rel, memory_order_acquire))
      return (long)(uint32_t)v;
  }
}

/* Runs chunks of job `gen` until none is left. */
static void work(uint32_t gen) {
  if (gen & 1) return; /* being written */
  long chunks = atomic_load_explicit(&job_chunks, memory_order_relaxed);
  long n = atomic_load_explicit(&job_n, memory_order_relaxed);
  long grain = atomic_load_explicit(&job_grain, memory_order_relaxed);
  void *ctx = atomic_load_explicit(&job_ctx, memory_order_relaxed);
  nb_range_fn fn = atomic_load_explicit(&job_fn, memory_order_relaxed);
  atomic_thread_fence(memory_order_acquire); /* the field reads above happen before the claim */
  long c;
  while ((c = claim(gen, chunks)) >= 0) {
    long end = (c + 1) * grain;
    fn(ctx, c * grain, end < n ? end : n);
    atomic_fetch_add_explicit(&done, 1, memory_order_acq_rel);
  }
}

/* Worker `arg` (0, 1, …) joins every job published after it was created, even one published
 * before the thread got to run, unless the pool was since made smaller than its index. */
static void *worker_main(void *arg) {
  int index = (int)(intptr_t)arg;
  uint32_t seen = start_gen[index];
  for (;;) {
    int spins = 0;
    while ((uint32_t)(atomic_load_explicit(&state, memory_order_acquire) >> 32) == seen && spins < SPIN_BEFORE_SLEEP) {
      cpu_relax();
      spins++;
    }
    if ((uint32_t)(atomic_load(&state) >> 32) == seen) {
      pthread_mutex_lock(&lock);
      atomic_fetch_add(&sleepers, 1);
      while ((uint32_t)(atomic_load(&state) >> 32) == seen) pthread_cond_wait(&wake, &lock);
      atomic_fetch_sub(&sleepers, 1);
      pthread_mutex_unlock(&lock);
    }
    seen = (uint32_t)(atomic_load_explicit(&state, memory_order_acquire) >> 32);
    if (index < atomic_load_explicit(&pool_size, memory_order_relaxed) - 1) work(seen);
  }
  return NULL;
}

static int default_threads(void) {
  const char *env = getenv("NABLA_NUM_THREADS");
  if (env && env[0]) {
    int n = atoi(env);
    if (n >= 1) return n > MAX_THREADS ? MAX_THREADS : n;
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) n = CPU_COUNT(&set);
#endif
  if (n < 1) n = 1;
  return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int nb_pool_threads(void) {
  if (pool_size == 0) pool_size = default_threads();
  return pool_size;
}

void nb_pool_set_threads(int n) {
  pthread_mutex_lock(&busy);
  pool_size = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
  pthread_mutex_unlock(&busy);
}

void nb_wait_at_least(_Atomic long *counter, long target) {
  int spins = 0;
  while (atomic_load_explicit(counter, memory_order_acquire) < target) {
    if (++spins < SPIN_BEFORE_YIELD) cpu_relax();
    else sched_yield();
  }
}

/* Publishes a job of `chunks` chunks (the busy lock held), works on it, and waits until every
 * chunk is finished. */
static void run_job(long chunks, long n, long grain, void *ctx, nb_range_fn fn) {
  uint32_t gen = (uint32_t)(atomic_load(&state) >> 32) + 2; /* even: published jobs */
  atomic_store(&state, ((uint64_t)(gen - 1) << 32) | UINT32_MAX); /* odd: nothing to claim */
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&job_chunks, chunks, memory_order_relaxed);
  atomic_store_explicit(&job_n, n, memory_order_relaxed);
  atomic_store_explicit(&job_grain, grain, memory_order_relaxed);
  atomic_store_explicit(&job_ctx, ctx, memory_order_relaxed);
  atomic_store_explicit(&job_fn, fn, memory_order_relaxed);
  atomic_store_explicit(&done, 0, memory_order_relaxed);
  atomic_store(&state, (uint64_t)gen << 32); /* seq_cst: publishes the fields; pairs with the sleepers check */
  if (atomic_load(&sleepers) > 0) {
    pthread_mutex_lock(&lock);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
  }
  work(gen);
  nb_wait_at_least(&done, chunks);
}

void nb_parallel_for(nb_range_fn fn, void *ctx, long n, long grain) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  if (n / grain >= UINT32_MAX) grain = n / (UINT32_MAX - 1) + 1; /* chunk indices fit 32 bits */
  long chunks = (n + grain - 1) / grain;
  int nth = chunks > 1 && nb_pool_threads() > 1 ? pthread_mutex_trylock(&busy) == 0 : 0;
  if (!nth) {
    fn(ctx, 0, n);
    return;
  }
  while (started < nb_pool_threads() - 1) {
    pthread_t t;
    start_gen[started] = (uint32_t)(atomic_load(&state) >> 32);
    if (pthread_create(&t, NULL, worker_main, (void *)(intptr_t)started) != 0) break;
    pthread_detach(t);
    started++;
  }
  run_job(chunks, n, grain, ctx, fn);
  pthread_mutex_unlock(&busy);
}

long nb_grain(long n, long unit_elems, long min_elems, int spread) {
  long unit = unit_elems > 0 ? unit_elems : 1;
  long grain = (min_elems + unit - 1) / unit;
  if (spread > 0) {
    long pieces = (long)spread * nb_pool_threads();
    long balanced = (n + pieces - 1) / pieces;
    if (balanced > grain) grain = balanced;
  }
  return grain > 0 ? grain : 1;
}

void nb_split(long n, int tid, int nth, long *begin, long *end) {
  *begin = n * tid / nth;
  *end = n * (tid + 1) / nth;
}
