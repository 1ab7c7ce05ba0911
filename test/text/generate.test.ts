import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { generate, type GenerationModel } from '../../src/text/generate.js';
import { samplingProbabilities, sampleToken, argmaxRow } from '../../src/text/sampling.js';
import { CharTokenizer } from '../../src/data/text/char-tokenizer.js';

/**
 * A model whose logits at position p depend on every id of the window up to p and on p itself
 * (like attention with absolute positions), computed here in plain JS. Its cache is the list of
 * ids seen, so cached and uncached runs agree only if generate() feeds positions correctly.
 */
class WindowModel implements GenerationModel {
  calls: number[] = []; // length of each call's input
  constructor(readonly vocabSize: number, readonly contextLength: number) {}
  private row(window: number[]): number[] {
    const p = window.length - 1;
    const sum = window.reduce((a, b) => a + b, 0);
    return Array.from({ length: this.vocabSize }, (_, v) => Math.sin(1.3 * v * (sum + 1) + 0.7 * p + window[p]! * v) * 2);
  }
  apply(ids: nb.Tensor): nb.Tensor {
    const x = Array.from(ids.data());
    this.calls.push(x.length);
    if (x.length > this.contextLength) throw new Error('window longer than the context');
    return nb.tensor([x.map((_, i) => this.row(x.slice(0, i + 1)))]);
  }
  createCache(): { ids: number[] } {
    return { ids: [] };
  }
  applyWithCache(ids: nb.Tensor, cache: unknown): nb.Tensor {
    const c = cache as { ids: number[] };
    const x = Array.from(ids.data());
    this.calls.push(x.length);
    const rows = x.map((id) => {
      c.ids.push(id);
      if (c.ids.length > this.contextLength) throw new Error('cache longer than the context');
      return this.row(c.ids.slice());
    });
    return nb.tensor([rows]);
  }
}

/** Next id = (last id + 1) mod V, by a wide margin. */
const counter: GenerationModel = {
  vocabSize: 5,
  contextLength: 8,
  apply(ids: nb.Tensor) {
    const x = Array.from(ids.data());
    return nb.tensor([x.map((id) => Array.from({ length: 5 }, (_, v) => (v === (id + 1) % 5 ? 10 : 0)))]);
  },
};

test('greedy decoding (temperature 0) follows the arg-max', () => {
  assert.deepEqual(Array.from(generate(counter, [3], { maxNewTokens: 6, temperature: 0 })), [3, 4, 0, 1, 2, 3, 4]);
  assert.equal(argmaxRow([1, 7, 7, 2]), 1);
});

test('cached generation gives the same tokens as uncached, also after the window slides', () => {
  for (const opts of [{ temperature: 0 }, { temperature: 1 }, { temperature: 0.7, topK: 3 }, { temperature: 1.2, topP: 0.8 }]) {
    const a = new WindowModel(7, 6);
    const b = new WindowModel(7, 6);
    const cached = generate(a, [1, 2, 3], { ...opts, maxNewTokens: 12, seed: 5 });
    const plain = generate(b, [1, 2, 3], { ...opts, maxNewTokens: 12, seed: 5, useCache: false });
    assert.deepEqual(Array.from(cached), Array.from(plain), JSON.stringify(opts));
    assert.equal(cached.length, 15);
    // uncached: every step re-runs the window; cached: the prompt once, then one token per step
    // while the sequence fits the context (lengths 3..6), then the slid window each step
    assert.deepEqual(b.calls, [3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6]);
    assert.deepEqual(a.calls, [3, 1, 1, 1, 6, 6, 6, 6, 6, 6, 6, 6]);
  }
});

test('the same seed gives the same text; another seed another', () => {
  const m = new WindowModel(11, 16);
  const run = (seed: number) => Array.from(generate(m, [0], { maxNewTokens: 14, seed }));
  assert.deepEqual(run(3), run(3));
  assert.notDeepEqual(run(3), run(4));
});

test('samplingProbabilities: temperature, top-k and top-p against hand-computed values', () => {
  const close = (got: Float64Array, want: number[]) => want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) < 1e-9, `p[${i}] = ${got[i]}, want ${w}`));
  // softmax([2, 1, 0]) = [e², e, 1] / (e² + e + 1)
  const z = Math.E ** 2 + Math.E + 1;
  close(samplingProbabilities([2, 1, 0]), [Math.E ** 2 / z, Math.E / z, 1 / z]);
  // temperature 2 halves the logits
  const z2 = Math.E + Math.sqrt(Math.E) + 1;
  close(samplingProbabilities([2, 1, 0], { temperature: 2 }), [Math.E / z2, Math.sqrt(Math.E) / z2, 1 / z2]);
  // top-2 keeps e² and e
  close(samplingProbabilities([2, 1, 0], { topK: 2 }), [Math.E ** 2 / (Math.E ** 2 + Math.E), Math.E / (Math.E ** 2 + Math.E), 0]);
  // probabilities [0.5, 0.3, 0.2] (logits are their logs): top-p 0.7 keeps 0.5 and 0.3 (0.5 < 0.7 ≤ 0.8)
  close(samplingProbabilities([Math.log(0.5), Math.log(0.3), Math.log(0.2)], { topP: 0.7 }), [0.5 / 0.8, 0.3 / 0.8, 0]);
  close(samplingProbabilities([Math.log(0.2), Math.log(0.5), Math.log(0.3)], { topP: 0.5 }), [0, 1, 0]);
  // ties with the k-th value are kept
  close(samplingProbabilities([1, 1, 0], { topK: 1 }), [0.5, 0.5, 0]);
});

test('sampleToken draws with the filtered probabilities', () => {
  const g = new nb.Generator(1);
  const counts = [0, 0, 0, 0];
  const logits = [Math.log(0.1), Math.log(0.2), Math.log(0.3), Math.log(0.4)];
  const n = 4000;
  for (let i = 0; i < n; i++) counts[sampleToken(logits, { topK: 3 }, g)]!++;
  assert.equal(counts[0], 0, 'top-3 never draws the least likely token');
  // expected 2/9, 3/9, 4/9 of the draws; 5 standard deviations of a binomial is under 0.04
  [2 / 9, 3 / 9, 4 / 9].forEach((p, i) => assert.ok(Math.abs(counts[i + 1]! / n - p) < 0.04, `token ${i + 1}: ${counts[i + 1]! / n} vs ${p}`));
});

test('string prompts go through the tokenizer', () => {
  const tok = new CharTokenizer(['a', 'b', 'c', 'd', 'e']);
  assert.equal(generate(counter, 'c', { tokenizer: tok, maxNewTokens: 4, temperature: 0 }), 'cdeab');
});

test('bad prompts and options are clear errors', () => {
  const m = new WindowModel(5, 4);
  assert.throws(() => generate(m, [1, 2, 3, 4, 0]), /the prompt has 5 tokens, longer than the model's context of 4/);
  assert.throws(() => generate(m, [1, 9]), /prompt token 1 is 9, outside the model's vocabulary of 5 ids \(0\.\.4\)/);
  assert.throws(() => generate(m, [1, -1]), /prompt token 1 is -1, outside/);
  assert.throws(() => generate(m, []), /the prompt is empty/);
  assert.throws(() => generate(m, 'abc', {} as never), /a string prompt needs a tokenizer/);
  assert.throws(() => generate(m, [1], { temperature: -1 }), /temperature must be a finite number >= 0/);
  assert.throws(() => generate(m, [1], { topK: 0 }), /topK must be a positive integer, got 0/);
  assert.throws(() => generate(m, [1], { topK: 6 }), /topK 6 is larger than the vocabulary \(5 tokens\)/);
  assert.throws(() => generate(m, [1], { topP: 0 }), /topP must be in \(0, 1\], got 0/);
  assert.throws(() => generate(m, [1], { maxNewTokens: 1.5 }), /maxNewTokens must be a non-negative integer/);
  const tok = new CharTokenizer(['a', 'b']);
  assert.throws(() => generate(m, 'az', { tokenizer: tok }), /character "z" \(U\+007A\) at position 1 is not in the vocabulary/);
});
