/** SGEMM: C = A·B for square float32 matrices, GFLOP/s (2n³ per product), 1 thread and all threads. */
import * as nb from '../../src/index.js';
import { ALL_THREADS, num, same, type Case, type Workload } from './types.js';

const ONE_THREAD_ONLY = 'single-threaded in Node: measured in the 1-thread rows';

/** The SGEMM workload: GFLOP/s at 128…2048, 1 thread and all threads. */
export const sgemm: Workload = {
  name: 'sgemm',
  title: 'SGEMM',
  unit: { label: 'GFLOP/s', kind: 'rate', scale: 1e-9 },
  about: 'n×n·n×n float32 matrix product into a new output (2n³ FLOPs), random inputs.',
  warmup: 2,
  targetSeconds: 0.15,
  pauseMs: 200,
  cases(opts) {
    const sizes = opts.quick ? [128, 512] : [128, 256, 512, 1024, 2048];
    const threads = [...new Set([1, ALL_THREADS])];
    const cases: Case[] = [];
    for (const t of threads) {
      for (const n of sizes) cases.push({ label: `${n}, ${t} thread${t === 1 ? '' : 's'}`, params: { n, threads: t }, work: 2 * n ** 3 });
    }
    return cases;
  },
  plan(contender, c) {
    const n = num(c.params, 'n');
    const threads = num(c.params, 'threads');
    switch (contender) {
      case 'nabla-js':
        if (threads > 1) return { skip: 'JS kernels are single-threaded: measured in the 1-thread rows' };
        return n > 1024 ? { skip: 'not run above 1024 (about 3 GFLOP/s: minutes per product)' } : same(c);
      case 'tfjs-cpu':
        if (threads > 1) return { skip: ONE_THREAD_ONLY };
        return n > 512 ? { skip: 'not run above 512 (about 1 GFLOP/s)' } : same(c);
      case 'tfjs-wasm':
        return threads > 1 ? { skip: ONE_THREAD_ONLY } : same(c);
      case 'onnxruntime':
        return undefined;
      default:
        return same(c);
    }
  },
  setupNabla(params) {
    const n = num(params, 'n');
    const a = nb.randn([n, n]);
    const b = nb.randn([n, n]);
    return () => nb.matmul(a, b);
  },
};
