import { ValueError } from '../tensor/errors.js';

/** Reads a positive integer option, with a clear error naming the flag. */
export function intOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ValueError(`--${flag} must be a positive integer, got '${value}'`);
  return n;
}

/** Reads a positive number option. */
export function numberOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ValueError(`--${flag} must be a positive number, got '${value}'`);
  return n;
}

/** The value of `--model NAME` or `--model=NAME` in `argv`, if given (which train command runs depends on it). */
export function modelFlag(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a, k) => a.startsWith('--model=') || (k > 0 && argv[k - 1] === '--model'));
  return i < 0 ? undefined : argv[i]!.replace(/^--model=/, '');
}
