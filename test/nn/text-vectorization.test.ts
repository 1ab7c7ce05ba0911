// TextVectorization against Keras' behaviour, worked by hand: standardisation, splitting,
// n-grams, the vocabulary's order after adapt, padding and OOV ids, each output mode (tf_idf's
// values computed here), outputSequenceLength, and the layer contract (runLayerTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { CharTokenizer } from '../../src/data/index.js';
import { runLayerTest } from './run-layer-test.js';

const { TextVectorization } = nb.layers;
const rows = (t: nb.Tensor): number[][] => {
  const [b, w] = t.shape as [number, number];
  const d = Array.from(t.data());
  return Array.from({ length: b }, (_, i) => d.slice(i * w, (i + 1) * w));
};
const close = (a: number[][], b: number[][]) => {
  assert.deepEqual(a.map((r) => r.length), b.map((r) => r.length));
  a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i]![j]!) < 1e-6, `[${i}][${j}]: ${v} vs ${b[i]![j]}`)));
};

test('standardisation: lower-casing and the 32 ASCII punctuation marks, as Keras; or a function', () => {
  const text = "Hello, World! It's e-mail: A.B";
  const tok = (standardize: ConstructorParameters<typeof TextVectorization>[0]) => new TextVectorization(standardize).tokenize(text);
  assert.deepEqual(tok({}), ['hello', 'world', 'its', 'email', 'ab']);
  assert.deepEqual(tok({ standardize: 'lower' }), ['hello,', 'world!', "it's", 'e-mail:', 'a.b']);
  assert.deepEqual(tok({ standardize: 'strip_punctuation' }), ['Hello', 'World', 'Its', 'email', 'AB']);
  assert.deepEqual(tok({ standardize: null }), ['Hello,', 'World!', "It's", 'e-mail:', 'A.B']);
  assert.deepEqual(tok({ standardize: (t) => t.replace(/[aeiou]/g, '') }), ['Hll,', 'Wrld!', "It's", '-ml:', 'A.B']);
  // every ASCII punctuation mark goes (the `,-.` of Keras' pattern is a range: , - .), nothing else
  const all = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  assert.equal(all.length, 32);
  assert.deepEqual(new TextVectorization().tokenize(`a${all}b «c» é`), ['ab', '«c»', 'é']);
  // lower-casing covers Unicode (Keras' tf.strings.lower changes only A–Z)
  assert.deepEqual(new TextVectorization().tokenize('ÉTÉ Straße'), ['été', 'straße']);
  // any spelling of the names
  assert.deepEqual(new TextVectorization({ standardize: 'lowerAndStripPunctuation' as 'lower' }).tokenize('A.b'), ['ab']);
});

test('splitting: white space, characters, none, a function, a tokenizer', () => {
  const tok = (split: ConstructorParameters<typeof TextVectorization>[0], text: string) => new TextVectorization({ standardize: null, ...split }).tokenize(text);
  assert.deepEqual(tok({}, '  a \t\n b\u00a0c  '), ['a', 'b', 'c']);
  assert.deepEqual(tok({ split: 'character' }, 'ab c😀'), ['a', 'b', ' ', 'c', '😀']);
  assert.deepEqual(tok({ split: null }, 'a whole text'), ['a whole text']);
  assert.deepEqual(tok({ split: (t) => t.split('|') }, 'x|y'), ['x', 'y']);
  const chars = CharTokenizer.fromText('abc ');
  assert.deepEqual(tok({ split: chars }, 'cab a'), ['c', 'a', 'b', ' ', 'a']);
  const pieces = { encode: (t: string) => (t === 'unhappy' ? [0, 1] : [2]), idToToken: (id: number) => ['un', 'happy', '?'][id]! };
  assert.deepEqual(tok({ split: pieces }, 'unhappy'), ['un', 'happy']);
});

test('n-grams: n gives widths 1..n, a list gives those widths, each width in turn, left to right', () => {
  assert.deepEqual(new TextVectorization({ ngrams: 2 }).tokenize('a b c'), ['a', 'b', 'c', 'a b', 'b c']);
  assert.deepEqual(new TextVectorization({ ngrams: [2, 3] }).tokenize('a b c d'), ['a b', 'b c', 'c d', 'a b c', 'b c d']);
  assert.deepEqual(new TextVectorization({ ngrams: 3 }).tokenize('a b'), ['a', 'b', 'a b']);
  assert.deepEqual(new TextVectorization({ ngrams: 2, split: 'character', standardize: null }).tokenize('ab'), ['a', 'b', 'a b']);
  // bigrams are vocabulary entries like any token
  const tv = new TextVectorization({ ngrams: 2 });
  tv.adapt(['x y', 'x y', 'y x']);
  assert.deepEqual(tv.getVocabulary(), ['', '[UNK]', 'y', 'x', 'x y', 'y x']);
  assert.deepEqual(rows(tv.vectorize(['x y z'])), [[3, 2, 1, 4, 1]]);
});

test("adapt: Keras' documented example — most frequent first, ties in reverse order, OOV 1, padding 0", () => {
  const tv = new TextVectorization({ maxTokens: 5000, outputMode: 'int', outputSequenceLength: 4 });
  tv.adapt(['foo bar', 'bar baz', 'baz bada boom']);
  // counts: bar 2, baz 2, then bada, boom, foo once each; equal counts in reverse order
  assert.deepEqual(tv.getVocabulary(), ['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
  assert.deepEqual(tv.getVocabulary(false), ['baz', 'bar', 'foo', 'boom', 'bada']);
  assert.equal(tv.vocabularySize(), 7);
  const out = tv.vectorize(['foo qux bar', 'qux baz']);
  assert.equal(out.dtype, 'int32');
  assert.deepEqual(rows(out), [[4, 1, 3, 0], [1, 2, 0, 0]]);
  // reverse order is by code point: 'é' (U+E9) and '😀' (U+1F600) after 'z'
  const order = new TextVectorization({ standardize: null });
  order.adapt(['a z é 😀 b']);
  assert.deepEqual(order.getVocabulary(false), ['😀', 'é', 'z', 'b', 'a']);
  // the reserved tokens are never learned; adapt again replaces the vocabulary
  const reserved = new TextVectorization({ standardize: null, split: null });
  reserved.adapt(['', '[UNK]', 'x']);
  assert.deepEqual(reserved.getVocabulary(), ['', '[UNK]', 'x']);
  reserved.adapt(['y']);
  assert.deepEqual(reserved.getVocabulary(), ['', '[UNK]', 'y']);
});

test('maxTokens counts the reserved entries: 2 in int mode, 1 (OOV) in the others', () => {
  const texts = ['foo bar', 'bar baz', 'baz bada boom'];
  const int = new TextVectorization({ maxTokens: 4 });
  int.adapt(texts);
  assert.deepEqual(int.getVocabulary(), ['', '[UNK]', 'baz', 'bar']);
  assert.deepEqual(rows(int.vectorize(['foo bar'])), [[1, 3]]);
  const hot = new TextVectorization({ maxTokens: 4, outputMode: 'multi_hot' });
  hot.adapt(texts);
  assert.deepEqual(hot.getVocabulary(), ['[UNK]', 'baz', 'bar', 'foo']);
  assert.equal(hot.vocabularySize(), 4);
});

test('outputSequenceLength: padded with 0 or cut at the end; without it, the longest text of the call', () => {
  const tv = new TextVectorization({ vocabulary: ['a', 'b', 'c', 'd', 'e', 'f'], outputSequenceLength: 3 });
  assert.deepEqual(rows(tv.vectorize(['a b c d e f', 'f', ''])), [[2, 3, 4], [7, 0, 0], [0, 0, 0]]);
  // a text far longer than outputSequenceLength is cut: its first 3 tokens are kept
  const long = Array.from({ length: 10000 }, (_, i) => 'abcdef'[i % 6]).join(' ');
  assert.deepEqual(rows(tv.vectorize([long])), [[2, 3, 4]]);
  const free = new TextVectorization({ vocabulary: ['a', 'b'] });
  assert.deepEqual(rows(free.vectorize(['a', 'b a zz'])), [[2, 0, 0], [3, 2, 1]]);
  assert.deepEqual(free.encodeTexts(['', '']).shape, [2, 1]);
  // ids of another length given to the layer are cut or padded the same way
  assert.deepEqual(rows(tv.apply(nb.tensor([[2, 3], [4, 5]], { dtype: 'int32' }))), [[2, 3, 0], [4, 5, 0]]);
  assert.deepEqual(rows(tv.apply(nb.tensor([[2, 3, 4, 5, 6]], { dtype: 'int32' }))), [[2, 3, 4]]);
});

test('multi_hot and count: one row of vocabularySize per text, index 0 counting the OOV tokens', () => {
  const vocabulary = ['earth', 'wind', 'and', 'fire'];
  const hot = new TextVectorization({ outputMode: 'multi_hot', vocabulary });
  assert.deepEqual(hot.getVocabulary(), ['[UNK]', 'earth', 'wind', 'and', 'fire']);
  const texts = ['earth wind wind sky', 'fire and fire', ''];
  const out = hot.vectorize(texts);
  assert.equal(out.dtype, 'float32');
  assert.deepEqual(rows(out), [[1, 1, 1, 0, 0], [0, 0, 0, 1, 1], [0, 0, 0, 0, 0]]);
  const count = new TextVectorization({ outputMode: 'count', vocabulary });
  assert.deepEqual(rows(count.vectorize(texts)), [[1, 1, 2, 0, 0], [0, 0, 0, 1, 2], [0, 0, 0, 0, 0]]);
  const padded = new TextVectorization({ outputMode: 'multiHot' as 'multi_hot', vocabulary, maxTokens: 8, padToMaxTokens: true });
  assert.deepEqual(rows(padded.vectorize(['wind'])), [[0, 0, 1, 0, 0, 0, 0, 0]]);
});

test('tf_idf: counts times log(1 + N / (1 + df)), OOV weighted by the mean idf', () => {
  const tv = new TextVectorization({ outputMode: 'tf_idf' });
  tv.adapt(['foo bar', 'bar baz', 'baz bada boom']);
  assert.deepEqual(tv.getVocabulary(), ['[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
  // N = 3 texts: baz and bar are in 2 (idf ln 2), the others in 1 (idf ln 2.5)
  const [two, one] = [Math.log(1 + 3 / 3), Math.log(1 + 3 / 2)];
  const oov = (2 * two + 3 * one) / 5;
  close(rows(tv.vectorize(['foo qux bar bar'])), [[oov, 0, 2 * two, one, 0, 0]]);
  // given weights (Keras' example): the OOV weight is their mean
  const given = new TextVectorization({ outputMode: 'tf_idf', vocabulary: ['earth', 'wind', 'and', 'fire'], idfWeights: [0.1, 0.2, 0.3, 0.4] });
  close(rows(given.vectorize(['earth wind and earth sky'])), [[0.25, 0.2, 0.2, 0.3, 0]]);
  // a vocabulary listed with its reserved entry takes its weights as they are
  const again = new TextVectorization({ outputMode: 'tf_idf', vocabulary: given.getVocabulary(), idfWeights: [9, 0.1, 0.2, 0.3, 0.4] });
  close(rows(again.vectorize(['sky'])), [[9, 0, 0, 0, 0]]);
});

test('a given vocabulary: reserved entries first or not at all, no repeats, within maxTokens', () => {
  const tv = new TextVectorization({ vocabulary: ['', '[UNK]', 'a', 'b'] });
  assert.deepEqual(tv.getVocabulary(), ['', '[UNK]', 'a', 'b']);
  const bad: [ConstructorParameters<typeof TextVectorization>[0], RegExp][] = [
    [{ vocabulary: ['a', 'a'] }, /holds "a" twice/],
    [{ vocabulary: ['a', '[UNK]'] }, /holds the reserved token "\[UNK\]" after its start; .* \("", "\[UNK\]"\)/],
    [{ vocabulary: ['a', 'b', 'c'], maxTokens: 4 }, /has 5 entries with the reserved ones, more than maxTokens 4/],
    [{ vocabulary: ['a'], outputMode: 'tf_idf' }, /'tf_idf' needs idfWeights/],
    [{ vocabulary: ['a'], outputMode: 'tf_idf', idfWeights: [1, 2] }, /idfWeights has 2 weights for a vocabulary of 1 tokens/],
    [{ vocabulary: ['a'], idfWeights: [1] }, /idfWeights apply to outputMode 'tf_idf' only/],
    [{ idfWeights: [1] }, /idfWeights needs the vocabulary/],
    [{ outputMode: 'embedding' as 'int' }, /outputMode must be 'int', 'multi_hot', 'count' or 'tf_idf', got "embedding"/],
    [{ standardize: 'upper' as 'lower' }, /standardize must be 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null or a function/],
    [{ split: 'comma' as 'whitespace' }, /split must be 'whitespace', 'character', null, a function or a tokenizer/],
    [{ ngrams: 0 }, /ngrams must be null, a positive integer n/],
    [{ ngrams: [1, 0] }, /ngrams must be/],
    [{ maxTokens: 2 }, /maxTokens must be an integer above 2/],
    [{ outputMode: 'count', outputSequenceLength: 4 }, /outputSequenceLength applies to outputMode 'int' only/],
    [{ outputSequenceLength: 0 }, /outputSequenceLength must be a positive integer up to 1048576, got 0/],
    // a hostile model.json must not make every predict allocate rows × 1e9 ids
    [{ outputSequenceLength: 1e9 }, /outputSequenceLength must be a positive integer up to 1048576, got 1000000000/],
    [{ padToMaxTokens: true, outputMode: 'count' }, /padToMaxTokens needs maxTokens/],
  ];
  assert.deepEqual(new TextVectorization({ vocabulary: ['[UNK]', 'a'], outputMode: 'count' }).getVocabulary(), ['[UNK]', 'a']);
  for (const [opts, message] of bad) {
    assert.throws(() => new TextVectorization(opts), { name: 'ValueError', message }, JSON.stringify(opts));
  }
});

test('bad calls: no vocabulary yet, ids outside it, the wrong rank, texts that are not strings', () => {
  const fresh = new TextVectorization();
  assert.throws(() => fresh.encodeTexts(['a']), { message: /no vocabulary yet; call adapt\(trainingTexts\) or pass \{ vocabulary \}/ });
  assert.throws(() => new TextVectorization({ outputMode: 'count' }).apply(nb.zeros([1, 2], { dtype: 'int32' })), { message: /outputMode 'count' needs a vocabulary before the first call/ });
  const tv = new TextVectorization({ vocabulary: ['a'] });
  assert.throws(() => tv.apply(nb.tensor([[0, 3]], { dtype: 'int32' })), { message: /token id 3 is outside the vocabulary \[0, 3\)/ });
  assert.throws(() => tv.apply(nb.tensor([[0.5]])), { name: 'DTypeError', message: /token ids must be whole numbers/ });
  assert.throws(() => tv.apply(nb.tensor([1], { dtype: 'int32' })), { name: 'ShapeError', message: /expects token ids \[batch, length\]/ });
  assert.deepEqual(rows(tv.apply(nb.tensor([[2, 0]]))), [[2, 0]]);
  assert.throws(() => tv.adapt([]), { message: /adapt needs at least one text/ });
  assert.throws(() => tv.adapt(['a', 3 as unknown as string]), { message: /adapt takes an array of strings; element 1 is number/ });
  assert.throws(() => tv.encodeTexts('a b' as unknown as string[]), { message: /encodeTexts takes an array of strings, got string/ });
});

test('runLayerTest: int and tf_idf modes (no weights; the vocabulary and idf travel in the config)', () => {
  runLayerTest({
    make: () => new TextVectorization({ name: 'tv', vocabulary: ['a', 'b', 'c'], outputSequenceLength: 4 }),
    input: nb.tensor([[2, 3, 1], [4, 0, 0]], { dtype: 'int32' }),
    outputShape: [2, 4],
    trainable: {},
  });
  runLayerTest({
    make: () => new TextVectorization({ name: 'tfidf', outputMode: 'tf_idf', vocabulary: ['a', 'b'], idfWeights: [0.5, 1.5], ngrams: [1, 2] }),
    input: nb.tensor([[2, 3, 3], [1, 0, 0]], { dtype: 'int32' }),
    outputShape: [2, 3],
    trainable: {},
  });
  const tv = new TextVectorization({ outputMode: 'tf_idf', maxTokens: 10 });
  tv.adapt(['a b', 'b c']);
  const config = JSON.parse(JSON.stringify(tv.getConfig())) as Record<string, unknown>;
  assert.deepEqual(config.vocabulary, ['[UNK]', 'b', 'c', 'a']);
  const copy = nb.layerFromConfig({ className: 'TextVectorization', config }) as InstanceType<typeof TextVectorization>;
  assert.deepEqual(Array.from(copy.vectorize(['a b z']).data()), Array.from(tv.vectorize(['a b z']).data()));
});
