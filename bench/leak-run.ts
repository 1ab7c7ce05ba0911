/**
 * The long-run leak check of issue #17 (not part of CI: it takes minutes): trains the seed MLP
 * through `model.fit` for STEPS optimizer steps (batch 32, so the per-step bookkeeping — graph
 * nodes, optimizer state, callbacks, the DataLoader — dominates over the arithmetic) and samples
 * the process's resident set size every 1,000 steps after a forced garbage collection. It prints
 * the samples and the RSS at step 10,000 against the last, and exits with status 1 when the last
 * is more than 5 % above the one at step 10,000.
 *
 * BATCH (default 32) of 128 or more makes the activations large enough (≥ 64 KiB) for the buffer
 * pool, which then serves most of each step; the samples also show what the pool holds.
 *
 *   node --expose-gc --import tsx bench/leak-run.ts [STEPS] [BATCH]     (npm run bench:leak)
 */
import * as nb from '../src/index.js';
import { DATA_SOURCE, trainingRows } from './workloads/data.js';

const STEPS = Number(process.argv[2] ?? 100_000);
const BATCH = Number(process.argv[3] ?? 32);
const EVERY = 1_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('bench/leak-run.ts needs node --expose-gc (npm run bench:leak passes it)');

const { x, y } = await trainingRows(DATA_SOURCE, 60_000);
const { Dense } = nb.layers;
const model = new nb.Sequential([new Dense(256, { activation: 'relu' }), new Dense(128, { activation: 'relu' }), new Dense(10)]);
model.compile({ optimizer: new nb.optim.Adam({ learningRate: 1e-3 }), loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true }, metrics: ['accuracy'] });

const stepsPerEpoch = Math.ceil(60_000 / BATCH);
const samples: { step: number; rssMiB: number; heapMiB: number; pooledMiB: number }[] = [];
let step = 0;
const started = Date.now();
const sample = () => {
  gc();
  const m = process.memoryUsage();
  samples.push({ step, rssMiB: m.rss / 2 ** 20, heapMiB: m.heapUsed / 2 ** 20, pooledMiB: nb.memory().pooledBytes / 2 ** 20 });
  const s = samples[samples.length - 1]!;
  process.stderr.write(`step ${step}: rss ${s.rssMiB.toFixed(1)} MiB, heap ${s.heapMiB.toFixed(1)} MiB, pool ${s.pooledMiB.toFixed(1)} MiB, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
};
sample();
await model.fit(x, y, {
  epochs: Math.ceil(STEPS / stepsPerEpoch),
  batchSize: BATCH,
  verbose: 0,
  callbacks: [
    {
      onBatchEnd() {
        step++;
        if (step % EVERY === 0) sample();
        if (step >= STEPS) model.stopTraining = true;
      },
    },
  ],
});

const at = (s: number) => samples.find((p) => p.step === s) ?? samples[samples.length - 1]!;
const ref = at(Math.min(10_000, STEPS));
const last = at(STEPS);
const growth = last.rssMiB / ref.rssMiB - 1;
console.log(`| steps | RSS (MiB) | JS heap (MiB) | buffer pool (MiB) |\n|---|---|---|---|`);
for (const p of samples.filter((p) => p.step % 10_000 === 0 || p === last)) console.log(`| ${p.step.toLocaleString('en-US')} | ${p.rssMiB.toFixed(1)} | ${p.heapMiB.toFixed(1)} | ${p.pooledMiB.toFixed(1)} |`);
console.log(`\nRSS at step ${last.step.toLocaleString('en-US')} is ${(growth * 100).toFixed(2)} % ${growth >= 0 ? 'above' : 'below'} step ${ref.step.toLocaleString('en-US')} (limit +5 %); batch ${BATCH}, ${((Date.now() - started) / 1000).toFixed(0)} s, data: ${DATA_SOURCE}, ${nb.info().backend}`);
process.exitCode = growth > 0.05 ? 1 : 0;
