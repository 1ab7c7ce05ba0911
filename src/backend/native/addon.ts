import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FloatArray } from '../fused-kernels.js';
import type { NativeAttentionAddon } from './attention.js';
import type { NativeFusedAddon } from './fused.js';
import type { NativeRecurrentAddon } from './recurrent.js';
import type { NativeFftAddon } from './fft.js';
import type { MovementAddon } from './movement.js';

/** What the addon reports about itself: SIMD level in use and available, GEMM micro-kernels, threads. */
export interface NativeKernelInfo {
  /** SIMD level the kernels use: 'avx512', 'avx2' or 'portable'. */
  simd: string;
  /** Highest SIMD level the CPU supports (`NABLA_KERNEL` may select a lower one). */
  cpuSimd: string;
  /** float32 GEMM micro-kernel, e.g. 'avx2-fma 6x16'. */
  sgemm: string;
  /** float64 GEMM micro-kernel, e.g. 'avx2-fma 6x8'. */
  dgemm: string;
  /** Threads parallel kernels use (`NABLA_NUM_THREADS`, else the number of cores). */
  threads: number;
  /**
   * How the addon set up malloc when it loaded: on glibc, large blocks come from a heap that is
   * kept rather than trimmed, so a training step reuses memory instead of faulting in fresh
   * pages ('glibc: mmap threshold 32 MiB, trim threshold 256 MiB'); 'default (…)' with the reason
   * when left alone (`NABLA_MALLOC_TUNING=0`, or malloc tuned by the environment).
   */
  malloc: string;
}

/**
 * The functions of the C addon (native/addon.c, and the families' wrappers in native/addon_*.c).
 * Each checks its arguments and the bounds of every array access, then computes in place; op
 * codes are the indices of the lists in ops.ts.
 */
export interface NativeAddon extends MovementAddon, NativeAttentionAddon, NativeFusedAddon, NativeRecurrentAddon, NativeFftAddon {
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, aOffset: number, lda: number,
    b: FloatArray, bOffset: number, ldb: number,
    c: FloatArray, cOffset: number, ldc: number,
  ): void;
  /** `out[(d*rows + r)*cols + c] = op(x[xOffset + d*xDepthStride + r*xRowStride + c*xColStride])` */
  unary(
    op: number, x: FloatArray, xOffset: number, xDepthStride: number, xRowStride: number, xColStride: number,
    depth: number, rows: number, cols: number, out: FloatArray,
  ): void;
  /** `out[(d*rows + r)*cols + c] = a(d, r, c) op b(d, r, c)`; comparisons write a Uint8Array. */
  binary(
    op: number,
    a: FloatArray, aOffset: number, aDepthStride: number, aRowStride: number, aColStride: number,
    b: FloatArray, bOffset: number, bDepthStride: number, bRowStride: number, bColStride: number,
    depth: number, rows: number, cols: number, out: FloatArray | Uint8Array,
  ): void;
  /** `out[o] = op over r < n of x[offset + o*n + r]` */
  reduce(op: number, x: FloatArray, offset: number, outer: number, n: number, out: FloatArray): void;
  info(): NativeKernelInfo;
  /** Sets the number of threads parallel kernels use from now on. */
  setThreads(n: number): void;
}

/** Every function of `NativeAddon`, to check a loaded file against (the compiler keeps the list complete). */
const FUNCTIONS: Record<keyof NativeAddon, true> = {
  gemm: true, unary: true, binary: true, reduce: true, info: true, setThreads: true,
  copy: true, gather: true, scatterAdd: true, where: true, argReduce: true, reduceMiddle: true, im2col: true, col2im: true,
  maxPoolIndices: true, batchNormStats: true, batchNormForward: true, batchNormBackward: true,
  attentionForward: true, attentionBackward: true,
  adamUpdate: true, sgdUpdate: true, softmax: true, softmaxBackward: true, crossEntropy: true, crossEntropyBackward: true,
  biasActivation: true, biasActivationBackward: true, layerNorm: true, layerNormBackward: true,
  recurrentStepForward: true, recurrentStepBackward: true,
  fftSupported: true, fft: true, rfft: true, stftPower: true, decibels: true,
};

/** The package root (this file is src/backend/native/ or dist/backend/native/ below it). */
const PACKAGE_ROOT = new URL('../../../', import.meta.url);

/** The folder of the addon shipped for one platform (`npm pack` copies the one built there). */
export function prebuiltFolder(platform: string = process.platform, arch: string = process.arch): string {
  return `prebuilds/${platform}-${arch}`;
}

/**
 * Where the addon may be, best first: the one node-gyp built in this copy (a checkout, or
 * `npm run build:native` in an installed package), then the one the package ships for this
 * platform.
 */
export function addonCandidates(root: URL = PACKAGE_ROOT, platform: string = process.platform, arch: string = process.arch): string[] {
  return [
    fileURLToPath(new URL('build/Release/nabla_native.node', root)),
    fileURLToPath(new URL(`${prebuiltFolder(platform, arch)}/nabla_native.node`, root)),
  ];
}

const BUILD_HINT = 'to build it, run `npm run build:native` in a checkout or `npm explore nabla -- npm run build:native` in a project (it needs a C compiler, python3 and make)';

/** Loads the first addon of `candidates` that exists, or says in one line why none can be used. */
export function loadAddon(candidates: readonly string[] = addonCandidates()): { addon: NativeAddon } | { reason: string } {
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) {
    return { reason: `no addon for ${process.platform}-${process.arch} (none of ${candidates.join(', ')} exists; ${BUILD_HINT})` };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<NativeAddon>;
    for (const fn of Object.keys(FUNCTIONS) as (keyof NativeAddon)[]) {
      if (typeof addon[fn] !== 'function') return { reason: `${path} lacks '${fn}' (an old build? ${BUILD_HINT})` };
    }
    return { addon: addon as NativeAddon };
  } catch (e) {
    // a prebuilt addon for an older C library, or a corrupt file
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { reason: `${path} failed to load: ${message} (${BUILD_HINT})` };
  }
}
