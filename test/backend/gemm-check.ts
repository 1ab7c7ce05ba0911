// GEMM against a naive triple loop, for every transpose combination, odd sizes, padded leading
// dimensions and offsets. Shared by native.test.ts and the child processes it starts with other
// micro-kernels (native-child.ts).
import type { Backend } from '../../src/index.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** A deterministic pseudo-random value in [-1, 1) (a small LCG: no dependency on the library's RNG). */
function filler(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

export interface GemmCase {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  dtype: 'float32' | 'float64';
}

/**
 * Runs one GEMM with offsets and leading dimensions larger than the rows, and returns a
 * description of the first problem found, or undefined: a wrong element (beyond a rounding bound
 * proportional to Σ|a·b|), a change to C outside the m×n block, or a change to A or B.
 */
export function checkGemm(b: Backend, c: GemmCase): string | undefined {
  const { transA, transB, m, n, k } = c;
  const Arr: Ctor = c.dtype === 'float32' ? Float32Array : Float64Array;
  const eps = c.dtype === 'float32' ? 2e-6 : 4e-15;
  const rand = filler(m * 7919 + n * 104729 + k * 31 + (transA ? 1 : 0) + (transB ? 2 : 0));
  const [ar, ac] = transA ? [k, m] : [m, k];
  const [br, bc] = transB ? [n, k] : [k, n];
  const lda = ac + 3, ldb = bc + 1, ldc = n + 5;
  const aOff = 2, bOff = 5, cOff = 3;
  const A = new Arr(aOff + ar * lda + 1).map(rand);
  const B = new Arr(bOff + br * ldb + 2).map(rand);
  const C = new Arr(cOff + m * ldc + 4).fill(7); // C is overwritten, so its old values must not matter
  const A0 = A.slice(), B0 = B.slice(), C0 = C.slice();
  b.gemm(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  const where = `${c.dtype} gemm transA=${transA} transB=${transB} m=${m} n=${n} k=${k}`;
  // op(A)[i, p] = A[aOff + i*ai + p*ap], op(B)[p, j] = B[bOff + p*bp + j*bj]
  const [ai, ap] = transA ? [1, lda] : [lda, 1];
  const [bp, bj] = transB ? [1, ldb] : [ldb, 1];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, mag = 0;
      for (let p = 0, x = aOff + i * ai, y = bOff + j * bj; p < k; p++, x += ap, y += bp) {
        const v = A[x]! * B[y]!;
        s += v;
        mag += Math.abs(v);
      }
      const got = C[cOff + i * ldc + j]!;
      if (!(Math.abs(got - s) <= eps * (mag + 1) * Math.sqrt(k + 1))) return `${where}: C[${i},${j}] = ${got}, expected ${s}`;
    }
  }
  for (let q = 0; q < C.length; q++) {
    const r = q - cOff;
    const inside = r >= 0 && Math.floor(r / ldc) < m && r % ldc < n;
    if (!inside && !Object.is(C[q], C0[q])) return `${where}: C[${q}] outside the block changed`;
  }
  if (A.some((v, q) => !Object.is(v, A0[q])) || B.some((v, q) => !Object.is(v, B0[q]))) return `${where}: an input changed`;
  return undefined;
}

/**
 * The cases of the GEMM suite: sizes 1, 7, 17, 65, 257 in every combination with at most one 257
 * (the micro-kernel edges in every direction), plus some that cross the cache blocks (k > 256,
 * n > 4096), run on several threads, or are empty.
 */
export function gemmCases(): GemmCase[] {
  const sizes = [1, 7, 17, 65, 257];
  const shapes: [number, number, number][] = [];
  for (const m of sizes) {
    for (const n of sizes) {
      for (const k of sizes) if ([m, n, k].filter((d) => d === 257).length <= 1) shapes.push([m, n, k]);
    }
  }
  shapes.push([3, 4103, 9], [300, 40, 600], [150, 97, 513], [257, 257, 257], [0, 5, 3], [4, 0, 3], [6, 5, 0]);
  const cases: GemmCase[] = [];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const [m, n, k] of shapes) cases.push({ transA, transB, m, n, k, dtype });
      }
    }
  }
  return cases;
}

/**
 * Shapes where the threads share the packing of A (few row blocks: the tasks are column chunks of
 * the same rows) and where k or m is split into evened-out cache blocks: the seed MLP's products
 * (batch 128, 784-256-128-10) in every transpose combination, a k just over two blocks, an m over
 * several row blocks with a ragged edge, and n over one column block with k over one step (A's
 * slice packed again per column block).
 */
export function sharedPackingCases(): GemmCase[] {
  const shapes: [number, number, number][] = [
    [128, 256, 784], [784, 256, 128], [128, 128, 256], [128, 10, 128], [128, 128, 10],
    [5, 33, 520], [301, 70, 45], [20, 4200, 300], [37, 4111, 60],
  ];
  const cases: GemmCase[] = [];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const [m, n, k] of shapes) cases.push({ transA, transB, m, n, k, dtype: 'float32' });
      cases.push({ transA, transB, m: 130, n: 70, k: 300, dtype: 'float64' });
    }
  }
  return cases;
}

/** Every failure of the GEMM suite on `b` (empty when all pass). */
export function gemmFailures(b: Backend): string[] {
  const out: string[] = [];
  for (const c of gemmCases()) {
    const f = checkGemm(b, c);
    if (f) out.push(f);
  }
  out.push(...rowFailures(b));
  return out;
}

/**
 * A product of one row (a batch of one: the native backend reads B in place instead of packing it)
 * gives the same bits as that row of a larger product, for A stored either way and for k over
 * several cache blocks; one description per mismatch.
 */
export function rowFailures(b: Backend): string[] {
  const out: string[] = [];
  for (const dtype of ['float32', 'float64'] as const) {
    const Arr: Ctor = dtype === 'float32' ? Float32Array : Float64Array;
    for (const transA of [false, true]) {
      for (const [n, k] of [[257, 600], [33, 17], [4103, 9], [10, 1100]] as const) {
        const m = 13;
        const rand = filler(n * 13 + k + (transA ? 7 : 0));
        const A = new Arr(m * k).map(rand);
        const B = new Arr(k * n).map(rand);
        const all = new Arr(m * n);
        b.gemm(transA, false, m, n, k, A, 0, transA ? m : k, B, 0, n, all, 0, n);
        for (let i = 0; i < m; i++) {
          const row = new Arr(n).fill(3);
          // row i of op(A): k values at i·k (stored [m, k]) or at i with stride m (stored [k, m])
          b.gemm(transA, false, 1, n, k, A, transA ? i : i * k, transA ? m : k, B, 0, n, row, 0, n);
          const j = row.findIndex((v, q) => !Object.is(v, all[i * n + q]));
          if (j >= 0) out.push(`${dtype} gemm transA=${transA} 1×${n}×${k}: row ${i}, column ${j} is ${row[j]}, the ${m}-row product has ${all[i * n + j]}`);
        }
      }
    }
  }
  return out;
}
