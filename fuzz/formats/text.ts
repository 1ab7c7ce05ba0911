/**
 * Text formats: the two tokenizer files (loaded, then encoding and decoding a probe text that
 * also tests for catastrophic regex backtracking), plain text corpora, and text tables once nabla
 * reads them (`nb.datasets.textTable`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import type { FuzzFormat } from '../format.js';
import { mutateFiles } from '../mutate/files.js';
import { mutateBytes, splice } from '../mutate/bytes.js';
import { check } from '../outcome.js';
import type { Rng } from '../rng.js';
import { RESERVED_NAMES } from '../mutate/hostile.js';

const TOKENIZER = 'tokenizer.json';
const CORPUS_TEXT = 'First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n'.repeat(8);
// a run of one letter then a mismatch: what makes a backtracking pattern from a file take forever
const PROBE = `Hello, world! ${'a'.repeat(40)}! ünïcödé 😀 ${' '.repeat(30)}x <|endoftext|> 12345`;

function writeSeed(dir: string, name: string, file: string, text: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, file), text);
}

/** `CharTokenizer.save` files. */
export const charTokenizerFormat: FuzzFormat = {
  name: 'char-tokenizer',
  makeSeeds(dir) {
    for (const seed of ['plain', 'with-unk']) mkdirSync(join(dir, seed), { recursive: true });
    nb.data.CharTokenizer.fromText(CORPUS_TEXT).save(join(dir, 'plain', TOKENIZER));
    nb.data.CharTokenizer.fromText(PROBE, { unk: '<unk>' }).save(join(dir, 'with-unk', TOKENIZER));
    return ['plain', 'with-unk'];
  },
  mutate(rng, files) {
    mutateFiles(rng, files);
  },
  load(dir) {
    const t = nb.data.CharTokenizer.load(join(dir, TOKENIZER));
    const ids = t.encode(t.decode(t.encode(t.tokens.join('').slice(0, 50))));
    check(ids.every((i) => i >= 0 && i < t.vocabSize), 'encode gave an id outside the vocabulary');
    try {
      t.encode(PROBE);
    } catch (err) {
      // a character outside the vocabulary is refused by design; anything else is the case's result
      if (!(err instanceof nb.ValueError) || !/is not in the vocabulary/.test(err.message)) throw err;
    }
  },
};

/** `ByteLevelBPE.save` files. */
export const bpeTokenizerFormat: FuzzFormat = {
  name: 'bpe-tokenizer',
  makeSeeds(dir) {
    for (const seed of ['default', 'no-pretokenize']) mkdirSync(join(dir, seed), { recursive: true });
    nb.data.ByteLevelBPE.train(CORPUS_TEXT, { vocabSize: 300, specialTokens: ['<|endoftext|>'] }).save(join(dir, 'default', TOKENIZER));
    nb.data.ByteLevelBPE.train(CORPUS_TEXT, { vocabSize: 270, preTokenize: false }).save(join(dir, 'no-pretokenize', TOKENIZER));
    return ['default', 'no-pretokenize'];
  },
  mutate(rng, files) {
    mutateFiles(rng, files);
  },
  load(dir) {
    const t = nb.data.ByteLevelBPE.load(join(dir, TOKENIZER));
    const ids = t.encode(PROBE);
    check(ids.every((i) => i >= 0 && i < t.vocabSize), 'encode gave an id outside the vocabulary');
    check(t.decode(ids) === PROBE, 'decode(encode(text)) is not the text');
  },
};

/** Bytes that are not valid UTF-8, NULs, a byte-order mark, line endings: what a "text" file holds. */
function mutateText(rng: Rng, bytes: Uint8Array): Uint8Array {
  const at = rng.int(bytes.length + 1);
  const odd = rng.pick([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0x00], [0xef, 0xbb, 0xbf], [0x0d], [0xf0, 0x9f, 0x98]]);
  return rng.chance(0.5) ? splice(bytes, at, 0, new Uint8Array(odd)) : mutateBytes(rng, bytes);
}

/** Plain text files read with `CharCorpus.fromFile` (what `nabla train --model gpt --data` reads). */
export const textCorpusFormat: FuzzFormat = {
  name: 'text-corpus',
  makeSeeds(dir) {
    writeSeed(dir, 'shakespeare', 'input.txt', CORPUS_TEXT);
    writeSeed(dir, 'unicode', 'input.txt', `${PROBE}\r\n`.repeat(6));
    return ['shakespeare', 'unicode'];
  },
  mutate(rng, files) {
    mutateFiles(rng, files, { mutators: { 'input.txt': mutateText } });
  },
  load(dir) {
    const corpus = nb.text.CharCorpus.fromFile(join(dir, 'input.txt'));
    const [x, y] = corpus.batch('train', 2, 4, new nb.Generator(0));
    check(x.shape.join(',') === '2,4' && y.shape.join(',') === '2,4', `batch gave shapes [${x.shape}] and [${y.shape}]`);
  },
};

type TextReader = (path: string) => unknown;

/** `nb.datasets[name]` when this nabla has it (the text readers arrive with text classification). */
function textReader(name: 'textTable' | 'textFolder'): TextReader | null {
  const f = (nb.datasets as unknown as Record<string, unknown>)[name];
  return typeof f === 'function' ? (f as TextReader) : null;
}

const textTable = textReader('textTable');
const textFolder = textReader('textFolder');

/** TSV and CSV tables of labelled text (`nb.datasets.textTable`), when nabla has them. */
export const textTableFormat: FuzzFormat | null = textTable === null ? null : {
  name: 'text-table',
  makeSeeds(dir) {
    writeSeed(dir, 'tsv', 'table.tsv', 'label\tsentence\n1\ta fine film\n0\tdull , flat and long\n1\tit works\n');
    writeSeed(dir, 'csv', 'table.csv', 'text,label\n"quoted, with ""quotes""",pos\nplain,neg\n"multi\nline",pos\n');
    return ['tsv', 'csv'];
  },
  mutate(rng, files) {
    mutateFiles(rng, files, { mutators: { 'table.tsv': mutateText, 'table.csv': mutateText } });
  },
  load(dir, seed) {
    textTable(join(dir, seed === 'tsv' ? 'table.tsv' : 'table.csv'));
  },
};

/** Class folders of text files (`nb.datasets.textFolder`), when nabla has them. */
export const textFolderFormat: FuzzFormat | null = textFolder === null ? null : {
  name: 'text-folder',
  makeSeeds(dir) {
    writeSeed(join(dir, 'two-classes'), 'pos', 'a.txt', 'a fine film');
    writeSeed(join(dir, 'two-classes'), 'pos', 'b.txt', 'it works, mostly');
    writeSeed(join(dir, 'two-classes'), 'neg', 'c.txt', 'dull\nflat and long\n');
    return ['two-classes'];
  },
  mutate(rng, files) {
    if (rng.chance(0.3)) {
      // class names come from folder names: a reader keeping them in a plain object meets these
      const from = rng.pick(['pos', 'neg']);
      const to = rng.pick([...RESERVED_NAMES, '.hidden', 'a b', 'ünï', '0', '1']);
      for (const [name, content] of [...files]) {
        if (!name.startsWith(`${from}/`)) continue;
        files.delete(name);
        files.set(`${to}/${name.slice(from.length + 1)}`, content);
      }
      return;
    }
    mutateFiles(rng, files, { mutators: Object.fromEntries([...files.keys()].map((n) => [n, mutateText])) });
  },
  load(dir) {
    textFolder(dir);
  },
};
