// Hostile ONNX files (issue 12, items 1 and 7): an op_type or a value named like a property every
// object inherits is a name like any other, and a node's input and output counts are checked
// against its operator before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../../src/index.js';
import { FormatError, toTorchStateDict } from '../../../src/io/index.js';
import { encodeModelProto, loadOnnx, UnsupportedOperatorError } from '../../../src/io/onnx/index.js';
import { f, i, init, modelBytes, modelProto, node, type GraphSpec } from './helpers.js';

const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();

/** The global prototypes are as they were: nothing a file named was written into them. */
function assertPrototypesIntact(): void {
  assert.equal(String({}), '[object Object]');
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), objectKeys);
  assert.equal(({} as Record<string, unknown>)['x'], undefined);
}

function single(opType: string, inputs: string[], outputs: string[] = ['y']): GraphSpec {
  return { nodes: [node(opType, inputs, outputs, {}, 'n')], inputs: [['x', [1, 2]]], outputs: outputs.filter((o) => o !== '') };
}

for (const opType of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
  test(`an op_type '${opType}' is an unsupported operator, listed by name`, () => {
    assert.throws(() => loadOnnx(modelBytes(single(opType, ['x']))), (err: unknown) => {
      assert.ok(err instanceof UnsupportedOperatorError, String(err));
      assert.match(err.message, new RegExp(`^loadOnnx: unsupported operators: ${opType} \\(1 node\\); supported: Abs, `));
      assert.ok(Object.hasOwn(err.operators, opType));
      assert.equal(err.operators[opType], 1);
      return true;
    });
    assertPrototypesIntact();
  });
}

const arityCases: [string, GraphSpec, RegExp][] = [
  ['an Add with 200 inputs', single('Add', Array.from({ length: 200 }, () => 'x')), /^loadOnnx: Add node 'n' lists 200 inputs; Add takes 2 inputs \(ONNX opsets 7 to 18\)$/],
  ['an Add with one input', single('Add', ['x']), /Add node 'n' lists 1 input; Add takes 2 inputs/],
  ['a Relu with two outputs', single('Relu', ['x'], ['y', 'z']), /Relu node 'n' lists 2 outputs; Relu takes 1 output/],
  ['a Conv with four inputs', single('Conv', ['x', 'x', 'x', 'x']), /Conv node 'n' lists 4 inputs; Conv takes 2 to 3 inputs/],
  ['a Sum with no inputs', single('Sum', []), /Sum node 'n' lists 0 inputs; Sum takes 1 or more inputs/],
  ['a Constant reading an input', single('Constant', ['x']), /Constant node 'n' lists 1 input; Constant takes 0 inputs/],
  ['a node with no outputs', { ...single('Relu', ['x'], []), outputs: ['x'] }, /Relu node 'n' lists 0 outputs; Relu takes 1 output/],
];

for (const [label, spec, message] of arityCases) {
  test(`${label} is refused at load, naming the node, the op, the count and the range`, () => {
    assert.throws(() => loadOnnx(modelBytes(spec)), (err: unknown) => err instanceof FormatError && message.test(err.message));
  });
}

test('counts inside the range load and run: a variadic Sum of three, a Conv without bias, Dropout with its mask', () => {
  const sum = loadOnnx(modelBytes(single('Sum', ['x', 'x', 'x'])));
  assert.deepEqual(sum.apply(nb.tensor([[1, 2]])).toArray(), [[3, 6]]);
  const drop = loadOnnx(modelBytes(single('Dropout', ['x'], ['y', 'mask'])));
  assert.deepEqual(drop.run({ x: nb.tensor([[1, 2]]) })['y']!.toArray(), [[1, 2]]);
});

for (const name of ['__proto__', 'constructor', 'toString']) {
  test(`an initializer, a node and a value named '${name}' are plain names: the model loads, runs and keeps them apart`, () => {
    const value = name === 'prototype' ? '__proto__' : 'prototype';
    const spec: GraphSpec = {
      nodes: [node('MatMul', ['x', name], [value], {}, name), node('Relu', [value], ['y'], {}, 'act')],
      inputs: [['x', [1, 2]]],
      outputs: ['y'],
      initializers: [init(name, [2, 2], [1, -2, 3, 4])],
    };
    const model = loadOnnx(modelBytes(spec));
    assert.deepEqual(model.apply(nb.tensor([[1, 1]])).toArray(), [[4, 2]]);
    assert.ok(Object.hasOwn(model.weightPaths, name), 'the weight path is an own entry');
    const path = model.weightPaths[name]!;
    assert.equal(typeof path, 'string');
    assert.deepEqual(Object.keys(model.stateDict()), [path]);
    assert.ok(model.getLayerByNode(name) !== null);
    assertPrototypesIntact();
  });
}

test('a graph input named __proto__ is fed by name', () => {
  const model = loadOnnx(modelBytes({ nodes: [node('Relu', ['__proto__'], ['y'], {}, 'r')], inputs: [['__proto__', [1, 2]]], outputs: ['y'] }));
  assert.deepEqual(model.inputNames, ['__proto__']);
  assert.deepEqual(model.apply(nb.tensor([[-1, 2]])).toArray(), [[0, 2]]);
  assertPrototypesIntact();
});

test("a weight named 'constructor' (from an initializer) is looked up by own key: missing when not given, PyTorch name kept", () => {
  const model = loadOnnx(modelBytes({
    nodes: [node('MatMul', ['x', 'constructor'], ['y'], {}, 'mm')], inputs: [['x', [1, 2]]], outputs: ['y'],
    initializers: [init('constructor', [2, 2], [1, 2, 3, 4])],
  }));
  const layer = model.getLayerByNode('mm')!;
  assert.deepEqual(layer.namedWeights().map(([n]) => n), ['constructor']);
  assert.throws(() => layer.loadStateDict({}), /missing keys: constructor/);
  assert.deepEqual(layer.loadStateDict({}, { strict: false }).missingKeys, ['constructor']);
  assert.deepEqual(Object.keys(toTorchStateDict(model)), ['mm.constructor']);
  assertPrototypesIntact();
});

test('attributes and metadata_props named __proto__ or constructor are plain entries', () => {
  const proto = modelProto({
    nodes: [node('Relu', ['x'], ['y'], Object.fromEntries([['__proto__', i(1)], ['constructor', f(2)]]), 'r')],
    inputs: [['x', [1, 2]]],
    outputs: ['y'],
  });
  assert.deepEqual(proto.graph!.node![0]!.attribute!.map((a) => a.name), ['__proto__', 'constructor']);
  proto.metadataProps = [{ key: '__proto__', value: 'p' }, { key: 'constructor', value: 'c' }];
  const model = loadOnnx(encodeModelProto(proto));
  assert.deepEqual(model.apply(nb.tensor([[-1, 3]])).toArray(), [[0, 3]]);
  assert.ok(Object.hasOwn(model.onnx.metadata, '__proto__'));
  assert.equal(model.onnx.metadata['__proto__'], 'p');
  assert.equal(model.onnx.metadata['constructor'], 'c');
  assertPrototypesIntact();
});
