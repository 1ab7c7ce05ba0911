/** Per-op overhead: many `add`s of two 16-element float32 tensors, µs per op, with and without autograd. */
import * as nb from '../../src/index.js';
import { ALL_THREADS, num, same, type Workload } from './types.js';

/** The per-op overhead workload: µs per 16-element `add`, forward and recording autograd. */
export const overhead: Workload = {
  name: 'overhead',
  title: 'Per-op overhead',
  unit: { label: 'µs/op', kind: 'time', scale: 1e6 },
  about: 'a + b on two 16-element float32 tensors, in a loop (10,000 per call, 2,000 with --quick), result dropped. "autograd": both inputs require gradients, so each add records a graph node (no backward).',
  warmup: 2,
  targetSeconds: 0.1,
  pauseMs: 50,
  cases(opts) {
    const count = opts.quick ? 2_000 : 10_000;
    return [false, true].map((autograd) => ({
      label: autograd ? 'add 16, autograd' : 'add 16, forward',
      params: { count, autograd, threads: ALL_THREADS },
      work: count,
    }));
  },
  plan(contender, c) {
    if (contender === 'numpy' || contender === 'onnxruntime') return undefined;
    if (contender === 'tfjs-cpu' || contender === 'tfjs-wasm') {
      if (c.params.autograd) return { skip: 'tfjs records a tape only inside tf.grad(), which also runs the backward pass: no like-for-like measurement' };
    }
    return same(c);
  },
  setupNabla(params) {
    const count = num(params, 'count');
    const requiresGrad = params.autograd === true;
    const a = nb.randn([16], { requiresGrad });
    const b = nb.randn([16], { requiresGrad });
    return () => {
      for (let i = 0; i < count; i++) nb.add(a, b);
    };
  },
};
