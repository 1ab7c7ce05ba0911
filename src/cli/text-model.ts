/**
 * The text side of `nabla evaluate` and `nabla predict`: a model whose first layer takes texts
 * (a TextVectorization, as `nabla train --model text…` saves) is tested on a labelled TSV/CSV and
 * predicts texts given with `--text` or a file of one text per line.
 */
import { readTextFile } from '../data/datasets/read-text-file.js';
import { textTable } from '../data/datasets/text-table.js';
import type { Model } from '../model/model.js';
import type { Logs } from '../model/callbacks/callback.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../tensor/errors.js';
import { warn } from '../tensor/warn.js';
import { readTextColumns, readTrainedOn } from './trained-on.js';

/** Whether the model takes texts: its first layer (through nested models) has `encodeTexts`. */
export function takesTexts(model: Model): boolean {
  for (let layer = model.namedChildren()[0]?.[1]; layer !== undefined; layer = layer.namedChildren()[0]?.[1]) {
    if (typeof (layer as { encodeTexts?: unknown }).encodeTexts === 'function') return true;
  }
  return false;
}

/** Overrides of the columns recorded in model.json (`--text-column`, `--label-column`). */
export interface ColumnFlags {
  textColumn?: string;
  labelColumn?: string;
}

/** Labelled texts read for a model: labels as the model's class indices, and the class names. */
export interface ModelTexts {
  texts: string[];
  labels: Tensor;
  classNames: string[];
}

/**
 * Reads a labelled file for a text classifier, with the columns it was trained on (unless
 * `flags` name others). Labels are matched to the model's classes by name (model.json's
 * classNames), so a file holding only some of the classes, or naming them in another order, is
 * scored against the right outputs; a label the model does not know is an error. `who` names the
 * command in errors.
 */
export function readModelTexts(model: Model, dir: string, file: string, flags: ColumnFlags, who: string): ModelTexts {
  const recorded = readTextColumns(model, dir);
  const data = textTable(file, { textColumn: flags.textColumn ?? recorded.textColumn, labelColumn: flags.labelColumn ?? recorded.labelColumn });
  const names = readTrainedOn(model, dir).classNames;
  if (names === undefined) return data;
  const index = data.classNames.map((name) => {
    const at = names.indexOf(name);
    if (at < 0) throw new ValueError(`${who}: ${file} has the label '${name}', which is not one of the model's classes (${names.join(', ')}, from ${dir}/model.json)`);
    return at;
  });
  return { texts: data.texts, labels: tensor(Array.from(data.labels.data(), (k) => index[k]!), { dtype: 'int32' }), classNames: names };
}

/** Evaluates a text classifier on a labelled file (see `readModelTexts`). */
export async function evaluateTextFile(model: Model, dir: string, file: string, flags: ColumnFlags, batchSize: number): Promise<{ result: Logs; count: number }> {
  const data = readModelTexts(model, dir, file, flags, 'evaluate');
  const result = await model.evaluate(data.texts, data.labels, { batchSize });
  return { result, count: data.texts.length };
}

/**
 * The texts of `file`, one per line (LF or CRLF; a final line break ends the last line, it does
 * not start an empty one). Empty lines are inputs too, so that output line i answers input line i.
 */
export function readTextLines(file: string): string[] {
  const text = readTextFile(file, 'predict');
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new ValueError(`predict: ${file} is empty; give one text per line`);
  return lines;
}

/** One `label<TAB>probability` line per text: the most probable class, named as model.json names it. */
export function predictTexts(model: Model, dir: string, texts: readonly string[]): string[] {
  const rows = model.predict(texts).toArray() as number[][];
  let names = readTrainedOn(model, dir).classNames;
  const width = rows[0]?.length ?? 0;
  if (names && names.length !== width) {
    warn(`predict: ${dir}/model.json names ${names.length} classes but the model gives ${width} outputs; printing class numbers`);
    names = undefined;
  }
  return rows.map((row) => {
    let best = 0;
    for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
    return `${names?.[best] ?? String(best)}\t${row[best]!.toFixed(4)}`;
  });
}
