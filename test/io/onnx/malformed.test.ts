// Malformed and unsupported files: clear errors, never a crash, a hang or an out-of-bounds read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../../src/index.js';
import { FileNotFoundError, FormatError } from '../../../src/io/index.js';
import { encodeModelProto, loadOnnx, UnsupportedOperatorError, UnsupportedTypeError } from '../../../src/io/onnx/index.js';
import { DataType, i64, init, modelBytes, modelProto, node, type GraphSpec } from './helpers.js';

// ../shared beside the repository, found from this file (repo/test/io/onnx)
const MNIST = fileURLToPath(new URL('../../../../shared/models/mnist-12-onnx/mnist-12.onnx', import.meta.url));
const skip = existsSync(MNIST) ? false : `${MNIST} is not present`;

const good: GraphSpec = {
  nodes: [node('MatMul', ['x', 'W'], ['h'], {}, 'mm'), node('Relu', ['h'], ['y'], {}, 'act')],
  inputs: [['x', [1, 2]]],
  outputs: ['y'],
  initializers: [init('W', [2, 2], [1, 2, 3, 4])],
};

/** Asserts that loading fails with `type` and a message matching `re`. */
function rejects(bytes: Uint8Array, type: new (...args: never[]) => Error, re: RegExp): void {
  assert.throws(() => loadOnnx(bytes), (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    assert.match((err as Error).message, re);
    return true;
  });
}

test('the valid baseline loads', () => {
  assert.deepEqual(loadOnnx(modelBytes(good)).apply(nb.tensor([[1, 1]])).toArray(), [[4, 6]]);
});

test('truncated files, random bytes, an empty file and a missing file', { skip }, () => {
  const bytes = readFileSync(MNIST);
  for (const cut of [1, 10, 100, 1000, bytes.length - 1]) rejects(bytes.subarray(0, cut), FormatError, /truncated or corrupt|has no graph|initializer|needs/);
  rejects(new Uint8Array(0), FormatError, /is empty/);
  rejects(new TextEncoder().encode('this is not a protobuf file, just text\n'), FormatError, /not a valid ONNX model|has no graph/);
  rejects(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), FormatError, /not a valid ONNX model|has no graph/);
  assert.throws(() => loadOnnx('/no/such/model.onnx'), (err: unknown) => err instanceof FileNotFoundError && /no file at '\/no\/such\/model.onnx'/.test(err.message));
});

test('structural errors name the node or value', () => {
  const p = modelProto(good);
  rejects(encodeModelProto({ ...p, graph: undefined }), FormatError, /has no graph/);
  rejects(encodeModelProto({ ...p, opsetImport: [{ domain: 'com.other', version: 1 }] }), FormatError, /does not import the ONNX operator set/);
  rejects(encodeModelProto({ ...p, opsetImport: [{ domain: '', version: 6 }] }), FormatError, /opset 6; opsets 7 to 18 are supported/);
  rejects(encodeModelProto({ ...p, opsetImport: [{ domain: '', version: 99 }] }), FormatError, /opset 99/);
  rejects(modelBytes({ ...good, nodes: [node('MatMul', ['x', 'Wrong'], ['h'], {}, 'mm'), good.nodes[1]!] }), FormatError,
    /MatMul node 'mm' reads 'Wrong', which no graph input, initializer or node produces/);
  rejects(modelBytes({ ...good, outputs: ['nowhere'] }), FormatError, /graph output 'nowhere' is not produced/);
  rejects(modelBytes({ ...good, outputs: [] }), FormatError, /declares no outputs/);
  rejects(modelBytes({ ...good, nodes: [...good.nodes, node('Relu', ['x'], ['y'], {}, 'again')] }), FormatError, /'y' is produced twice, by Relu node 'act' and Relu node 'again'/);
  rejects(modelBytes({ ...good, nodes: [node('Relu', ['b'], ['a'], {}, 'r1'), node('Relu', ['a'], ['b'], {}, 'r2'), ...good.nodes] }), FormatError, /has a cycle .*Relu node 'r1'/);
  rejects(modelBytes({ ...good, nodes: [{ input: ['x'], output: ['y'], name: 'blank' }] }), FormatError, /node 0 \('blank'\) .* has no op_type/);
  rejects(modelBytes({ ...good, initializers: [init('W', [2, 2], [1, 2, 3, 4]), init('W', [1], [1])] }), FormatError, /two initializers named 'W'/);
});

test('initializer data that does not fit its shape or type', () => {
  const withW = (w: ReturnType<typeof init>) => modelBytes({ ...good, initializers: [w] });
  rejects(withW({ name: 'W', dims: [2, 2], dataType: DataType.FLOAT, rawData: new Uint8Array(15) }), FormatError,
    /initializer 'W' \(FLOAT, shape \[2,2\]\) needs 16 bytes of raw_data \(4 values × 4 bytes\), but raw_data holds 15/);
  rejects(withW(init('W', [2, 2], [1, 2, 3])), FormatError, /initializer 'W' \(FLOAT, shape \[2,2\]\) needs 4 values but float_data holds 3/);
  rejects(withW({ name: 'W', dims: [2, 2], dataType: DataType.FLOAT }), FormatError, /has no values: neither raw_data nor float_data is set/);
  rejects(withW({ name: 'W', dims: [100000, 100000, 100000], dataType: DataType.FLOAT, floatData: [1] }), FormatError, /needs 1000000000000000 values but float_data holds 1/);
  rejects(withW({ name: 'W', dims: [2, -2], dataType: DataType.FLOAT, floatData: [] }), FormatError, /initializer 'W' has an invalid dimension -2/);
  rejects(withW({ name: 'W', dims: [1], dataType: DataType.STRING, stringData: [new Uint8Array([65])] }), UnsupportedTypeError, /element type STRING, which nabla cannot represent/);
  rejects(withW({ name: 'W', dims: [2, 2], dataType: DataType.FLOAT, dataLocation: 1, externalData: [{ key: 'location', value: 'weights.bin' }] }), FormatError,
    /initializer 'W' stores its values in an external file \('weights.bin'\) \(external_data\), which loadOnnx does not support/);
  rejects(modelBytes({ ...good, initializers: [...good.initializers!, { dims: [1], dataType: DataType.FLOAT, floatData: [1] }] }), FormatError, /initializer without a name/);
});

test('unsupported operators are listed by name, all at once, with node counts', () => {
  const spec: GraphSpec = {
    nodes: [
      node('Relu', ['x'], ['a']), node('Foo', ['a'], ['b']), node('Foo', ['b'], ['c']), node('Bar', ['c'], ['d']),
      { ...node('FusedConv', ['d'], ['y']), domain: 'com.microsoft' },
    ],
    inputs: [['x', [1]]],
    outputs: ['y'],
  };
  assert.throws(() => loadOnnx(modelBytes(spec)), (err: unknown) => {
    assert.ok(err instanceof UnsupportedOperatorError);
    assert.match(err.message, /^loadOnnx: unsupported operators: Foo \(2 nodes\), Bar \(1 node\), com\.microsoft\.FusedConv \(1 node\); supported: .*Conv, .*MaxPool/);
    assert.deepEqual(err.operators, { Foo: 2, Bar: 1, 'com.microsoft.FusedConv': 1 });
    return true;
  });
});

test('bad attributes and inputs fail at run time naming the node', () => {
  const m = loadOnnx(modelBytes({
    nodes: [node('Reshape', ['x', 'shape'], ['y'], {}, 'rs')], inputs: [['x', [1, 4]]], outputs: ['y'], initializers: [i64('shape', [3, 5])],
  }));
  assert.throws(() => m.apply(nb.zeros([1, 4])), /^ShapeError: Reshape node 'rs': reshape: cannot reshape \[1,4\]/);
  const conv = loadOnnx(modelBytes({
    nodes: [node('Conv', ['x', 'W'], ['y'], { auto_pad: { s: 'WEIRD' } }, 'c1')], inputs: [['x', [1, 1, 3, 3]]], outputs: ['y'],
    initializers: [init('W', [1, 1, 2, 2], [1, 1, 1, 1])],
  }));
  assert.throws(() => conv.apply(nb.zeros([1, 1, 3, 3])), /Conv node 'c1': unknown auto_pad 'WEIRD'/);
  const wrongType = loadOnnx(modelBytes({ nodes: [node('Flatten', ['x'], ['y'], { axis: { f: 1 } }, 'fl')], inputs: [['x', [2, 2]]], outputs: ['y'] }));
  assert.throws(() => wrongType.apply(nb.zeros([2, 2])), /Flatten node 'fl': attribute 'axis' should be INT, got FLOAT/);
});

test('fuzz: thousands of mutated mnist-12 files give only clean errors (or load)', { skip }, () => {
  const original = readFileSync(MNIST);
  let state = 12345;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state % n;
  };
  let loaded = 0;
  let rejected = 0;
  const start = Date.now();
  for (let trial = 0; trial < 2000; trial++) {
    const bytes = Uint8Array.from(original);
    const edits = 1 + rand(4);
    for (let e = 0; e < edits; e++) {
      const at = rand(bytes.length);
      const kind = rand(3);
      if (kind === 0) bytes[at] = rand(256);
      else if (kind === 1) bytes[at] = bytes[at]! ^ (1 << rand(8));
      else bytes[at] = [0x00, 0x7f, 0x80, 0xff][rand(4)]!;
    }
    const cut = rand(10) === 0 ? rand(bytes.length) : bytes.length;
    try {
      loadOnnx(bytes.subarray(0, cut));
      loaded++;
    } catch (err) {
      assert.ok(err instanceof Error, `trial ${trial}: threw a non-Error ${String(err)}`);
      assert.ok(!(err instanceof TypeError) && !(err instanceof ReferenceError), `trial ${trial}: crashed with ${err.stack}`);
      assert.ok(err.message.length > 0 && err.message.length < 5000, `trial ${trial}: unhelpful message`);
      rejected++;
    }
  }
  assert.equal(loaded + rejected, 2000);
  assert.ok(rejected > 0);
  assert.ok(Date.now() - start < 30000, 'no mutation should make loading slow');
});

test('a file on disk loads by path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-onnx-'));
  try {
    const path = join(dir, 'tiny.onnx');
    writeFileSync(path, modelBytes(good));
    assert.deepEqual(loadOnnx(path).apply(nb.tensor([[1, 0]])).toArray(), [[1, 2]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
