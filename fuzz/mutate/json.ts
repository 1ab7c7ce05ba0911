/**
 * Structure-aware mutations of JSON documents (model.json, checkpoint.json, tokenizer files,
 * safetensors headers): values replaced by hostile ones or by ones aimed at their key, types
 * changed, keys renamed to prototype names, entries removed, added or duplicated, whole documents
 * replaced by deep nesting.
 */
import type { Rng } from '../rng.js';
import { mutateBytes } from './bytes.js';
import { hasHint, hintFor, hostileKey, hostileValue } from './hostile.js';
import { arr, fromValue, obj, raw, replaceAt, slots, textSize, toText, val, type JNode, type Slot } from './json-tree.js';

/** Cases larger than this (characters) are not written: stacked copies could make gigabytes. */
const MAX_TEXT = 32 * 1024 * 1024;

/** A changed copy of `node` of another type or magnitude (number ↔ string, scalar ↔ array…). */
function retype(rng: Rng, node: JNode): JNode {
  if (node.t === 'val') {
    const v = node.v;
    if (typeof v === 'number') {
      return rng.pick<() => JNode>([
        () => val(String(v)), () => arr(val(v)), () => val(-v), () => val(v + 1), () => val(v - 1), () => val(v * 1000),
        () => val(v / 3), () => raw(`${v}e999`), () => val(v !== 0), () => raw(v === 0 ? '-0' : '0'),
      ])();
    }
    if (typeof v === 'boolean') return rng.pick([val(v ? 1 : 0), val(String(v)), val(null), arr(val(v))]);
    if (typeof v === 'string') {
      return rng.pick<() => JNode>([
        () => val(Number(v) || 0), () => arr(val(v)), () => val(v + v), () => val(v.slice(0, Math.max(0, v.length - 1))),
        () => val(v.toUpperCase()), () => val(`${v}.__proto__`), () => val(v.repeat(1000)), () => val(null),
      ])();
    }
    return hostileValue(rng);
  }
  if (node.t === 'arr') {
    return rng.pick<() => JNode>([
      () => arr(), () => arr(...node.items.slice(1)), () => arr(...node.items, ...node.items), () => arr(node),
      () => obj(...node.items.map((x, i): [string, JNode] => [String(i), x])), () => (node.items[0] ?? val(null)),
      () => arr(...Array.from({ length: rng.pick([100, 10_000]) }, () => node.items[0] ?? val(0))),
    ])();
  }
  if (node.t === 'obj') return rng.pick([arr(...node.entries.map(([, x]) => x)), obj(), obj(...node.entries.slice(1)), arr(node)]);
  return hostileValue(rng);
}

/** The entries of a random object slot, or null when the tree has no object. */
function randomObject(rng: Rng, all: Slot[]): Extract<JNode, { t: 'obj' }> | null {
  const objects = all.map((s) => s.node).filter((n): n is Extract<JNode, { t: 'obj' }> => n.t === 'obj');
  return objects.length === 0 ? null : rng.pick(objects);
}

/** One structural edit of a JSON tree; returns the (possibly new) root. */
export function mutateTree(rng: Rng, root: JNode): JNode {
  const all = slots(root);
  const slot = rng.pick(all);
  switch (rng.weighted([[30, 'aimed'], [15, 'retype'], [15, 'hostile'], [10, 'rename'], [10, 'remove'], [8, 'add'], [6, 'duplicate'], [3, 'whole'], [3, 'inner']] as const)) {
    case 'aimed': {
      // a slot whose key has known hostile values, when there is one
      const keyed = all.filter((s) => hasHint(s.key));
      const target = keyed.length > 0 ? rng.pick(keyed) : slot;
      return replaceAt(root, target, hintFor(rng, target.key) ?? hostileValue(rng));
    }
    case 'retype':
      return replaceAt(root, slot, retype(rng, slot.node));
    case 'hostile':
      return replaceAt(root, slot, hostileValue(rng));
    case 'rename': {
      const o = randomObject(rng, all);
      if (o === null || o.entries.length === 0) return replaceAt(root, slot, hostileValue(rng));
      const e = rng.pick(o.entries);
      e[0] = rng.chance(0.7) ? hostileKey(rng) : rng.pick(o.entries)[0];
      return root;
    }
    case 'remove': {
      if (slot.parent?.t === 'obj') slot.parent.entries.splice(slot.index, 1);
      else if (slot.parent?.t === 'arr') slot.parent.items.splice(slot.index, 1);
      else return rng.pick([obj(), arr(), val(null)]);
      return root;
    }
    case 'add': {
      const o = randomObject(rng, all);
      if (o === null) return replaceAt(root, slot, arr(slot.node, hostileValue(rng)));
      o.entries.splice(rng.int(o.entries.length + 1), 0, [hostileKey(rng), hostileValue(rng)]);
      return root;
    }
    case 'duplicate': {
      // the same key twice: JSON.parse keeps the last, a streaming reader may keep the first
      const o = randomObject(rng, all);
      if (o === null || o.entries.length === 0) return root;
      const [k, v] = rng.pick(o.entries);
      o.entries.push([k, rng.chance(0.5) ? hostileValue(rng) : retype(rng, v)]);
      return root;
    }
    case 'whole':
      return rng.pick([val(null), arr(), val('model'), raw('['.repeat(100_000) + ']'.repeat(100_000)), arr(root), obj(['__proto__', root])]);
    case 'inner': {
      // a string that holds JSON (a safetensors metadata value) is mutated as JSON too
      const strings = all.filter((s) => s.node.t === 'val' && typeof s.node.v === 'string' && /^\s*[[{]/.test(s.node.v));
      if (strings.length === 0) return replaceAt(root, slot, hostileValue(rng));
      const target = rng.pick(strings);
      const inner = mutateJsonText(rng, (target.node as { v: string }).v, 0);
      return replaceAt(root, target, val(inner));
    }
  }
}

/**
 * A mutated copy of a JSON document's text: one to three tree edits, written compact or indented;
 * text that does not parse, and now and then text that does, gets a byte mutation instead.
 */
export function mutateJsonText(rng: Rng, text: string, indent = rng.pick([0, 1, 2])): string {
  let root: JNode;
  try {
    root = fromValue(JSON.parse(text));
  } catch {
    return new TextDecoder().decode(mutateBytes(rng, new TextEncoder().encode(text)));
  }
  for (let k = rng.weighted([[70, 1], [20, 2], [10, 3]] as const); k > 0; k--) {
    root = mutateTree(rng, root);
    // stacked edits can copy large subtrees thousands of times, and the next edit walks every
    // copy: such a case falls back to a byte mutation (it took minutes, like a hang of the loader)
    if (textSize(root) > MAX_TEXT) return new TextDecoder().decode(mutateBytes(rng, new TextEncoder().encode(text)));
  }
  try {
    return toText(root, indent);
  } catch (err) {
    // stacked edits can copy a 100,000-character string thousands of times: past V8's string
    // limit the case falls back to a byte mutation rather than failing the fuzzer
    if (!(err instanceof RangeError)) throw err;
    return new TextDecoder().decode(mutateBytes(rng, new TextEncoder().encode(text)));
  }
}

/** `mutateJsonText` on the bytes of a JSON file (sometimes a plain byte mutation). */
export function mutateJsonBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  if (rng.chance(0.1)) return mutateBytes(rng, bytes);
  return new TextEncoder().encode(mutateJsonText(rng, new TextDecoder().decode(bytes)));
}
