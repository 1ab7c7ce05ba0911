/**
 * Checks on a parsed JSON file before anything reads it. `JSON.parse` itself takes any depth (V8
 * parses iteratively), but most code that walks a value afterwards recurses — `JSON.stringify`
 * in an error message, a validator, a config loader — and 100,000 nested `[` overflow the stack
 * there, far from the file that caused it. Bounding the depth once, right after parsing, makes
 * every later walk safe. The same pass finds `__proto__` keys, which nabla's own files never
 * hold and which turn an ordinary copy (`o[key] = value`, `Object.assign`) into a prototype change.
 */

/**
 * The deepest nesting accepted in a JSON file (the top-level value is depth 1). nabla's own
 * files stay far below it: a model.json of nested Sequentials with initializer configs reaches
 * about 10 levels per model.
 */
export const MAX_JSON_DEPTH = 256;

/** Options of {@link jsonTreeProblem}. */
export interface JsonTreeOptions {
  /**
   * Whether `__proto__` may be a key (default false). Allowed where keys are names chosen by the
   * data rather than by nabla (a safetensors header's tensor names): the caller then keeps them
   * as own properties or in Maps.
   */
  allowProtoKeys?: boolean;
  /** The deepest nesting accepted (default {@link MAX_JSON_DEPTH}). */
  maxDepth?: number;
}

interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | null;
  key: string | number;
}

/** `$.config.layers[0]`: where a value sits in the file, for messages. */
function pathOf(v: Visit): string {
  const parts: string[] = [];
  for (let at: Visit | null = v; at !== null && at.parent !== null; at = at.parent) {
    parts.push(typeof at.key === 'number' ? `[${at.key}]` : /^[A-Za-z_$][\w$]*$/.test(at.key) ? `.${at.key}` : `[${JSON.stringify(at.key)}]`);
  }
  return `$${parts.reverse().join('')}`;
}

/**
 * What is wrong with `value` (just parsed from a file), or null: it nests deeper than `maxDepth`,
 * or (unless allowed) has a `__proto__` key somewhere. Callers put it after the file's name in
 * their own error. Iterative, so it is safe on any depth itself.
 *
 * @example
 * const problem = jsonTreeProblem(JSON.parse(text));
 * if (problem !== null) throw new FormatError(`loadModel: ${path} ${problem}`);
 * // 'loadModel: m/model.json nests values more than 256 levels deep (at $.config[0][0]…); …'
 */
export function jsonTreeProblem(value: unknown, opts: JsonTreeOptions = {}): string | null {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  const stack: Visit[] = [{ value, depth: 1, parent: null, key: '' }];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (typeof v.value !== 'object' || v.value === null) continue;
    if (v.depth > maxDepth) return `nests values more than ${maxDepth} levels deep (at ${shortPath(v)}); no file nabla writes comes close, so it is damaged or hostile`;
    const children: [string | number, unknown][] = Array.isArray(v.value) ? v.value.map((x, i): [number, unknown] => [i, x]) : Object.entries(v.value);
    for (const [key, child] of children) {
      const visit: Visit = { value: child, depth: v.depth + 1, parent: v, key };
      if (key === '__proto__' && opts.allowProtoKeys !== true) {
        return `has a key '__proto__' (at ${shortPath(visit)}), which is refused: nabla never writes one, and copying it would change an object's prototype`;
      }
      if (typeof child === 'object' && child !== null) stack.push(visit);
    }
  }
  return null;
}

/** The path of `v`, its middle left out when it is long (a path 256 levels deep says nothing more). */
function shortPath(v: Visit): string {
  const full = pathOf(v);
  return full.length <= 60 ? full : `${full.slice(0, 40)}…${full.slice(-16)}`;
}
