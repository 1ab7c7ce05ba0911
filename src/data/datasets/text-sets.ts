import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../../formats/errors.js';
import { tensor } from '../../tensor/creation.js';
import { ValueError } from '../../tensor/errors.js';
import { readTextFile } from './read-text-file.js';
import { textTable, type TextData } from './text-table.js';

/** The class names of the two sentiment sets: label 0 is negative, 1 positive. */
export const SENTIMENT_CLASSES = ['negative', 'positive'];

/**
 * The GLUE SST-2 training split (`train.tsv`: header `label<TAB>sentence`, 67,349 rows of
 * lower-cased, tokenised sentences and phrases; label 1 positive). `path` is the file or the
 * folder holding it. GLUE's dev split is not part of it: hold out a validation part with
 * `trainValSplit`.
 *
 * @example
 * const data = nb.datasets.sst2('../shared/data/sst2');
 * data.classNames   // ['negative', 'positive']
 */
export function sst2(path: string): TextData {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'train.tsv') : path;
  const data = textTable(file, { textColumn: 'sentence', labelColumn: 'label', delimiter: '\t', quoting: false });
  if (data.classNames.length !== 2) {
    throw new FormatError(`sst2: ${file} has labels ${data.classNames.join(', ')}; SST-2 labels are 0 (negative) and 1 (positive)`);
  }
  return { ...data, classNames: [...SENTIMENT_CLASSES] };
}

/** The three sources of the UCI sentiment sentences, by the prefix of their files. */
export type UciSentimentSource = 'amazon' | 'imdb' | 'yelp';

const UCI_FILES: Record<UciSentimentSource, string> = {
  amazon: 'amazon_cells_labelled.txt',
  imdb: 'imdb_labelled.txt',
  yelp: 'yelp_labelled.txt',
};

/** What {@link uciSentiment} returns: a text set and the source of each sentence. */
export interface UciSentimentData extends TextData {
  sources: UciSentimentSource[];
}

/**
 * The UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015): 1,000 review sentences from
 * each of Amazon, IMDB and Yelp, half positive (1), half negative (0), read from the folder of
 * the three `*_labelled.txt` files. Their format is not a table: no header, `sentence<TAB>label`
 * a line, quotes that are part of the text, so each line is split at its last tab (lines are
 * split on LF only: the IMDB file holds U+0085 inside sentences).
 *
 * @example
 * const data = nb.datasets.uciSentiment('../shared/data/sentiment');
 * data.texts.length   // 3000
 */
export function uciSentiment(dir: string, opts: { sources?: UciSentimentSource[] } = {}): UciSentimentData {
  const sources = opts.sources ?? (Object.keys(UCI_FILES) as UciSentimentSource[]);
  const texts: string[] = [];
  const labels: number[] = [];
  const from: UciSentimentSource[] = [];
  for (const source of sources) {
    if (!Object.hasOwn(UCI_FILES, source)) throw new ValueError(`uciSentiment: unknown source '${String(source)}'; use 'amazon', 'imdb' or 'yelp'`);
    const file = join(dir, UCI_FILES[source]);
    const lines = readTextFile(file, 'uciSentiment').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const tab = line.lastIndexOf('\t');
      const label = tab < 0 ? '' : line.slice(tab + 1).trim();
      if (label !== '0' && label !== '1') {
        throw new FormatError(`uciSentiment: ${file} line ${i + 1}: expected 'sentence<TAB>label' with label 0 or 1, got ${JSON.stringify(line.slice(-40))}`);
      }
      texts.push(line.slice(0, tab));
      labels.push(Number(label));
      from.push(source);
    });
  }
  return { texts, labels: tensor(Int32Array.from(labels), { dtype: 'int32', shape: [labels.length] }), classNames: [...SENTIMENT_CLASSES], sources: from };
}
