import { enableGrad, noGrad } from '../tensor/grad-mode.js';
import { ValueError, ShapeError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from '../ops/binary.js';
import { onesLike } from '../tensor/creation.js';
import { backend } from '../backend/index.js';
import type { TypedArray } from '../tensor/dtype.js';
import { POOL_MIN_BYTES, beginSweep, inBackward, countRef, disown, disownRecent, endSweep, exclusive, settle, type Sweep } from '../tensor/buffer-pool.js';

/** Options of `backward()` and `grad()`. */
export interface BackwardOptions {
  /** Keep the graph so that backward can run through it again (default false). */
  retainGraph?: boolean;
  /** Record the backward pass itself, so gradients can be differentiated again (default false). */
  createGraph?: boolean;
}

/**
 * Tensors reachable from `roots` through recorded ops, in topological order (each before the
 * ops that consumed it). Iterative, so a chain of any length cannot overflow the stack.
 */
function topoOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [];
  for (const r of roots) {
    if (visited.has(r)) continue;
    visited.add(r);
    stack.push([r, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [t, i] = top;
      const inputs = t.node ? t.node.inputs : [];
      if (i < inputs.length) {
        top[1] = i + 1;
        const child = inputs[i]!;
        if (child.requiresGrad && !visited.has(child)) {
          visited.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(t);
      }
    }
  }
  return order;
}

/**
 * Reverse-mode sweep from `roots` seeded with `seeds`. With `targets`, returns the gradient of
 * each target (null when it does not depend on the roots); without, accumulates into the `.grad`
 * of every leaf that requires gradients.
 */
export function runBackward(roots: readonly Tensor[], seeds: readonly Tensor[], targets: readonly Tensor[] | null, opts: BackwardOptions = {}): (Tensor | null)[] {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const sweep = () => {
    // a recorded backward keeps what it computes in the new graph: nothing of it may be pooled
    const pool = createGraph ? null : beginSweep();
    try {
      const grads = new Map<Tensor, Tensor>();
      roots.forEach((r, i) => accumulate(grads, r, seeds[i]!, pool, null));
      const order = topoOrder(roots);
      const targetSet = targets ? new Set(targets) : null;
      for (let k = order.length - 1; k >= 0; k--) {
        const t = order[k]!;
        const g = grads.get(t);
        if (!g) continue;
        const node = t.node;
        if (node === null) {
          if (!targetSet) {
            const sum = t.grad ? add(t.grad, g) : createGraph ? g : g.detach();
            disown(sum.storage); // the leaf's .grad is the user's now
            t.grad = sum;
            if (pool && sum.storage !== g.storage) {
              grads.delete(t);
              countRef(pool, g.storage, -1);
              settle(pool);
            }
          }
          continue;
        }
        if (node.vjp === null) {
          throw new ValueError(
            `backward: the graph through '${node.name}' was already freed by an earlier backward(); ` +
              'pass { retainGraph: true } to the first backward() to run backward through it twice',
          );
        }
        if (!targetSet || !targetSet.has(t)) {
          grads.delete(t);
          if (pool) countRef(pool, g.storage, -1);
        }
        const inGrads = createGraph && node.composite ? compositeVjp(node.composite, node.inputs, g) : node.vjp(g);
        if (pool && !node.pure) {
          // code the sweep cannot see into saw g and made these: none of it is ever pooled
          disown(g.storage);
          disownRecent(pool);
        }
        const inFlight = pool ? inGrads.map((ig) => ig?.storage) : null;
        node.inputs.forEach((input, i) => {
          const ig = inGrads[i];
          if (ig && input.requiresGrad) accumulate(grads, input, ig, pool, inFlight);
        });
        if (pool) settle(pool); // the VJP's scratch and every gradient it consumed
        if (!retainGraph) node.vjp = null;
      }
      return targets ? targets.map((t) => grads.get(t) ?? null) : [];
    } finally {
      if (pool) endSweep(pool);
    }
  };
  return inBackward(retainGraph, () => (createGraph ? enableGrad(sweep) : noGrad(sweep)));
}

/**
 * The recorded VJP of an op with a composite form: the composite recomputed (recording) on
 * stand-ins for the inputs — new leaves over the same storage, so that the inner sweep stops
 * there and each input slot gets its own gradient even when one tensor fills two — and
 * differentiated down to them. Each stand-in is then linked to its input, so that a gradient
 * of these gradients flows on into the outer graph.
 */
function compositeVjp(composite: (inputs: readonly Tensor[]) => Tensor, inputs: readonly Tensor[], g: Tensor): (Tensor | null)[] {
  const leaves = inputs.map((t) => (t.requiresGrad ? t.detach().requireGrad() : t));
  const grads = runBackward([composite(leaves)], [g], leaves, { createGraph: true });
  leaves.forEach((leaf, i) => {
    if (leaf !== inputs[i]) leaf.node = { name: 'identity', inputs: [inputs[i]!], vjp: (d) => [d] };
  });
  return grads;
}

/**
 * Adds `g` into the gradient table's entry for `t`. With a pool, the sum is written into the
 * entry's own buffer when the sweep owns it and nothing else can see it — no other entry and
 * none of the gradients the current VJP returned (`inFlight`) view it — instead of a new buffer.
 */
function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor, pool: Sweep | null, inFlight: readonly (TypedArray | undefined)[] | null): void {
  const prev = grads.get(t);
  if (!prev) {
    grads.set(t, g);
    if (pool) countRef(pool, g.storage, 1);
    return;
  }
  if (pool && canAddInto(pool, prev, g, inFlight)) {
    backend().binary('add', prev.strided(), g.strided(), prev.storage);
    return;
  }
  const sum = add(prev, g);
  grads.set(t, sum);
  if (pool) {
    countRef(pool, sum.storage, 1);
    countRef(pool, prev.storage, -1);
  }
}

/** Whether `prev += g` may be done in place: see `accumulate`. */
function canAddInto(pool: Sweep, prev: Tensor, g: Tensor, inFlight: readonly (TypedArray | undefined)[] | null): boolean {
  if (prev.dtype !== g.dtype || prev.offset !== 0 || !prev.isContiguous || prev.storage.length !== prev.size) return false;
  if (prev.ndim !== g.ndim || prev.shape.some((d, i) => d !== g.shape[i])) return false;
  if (!exclusive(pool, prev.storage)) return false;
  const buf = prev.storage.buffer;
  if (g.storage.buffer === buf) return false;
  return inFlight === null || inFlight.every((s) => s === undefined || s.byteLength < POOL_MIN_BYTES || s.buffer !== buf);
}

/**
 * `t.backward()`: gradients of `t` with respect to every leaf that requires them, added into
 * their `.grad`. A non-scalar `t` needs `grad`, the gradient of some scalar with respect to `t`.
 */
export function backward(t: Tensor, grad?: Tensor, opts: BackwardOptions = {}): void {
  if (!t.requiresGrad) {
    throw new ValueError('backward: this tensor does not require gradients; set requiresGrad on the inputs (e.g. nb.tensor(v, {requiresGrad: true})) before computing it');
  }
  if (grad === undefined && t.size !== 1) {
    throw new ShapeError(
      `backward: the tensor has shape ${fmt(t.shape)}; backward() without a gradient argument only works on a scalar (one element). ` +
        'Reduce it first (e.g. loss.mean().backward()) or pass the gradient: t.backward(gradOfT)',
    );
  }
  if (grad !== undefined && (grad.ndim !== t.ndim || grad.shape.some((d, i) => d !== t.shape[i]))) {
    throw new ShapeError(`backward: the gradient has shape ${fmt(grad.shape)} but the tensor has shape ${fmt(t.shape)}`);
  }
  runBackward([t], [grad ?? onesLike(t)], null, opts);
}
