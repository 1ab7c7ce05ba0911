/**
 * Tensor storage allocated per training step (issue #17): the seed MLP, the small CNN and the
 * character GPT of the suite, set up exactly as `npm run bench` sets them up (1 thread), trained
 * for one call of the workload, and `nb.memory()` read around it — once with the buffer pool off
 * (`nb.setBufferPoolLimit(0)`: every buffer new, as before the pool) and once on. Prints a table:
 * new bytes per step both ways, and the typed arrays and bytes the pool served.
 *
 *   node --import tsx bench/alloc-per-step.ts
 */
import * as nb from '../src/index.js';
import { parseArgs } from './harness.js';
import { charGpt } from './workloads/char-gpt.js';
import { cnn } from './workloads/cnn.js';
import { mlp } from './workloads/mlp.js';
import type { Workload } from './workloads/types.js';

const opts = parseArgs([], [], '');
const rows: string[] = [
  '| workload | steps per call | new MB per step, pool off | new MB per step, pool on | typed arrays new / reused per step, pool on | MB reused per step |',
  '|---|---|---|---|---|---|',
];
const MB = (bytes: number) => (bytes / 1e6).toFixed(2);
for (const [w, stepsOf] of [
  [mlp, (p: Record<string, unknown>) => Math.ceil(Number(p['rows']) / Number(p['batch']))],
  [cnn, (p: Record<string, unknown>) => Number(p['steps'])],
  [charGpt, (p: Record<string, unknown>) => Number(p['steps'])],
] as [Workload, (p: Record<string, unknown>) => number][]) {
  const c = w.cases(opts).find((k) => k.params['threads'] === 1)!;
  const call = await w.setupNabla(c.params);
  const steps = stepsOf(c.params);
  /** One whole call after another (steady state: the pool filled, or emptied), counted around the second. */
  const perStep = async (poolBytes: number) => {
    nb.setBufferPoolLimit(poolBytes);
    await call();
    const before = nb.memory();
    await call();
    const after = nb.memory();
    const per = (k: 'allocatedBytes' | 'allocations' | 'reusedBytes' | 'reuses') => (after[k] - before[k]) / steps;
    return { fresh: per('allocatedBytes'), arrays: per('allocations'), reused: per('reusedBytes'), reuses: per('reuses') };
  };
  const off = await perStep(0);
  const on = await perStep(1 << 30);
  rows.push(
    `| ${w.name} (${c.label}) | ${steps} | ${MB(off.fresh)} | ${MB(on.fresh)} | ${Math.round(on.arrays)} / ${Math.round(on.reuses)} | ${MB(on.reused)} |`,
  );
}
console.log(rows.join('\n'));
