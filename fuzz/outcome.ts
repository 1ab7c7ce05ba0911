/**
 * What one case came to, and the rule that decides it. A load either succeeds ("accepted") or
 * throws one of nabla's own error classes with a message ("clean"). Everything else is a finding:
 * a raw TypeError/RangeError/SyntaxError (a "Maximum call stack" included) or any other error
 * class escaping from nabla, an empty message, a result that breaks its own contract, a changed
 * global prototype, a hang, a crash, or memory beyond the limit. A clean error whose message only
 * relays what the JS engine said inside a dependency (jpeg-js' "Cannot read properties of
 * undefined", wrapped by decodeImage) is counted apart, as "relayed", for a person to judge.
 */
import * as nb from '../src/index.js';

/** The kinds of finding. */
export type FindingKind = 'raw-error' | 'empty-message' | 'invariant' | 'pollution' | 'hang' | 'crash' | 'memory' | 'harness';

/** The result of one case. */
export type Outcome =
  | { kind: 'accepted' }
  | { kind: 'clean'; error: string; message: string; relayed: boolean }
  | { kind: 'finding'; finding: FindingKind; error: string; message: string; stack: string };

/**
 * A loaded result that breaks its contract (a tensor whose storage disagrees with its shape, an
 * image outside [0, 1]): the load "succeeded" with wrong data, which is a finding.
 */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** Throws an InvariantError when `ok` is false. */
export function check(ok: boolean, what: string): void {
  if (!ok) throw new InvariantError(what);
}

/**
 * nabla's own error classes: every exported class derived from Error, found by walking the public
 * API (`nb`, `nb.io`, `nb.data`, …), so a class added later is known without editing this list.
 */
export function frameworkErrorClasses(): Function[] {
  const found = new Set<Function>();
  const seen = new Set<unknown>();
  const walk = (ns: unknown, depth: number): void => {
    if (depth > 3 || typeof ns !== 'object' || ns === null || seen.has(ns)) return;
    seen.add(ns);
    for (const key of Object.keys(ns)) {
      const v = (ns as Record<string, unknown>)[key];
      if (typeof v === 'function' && v !== Error && v.prototype instanceof Error) found.add(v);
      else if (typeof v === 'object') walk(v, depth + 1);
    }
  };
  walk(nb, 0);
  return [...found];
}

// messages that only pass on what the JS engine said about a bug (a wrapped TypeError, a stack
// overflow): the class is ours but the user learns nothing about the file
const ENGINE_MESSAGES = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Maximum call stack|Invalid array length|Invalid typed array length|Array buffer allocation failed|undefined is not|null is not|Cannot convert|Invalid string length/;

/** Decides what a thrown value means (`classes`: nabla's error classes). */
export function classify(err: unknown, classes: readonly Function[]): Outcome {
  const e = err instanceof Error ? err : null;
  const error = e ? e.name || e.constructor.name : typeof err;
  const message = e ? String(e.message) : String(err);
  const stack = e?.stack ?? message;
  if (err instanceof InvariantError) return { kind: 'finding', finding: 'invariant', error, message, stack };
  if (!e || !classes.some((c) => err instanceof c)) return { kind: 'finding', finding: 'raw-error', error, message, stack };
  if (message.trim() === '') return { kind: 'finding', finding: 'empty-message', error, message, stack };
  return { kind: 'clean', error, message, relayed: ENGINE_MESSAGES.test(message) };
}
