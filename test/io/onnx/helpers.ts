// Builders for small ONNX models, encoded with the same protobuf schema the importer reads.
import assert from 'node:assert/strict';
import * as nb from '../../../src/index.js';
import {
  AttributeType, DataType, encodeModelProto, loadOnnx,
  type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type OnnxModel,
} from '../../../src/io/onnx/index.js';

export { DataType };

/** A tagged attribute value (the tag picks the ONNX attribute type). */
export type AttrValue =
  | { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] } | { t: TensorProto };

export const i = (v: number): AttrValue => ({ i: v });
export const f = (v: number): AttrValue => ({ f: v });
export const s = (v: string): AttrValue => ({ s: v });
export const ints = (v: number[]): AttrValue => ({ ints: v });
export const floats = (v: number[]): AttrValue => ({ floats: v });
export const t = (v: TensorProto): AttrValue => ({ t: v });

function attribute(name: string, v: AttrValue): AttributeProto {
  if ('i' in v) return { name, type: AttributeType.INT, i: v.i };
  if ('f' in v) return { name, type: AttributeType.FLOAT, f: v.f };
  if ('s' in v) return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v.s) };
  if ('ints' in v) return { name, type: AttributeType.INTS, ints: v.ints };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: v.floats };
  return { name, type: AttributeType.TENSOR, t: v.t };
}

/** A node; attributes as `{ axis: i(1) }`. */
export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name?: string): NodeProto {
  return { opType, input: inputs, output: outputs, name: name ?? `${opType}_${outputs[0]}`, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) };
}

/** Little-endian raw bytes of `values` in `dataType`. */
export function rawBytes(values: readonly (number | bigint)[], dataType: number): Uint8Array {
  const size = { [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.INT64]: 8, [DataType.INT32]: 4, [DataType.INT8]: 1, [DataType.UINT8]: 1, [DataType.INT16]: 2, [DataType.UINT16]: 2, [DataType.BOOL]: 1, [DataType.FLOAT16]: 2, [DataType.UINT32]: 4, [DataType.UINT64]: 8 }[dataType];
  if (size === undefined) throw new Error(`rawBytes: no layout for ${dataType}`);
  const buf = new ArrayBuffer(values.length * size);
  const v = new DataView(buf);
  values.forEach((value, k) => {
    const x = Number(value);
    switch (dataType) {
      case DataType.FLOAT: v.setFloat32(k * 4, x, true); break;
      case DataType.DOUBLE: v.setFloat64(k * 8, x, true); break;
      case DataType.INT64: v.setBigInt64(k * 8, BigInt(value), true); break;
      case DataType.UINT64: v.setBigUint64(k * 8, BigInt(value), true); break;
      case DataType.INT32: v.setInt32(k * 4, x, true); break;
      case DataType.UINT32: v.setUint32(k * 4, x, true); break;
      case DataType.INT16: v.setInt16(k * 2, x, true); break;
      case DataType.UINT16: case DataType.FLOAT16: v.setUint16(k * 2, x, true); break;
      case DataType.INT8: v.setInt8(k, x); break;
      default: v.setUint8(k, x);
    }
  });
  return new Uint8Array(buf);
}

/**
 * An initializer. Floats go to float_data, int64 to int64_data, others to int32_data, unless
 * `raw` (then raw_data, little-endian).
 */
export function init(name: string, dims: number[], values: number[], dataType: number = DataType.FLOAT, raw = false): TensorProto {
  const tp: TensorProto = { name, dims, dataType };
  if (raw) tp.rawData = rawBytes(values, dataType);
  else if (dataType === DataType.FLOAT) tp.floatData = values;
  else if (dataType === DataType.DOUBLE) tp.doubleData = values;
  else if (dataType === DataType.INT64) tp.int64Data = values;
  else if (dataType === DataType.UINT32 || dataType === DataType.UINT64) tp.uint64Data = values;
  else tp.int32Data = values;
  return tp;
}

/** An int64 initializer (shapes, axes, pads). */
export const i64 = (name: string, values: number[], dims: number[] = [values.length]): TensorProto => init(name, dims, values, DataType.INT64);

export interface GraphSpec {
  nodes: NodeProto[];
  /** `[name, dims]` (a string dim is symbolic), optionally with an element type (default FLOAT). */
  inputs: [string, (number | string)[], number?][];
  outputs: string[];
  initializers?: TensorProto[];
  opset?: number;
  irVersion?: number;
}

/** The ModelProto of a small graph. */
export function modelProto(spec: GraphSpec): ModelProto {
  const value = (name: string, dims: (number | string)[] | null, elemType: number = DataType.FLOAT) => ({
    name,
    type: { tensorType: { elemType, shape: dims === null ? undefined : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  return {
    irVersion: spec.irVersion ?? 8,
    producerName: 'nabla-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    graph: {
      name: 'test_graph',
      node: spec.nodes,
      input: spec.inputs.map(([n, d, e]) => value(n, d, e)),
      output: spec.outputs.map((n) => value(n, null)),
      initializer: spec.initializers ?? [],
    },
  };
}

/** Encodes a small graph to .onnx bytes. */
export function modelBytes(spec: GraphSpec, opts: { packed?: boolean } = {}): Uint8Array {
  return encodeModelProto(modelProto(spec), opts);
}

/** Loads a small graph through the bytes path of loadOnnx. */
export function build(spec: GraphSpec): OnnxModel {
  return loadOnnx(modelBytes(spec));
}

/**
 * Runs a single-node graph: `op(inputs…) → y`, inputs given as tensors (fed) or initializers.
 * Returns every output by name.
 */
export function runNode(
  opType: string,
  feeds: Record<string, nb.Tensor>,
  attrs: Record<string, AttrValue> = {},
  opts: { initializers?: TensorProto[]; inputs?: string[]; outputs?: string[]; opset?: number; training?: boolean } = {},
): Record<string, nb.Tensor> {
  const inputNames = opts.inputs ?? Object.keys(feeds);
  const outputs = opts.outputs ?? ['y'];
  const model = build({
    nodes: [node(opType, inputNames, outputs, attrs, 'n')],
    inputs: Object.entries(feeds).map(([n, x]) => [n, x.shape.slice(), x.dtype === 'int32' ? DataType.INT64 : x.dtype === 'bool' ? DataType.BOOL : x.dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT]),
    outputs: outputs.filter((o) => o !== ''),
    initializers: opts.initializers,
    opset: opts.opset,
  });
  return model.run(feeds, { training: opts.training });
}

/** The single output `y` of `runNode`. */
export function run1(opType: string, feeds: Record<string, nb.Tensor>, attrs: Record<string, AttrValue> = {}, opts: Parameters<typeof runNode>[3] = {}): nb.Tensor {
  const out = runNode(opType, feeds, attrs, opts);
  return out[(opts.outputs ?? ['y'])[0]!]!;
}

/** Asserts a tensor's shape and values (within `tol`). */
export function assertClose(actual: nb.Tensor, shape: number[], expected: number[], tol = 1e-5): void {
  assert.deepEqual(actual.shape, shape, `shape ${JSON.stringify(actual.shape)} != ${JSON.stringify(shape)}`);
  const got = Array.from(actual.data());
  assert.equal(got.length, expected.length);
  got.forEach((v, k) => {
    const e = expected[k]!;
    const ok = (Number.isNaN(e) && Number.isNaN(v)) || v === e || Math.abs(v - e) <= tol * Math.max(1, Math.abs(e));
    assert.ok(ok, `element ${k}: got ${v}, expected ${e} (all: ${got.join(', ')})`);
  });
}

/** `nb.tensor` shortcut: float32 from nested arrays. */
export const T = (v: nb.NestedArray, dtype: nb.DType = 'float32'): nb.Tensor => nb.tensor(v, { dtype });
