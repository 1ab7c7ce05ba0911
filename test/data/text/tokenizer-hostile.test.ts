// Hostile tokenizer files (issue 12, items 1 and 9): a pre-tokenisation pattern from a file is
// never run unless it is the built-in one (12 of 19 injected patterns made encode take over 10 s),
// and token strings named like inherited properties are plain data.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '../../../src/formats/errors.js';
import { ByteLevelBPE, CharTokenizer, DEFAULT_PRE_TOKENIZE_PATTERN } from '../../../src/data/text/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-tokenizer-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();

function savedBpe(name: string, opts: { preTokenize?: RegExp | false; specialTokens?: string[] } = {}): { path: string; json: Record<string, unknown> } {
  const path = join(tmp, `${name}.json`);
  ByteLevelBPE.train('aaab aaab aaa! b', { vocabSize: 262 + (opts.specialTokens?.length ?? 0), ...opts }).save(path);
  return { path, json: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> };
}

// each backtracks exponentially (or worse than quadratically) on a run of 'a's that fails at the end
const catastrophic = ['(a+)+$', '(a|a)*b', '(a|aa)+$', '(\\w+\\s?)*$', '^(([a-z])+.)+[A-Z]([a-z])+$', '(.*a){12}'];

for (const source of catastrophic) {
  test(`a tokenizer file whose preTokenize is /${source}/ is refused at load, before anything runs it`, () => {
    const { path, json } = savedBpe(`evil-${catastrophic.indexOf(source)}`);
    writeFileSync(path, JSON.stringify({ ...json, preTokenize: { source, flags: 'gu' } }));
    // only the load is tried: had it succeeded, encode('aaa…a!') would have run for hours
    assert.throws(() => ByteLevelBPE.load(path), (err: unknown) => {
      assert.ok(err instanceof FormatError, String(err));
      assert.ok(err.message.startsWith(`ByteLevelBPE.load: ${path} holds the pre-tokenisation pattern /${source}/gu, which is not the built-in one`), err.message);
      assert.match(err.message, /Files may hold only the built-in pattern \(DEFAULT_PRE_TOKENIZE_PATTERN\) or none; if you trust this file's, pass it yourself: ByteLevelBPE\.load\(path, \{ preTokenize: \/…\/ \}\)/);
      return true;
    });
  });
}

test('the built-in pattern and no pattern load from a file, whatever order the flags are in', () => {
  const withDefault = savedBpe('default');
  assert.deepEqual(withDefault.json['preTokenize'], { source: DEFAULT_PRE_TOKENIZE_PATTERN.source, flags: 'gu' });
  assert.equal(ByteLevelBPE.load(withDefault.path).preTokenizePattern, DEFAULT_PRE_TOKENIZE_PATTERN);
  writeFileSync(withDefault.path, JSON.stringify({ ...withDefault.json, preTokenize: { source: DEFAULT_PRE_TOKENIZE_PATTERN.source, flags: 'ug' } }));
  assert.equal(ByteLevelBPE.load(withDefault.path).preTokenizePattern, DEFAULT_PRE_TOKENIZE_PATTERN);
  // the same source with a flag that changes its meaning is not the built-in pattern
  writeFileSync(withDefault.path, JSON.stringify({ ...withDefault.json, preTokenize: { source: DEFAULT_PRE_TOKENIZE_PATTERN.source, flags: 'giu' } }));
  assert.throws(() => ByteLevelBPE.load(withDefault.path), /which is not the built-in one/);
  const none = savedBpe('none', { preTokenize: false });
  assert.equal(none.json['preTokenize'], null);
  assert.equal(ByteLevelBPE.load(none.path).preTokenizePattern, null);
});

test('a custom pattern loads when the program gives the same one, and only then', () => {
  const words = /\S+|\s+/u;
  const { path } = savedBpe('words', { preTokenize: words });
  assert.throws(() => ByteLevelBPE.load(path), /holds the pre-tokenisation pattern \/\\S\+\|\\s\+\/u, which is not the built-in one/);
  assert.equal(ByteLevelBPE.load(path, { preTokenize: /\S+|\s+/ }).preTokenizePattern?.source, words.source);
  assert.throws(() => ByteLevelBPE.load(path, { preTokenize: /\w+/ }), (err: unknown) =>
    err instanceof FormatError && err.message === `ByteLevelBPE.load: ${path} was saved with the pre-tokenisation pattern /\\S+|\\s+/u, not the given /\\w+/; pass the pattern it was trained with, or load it without one`);
  const none = savedBpe('none2', { preTokenize: false });
  assert.throws(() => ByteLevelBPE.load(none.path, { preTokenize: words }), /was saved with the pre-tokenisation pattern none, not the given/);
  assert.throws(() => ByteLevelBPE.load(path, { preTokenize: '\\S+' as unknown as RegExp }), /preTokenize must be a RegExp, got string/);
});

test('special tokens and an unk token named __proto__ or constructor are data: they encode, decode and pollute nothing', () => {
  const specials = ['__proto__', 'constructor', 'toString'];
  const { path } = savedBpe('specials', { specialTokens: specials });
  const bpe = ByteLevelBPE.load(path);
  assert.deepEqual(bpe.specialTokens, specials);
  const ids = bpe.encode('a__proto__bconstructor');
  assert.equal(bpe.decode(ids), 'a__proto__bconstructor');
  assert.ok(ids.includes(bpe.tokenToId('__proto__')!));
  assert.equal(bpe.tokenToId('hasOwnProperty'), undefined);

  const charPath = join(tmp, 'chars.json');
  new CharTokenizer(['a', 'b'], { unk: '__proto__' }).save(charPath);
  const chars = CharTokenizer.load(charPath);
  assert.deepEqual([...chars.encode('abz')], [0, 1, 2]);
  assert.equal(chars.decode([0, 2]), 'a__proto__');
  assert.equal(String({}), '[object Object]');
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), objectKeys);
});
