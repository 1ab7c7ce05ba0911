/**
 * Things users pick by name — activations, initializers, regularizers, losses, optimizers,
 * metrics, layer classes — each kept in a `Registry`. One case rule for all of them: a name
 * matches case-insensitively and with or without underscores, so `'glorot_uniform'`,
 * `'glorotUniform'` and `'GlorotUniform'` are one name. One error for a name that is not there:
 * `Unknown loss 'x'. Valid: a, b, c.`, with a suggestion when the name is one typo away.
 */
import { ValueError } from './errors.js';

/**
 * The form in which names are compared: lowercased, underscores removed
 * (`'glorot_uniform'` → `'glorotuniform'`).
 */
export function lookupKey(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

// Every JavaScript object has these; a name file that says `"loss": "constructor"` must not
// reach Object or Object.prototype through a lookup written with a plain object some day.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype'].map(lookupKey));

interface Entry<T> {
  name: string;
  value: T;
  aliases: string[];
}

/** Options of a `Registry`. */
export interface RegistryOptions {
  /** What the values are, for messages: `'activation'`, `'layer class'`. */
  kind: string;
  /** Said after the valid names when a lookup fails: what else the caller may pass. */
  hint?: string;
}

/**
 * Names → values, in the order registered, with aliases (`'mse'` for `'meanSquaredError'`).
 * Registering a name again replaces its value.
 *
 * @example
 * const r = new Registry<number>({ kind: 'size' });
 * r.register('extraLarge', 40);
 * r.get('EXTRA_LARGE') // 40
 * r.get('extraLarg')   // ValueError: Unknown size 'extraLarg'. Valid: extraLarge. Did you mean 'extraLarge'?
 */
export class Registry<T> {
  /** What the values are, for messages. */
  readonly kind: string;
  private readonly hint: string;
  private readonly entries: Entry<T>[] = [];
  private readonly byKey = new Map<string, Entry<T>>();

  constructor(opts: RegistryOptions) {
    this.kind = opts.kind;
    this.hint = opts.hint ?? '';
  }

  /** Makes `value` findable as `name`; a name already registered (in any spelling) is replaced. */
  register(name: string, value: T): void {
    const key = this.checkName(name);
    const existing = this.byKey.get(key);
    if (existing && lookupKey(existing.name) === key) {
      existing.name = name;
      existing.value = value;
      return;
    }
    // an alias of another entry becomes a name of its own
    if (existing) existing.aliases = existing.aliases.filter((a) => lookupKey(a) !== key);
    const entry: Entry<T> = { name, value, aliases: [] };
    this.entries.push(entry);
    this.byKey.set(key, entry);
  }

  /** Makes `alias` a second name of the registered `name` (listed beside it: `meanSquaredError (mse)`). */
  alias(alias: string, name: string): void {
    const entry = this.byKey.get(lookupKey(name));
    if (!entry) throw this.unknown(name);
    const key = this.checkName(alias);
    if (this.byKey.has(key)) throw new ValueError(`${this.kind} '${alias}' is already registered`);
    entry.aliases.push(alias);
    this.byKey.set(key, entry);
  }

  /** The value registered as `name` (any spelling), or undefined. */
  find(name: string): T | undefined {
    return typeof name === 'string' ? this.byKey.get(lookupKey(name))?.value : undefined;
  }

  /** The value registered as `name` (any spelling); a ValueError listing the valid names if none. */
  get(name: string): T {
    const entry = typeof name === 'string' ? this.byKey.get(lookupKey(name)) : undefined;
    if (!entry) throw this.unknown(name);
    return entry.value;
  }

  /** True when `name` (any spelling) is registered. */
  has(name: string): boolean {
    return typeof name === 'string' && this.byKey.has(lookupKey(name));
  }

  /** Every name a lookup accepts as registered, each followed by its aliases. */
  names(): string[] {
    return this.entries.flatMap((e) => [e.name, ...e.aliases]);
  }

  /** The names as messages list them, aliases in brackets: `'meanSquaredError (mse), huber'`. */
  listing(): string {
    return this.entries.map((e) => (e.aliases.length ? `${e.name} (${e.aliases.join(', ')})` : e.name)).join(', ');
  }

  /** Each registered name and its value, in order (aliases left out). */
  list(): [string, T][] {
    return this.entries.map((e) => [e.name, e.value]);
  }

  /** The first name under which `value` is registered, or undefined. */
  nameOf(value: T): string | undefined {
    return this.entries.find((e) => e.value === value)?.name;
  }

  /** The error for a name that is not registered: the valid names, and the near ones. */
  unknown(name: unknown): ValueError {
    const shown = typeof name === 'string' ? `'${name}'` : String(name);
    const valid = this.listing();
    const near = typeof name === 'string' ? this.near(name) : [];
    const suggestion = near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
    return new ValueError(`Unknown ${this.kind} ${shown}. Valid: ${valid || '(none registered)'}.${suggestion}${this.hint ? ` ${this.hint}` : ''}`);
  }

  private checkName(name: string): string {
    if (typeof name !== 'string' || lookupKey(name) === '') {
      throw new ValueError(`a ${this.kind} name must be a non-empty string, got ${typeof name === 'string' ? `'${name}'` : typeof name}`);
    }
    const key = lookupKey(name);
    if (RESERVED.has(key)) throw new ValueError(`'${name}' cannot name a ${this.kind}: __proto__, constructor and prototype are refused as names`);
    return key;
  }

  /** The names (aliases included) closest to `name`, one typo per four letters at most. */
  private near(name: string): string[] {
    const key = lookupKey(name);
    const limit = Math.max(1, Math.floor(key.length / 4));
    let best = limit;
    let found: string[] = [];
    for (const n of this.names()) {
      const d = editDistance(key, lookupKey(n));
      if (d < best) [best, found] = [d, [n]];
      else if (d === best) found.push(n);
    }
    return found;
  }
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
