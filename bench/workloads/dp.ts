/**
 * The cost of differential privacy: a training step of the private recipe's model (dp-cnn:
 * Papernot et al.'s tanh CNN, 26,010 weights) on Fashion-MNIST batches of 256, with DP-SGD
 * (per-example gradients, clipping, noise; Poisson batches of the same expected size) and without
 * (plain SGD). Issue #16 asks the private step to cost at most 2× the plain one.
 */
import * as nb from '../../src/index.js';
import { dpCnn } from '../../src/cli/cnn.js';
import { DATA_SOURCE, trainingRows } from './data.js';
import { ALL_THREADS, num, same, type Workload } from './types.js';

const BATCH = 256;

/** Private and plain training steps of the dp-cnn: samples/s. */
export const dpSgd: Workload = {
  name: 'dp_sgd',
  title: 'DP-SGD training step (the private recipe\'s CNN)',
  unit: { label: 'samples/s', kind: 'rate', scale: 1 },
  about: `dp-cnn (conv 8×8·16 s2 tanh → maxpool 2 s1 → conv 4×4·32 s2 tanh → maxpool 2 s1 → dense 32 tanh → dense 10), SGD, batch ${BATCH}; a call is a fixed number of steps through model.fit. "private": compile({ privacy }) — Poisson batches of expected size ${BATCH}, per-example gradients, clipping, secure Gaussian noise; "plain": the same model and optimizer without privacy. PyTorch runs the plain step (Opacus, its private counterpart, is not packaged in Debian). Data: ${DATA_SOURCE === 'random' ? 'random pixels' : 'Fashion-MNIST'}.`,
  warmup: 0,
  targetSeconds: 0,
  pauseMs: 200,
  maxRounds: 3,
  cases(opts) {
    const steps = opts.quick ? 3 : 20;
    return [...new Set([ALL_THREADS, 1])].flatMap((threads) => [0, 1].map((priv) => ({
      label: `${priv ? 'private' : 'plain'}, ${steps} steps, ${threads} thread${threads === 1 ? '' : 's'}`,
      params: { steps, batch: BATCH, threads, data: DATA_SOURCE, private: priv },
      work: steps * BATCH,
    })));
  },
  plan(contender, c) {
    if (contender === 'nabla') return same(c);
    if (contender === 'torch') return num(c.params, 'private') ? { skip: 'Opacus (PyTorch\'s DP-SGD) is not packaged in Debian: no private peer' } : same(c);
    return undefined;
  },
  async setupNabla(params) {
    const batchSize = num(params, 'batch');
    const rows = num(params, 'steps') * batchSize;
    const { x, y } = await trainingRows(String(params.data), rows);
    nb.manualSeed(0);
    const model = dpCnn();
    const privacy = num(params, 'private') ? { privacy: { noiseMultiplier: 1, maxGradNorm: 0.12, delta: 1 / (2 * rows) } } : {};
    model.compile({ optimizer: new nb.optim.SGD({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy', ...privacy });
    await model.fit(nb.slice(x, [[0, 2 * batchSize]]), nb.slice(y, [[0, 2 * batchSize]]), { epochs: 1, batchSize, verbose: 0 });
    return () => model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  },
};
