/**
 * Convolutions (conv1d, conv2d, depthwiseConv2d, conv1d/2dTranspose) against direct nested-loop
 * references (conv-ref.ts), for strides, every padding mode, dilation, groups, both data formats
 * and both kernel layouts; float64 gradchecks; the im2col/col2im primitives; bad inputs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { jsBackend, setBackend, type Backend, type Tensor } from '../../src/index.js';
import { nativeBackend } from '../../src/backend/native/index.js';
import { conv1d, conv2d, depthwiseConv2d, type ConvOptions } from '../../src/ops/conv.js';
import { conv1dTranspose, conv2dTranspose } from '../../src/ops/conv-transpose.js';
import { col2im, im2col } from '../../src/ops/window.js';
import { arr, refConv2d, refConv2dTranspose, samePads, transposeArr, withAxis, withoutAxis, type Arr, type RefWindow } from './conv-ref.js';

/** Every backend runs these tests: the JS kernels, and the native addon (all calls in C) where it is built. */
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = native ? [jsBackend, native] : [jsBackend];

const rnd = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor =>
  nb.randn(shape, { dtype, generator: new nb.Generator(seed) });

function assertClose(actual: Tensor, expected: Arr, tol = 1e-9): void {
  assert.deepEqual(actual.shape, expected.shape, 'shape');
  const got = Array.from(actual.data());
  got.forEach((v, i) => {
    const e = expected.data[i]!;
    assert.ok(Math.abs(v - e) <= tol * (1 + Math.abs(e)), `element ${i}: ${v} != ${e}`);
  });
}

function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = nb.testing.gradcheck(fn, inputs, { atol: 1e-6, rtol: 1e-5 });
  assert.ok(r.ok, `gradcheck failed: ${JSON.stringify(r.worst)}`);
}

const win = (strides: [number, number], pads: RefWindow['pads'], dilation: [number, number] = [1, 1]): RefWindow => ({ strides, pads, dilation });
const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];
const OIHW_TO_HWIO = [2, 3, 1, 0];

interface Conv2dCase {
  label: string;
  x: number[];
  k: number[];
  opts: ConvOptions;
  ref: RefWindow;
}

// x [N,H,W,C], kernel [kh,kw,C/groups,F]; ref is the same window written out by hand
const conv2dCases: Conv2dCase[] = [
  { label: 'valid, stride 1', x: [2, 5, 6, 3], k: [3, 3, 3, 4], opts: {}, ref: win([1, 1], [[0, 0], [0, 0]]) },
  { label: 'strides [2,3]', x: [1, 7, 8, 2], k: [3, 2, 2, 3], opts: { strides: [2, 3] }, ref: win([2, 3], [[0, 0], [0, 0]]) },
  { label: "'same', stride 1, even kernel", x: [1, 5, 5, 2], k: [2, 4, 2, 3], opts: { padding: 'same' }, ref: win([1, 1], [samePads(5, 2, 1, 1), samePads(5, 4, 1, 1)]) },
  { label: "'same', stride 2, odd sizes", x: [2, 7, 6, 2], k: [3, 3, 2, 2], opts: { padding: 'same', strides: 2 }, ref: win([2, 2], [samePads(7, 3, 2, 1), samePads(6, 3, 2, 1)]) },
  { label: 'numeric padding 1, dilation 2', x: [1, 6, 7, 2], k: [3, 2, 2, 2], opts: { padding: 1, dilation: 2 }, ref: win([1, 1], [[1, 1], [1, 1]], [2, 2]) },
  { label: 'explicit pads, stride 2', x: [1, 5, 6, 1], k: [3, 3, 1, 2], opts: { padding: [[2, 0], [1, 3]], strides: 2 }, ref: win([2, 2], [[2, 0], [1, 3]]) },
  { label: "'same' with dilation [2,1] and stride 2", x: [1, 8, 7, 2], k: [3, 3, 2, 2], opts: { padding: 'same', dilation: [2, 1], strides: 2 }, ref: win([2, 2], [samePads(8, 3, 2, 2), samePads(7, 3, 2, 1)], [2, 1]) },
  { label: 'groups 2', x: [2, 5, 5, 4], k: [3, 3, 2, 6], opts: { groups: 2 }, ref: win([1, 1], [[0, 0], [0, 0]]) },
  { label: 'groups 3, same, stride 2', x: [1, 6, 5, 6], k: [2, 2, 2, 3], opts: { groups: 3, padding: 'same', strides: 2 }, ref: win([2, 2], [samePads(6, 2, 2, 1), samePads(5, 2, 2, 1)]) },
  { label: '1×1 kernel', x: [2, 3, 4, 5], k: [1, 1, 5, 2], opts: {}, ref: win([1, 1], [[0, 0], [0, 0]]) },
];

function groupsOf(c: Conv2dCase): number {
  return c.opts.groups ?? 1;
}

for (const backend of BACKENDS) {
  describe(`conv on the ${backend.name} backend`, () => {
    before(() => setBackend(backend));
    after(() => setBackend(jsBackend));

    test('conv2d by hand: 3×3 image, 2×2 kernel of ones', () => {
      const x = nb.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
      const y = conv2d(x, nb.ones([2, 2, 1, 1]));
      assert.deepEqual(y.toArray(), [[[[12], [16]], [[24], [28]]]]);
      const same = conv2d(x, nb.ones([2, 2, 1, 1]), { padding: 'same' });
      // 'same' pads the odd cell after: bottom row and right column see zeros
      assert.deepEqual(Array.from(same.data()), [12, 16, 9, 24, 28, 15, 15, 17, 9]);
    });

    for (const c of conv2dCases) {
      test(`conv2d ${c.label}: channelsLast matches the direct loop`, () => {
        const x = rnd(c.x, 1);
        const k = rnd(c.k, 2);
        assertClose(conv2d(x, k, c.opts), refConv2d(arr(x), arr(k), c.ref, groupsOf(c)));
      });

      test(`conv2d ${c.label}: channelsFirst with a PyTorch-layout kernel`, () => {
        const xl = rnd(c.x, 3);
        const kl = rnd(c.k, 4);
        const x = nb.tensor(transposeArr(arr(xl), NHWC_TO_NCHW).data, { shape: [c.x[0]!, c.x[3]!, c.x[1]!, c.x[2]!], dtype: 'float64' });
        const k = nb.tensor(transposeArr(arr(kl), [3, 2, 0, 1]).data, { shape: [c.k[3]!, c.k[2]!, c.k[0]!, c.k[1]!], dtype: 'float64' });
        const y = conv2d(x, k, { ...c.opts, dataFormat: 'channelsFirst', kernelLayout: 'pytorch' });
        const ref = refConv2d(transposeArr(arr(x), NCHW_TO_NHWC), transposeArr(arr(k), OIHW_TO_HWIO), c.ref, groupsOf(c));
        assertClose(y, transposeArr(ref, NHWC_TO_NCHW));
      });
    }

    test('conv2d bias adds one value per output channel (both formats)', () => {
      const x = rnd([1, 4, 4, 2], 5);
      const k = rnd([3, 3, 2, 3], 6);
      const bias = nb.tensor([1, -2, 0.5], { dtype: 'float64' });
      const ref = refConv2d(arr(x), arr(k), win([1, 1], [[0, 0], [0, 0]]));
      assertClose(conv2d(x, k, { bias }), { shape: ref.shape, data: ref.data.map((v, i) => v + [1, -2, 0.5][i % 3]!) });
      const yf = conv2d(nb.permute(x, NHWC_TO_NCHW), k, { bias, dataFormat: 'channelsFirst' });
      assertClose(nb.permute(yf, NCHW_TO_NHWC), { shape: ref.shape, data: ref.data.map((v, i) => v + [1, -2, 0.5][i % 3]!) });
    });

    test('conv2d activation runs with the bias: the direct loop then the activation, both formats; gradcheck', () => {
      const x = rnd([2, 5, 4, 2], 15);
      const k = rnd([3, 3, 2, 3], 16);
      const b = [0.3, -0.4, 0.1];
      const bias = nb.tensor(b, { dtype: 'float64' });
      const ref = refConv2d(arr(x), arr(k), win([1, 1], [[1, 1], [1, 1]]));
      const z = ref.data.map((v, i) => v + b[i % 3]!);
      const acts: [NonNullable<ConvOptions['activation']>, (v: number) => number][] = [
        ['relu', (v) => Math.max(v, 0)], ['tanh', Math.tanh], ['sigmoid', (v) => 1 / (1 + Math.exp(-v))], ['linear', (v) => v],
      ];
      for (const [activation, f] of acts) {
        assertClose(conv2d(x, k, { bias, padding: 1, activation }), { shape: ref.shape, data: z.map(f) });
        const yf = conv2d(nb.permute(x, NHWC_TO_NCHW), k, { bias, padding: 1, activation, dataFormat: 'channelsFirst' });
        assertClose(nb.permute(yf, NCHW_TO_NHWC), { shape: ref.shape, data: z.map(f) });
      }
      // without a bias the activation still applies
      assertClose(conv2d(x, k, { padding: 1, activation: 'relu' }), { shape: ref.shape, data: ref.data.map((v) => Math.max(v, 0)) });
      gradcheck((a, kk, bb) => conv2d(a!, kk!, { bias: bb!, strides: 2, padding: 'same', activation: 'tanh' }), [x, k, bias]);
    });

    test('conv2d reads non-contiguous inputs and kernels', () => {
      const base = rnd([2, 6, 5, 3], 7);
      const x = nb.slice(base, '::1, ::2, :, :');
      const k = nb.permute(rnd([2, 3, 3, 3], 8), [1, 2, 3, 0]);
      assertClose(conv2d(x, k, { padding: 'same' }), refConv2d(arr(x), arr(k), win([1, 1], [samePads(3, 3, 1, 1), samePads(5, 3, 1, 1)])));
    });

    test('conv2d in float32 agrees with the float64 reference', () => {
      const x = rnd([2, 6, 6, 3], 9, 'float32');
      const k = rnd([3, 3, 3, 8], 10, 'float32');
      const y = conv2d(x, k, { padding: 'same', strides: 2 });
      assert.equal(y.dtype, 'float32');
      assertClose(y, refConv2d(arr(x), arr(k), win([2, 2], [samePads(6, 3, 2, 1), samePads(6, 3, 2, 1)])), 1e-5);
    });

    test('conv1d matches the direct loop: valid, strides, same, causal, dilation, groups, channelsFirst', () => {
      const x = rnd([2, 9, 4], 11);
      const k = rnd([3, 2, 4], 12);
      const ref = (opts: ConvOptions, pads: [number, number], stride: number, dilation: number, groups: number): Arr =>
        withoutAxis(refConv2d(withAxis(arr(x), 1), withAxis(arr(k), 0), win([1, stride], [[0, 0], pads], [1, dilation]), groups), 1);
      assertClose(conv1d(x, k, { groups: 2 }), ref({}, [0, 0], 1, 1, 2));
      assertClose(conv1d(x, k, { groups: 2, strides: 2, padding: 'same' }), ref({}, samePads(9, 3, 2, 1), 2, 1, 2));
      assertClose(conv1d(x, k, { groups: 2, padding: 'causal', dilation: 2 }), ref({}, [4, 0], 1, 2, 2));
      assertClose(conv1d(x, k, { groups: 2, padding: [[1, 2]], strides: 3 }), ref({}, [1, 2], 3, 1, 2));
      const xf = nb.permute(x, [0, 2, 1]);
      const kf = nb.permute(k, [2, 1, 0]);
      const yf = conv1d(xf, kf, { groups: 2, padding: 'same', dataFormat: 'channelsFirst', kernelLayout: 'pytorch' });
      assertClose(nb.permute(yf, [0, 2, 1]), ref({}, samePads(9, 3, 1, 1), 1, 1, 2));
    });

    test('causal conv1d: the output at t does not depend on inputs after t', () => {
      const x = rnd([1, 6, 1], 13).requireGrad();
      conv1d(x, rnd([3, 1, 1], 14), { padding: 'causal', dilation: 2 }).slice([0, 2, 0]).backward();
      assert.deepEqual(Array.from(x.grad!.data()).map((g) => g !== 0), [true, false, true, false, false, false]);
    });

    test('depthwiseConv2d equals the direct loop per channel (Keras and PyTorch layouts)', () => {
      const x = rnd([2, 6, 5, 3], 15);
      const k = rnd([3, 3, 3, 2], 16);
      const w = win([2, 1], [samePads(6, 3, 2, 1), samePads(5, 3, 1, 1)]);
      // output channel c·dm + m sees only input channel c with filter m
      const ref = refConv2d(arr(x), { shape: [3, 3, 1, 6], data: arr(k).data }, w, 3);
      assertClose(depthwiseConv2d(x, k, { padding: 'same', strides: [2, 1] }), ref);
      const kt = nb.reshape(nb.permute(k, [2, 3, 0, 1]), [6, 1, 3, 3]);
      const yf = depthwiseConv2d(nb.permute(x, NHWC_TO_NCHW), kt, { padding: 'same', strides: [2, 1], dataFormat: 'channelsFirst', kernelLayout: 'pytorch' });
      assertClose(nb.permute(yf, NCHW_TO_NHWC), ref);
    });

    // output sizes by Keras' deconv_output_length / PyTorch's ConvTranspose formula
    const transposeCases: { label: string; x: number[]; k: number[]; opts: Parameters<typeof conv2dTranspose>[2]; out: [number, number]; ref: RefWindow; groups?: number }[] = [
      { label: "'valid', stride 2", x: [1, 3, 4, 2], k: [3, 3, 3, 2], opts: { strides: 2 }, out: [7, 9], ref: win([2, 2], [[0, 0], [0, 0]]) },
      { label: "'valid', kernel smaller than stride", x: [1, 3, 2, 1], k: [2, 1, 2, 1], opts: { strides: 3 }, out: [9, 6], ref: win([3, 3], [[0, 0], [0, 0]]) },
      { label: "'same', stride 2 (out = in·2)", x: [2, 3, 4, 2], k: [3, 4, 2, 2], opts: { strides: 2, padding: 'same' }, out: [6, 8], ref: win([2, 2], [[0, 0], [1, 1]]) },
      { label: "'same', stride 1, dilation 2", x: [1, 4, 4, 2], k: [3, 3, 2, 2], opts: { padding: 'same', dilation: 2 }, out: [4, 4], ref: win([1, 1], [[2, 2], [2, 2]], [2, 2]) },
      { label: 'numeric padding 1 with outputPadding 1', x: [1, 3, 3, 2], k: [3, 3, 2, 2], opts: { strides: 2, padding: 1, outputPadding: 1 }, out: [6, 6], ref: win([2, 2], [[1, 1], [1, 1]]) },
      { label: 'explicit pads, strides [1,2]', x: [1, 4, 3, 1], k: [2, 3, 2, 1], opts: { strides: [1, 2], padding: [[1, 0], [0, 2]] }, out: [4, 5], ref: win([1, 2], [[1, 0], [0, 2]]) },
      { label: 'groups 2', x: [1, 3, 3, 4], k: [2, 2, 3, 4], opts: { strides: 2, groups: 2 }, out: [6, 6], ref: win([2, 2], [[0, 0], [0, 0]]), groups: 2 },
    ];

    for (const c of transposeCases) {
      test(`conv2dTranspose ${c.label} matches the direct scatter loop`, () => {
        const x = rnd(c.x, 17);
        const k = rnd(c.k, 18);
        const y = conv2dTranspose(x, k, c.opts);
        assertClose(y, refConv2dTranspose(arr(x), arr(k), c.ref, c.out, c.groups));
        const yf = conv2dTranspose(nb.permute(x, NHWC_TO_NCHW), nb.permute(k, [3, 2, 0, 1]), { ...c.opts, dataFormat: 'channelsFirst', kernelLayout: 'pytorch' });
        assertClose(nb.permute(yf, NCHW_TO_NHWC), refConv2dTranspose(arr(x), arr(k), c.ref, c.out, c.groups));
      });
    }

    test('conv2dTranspose is the adjoint of conv2d: <convT(y), x> = <y, conv(x)>', () => {
      for (const [opts, inSize] of [[{ strides: 2, padding: 'same' }, [6, 8]], [{ strides: 2, padding: 1, outputPadding: 1, groups: 2 }, [6, 6]], [{ strides: [3, 1], dilation: 2 }, [8, 7]]] as const) {
        const k = rnd([3, 3, 2, 4], 19); // conv2d: 2·groups → 4 channels; transposed: 4 → 2·groups
        const groups = 'groups' in opts ? opts.groups : 1;
        const x = rnd([1, inSize[0], inSize[1], 2 * groups], 20);
        const y = conv2d(x, k, { ...opts, groups });
        const yy = rnd(y.shape.slice(), 21);
        const back = conv2dTranspose(yy, k, opts);
        assert.deepEqual(back.shape, x.shape);
        const lhs = nb.sum(nb.mul(back, x)).item();
        const rhs = nb.sum(nb.mul(yy, y)).item();
        assert.ok(Math.abs(lhs - rhs) < 1e-9 * (1 + Math.abs(rhs)), `${lhs} != ${rhs}`);
      }
    });

    test('conv1dTranspose: sizes and values of the 2-D op on a one-row image', () => {
      const x = rnd([2, 5, 3], 22);
      const k = rnd([4, 2, 3], 23);
      const y = conv1dTranspose(x, k, { strides: 2, padding: 'same' });
      assert.deepEqual(y.shape, [2, 10, 2]);
      const ref = withoutAxis(refConv2dTranspose(withAxis(arr(x), 1), withAxis(arr(k), 0), win([1, 2], [[0, 0], [1, 1]]), [1, 10]), 1);
      assertClose(y, ref);
    });

    test('im2col lays out windows; col2im is its adjoint', () => {
      const x = nb.arange(1, 10, 1, { dtype: 'float64' }).reshape([1, 3, 3, 1]);
      const p = { size: [3, 3] as [number, number], grid: [2, 2] as [number, number], kernel: [2, 2] as [number, number], strides: [2, 2] as [number, number], dilation: [1, 1] as [number, number], padBefore: [1, 0] as [number, number] };
      // windows start at rows -1 and 1, columns 0 and 2; padding reads -7
      assert.deepEqual(Array.from(im2col(x, p, -7).data()), [-7, -7, 1, 2, -7, -7, 3, -7, 4, 5, 7, 8, 6, -7, 9, -7]);
      const big = { ...p, size: [5, 4] as [number, number], grid: [3, 2] as [number, number], kernel: [3, 2] as [number, number], dilation: [1, 2] as [number, number], padBefore: [1, 1] as [number, number] };
      const xs = rnd([2, 5, 4, 3], 24);
      const cols = im2col(xs, big);
      const g = rnd(cols.shape.slice(), 25);
      const lhs = nb.sum(nb.mul(cols, g)).item();
      const rhs = nb.sum(nb.mul(xs, col2im(g, big))).item();
      assert.ok(Math.abs(lhs - rhs) < 1e-9 * (1 + Math.abs(lhs)));
    });

    test('gradcheck (float64): strides, padding modes, dilation, groups, formats', () => {
      const cases: [number[], number[], ConvOptions][] = [
        [[1, 4, 5, 2], [3, 3, 2, 2], { strides: 2, padding: 'same' }],
        [[1, 5, 4, 2], [2, 2, 2, 2], { padding: [[1, 0], [0, 1]], dilation: 2 }],
        [[2, 4, 4, 4], [3, 3, 2, 2], { groups: 2, padding: 1 }],
        [[1, 4, 4, 3], [2, 2, 3, 2], { strides: [1, 2], dataFormat: 'channelsFirst' }],
      ];
      for (const [xs, ks, opts] of cases) {
        const x = opts.dataFormat === 'channelsFirst' ? rnd([xs[0]!, xs[3]!, xs[1]!, xs[2]!], 26) : rnd(xs, 26);
        gradcheck((a, b) => conv2d(a!, b!, opts), [x, rnd(ks, 27)]);
      }
      gradcheck((a, b, c) => conv2d(a!, b!, { bias: c!, padding: 'same' }), [rnd([1, 3, 3, 2], 28), rnd([2, 2, 2, 3], 29), rnd([3], 30)]);
      gradcheck((a, b) => conv1d(a!, b!, { padding: 'causal', dilation: 2, strides: 2 }), [rnd([1, 7, 2], 31), rnd([3, 2, 2], 32)]);
      gradcheck((a, b) => depthwiseConv2d(a!, b!, { padding: 'same', strides: 2 }), [rnd([1, 4, 4, 2], 33), rnd([3, 3, 2, 2], 34)]);
    });

    test('gradcheck (float64): transposed convolutions', () => {
      gradcheck((a, b) => conv2dTranspose(a!, b!, { strides: 2, padding: 'same' }), [rnd([1, 3, 3, 2], 35), rnd([3, 3, 2, 2], 36)]);
      gradcheck((a, b) => conv2dTranspose(a!, b!, { strides: 2, padding: 1, outputPadding: 1, groups: 2, dilation: [1, 2] }), [rnd([1, 2, 3, 4], 37), rnd([2, 2, 1, 4], 38)]);
      gradcheck((a, b) => conv1dTranspose(a!, b!, { strides: 3, dataFormat: 'channelsFirst', kernelLayout: 'pytorch' }), [rnd([1, 2, 3], 39), rnd([2, 2, 2], 40)]);
    });

    test('second-order gradients flow through im2col ↔ col2im', () => {
      // d/dk of ‖∂L/∂x‖² needs the VJP of the VJP (col2im's gradient is im2col)
      const x = rnd([1, 4, 4, 2], 41);
      // (gradcheck's finite differences run under noGrad; the inner gradient needs recording)
      gradcheck((k) => nb.enableGrad(() => {
        const xr = x.detach().requireGrad();
        const loss = nb.sum(nb.mul(conv2d(xr, k!, { strides: 2, padding: 'same' }), rnd([1, 2, 2, 2], 42)));
        const [gx] = nb.gradients(loss, [xr], { createGraph: true });
        return nb.sum(nb.mul(gx!, gx!));
      }), [rnd([3, 3, 2, 2], 43)]);
    });
  });
}

test('conv errors name the op, the shapes and the remedy', () => {
  assert.throws(() => conv2d(nb.zeros([1, 4, 4, 1]), nb.zeros([3, 3, 1, 2]), { activation: 'elu' as never }), /conv2d: activation must be one of linear, relu, sigmoid, tanh, gelu, got "elu"/);
  const x = nb.zeros([2, 8, 8, 3]);
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 1, 32])), { name: 'ShapeError', message: 'conv2d: input has 3 channels but the kernel expects 1 (kernel shape [3,3,1,32])' });
  assert.throws(() => conv2d(nb.zeros([2, 8, 8]), nb.zeros([3, 3, 1, 4])), { name: 'ShapeError', message: /^conv2d: expected a 4-D input \[batch, height, width, channels\], got shape \[2,8,8\]/ });
  assert.throws(() => conv2d(nb.zeros([2, 3, 8, 8]), nb.zeros([3, 3, 1, 4]), { dataFormat: 'channelsFirst' }), { name: 'ShapeError', message: /^conv2d: input has 3 channels but the kernel expects 1/ });
  assert.throws(() => conv2d(nb.zeros([2, 8, 8, 3]), nb.zeros([3, 3, 3])), { name: 'ShapeError', message: /^conv2d: expected a 4-D kernel \[kh, kw, inChannels\/groups, outChannels\], got shape \[3,3,3\]/ });
  assert.doesNotThrow(() => conv2d(x, nb.zeros([4, 3, 3, 3]), { kernelLayout: 'pytorch' }), 'a PyTorch-layout [out, in, kh, kw] kernel');
  assert.throws(() => conv2d(x, nb.zeros([4, 1, 3, 3]), { kernelLayout: 'pytorch' }), { name: 'ShapeError', message: 'conv2d: input has 3 channels but the kernel expects 1 (kernel shape [4,1,3,3])' });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { kernelLayout: 'torch' as never }), { name: 'ValueError', message: /^conv2d: kernelLayout must be 'keras' or 'pytorch'/ });
  assert.throws(() => conv2d(nb.zeros([1, 3, 3, 1]), nb.zeros([5, 5, 1, 1])), { name: 'ShapeError', message: /^conv2d: the 5×5 kernel is larger than the padded input 3×3/ });
  assert.throws(() => conv2d(nb.zeros([1, 4, 4, 1]), nb.zeros([3, 3, 1, 1]), { dilation: 2 }), { name: 'ShapeError', message: /^conv2d: the 3×3 kernel \(dilated to 5×5\) is larger than the padded input 4×4/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 1, 4]), { groups: 2 }), { name: 'ValueError', message: /^conv2d: groups \(2\) must divide the input's 3 channels/ });
  assert.throws(() => conv2d(nb.zeros([1, 5, 5, 4]), nb.zeros([3, 3, 2, 3]), { groups: 2 }), { name: 'ValueError', message: /^conv2d: groups \(2\) must divide the kernel's 3 output channels/ });
  assert.throws(() => conv2d(nb.zeros([1, 5, 5, 4]), nb.zeros([3, 3, 1, 4]), { groups: 2 }), { name: 'ShapeError', message: /^conv2d: input has 4 channels but the kernel expects 2 \(1 per group × 2 groups\)/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { groups: 0 }), { name: 'ValueError', message: /^conv2d: groups must be a positive integer, got 0/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { strides: 0 }), { name: 'ValueError', message: /^conv2d: strides must be a positive integer or 2 of them, got 0/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { strides: [1, 2, 3] }), { name: 'ValueError', message: /^conv2d: strides must be a positive integer or 2 of them, got \[1,2,3\]/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { dilation: [1, 1.5] }), { name: 'ValueError', message: /^conv2d: dilation must be a positive integer or 2 of them, got \[1,1.5\]/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { padding: 'full' as never }), { name: 'ValueError', message: /^conv2d: padding must be 'valid', 'same', a non-negative integer or 2 \[before, after\] pairs/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { padding: -1 }), { name: 'ValueError', message: /^conv2d: padding must be a non-negative integer, got -1/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { padding: 'causal' }), { name: 'ValueError', message: /^conv2d: 'causal' padding is only for 1-D convolutions/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { dataFormat: 'NHWC' as never }), { name: 'ValueError', message: /^conv2d: dataFormat must be 'channelsLast' or 'channelsFirst'/ });
  assert.throws(() => conv2d(x, nb.zeros([3, 3, 3, 4]), { bias: nb.zeros([3]) }), { name: 'ShapeError', message: /^conv2d: bias must have shape \[4\] \(one value per output channel\), got \[3\]/ });
  assert.throws(() => conv2d(nb.zeros([1, 4, 4, 1], { dtype: 'int32' }), nb.zeros([3, 3, 1, 1])), { name: 'DTypeError', message: /^conv2d: expected a float input, got int32; cast it/ });
  assert.throws(() => conv1d(nb.zeros([2, 8, 8, 3]), nb.zeros([3, 3, 4])), { name: 'ShapeError', message: /^conv1d: expected a 3-D input \[batch, length, channels\], got shape \[2,8,8,3\]/ });
  assert.throws(() => conv1d(nb.zeros([1, 2, 3]), nb.zeros([4, 3, 1])), { name: 'ShapeError', message: /^conv1d: the 4 kernel is larger than the padded input 2/ });
  assert.throws(() => depthwiseConv2d(x, nb.zeros([3, 3, 2, 1])), { name: 'ShapeError', message: /^depthwiseConv2d: input has 3 channels but the kernel expects 2 \(kernel shape \[3,3,2,1\]\)/ });
  assert.throws(() => conv2dTranspose(x, nb.zeros([3, 3, 4, 2])), { name: 'ShapeError', message: /^conv2dTranspose: input has 3 channels but the kernel expects 2 \(kernel shape \[3,3,4,2\]\)/ });
  assert.throws(() => conv2dTranspose(x, nb.zeros([3, 3, 4, 3]), { strides: 2, outputPadding: 2 }), { name: 'ValueError', message: /^conv2dTranspose: outputPadding \(2\) must be smaller than the stride \(2\) or the dilation \(1\)/ });
  assert.throws(() => conv2dTranspose(nb.zeros([1, 1, 1, 1]), nb.zeros([1, 1, 1, 1]), { padding: 1 }), { name: 'ShapeError', message: /^conv2dTranspose: the padding leaves an empty output/ });
});
