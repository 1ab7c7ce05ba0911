// The tokenizers are reachable where text generation lives (nb.text), not only under nb.data.text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('nb.text.CharTokenizer, ByteLevelBPE and CharCorpus are the data.text classes and work from there', () => {
  assert.equal(nb.text.CharTokenizer, nb.data.text.CharTokenizer);
  assert.equal(nb.text.ByteLevelBPE, nb.data.text.ByteLevelBPE);
  assert.equal(nb.text.CharCorpus, nb.data.text.CharCorpus);
  const chars = nb.text.CharTokenizer.fromText('abcab');
  assert.deepEqual(Array.from(chars.encode('cab')), [2, 0, 1]);
  assert.equal(chars.decode(chars.encode('cab')), 'cab');
  const bpe = nb.text.ByteLevelBPE.train('low lower lowest '.repeat(20), { vocabSize: 270 });
  const ids = bpe.encode('lowest');
  assert.ok(ids.length < 'lowest'.length, `merges shorten the ids: ${ids.length}`);
  assert.equal(bpe.decode(ids), 'lowest');
});
