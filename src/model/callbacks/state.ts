/**
 * Reading a callback's saved state back (`setState`). The state comes from a checkpoint file, so
 * it is checked as hostile input: an object with exactly the expected keys (read from a
 * null-prototype copy, so no key reaches Object.prototype), numbers that are numbers, integers
 * that are integers. Values JSON cannot hold (the ±Infinity a "best so far" starts at, a NaN or a
 * -0 in the logs) are written as the strings 'Infinity', '-Infinity', 'NaN' and '-0'.
 */
import { ValueError } from '../../tensor/errors.js';

/** Names that would reach Object.prototype (or a constructor) if used as keys of a plain object. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** A number as JSON: itself when finite (and not -0), else its name as a string. */
export function numberToJson(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return Object.is(v, -0) ? '-0' : v;
}

const NAMED: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/**
 * Reads the state of callback `who` (`'EarlyStopping'`): `state` must be an object whose keys are
 * exactly `keys`. Returns a reader whose methods check and return one entry each.
 */
export function stateReader(who: string, state: unknown, keys: readonly string[]): StateReader {
  const op = `${who}.setState`;
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new ValueError(`${op}: expected the object getState() returns, got ${state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state}`);
  }
  const entries = new Map(Object.entries(state));
  const unknown = [...entries.keys()].filter((k) => !keys.includes(k));
  const missing = keys.filter((k) => !entries.has(k));
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown ${unknown.map((k) => JSON.stringify(k)).join(', ')}` : ''];
    throw new ValueError(`${op}: the state needs exactly the keys ${keys.join(', ')} (${parts.filter(Boolean).join('; ')})`);
  }
  return new StateReader(op, entries);
}

/** The checked entries of one saved state; each method throws a ValueError naming the entry. */
export class StateReader {
  constructor(private readonly op: string, private readonly entries: Map<string, unknown>) {}

  private bad(key: string, want: string, v: unknown): never {
    throw new ValueError(`${this.op}: ${key} must be ${want}, got ${describe(v)}`);
  }

  /** A number written by `numberToJson` (finite, or one of the named values). */
  number(key: string): number {
    return this.toNumber(key, this.entries.get(key));
  }

  /** An integer ≥ `min`. */
  integer(key: string, min: number): number {
    const v = this.entries.get(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) this.bad(key, `an integer >= ${min}`, v);
    return v;
  }

  /** true or false. */
  boolean(key: string): boolean {
    const v = this.entries.get(key);
    if (typeof v !== 'boolean') this.bad(key, 'true or false', v);
    return v;
  }

  /** An array of strings. */
  strings(key: string): string[] {
    const v = this.entries.get(key);
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) this.bad(key, 'an array of strings', v);
    return v.slice() as string[];
  }

  /** An array of strings, or null. */
  stringsOrNull(key: string): string[] | null {
    return this.entries.get(key) === null ? null : this.strings(key);
  }

  /** An array of integers ≥ `min`. */
  integers(key: string, min: number): number[] {
    const v = this.entries.get(key);
    if (!Array.isArray(v) || !v.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= min)) this.bad(key, `an array of integers >= ${min}`, v);
    return v.slice() as number[];
  }

  /**
   * An object of name → array of numbers (as `numberToJson` writes them), as a plain object with
   * the same keys; names that would reach Object.prototype are refused.
   */
  numberArrays(key: string): Record<string, number[]> {
    const v = this.entries.get(key);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.bad(key, 'an object of name → array of numbers', v);
    const out: Record<string, number[]> = {};
    for (const [name, values] of Object.entries(v)) {
      if (RESERVED_NAMES.has(name)) throw new ValueError(`${this.op}: ${key} holds the name '${name}', which is not allowed`);
      if (!Array.isArray(values)) this.bad(`${key}.${name}`, 'an array of numbers', values);
      out[name] = values.map((x: unknown, i) => this.toNumber(`${key}.${name}[${i}]`, x));
    }
    return out;
  }

  private toNumber(key: string, v: unknown): number {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && Object.hasOwn(NAMED, v)) return NAMED[v]!;
    return this.bad(key, "a finite number or one of 'Infinity', '-Infinity', 'NaN', '-0'", v);
  }
}

/** `v` shortened for an error message. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? typeof v;
  } catch {
    s = typeof v;
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
