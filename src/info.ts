import { availableParallelism, cpus } from 'node:os';
import { backend } from './backend/index.js';

/** What `nabla info` prints: version, backend, kernels, threads. */
export interface Info {
  version: string;
  node: string;
  backend: string;
  kernels: string[];
  threads: number;
  cpu: string;
}

/** Which backend and kernels are active, and on what machine. */
export function info(): Info {
  const b = backend();
  return {
    version: VERSION,
    node: process.version,
    backend: b.name,
    kernels: Object.keys(b).filter((k) => k !== 'name').map((k) => `${k}:${b.name}`),
    threads: 1,
    cpu: `${cpus()[0]?.model ?? 'unknown'} (${availableParallelism()} cores)`,
  };
}

/** The package version. */
export const VERSION = '0.1.0';
