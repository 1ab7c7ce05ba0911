import { FormatError } from '../../formats/errors.js';
import { compareCodePoints } from '../../nn/layers/text/code-points.js';
import { warn } from '../../tensor/warn.js';

/** A label as a file gives it, with the line it is on (for errors). */
export interface RawLabel {
  value: string;
  line: number;
}

/** Class indices of the rows and the name of each class. */
export interface ClassLabels {
  labels: Int32Array;
  /** `classNames[k]` names class `k`. */
  classNames: string[];
}

const CLASS_NUMBER = /^\d+$/;
// more classes than any classifier here would have: a number this large is an id, not a class
const MAX_CLASSES = 1_000_000;

/**
 * Class indices from the labels of a file (`where` names it in errors), after trimming spaces:
 * - all labels whole numbers ≥ 0: they are the class indices (classes 0..max; a class no row
 *   has is kept, with a warning naming it, so that the numbers keep their meaning);
 * - other numbers (`-1`, `1`, `0.5`): names, ordered by value;
 * - otherwise names, sorted by code point (as Python's `sorted`, Keras' class order).
 * An empty label, numbers mixed with names, and names that differ only in case (`pos`, `Pos`)
 * are `FormatError`s naming the lines.
 *
 * @example
 * classLabels([{ value: 'pos', line: 2 }, { value: 'neg', line: 3 }], 'f.tsv')
 * // { labels: Int32Array [1, 0], classNames: ['neg', 'pos'] }
 */
export function classLabels(raw: readonly RawLabel[], where: string): ClassLabels {
  const values = raw.map((r) => r.value.trim());
  const empty = values.indexOf('');
  if (empty >= 0) throw new FormatError(`${where} line ${raw[empty]!.line}: the label is empty; give every row a label`);
  if (values.every((v) => CLASS_NUMBER.test(v))) return classNumbers(values, raw, where);
  const numeric = values.map((v) => Number.isFinite(Number(v)));
  const firstNumber = numeric.indexOf(true);
  const firstName = numeric.indexOf(false);
  if (firstNumber >= 0 && firstName >= 0) {
    throw new FormatError(
      `${where}: labels mix numbers and names (line ${raw[firstNumber]!.line} has ${JSON.stringify(values[firstNumber])}, ` +
        `line ${raw[firstName]!.line} has ${JSON.stringify(values[firstName])}); give every row a class number (0, 1, …) or every row a name`,
    );
  }
  const firstLine = new Map<string, number>();
  values.forEach((v, i) => firstLine.has(v) || firstLine.set(v, raw[i]!.line));
  const names = [...firstLine.keys()];
  checkSpellings(names, firstLine, where, firstNumber >= 0);
  names.sort(firstNumber >= 0 ? (a, b) => Number(a) - Number(b) : compareCodePoints);
  const index = new Map(names.map((name, k) => [name, k]));
  return { labels: Int32Array.from(values, (v) => index.get(v)!), classNames: names };
}

function classNumbers(values: string[], raw: readonly RawLabel[], where: string): ClassLabels {
  const labels = new Int32Array(values.length);
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const k = Number(values[i]);
    if (k >= MAX_CLASSES) {
      throw new FormatError(`${where} line ${raw[i]!.line}: label ${values[i]} is too large for a class number (classes are counted 0, 1, …); renumber the classes from 0`);
    }
    labels[i] = k;
    if (k > max) max = k;
  }
  const seen = new Uint8Array(max + 1);
  for (const k of labels) seen[k] = 1;
  const missing = [...seen.keys()].filter((k) => seen[k] === 0);
  if (missing.length > 0) {
    const list = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, … (${missing.length} in all)` : '');
    warn(
      `${where}: no row has class ${list}; the labels run from 0 to ${max}, so a model gets ${max + 1} outputs and never learns ` +
        `${missing.length === 1 ? 'that one' : 'those'}. Renumber the classes 0..K-1, or write the labels as names`,
    );
  }
  return { labels, classNames: Array.from({ length: max + 1 }, (_, k) => String(k)) };
}

/** Two labels that differ only in case, or two ways of writing one number, are a typo in the data. */
function checkSpellings(names: readonly string[], firstLine: ReadonlyMap<string, number>, where: string, numeric: boolean): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = numeric ? String(Number(name)) : name.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      const how = numeric ? 'are the same number written two ways' : 'differ only in case';
      throw new FormatError(
        `${where}: labels ${JSON.stringify(other)} (line ${firstLine.get(other)}) and ${JSON.stringify(name)} (line ${firstLine.get(name)}) ${how}; write each class one way`,
      );
    }
    seen.set(key, name);
  }
}
