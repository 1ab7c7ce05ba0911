/**
 * One typed validator for the options that layers, initializers and regularizers are built from,
 * whether written in code or read from a `model.json`. JavaScript coerces: `!(eps > 0)` lets the
 * string `"0.001"` and the array `[0.001]` through, and the layer then outputs NaN. These checks
 * never coerce: a number is a finite `number`, an integer a whole one, a boolean `true` or
 * `false`, a choice one of its listed values, a shape an array of integers. Every error names the
 * owner, the option, what was given and what is expected:
 * `LayerNormalization: epsilon must be a positive number, got the string "0.001"`.
 */
import { ValueError } from '../tensor/errors.js';
import { Registry } from '../tensor/registry.js';

/** Bounds on a number: `gt` or `ge` below, `lt` or `le` above (each optional). */
export interface Bounds {
  gt?: number;
  ge?: number;
  lt?: number;
  le?: number;
}

/**
 * A value as a message shows it: `the string "0.001"`, `the array [0.001]`, `the boolean true`,
 * `NaN`, `-1`, `null`. Bounded in depth and length: a hostile file's deeply nested value must not
 * overflow the stack, or fill the screen, while its error is written.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string ${preview(value, 0)}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return `the array ${preview(value, 2)}`;
  if (value !== null && typeof value === 'object') return `the object ${preview(value, 2)}`;
  return preview(value, 0);
}

/** `value` written out, at most `depth` levels of arrays and objects deep and a few items each. */
function preview(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'nothing';
  if (typeof value !== 'object' || value === null) return String(value);
  if (depth < 0) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, 6).map((v: unknown) => preview(v, depth - 1));
    return `[${items.join(', ')}${value.length > 6 ? ', …' : ''}]`;
  }
  const keys = Object.keys(value);
  const items = keys.slice(0, 4).map((k) => `${JSON.stringify(k.slice(0, 40))}: ${preview((value as Record<string, unknown>)[k], depth - 1)}`);
  return `{${items.join(', ')}${keys.length > 4 ? ', …' : ''}}`;
}

/** `'> 0'`, `'≥ 1'`, `'in [0, 1)'`: the bounds as a message writes them ('' when none). */
function boundsText(b: Bounds): string {
  const lo = b.gt ?? b.ge;
  const hi = b.lt ?? b.le;
  if (lo !== undefined && hi !== undefined) return `in ${b.gt !== undefined ? '(' : '['}${lo}, ${hi}${b.lt !== undefined ? ')' : ']'}`;
  if (lo !== undefined) return `${b.gt !== undefined ? '>' : '≥'} ${lo}`;
  if (hi !== undefined) return `${b.lt !== undefined ? '<' : '≤'} ${hi}`;
  return '';
}

function withinBounds(v: number, b: Bounds): boolean {
  return !(
    (b.gt !== undefined && !(v > b.gt)) || (b.ge !== undefined && !(v >= b.ge)) ||
    (b.lt !== undefined && !(v < b.lt)) || (b.le !== undefined && !(v <= b.le))
  );
}

const onlyLower = (b: Bounds, key: 'gt' | 'ge', at: number): boolean =>
  b[key] === at && Object.keys(b).filter((k) => b[k as keyof Bounds] !== undefined).length === 1;

/** What a number option expects, in words: `a positive number`, `a number in [0, 1)`. */
export function numberText(b: Bounds = {}): string {
  if (onlyLower(b, 'gt', 0)) return 'a positive number';
  if (onlyLower(b, 'ge', 0)) return 'a non-negative number';
  const text = boundsText(b);
  // a range between two bounds says "finite" by itself
  if (text.startsWith('in ')) return `a number ${text}`;
  return text ? `a finite number ${text}` : 'a finite number';
}

/** What an integer option expects, in words: `a positive integer`, `an integer in [0, 3]`. */
export function integerText(b: Bounds = {}): string {
  if (onlyLower(b, 'ge', 1) || onlyLower(b, 'gt', 0)) return 'a positive integer';
  if (onlyLower(b, 'ge', 0)) return 'a non-negative integer';
  const text = boundsText(b);
  return text ? `an integer ${text}` : 'an integer';
}

/** The error for option `option` of `who`: `${who}: ${option} must be ${expected}, got ${value}`. */
export function optionError(who: string, option: string, expected: string, value: unknown): ValueError {
  return new ValueError(`${who}: ${option} must be ${expected}, got ${describeValue(value)}`);
}

/** A finite number (`typeof` number: never a numeric string, an array or a boolean) within `bounds`. */
export function checkNumber(who: string, option: string, value: unknown, bounds: Bounds = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !withinBounds(value, bounds)) throw optionError(who, option, numberText(bounds), value);
  return value;
}

/** A whole number within `bounds`. */
export function checkInteger(who: string, option: string, value: unknown, bounds: Bounds = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || !withinBounds(value, bounds)) throw optionError(who, option, integerText(bounds), value);
  return value;
}

/** `true` or `false` (never 0, 1 or a string). */
export function checkBoolean(who: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw optionError(who, option, 'true or false', value);
  return value;
}

/** `'a' or 'b'`, `one of 'a', 'b', 'c'`, `one of 'a', 'b' or null`: a list of choices in words. */
export function choicesText(allowed: readonly unknown[]): string {
  const shown = allowed.map((a) => (typeof a === 'string' ? `'${a}'` : String(a)));
  if (shown.length === 2) return `${shown[0]} or ${shown[1]}`;
  if (allowed.includes(null)) return `one of ${shown.filter((s) => s !== 'null').join(', ')} or null`;
  return `one of ${shown.join(', ')}`;
}

/** One of `allowed` (compared exactly; the error lists them). */
export function checkOneOf<const T>(who: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    // a string of the right type but not a choice is shown as it is; anything else with its type
    const got = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : describeValue(value);
    throw new ValueError(`${who}: ${option} must be ${choicesText(allowed)}, got ${got}`);
  }
  return value as T;
}

/** A random seed: a finite number (the generator uses its integer part), or null for the global generator. */
export function checkSeed(who: string, option: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw optionError(who, option, 'a finite number or null', value);
  return value;
}

/**
 * An array of integers within `bounds` (a shape, a tuple of sizes), of `length` entries when
 * given. Returns a copy.
 */
export function checkIntegerList(who: string, option: string, value: unknown, bounds: Bounds = {}, length?: number): number[] {
  const ok = Array.isArray(value) && (length === undefined || value.length === length) &&
    value.every((d: unknown) => typeof d === 'number' && Number.isInteger(d) && withinBounds(d, bounds));
  if (!ok) {
    const count = length === undefined ? 'an array' : `an array of ${length}`;
    throw optionError(who, option, `${count} of ${integerText(bounds).replace(/^an? /, '')}s`, value);
  }
  return (value as number[]).slice();
}

/** A plain object (not null, not an array): a config, or a layer's options. */
export function checkRecord(who: string, option: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw optionError(who, option, 'an object', value);
  return value as Record<string, unknown>;
}

/**
 * Refuses keys of `config` that `accepted` does not list: a setting a layer does not know would
 * otherwise be dropped without a word (a misspelt `"epsilom"` silently leaves the default).
 * Keras refuses unknown arguments the same way. The error names the key, the nearest accepted
 * one, and all of them.
 */
export function checkConfigKeys(who: string, config: Record<string, unknown>, accepted: Iterable<string>): void {
  const known = new Set(accepted);
  const unknown = Object.keys(config).filter((k) => !known.has(k));
  if (unknown.length === 0) return;
  // the registry's messages give the did-you-mean; it matches names in any case and spelling
  const names = new Registry<true>({ kind: 'option', hint: 'Options are written as getConfig() writes them (camelCase).' });
  for (const k of known) names.register(k, true);
  const first = unknown[0]!;
  const more = unknown.length > 1 ? ` (also unknown: ${unknown.slice(1, 6).map((k) => `'${k.slice(0, 40)}'`).join(', ')})` : '';
  const message = names.unknown(first.length > 40 ? `${first.slice(0, 40)}…` : first).message;
  throw new ValueError(`${who}: ${message}${more}`);
}
