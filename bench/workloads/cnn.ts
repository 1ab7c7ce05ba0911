/**
 * Training throughput of the small CNN of the image issue: conv 3×3 32 relu → max-pool 2 →
 * conv 3×3 64 relu → max-pool 2 → flatten → dense 128 relu → dense 10 (logits), 'valid' padding,
 * batch 64, Adam lr 1e-3, on 28×28×1 images; samples/s over a fixed number of steps.
 */
import * as nb from '../../src/index.js';
import { DATA_SOURCE, trainingRows } from './data.js';
import { ALL_THREADS, num, same, type Workload } from './types.js';

const BATCH = 64;

/** The small-CNN training workload: samples/s over a fixed number of steps, all threads and 1 thread. */
export const cnn: Workload = {
  name: 'cnn',
  title: 'Small CNN training',
  unit: { label: 'samples/s', kind: 'rate', scale: 1 },
  about: `conv3×3·32 relu → maxpool 2 → conv3×3·64 relu → maxpool 2 → dense 128 relu → dense 10, batch ${BATCH}, Adam lr 1e-3, cross-entropy from logits; a call is a fixed number of training steps after a warm-up of 2 (nabla: channels-last nb.layers and model.fit; PyTorch: NCHW hand loop). Data: ${DATA_SOURCE === 'random' ? 'random pixels' : 'Fashion-MNIST'}.`,
  warmup: 0,
  targetSeconds: 0,
  pauseMs: 200,
  maxRounds: 3,
  cases(opts) {
    const steps = opts.quick ? 5 : 30;
    // the 1-thread row is the one to read on a busy machine, where multi-threaded peers collapse
    return [...new Set([ALL_THREADS, 1])].map((threads) => ({
      label: `${steps} steps, ${threads} thread${threads === 1 ? '' : 's'}`,
      params: { steps, batch: BATCH, threads, data: DATA_SOURCE },
      work: steps * BATCH,
    }));
  },
  plan(contender, c) {
    switch (contender) {
      case 'nabla':
      case 'torch':
        return same(c);
      case 'tfjs-wasm':
        // tried for the record (it fails at the first step, and the table says why); single-threaded
        if (num(c.params, 'threads') > 1) return { skip: 'single-threaded in Node: measured in the 1-thread row' };
        return { params: { ...c.params, steps: 1 }, work: BATCH, note: 'one step per call' };
      case 'tfjs-cpu':
        return { skip: 'about 2 samples/s (issue #4): 30 steps would take 15 minutes' };
      default:
        return undefined;
    }
  },
  async setupNabla(params) {
    const batchSize = num(params, 'batch');
    const rows = num(params, 'steps') * batchSize;
    const { x: flat, y } = await trainingRows(String(params.data), rows);
    const x = flat.reshape([rows, 28, 28, 1]);
    const { Conv2D, MaxPooling2D, Flatten, Dense } = nb.layers;
    const model = new nb.Sequential([
      new Conv2D(32, 3, { activation: 'relu' }),
      new MaxPooling2D(2),
      new Conv2D(64, 3, { activation: 'relu' }),
      new MaxPooling2D(2),
      new Flatten(),
      new Dense(128, { activation: 'relu' }),
      new Dense(10),
    ]);
    model.compile({
      optimizer: new nb.optim.Adam({ learningRate: 1e-3 }),
      loss: (yt, logits, opts) => nb.losses.sparseCategoricalCrossentropy(yt, logits, { ...opts, fromLogits: true }),
    });
    await model.fit(nb.slice(x, [[0, 2 * batchSize]]), nb.slice(y, [[0, 2 * batchSize]]), { epochs: 1, batchSize, verbose: 0 });
    return () => model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  },
};
