import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharTokenizer } from '../../../src/data/text/index.js';
import { FileNotFoundError, FormatError } from '../../../src/formats/errors.js';
import { ValueError } from '../../../src/tensor/errors.js';
import { randomText, readShakespeare, seededRandom, shakespeareSkip, TRICKY_TEXTS } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-chartok-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('fromText: sorted unique code points, ids in that order', () => {
  const tok = CharTokenizer.fromText('hello world');
  assert.deepEqual(tok.tokens, [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
  assert.equal(tok.vocabSize, 8);
  assert.deepEqual([...tok.encode('hello')], [3, 2, 4, 4, 5]);
  assert.equal(tok.decode([7, 5, 6, 4, 1]), 'world');
  assert.equal(tok.unkId, null);
});

test('astral characters are one token each, not two UTF-16 halves', () => {
  const text = 'a😀b🇯🇵𝄞';
  const tok = CharTokenizer.fromText(text);
  assert.deepEqual(tok.tokens, ['a', 'b', '𝄞', '🇯', '🇵', '😀']);
  const ids = tok.encode(text);
  assert.equal(ids.length, 6, 'six code points');
  assert.equal(tok.decode(ids), text);
  assert.equal(tok.idToToken(tok.tokenToId('😀') ?? -1), '😀');
});

test('round-trips its own corpus, tricky texts and random code points', () => {
  const rand = seededRandom(7);
  const texts = [...TRICKY_TEXTS, ...Array.from({ length: 50 }, () => randomText(rand, Math.floor(rand() * 40)))];
  const corpus = texts.join('');
  const tok = CharTokenizer.fromText(corpus);
  for (const t of texts) assert.equal(tok.decode(tok.encode(t)), t);
  // lone surrogates are characters of their own to a character tokenizer, and survive too
  const odd = 'x\ud800y\udc00';
  assert.equal(CharTokenizer.fromText(odd).decode(CharTokenizer.fromText(odd).encode(odd)), odd);
});

test('Tiny Shakespeare has 65 characters and round-trips', { skip: shakespeareSkip }, () => {
  const text = readShakespeare();
  const tok = CharTokenizer.fromText(text);
  assert.equal(tok.vocabSize, 65);
  assert.equal(tok.tokens[0], '\n');
  assert.equal(tok.tokens[1], ' ');
  const ids = tok.encode(text);
  assert.equal(ids.length, text.length);
  assert.equal(tok.decode(ids), text);
});

test('an unknown character is an error naming it and its position, by default', () => {
  const tok = CharTokenizer.fromText('abc');
  assert.throws(() => tok.encode('abcé'), (err: Error) => {
    assert.ok(err instanceof ValueError);
    assert.match(err.message, /character "é" \(U\+00E9\) at position 3 is not in the vocabulary \(3 characters\)/);
    assert.match(err.message, /unk/);
    return true;
  });
  assert.throws(() => tok.encode('ab😀'), /"😀" \(U\+1F600\) at position 2/);
});

test('unk: unknown characters map to one token', () => {
  const tok = CharTokenizer.fromText('abc', { unk: '<unk>' });
  assert.equal(tok.vocabSize, 4);
  assert.equal(tok.unkId, 3);
  assert.deepEqual([...tok.encode('aé😀c')], [0, 3, 3, 2]);
  assert.equal(tok.decode(tok.encode('aéc')), 'a<unk>c');
  // a single character already in the vocabulary is reused as the unk token
  const reuse = CharTokenizer.fromText('ab?', { unk: '?' });
  assert.equal(reuse.vocabSize, 3);
  assert.deepEqual([...reuse.encode('a!b')], [1, 0, 2]);
});

test('save/load round trip (including astral characters, lone surrogates and unk)', () => {
  const tok = CharTokenizer.fromText('zebra 😀 \ud800 日本', { unk: '<unk>' });
  const path = join(tmp, 'chars.json');
  tok.save(path);
  const again = CharTokenizer.load(path);
  assert.deepEqual(again.tokens, tok.tokens);
  assert.equal(again.unkId, tok.unkId);
  assert.deepEqual([...again.encode('zebra? 😀日')], [...tok.encode('zebra? 😀日')]);
  const file = JSON.parse(readFileSync(path, 'utf8')) as { format: string; version: number };
  assert.equal(file.format, 'nabla.char-tokenizer');
  assert.equal(file.version, 1);
});

test('bad input: ids outside the vocabulary, bad files, bad vocabularies', () => {
  const tok = CharTokenizer.fromText('abc');
  assert.throws(() => tok.decode([0, 3]), /CharTokenizer\.decode: token id 3 is outside the vocabulary \(size 3\), at index 1/);
  assert.throws(() => tok.decode([-1]), ValueError);
  assert.throws(() => tok.decode([0.5]), /not an integer/);
  assert.throws(() => new CharTokenizer(['a', 'ab']), /chars\[1\] must be exactly one character/);
  assert.throws(() => new CharTokenizer(['a', 'a']), /listed twice/);
  assert.throws(() => CharTokenizer.fromText('a', { unk: '' }), /unk must be a non-empty string/);

  const missing = join(tmp, 'nope.json');
  assert.throws(() => CharTokenizer.load(missing), (err: Error) => err instanceof FileNotFoundError && err.message.includes(missing));
  const garbage = join(tmp, 'garbage.json');
  writeFileSync(garbage, '{"format": "nabla.char-tok');
  assert.throws(() => CharTokenizer.load(garbage), (err: Error) => err instanceof FormatError && err.message.includes(`${garbage} is not valid JSON`));
  const future = join(tmp, 'future.json');
  writeFileSync(future, JSON.stringify({ format: 'nabla.char-tokenizer', version: 2, chars: ['a'], unk: null }));
  assert.throws(() => CharTokenizer.load(future), (err: Error) => err instanceof FormatError && /future\.json has version 2, but this nabla reads version 1/.test(err.message));
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, JSON.stringify({ format: 'nabla.char-tokenizer', version: 1, chars: ['a', 'bc'], unk: null }));
  assert.throws(() => CharTokenizer.load(bad), (err: Error) => err instanceof FormatError && err.message.includes(`${bad} is malformed`));
});
