// Text data sets: textTable (TSV/CSV with RFC 4180 quoting), textFolder, trainValSplit, and the
// loaders of the two shared sets. Bad files are errors naming the file, the line and the fix.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasets } from '../../src/data/index.js';
import { FileNotFoundError, FormatError } from '../../src/formats/errors.js';
import { ValueError } from '../../src/tensor/errors.js';
import { captureWarnings } from '../model/helpers.js';

const { textTable, textFolder, trainValSplit, sst2, uciSentiment } = datasets;
const dir = mkdtempSync(join(tmpdir(), 'nabla-text-table-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function file(ext: string, contents: string | Uint8Array): string {
  const path = join(dir, `t${count++}${ext}`);
  writeFileSync(path, contents);
  return path;
}
const labelsOf = (d: { labels: { data(): ArrayLike<number> } }) => Array.from(d.labels.data());

test('TSV with label first or text first: columns are found by name, in any case', () => {
  const a = textTable(file('.tsv', 'label\tsentence\n1\ta fine film\n0\ta dull film\n'));
  const b = textTable(file('.tsv', 'Sentence\tLABEL\na fine film\t1\na dull film\t0\n'));
  for (const d of [a, b]) {
    assert.deepEqual(d.texts, ['a fine film', 'a dull film']);
    assert.deepEqual(labelsOf(d), [1, 0]);
    assert.equal(d.labels.dtype, 'int32');
    assert.deepEqual(d.classNames, ['0', '1']);
  }
  // 'text' is the other default name; other columns are ignored
  const c = textTable(file('.csv', 'id,text,label\n7,hello,1\n8,bye,0\n'));
  assert.deepEqual([c.texts, labelsOf(c)], [['hello', 'bye'], [1, 0]]);
});

test('CSV per RFC 4180: quoted delimiters, line breaks and doubled quotes; CRLF; a BOM', () => {
  const csv = '\ufefftext,label\r\n"one, two",1\r\n"line one\r\nline two",0\r\n"she said ""hi""",1\r\nplain 5"" screen,0\r\n"",1\r\n';
  const d = textTable(file('.csv', csv));
  assert.deepEqual(d.texts, ['one, two', 'line one\r\nline two', 'she said "hi"', 'plain 5"" screen', '']);
  assert.deepEqual(labelsOf(d), [1, 0, 1, 0, 1]);
  // a record spanning two lines moves the line count on: the bad row is reported on line 5
  const bad = 'text,label\n"a\nb",1\nok,0\nbroken\n';
  assert.throws(() => textTable(file('.csv', bad)), { name: 'FormatError', message: /line 5: 1 field where the header \(text, label\) has 2: a field is missing/ });
});

test('blank lines are skipped (empty, only spaces or delimiters, CRLF), quotes can be turned off, the delimiter given', () => {
  const d = textTable(file('.tsv', 'label\tsentence\r\n\r\n1\tgood\r\n   \r\n\t\n0\tbad\r\n\r\n'));
  assert.deepEqual([d.texts, labelsOf(d)], [['good', 'bad'], [1, 0]]);
  const q = textTable(file('.tsv', 'label\tsentence\n1\t"quoted" words\n0\tan " unclosed quote\n'), { quoting: false });
  assert.deepEqual(q.texts, ['"quoted" words', 'an " unclosed quote']);
  const semi = textTable(file('.txt', 'label;text\n1;a;\n'.replace('a;', 'a')), { delimiter: ';' });
  assert.deepEqual(semi.texts, ['a']);
  const named = textTable(file('.csv', 'stars,review\n5,great\n1,awful\n'), { textColumn: 'Review', labelColumn: 'stars' });
  assert.deepEqual(named.texts, ['great', 'awful']);
});

test('string labels map to classes in sorted order; class names come back', () => {
  const d = textTable(file('.tsv', 'label\ttext\npos\ta\nneg\tb\nneutral\tc\npos\td\n'));
  assert.deepEqual(d.classNames, ['neg', 'neutral', 'pos']);
  assert.deepEqual(labelsOf(d), [2, 0, 1, 2]);
  // labels are trimmed; numbers that are not class indices are names ordered by value
  const signed = textTable(file('.tsv', 'label\ttext\n 1 \ta\n-1\tb\n-2\tc\n'));
  assert.deepEqual([signed.classNames, labelsOf(signed)], [['-2', '-1', '1'], [2, 1, 0]]);
});

test('integer labels keep their numbers; a class no row has is kept, with a warning', (t) => {
  const warnings = captureWarnings(t);
  const d = textTable(file('.tsv', 'label\ttext\n0\ta\n2\tb\n'));
  assert.deepEqual([d.classNames, labelsOf(d)], [['0', '1', '2'], [0, 2]]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /no row has class 1; the labels run from 0 to 2, so a model gets 3 outputs and never learns that one/);
});

test('bad files: each an error naming the file, the line and the fix', () => {
  const cases: [string, string, RegExp][] = [
    ['.tsv', '', /t\d+\.tsv is empty; it needs a header line \(e\.g\. label<TAB>sentence\) and one row per example/],
    ['.tsv', '\n\n', /is empty/],
    ['.tsv', 'label\tsentence\n', /has a header \(label, sentence\) but no rows; add one row per example/],
    ['.csv', 'review,label\nx,1\n', /no text column \(looked for 'sentence' or 'text' in the header; its columns are 'review', 'label'\); pass \{ textColumn: '<name>' \}/],
    ['.csv', 'text,stars\nx,1\n', /no label column \(looked for 'label' in the header; its columns are 'text', 'stars'\); pass \{ labelColumn: '<name>' \}/],
    ['.tsv', 'label\tsentence\n1\tgood\n0\n', /line 3: 1 field where the header \(label, sentence\) has 2: a field is missing \(each row needs 2, separated by tab\)/],
    ['.csv', 'text,label\nfine, really,1\n', /line 2: 3 fields where the header \(text, label\) has 2: a text holds a "," without quotes around it; quote that field/],
    ['.csv', 'text,label\nok,1\n"never closed,0\nmore,1\n', /line 3: a quoted field opens on this line and is never closed .*\{ quoting: false \}/],
    ['.csv', 'text,label\n"a"b,1\n', /line 2: text follows the closing quote of a quoted field \("b,1"\); inside a quoted field write a quote as ""/],
    ['.tsv', 'label\ttext\n0\ta\npos\tb\n', /labels mix numbers and names \(line 2 has "0", line 3 has "pos"\); give every row a class number \(0, 1, …\) or every row a name/],
    ['.tsv', 'label\ttext\npos\ta\nneg\tb\nPos\tc\n', /labels "pos" \(line 2\) and "Pos" \(line 4\) differ only in case; write each class one way/],
    ['.tsv', 'label\ttext\n1\ta\n1.0\tb\n-1\tc\n', /labels "1" \(line 2\) and "1\.0" \(line 3\) are the same number written two ways/],
    ['.tsv', 'label\ttext\n1\ta\n \tb\n', /line 3: the label is empty; give every row a label/],
    ['.tsv', 'label\ttext\n9999999\ta\n', /line 2: label 9999999 is too large for a class number/],
    ['.tsv', 'label\ttext\tlabel\n1\ta\t1\n', /the header names the column 'label' twice/],
  ];
  for (const [ext, contents, message] of cases) {
    assert.throws(() => textTable(file(ext, contents)), (e: Error) => e instanceof FormatError && message.test(e.message), `${JSON.stringify(contents)} → ${message}`);
  }
});

test('bytes that are not UTF-8 are an error naming the line (or read with the encoding given); NUL bytes too', () => {
  const latin1 = Uint8Array.from([...Buffer.from('label\ttext\n1\tcaf'), 0xe9, ...Buffer.from('\n')]);
  const path = file('.tsv', latin1);
  assert.throws(() => textTable(path), { name: 'FormatError', message: /is not valid UTF-8 text \(byte 16, 0xe9, on line 2\); convert it \(iconv -f latin1 -t utf-8 .*\) or pass \{ encoding: 'latin1' \}/ });
  assert.deepEqual(textTable(path, { encoding: 'latin1' }).texts, ['café']);
  assert.throws(() => textTable(file('.tsv', 'label\ttext\n1\ta\u0000b\n')), { name: 'FormatError', message: /holds NUL bytes \(the first on line 2\): it looks like a binary file/ });
  assert.throws(() => textTable(path, { encoding: 'klingon' }), { name: 'ValueError', message: /unknown encoding 'klingon'/ });
});

test('missing files, unknown extensions and bad options', () => {
  assert.throws(() => textTable(join(dir, 'absent.tsv')), (e: Error) => e instanceof FileNotFoundError && /textTable: no file at '.*absent\.tsv'/.test(e.message));
  assert.throws(() => textTable(dir + '/'), { name: 'ValueError', message: /cannot tell the delimiter/ });
  assert.throws(() => textTable(file('.txt', 'a')), { name: 'ValueError', message: /cannot tell the delimiter of '.*\.txt' from its extension .* pass \{ delimiter: '\\t' \}/ });
  assert.throws(() => textTable(file('.tsv', 'a'), { delimiter: '"' }), ValueError);
  assert.throws(() => textTable(file('.tsv', 'a'), { delimiter: 'ab' }), ValueError);
  assert.throws(() => textTable(dir, { delimiter: '\t' }), { name: 'FileReadError', message: /it is a directory, not a file/ });
  assert.throws(() => textTable(file('.tsv', 'label\ttext\n1\ta\n'), { textColumn: 'LABEL' }), { name: 'ValueError', message: /textColumn and labelColumn both name the column 'label'/ });
});

test('textFolder: one sub-folder per class, sorted; deeper folders belong to their class; other files ignored', (t) => {
  const root = join(dir, 'folder');
  for (const [path, text] of [['pos/a.txt', 'good'], ['pos/deep/b.txt', 'great'], ['neg/c.txt', 'bad'], ['neg/notes.md', 'skip'], ['top.txt', 'skip']] as const) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const d = textFolder(root);
  assert.deepEqual([d.texts, labelsOf(d), d.classNames], [['bad', 'good', 'great'], [0, 1, 1], ['neg', 'pos']]);
  assert.deepEqual(d.files.map((f) => f.slice(root.length + 1)), ['neg/c.txt', 'pos/a.txt', 'pos/deep/b.txt']);
  const ordered = textFolder(root, { classNames: ['pos', 'neg'] });
  assert.deepEqual([ordered.texts, labelsOf(ordered)], [['good', 'great', 'bad'], [0, 0, 1]]);
  assert.throws(() => textFolder(root, { classNames: ['pos', 'meh'] }), { name: 'FormatError', message: /classNames names 'meh', which is not a sub-folder .* \(those are 'neg', 'pos'\)/ });
  mkdirSync(join(root, 'empty'));
  const warnings = captureWarnings(t);
  assert.deepEqual(textFolder(root).classNames, ['empty', 'neg', 'pos']);
  assert.match(warnings[0] ?? '', /the class folder '.*empty' has no \.txt files; class 0 \('empty'\) gets no examples/);
  const flat = join(dir, 'flat');
  mkdirSync(flat);
  writeFileSync(join(flat, 'a.txt'), 'x');
  assert.throws(() => textFolder(flat), { name: 'FormatError', message: /has no sub-folders; put each class's files in a folder named after the class/ });
  assert.throws(() => textFolder(join(dir, 'nope')), FileNotFoundError);
});

test('trainValSplit: seeded, disjoint, covering, each part in file order', () => {
  const n = 40;
  const data = { texts: Array.from({ length: n }, (_, i) => `t${i}`), labels: datasets.textTable(file('.tsv', `label\ttext\n${Array.from({ length: n }, (_, i) => `${i % 3}\tt${i}`).join('\n')}\n`)).labels, classNames: ['a', 'b', 'c'] };
  const a = trainValSplit(data, { validation: 0.25, seed: 3 });
  const b = trainValSplit(data, { validation: 0.25, seed: 3 });
  const c = trainValSplit(data, { validation: 0.25, seed: 4 });
  assert.equal(a.val.texts.length, 10);
  assert.equal(a.train.texts.length, 30);
  assert.deepEqual(a.val.texts, b.val.texts);
  assert.notDeepEqual(a.val.texts, c.val.texts);
  const index = (t: string) => Number(t.slice(1));
  assert.deepEqual([...a.train.texts, ...a.val.texts].map(index).sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i));
  for (const part of [a.train, a.val]) {
    const idx = part.texts.map(index);
    assert.deepEqual(idx, [...idx].sort((x, y) => x - y));
    assert.deepEqual(labelsOf(part), idx.map((i) => i % 3));
    assert.deepEqual(part.classNames, ['a', 'b', 'c']);
  }
  assert.throws(() => trainValSplit(data, { validation: 1 }), { name: 'ValueError', message: /validation must be a fraction in \(0, 1\), got 1/ });
  assert.throws(() => trainValSplit({ ...data, texts: ['x'] }), { name: 'ValueError', message: /do not match the 1 texts/ });
});

// ../shared beside the repository, found from this file (repo/test/data)
const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const noSst2 = existsSync(join(SHARED, 'sst2/train.tsv')) ? false : 'the shared SST-2 file is not present';
const noUci = existsSync(join(SHARED, 'sentiment')) ? false : 'the shared UCI sentiment files are not present';

test('SST-2: 67,349 rows (37,569 positive), CRLF read, both through sst2 and textTable', { skip: noSst2 }, () => {
  const d = sst2(join(SHARED, 'sst2'));
  assert.equal(d.texts.length, 67349);
  assert.equal(d.labels.sum().item(), 37569);
  assert.deepEqual(d.classNames, ['negative', 'positive']);
  assert.equal(d.texts[0], 'hide new secretions from the parental units');
  assert.ok(d.texts.every((t) => !t.includes('\r') && !t.includes('\t')));
  const table = textTable(join(SHARED, 'sst2/train.tsv'));
  assert.deepEqual([table.texts.length, table.classNames], [67349, ['0', '1']]);
  const { train, val } = trainValSplit(d, { validation: 0.05, seed: 0 });
  assert.deepEqual([train.texts.length, val.texts.length], [63982, 3367]);
});

test('UCI sentiment sentences: 3,000 rows, 1,500 positive, 1,000 from each source', { skip: noUci }, () => {
  const d = uciSentiment(join(SHARED, 'sentiment'));
  assert.equal(d.texts.length, 3000);
  assert.equal(d.labels.sum().item(), 1500);
  for (const s of ['amazon', 'imdb', 'yelp']) assert.equal(d.sources.filter((x) => x === s).length, 1000);
  // IMDB's sentences hold U+0085 and quotes: neither splits a line
  assert.ok(d.texts.some((t) => t.includes('\u0085')));
  assert.equal(uciSentiment(join(SHARED, 'sentiment'), { sources: ['yelp'] }).texts[0], 'Wow... Loved this place.');
  assert.throws(() => uciSentiment(join(SHARED, 'sentiment'), { sources: ['twitter' as 'yelp'] }), /unknown source 'twitter'/);
});
