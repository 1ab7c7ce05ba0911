import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { nativeBackend, nativeUnavailableReason } from './native/index.js';

export type { Backend, View, UnaryOp, BinaryOp, ReduceOp } from './backend.js';

/**
 * The backend chosen at startup: the native addon when it loads, unless `NABLA_BACKEND=js`. When
 * the addon is missing or broken, one line on stderr says why and the JS kernels run.
 */
function startupBackend(): Backend {
  const env = typeof process === 'undefined' ? undefined : process.env['NABLA_BACKEND'];
  if (env === 'js') return jsBackend;
  const native = nativeBackend();
  if (native) {
    if (env !== undefined && env !== '' && env !== 'native') {
      process.stderr.write(`nabla: NABLA_BACKEND=${env} is not 'js' or 'native'; using the native kernels\n`);
    }
    return native;
  }
  process.stderr.write(`nabla: native kernels unavailable, using the JS kernels: ${nativeUnavailableReason()}\n`);
  return jsBackend;
}

let active: Backend = startupBackend();

/** The backend whose kernels the ops call. */
export function backend(): Backend {
  return active;
}

/** Replaces the active backend (tests run the op table on each one). */
export function setBackend(b: Backend): void {
  active = b;
}

export { jsBackend };
export {
  nativeBackend, nativeKernelInfo, nativeUnavailableReason, setNativeThreads, type NativeThresholds,
} from './native/index.js';
