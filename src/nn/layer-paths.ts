/**
 * Finding and swapping sublayers by name: what `layer.getLayer(name)`, `replaceHead` and
 * `lora.wrap` share. A sublayer's path is the chain of properties that reaches it (`dense3`,
 * `layers.2`, `blocks.0.attn`), as `namedLayers()` lists them.
 */
import { ValueError } from '../tensor/errors.js';
import type { Layer } from './layer.js';

/** Where a sublayer sits: the layer holding it, the property, and the array index if it is in an array. */
export interface SublayerSlot {
  /** The full path (`blocks.0.attn`). */
  path: string;
  /** The layer whose property holds it. */
  parent: Layer;
  /** The property name on `parent`. */
  key: string;
  /** The index in the array `parent[key]`, or null when the property holds the layer itself. */
  index: number | null;
  /** The layer there now. */
  layer: Layer;
}

/** The most paths an error message lists before it says how many more there are. */
const LISTED = 40;

/** `layers.0 (Dense 'dense'), layers.1 (Dropout 'dropout')…`, cut after LISTED entries. */
function listLayers(root: Layer): string {
  const all = root.namedLayers();
  if (all.length === 0) return 'it has no sublayers';
  const shown = all.slice(0, LISTED).map(([p, l]) => `${p} (${l.className} '${l.name}')`);
  const more = all.length > LISTED ? `, … and ${all.length - LISTED} more` : '';
  return `its layers are ${shown.join(', ')}${more}`;
}

/**
 * The sublayer of `root` at property path `name` (`'dense3'`, `'layers.2'`, `'blocks.0.attn'`),
 * else the one whose `layer.name` is `name` (`'dense_2'`). Throws a ValueError listing the
 * available paths when nothing matches, or the paths of all matches when a name is shared.
 */
export function findLayer(root: Layer, name: string): Layer {
  if (typeof name !== 'string' || name === '') {
    throw new ValueError(`${root.describe()}: getLayer expects a layer name or property path, got ${typeof name === 'string' ? "''" : typeof name}`);
  }
  const all = root.namedLayers();
  const byPath = all.find(([p]) => p === name);
  if (byPath) return byPath[1];
  const byName = all.filter(([, l]) => l.name === name);
  if (byName.length === 1) return byName[0]![1];
  if (byName.length > 1) {
    throw new ValueError(`${root.describe()}: ${byName.length} layers are named '${name}' (at ${byName.map(([p]) => p).join(', ')}); ask for one by its path`);
  }
  throw new ValueError(`${root.describe()}: no layer named '${name}' (by property path or layer name); ${listLayers(root)}`);
}

/** The property path of `layer` inside `root` (its first one, if it is reachable by several). */
export function pathOf(root: Layer, layer: Layer): string {
  const found = root.namedLayers().find(([, l]) => l === layer);
  if (!found) throw new ValueError(`${root.describe()}: ${layer.describe()} is not one of its sublayers`);
  return found[0];
}

/** The slot holding the sublayer at property path `path` (a path from `namedLayers()`). */
export function locateSublayer(root: Layer, path: string): SublayerSlot {
  const owners: [string, Layer][] = [['', root], ...root.namedLayers().map(([p, l]): [string, Layer] => [`${p}.`, l])];
  for (const [prefix, parent] of owners) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const child = parent.namedChildren().find(([k]) => k === rest);
    if (!child) continue;
    // namedChildren names an array element `key.i`; a plain property never holds a '.' here
    const dot = rest.lastIndexOf('.');
    const isElement = dot > 0 && /^\d+$/.test(rest.slice(dot + 1)) && Array.isArray((parent as unknown as Record<string, unknown>)[rest.slice(0, dot)]);
    return isElement
      ? { path, parent, key: rest.slice(0, dot), index: Number(rest.slice(dot + 1)), layer: child[1] }
      : { path, parent, key: rest, index: null, layer: child[1] };
  }
  throw new ValueError(`${root.describe()}: no sublayer at '${path}'; ${listLayers(root)}`);
}

/**
 * Puts `layer` in the slot at `path` (the property or array element that held the old one) and
 * returns the old layer. Models read their sublayers from these properties when they run, so the
 * new layer is the one called from then on.
 */
export function replaceSublayer(root: Layer, path: string, layer: Layer): Layer {
  const slot = locateSublayer(root, path);
  const holder = slot.parent as unknown as Record<string, unknown>;
  if (slot.index === null) {
    holder[slot.key] = layer;
  } else {
    (holder[slot.key] as unknown[])[slot.index] = layer;
  }
  return slot.layer;
}
