import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { CharCorpus } from '../../src/data/text/char-corpus.js';

test('CharCorpus: sorted character vocabulary and a 90/10 split taken in order', () => {
  const text = 'abcdefghij'.repeat(10); // 100 characters
  const c = new CharCorpus(text);
  assert.deepEqual(c.tokenizer.tokens, 'abcdefghij'.split(''));
  assert.equal(c.train.length, 90);
  assert.equal(c.val.length, 10);
  assert.equal(c.tokenizer.decode(c.train) + c.tokenizer.decode(c.val), text);
  assert.equal(nb.data.text.CharCorpus, CharCorpus);
  assert.equal(new CharCorpus(text, { valFraction: 0.25 }).val.length, 25);
});

test('CharCorpus.batch: windows and their one-step-shifted targets, seeded', () => {
  const text = Array.from({ length: 60 }, (_, i) => String.fromCharCode(65 + (i % 26))).join('');
  const c = new CharCorpus(text);
  const [x, y] = c.batch('train', 5, 8, new nb.Generator(3));
  assert.deepEqual(x.shape, [5, 8]);
  assert.equal(x.dtype, 'int32');
  const xs = x.toArray() as number[][];
  const ys = y.toArray() as number[][];
  const train = Array.from(c.train);
  for (let b = 0; b < 5; b++) {
    // find the window in the training ids: it must be contiguous, and y is x shifted by one
    const start = train.findIndex((_, s) => xs[b]!.every((v, t) => train[s + t] === v));
    assert.ok(start >= 0 && start + 8 < train.length, `row ${b} is a window whose target fits`);
    assert.deepEqual(ys[b], train.slice(start + 1, start + 9));
  }
  const [x2] = c.batch('train', 5, 8, new nb.Generator(3));
  assert.deepEqual(x2.toArray(), xs, 'same seed, same batch');
});

test('CharCorpus: bad input is a clear error', () => {
  assert.throws(() => new CharCorpus(''), /the text is empty/);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-corpus-'));
  writeFileSync(join(dir, 'empty.txt'), '');
  assert.throws(() => CharCorpus.fromFile(join(dir, 'empty.txt')), /the text file '.*empty\.txt' is empty/);
  assert.throws(() => CharCorpus.fromFile(join(dir, 'nope.txt')), /cannot read the text file '.*nope\.txt'/);
  assert.throws(() => CharCorpus.fromFile(dir), /cannot read the text file .*not a regular file/);
  const c = new CharCorpus('abcdefghijklmnopqrst');
  assert.throws(() => c.batch('val', 2, 4, new nb.Generator(0)), /the val split has 2 characters, too few for windows of context 4 \(it needs at least 5\)/);
  assert.throws(() => c.batch('train', 0, 4, new nb.Generator(0)), /batchSize must be a positive integer, got 0/);
  assert.throws(() => c.batch('test' as never, 1, 4, new nb.Generator(0)), /split must be 'train' or 'val', got 'test'/);
  assert.throws(() => new CharCorpus('abc', { valFraction: 1 }), /valFraction must be in \(0, 1\), got 1/);
});

test('a file that is not UTF-8 text trains only after a warning that says so (issue 12, item 10)', (t) => {
  const seen: string[] = [];
  t.mock.method(console, 'warn', (...args: unknown[]) => seen.push(args.map(String).join(' ')));
  const dir = mkdtempSync(join(tmpdir(), 'nabla-corpus-bytes-'));
  const binary = join(dir, 'model.bin');
  writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0xfe, 0x41, 0x42, 0x43, 0x0a, 0x44]));
  const corpus = CharCorpus.fromFile(binary);
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, /CharCorpus: '.*model\.bin' is not valid UTF-8 text and holds NUL bytes \(the first at byte 4\): it looks like a binary file; invalid bytes are read as U\+FFFD/);
  assert.ok(corpus.tokenizer.vocabSize > 0);
  const latin1 = join(dir, 'latin1.txt');
  writeFileSync(latin1, Buffer.from('caf\xe9 au lait\n'.repeat(4), 'latin1'));
  CharCorpus.fromFile(latin1);
  assert.match(seen[1]!, /'.*latin1\.txt' is not valid UTF-8 text; invalid bytes are read as U\+FFFD\. Convert it to UTF-8/);
  const utf8 = join(dir, 'ok.txt');
  writeFileSync(utf8, 'café au lait — ünïcode\n'.repeat(4));
  CharCorpus.fromFile(utf8);
  assert.equal(seen.length, 2, 'valid UTF-8 text gives no warning');
});
