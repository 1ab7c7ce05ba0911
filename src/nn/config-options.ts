/**
 * Reading a layer's options through the checks of config-check.ts: each option is read by its
 * key, with its default, so the key in the code and the key in the message are one string. An
 * option left out (or null, for one that is not nullable) takes its default; anything else must
 * have the option's type.
 *
 * @example
 * const o = readOptions('LayerNormalization', opts);
 * this.epsilon = o.number('epsilon', 1e-3, { gt: 0 });
 * this.center = o.boolean('center', true);
 */
import { ValueError } from '../tensor/errors.js';
import { getActivation, type ActivationFn } from './activations.js';
import {
  checkBoolean, checkInteger, checkIntegerList, checkNumber, checkOneOf, checkSeed, describeValue, type Bounds,
} from './config-check.js';
import { isSerializedObject } from './config.js';
import { getInitializer, Initializer } from './initializers.js';
import { getRegularizer, Regularizer } from './regularizers.js';

/** The option names of `O` (its string keys). */
type Key<O> = Extract<keyof O, string>;

/** The checked options of one layer (or wrapper): see the module comment. */
export class OptionReader<O extends object> {
  private readonly values: Record<string, unknown>;

  constructor(readonly who: string, opts: O | undefined) {
    if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) {
      throw new ValueError(`${who}: options must be an object { ... }, got ${describeValue(opts)}`);
    }
    this.values = (opts ?? {}) as Record<string, unknown>;
  }

  /** The option as given (undefined when left out). */
  raw(key: Key<O>): unknown {
    return this.values[key];
  }

  private given(key: Key<O>): boolean {
    const v = this.values[key];
    return v !== undefined && v !== null;
  }

  /** A finite number within `bounds`; `dflt` when left out. */
  number(key: Key<O>, dflt: number, bounds?: Bounds): number {
    return checkNumber(this.who, key, this.given(key) ? this.values[key] : dflt, bounds);
  }

  /** A whole number within `bounds`; `dflt` when left out. */
  integer(key: Key<O>, dflt: number, bounds?: Bounds): number {
    return checkInteger(this.who, key, this.given(key) ? this.values[key] : dflt, bounds);
  }

  /** A whole number within `bounds`, or null (also when left out). */
  integerOrNull(key: Key<O>, bounds?: Bounds): number | null {
    return this.given(key) ? checkInteger(this.who, key, this.values[key], bounds) : null;
  }

  /** `true` or `false`; `dflt` when left out. */
  boolean(key: Key<O>, dflt: boolean): boolean {
    return this.given(key) ? checkBoolean(this.who, key, this.values[key]) : dflt;
  }

  /** One of `allowed`; `dflt` when left out (null is a choice of its own when `allowed` lists it). */
  oneOf<const T>(key: Key<O>, allowed: readonly T[], dflt: T): T {
    const v = this.values[key];
    if (v === undefined || (v === null && !allowed.includes(null as T))) return dflt;
    return checkOneOf(this.who, key, v, allowed);
  }

  /** A seed: an integer, or null (the default) for the global generator. */
  seed(key: Key<O>): number | null {
    return checkSeed(this.who, key, this.values[key]);
  }

  /** An array of integers within `bounds` (of `length` entries when given), or null (also when left out). */
  integerListOrNull(key: Key<O>, bounds?: Bounds, length?: number): number[] | null {
    return this.given(key) ? checkIntegerList(this.who, key, this.values[key], bounds, length) : null;
  }

  /** An activation: a registered name, a function, or null for none; `dflt` when left out. */
  activation(key: Key<O>, dflt: string | null): ActivationFn {
    return checkActivation(this.who, key, this.values[key] === undefined ? dflt : this.values[key]);
  }

  /** An initializer: a name, an Initializer or `{ className, config }`; `dflt` when left out. */
  initializer(key: Key<O>, dflt: string): Initializer {
    return checkInitializer(this.who, key, this.given(key) ? this.values[key] : dflt);
  }

  /** A penalty: a name, a Regularizer or `{ className, config }`; null (the default) for none. */
  regularizer(key: Key<O>): Regularizer | null {
    return this.given(key) ? checkRegularizer(this.who, key, this.values[key]) : null;
  }
}

/** Runs `make`, saying in a ValueError which option of which layer the nested object came from. */
function nested<T>(who: string, option: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof ValueError) throw new ValueError(`${who}: ${option}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** An activation option: a registered name, a function, or null (none, linear). */
export function checkActivation(who: string, option: string, value: unknown): ActivationFn {
  if (value !== null && typeof value !== 'string' && typeof value !== 'function') {
    throw new ValueError(`${who}: ${option} must be an activation's name (such as 'relu'), a function or null, got ${describeValue(value)}`);
  }
  return nested(who, option, () => getActivation(value as string | ActivationFn | null));
}

/** An initializer option: a name, an Initializer or `{ className, config }` (whose config is checked in turn). */
export function checkInitializer(who: string, option: string, value: unknown): Initializer {
  if (typeof value !== 'string' && !(value instanceof Initializer) && !isSerializedObject(value)) {
    throw new ValueError(`${who}: ${option} must be an initializer's name (such as 'glorotUniform'), an Initializer or { className, config }, got ${describeValue(value)}`);
  }
  return nested(who, option, () => getInitializer(value));
}

/** A regularizer option: a name, a Regularizer, `{ className, config }`, or null (none). */
export function checkRegularizer(who: string, option: string, value: unknown): Regularizer | null {
  if (value === null) return null;
  if (typeof value !== 'string' && !(value instanceof Regularizer) && !isSerializedObject(value)) {
    throw new ValueError(`${who}: ${option} must be a regularizer's name (such as 'l2'), a Regularizer, { className, config } or null, got ${describeValue(value)}`);
  }
  return nested(who, option, () => getRegularizer(value));
}

/**
 * The options of `who` (a layer's class name) to read with their checks. `opts` must be an
 * object (or undefined: every option takes its default).
 */
export function readOptions<O extends object>(who: string, opts: O | undefined): OptionReader<O> {
  return new OptionReader(who, opts);
}
