/**
 * A cap on the size of any one tensor allocated while a piece of code runs. `loadModel` builds a
 * model by running it once on one sample of the `inputShape` its model.json records: the weights
 * are bounded by the weights file (nn/initializer-loading.ts), but the activations of that run
 * are not — a `Conv2D` of 2,000 weights on an `inputShape` of `[4096, 4096, 3]` would ask for a
 * 34 GB output. Under the cap such a request is an error naming the size and the way to raise the
 * cap, before the memory is taken. Checked where tensor storage is allocated (`allocate`, and
 * `uninitialized` in ops/primitives/alloc.ts), so every op is covered; what is allocated is counted
 * in tensor/buffer-pool.ts (`nb.memory`).
 */
import { ValueError } from './errors.js';

interface Limit {
  /** The largest allocation allowed, in bytes. */
  bytes: number;
  /** What the error says before the numbers (`loadModel: dir/model.json`). */
  who: string;
  /** How to raise the cap, said at the end of the error. */
  remedy: string;
}

let limit: Limit | null = null;

/** Runs `fn` with every tensor allocation capped at `cap.bytes`; the previous cap is restored after. */
export function withAllocationLimit<T>(cap: Limit, fn: () => T): T {
  const saved = limit;
  limit = cap;
  try {
    return fn();
  } finally {
    limit = saved;
  }
}

/** Throws when an allocation of `elements` elements of `bytesPerElement` bytes exceeds the active cap. */
export function checkAllocation(elements: number, bytesPerElement: number): void {
  const bytes = elements * bytesPerElement;
  if (limit !== null && bytes > limit.bytes) {
    throw new ValueError(`${limit.who}: a tensor of ${gb(bytes)} was asked for (the cap here is ${gb(limit.bytes)}); ${limit.remedy}`);
  }
}

/** `34.36 GB`: sizes as errors show them. */
function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
