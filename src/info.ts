import { availableParallelism, cpus } from 'node:os';
import { backend } from './backend/index.js';
import { NATIVE_KERNELS, isNativeBackend, nativeAddonStatus, nativeKernelInfo } from './backend/native/index.js';

/** What `nabla info` prints: version, backend, kernels, SIMD level, GEMM micro-kernels, threads. */
export interface Info {
  version: string;
  node: string;
  /** The active backend: 'native' or 'js' (or a custom one's name). */
  backend: string;
  /** Each kernel and who runs it, e.g. 'gemm:native', 'gather:js'. */
  kernels: string[];
  /** SIMD level of the native kernels in use ('avx512', 'avx2', 'portable'), or 'none' on JS. */
  simd: string;
  /** GEMM micro-kernels, e.g. 'float32 avx2-fma 6x16, float64 avx2-fma 6x8', or 'js 4x4'. */
  gemm: string;
  /** Threads the kernels use. */
  threads: number;
  /** 'loaded', 'not loaded' (`NABLA_BACKEND=js`), or 'unavailable: <why>'. */
  addon: string;
  cpu: string;
}

/**
 * Which backend and kernels are active, and on what machine.
 * @example nb.info().gemm // 'float32 avx2-fma 6x16, float64 avx2-fma 6x8'
 */
export function info(): Info {
  const b = backend();
  const native = isNativeBackend(b) ? nativeKernelInfo() : undefined;
  return {
    version: VERSION,
    node: process.version,
    backend: b.name,
    kernels: Object.keys(b)
      .filter((k) => k !== 'name')
      .map((k) => `${k}:${native ? (NATIVE_KERNELS.has(k as keyof typeof b) ? 'native' : 'js') : b.name}`),
    simd: native ? native.simd : 'none',
    gemm: native ? `float32 ${native.sgemm}, float64 ${native.dgemm}` : 'js 4x4',
    threads: native ? native.threads : 1,
    addon: nativeAddonStatus(),
    cpu: `${cpus()[0]?.model ?? 'unknown'} (${availableParallelism()} cores)`,
  };
}

/** The package version. */
export const VERSION = '0.1.0';
