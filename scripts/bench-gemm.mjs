// SGEMM GFLOP/s of the native addon, 1 thread and all threads, alternating in the same run with
// NumPy's BLAS (OpenBLAS in the usual wheels) when python3 with NumPy is available. Medians of
// several repetitions, each after a warm-up call and a pause: both thread pools spin for a while
// after a call (OpenBLAS for up to ~0.1 s), which would otherwise slow the other one down.
// Usage: node scripts/bench-gemm.mjs [sizes…] [--double]
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';

const addon = createRequire(import.meta.url)('../build/Release/nabla_native.node');
const args = process.argv.slice(2);
const double = args.includes('--double');
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
if (sizes.length === 0) sizes.push(256, 512, 1024, 2048);
const ROUNDS = 7;
const Arr = double ? Float64Array : Float32Array;

/** A python3 child that times `a @ b` for n×n matrices on request and answers seconds per call. */
function numpyPeer(threads) {
  const code = `
import sys, time
import numpy as np
dt = np.float64 if ${double ? 1 : 0} else np.float32
cache = {}
cfg = np.__config__.CONFIG['Build Dependencies']['blas']
print('ready', cfg.get('name'), cfg.get('version'), flush=True)
for line in sys.stdin:
    n, reps = map(int, line.split())
    if n not in cache:
        cache[n] = (np.random.rand(n, n).astype(dt), np.random.rand(n, n).astype(dt), np.empty((n, n), dt))
        a, b, c = cache[n]; np.matmul(a, b, out=c)
    a, b, c = cache[n]
    t = time.perf_counter()
    np.matmul(a, b, out=c)
    t = time.perf_counter()
    for _ in range(reps): np.matmul(a, b, out=c)
    print((time.perf_counter() - t) / reps, flush=True)
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const child = spawn('python3', ['-c', code], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('python3 exited');
    return r.value;
  };
  return {
    ready: next().then((l) => l.slice(6)).catch(() => undefined),
    async time(n, reps) {
      child.stdin.write(`${n} ${reps}\n`);
      return Number(await next());
    },
    close: () => child.kill(),
  };
}

function timeNabla(n, reps, mats) {
  const [a, b, c] = mats;
  addon.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n);
  const t = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) addon.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n);
  return Number(process.hrtime.bigint() - t) / 1e9 / reps;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 250));
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const gflops = (n, s) => (2 * n ** 3) / s / 1e9;

const info = addon.info();
console.log(`nabla ${double ? 'dgemm' : 'sgemm'} ${double ? info.dgemm : info.sgemm}, ${availableParallelism()} cores`);
console.log('| n | threads | nabla GFLOP/s | NumPy GFLOP/s | nabla / NumPy |');
console.log('|---|---|---|---|---|');
for (const threads of [1, availableParallelism()]) {
  addon.setThreads(threads);
  const peer = numpyPeer(threads);
  const blas = await peer.ready;
  if (threads === 1) console.error(`peer: ${blas ? `NumPy on ${blas}` : 'NumPy not available'}`);
  for (const n of sizes) {
    const mats = [new Arr(n * n).map(() => Math.random()), new Arr(n * n).map(() => Math.random()), new Arr(n * n)];
    const reps = Math.max(2, Math.round(1e10 / (2 * n ** 3))); // ~0.1 s per measurement
    timeNabla(n, reps, mats);
    if (blas) await peer.time(n, reps);
    const mine = [];
    const theirs = [];
    for (let r = 0; r < ROUNDS; r++) {
      await pause();
      mine.push(timeNabla(n, reps, mats));
      if (!blas) continue;
      await pause();
      theirs.push(await peer.time(n, reps));
    }
    const g = gflops(n, median(mine));
    const p = blas ? gflops(n, median(theirs)) : undefined;
    console.log(`| ${n} | ${threads} | ${g.toFixed(1)} | ${p ? p.toFixed(1) : 'not available'} | ${p ? (g / p).toFixed(2) : '-'} |`);
  }
  peer.close();
}
