/**
 * The recurrent loop of SimpleRNN, LSTM and GRU as one op: `recurrentScan` runs every step and
 * returns every step's states. With named activations it is one fused primitive (linear in the
 * number of steps, forward and backward); with other activation functions, or a GRU whose reset
 * gate comes before the matmul, it runs the same cells as ops, which is also the primitive's
 * composite (its gradient for recorded backwards).
 */
import type { RecurrentActivation, RecurrentCell } from '../backend/recurrent-kernels.js';
import { recurrentStates } from '../backend/recurrent-kernels.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, cast, mul, ne, sub, where } from './binary.js';
import { apply } from './dispatch.js';
import { matmul } from './matmul.js';
import { concat, reshape, slice, split, stack } from './movement.js';
import type { RecurrentScanParams } from './primitives/types.js';
import { relu, sigmoid, tanh } from './unary.js';

/** An activation of a cell: one the fused kernels know by name, or any function of a tensor. */
export type StepActivation = RecurrentActivation | ((x: Tensor) => Tensor);

/** Options of `recurrentScan`. */
export interface RecurrentScanOptions {
  cell: RecurrentCell;
  /** The candidate / output activation (tanh in Keras). */
  activation: StepActivation;
  /** The gates' activation (sigmoid in Keras); unused by SimpleRNN. */
  recurrentActivation: StepActivation;
  /** GRU: the reset gate applies after the recurrent matmul (default true). */
  resetAfter?: boolean;
  /** GRU with `resetAfter`: the recurrent bias `[3·units]` added to `h·U`. */
  recurrentBias?: Tensor | null;
  /** Time-major `[T, B]`, true (or non-zero) for real steps; a masked step keeps the previous states. */
  mask?: Tensor | null;
  /** Recurrent dropout: `[B, units]` multiplied into h where it enters the matmul. */
  drop?: Tensor | null;
}

// looked up when called, not at load: ops/ modules import each other, and whichever loads first
// may see relu/sigmoid/tanh still uninitialised (test/ops/load-order.test.ts)
const NAMED: Record<RecurrentActivation, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu: (x) => relu(x),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
};

const fn = (a: StepActivation): ((x: Tensor) => Tensor) => (typeof a === 'string' ? NAMED[a] : a);

/**
 * Runs a recurrent cell over time-major projected inputs `xp [T, B, G·units]` (`x·W + b`,
 * gates in Keras' order) with recurrent kernel `u [units, G·units]` from `initialStates` (`[h]`,
 * or `[h, c]` for LSTM, each `[B, units]`). Returns every step's states `[T + 1, B, K·units]`
 * (row 0 the initial states; h then c along the last axis).
 *
 * @example
 * const S = recurrentScan(xp, u, [h0, c0], { cell: 'lstm', activation: 'tanh', recurrentActivation: 'sigmoid' });
 */
export function recurrentScan(xp: Tensor, u: Tensor, initialStates: readonly Tensor[], opts: RecurrentScanOptions): Tensor {
  const { cell, activation, recurrentActivation, recurrentBias = null, mask = null, drop = null } = opts;
  const resetAfter = opts.resetAfter ?? true;
  if (typeof activation !== 'string' || typeof recurrentActivation !== 'string' || (cell === 'gru' && !resetAfter)) {
    return scanSteps(xp, u, initialStates, { cell, act: fn(activation), ract: fn(recurrentActivation), resetAfter, recurrentBias, mask, drop });
  }
  const params: RecurrentScanParams = {
    cell, activation, recurrentActivation, hasRecurrentBias: recurrentBias !== null, hasMask: mask !== null, hasDrop: drop !== null,
  };
  const inputs = [xp, u, ...initialStates];
  if (recurrentBias) inputs.push(recurrentBias);
  if (mask) inputs.push(mask.dtype === xp.dtype ? mask : cast(ne(mask, 0), xp.dtype));
  if (drop) inputs.push(drop);
  return apply('recurrentScan', inputs, params);
}

/** The `recurrentScan` primitive's composite: the same loop as ops, from its inputs. */
export function recurrentScanComposite(inputs: readonly Tensor[], p: RecurrentScanParams): Tensor {
  const [xp, u, ...rest] = inputs as Tensor[];
  const states = rest.splice(0, recurrentStates(p.cell));
  const recurrentBias = p.hasRecurrentBias ? rest.shift()! : null;
  const mask = p.hasMask ? rest.shift()! : null;
  const drop = p.hasDrop ? rest.shift()! : null;
  return scanSteps(xp!, u!, states, { cell: p.cell, act: NAMED[p.activation], ract: NAMED[p.recurrentActivation], resetAfter: true, recurrentBias, mask, drop });
}

interface Cell {
  cell: RecurrentCell;
  act: (x: Tensor) => Tensor;
  ract: (x: Tensor) => Tensor;
  resetAfter: boolean;
  recurrentBias: Tensor | null;
  mask: Tensor | null;
  drop: Tensor | null;
}

/** The loop as ops, one step at a time (each op one graph node). */
function scanSteps(xp: Tensor, u: Tensor, initial: readonly Tensor[], c: Cell): Tensor {
  const T = xp.shape[0]!;
  const steps = unstackSteps(xp);
  const masks = c.mask ? unstackSteps(reshape(c.mask.dtype === 'bool' ? c.mask : ne(c.mask, 0), [T, c.mask.shape[1]!, 1])) : null;
  const step = stepFunction(u, c);
  let states = initial.slice();
  const all = [concat(states, 1)];
  for (let t = 0; t < T; t++) {
    const next = step(steps[t]!, states);
    const m = masks ? masks[t]! : null;
    const prev = states;
    states = m ? next.map((s, i) => where(m, s, prev[i]!)) : next;
    all.push(concat(states, 1));
  }
  return stack(all, 0);
}

/** One step of the cell: projected input `[B, G·units]` and states → new states. */
function stepFunction(u: Tensor, c: Cell): (xt: Tensor, states: Tensor[]) => Tensor[] {
  const { act, ract, drop } = c;
  const n = u.shape[0]!;
  if (c.cell === 'simple') {
    return (xt, [h]) => [act(add(xt, matmul(drop ? mul(h!, drop) : h!, u)))];
  }
  if (c.cell === 'lstm') {
    return (xt, [h, cs]) => {
      const [zi, zf, zc, zo] = split(add(xt, matmul(drop ? mul(h!, drop) : h!, u)), 4, 1);
      const cNext = add(mul(ract(zf!), cs!), mul(ract(zi!), act(zc!)));
      return [mul(ract(zo!), act(cNext)), cNext];
    };
  }
  const uZR = slice(u, [null, [0, 2 * n]]);
  const uH = slice(u, [null, [2 * n, 3 * n]]);
  const recBias = c.recurrentBias;
  return (xt, [h]) => {
    const hIn = drop ? mul(h!, drop) : h!;
    const [xz, xr, xh] = split(xt, 3, 1);
    let z: Tensor;
    let hh: Tensor;
    if (c.resetAfter) {
      const rec = recBias ? add(matmul(hIn, u), recBias) : matmul(hIn, u);
      const [rz, rr, rh] = split(rec, 3, 1);
      z = ract(add(xz!, rz!));
      const r = ract(add(xr!, rr!));
      hh = act(add(xh!, mul(r, rh!)));
    } else {
      const [rz, rr] = split(matmul(hIn, uZR), 2, 1);
      z = ract(add(xz!, rz!));
      const r = ract(add(xr!, rr!));
      hh = act(add(xh!, matmul(mul(r, hIn), uH)));
    }
    // h_t = z·h + (1 − z)·ĥ = ĥ + z·(h − ĥ)
    return [add(hh, mul(z, sub(h!, hh)))];
  };
}

/**
 * The `T` steps `[B, ...]` of a time-major `[T, B, ...]` tensor. A slice's gradient is a zero
 * tensor of its source's size with the slice written in, so cutting all `T` steps straight from
 * the sequence costs O(T²) in backward. Halving the sequence recursively, and cutting steps only
 * from pieces of at most 8, costs O(T·log T): only the unfused loop above pays it (custom
 * activations, GRU with the reset gate first, recorded backwards).
 */
export function unstackSteps(x: Tensor): Tensor[] {
  const out: Tensor[] = [];
  const visit = (part: Tensor): void => {
    const n = part.shape[0]!;
    if (n <= 8) {
      for (let t = 0; t < n; t++) out.push(slice(part, [t]));
      return;
    }
    const half = Math.ceil(n / 2);
    visit(slice(part, [[0, half]]));
    visit(slice(part, [[half, n]]));
  };
  visit(x);
  return out;
}
