/**
 * Runs the op table (op-table.ts) on every backend: for each entry, each sample's forward against
 * its hand-checked values and its independent reference, a float64 gradcheck, hand-checked
 * gradients where given, and each bad input against its error. A coverage suite checks that every
 * entry has what the table promises (hand case, edge shapes, gradcheck, error case).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { jsBackend, setBackend, type Backend, type NestedArray, type Tensor } from '../../src/index.js';
import { inputOf, type Case, type Edge, type OpEntry } from './op-info.js';
import { OP_TABLE } from './op-table.js';
import { nativeBackend } from '../../src/backend/index.js';
import * as activations from '../../src/ops/activations.js';
import * as attention from '../../src/ops/attention.js';
import * as binary from '../../src/ops/binary.js';
import * as indexing from '../../src/ops/indexing.js';
import * as matmul from '../../src/ops/matmul.js';
import * as movement from '../../src/ops/movement.js';
import * as nnOps from '../../src/ops/nn.js';
import * as lossFunctions from '../../src/nn/losses.js';
import * as reduce from '../../src/ops/reduce.js';
import * as sequence from '../../src/ops/sequence.js';
import * as unary from '../../src/ops/unary.js';
import { broadcastShape, fromNested, read, type Nd } from './ref.js';

/** Every backend runs the same table; a native backend is added to this list when it exists. */
// The native addon, when it built, with every supported call sent to C (no small-size shortcut).
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = [jsBackend, ...(native ? [native] : [])];

const isFloat = (t: Tensor) => t.dtype === 'float32' || t.dtype === 'float64';

function defaultTol(dtype: string | undefined): { rtol: number; atol: number } {
  if (dtype === 'float32') return { rtol: 1e-5, atol: 1e-6 };
  if (dtype === 'float64') return { rtol: 1e-10, atol: 1e-12 };
  return { rtol: 0, atol: 0 };
}

function assertClose(actual: Nd, expected: Nd, tol: { rtol: number; atol: number }, where: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${where}: shape`);
  if (expected.dtype) assert.equal(actual.dtype, expected.dtype, `${where}: dtype`);
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    assert.ok(ok, `${where}: element ${i} is ${a}, expected ${e} (rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

const asList = (out: Tensor | Tensor[]): Tensor[] => (Array.isArray(out) ? out : [out]);

/** Whether `c` is gradchecked: a differentiable entry, a float input, and not opted out. */
const gradchecked = (entry: OpEntry, c: Case): boolean =>
  entry.grad && c.grad !== false && c.args.some((a) => isFloat(a.base));

function runForward(c: Case, where: string): void {
  const inputs = c.args.map(inputOf);
  const before = inputs.map(read);
  const result = c.run(inputs);
  const outs = asList(result);
  for (const o of outs) assert.ok(o instanceof nb.Tensor, `${where}: the op must return tensors`);
  const tolOf = (o: Tensor) => c.tol ?? defaultTol(o.dtype);
  if (c.expected !== undefined) {
    // a multi-output op (split) lists one expectation per output
    const expList = Array.isArray(result) ? (c.expected as NestedArray[]) : [c.expected];
    assert.equal(expList.length, outs.length, `${where}: number of outputs`);
    outs.forEach((o, i) => assertClose(read(o), fromNested(expList[i]!), tolOf(o), `${where} (hand-checked)`));
  }
  if (c.reference) {
    const refs = c.reference(before);
    const refList = Array.isArray(refs) ? refs : [refs];
    assert.equal(refList.length, outs.length, `${where}: number of outputs`);
    outs.forEach((o, i) => assertClose(read(o), refList[i]!, tolOf(o), `${where} (reference)`));
  }
  inputs.forEach((t, i) => assert.deepEqual(read(t), before[i], `${where}: input ${i} was modified`));
}

function runGradcheck(c: Case): void {
  const views = c.args.map((a) => a.view);
  const fn = (...xs: Tensor[]): Tensor => {
    const outs = asList(c.run(xs.map((x, i) => views[i]?.(x) ?? x)));
    for (const o of outs) assert.ok(isFloat(o), `a gradchecked sample must give float outputs, got ${o.dtype}`);
    return outs.length === 1 ? outs[0]! : nb.concat(outs.map((o) => nb.reshape(o, [-1])));
  };
  const res = nb.testing.gradcheck(fn, c.args.map((a) => a.base), c.gradTol ?? {});
  assert.ok(res.ok);
}

function runExpectedGrad(c: Case, where: string): void {
  const leaves = c.args.map((a) => (isFloat(a.base) ? a.base.detach().requireGrad() : a.base));
  const outs = asList(c.run(leaves.map((t, i) => c.args[i]!.view?.(t) ?? t)));
  outs.map((o) => nb.sum(o)).reduce((s, o) => nb.add(s, o)).backward();
  c.expectedGrad!.forEach((g, i) => {
    if (g === null) return;
    const grad = leaves[i]!.grad;
    assert.ok(grad, `${where}: input ${i} received no gradient`);
    assertClose(read(grad), fromNested(g), { rtol: 1e-5, atol: 1e-6 }, `${where}: gradient of input ${i}`);
  });
}

for (const backend of BACKENDS) {
  describe(`op table on the ${backend.name} backend`, () => {
    before(() => setBackend(backend));
    after(() => setBackend(jsBackend));
    for (const entry of OP_TABLE) {
      describe(entry.name, () => {
        for (const c of entry.cases) {
          test(`forward: ${c.label}`, () => runForward(c, `${entry.name} [${c.label}]`));
        }
        for (const c of entry.cases.filter((c) => gradchecked(entry, c))) {
          test(`gradcheck: ${c.label}`, () => runGradcheck(c));
        }
        for (const c of entry.cases.filter((c) => c.expectedGrad)) {
          test(`hand-checked gradient: ${c.label}`, () => runExpectedGrad(c, `${entry.name} [${c.label}]`));
        }
        for (const e of entry.errors) {
          test(`bad input: ${e.label}`, () => assert.throws(e.call, { name: e.type, message: e.message }));
        }
      });
    }
  });
}

/** Which edge cases a sample exercises, read from the tensors the op receives. */
function edgesOf(c: Case): Set<Edge> {
  const ts = c.args.map(inputOf);
  const edges = new Set<Edge>();
  if (ts.some((t) => t.ndim === 0)) edges.add('scalar');
  if (ts.some((t) => t.shape.includes(1))) edges.add('sizeOne');
  if (ts.some((t) => t.size === 0)) edges.add('empty');
  if (ts.some((t) => !t.isContiguous)) edges.add('nonContiguous');
  const strideZero = ts.some((t) => t.size > 0 && t.shape.some((d, i) => d > 1 && t.strides[i] === 0));
  let shapesBroadcast = false;
  try {
    const out = broadcastShape(ts.map((t) => t.shape));
    shapesBroadcast = ts.some((t) => t.shape.length !== out.length || t.shape.some((d, i) => d !== out[i]));
  } catch {
    shapesBroadcast = false;
  }
  if (strideZero || shapesBroadcast) edges.add('broadcast');
  return edges;
}

/** The public ops: what nabla exports from the ops modules, and every loss function (not the loss objects built on them). */
function publicOps(): string[] {
  const modules: Record<string, unknown>[] = [unary, binary, activations, reduce, matmul, movement, indexing, sequence, attention, nnOps];
  const api = nb as unknown as Record<string, unknown>;
  const ops = Object.keys(api).filter((k) => typeof api[k] === 'function' && modules.some((m) => m[k] === api[k]));
  const lossFns = lossFunctions as unknown as Record<string, unknown>;
  const losses = Object.entries(nb.losses).filter(([k, v]) => typeof v === 'function' && lossFns[k] === v).map(([k]) => `losses.${k}`);
  return [...ops, ...losses];
}

describe('op table coverage', () => {
  test('every public op of the core has exactly one entry', () => {
    const names = OP_TABLE.map((e) => e.name);
    assert.deepEqual([...names].sort(), publicOps().sort());
  });
  for (const entry of OP_TABLE) {
    test(`${entry.name}: hand case, edge shapes, gradcheck and a bad input`, () => {
      assert.ok(entry.cases.some((c) => c.expected !== undefined), 'needs a hand-checked sample');
      assert.ok(entry.errors.length > 0, 'needs a bad-input case');
      if (entry.grad) assert.ok(entry.cases.some((c) => gradchecked(entry, c)), 'needs a gradchecked sample');
      const covered = new Set<Edge>();
      for (const c of entry.cases) for (const e of edgesOf(c)) covered.add(e);
      for (const edge of ['scalar', 'sizeOne', 'empty', 'nonContiguous', 'broadcast'] as const) {
        const reason = entry.skip[edge];
        if (covered.has(edge)) assert.equal(reason, undefined, `${edge} is covered; drop its skip reason`);
        else assert.ok(reason, `no sample covers ${edge}; add one or give a reason in skip`);
      }
    });
  }
});
