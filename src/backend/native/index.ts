import type { Backend, BinaryOp, ReduceOp, UnaryOp, View } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { jsBackend } from '../js/index.js';
import { coalesce } from '../js/strided.js';
import { loadAddon, type NativeAddon, type NativeKernelInfo } from './addon.js';
import { nativeAttentionKernels } from './attention.js';
import { FUSED_KERNELS, hasFused, nativeFused } from './fused.js';
import { hasMovement, movementKernels, MOVEMENT_KERNELS } from './movement.js';
import { BINARY_CODES, COMPARISONS, REDUCE_CODES, UNARY_CODES } from './ops.js';

export type { NativeKernelInfo } from './addon.js';

/**
 * Below these sizes a call runs the JS kernel: crossing into C costs about a microsecond, more
 * than a small loop in JS.
 */
export interface NativeThresholds {
  /** Elementwise and reduction calls over fewer elements stay in JS. Default 512. */
  minElements: number;
  /** GEMMs with fewer multiply-adds (m·n·k) stay in JS. Default 512 (8×8×8). */
  minGemm: number;
}

const DEFAULT_THRESHOLDS: NativeThresholds = { minElements: 512, minGemm: 512 };

/** The Backend entries the addon replaces; the rest are the JS kernels. */
export const NATIVE_KERNELS: ReadonlySet<keyof Backend> = new Set(['gemm', 'unary', 'binary', 'reduce', 'attentionForward', 'attentionBackward', ...MOVEMENT_KERNELS, ...FUSED_KERNELS]);

type FloatArray = Float32Array | Float64Array;

const isFloatArray = (a: TypedArray): a is FloatArray => a instanceof Float32Array || a instanceof Float64Array;

/**
 * The views as 2-D `[rows, cols]` operands (after merging dimensions laid out alike), each with a
 * row and a column stride: dense blocks, a row repeated down the rows (stride 0 rows), a value
 * per row (stride 0 columns). Undefined when more than two dimensions remain.
 */
function layout2d(shape: readonly number[], views: readonly View[]): { rows: number; cols: number; strides: [number, number][] } | undefined {
  const c = coalesce(shape, views.map((v) => v.strides));
  const nd = c.shape.length;
  if (nd > 2) return undefined;
  if (nd === 0) return { rows: 1, cols: 1, strides: views.map(() => [0, 0]) };
  if (nd === 1) return { rows: 1, cols: c.shape[0]!, strides: c.strides.map((s) => [0, s[0]!]) };
  return { rows: c.shape[0]!, cols: c.shape[1]!, strides: c.strides.map((s) => [s[0]!, s[1]!]) };
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

const backends = new WeakSet<Backend>();

/** Whether `b` was made by `createNativeBackend` (so `NATIVE_KERNELS` run in C). */
export function isNativeBackend(b: Backend): boolean {
  return backends.has(b);
}

/**
 * The JS backend with GEMM, elementwise unary/binary on up-to-2-D layouts, and last-axis
 * reductions replaced by the addon's kernels. Every other case (int32/bool data, higher-rank
 * strided layouts, small sizes) goes to the JS kernel, so results never depend on the path
 * beyond float rounding.
 */
export function createNativeBackend(addon: NativeAddon, thresholds: Partial<NativeThresholds> = {}): Backend {
  const { minElements, minGemm } = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const { reduceMiddle, ...movement } = hasMovement(addon) ? movementKernels(addon, minElements) : { reduceMiddle: undefined };
  const b: Backend = {
    ...jsBackend,
    ...movement,
    ...nativeAttentionKernels(addon, minElements),
    ...(hasFused(addon) ? nativeFused(addon, minElements) : {}),
    name: 'native',
    gemm(transA, transB, m, n, k, a, aOff, lda, bm, bOff, ldb, c, cOff, ldc) {
      const same = isFloatArray(c) && a.constructor === c.constructor && bm.constructor === c.constructor;
      if (!same || m * n * k < minGemm) return jsBackend.gemm(transA, transB, m, n, k, a, aOff, lda, bm, bOff, ldb, c, cOff, ldc);
      addon.gemm(transA, transB, m, n, k, a as FloatArray, aOff, lda, bm as FloatArray, bOff, ldb, c, cOff, ldc);
    },
    unary(op: UnaryOp, x: View, out: TypedArray) {
      const l = sizeOf(x.shape) >= minElements && isFloatArray(out) && x.data.constructor === out.constructor ? layout2d(x.shape, [x]) : undefined;
      if (!l) return jsBackend.unary(op, x, out);
      const [rs, cs] = l.strides[0]!;
      addon.unary(UNARY_CODES[op], x.data as FloatArray, x.offset, rs, cs, l.rows, l.cols, out as FloatArray);
    },
    binary(op: BinaryOp, a: View, bv: View, out: TypedArray) {
      const outOk = COMPARISONS.has(op) ? out instanceof Uint8Array : out.constructor === a.data.constructor;
      const ok = sizeOf(a.shape) >= minElements && isFloatArray(a.data) && a.data.constructor === bv.data.constructor && outOk;
      const l = ok ? layout2d(a.shape, [a, bv]) : undefined;
      if (!l) return jsBackend.binary(op, a, bv, out);
      const [ars, acs] = l.strides[0]!;
      const [brs, bcs] = l.strides[1]!;
      addon.binary(BINARY_CODES[op], a.data as FloatArray, a.offset, ars, acs, bv.data as FloatArray, bv.offset, brs, bcs, l.rows, l.cols, out as FloatArray);
    },
    reduce(op: ReduceOp, x: TypedArray, offset: number, outer: number, n: number, inner: number, out: TypedArray) {
      if (inner !== 1 && reduceMiddle?.(op, x, offset, outer, n, inner, out)) return;
      if (inner !== 1 || outer * n < minElements || !isFloatArray(x) || x.constructor !== out.constructor) {
        return jsBackend.reduce(op, x, offset, outer, n, inner, out);
      }
      addon.reduce(REDUCE_CODES[op], x, offset, outer, n, out as FloatArray);
    },
  };
  backends.add(b);
  return b;
}

let loaded: { addon: NativeAddon; backend: Backend } | { reason: string } | undefined;

/** Loads the addon once; the result (backend or the reason it is unavailable) is kept. */
function load(): { addon: NativeAddon; backend: Backend } | { reason: string } {
  if (!loaded) {
    const r = loadAddon();
    loaded = 'addon' in r ? { addon: r.addon, backend: createNativeBackend(r.addon) } : r;
  }
  return loaded;
}

/**
 * The native backend, or undefined when the addon is not built or fails to load (see
 * `nativeUnavailableReason`). With `thresholds`, a new backend that leaves fewer calls to the
 * JS kernels: `nativeBackend({ minElements: 0, minGemm: 0 })` sends every supported call to C,
 * which is what a test of the C kernels wants.
 */
export function nativeBackend(thresholds?: Partial<NativeThresholds>): Backend | undefined {
  const l = load();
  if (!('addon' in l)) return undefined;
  return thresholds ? createNativeBackend(l.addon, thresholds) : l.backend;
}

/** Why the native backend is unavailable, in one line; undefined when it loads. */
export function nativeUnavailableReason(): string | undefined {
  const l = load();
  return 'reason' in l ? l.reason : undefined;
}

/** 'loaded', 'not loaded' (never asked for, as with `NABLA_BACKEND=js`) or 'unavailable: <why>'; loads nothing. */
export function nativeAddonStatus(): string {
  if (!loaded) return 'not loaded';
  return 'reason' in loaded ? `unavailable: ${loaded.reason}` : 'loaded';
}

/** The addon's SIMD level, GEMM micro-kernels and threads; undefined without the addon. */
export function nativeKernelInfo(): NativeKernelInfo | undefined {
  const l = load();
  return 'addon' in l ? l.addon.info() : undefined;
}

/** Sets the number of threads the native kernels use (like `NABLA_NUM_THREADS`); no-op without the addon. */
export function setNativeThreads(n: number): void {
  const l = load();
  if ('addon' in l) l.addon.setThreads(n);
}
