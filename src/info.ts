import { readFileSync } from 'node:fs';
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

/**
 * The version in nabla's package.json. This file sits one folder below the package root both as
 * source (src/info.ts, run through tsx) and compiled (dist/info.js, also in an installed package,
 * which always ships its package.json), so the same relative path finds it.
 */
export function packageVersion(url: URL = new URL('../package.json', import.meta.url)): string {
  const json = JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
  if (json.name !== 'nabla' || typeof json.version !== 'string') throw new Error(`${url.pathname} is not nabla's package.json`);
  return json.version;
}

/** The package version, as package.json gives it (what `nabla --version` prints). */
export const VERSION: string = packageVersion();
