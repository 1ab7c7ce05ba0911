/**
 * Times nabla's text workloads alone (bench/workloads/text.ts), for profiling:
 * `node --import tsx bench/text-profile.ts text_cnn|text_bilstm THREADS PASSES`
 * (with `node --cpu-prof` for a profile). Prints each pass's sentences/s (by the wall clock and
 * per CPU second, the steadier figure on a busy machine) and the best.
 */
import { setNativeThreads } from '../src/backend/native/index.js';
import { textBilstm, textCnn } from './workloads/text.js';

const [name = 'text_cnn', threadsArg = '1', passesArg = '3'] = process.argv.slice(2);
const workload = name === 'text_bilstm' ? textBilstm : textCnn;
const threads = Number(threadsArg);
setNativeThreads(threads);
const steps = 20;
const step = await workload.setupNabla({ steps, batch: 64, length: 40, vocab: 16_000, threads });
let best = 0;
for (let i = 0; i < Number(passesArg); i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await step();
  const rate = (steps * 64) / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(c0);
  const cpuRate = (steps * 64) / ((cpu.user + cpu.system) / 1e6);
  best = Math.max(best, rate);
  console.log(`${name} ${threads} thread(s), pass ${i + 1}: ${rate.toFixed(0)} sentences/s (per CPU second: ${cpuRate.toFixed(0)})`);
}
console.log(`${name} best: ${best.toFixed(0)} sentences/s`);
