// nb.text.ctcDecode: greedy collapse and prefix beam search on hand-worked cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

/** Logits whose softmax is `probs` exactly (log-probabilities are logits). */
const fromProbs = (probs: number[][][]) => nb.log(nb.tensor(probs, { dtype: 'float64' }));

test('greedy: argmax per frame, repeats merged, blanks dropped (a blank separates a true repeat)', () => {
  // argmax path 1 1 0 1 2 2 0 0 3 → 1 1 2 3
  const path = [1, 1, 0, 1, 2, 2, 0, 0, 3];
  const probs = path.map((k) => [0, 1, 2, 3].map((c) => (c === k ? 0.7 : 0.1)));
  const [r] = nb.text.ctcDecode(fromProbs([probs]));
  assert.deepEqual(r!.labels, [1, 1, 2, 3]);
  assert.ok(Math.abs(r!.score - path.length * Math.log(0.7)) < 1e-12);
  // a shorter logit length: the first 5 frames, 1 1 0 1 2 → 1 1 2
  const [s] = nb.text.ctcDecode(fromProbs([probs]), { logitLengths: [5] });
  assert.deepEqual(s!.labels, [1, 1, 2]);
  // blank id 3: the 0s are labels now, and the trailing 3 is dropped → 1 0 1 2 0
  const [u] = nb.text.ctcDecode(fromProbs([probs]), { blank: 3 });
  assert.deepEqual(u!.labels, [1, 0, 1, 2, 0]);
});

test('beam search finds the labelling greedy misses', () => {
  // Two frames, classes (blank, a), each frame p(blank) = 0.6, p(a) = 0.4.
  // Greedy takes the best path "blank blank" → [] with p = 0.36.
  // The labelling [a] has three alignments: "a blank" 0.24 + "blank a" 0.24 + "a a" 0.16 = 0.64,
  // the most probable labelling, which beam search finds with log-probability log 0.64.
  const x = fromProbs([[[0.6, 0.4], [0.6, 0.4]]]);
  const [g] = nb.text.ctcDecode(x, { method: 'greedy' });
  assert.deepEqual(g!.labels, []);
  assert.ok(Math.abs(g!.score - Math.log(0.36)) < 1e-12);
  const [b] = nb.text.ctcDecode(x, { method: 'beam', beamWidth: 4 });
  assert.deepEqual(b!.labels, [1]);
  assert.ok(Math.abs(b!.score - Math.log(0.64)) < 1e-12);
});

test('beam search keeps a repeated label apart only across a blank', () => {
  // Three frames over (blank, a): a blank a → [a, a]; its score sums only that alignment, so
  // with the frames below p([a, a]) = 0.9·0.9·0.9 = 0.729 beats p([a]) (every other path with an a).
  const x = fromProbs([[[0.1, 0.9], [0.9, 0.1], [0.1, 0.9]]]);
  const [b] = nb.text.ctcDecode(x, { method: 'beam', beamWidth: 8 });
  assert.deepEqual(b!.labels, [1, 1]);
  assert.ok(Math.abs(b!.score - Math.log(0.729)) < 1e-12);
});

test('the beam score of a labelling equals exp(−ctc loss) when the beam is wide enough', () => {
  const logits = nb.randn([3, 6, 4], { dtype: 'float64', generator: new nb.Generator(5) });
  const decoded = nb.text.ctcDecode(logits, { method: 'beam', beamWidth: 200 });
  decoded.forEach((d, b) => {
    const row = nb.slice(logits, [[b, b + 1]]);
    const loss = nb.losses.ctc(nb.tensor([d.labels.length > 0 ? d.labels : [-1]], { dtype: 'int32' }), row, { reduction: 'none' }).item();
    assert.ok(Math.abs(d.score + loss) < 1e-9, `sequence ${b}: ${d.score} vs ${-loss}`);
  });
});

test('beam width 1 equals greedy on peaked outputs', () => {
  // With one beam the search keeps the best one-frame extension of its labelling; when each frame
  // has a clear winner (as a trained model's do) that is the argmax path, collapsed. Not in
  // general: after "a", blank (argmax), the labelling "a" has both a blank part pb and a part pnb
  // still on a; at a frame whose argmax is a again, "a a" gets only pb·p(a) but "a b" gets
  // (pb + pnb)·p(b), which wins when pnb is large enough (these logits at scale 6 show one).
  const logits = nb.mul(nb.randn([8, 30, 6], { generator: new nb.Generator(11) }), 10);
  const greedy = nb.text.ctcDecode(logits).map((r) => r.labels);
  const beam = nb.text.ctcDecode(logits, { method: 'beam', beamWidth: 1 }).map((r) => r.labels);
  assert.deepEqual(beam, greedy);
  assert.ok(greedy.some((l) => l.length > 3), 'the case decodes to real sequences');
});

test('bad options are errors naming the fix', () => {
  const x = nb.randn([1, 3, 4]);
  assert.throws(() => nb.text.ctcDecode(x, { method: 'viterbi' as 'beam' }), /method must be 'greedy' or 'beam'/);
  assert.throws(() => nb.text.ctcDecode(x, { method: 'beam', beamWidth: 0 }), /beamWidth must be a whole number ≥ 1/);
  assert.throws(() => nb.text.ctcDecode(x, { blank: 4 }), /blank must be a class id in \[0, 3\]/);
  assert.throws(() => nb.text.ctcDecode(nb.randn([3, 4])), /\[batch, time, classes\].*reshape to \[1, time, classes\]/);
  assert.throws(() => nb.text.ctcDecode(x, { logitLengths: [4] }), /logitLengths\[0\] = 4 is beyond the time steps/);
});
