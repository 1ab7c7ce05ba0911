/**
 * Where a workload's step goes, kernel by kernel: wraps every entry of the active backend
 * with a timer, runs the suite's text or small-CNN workload, and prints each kernel's share
 * (`node --import tsx bench/kernel-profile.ts text_cnn|text_bilstm|cnn THREADS`). Times are CPU
 * time (the process's, all threads), steadier than the wall clock on a busy machine. GEMMs are
 * keyed by shape, view kernels by their views, so the slow calls stand out; the step's CPU time
 * outside kernels is JS, GC and allocation.
 */
import { backend, setBackend, setNativeThreads, type Backend } from '../src/backend/index.js';
import { cnn } from './workloads/cnn.js';
import { DATA_SOURCE } from './workloads/data.js';
import { textBilstm, textCnn } from './workloads/text.js';

const [name = 'text_cnn', threadsArg = '1'] = process.argv.slice(2);
const threads = Number(threadsArg);
setNativeThreads(threads);
const steps = 20;
const step =
  name === 'cnn'
    ? await cnn.setupNabla({ steps, batch: 64, threads, data: DATA_SOURCE })
    : await (name === 'text_bilstm' ? textBilstm : textCnn).setupNabla({ steps, batch: 64, length: 40, vocab: 16_000, threads });
await step();

type ViewLike = { shape: number[]; strides: number[]; data: { constructor: { name: string } } };
const viewText = (v: unknown): string => {
  const w = v as ViewLike;
  return w && Array.isArray(w.shape) ? `${w.data.constructor.name.replace('Array', '')}[${w.shape.join(',')}]/[${w.strides.join(',')}]` : '';
};
/** A kernel call's label: GEMMs by shape, view kernels by their views' shapes and strides. */
function labelOf(key: string, args: unknown[]): string {
  if (key === 'gemm') return `gemm ${args[0] ? 'T' : 'N'}${args[1] ? 'T' : 'N'} m${String(args[2])} n${String(args[3])} k${String(args[4])}`;
  if (key === 'where' || key === 'copy' || key === 'binary' || key === 'unary') return `${key} ${args.map(viewText).filter((t) => t).join(' ')} ${typeof args[0] === 'string' ? args[0] : ''}`;
  if (key === 'reduce') return `reduce ${String(args[0])} outer${String(args[3])} n${String(args[4])} inner${String(args[5])}`;
  return key;
}
const times = new Map<string, { ms: number; calls: number }>();
const inner = backend();
const timed = { ...inner } as Record<string, unknown>;
for (const [key, fn] of Object.entries(inner)) {
  if (typeof fn !== 'function') continue;
  timed[key] = (...args: unknown[]) => {
    const label = labelOf(key, args);
    const t0 = process.cpuUsage();
    const r = (fn as (...a: unknown[]) => unknown).apply(inner, args);
    const e = times.get(label) ?? { ms: 0, calls: 0 };
    const d = process.cpuUsage(t0);
    e.ms += (d.user + d.system) / 1000;
    e.calls++;
    times.set(label, e);
    return r;
  };
}
setBackend(timed as unknown as Backend);
const c0 = process.cpuUsage();
const t0 = performance.now();
await step();
const wall = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const inKernels = [...times.values()].reduce((s, e) => s + e.ms, 0);
console.log(`${name} ${threads} thread(s): ${(wall / steps).toFixed(1)} ms/step wall, ${((cpu.user + cpu.system) / 1000 / steps).toFixed(1)} ms/step CPU, kernels (CPU) ${(inKernels / steps).toFixed(1)} ms/step`);
for (const [k, e] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) {
  console.log(`${(e.ms / steps).toFixed(2).padStart(8)} ms/step ${String(e.calls / steps).padStart(6)} calls/step  ${k}`);
}
