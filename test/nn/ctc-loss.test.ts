// nb.losses.ctc against PyTorch's F.ctc_loss (fixture from scripts/fixtures/ctc.py): every
// reduction, zeroInfinity, the gradient with respect to the logits, on each backend and dtype;
// gradcheck in float64; and the refusals of malformed inputs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../src/index.js';
import { backend, jsBackend, nativeBackend, setBackend, type Backend } from '../../src/backend/index.js';

type Num = number | 'Infinity';
interface DTypeCase { logits: number[]; loss: Record<string, Num[]>; grad: Record<string, (number | null)[]> }
interface Case {
  name: string; blank: number; labels: number[][]; labelLengths: number[]; logitLengths: number[];
  shape: [number, number, number]; dtypes: Record<'float32' | 'float64', DTypeCase>;
}
const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, '../fixtures/ctc/ctc.json'), 'utf8')) as { cases: Case[] };

const original = backend();
after(() => setBackend(original));
const native = nativeBackend();
const BACKENDS: Backend[] = [jsBackend, ...(native ? [native] : [])];

const num = (v: Num | null): number => (v === 'Infinity' ? Infinity : v === null ? NaN : v);

/** Largest relative error |a − b| / max(|b|, 1) over the pair; equal infinities and NaNs count 0, a mismatch Infinity. */
function maxRelError(actual: ArrayLike<number>, expected: readonly number[]): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e)) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a - e) / Math.max(Math.abs(e), 1));
  }
  return worst;
}

const worstSeen: Record<string, number> = { float32: 0, float64: 0 };
after(() => console.log(`ctc vs PyTorch, max relative error: float64 ${worstSeen['float64']!.toExponential(2)}, float32 ${worstSeen['float32']!.toExponential(2)}`));

for (const b of BACKENDS) {
  for (const dtype of ['float64', 'float32'] as const) {
    const tol = dtype === 'float64' ? 1e-5 : 1e-4;
    test(`ctc equals PyTorch's ctc_loss, loss and gradient, every reduction (${b.name}, ${dtype})`, () => {
      setBackend(b);
      try {
        for (const c of fixture.cases) {
          const d = c.dtypes[dtype];
          const labels = nb.tensor(c.labels, { dtype: 'int32' });
          for (const [key, expected] of Object.entries(d.loss)) {
            const [reduction, zi] = key.split('-') as ['none' | 'sum' | 'mean', string | undefined];
            const x = nb.tensor(d.logits, { dtype, shape: c.shape }).requireGrad();
            const loss = nb.losses.ctc(labels, x, { labelLengths: c.labelLengths, logitLengths: c.logitLengths, blank: c.blank, reduction, zeroInfinity: zi === 'zi' });
            const lossErr = maxRelError(loss.data(), expected.map(num));
            assert.ok(lossErr <= tol, `${c.name} ${key}: loss ${Array.from(loss.data())} vs ${expected.join(', ')}`);
            worstSeen[dtype] = Math.max(worstSeen[dtype]!, lossErr);
            const grad = d.grad[key];
            if (grad === undefined) continue;
            loss.backward();
            const gradErr = maxRelError(x.grad!.data(), grad.map(num));
            assert.ok(gradErr <= tol, `${c.name} ${key}: gradient off by ${gradErr}`);
            worstSeen[dtype] = Math.max(worstSeen[dtype]!, gradErr);
          }
        }
      } finally {
        setBackend(original);
      }
    });
  }
}

test('ctc on 1-D concatenated labels (PyTorch\'s form) equals the padded form', () => {
  const c = fixture.cases.find((k) => k.name === 'empty-and-short')!;
  const d = c.dtypes.float64;
  const x = nb.tensor(d.logits, { dtype: 'float64', shape: c.shape });
  const flat = nb.tensor(c.labels.flatMap((r, b) => r.slice(0, c.labelLengths[b])), { dtype: 'int32' });
  const loss = nb.losses.ctc(flat, x, { labelLengths: nb.tensor(c.labelLengths, { dtype: 'int32' }), logitLengths: nb.tensor(c.logitLengths, { dtype: 'int32' }), reduction: 'none' });
  assert.ok(maxRelError(loss.data(), d.loss['none']!.map(num)) <= 1e-5);
  // padded with -1 and no labelLengths: each row ends at its first negative entry
  const inferred = nb.losses.ctc(nb.tensor(c.labels, { dtype: 'int32' }), x, { logitLengths: c.logitLengths, reduction: 'none' });
  assert.ok(maxRelError(inferred.data(), d.loss['none']!.map(num)) <= 1e-5);
});

test('hand-worked: two frames, label [1], two classes: p = 1 − p(blank, blank)', () => {
  // frames' softmax: t0 (0.5, 0.5), t1 (e/(1+e) for class 1): the paths 1-, -1, 11 cover all but "--"
  const x = nb.tensor([[[0, 0], [0, 1]]], { dtype: 'float64' });
  const q = 1 / (1 + Math.E);
  const p = 1 - 0.5 * q;
  assert.ok(Math.abs(nb.losses.ctc(nb.tensor([[1]], { dtype: 'int32' }), x, { reduction: 'none' }).item() + Math.log(p)) < 1e-12);
});

test('gradcheck of ctc in float64 (repeats, an empty label, shorter logit lengths, each reduction)', () => {
  const labels = nb.tensor([[1, 1, 2], [3, -1, -1], [-1, -1, -1]], { dtype: 'int32' });
  const logits = nb.randn([3, 7, 4], { dtype: 'float64', generator: new nb.Generator(7) });
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    const r = nb.testing.gradcheck((x) => nb.losses.ctc(labels, x, { logitLengths: [7, 5, 3], reduction }), [logits]);
    assert.ok(r.ok, `${reduction}: ${JSON.stringify(r.worst)}`);
  }
});

test('an alignment that cannot exist is Infinity, and zeroInfinity makes loss and gradient 0', () => {
  // [1, 1] needs 3 frames (a blank between the repeats); 2 are given
  const x = nb.randn([1, 2, 3], { generator: new nb.Generator(1) }).requireGrad();
  const labels = nb.tensor([[1, 1]], { dtype: 'int32' });
  assert.equal(nb.losses.ctc(labels, x).item(), Infinity);
  const zi = nb.losses.ctc(labels, x, { zeroInfinity: true });
  assert.equal(zi.item(), 0);
  zi.backward();
  assert.deepEqual(Array.from(x.grad!.data()), [0, 0, 0, 0, 0, 0]);
});

test('malformed inputs are ValueErrors that name the problem', () => {
  const x = nb.randn([2, 5, 4]);
  const ok = nb.tensor([[1, 2], [3, -1]], { dtype: 'int32' });
  assert.throws(() => nb.losses.ctc(nb.tensor([[1, 0], [3, -1]], { dtype: 'int32' }), x, { labelLengths: [2, 1] }), /label 1 of sequence 0 is the blank id 0; labels must not use the blank/);
  assert.throws(() => nb.losses.ctc(nb.tensor([[1, 4], [3, -1]], { dtype: 'int32' }), x), /label 1 of sequence 0 is 4, out of range for 4 classes/);
  assert.throws(() => nb.losses.ctc(ok, x, { labelLengths: [2, -1] }), /labelLengths\[1\] = -1 is not a length/);
  assert.throws(() => nb.losses.ctc(ok, x, { labelLengths: [3, 1] }), /labelLengths\[0\] = 3 is beyond the labels' width \(2\)/);
  assert.throws(() => nb.losses.ctc(ok, x, { logitLengths: [5, 6] }), /logitLengths\[1\] = 6 is beyond the time steps of the logits \(5\)/);
  assert.throws(() => nb.losses.ctc(ok, x, { logitLengths: [5] }), /logitLengths must hold one length per sequence \(2\), got 1/);
  assert.throws(() => nb.losses.ctc(ok, nb.randn([3, 5, 4])), /disagree on the batch size/);
  assert.throws(() => nb.losses.ctc(ok, nb.randn([5, 4])), /batch-major \[batch, time, classes\]/);
  assert.throws(() => nb.losses.ctc(nb.tensor([[1, 2], [3, 1]]), x), /labels must be int32.*cast/);
  assert.throws(() => nb.losses.ctc(ok, x, { blank: 4 }), /blank must be a class id in \[0, 3\], got 4/);
  assert.throws(() => nb.losses.ctc(nb.tensor([1, 2, 3], { dtype: 'int32' }), x), /1-D labels .* need labelLengths/);
  assert.throws(() => nb.losses.ctc(nb.tensor([1, 2, 3], { dtype: 'int32' }), x, { labelLengths: [2, 2] }), /add up to 4 but the 1-D labels hold 3/);
  assert.throws(() => nb.losses.ctc(ok, x, { reduction: 'avg' as 'mean' }), /reduction must be 'mean', 'sum' or 'none'/);
});

test("the CTC loss object: compile({ loss: 'ctc' }), config round trip, and a model that learns", async () => {
  const loss = nb.losses.getLoss({ name: 'ctc', blank: 0, zeroInfinity: true });
  assert.ok(loss instanceof nb.losses.CTC);
  assert.deepEqual((loss as nb.losses.CTC).getConfig(), { name: 'ctc', blank: 0, zeroInfinity: true, reduction: 'mean' });
  // a per-frame Dense learns to emit two short label sequences
  const xs = nb.randn([2, 6, 3], { generator: new nb.Generator(3) });
  const ys = nb.tensor([[1, 2], [2, -1]], { dtype: 'int32' });
  const model = new nb.Sequential([nb.Input([6, 3]), new nb.layers.Dense(3)]);
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.1 }), loss: 'ctc' });
  const before = nb.losses.ctc(ys, model.predict(xs)).item();
  await model.fit(xs, ys, { epochs: 60, batchSize: 2, verbose: 0 });
  const afterFit = nb.losses.ctc(ys, model.predict(xs)).item();
  assert.ok(afterFit < before / 4, `loss ${before} → ${afterFit}`);
  const decoded = nb.text.ctcDecode(model.predict(xs)).map((r) => r.labels);
  assert.deepEqual(decoded, [[1, 2], [2]]);
});
