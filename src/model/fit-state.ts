/**
 * What `fit({ checkpointDir })` keeps in a checkpoint's `extra.fit`, besides what saveCheckpoint
 * stores itself (weights, optimizer, the default generator): the shuffling seed, whether a
 * callback had stopped training, each callback's state (by position and class name), and the
 * states of the generators owned by the model's layers and by DataLoaders given to fit. Read
 * back from a file, so every part is checked before anything is restored.
 */
import type { JsonValue } from '../optim/optimizer.js';
import { FormatError } from '../formats/errors.js';
import { Generator } from '../tensor/random.js';
import type { GeneratorState } from '../data/data-loader.js';
import { ValueError } from '../tensor/errors.js';

/** One callback's entry: its class name, and its `getState()` or null when it has none. */
export interface SavedCallback {
  name: string;
  state: JsonValue | null;
}

/** The contents of `extra.fit`. */
export interface FitState {
  /** The seed of the tensor inputs' epoch orders (EpochBatches), or null. */
  shuffleSeed: number | null;
  /** Whether a callback had set `model.stopTraining` when the checkpoint was saved. */
  stopped: boolean;
  /** The user's callbacks, then History; null in checkpoints of older versions. */
  callbacks: SavedCallback[] | null;
  /** The layers' own generators, by `namedGenerators` path. */
  generators: Map<string, GeneratorState>;
  /** The shuffling state of a DataLoader given as training or validation data, or null. */
  loaders: { train: LoaderState | null; validation: LoaderState | null };
}

/** A DataLoader's `getState()`. */
export type LoaderState = { generator: GeneratorState | null };

/** A callback's class name, as the checkpoint records it ('Object' for a plain object). */
export function callbackName(cb: object): string {
  const proto: unknown = Object.getPrototypeOf(cb);
  const ctor = proto !== null && typeof proto === 'object' ? (proto as { constructor?: unknown }).constructor : undefined;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'Object';
}

/** Checks that `value`, returned by `what`, is JSON that round-trips: finite numbers, plain objects and arrays, no cycles. */
export function checkJsonState(value: unknown, what: string): JsonValue {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new ValueError(`${what} returned ${v} at ${path || 'the top'}; JSON has no ${v}: write it as a string or null`);
      return;
    }
    const proto: unknown = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    if (typeof v !== 'object' || !(Array.isArray(v) || proto === Object.prototype || proto === null)) {
      throw new ValueError(`${what} returned ${typeof v === 'object' ? callbackName(v) : typeof v} at ${path || 'the top'}; a state is JSON: numbers, strings, booleans, null, arrays and plain objects`);
    }
    if (seen.has(v)) throw new ValueError(`${what} returned an object that contains itself (at ${path || 'the top'})`);
    seen.add(v);
    for (const [k, item] of Object.entries(v)) visit(item, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`);
    seen.delete(v);
  };
  visit(value, '');
  return value as JsonValue;
}

/**
 * Reads `extra.fit` of the checkpoint in `dir`; `null` when the checkpoint has none (written by
 * saveCheckpoint directly). Throws a FormatError naming the malformed part.
 */
export function readFitState(extra: JsonValue, dir: string): FitState | null {
  const bad = (what: string): never => {
    throw new FormatError(`fit: the checkpoint in ${dir} ${what}`);
  };
  const fit = entries(extra)?.get('fit');
  if (fit === undefined) return null;
  const f = entries(fit) ?? bad('has a malformed extra.fit (not an object)');
  const seed = f.get('shuffleSeed') ?? null;
  if (seed !== null && (typeof seed !== 'number' || !Number.isFinite(seed))) return bad(`has a malformed shuffleSeed ${JSON.stringify(seed)}`);
  const stopped = f.get('stopped') ?? false;
  if (typeof stopped !== 'boolean') return bad('has a malformed stopped flag');

  const list = f.get('callbacks');
  let callbacks: SavedCallback[] | null = null;
  if (list !== undefined) {
    if (!Array.isArray(list)) return bad('has a malformed callback list');
    callbacks = list.map((item: JsonValue, i) => {
      const e = entries(item);
      const name = e?.get('name');
      const state = e?.get('state');
      if (typeof name !== 'string' || state === undefined) return bad(`has a malformed entry for callback ${i + 1}`);
      return { name, state };
    });
  }

  const generators = new Map<string, GeneratorState>();
  for (const [path, state] of entries(f.get('generators') ?? {}) ?? bad('has a malformed generators entry')) {
    generators.set(path, generatorState(state, `the generator of ${path}`, bad));
  }
  const loaders = entries(f.get('loaders') ?? {}) ?? bad('has a malformed loaders entry');
  const loader = (key: 'train' | 'validation'): LoaderState | null => {
    const v = loaders.get(key) ?? null;
    if (v === null) return null;
    const g = entries(v)?.get('generator');
    if (g === undefined) return bad(`has a malformed state of the ${key} DataLoader`);
    return { generator: g === null ? null : generatorState(g, `the ${key} DataLoader's generator`, bad) };
  };
  return { shuffleSeed: seed, stopped, callbacks, generators, loaders: { train: loader('train'), validation: loader('validation') } };
}

/** A checked generator state (Generator.setState's own check, on a scratch generator). */
function generatorState(state: JsonValue, what: string, bad: (what: string) => never): GeneratorState {
  try {
    const scratch = new Generator(0);
    scratch.setState(state as GeneratorState);
    return scratch.getState();
  } catch (err) {
    return bad(`has an invalid state for ${what}: ${(err as Error).message}`);
  }
}

/** The entries of a JSON object in a Map (its keys come from a file), or undefined when it is not one. */
function entries(v: JsonValue | undefined): Map<string, JsonValue> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  return new Map(Object.entries(v));
}
