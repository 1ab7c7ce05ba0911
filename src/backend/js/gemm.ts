import type { TypedArray } from '../typed-array.js';

// Block sizes: a KC×NC panel of B (≈128 KiB in float32) stays in L2 while MC×KC blocks of A
// stream through it; MR×NR = 4×4 accumulators stay in registers in the micro-kernel.
const MC = 64;
const KC = 256;
const NC = 512;
const MR = 4;
const NR = 4;

type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/**
 * Cache-blocked GEMM, `C = op(A)·op(B)`, in the layout of `Backend.gemm`.
 *
 * The loops follow the usual three-level blocking: for each KC-slice of the shared dimension and
 * NC-slice of columns, B is packed into NR-wide column panels; for each MC-slice of rows, A is
 * packed into MR-tall row panels; a 4×4 micro-kernel then walks both panels contiguously. Packing
 * also absorbs transposition and zero-pads the edges, so the micro-kernel has no special cases.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: TypedArray, aOff: number, lda: number,
  b: TypedArray, bOff: number, ldb: number,
  c: TypedArray, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + n);
  if (m === 0 || n === 0 || k === 0) return;
  const Ctor: FloatCtor = c instanceof Float64Array ? Float64Array : Float32Array;
  const kcMax = Math.min(KC, k);
  const bPack = new Ctor(kcMax * roundUp(Math.min(NC, n), NR));
  const aPack = new Ctor(roundUp(Math.min(MC, m), MR) * kcMax);
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      packB(b, bOff, ldb, transB, pc, kc, jc, nc, bPack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, aOff, lda, transA, ic, mc, pc, kc, aPack);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bp = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            microKernel(kc, aPack, ir * kc, bPack, bp, c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr);
          }
        }
      }
    }
  }
}

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] as panels of NR columns: panel p holds kc rows of NR values. */
function packB(b: TypedArray, off: number, ldb: number, trans: boolean, pc: number, kc: number, jc: number, nc: number, out: TypedArray): void {
  let q = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    for (let p = 0; p < kc; p++) {
      for (let j = 0; j < NR; j++) {
        if (j >= w) {
          out[q++] = 0;
          continue;
        }
        const row = pc + p;
        const col = jc + j0 + j;
        out[q++] = trans ? b[off + col * ldb + row]! : b[off + row * ldb + col]!;
      }
    }
  }
}

/** Packs op(A)[ic:ic+mc, pc:pc+kc] as panels of MR rows: panel p holds kc columns of MR values. */
function packA(a: TypedArray, off: number, lda: number, trans: boolean, ic: number, mc: number, pc: number, kc: number, out: TypedArray): void {
  let q = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      for (let i = 0; i < MR; i++) {
        if (i >= h) {
          out[q++] = 0;
          continue;
        }
        const row = ic + i0 + i;
        const col = pc + p;
        out[q++] = trans ? a[off + col * lda + row]! : a[off + row * lda + col]!;
      }
    }
  }
}

/** C[0:mr, 0:nr] += Apanel(MR×kc) · Bpanel(kc×NR), sixteen accumulators in locals. */
function microKernel(kc: number, ap: TypedArray, ao: number, bp: TypedArray, bo: number, c: TypedArray, co: number, ldc: number, mr: number, nr: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = ao;
  let pb = bo;
  for (let p = 0; p < kc; p++, pa += 4, pb += 4) {
    const a0 = ap[pa]!, a1 = ap[pa + 1]!, a2 = ap[pa + 2]!, a3 = ap[pa + 3]!;
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    c[co]! += c00; c[co + 1]! += c01; c[co + 2]! += c02; c[co + 3]! += c03;
    let r = co + ldc;
    c[r]! += c10; c[r + 1]! += c11; c[r + 2]! += c12; c[r + 3]! += c13;
    r += ldc;
    c[r]! += c20; c[r + 1]! += c21; c[r + 2]! += c22; c[r + 3]! += c23;
    r += ldc;
    c[r]! += c30; c[r + 1]! += c31; c[r + 2]! += c32; c[r + 3]! += c33;
    return;
  }
  const acc = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) c[co + i * ldc + j]! += acc[i * 4 + j]!;
}
