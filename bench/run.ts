/**
 * `npm run bench`: the benchmark suite. Prints a markdown table to stdout and writes the raw
 * numbers as JSON to bench/results/latest.json. Medians of several repetitions after warm-up.
 *
 * Workloads so far, on each backend (JS kernels, and the native addon when it is built): SGEMM
 * GFLOP/s at 256, 512, 1024; elementwise `add` throughput at 1M and 16M float32 elements (GB/s
 * counts the two inputs read and the output written). Later workloads (peers side by side,
 * training throughput) are added here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { nativeBackend } from '../src/backend/index.js';
import { markdownTable, time } from './harness.js';

interface Row {
  workload: string;
  backend: string;
  value: number;
  unit: string;
  medianMs: number;
  reps: number;
}

const rows: Row[] = [];
nb.manualSeed(0);
const native = nativeBackend();
const backends: nb.Backend[] = [nb.jsBackend, ...(native ? [native] : [])];

for (const b of backends) {
  nb.setBackend(b);
  runWorkloads();
}

function runWorkloads(): void {
for (const n of [256, 512, 1024]) {
  const a = nb.randn([n, n]);
  const b = nb.randn([n, n]);
  const t = time(() => nb.matmul(a, b), { warmup: 1, minReps: 3, minSeconds: 2 });
  rows.push({ workload: `sgemm ${n}×${n}×${n}`, backend: nb.backend().name, value: (2 * n ** 3) / t.median / 1e9, unit: 'GFLOP/s', medianMs: t.median * 1e3, reps: t.reps });
}

for (const n of [1 << 20, 1 << 24]) {
  const a = nb.randn([n]);
  const b = nb.randn([n]);
  const t = time(() => nb.add(a, b), { warmup: 2, minReps: 5, minSeconds: 1 });
  const label = n === 1 << 20 ? '1M' : '16M';
  rows.push({ workload: `add ${label} float32`, backend: nb.backend().name, value: (3 * 4 * n) / t.median / 1e9, unit: 'GB/s', medianMs: t.median * 1e3, reps: t.reps });
}
}

console.log(
  markdownTable(
    ['workload', 'backend', 'result', 'median time', 'reps'],
    rows.map((r) => [r.workload, r.backend, `${r.value.toFixed(2)} ${r.unit}`, `${r.medianMs.toFixed(2)} ms`, String(r.reps)]),
  ),
);
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
console.log(`\nraw numbers: ${out}`);
