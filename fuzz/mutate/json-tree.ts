/**
 * JSON as an editable tree that can also hold what `JSON.stringify` cannot write: duplicate keys
 * (objects are entry lists), `__proto__` as a plain key, and raw literals (`1e999`, `-0`,
 * 100,000 levels of nesting) spliced in as text.
 */

/** A JSON value as the mutators edit it. */
export type JNode =
  | { t: 'obj'; entries: [string, JNode][] }
  | { t: 'arr'; items: JNode[] }
  | { t: 'raw'; text: string }
  | { t: 'val'; v: null | boolean | number | string };

/** The tree of a parsed JSON value (JSON.parse makes `__proto__` an own key, kept here as one). */
export function fromValue(v: unknown): JNode {
  if (Array.isArray(v)) return { t: 'arr', items: v.map(fromValue) };
  if (typeof v === 'object' && v !== null) {
    return { t: 'obj', entries: Object.keys(v).map((k): [string, JNode] => [k, fromValue((v as Record<string, unknown>)[k])]) };
  }
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return { t: 'val', v };
  return { t: 'val', v: null };
}

/**
 * JSON text of a tree; `indent` 0 writes it on one line. `budget` bounds the characters written
 * over the whole call (shared subtrees count each time they are written): past it a RangeError,
 * like V8's own at its string limit, so that a tree standing for gigabytes fails fast.
 */
export function toText(node: JNode, indent = 0, depth = 0, budget = { left: 64 * 1024 * 1024 }): string {
  let out: string;
  switch (node.t) {
    case 'raw':
      out = node.text;
      break;
    case 'val':
      out = typeof node.v === 'number' && !Number.isFinite(node.v) ? 'null' : JSON.stringify(node.v);
      break;
    case 'arr': {
      if (node.items.length === 0) return '[]';
      const [open, sep, close] = layout(indent, depth);
      out = `[${open}${node.items.map((x) => toText(x, indent, depth + 1, budget)).join(sep)}${close}]`;
      break;
    }
    case 'obj': {
      if (node.entries.length === 0) return '{}';
      const [open, sep, close] = layout(indent, depth);
      const colon = indent > 0 ? ': ' : ':';
      out = `{${open}${node.entries.map(([k, x]) => `${JSON.stringify(k)}${colon}${toText(x, indent, depth + 1, budget)}`).join(sep)}${close}}`;
      break;
    }
  }
  budget.left -= out.length;
  if (budget.left < 0) throw new RangeError('toText: the document would exceed the fuzzer\'s size budget');
  return out;
}

function layout(indent: number, depth: number): [string, string, string] {
  if (indent === 0) return ['', ',', ''];
  const inner = '\n' + ' '.repeat(indent * (depth + 1));
  return [inner, ',' + inner, '\n' + ' '.repeat(indent * depth)];
}

/** A place in a tree: the node, and how its parent holds it (null for the root). */
export interface Slot {
  node: JNode;
  parent: JNode | null;
  /** The entry or item index in the parent. */
  index: number;
  /** The object key that holds it, or null (array item or root). */
  key: string | null;
}

/** Every node of a tree with its place. */
export function slots(root: JNode): Slot[] {
  const out: Slot[] = [{ node: root, parent: null, index: 0, key: null }];
  for (let i = 0; i < out.length; i++) {
    const { node } = out[i]!;
    if (node.t === 'obj') node.entries.forEach(([k, child], index) => out.push({ node: child, parent: node, index, key: k }));
    else if (node.t === 'arr') node.items.forEach((child, index) => out.push({ node: child, parent: node, index, key: null }));
  }
  return out;
}

/** Puts `value` where `slot` is; returns the new root when the slot was the root. */
export function replaceAt(root: JNode, slot: Slot, value: JNode): JNode {
  if (slot.parent === null) return value;
  if (slot.parent.t === 'obj') slot.parent.entries[slot.index]![1] = value;
  else if (slot.parent.t === 'arr') slot.parent.items[slot.index] = value;
  return root;
}

/** A raw literal. */
export const raw = (text: string): JNode => ({ t: 'raw', text });
/** A plain value. */
export const val = (v: null | boolean | number | string): JNode => ({ t: 'val', v });
/** An object from entries. */
export const obj = (...entries: [string, JNode][]): JNode => ({ t: 'obj', entries });
/** An array. */
export const arr = (...items: JNode[]): JNode => ({ t: 'arr', items });

/**
 * About how many characters `toText(node)` writes (compact; indentation not counted). Edits
 * share subtrees, so a tree can stand for far more text than it holds — 10,000 copies of an
 * array of 10,000 copies — and writing it would take minutes: sizes are memoised per node.
 */
export function textSize(node: JNode, memo = new Map<JNode, number>()): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  let n: number;
  switch (node.t) {
    case 'raw':
      n = node.text.length;
      break;
    case 'val':
      n = typeof node.v === 'string' ? node.v.length + 2 : 8;
      break;
    case 'arr':
      n = 2 + node.items.reduce((s, x) => s + 1 + textSize(x, memo), 0);
      break;
    case 'obj':
      n = 2 + node.entries.reduce((s, [k, x]) => s + k.length + 4 + textSize(x, memo), 0);
      break;
  }
  memo.set(node, n);
  return n;
}
