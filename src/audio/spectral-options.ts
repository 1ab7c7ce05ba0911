/**
 * The checks of the spectral features' options: each names the function, the option, what it
 * must be and the value it got ("spectrogram: nFft (400) must be at least winLength (512)").
 * Values are never coerced: a string where a number goes is an error, not a number.
 */
import { ValueError } from '../tensor/errors.js';

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** An integer ≥ `min` (default 1), or the fallback when undefined. */
export function intOption(who: string, name: string, v: unknown, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${who}: ${name} must be an integer ≥ ${min}, got ${show(v)}`);
  }
  return v;
}

/** A finite number, or the fallback when undefined. */
export function numberOption(who: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${who}: ${name} must be a finite number, got ${show(v)}`);
  return v;
}

/** A boolean, or the fallback when undefined. */
export function boolOption(who: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ValueError(`${who}: ${name} must be true or false, got ${show(v)}`);
  return v;
}

/** One of `choices` (null among them when listed), or the fallback when undefined. */
export function choiceOption<T extends string | null>(who: string, name: string, v: unknown, choices: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!(choices as readonly unknown[]).includes(v)) {
    throw new ValueError(`${who}: ${name} must be one of ${choices.map((c) => (c === null ? 'null' : `'${c}'`)).join(', ')}; got ${show(v)}`);
  }
  return v as T;
}

/** Refuses keys a function does not know, so a misspelt option (`nfft`) is not silently ignored. */
export function checkKeys(who: string, opts: object, known: readonly string[]): void {
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) throw new ValueError(`${who}: unknown option '${key}'. Valid: ${known.join(', ')}`);
  }
}
