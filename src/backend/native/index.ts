import type { Backend, View } from '../backend.js';
import type { FloatArray } from '../fused-kernels.js';
import { jsBackend } from '../js/index.js';
import { coalesce } from '../js/strided.js';
import { loadAddon, type NativeAddon, type NativeKernelInfo } from './addon.js';
import { nativeAttentionKernels } from './attention.js';
import { FUSED_KERNELS, nativeFused } from './fused.js';
import { nativeRecurrent } from './recurrent.js';
import { nativeFft } from './fft.js';
import { movementKernels, MOVEMENT_KERNELS } from './movement.js';
import { BINARY_CODES, COMPARISONS, REDUCE_CODES, UNARY_CODES } from './ops.js';
import { elementCount, isFloatArray, route, sameFloat } from './route.js';

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
export const NATIVE_KERNELS: ReadonlySet<keyof Backend> = new Set(['gemm', 'unary', 'binary', 'reduce', 'attentionForward', 'attentionBackward', 'fft', 'rfft', 'stftPower', 'decibels', ...MOVEMENT_KERNELS, ...FUSED_KERNELS]);

/**
 * The views as 3-D `[depth, rows, cols]` operands (after merging dimensions laid out alike), each
 * with a depth, a row and a column stride: dense blocks, a row repeated down the rows (stride 0
 * rows), a value per row (stride 0 columns), and a block repeated along a middle axis (`[B, T, C]`
 * against `[B, 1, C]`: a max's gradient, a mask over time steps), which does not merge to 2-D.
 * Undefined when more than three dimensions remain.
 */
function layout3d(shape: readonly number[], views: readonly View[]): { shape: [number, number, number]; strides: [number, number, number][] } | undefined {
  const c = coalesce(shape, views.map((v) => v.strides));
  const pad = 3 - c.shape.length;
  if (pad < 0) return undefined;
  const lead = new Array<number>(pad).fill(1);
  const zeros = new Array<number>(pad).fill(0);
  return {
    shape: [...lead, ...c.shape] as [number, number, number],
    strides: c.strides.map((s) => [...zeros, ...s] as [number, number, number]),
  };
}

const backends = new WeakSet<Backend>();

/** Whether `b` was made by `createNativeBackend` (so `NATIVE_KERNELS` run in C). */
export function isNativeBackend(b: Backend): boolean {
  return backends.has(b);
}

/**
 * The JS backend with GEMM, elementwise unary/binary on up-to-3-D layouts, and last-axis
 * reductions replaced by the addon's kernels. Every other case (int32/bool data, higher-rank
 * strided layouts, small sizes) goes to the JS kernel, so results never depend on the path
 * beyond float rounding.
 */
export function createNativeBackend(addon: NativeAddon, thresholds: Partial<NativeThresholds> = {}): Backend {
  const { minElements, minGemm } = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const js = jsBackend;
  const b: Backend = {
    ...jsBackend,
    ...movementKernels(addon, minElements),
    ...nativeAttentionKernels(addon, minElements),
    ...nativeFused(addon, minElements),
    ...nativeRecurrent(addon),
    ...nativeFft(addon),
    name: 'native',
    gemm: route(
      js.gemm, minGemm, (_tA, _tB, m, n, k, a, _ao, _lda, bm, _bo, _ldb, c) => (sameFloat(c, a, bm) ? m * n * k : undefined),
      (transA, transB, m, n, k, a, aOff, lda, bm, bOff, ldb, c, cOff, ldc) =>
        addon.gemm(transA, transB, m, n, k, a as FloatArray, aOff, lda, bm as FloatArray, bOff, ldb, c as FloatArray, cOff, ldc),
    ),
    // up to 3-D layouts (after merging dimensions); others run the JS kernel
    unary: route(js.unary, minElements, (_op, x, out) => (sameFloat(out, x.data) ? elementCount(x.shape) : undefined), (op, x, out) => {
      const l = layout3d(x.shape, [x]);
      if (!l) return js.unary(op, x, out);
      const [d, r, c] = l.shape;
      addon.unary(UNARY_CODES[op], x.data as FloatArray, x.offset, ...l.strides[0]!, d, r, c, out as FloatArray);
    }),
    binary: route(
      js.binary, minElements,
      (op, a, bv, out) => (sameFloat(a.data, bv.data) && (COMPARISONS.has(op) ? out instanceof Uint8Array : out.constructor === a.data.constructor) ? elementCount(a.shape) : undefined),
      (op, a, bv, out) => {
        const l = layout3d(a.shape, [a, bv]);
        if (!l) return js.binary(op, a, bv, out);
        const [d, r, c] = l.shape;
        addon.binary(BINARY_CODES[op], a.data as FloatArray, a.offset, ...l.strides[0]!, bv.data as FloatArray, bv.offset, ...l.strides[1]!, d, r, c, out as FloatArray);
      },
    ),
    // the last axis (inner = 1) or a middle one
    reduce: route(
      js.reduce, minElements, (_op, x, _o, outer, n, inner, out) => (sameFloat(x, out) ? outer * n * inner : undefined),
      (op, x, offset, outer, n, inner, out) => {
        if (inner === 1) addon.reduce(REDUCE_CODES[op], x as FloatArray, offset, outer, n, out as FloatArray);
        else addon.reduceMiddle(REDUCE_CODES[op], x as FloatArray, offset, outer, n, inner, out as FloatArray);
      },
    ),
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
