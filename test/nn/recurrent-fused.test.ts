/**
 * The fused recurrent loop (`recurrentScan`, one graph node for all steps): its cost grows
 * linearly with the number of steps, and it agrees with the same cells run as ops (its
 * composite), on every backend, with masks, recurrent dropout, initial states and biases.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { backend, jsBackend, nativeBackend, setBackend, type Backend } from '../../src/backend/index.js';
import { recurrentScan, type StepActivation } from '../../src/ops/recurrent.js';
import type { RecurrentCell } from '../../src/backend/recurrent-kernels.js';

const original = backend();
after(() => setBackend(original));
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = [jsBackend, ...(native ? [native] : [])];
const { SimpleRNN, LSTM, GRU } = nb.layers;

const size = (shape: readonly number[]): number => shape.reduce((a, c) => a * c, 1);

/** `b` counting its work: GEMM multiply-adds, and the elements each other kernel writes. */
function counting(b: Backend): { backend: Backend; work: () => number } {
  let work = 0;
  const steps = (g: { rows: number; units: number; cell: RecurrentCell }) => g.rows * g.units * (g.cell === 'lstm' ? 4 : g.cell === 'gru' ? 3 : 1);
  const wrapped: Backend = {
    ...b,
    gemm: (...a) => ((work += a[2] * a[3] * a[4]), b.gemm(...a)),
    copy: (src, dst) => ((work += size(dst.shape)), b.copy(src, dst)),
    binary: (op, x, y, out) => ((work += out.length), b.binary(op, x, y, out)),
    unary: (op, x, out) => ((work += out.length), b.unary(op, x, out)),
    where: (c, x, y, out) => ((work += out.length), b.where(c, x, y, out)),
    recurrentStepForward: (...a) => ((work += steps(a[0])), b.recurrentStepForward(...a)),
    recurrentStepBackward: (...a) => ((work += steps(a[0])), b.recurrentStepBackward(...a)),
  };
  return { backend: wrapped, work: () => work };
}

/** Graph nodes reachable from `t`. */
function graphNodes(t: nb.Tensor): number {
  const seen = new Set<unknown>();
  const stack = [t];
  while (stack.length > 0) {
    const node = stack.pop()!.node;
    if (!node || seen.has(node)) continue;
    seen.add(node);
    stack.push(...node.inputs);
  }
  return seen.size;
}

test('a recurrent layer is a fixed number of graph nodes and its work per step does not grow with T', () => {
  const make = [
    () => new SimpleRNN(4, { returnSequences: true }),
    () => new LSTM(4, { returnSequences: true }),
    () => new GRU(4, { returnSequences: true }),
  ];
  for (const layerOf of make) {
    const perStep: number[] = [];
    const nodes: number[] = [];
    for (const T of [16, 256]) {
      const layer = layerOf();
      const x = nb.randn([2, T, 3], { generator: new nb.Generator(T) });
      const mask = nb.gt(nb.randn([2, T], { generator: new nb.Generator(1) }), -1);
      layer.callWithState(x, { mask });
      const c = counting(original);
      setBackend(c.backend);
      try {
        const y = layer.callWithState(x, { mask }).output;
        nodes.push(graphNodes(y));
        nb.sum(y).backward();
      } finally {
        setBackend(original);
      }
      perStep.push(c.work() / T);
    }
    const name = layerOf().className;
    // the steps loop was one node per op (about 20 per step) before; now it is one node
    assert.equal(nodes[1], nodes[0], `${name}: graph nodes for T = 16 and 256: ${nodes.join(', ')}`);
    // cutting steps by halving cost T·log T (work per step up 17 % from T = 16 to 256)
    assert.ok(perStep[1]! <= perStep[0]! * 1.02, `${name}: work per step ${perStep.map((w) => w.toFixed(1)).join(' → ')}`);
  }
});

const close = (a: nb.Tensor, b: nb.Tensor, tol: number, what: string): void => {
  const x = a.data();
  const y = b.data();
  assert.equal(x.length, y.length, what);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(Number(x[i]) - Number(y[i])) <= tol * (1 + Math.abs(Number(y[i]))), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
};

/** Inputs of one scan: projections, recurrent kernel, states, GRU bias, a mask with padding, a partly and a wholly masked middle step, a dropout mask. */
function scanInputs(cell: RecurrentCell, dtype: 'float32' | 'float64') {
  const gen = new nb.Generator(7);
  const [T, B, n] = [6, 3, 4];
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const leaf = (shape: number[], scale = 1) => {
    const t = nb.mul(nb.randn(shape, { dtype, generator: gen }), scale).detach();
    t.requiresGrad = true;
    return t;
  };
  const xp = leaf([T, B, G * n]);
  const u = leaf([n, G * n], 0.5);
  const states = Array.from({ length: cell === 'lstm' ? 2 : 1 }, () => leaf([B, n]));
  const recurrentBias = cell === 'gru' ? leaf([G * n]) : null;
  const mask = nb.tensor([[1, 1, 1], [1, 0, 1], [0, 0, 0], [1, 1, 1], [0, 1, 1], [0, 1, 0]], { dtype: 'bool' });
  const drop = nb.tensor(Array.from({ length: B * n }, (_, i) => (i % 3 === 0 ? 0 : 1.5)), { dtype }).reshape([B, n]);
  return { xp, u, states, recurrentBias, mask, drop, leaves: [xp, u, ...states, ...(recurrentBias ? [recurrentBias] : [])] };
}

/** Every step's states and the gradients of a weighted sum of them, fused or as ops. */
function runScan(cell: RecurrentCell, dtype: 'float32' | 'float64', fused: boolean, act: 'tanh' | 'relu' = 'tanh') {
  const s = scanInputs(cell, dtype);
  const asFn = (a: 'tanh' | 'relu' | 'sigmoid'): StepActivation => (fused ? a : (x) => (a === 'tanh' ? nb.tanh(x) : a === 'relu' ? nb.relu(x) : nb.sigmoid(x)));
  const out = recurrentScan(s.xp, s.u, s.states, {
    cell, activation: asFn(act), recurrentActivation: asFn('sigmoid'), recurrentBias: s.recurrentBias, mask: s.mask, drop: s.drop,
  });
  const weights = nb.randn(out.shape, { dtype, generator: new nb.Generator(3) });
  const grads = nb.gradients(nb.sum(nb.mul(out, weights)), s.leaves);
  return { out, grads: grads.map((g) => g!) };
}

test('the fused scan equals the cells run as ops: states and every gradient, every backend', () => {
  for (const b of BACKENDS) {
    setBackend(b);
    try {
      for (const cell of ['simple', 'lstm', 'gru'] as const) {
        for (const act of ['tanh', 'relu'] as const) {
          for (const dtype of ['float64', 'float32'] as const) {
            const tol = dtype === 'float64' ? 1e-12 : 2e-5;
            const fused = runScan(cell, dtype, true, act);
            const ops = runScan(cell, dtype, false, act);
            const what = `${b.name} ${cell} ${act} ${dtype}`;
            close(fused.out, ops.out, tol, `${what} states`);
            fused.grads.forEach((g, i) => close(g, ops.grads[i]!, tol, `${what} gradient ${i}`));
          }
        }
      }
    } finally {
      setBackend(original);
    }
  }
});

test('padding costs no matmul: each step multiplies only its unmasked rows by U, forward and backward', () => {
  for (const b of BACKENDS) {
    const calls: number[][] = [];
    setBackend({ ...b, gemm: (...a) => (calls.push([a[2], a[3], a[4]]), b.gemm(...a)) });
    try {
      for (const cell of ['simple', 'lstm', 'gru'] as const) {
        calls.length = 0;
        const s = scanInputs(cell, 'float32');
        const out = recurrentScan(s.xp, s.u, s.states, { cell, activation: 'tanh', recurrentActivation: 'sigmoid', recurrentBias: s.recurrentBias, mask: s.mask });
        const forwardCalls = calls.splice(0);
        nb.gradients(nb.sum(out), s.leaves);
        const n = 4;
        const G = (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * n;
        const active = [3, 2, 0, 3, 2, 1]; // unmasked rows of each step of scanInputs' mask
        const steps = active.filter((a) => a > 0);
        const forward = forwardCalls.filter(([, cols, k]) => cols === G && k === n).map(([m]) => m);
        // the backward's per-step GEMMs (dU, over all steps at once, has k = T·B = 18)
        const backward = calls.filter(([, cols, k]) => cols === n && k === G).map(([m]) => m);
        assert.deepEqual(forward, steps, `${b.name} ${cell}: rows of the forward h·U GEMMs`);
        assert.deepEqual(backward, steps.slice().reverse(), `${b.name} ${cell}: rows of the backward dRec·Uᵀ GEMMs`);
      }
    } finally {
      setBackend(original);
    }
  }
});

test('a masked layer projects only its unmasked steps: x·W, dW and dx are GEMMs over the real steps, and the result is unchanged', () => {
  const B = 3, T = 5, F = 6, units = 4;
  const lengths = [5, 2, 3]; // 10 real steps of 15
  const x = nb.randn([B, T, F], { generator: new nb.Generator(3) });
  const maskData = new Uint8Array(B * T);
  lengths.forEach((len, b) => maskData.fill(1, b * T, b * T + len));
  const mask = new nb.Tensor(maskData, [B, T]);
  for (const Layer of [nb.layers.LSTM, nb.layers.GRU, nb.layers.SimpleRNN]) {
    const run = () => {
      nb.manualSeed(1);
      const layer = new Layer(units, { returnSequences: true });
      const xs = x.clone();
      xs.requiresGrad = true;
      const calls: number[][] = [];
      const b = backend();
      setBackend({ ...b, gemm: (...a) => (calls.push([a[0] ? 1 : 0, a[1] ? 1 : 0, a[2], a[3], a[4]]), b.gemm(...a)) });
      try {
        const { output } = layer.callWithState(xs, { mask });
        // only the real steps' outputs: the padded ones are zeros with the mask
        const loss = nb.sum(nb.mul(output, nb.unsqueeze(mask.cast('float32'), 2)));
        const [dx, dW] = nb.gradients(loss, [xs, layer.kernel]);
        return { output, dx: dx!, dW: dW!, calls };
      } finally {
        setBackend(b);
      }
    };
    const masked = run();
    const G = masked.dW.shape[1]!;
    // the GEMMs with k = F (x·W) or n = F (dx = dP·Wᵀ) or m = F (dW = xᵀ·dP): rows counted are the real steps
    const projection = masked.calls.filter(([, , m, n, k]) => (k === F && n === G) || (n === F && k === G) || (m === F && n === G));
    assert.ok(projection.length >= 3, `${Layer.name}: the projection's GEMMs ran (${JSON.stringify(masked.calls)})`);
    for (const [ta, tb, m, n, k] of projection) {
      const rows = m === F ? k : m;
      assert.equal(rows, 10, `${Layer.name}: GEMM ${ta}${tb} ${m}×${n}×${k} runs over the 10 real steps, not all 15`);
    }
    // the same outputs and gradients as each sequence run alone, unpadded: dx per step, dW summed
    let dWSum: nb.Tensor | null = null;
    lengths.forEach((len, b) => {
      nb.manualSeed(1);
      const layer = new Layer(units, { returnSequences: true });
      const xb = nb.slice(x, [[b, b + 1], [0, len]]).clone();
      xb.requiresGrad = true;
      const out = layer.callWithState(xb).output;
      const [dxb, dWb] = nb.gradients(nb.sum(out), [xb, layer.kernel]);
      close(nb.slice(masked.output, [[b, b + 1], [0, len]]), out, 1e-5, `${Layer.name} sequence ${b}: outputs`);
      close(nb.slice(masked.dx, [[b, b + 1], [0, len]]), dxb!, 1e-5, `${Layer.name} sequence ${b}: dx`);
      dWSum = dWSum === null ? dWb! : nb.add(dWSum, dWb!);
    });
    close(masked.dW, dWSum!, 1e-5, `${Layer.name}: dW`);
    // padded steps get no gradient
    close(nb.slice(masked.dx, [[1, 2], [2, T]]), nb.zeros([1, T - 2, F]), 0, `${Layer.name}: dx of padded steps`);
  }
});

test('gradcheck of the fused scan, and a gradient of its gradient through the composite', () => {
  for (const cell of ['simple', 'lstm', 'gru'] as const) {
    const s = scanInputs(cell, 'float64');
    const run = (...leaves: nb.Tensor[]) => {
      const [xp, u, ...rest] = leaves;
      const states = rest.slice(0, cell === 'lstm' ? 2 : 1);
      const recurrentBias = cell === 'gru' ? rest[rest.length - 1]! : null;
      return recurrentScan(xp!, u!, states, { cell, activation: 'tanh', recurrentActivation: 'sigmoid', recurrentBias, mask: s.mask, drop: s.drop });
    };
    nb.testing.gradcheck(run, s.leaves);
  }
});

test('a gradient of the gradient (createGraph) goes through the composite and equals the ops', () => {
  for (const cell of ['simple', 'lstm', 'gru'] as const) {
    const secondOrder = (fused: boolean) => {
      const s = scanInputs(cell, 'float64');
      const act = (name: 'tanh' | 'sigmoid'): StepActivation => (fused ? name : (x) => (name === 'tanh' ? nb.tanh(x) : nb.sigmoid(x)));
      const out = recurrentScan(s.xp, s.u, s.states, { cell, activation: act('tanh'), recurrentActivation: act('sigmoid'), recurrentBias: s.recurrentBias, mask: s.mask, drop: s.drop });
      const [gx] = nb.gradients(nb.sum(nb.mul(out, out)), [s.xp], { createGraph: true });
      return nb.gradients(nb.sum(nb.mul(gx!, gx!)), [s.u])[0]!;
    };
    close(secondOrder(true), secondOrder(false), 1e-10, `${cell} second-order gradient`);
  }
});
