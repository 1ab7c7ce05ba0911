/**
 * ONNX models: small graphs built with the importer's own protobuf schema (dense, convolutional,
 * shape-manipulating, normalising), loaded with `nb.io.loadOnnx` and run once on zeros shaped as
 * the file declares its inputs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import type { OnnxValueInfo } from '../../src/io/onnx/index.js';
import { DataType, f, i, i64, init, ints, modelBytes, node, type GraphSpec } from '../../test/io/onnx/helpers.js';
import { fileBytes, type FuzzFormat } from '../format.js';
import { mutateFiles } from '../mutate/files.js';
import { check } from '../outcome.js';

const FILE = 'model.onnx';
const range = (n: number, scale = 0.1): number[] => Array.from({ length: n }, (_, k) => ((k * 7) % 11 - 5) * scale);

const SEEDS: Record<string, GraphSpec> = {
  mlp: {
    nodes: [
      node('MatMul', ['x', 'W1'], ['h']), node('Add', ['h', 'b1'], ['hb']), node('Relu', ['hb'], ['r']),
      node('Gemm', ['r', 'W2', 'b2'], ['logits'], { alpha: f(1), beta: f(1) }), node('Softmax', ['logits'], ['y'], { axis: i(1) }),
    ],
    inputs: [['x', ['N', 4]]],
    outputs: ['y'],
    initializers: [init('W1', [4, 5], range(20)), init('b1', [5], range(5), DataType.FLOAT, true), init('W2', [5, 3], range(15), DataType.FLOAT, true), init('b2', [3], [0, 0.1, -0.1])],
  },
  cnn: {
    nodes: [
      node('Conv', ['x', 'W', 'B'], ['c'], { pads: ints([1, 1, 1, 1]), kernel_shape: ints([3, 3]) }),
      node('BatchNormalization', ['c', 'scale', 'bias', 'mean', 'var'], ['bn'], { epsilon: f(1e-5) }),
      node('MaxPool', ['bn'], ['p'], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }),
      node('Reshape', ['p', 'shape'], ['flat']), node('MatMul', ['flat', 'Wd'], ['d']), node('LogSoftmax', ['d'], ['y'], { axis: i(-1) }),
    ],
    inputs: [['x', ['N', 1, 6, 6]]],
    outputs: ['y'],
    initializers: [
      init('W', [2, 1, 3, 3], range(18)), init('B', [2], [0.1, -0.1]), init('scale', [2], [1, 1.5]), init('bias', [2], [0, 0.2]),
      init('mean', [2], [0, 0.1]), init('var', [2], [1, 2]), i64('shape', [-1, 18]), init('Wd', [18, 3], range(54), DataType.FLOAT, true),
    ],
  },
  shapes: {
    nodes: [
      node('Transpose', ['x'], ['t'], { perm: ints([0, 2, 1]) }), node('Slice', ['t', 'starts', 'ends', 'axes'], ['s']),
      node('Concat', ['s', 's'], ['c'], { axis: i(1) }), node('Sigmoid', ['c'], ['g']), node('Tanh', ['c'], ['h']),
      node('Mul', ['g', 'h'], ['m']), node('ReduceMean', ['m'], ['r'], { axes: ints([2]), keepdims: i(0) }),
      node('Unsqueeze', ['r', 'uaxes'], ['u']), node('Flatten', ['u'], ['fl'], { axis: i(1) }),
      node('Clip', ['fl', 'lo', 'hi'], ['y']),
    ],
    inputs: [['x', ['N', 3, 4]]],
    outputs: ['y'],
    initializers: [i64('starts', [1]), i64('ends', [3]), i64('axes', [1]), i64('uaxes', [1]), init('lo', [], [-0.5]), init('hi', [], [0.5])],
  },
  norm: {
    nodes: [
      node('LayerNormalization', ['x', 'gamma', 'beta'], ['ln'], { axis: i(-1), epsilon: f(1e-5) }),
      node('Div', ['ln', 'sqrt2'], ['d']), node('Erf', ['d'], ['e']), node('Add', ['e', 'one'], ['e1']),
      node('Mul', ['ln', 'e1'], ['gx']), node('Mul', ['gx', 'half'], ['gelu']),
      node('ReduceSum', ['gelu', 'raxes'], ['rs'], { keepdims: i(1) }), node('Squeeze', ['rs', 'raxes'], ['y']),
    ],
    inputs: [['x', ['N', 5, 4]]],
    outputs: ['y'],
    initializers: [init('gamma', [4], [1, 1, 0.5, 2]), init('beta', [4], range(4)), init('sqrt2', [], [Math.SQRT2]), init('one', [], [1]), init('half', [], [0.5]), i64('raxes', [1])],
  },
};

/** A zeros feed for a declared input (batch 2, unknown dims 1), or null when it cannot be made small. */
function feedFor(info: OnnxValueInfo): nb.Tensor | null {
  const shape = (info.shape ?? []).map((d, k) => (k === 0 ? 2 : typeof d === 'number' && d > 0 ? d : 1));
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(size) || size > 100_000) return null;
  const dtype = { [DataType.FLOAT]: 'float32', [DataType.DOUBLE]: 'float64', [DataType.INT64]: 'int32', [DataType.INT32]: 'int32', [DataType.BOOL]: 'bool' }[info.elemType];
  return dtype === undefined ? null : nb.zeros(shape, { dtype: dtype as nb.DType });
}

/** `.onnx` files. */
export const onnxFormat: FuzzFormat = {
  name: 'onnx',
  makeSeeds(dir) {
    for (const [name, spec] of Object.entries(SEEDS)) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, FILE), modelBytes({ ...spec, opset: 17 }));
    }
    return Object.keys(SEEDS);
  },
  mutate(rng, files) {
    mutateFiles(rng, files);
  },
  load(dir, _seed, rng) {
    const path = join(dir, FILE);
    const bytes = rng.chance(0.5) ? fileBytes(path) : null;
    const model = nb.io.loadOnnx(bytes ?? path);
    const feeds: Record<string, nb.Tensor> = {};
    for (const input of model.onnx.inputs) {
      const feed = feedFor(input);
      if (feed === null) return;
      feeds[input.name] = feed;
    }
    const outputs = model.run(feeds);
    for (const [name, t] of Object.entries(outputs)) check(t.data().length === t.size, `output '${name}' holds ${t.data().length} values for shape [${t.shape.join(',')}]`);
  },
};
