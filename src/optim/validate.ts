/**
 * Option checking shared by the optimizers and schedules: unknown keys (with a hint for the
 * PyTorch/Keras spelling someone probably meant), numeric ranges, and the two constructor forms
 * (`new Adam(opts)` and `new Adam(params, opts)`).
 */
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { isParamsInput, type ParamsInput } from './params.js';

/** Spellings from other frameworks mapped to ours, so the error can say what was meant. */
const HINTS: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  learning_rate: 'learningRate',
  eps: 'epsilon',
  betas: 'beta1 and beta2',
  beta_1: 'beta1',
  beta_2: 'beta2',
  weight_decay: 'weightDecay',
  clipnorm: 'clipNorm',
  clipvalue: 'clipValue',
  global_clipnorm: 'globalClipnorm',
  globalClipNorm: 'globalClipnorm',
  initial_accumulator_value: 'initialAccumulatorValue',
  alpha: 'rho',
};

/**
 * Throws a ValueError naming the first key of `opts` that is not in `allowed`, with a hint when it
 * is another framework's spelling: `Adam: unknown option 'lr' (did you mean 'learningRate'?)`.
 */
export function checkOptionKeys(op: string, opts: object, allowed: readonly string[]): void {
  for (const key of Object.keys(opts)) {
    if (allowed.includes(key)) continue;
    // own keys only: an option named 'toString' (from a file) has no hint, not Object's method
    const hint = Object.hasOwn(HINTS, key) ? HINTS[key] : undefined;
    const meant = hint !== undefined && hint.split(' and ').every((h) => allowed.includes(h)) ? ` (did you mean ${hint.split(' and ').map((h) => `'${h}'`).join(' and ')}?)` : '';
    throw new ValueError(`${op}: unknown option '${key}'${meant}; valid options are ${allowed.map((k) => `'${k}'`).join(', ')}`);
  }
}

/** A numeric interval an option must lie in. Bounds are inclusive unless marked exclusive. */
export interface Range {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

function describe(range: Range): string {
  const kind = range.integer ? 'an integer' : 'a number';
  if (range.min !== undefined && range.max !== undefined) {
    return `${kind} in ${range.minExclusive ? '(' : '['}${range.min}, ${range.max}${range.maxExclusive ? ')' : ']'}`;
  }
  if (range.min !== undefined) return `${kind} ${range.minExclusive ? '>' : '>='} ${range.min}`;
  if (range.max !== undefined) return `${kind} ${range.maxExclusive ? '<' : '<='} ${range.max}`;
  return `a finite ${kind.slice(2)}`;
}

function inRange(v: number, r: Range): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  if (r.min !== undefined && (r.minExclusive ? v <= r.min : v < r.min)) return false;
  if (r.max !== undefined && (r.maxExclusive ? v >= r.max : v > r.max)) return false;
  return true;
}

/** Checks that `value` is a number in `range` (ValueError naming op and option otherwise) and returns it. */
export function checkNumber(op: string, name: string, value: unknown, range: Range): number {
  if (typeof value !== 'number' || !inRange(value, range)) {
    throw new ValueError(`${op}: ${name} must be ${describe(range)}, got ${String(value)}`);
  }
  return value;
}

/** `value` checked against `range`, or `fallback` when it is undefined or null. */
export function numberOption(op: string, name: string, value: unknown, fallback: number, range: Range): number {
  return value === undefined || value === null ? fallback : checkNumber(op, name, value, range);
}

/** `value` checked against `range`, or null when it is undefined or null (an unset option). */
export function optionalNumber(op: string, name: string, value: unknown, range: Range): number | null {
  return value === undefined || value === null ? null : checkNumber(op, name, value, range);
}

/** `value` checked to be a boolean, or `fallback` when it is undefined. */
export function booleanOption(op: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new ValueError(`${op}: ${name} must be true or false, got ${String(value)}`);
  return value;
}

/**
 * Splits the two constructor forms: `(opts?)` Keras style and `(params, opts?)` PyTorch style.
 * A first argument counts as parameters when it is iterable or a record whose values are Tensors.
 */
export function splitArgs<O extends object>(op: string, first: ParamsInput | O | undefined, second: O | undefined): { params: ParamsInput | null; opts: O } {
  if (first instanceof Tensor) {
    throw new ValueError(`${op}: expected a list of parameters, got a single Tensor; wrap it in an array: new ${op}([x], options)`);
  }
  if (first !== undefined && isParamsInput(first)) return { params: first, opts: second ?? ({} as O) };
  if (second !== undefined) {
    throw new ValueError(`${op}: options were given twice; pass new ${op}(options) or new ${op}(params, options) where params is Tensor[], Record<string, Tensor> or [name, Tensor][]`);
  }
  if (first !== undefined && (typeof first !== 'object' || first === null)) {
    throw new ValueError(`${op}: expected an options object or a list of parameters, got ${first === null ? 'null' : typeof first}`);
  }
  return { params: null, opts: first ?? ({} as O) };
}
