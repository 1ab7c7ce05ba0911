import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

export type { Backend, View, UnaryOp, BinaryOp, ReduceOp } from './backend.js';

let active: Backend = jsBackend;

/** The backend whose kernels the ops call. */
export function backend(): Backend {
  return active;
}

/** Replaces the active backend (tests run the op table on each one). */
export function setBackend(b: Backend): void {
  active = b;
}

export { jsBackend };
