/**
 * What `nabla train` makes a model remember in `model.metadata` (saved in model.json): the data
 * set, how an image becomes the model's input (or, for a text classifier, the file and columns it
 * read), and the class names; and how `evaluate`,
 * `predict` and `plot --confusion` read it back, so that they test on the right data and name
 * the classes as the data set does.
 */
import type { Model } from '../model/model.js';
import type { JsonValue } from '../optim/optimizer.js';
import { ValueError } from '../tensor/errors.js';
import { warn } from '../tensor/warn.js';
import { DATASETS } from './data.js';

/** How an image file becomes one input sample of the model. */
export interface ImagePreprocessing {
  /** Images are resized to this many rows and columns. */
  height: number;
  width: number;
  /** 1 (gray: luma of the colour, transparent pixels black), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4;
  /** Factor from 8-bit pixel values to the model's input (1/255: inputs in [0, 1]). */
  scale: number;
  /** True when the model takes each image as one row of height·width·channels values. */
  flatten: boolean;
}

/** What a saved model records about its training data; each part may be missing (a model saved by a library user). */
export interface TrainedOn {
  dataset?: string;
  classNames?: string[];
  preprocessing?: ImagePreprocessing;
}

/** The 28×28 gray images of MNIST and Fashion-MNIST as `nabla train` feeds them: scaled to [0, 1], one row of 784. */
export const MNIST_PREPROCESSING: ImagePreprocessing = { height: 28, width: 28, channels: 1, scale: 1 / 255, flatten: true };

/** The metadata `nabla train` sets on a model trained on the data set `dataset`. */
export function trainedOnMetadata(dataset: string, classNames: readonly string[], preprocessing: ImagePreprocessing): Record<string, JsonValue> {
  return { dataset, classNames: [...classNames], preprocessing: { ...preprocessing } };
}

/** Where a text classifier's training texts came from: the file and its columns as given to `nabla train`. */
export interface TextColumns {
  textColumn?: string;
  labelColumn?: string;
}

/**
 * The metadata `nabla train --model text…` sets: the file trained on, its columns (so that
 * `evaluate --data` reads another file the same way) and the class names.
 */
export function textTrainedOnMetadata(file: string, classNames: readonly string[], columns: TextColumns): Record<string, JsonValue> {
  const text: Record<string, JsonValue> = { file };
  if (columns.textColumn !== undefined) text['textColumn'] = columns.textColumn;
  if (columns.labelColumn !== undefined) text['labelColumn'] = columns.labelColumn;
  return { classNames: [...classNames], text };
}

/** The columns a text model was trained on (empty when not recorded; a malformed record is an error). */
export function readTextColumns(model: Model, dir: string): TextColumns {
  const t = model.metadata['text'];
  if (t === undefined) return {};
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new ValueError(`${dir}/model.json metadata: text must be an object {file, textColumn, labelColumn}`);
  const out: TextColumns = {};
  for (const key of ['textColumn', 'labelColumn'] as const) {
    const v = t[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new ValueError(`${dir}/model.json metadata: text.${key} must be a column name, got ${JSON.stringify(v)}`);
    out[key] = v;
  }
  return out;
}

/**
 * Reads the training record of a model loaded from `dir`, checking each part's type. A part that
 * is there but malformed raises a `ValueError` naming the field; a missing part is undefined.
 */
export function readTrainedOn(model: Model, dir: string): TrainedOn {
  const m = model.metadata;
  const where = `${dir}/model.json metadata`;
  const out: TrainedOn = {};
  const dataset = m['dataset'];
  if (dataset !== undefined) {
    if (typeof dataset !== 'string') throw new ValueError(`${where}: dataset must be a name, got ${JSON.stringify(dataset)}`);
    out.dataset = dataset;
  }
  const names = m['classNames'];
  if (names !== undefined) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new ValueError(`${where}: classNames must be an array of strings`);
    out.classNames = names as string[];
  }
  const p = m['preprocessing'];
  if (p !== undefined) out.preprocessing = readPreprocessing(p, where);
  return out;
}

function readPreprocessing(p: JsonValue, where: string): ImagePreprocessing {
  const bad = (why: string) => new ValueError(`${where}: preprocessing ${why}`);
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw bad('must be an object {height, width, channels, scale, flatten}');
  const { height, width, channels, scale, flatten } = p;
  for (const [name, v] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(v) || (v as number) <= 0) throw bad(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw bad(`channels must be 1, 3 or 4, got ${JSON.stringify(channels)}`);
  if (typeof scale !== 'number' || !(scale > 0)) throw bad(`scale must be a positive number, got ${JSON.stringify(scale)}`);
  if (typeof flatten !== 'boolean') throw bad(`flatten must be true or false, got ${JSON.stringify(flatten)}`);
  return { height: height as number, width: width as number, channels, scale, flatten };
}

/**
 * The data set to test a model on: the recorded one, or `--data` when given. A `--data` that
 * disagrees with the record is honoured with a warning (the labels then mean other things); no
 * record and no `--data` is an error rather than a guess.
 */
export function chooseDataset(who: string, dir: string, recorded: string | undefined, given: string | undefined): string {
  const choices = DATASETS.join('|');
  if (given !== undefined) {
    if (recorded !== undefined && recorded !== given) {
      warn(`${who}: the model in ${dir} was trained on ${recorded} (its model.json says so), but --data is ${given}: its class numbers name other things there, so the result says little; leave --data out to use ${recorded}`);
    }
    return given;
  }
  if (recorded === undefined) {
    throw new ValueError(`${who}: ${dir}/model.json does not record the data set the model was trained on (models saved by nabla train do); pass --data ${choices}`);
  }
  if (!(DATASETS as readonly string[]).includes(recorded)) {
    throw new ValueError(`${who}: ${dir}/model.json says the model was trained on '${recorded}', which nabla cannot load by name; pass --data ${choices} to test it on one of those`);
  }
  return recorded;
}
