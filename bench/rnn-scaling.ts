/**
 * Time per training step (forward + backward) of LSTM and GRU layers at several sequence lengths,
 * to see how the cost grows with T: `NABLA_NUM_THREADS=1 node --import tsx bench/rnn-scaling.ts
 * [T ...]`. Batch 64, 128 input features, 128 units, sequence output summed into a scalar loss.
 * Prints the process's CPU time per step (less disturbed than wall time on a shared machine;
 * with one thread it is the step's own work) and the wall time.
 */
import * as nb from '../src/index.js';

const B = 64;
const F = 128;
const N = 128;
const lengths = process.argv.slice(2).map(Number);

/** [CPU ms, wall ms] per call of `run`. */
function timeStep(layer: nb.layers.LSTM | nb.layers.GRU, T: number): [number, number] {
  const x = nb.randn([B, T, F]);
  const run = (): void => {
    const y = layer.apply(x);
    nb.sum(y).backward();
    for (const w of layer.trainableWeights) w.grad = null;
  };
  run();
  const reps = Math.max(2, Math.round(400 / T));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) run();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1000 / reps, (performance.now() - t0) / reps];
}

for (const T of lengths.length ? lengths : [10, 40, 160]) {
  const lstm = new nb.layers.LSTM(N, { returnSequences: true });
  const gru = new nb.layers.GRU(N, { returnSequences: true });
  const show = ([cpu, wall]: [number, number]) => `${cpu.toFixed(1)} ms CPU (${(cpu / T).toFixed(3)} per time step), ${wall.toFixed(1)} ms wall`;
  console.log(`T=${T}: LSTM ${show(timeStep(lstm, T))}; GRU ${show(timeStep(gru, T))}`);
}
