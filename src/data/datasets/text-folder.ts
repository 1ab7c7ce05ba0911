import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileNotFoundError, FormatError } from '../../formats/errors.js';
import { compareCodePoints } from '../../nn/layers/text/code-points.js';
import { tensor } from '../../tensor/creation.js';
import { ValueError } from '../../tensor/errors.js';
import { warn } from '../../tensor/warn.js';
import { readTextFile } from './read-text-file.js';
import type { TextData } from './text-table.js';

/** Options of {@link textFolder}. */
export interface TextFolderOptions {
  /** The classes, in index order; each must be a sub-folder. Default: every sub-folder, sorted. */
  classNames?: string[];
  /** File extensions read (default `['.txt']`, as Keras). */
  extensions?: string[];
  /** The files' text encoding (default `'utf-8'`). */
  encoding?: string;
}

/** What {@link textFolder} returns: the texts and labels, and the file each text came from. */
export interface TextFolderData extends TextData {
  files: string[];
}

/**
 * Reads a text classification set laid out as Keras' `text_dataset_from_directory` expects:
 * one sub-folder per class (`dir/neg/…`, `dir/pos/…`), one example per file, its whole text.
 * The class names are the sub-folders' names, sorted (class 0 first), unless `classNames` gives
 * them; files in deeper folders belong to the class folder above them; files directly in `dir`
 * are ignored. Texts come in order (class, then path), not shuffled: split them with
 * `trainValSplit`, and `fit` shuffles each epoch.
 *
 * @example
 * // aclImdb/train/{neg,pos}/*.txt
 * const { texts, labels, classNames } = nb.datasets.textFolder('aclImdb/train', { classNames: ['neg', 'pos'] });
 */
export function textFolder(dir: string, opts: TextFolderOptions = {}): TextFolderData {
  const who = 'textFolder';
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new ValueError(`${who}: '${dir}' is not a folder; pass the folder that holds one sub-folder per class`);
    entries = readdirSync(dir);
  } catch (e) {
    if (e instanceof ValueError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotFoundError(`${who}: no folder at '${dir}'`, dir);
    throw new ValueError(`${who}: cannot read the folder '${dir}' (${(e as Error).message})`);
  }
  const folders = entries.filter((e) => statSync(join(dir, e)).isDirectory()).sort(compareCodePoints);
  const classNames = opts.classNames ?? folders;
  if (classNames.length === 0) {
    throw new FormatError(`${who}: '${dir}' has no sub-folders; put each class's files in a folder named after the class (${join(dir, 'neg', '1.txt')}, ${join(dir, 'pos', '2.txt')})`);
  }
  for (const name of classNames) {
    if (!folders.includes(name)) throw new FormatError(`${who}: classNames names '${name}', which is not a sub-folder of '${dir}' (those are ${folders.map((f) => `'${f}'`).join(', ')})`);
  }
  const extensions = (opts.extensions ?? ['.txt']).map((e) => e.toLowerCase());
  const texts: string[] = [];
  const labels: number[] = [];
  const files: string[] = [];
  classNames.forEach((name, k) => {
    const found = filesUnder(join(dir, name), extensions);
    if (found.length === 0) warn(`${who}: the class folder '${join(dir, name)}' has no ${extensions.join('/')} files; class ${k} ('${name}') gets no examples`);
    for (const file of found) {
      texts.push(readTextFile(file, who, opts.encoding));
      labels.push(k);
      files.push(file);
    }
  });
  if (texts.length === 0) throw new FormatError(`${who}: no ${extensions.join('/')} files in the class folders of '${dir}'`);
  return { texts, labels: tensor(Int32Array.from(labels), { dtype: 'int32', shape: [labels.length] }), classNames: [...classNames], files };
}

/**
 * The files with one of `extensions` in `dir` and its sub-folders, sorted by path. Linked folders
 * are not entered (a link to a folder above would never end), as Keras' `follow_links=False`. (audioFolder reads its class folders with it too.)
 */
export function filesUnder(dir: string, extensions: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareCodePoints(a.name, b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, extensions));
    else if (extensions.some((e) => entry.name.toLowerCase().endsWith(e)) && (entry.isFile() || statSync(path).isFile())) out.push(path);
  }
  return out;
}
