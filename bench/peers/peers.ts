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
export const INSTALL_PEERS = 'apt-get install -y python3-torch python3-numpy libopenblas0-pthread libopenblas0-openmp && npm install';

/** How each peer's worker is started. */
export const PEER_COMMANDS: Partial<Record<ContenderName, PeerCommand>> = {
  numpy: { command: PYTHON, args: [join(here, 'numpy_worker.py')] },
  torch: {
    command: PYTHON,
    args: [join(here, 'torch_worker.py')],
    env: { LD_LIBRARY_PATH: [OPENBLAS_OPENMP, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':') },
  },
  'tfjs-cpu': { command: process.execPath, args: ['--import', 'tsx', join(here, 'tfjs-worker.ts'), 'cpu'] },
  'tfjs-wasm': { command: process.execPath, args: ['--import', 'tsx', join(here, 'tfjs-worker.ts'), 'wasm'] },
};
