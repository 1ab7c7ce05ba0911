/**
 * Training throughput of the seed MLP (784-256-128-10, relu, logits; Adam lr 1e-3; batch 128;
 * sparse categorical cross-entropy from logits), samples/s over one shuffled epoch of 60,000 rows.
 */
import * as nb from '../../src/index.js';
import { DATA_SOURCE, EPOCH_ROWS, trainingRows } from './data.js';
import { ALL_THREADS, num, same, type Case, type Plan, type Workload } from './types.js';

const BATCH = 128;

/** A fraction of the epoch for a slow peer: `rows` rows (whole batches), samples/s scaled by the harness. */
function fraction(c: Case, rows: number): Plan {
  const r = Math.min(rows, num(c.params, 'rows'));
  return { params: { ...c.params, rows: r }, work: r, note: `${r.toLocaleString('en-US')} rows per call instead of the epoch (too slow for a whole one)` };
}

/** Compiles the seed MLP the way the workload trains it, in nabla. */
function seedMlp(): nb.Model {
  const { Dense } = nb.layers;
  const model = new nb.Sequential([new Dense(256, { activation: 'relu' }), new Dense(128, { activation: 'relu' }), new Dense(10)]);
  model.compile({
    optimizer: new nb.optim.Adam({ learningRate: 1e-3 }),
    loss: (y, logits, opts) => nb.losses.sparseCategoricalCrossentropy(y, logits, { ...opts, fromLogits: true }),
  });
  return model;
}

/** The seed-MLP training workload: samples/s over an epoch, all threads and 1 thread. */
export const mlp: Workload = {
  name: 'mlp',
  title: 'Seed MLP training',
  unit: { label: 'samples/s', kind: 'rate', scale: 1 },
  about: `784-256-128-10 relu MLP, Adam lr 1e-3, batch ${BATCH}, sparse categorical cross-entropy from logits, one shuffled epoch per call (nabla: model.fit; PyTorch: the usual hand loop; tfjs: model.fit). Data: ${DATA_SOURCE === 'random' ? 'random pixels (Fashion-MNIST not installed)' : `Fashion-MNIST (${DATA_SOURCE})`}.`,
  warmup: 0,
  targetSeconds: 0,
  pauseMs: 200,
  maxRounds: 3,
  cases(opts) {
    const rows = opts.quick ? 50 * BATCH : EPOCH_ROWS;
    return [...new Set([ALL_THREADS, 1])].map((threads) => ({
      label: `${threads} thread${threads === 1 ? '' : 's'}${rows === EPOCH_ROWS ? '' : `, ${rows.toLocaleString('en-US')} rows`}`,
      params: { threads, rows, batch: BATCH, data: DATA_SOURCE },
      work: rows,
    }));
  },
  plan(contender, c, opts) {
    const single = num(c.params, 'threads') === 1;
    switch (contender) {
      case 'nabla':
      case 'torch':
        return same(c);
      case 'tfjs-wasm':
        return single ? fraction(c, (opts.quick ? 10 : 100) * BATCH) : { skip: 'single-threaded in Node: measured in the 1-thread row' };
      case 'tfjs-cpu':
        return single ? fraction(c, (opts.quick ? 5 : 20) * BATCH) : { skip: 'single-threaded in Node: measured in the 1-thread row' };
      default:
        return undefined;
    }
  },
  async setupNabla(params) {
    const { x, y } = await trainingRows(String(params.data), num(params, 'rows'));
    const batchSize = num(params, 'batch');
    const model = seedMlp();
    // warm-up: build the weights and the optimizer slots, let the JIT see a few steps
    await model.fit(nb.slice(x, [[0, 4 * batchSize]]), nb.slice(y, [[0, 4 * batchSize]]), { epochs: 1, batchSize, verbose: 0 });
    return () => model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  },
};
