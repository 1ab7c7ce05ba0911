/**
 * Tensor storage allocated per training step (issue #17): the seed MLP, the small CNN and the
 * character GPT of the suite, set up exactly as `npm run bench` sets them up (1 thread), trained
 * for one call of the workload, and `nb.memory().allocatedBytes` read around it. Prints a table:
 * bytes and typed arrays per step, and the bytes of one step's parameters for scale.
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
const rows: string[] = ['| workload | steps per call | MB allocated per step | typed arrays per step |', '|---|---|---|---|'];
for (const [w, stepsOf] of [
  [mlp, (p: Record<string, unknown>) => Math.ceil(Number(p['rows']) / Number(p['batch']))],
  [cnn, (p: Record<string, unknown>) => Number(p['steps'])],
  [charGpt, (p: Record<string, unknown>) => Number(p['steps'])],
] as [Workload, (p: Record<string, unknown>) => number][]) {
  const c = w.cases(opts).find((k) => k.params['threads'] === 1)!;
  const call = await w.setupNabla(c.params);
  await call(); // a whole call once more after the set-up's warm-up: steady state
  const before = nb.memory();
  await call();
  const after = nb.memory();
  const steps = stepsOf(c.params);
  rows.push(`| ${w.name} (${c.label}) | ${steps} | ${((after.allocatedBytes - before.allocatedBytes) / steps / 1e6).toFixed(2)} | ${Math.round((after.allocations - before.allocations) / steps).toLocaleString('en-US')} |`);
}
console.log(rows.join('\n'));
