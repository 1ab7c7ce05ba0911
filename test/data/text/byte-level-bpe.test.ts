import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteLevelBPE, CharTokenizer } from '../../../src/data/text/index.js';
import { FileNotFoundError, FormatError } from '../../../src/formats/errors.js';
import { ValueError } from '../../../src/tensor/errors.js';
import { TRICKY_TEXTS } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-bpe-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const a = 97;
const b = 98;
const c = 99;
const d = 100;
const SPACE = 32;

test("hand-checked: 'aaabdaaabac'", () => {
  // pairs: aa 4 (two in each 'aaa'), ab 2, bd 1, da 1, ba 1, ac 1  -> merge (a,a) = 256
  // aa a b d aa a b a c: (256,a) 2 and (a,b) 2 tie -> the smaller first id wins: (a,b) = 257
  // 256 257 d 256 257 a c: (256,257) 2 -> 258; every other pair occurs once < minFrequency 2
  const bpe = ByteLevelBPE.train('aaabdaaabac', { vocabSize: 300 });
  assert.deepEqual(bpe.merges, [[a, a], [a, b], [256, 257]]);
  assert.equal(bpe.vocabSize, 259, 'training stops when no pair occurs twice');
  assert.deepEqual([...bpe.encode('aaabdaaabac')], [258, d, 258, a, c]);
  assert.deepEqual([...bpe.encode('aaa')], [256, a], 'left to right: (aa)a');
  assert.deepEqual([...bpe.encode('aaaa')], [256, 256]);
  assert.deepEqual([...bpe.encode('ab')], [257]);
  assert.deepEqual([...bpe.encode('ba')], [b, a]);
  assert.deepEqual([...bpe.encode('aaab')], [258]);
  assert.deepEqual([...bpe.encode('')], []);
  assert.equal(bpe.idToToken(258), 'aaab');
  assert.equal(bpe.tokenToId('aaab'), 258);
  // the vocabulary size caps the merges
  assert.deepEqual(ByteLevelBPE.train('aaabdaaabac', { vocabSize: 257 }).merges, [[a, a]]);
  assert.deepEqual(ByteLevelBPE.train('aaabdaaabac', { vocabSize: 256 }).merges, []);
});

test('hand-checked: counts are summed over pre-tokens, which merges never cross', () => {
  // pre-tokens 'ab' ' ab' ' ab' ' cd': (a,b) 3 -> 256; (' ',256) 2 -> 257; the rest occur once
  const bpe = ByteLevelBPE.train('ab ab ab cd', { vocabSize: 1000 });
  assert.deepEqual(bpe.merges, [[a, b], [SPACE, 256]]);
  assert.deepEqual([...bpe.encode('ab ab cd')], [256, 257, SPACE, c, d]);
  // minFrequency 1: (' ',c) and (c,d) tie at 1 -> (32,99) first, then (258,d)
  const all = ByteLevelBPE.train('ab ab ab cd', { vocabSize: 1000, minFrequency: 1 });
  assert.deepEqual(all.merges, [[a, b], [SPACE, 256], [SPACE, c], [258, d]]);
  assert.equal(all.idToToken(259), ' cd');
  // without pre-tokenisation 'b ' and ' a' may merge: (a,b) 3, then (256,' ') 3 -> 257
  const raw = ByteLevelBPE.train('ab ab ab cd', { vocabSize: 258, preTokenize: false });
  assert.deepEqual(raw.merges, [[a, b], [256, SPACE]]);
});

test('every byte is a token: any text encodes and round-trips without training', () => {
  const bpe = new ByteLevelBPE([]);
  assert.equal(bpe.vocabSize, 256);
  for (const t of TRICKY_TEXTS) {
    const ids = bpe.encode(t);
    assert.equal(ids.length, new TextEncoder().encode(t).length, 'one id per byte');
    assert.equal(bpe.decode(ids), t);
  }
});

test('lone surrogates become U+FFFD, as documented', () => {
  const bpe = ByteLevelBPE.train('some text to learn a few merges from, some text', { vocabSize: 280 });
  const cases: Array<[string, string]> = [
    ['a\ud800b', 'a\ufffdb'],
    ['\udc00', '\ufffd'],
    ['ends with a high surrogate \ud83d', 'ends with a high surrogate \ufffd'],
    ['reversed pair \ude00\ud83d', 'reversed pair \ufffd\ufffd'],
    ['mixed 😀\ud800😀', 'mixed 😀\ufffd😀'],
  ];
  for (const [input, expected] of cases) assert.equal(bpe.decode(bpe.encode(input)), expected);
  assert.deepEqual(bpe.encode('x \ud800'), bpe.encode('x \ufffd'), 'same ids as U+FFFD itself');
});

test('decode: bytes that are not UTF-8 (from arbitrary id sequences) become U+FFFD', () => {
  const bpe = new ByteLevelBPE([]);
  assert.equal(bpe.decode([0xe2]), '\ufffd', 'a truncated 3-byte sequence');
  assert.equal(bpe.decode([0xe2, 0x82]), '\ufffd', 'one U+FFFD per maximal invalid subpart');
  assert.equal(bpe.decode([0xe2, 0x82, 0xac]), '€');
  assert.equal(bpe.decode([0x80, 0x41]), '\ufffdA', 'a stray continuation byte');
  assert.equal(bpe.decode([0xff, 0xfe]), '\ufffd\ufffd');
  assert.equal(bpe.decode([0xc0, 0xaf]), '\ufffd\ufffd', 'an overlong form');
  assert.equal(bpe.decode([0xed, 0xa0, 0x80]), '\ufffd\ufffd\ufffd', 'an encoded surrogate');
});

test('special tokens: added after the merges, matched whole, never split', () => {
  const bpe = ByteLevelBPE.train('the cat sat on the mat. the end.', { vocabSize: 270 });
  const n = bpe.vocabSize;
  assert.deepEqual(bpe.addSpecialTokens(['<|endoftext|>', '<|pad|>']), [n, n + 1]);
  assert.deepEqual(bpe.addSpecialTokens(['<|pad|>']), [n + 1], 'adding again keeps the id');
  assert.equal(bpe.vocabSize, n + 2);
  assert.deepEqual(bpe.specialTokens, ['<|endoftext|>', '<|pad|>']);

  const text = 'the cat<|endoftext|>the mat<|pad|><|pad|>';
  const ids = [...bpe.encode(text)];
  assert.equal(ids.filter((id) => id === n).length, 1);
  assert.equal(ids.filter((id) => id === n + 1).length, 2);
  assert.deepEqual(ids.slice(-2), [n + 1, n + 1]);
  assert.equal(bpe.decode(ids), text);
  assert.equal(bpe.idToToken(n), '<|endoftext|>');
  assert.equal(bpe.tokenToId('<|pad|>'), n + 1);

  // allowSpecial: false encodes them as plain text
  const plain = [...bpe.encode(text, { allowSpecial: false })];
  assert.ok(plain.every((id) => id < n));
  assert.equal(bpe.decode(plain), text);

  // the longest special token wins where two start at the same place
  bpe.addSpecialTokens(['<|end|>', '<|end|>!']);
  assert.deepEqual([...bpe.encode('<|end|>!<|end|>')], [n + 3, n + 2]);

  assert.throws(() => bpe.addSpecialTokens(['']), /non-empty string/);
  assert.throws(() => bpe.addSpecialTokens(['<\ud800>']), /lone surrogate/);
});

test('train: specialTokens are left out of training and get the last ids', () => {
  const text = 'xyxyxy<|sep|>xyxyxy<|sep|>xyxy<|sep|>';
  const bpe = ByteLevelBPE.train(text, { vocabSize: 300, specialTokens: ['<|sep|>'] });
  const sep = bpe.tokenToId('<|sep|>');
  assert.equal(sep, bpe.vocabSize - 1);
  for (let id = 256; id < bpe.vocabSize - 1; id++) assert.ok(!bpe.idToToken(id).includes('|'), bpe.idToToken(id));
  assert.equal(bpe.decode(bpe.encode(text)), text);
  assert.throws(() => ByteLevelBPE.train(text, { vocabSize: 256, specialTokens: ['<|sep|>'] }), /from 257 \(the 256 byte tokens \+ 1 special tokens\)/);
});

test('idToToken / tokenToId: readable text, byte escapes for partial characters', () => {
  const bpe = ByteLevelBPE.train('héllo héllo wörld wörld', { vocabSize: 300 });
  assert.equal(bpe.idToToken(65), 'A');
  assert.equal(bpe.idToToken(0xc3), '<0xC3>');
  assert.equal(bpe.tokenToId('<0xC3>'), 0xc3);
  assert.equal(bpe.tokenToId('A'), 65);
  assert.equal(bpe.tokenToId(' wörld'), bpe.encode(' wörld')[0]);
  assert.equal(bpe.encode(' wörld').length, 1);
  assert.equal(bpe.idToToken(bpe.tokenToId('héllo') ?? -1), 'héllo');
  assert.equal(bpe.tokenToId('not in the vocabulary'), undefined);
  assert.equal(bpe.tokenToId('\ud800'), undefined);
  for (let id = 0; id < bpe.vocabSize; id++) assert.equal(bpe.tokenToId(bpe.idToToken(id)), id, `id ${id}`);
  assert.deepEqual([...bpe.idToBytes(bpe.tokenToId('örld') ?? -1)], [0xc3, 0xb6, 0x72, 0x6c, 0x64]);
});

test('a custom pre-tokenisation pattern is used, saved, and restored when the program gives it again', () => {
  const words = /\S+|\s+/; // no g or u flag: both are added
  const bpe = ByteLevelBPE.train('aa,aa,aa bb bb', { vocabSize: 300, preTokenize: words });
  assert.equal(bpe.preTokenizePattern, words);
  assert.ok(bpe.merges.length > 0);
  assert.ok(bpe.tokenToId(',aa') !== undefined, 'punctuation stays inside a \\S+ piece');
  const path = join(tmp, 'custom.json');
  bpe.save(path);
  // a pattern from a file is never run (issue 12: it could backtrack for hours); the program vouches for it
  assert.throws(() => ByteLevelBPE.load(path), /holds the pre-tokenisation pattern \/\\S\+\|\\s\+\/, which is not the built-in one/);
  const again = ByteLevelBPE.load(path, { preTokenize: words });
  assert.equal(again.preTokenizePattern, words);
  assert.deepEqual([...again.encode('aa,aa,aa 😀 bb')], [...bpe.encode('aa,aa,aa 😀 bb')]);
  assert.equal(again.decode(again.encode('aa,😀')), 'aa,😀');
  assert.throws(() => ByteLevelBPE.train('x', { vocabSize: 300, preTokenize: /\-/ }), /not valid in Unicode mode/);
});

test('bad input: vocabSize, minFrequency, ids outside the vocabulary, bad merges', () => {
  assert.throws(() => ByteLevelBPE.train('abc', { vocabSize: 100 }), (err: Error) =>
    err instanceof ValueError && /vocabSize must be an integer from 256 \(the 256 byte tokens\) to \d+, got 100/.test(err.message));
  assert.throws(() => ByteLevelBPE.train('abc', { vocabSize: 300.5 }), /got 300.5/);
  assert.throws(() => ByteLevelBPE.train('abc', { vocabSize: 300, minFrequency: 0 }), /minFrequency must be a positive integer, got 0/);

  const bpe = ByteLevelBPE.train('aaabdaaabac', { vocabSize: 259 });
  assert.throws(() => bpe.decode([97, 5000]), (err: Error) =>
    err instanceof ValueError && err.message.includes('decode: token id 5000 is outside the vocabulary (size 259), at index 1'));
  assert.throws(() => bpe.decode([-1]), /token id -1 is outside the vocabulary/);
  assert.throws(() => bpe.decode([NaN]), /not an integer/);
  assert.throws(() => bpe.idToToken(259), /idToToken: token id 259 is outside the vocabulary \(size 259\)/);

  assert.throws(() => new ByteLevelBPE([[97, 256]]), /merges\[0\] = \[97,256\] uses id 256, but only ids 0\.\.255 exist before it/);
  assert.throws(() => new ByteLevelBPE([[97, 97], [97, 97]]), /merges\[1\] = \[97,97\] repeats an earlier merge/);
});

test('bad files: missing, not JSON, another format, another version, malformed fields', () => {
  const missing = join(tmp, 'missing.json');
  assert.throws(() => ByteLevelBPE.load(missing), (err: Error) =>
    err instanceof FileNotFoundError && err.message.includes(`no tokenizer file at ${missing}`));

  const good = join(tmp, 'good.json');
  ByteLevelBPE.train('aaabdaaabac', { vocabSize: 259, specialTokens: [] }).save(good);
  const saved = JSON.parse(readFileSync(good, 'utf8')) as Record<string, unknown>;
  assert.equal(saved['format'], 'nabla.byte-level-bpe');
  assert.equal(saved['version'], 1);
  assert.equal(saved['vocabSize'], 259);

  const variants: Array<[string, string, RegExp]> = [
    ['truncated', readFileSync(good, 'utf8').slice(0, 40), /is not valid JSON/],
    ['array', '[1, 2]', /does not hold a JSON object/],
    ['future', JSON.stringify({ ...saved, version: 2 }), /has version 2, but this nabla reads version 1/],
    ['noversion', JSON.stringify({ ...saved, version: undefined }), /has version missing/],
    ['other', JSON.stringify({ format: 'nabla.char-tokenizer', version: 1, chars: ['a'], unk: null }), /is not a nabla\.byte-level-bpe file \(its format field is "nabla\.char-tokenizer"\)/],
    ['merges', JSON.stringify({ ...saved, merges: [[97, 97], [97, 300]] }), /is malformed: merges\[1\] = \[97,300\] uses id 300/],
    ['notpairs', JSON.stringify({ ...saved, merges: [[97]] }), /merges\[0\] must be a pair/],
    ['specials', JSON.stringify({ ...saved, specialTokens: [''] }), /special token 0 must be a non-empty string/],
    ['size', JSON.stringify({ ...saved, vocabSize: 1000 }), /field "vocabSize" is 1000, but 256 bytes \+ 3 merges \+ 0 special tokens make 259/],
    ['pattern', JSON.stringify({ ...saved, preTokenize: { source: '(', flags: 'gu' } }), /holds the pre-tokenisation pattern \/\(\/gu, which is not the built-in one/],
    ['patternshape', JSON.stringify({ ...saved, preTokenize: 'words' }), /field "preTokenize" must be null or/],
  ];
  for (const [name, contents, message] of variants) {
    const path = join(tmp, `${name}.json`);
    writeFileSync(path, contents);
    assert.throws(() => ByteLevelBPE.load(path), (err: Error) => {
      assert.ok(err instanceof FormatError, `${name}: ${err.name}`);
      assert.ok(err.message.includes(path), `${name}: names the path: ${err.message}`);
      assert.match(err.message, message);
      return true;
    });
  }
  // and the char tokenizer refuses a BPE file
  assert.throws(() => CharTokenizer.load(good), /is not a nabla\.char-tokenizer file/);
});
