/**
 * Tensor storage: where every typed array a tensor is made of comes from, what is counted about
 * it (`nb.memory()`), and the pool that lets a backward pass hand its dead buffers to the next
 * allocation instead of the garbage collector.
 *
 * Why a pool is safe here. JavaScript gives no reference counts, so nabla never guesses whether
 * a buffer is dead. Only `runBackward` (autograd/backward.ts) releases buffers, and only buffers
 * whose whole life it saw: those allocated during its own sweep, by a primitive's VJP (our code,
 * which keeps nothing), that are neither a gradient still waiting in its table nor one it handed
 * out (a leaf's `.grad`, a result of `nb.grad`). Everything else — what the forward pass made,
 * what a user's `customGrad` or a checkpointed block made, what a user passed in — is never
 * released and is left to the garbage collector as before. A released buffer leaves the pool
 * again only as the storage of a new tensor, so no two live tensors ever share a pooled buffer
 * by accident (test/tensor/buffer-pool.test.ts).
 *
 * Buffers under {@link POOL_MIN_BYTES} are never pooled: V8 allocates them cheaply, and the
 * large ones are what costs — page faults on fresh memory and garbage collections forced by
 * external memory.
 */
import type { TypedArray } from '../backend/typed-array.js';
import { ValueError } from './errors.js';

/** Storage smaller than this (64 KiB) is never pooled. */
export const POOL_MIN_BYTES = 1 << 16;

/** The counters behind `nb.memory()`. */
const counters = { allocatedBytes: 0, allocations: 0, reusedBytes: 0, reuses: 0, pooledBytes: 0 };

/** The pool: dead buffers by exact byte length, least recently used length first (Map order). */
const free = new Map<number, ArrayBuffer[]>();
/** The most bytes the pool holds; beyond, the least recently used lengths are dropped to the garbage collector. */
let poolLimit = 1 << 30;

/** What one backward sweep owns and how often its gradient table refers to each buffer. */
export interface Sweep {
  /** Buffers allocated during the sweep and not handed out, each with the typed array it was made as. */
  owned: Map<ArrayBuffer, TypedArray>;
  /** How many gradients in the sweep's table view each owned buffer. */
  refs: Map<ArrayBuffer, number>;
  /** Owned buffers allocated since the last `settle`: candidates for release. */
  recent: ArrayBuffer[];
}

let sweep: Sweep | null = null;
/** Whether the innermost backward running now keeps its graph (`retainGraph`): its saved buffers then live on. */
let retaining = false;

/** Runs `fn` (a backward sweep) with `retain` as the innermost backward's `retainGraph`. */
export function inBackward<T>(retain: boolean, fn: () => T): T {
  const saved = retaining;
  retaining = retain;
  try {
    return fn();
  } finally {
    retaining = saved;
  }
}

/**
 * For a primitive's VJP: `storage` was saved by its forward for this VJP alone (an arg-max, a
 * log-sum-exp, a recurrent layer's gates) and no tensor anyone else holds views it. When the
 * running backward frees its graph, the buffer is dead once the VJP returns and goes to the
 * pool; when the graph is kept, nothing happens. True when the buffer is released (the caller
 * then forgets it).
 */
export function releaseSaved(storage: TypedArray): boolean {
  if (sweep === null || retaining || storage.byteLength < POOL_MIN_BYTES) return false;
  const buf = storage.buffer;
  if (!(buf instanceof ArrayBuffer) || buf.byteLength !== storage.byteLength) return false;
  sweep.owned.set(buf, storage);
  sweep.recent.push(buf);
  return true;
}

/** A dead buffer of exactly `bytes` bytes from the pool, or undefined. */
export function takePooled(bytes: number): ArrayBuffer | undefined {
  const list = free.get(bytes);
  if (list === undefined) return undefined;
  const buf = list.pop()!;
  if (list.length === 0) free.delete(bytes);
  counters.pooledBytes -= bytes;
  return buf;
}

/**
 * Counts a new storage (`reused`: its buffer came from the pool) and, during a backward sweep,
 * records a large one as owned by the sweep.
 */
export function born(arr: TypedArray, reused: boolean): void {
  const bytes = arr.byteLength;
  if (reused) {
    counters.reusedBytes += bytes;
    counters.reuses++;
  } else {
    counters.allocatedBytes += bytes;
    counters.allocations++;
  }
  if (sweep !== null && bytes >= POOL_MIN_BYTES) {
    const buf = arr.buffer;
    if (buf instanceof ArrayBuffer) {
      sweep.owned.set(buf, arr);
      sweep.recent.push(buf);
    }
  }
}

/** Puts a dead buffer in the pool (or lets it go to the garbage collector when the pool is off or it is too large). */
function release(arr: TypedArray): void {
  const bytes = arr.byteLength;
  if (poolLimit === 0 || bytes > poolLimit) return;
  const buf = arr.buffer as ArrayBuffer;
  if (buf.byteLength !== bytes) return; // detached, or not the typed array's own buffer
  let list = free.get(bytes);
  if (list === undefined) list = [];
  else free.delete(bytes); // re-inserted last: the most recently used length
  free.set(bytes, list);
  list.push(buf);
  counters.pooledBytes += bytes;
  trim(poolLimit);
}

/** Drops the least recently used lengths' buffers until the pool holds at most `limit` bytes. */
function trim(limit: number): void {
  for (const [bytes, list] of free) {
    if (counters.pooledBytes <= limit) return;
    while (list.length > 0 && counters.pooledBytes > limit) {
      list.pop();
      counters.pooledBytes -= bytes;
    }
    if (list.length === 0) free.delete(bytes);
  }
}

/** Starts recording a backward sweep's buffers; null when one is already recording (a nested sweep) or the pool is off. */
export function beginSweep(): Sweep | null {
  if (sweep !== null || poolLimit === 0) return null;
  sweep = { owned: new Map(), refs: new Map(), recent: [] };
  return sweep;
}

/** Ends the sweep `s`: whatever it still owns lives on as ordinary garbage-collected storage. */
export function endSweep(s: Sweep): void {
  if (sweep === s) sweep = null;
}

/** The buffer of `t` when the sweep owns it. */
function ownedBuffer(s: Sweep, storage: TypedArray): ArrayBuffer | null {
  if (storage.byteLength < POOL_MIN_BYTES) return null;
  const buf = storage.buffer;
  return buf instanceof ArrayBuffer && s.owned.has(buf) ? buf : null;
}

/** One more (`delta` 1) or one fewer (−1) gradient in the sweep's table views `storage`. */
export function countRef(s: Sweep, storage: TypedArray, delta: 1 | -1): void {
  const buf = ownedBuffer(s, storage);
  if (buf === null) return;
  const n = (s.refs.get(buf) ?? 0) + delta;
  if (n === 0) {
    s.refs.delete(buf);
    s.recent.push(buf);
  } else s.refs.set(buf, n);
}

/** Whether `storage` is owned by the sweep and viewed by exactly one gradient in its table: safe to add into. */
export function exclusive(s: Sweep, storage: TypedArray): boolean {
  const buf = ownedBuffer(s, storage);
  return buf !== null && s.refs.get(buf) === 1;
}

/**
 * `storage` leaves the sweep's hands (a leaf's `.grad`, a buffer a user's code has seen): it is
 * never released. Works from a nested sweep too, for the outermost one that records.
 */
export function disown(storage: TypedArray): void {
  if (sweep === null || storage.byteLength < POOL_MIN_BYTES) return;
  const buf = storage.buffer;
  if (buf instanceof ArrayBuffer) sweep.owned.delete(buf);
}

/** Disowns everything allocated since the last `settle` (the work of code the sweep cannot see into). */
export function disownRecent(s: Sweep): void {
  for (const buf of s.recent) s.owned.delete(buf);
  s.recent.length = 0;
}

/** Releases every recently allocated or recently dropped buffer that the sweep owns and no gradient in its table views. */
export function settle(s: Sweep): void {
  for (const buf of s.recent) {
    const arr = s.owned.get(buf);
    if (arr === undefined || s.refs.has(buf)) continue;
    s.owned.delete(buf);
    release(arr);
  }
  s.recent.length = 0;
}

/** What `nb.memory()` reports. */
export interface MemoryStats {
  /** Bytes of new tensor storage allocated since the process started (memory taken from the system, not from the pool). */
  allocatedBytes: number;
  /** How many such typed arrays. */
  allocations: number;
  /** Bytes of tensor storage served from the pool since the process started (memory used again). */
  reusedBytes: number;
  /** How many typed arrays were made over pooled buffers. */
  reuses: number;
  /**
   * Bytes held by this process's ArrayBuffers outside the pool: tensor storage and anything else
   * in ArrayBuffers, garbage included until the collector finds it (Node: `arrayBufferBytes` less
   * `pooledBytes`; undefined elsewhere).
   */
  liveBytes: number | undefined;
  /** The most memory the process has had resident at once since it started (Node: `process.resourceUsage().maxRSS`; undefined elsewhere). */
  peakRssBytes: number | undefined;
  /** Bytes of dead buffers waiting in the pool for reuse. */
  pooledBytes: number;
  /** Bytes held by live ArrayBuffers in this process, nabla's and others' (Node's `process.memoryUsage().arrayBuffers`; undefined elsewhere). */
  arrayBufferBytes: number | undefined;
}

/**
 * Counters of tensor storage: what nabla has allocated and reused so far (take the difference
 * around a training step to get its allocation per step), what waits in the buffer pool, what the
 * process's ArrayBuffers hold outside it now, and the process's peak resident memory.
 *
 * Nothing here follows each tensor to its collection: a FinalizationRegistry entry per storage
 * would cost more than a small op, and its cleanup runs only when the event loop turns, so a
 * synchronous training loop would pile up entries without end.
 *
 * @example
 * const before = nb.memory().allocatedBytes;
 * await model.trainStep(x, y);
 * console.log(nb.memory().allocatedBytes - before, 'bytes allocated by one step');
 */
export function memory(): MemoryStats {
  const proc = (globalThis as { process?: { memoryUsage?: () => { arrayBuffers?: number }; resourceUsage?: () => { maxRSS: number } } }).process;
  const arrayBufferBytes = proc?.memoryUsage?.().arrayBuffers;
  const maxRss = proc?.resourceUsage?.().maxRSS; // kilobytes
  return {
    ...counters,
    liveBytes: arrayBufferBytes === undefined ? undefined : arrayBufferBytes - counters.pooledBytes,
    peakRssBytes: maxRss === undefined ? undefined : maxRss * 1024,
    arrayBufferBytes,
  };
}

/**
 * Sets the most bytes the buffer pool keeps (default 1 GiB) and returns the previous limit. `0`
 * turns the pool off and empties it: every dead buffer is then left to the garbage collector.
 * The pool never holds more than the limit; beyond it the least recently used sizes are dropped.
 */
export function setBufferPoolLimit(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new ValueError(`setBufferPoolLimit: the limit must be a number of bytes ≥ 0 (0 turns the pool off), got ${bytes}`);
  }
  const previous = poolLimit;
  poolLimit = bytes;
  trim(bytes);
  return previous;
}
