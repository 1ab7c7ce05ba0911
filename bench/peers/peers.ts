/**
 * The peers nabla is measured against and how each is started: NumPy and PyTorch from the
 * system's Python (Debian's python3-numpy / python3-torch on OpenBLAS), TensorFlow.js from npm.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContenderName } from '../workloads/types.js';
import type { PeerCommand } from './process-peer.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The Python the peers run on: Debian's, where python3-torch and python3-numpy install. */
export const PYTHON = process.env['NABLA_BENCH_PYTHON'] ?? '/usr/bin/python3';

/** The OpenMP build of OpenBLAS that PyTorch must load (the pthread build fights its OpenMP threads). */
export const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

/** The command that installs every peer (printed with a peer that is not available). */
export const INSTALL_PEERS =
  'apt-get install -y python3-torch python3-numpy libopenblas0-pthread libopenblas0-openmp && npm install && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node@1.31';

/**
 * glibc malloc settings for the Python peers: blocks up to 32 MiB come from the heap and freed
 * memory stays in the process. With glibc's defaults a tensor of a few hundred KiB or more is
 * often mmap'ed and unmapped again every step, and a training epoch of the seed MLP in PyTorch
 * takes ~200,000 page faults and a second of system time: 13–19k samples/s instead of 38–50k
 * (bench/README.md, "Is the PyTorch worker at its best?"). PyTorch's CPU tuning guide gives the
 * same advice (a caching allocator: jemalloc or tcmalloc); these tunables need no extra package.
 */
export const PYTHON_MALLOC = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824';

const withTunables = (env: Record<string, string> = {}): Record<string, string> => ({
  ...env,
  GLIBC_TUNABLES: [process.env['GLIBC_TUNABLES'], PYTHON_MALLOC].filter(Boolean).join(':'),
});

/** How each peer's worker is started. */
export const PEER_COMMANDS: Partial<Record<ContenderName, PeerCommand>> = {
  numpy: { command: PYTHON, args: [join(here, 'numpy_worker.py')], env: withTunables() },
  torch: {
    command: PYTHON,
    args: [join(here, 'torch_worker.py')],
    env: withTunables({ LD_LIBRARY_PATH: [OPENBLAS_OPENMP, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':') }),
  },
  'tfjs-cpu': { command: process.execPath, args: ['--import', 'tsx', join(here, 'tfjs-worker.ts'), 'cpu'] },
  'tfjs-wasm': { command: process.execPath, args: ['--import', 'tsx', join(here, 'tfjs-worker.ts'), 'wasm'] },
  onnxruntime: { command: process.execPath, args: ['--import', 'tsx', join(here, 'onnxruntime-worker.ts')] },
};
