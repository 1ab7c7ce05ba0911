/** Elementwise add of two large float32 vectors into a new one: memory bandwidth, GB/s. */
import * as nb from '../../src/index.js';
import { ALL_THREADS, num, same, type Workload } from './types.js';

/** The large-vector `add` workload: GB/s at 1M and 16M elements. */
export const add: Workload = {
  name: 'add',
  title: 'add, large vectors',
  unit: { label: 'GB/s', kind: 'rate', scale: 1e-9 },
  about: 'c = a + b over n float32 elements into a new tensor; GB/s counts the two inputs read and the output written (12n bytes). All threads.',
  warmup: 2,
  targetSeconds: 0.1,
  pauseMs: 100,
  cases() {
    return [1 << 20, 1 << 24].map((n) => ({ label: n === 1 << 20 ? '1M' : '16M', params: { n, threads: ALL_THREADS }, work: 12 * n }));
  },
  plan(contender, c) {
    return contender === 'onnxruntime' ? undefined : same(c);
  },
  setupNabla(params) {
    const n = num(params, 'n');
    const a = nb.randn([n]);
    const b = nb.randn([n]);
    return () => nb.add(a, b);
  },
};
