/**
 * A snapshot of the objects every program shares: the built-in constructors and their
 * prototypes, and the global object. Prototype pollution (`Object.prototype.toString` replaced,
 * `Object.x` added, a global defined) shows up as a difference between two snapshots.
 */

interface Prop {
  value: unknown;
  get: unknown;
  set: unknown;
  flags: string;
}

/** What was recorded of one object: its prototype and its own properties. */
interface Entry {
  label: string;
  target: object;
  proto: object | null;
  props: Map<string | symbol, Prop>;
}

/** A recorded state of the shared objects. */
export type GlobalSnapshot = Entry[];

const BUILT_INS: [string, object][] = [
  ['Object', Object], ['Array', Array], ['Function', Function], ['String', String], ['Number', Number],
  ['Boolean', Boolean], ['Symbol', Symbol], ['BigInt', BigInt], ['Promise', Promise], ['Map', Map], ['Set', Set],
  ['WeakMap', WeakMap], ['WeakSet', WeakSet], ['RegExp', RegExp], ['Error', Error], ['TypeError', TypeError],
  ['RangeError', RangeError], ['SyntaxError', SyntaxError], ['Date', Date], ['ArrayBuffer', ArrayBuffer],
  ['DataView', DataView], ['Uint8Array', Uint8Array], ['Int32Array', Int32Array], ['Float32Array', Float32Array],
  ['Float64Array', Float64Array], ['Buffer', Buffer],
];

function record(label: string, target: object): Entry {
  const props = new Map<string | symbol, Prop>();
  for (const key of Reflect.ownKeys(target)) {
    const d = Reflect.getOwnPropertyDescriptor(target, key);
    if (d === undefined) continue;
    props.set(key, { value: d.value, get: d.get, set: d.set, flags: `${d.writable}${d.enumerable}${d.configurable}` });
  }
  return { label, target, proto: Reflect.getPrototypeOf(target), props };
}

/** Records the built-ins, their prototypes (typed arrays' shared one too), JSON, Math and globalThis. */
export function snapshotGlobals(): GlobalSnapshot {
  const out: Entry[] = [];
  for (const [name, ctor] of BUILT_INS) {
    out.push(record(name, ctor));
    const proto = (ctor as { prototype?: unknown }).prototype;
    if (typeof proto === 'object' && proto !== null) out.push(record(`${name}.prototype`, proto));
  }
  const typedArray = Reflect.getPrototypeOf(Uint8Array) as object;
  out.push(record('TypedArray', typedArray), record('TypedArray.prototype', (typedArray as { prototype: object }).prototype));
  out.push(record('JSON', JSON), record('Math', Math), record('Reflect', Reflect), record('globalThis', globalThis));
  return out;
}

const keyName = (k: string | symbol): string => (typeof k === 'symbol' ? k.toString() : k);

/** The differences between a snapshot and the objects now, as readable lines (empty: unchanged). */
export function diffGlobals(before: GlobalSnapshot): string[] {
  const changes: string[] = [];
  for (const entry of before) {
    const now = record(entry.label, entry.target);
    if (now.proto !== entry.proto) changes.push(`${entry.label}: its prototype was replaced`);
    for (const [key, p] of now.props) {
      const old = entry.props.get(key);
      if (old === undefined) changes.push(`${entry.label}.${keyName(key)} was added`);
      else if (!Object.is(old.value, p.value) || old.get !== p.get || old.set !== p.set || old.flags !== p.flags) {
        changes.push(`${entry.label}.${keyName(key)} was changed`);
      }
    }
    for (const key of entry.props.keys()) if (!now.props.has(key)) changes.push(`${entry.label}.${keyName(key)} was removed`);
  }
  return changes;
}
