/**
 * ONNX protobuf messages in and out, through protobufjs and the schema in `schema.ts`: decoding a
 * file's bytes into plain typed objects, and encoding such objects back (tests build small models
 * this way; a future exporter can too). int64 fields come out as JS numbers (exact up to 2^53;
 * larger ones, such as the INT64_MAX that exporters use for "to the end" in Slice, are rounded,
 * which the importer treats as "very large" anyway).
 */
import protobuf from 'protobufjs';
import { FormatError } from '../../formats/errors.js';
import { onnxSchema } from './schema.js';

/** A key/value pair (ModelProto.metadata_props, TensorProto.external_data). */
export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

/** OperatorSetIdProto: which version of an operator set (domain '' is the ONNX one) a model uses. */
export interface OperatorSetIdProto {
  domain?: string;
  version?: number;
}

/** TensorProto: a tensor's type, shape and values (in one of the typed fields or in `rawData`). */
export interface TensorProto {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  stringData?: Uint8Array[];
  int64Data?: number[];
  name?: string;
  rawData?: Uint8Array;
  doubleData?: number[];
  uint64Data?: number[];
  docString?: string;
  externalData?: StringStringEntryProto[];
  dataLocation?: number;
}

/** TensorShapeProto.Dimension: a size, or a symbolic name such as `'batch'`. */
export interface DimensionProto {
  dimValue?: number;
  dimParam?: string;
  denotation?: string;
}

/** TypeProto, reduced to tensor types. */
export interface TypeProto {
  tensorType?: { elemType?: number; shape?: { dim?: DimensionProto[] } };
  denotation?: string;
}

/** ValueInfoProto: a graph input's or output's name and type. */
export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  docString?: string;
}

/** AttributeProto: one named attribute of a node; `type` says which value field is used. */
export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  refAttrName?: string;
  docString?: string;
}

/** NodeProto: one operator call. An empty input name means an omitted optional input. */
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
  docString?: string;
}

/** GraphProto: nodes, initializers (named constant tensors), inputs and outputs. */
export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  docString?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
}

/** ModelProto: the top-level message of an `.onnx` file. */
export interface ModelProto {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph?: GraphProto;
  opsetImport?: OperatorSetIdProto[];
  metadataProps?: StringStringEntryProto[];
}

const roots = new Map<boolean, protobuf.Type>();

/** The ModelProto type of the schema (packed or unpacked encoding of repeated numbers). */
function modelType(packed: boolean): protobuf.Type {
  let t = roots.get(packed);
  if (!t) {
    t = protobuf.Root.fromJSON(onnxSchema(packed)).lookupType('onnx.ModelProto');
    roots.set(packed, t);
  }
  return t;
}

/**
 * Decodes the bytes of an `.onnx` file into a ModelProto. Truncated or non-protobuf bytes raise a
 * FormatError naming `source` (protobufjs bounds-checks every read, so a bad length never reads
 * outside the buffer).
 */
export function decodeModelProto(bytes: Uint8Array, source = 'the input'): ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new FormatError(`loadOnnx: expected the bytes of an .onnx file (a Uint8Array), got ${typeof bytes}`);
  if (bytes.length === 0) throw new FormatError(`loadOnnx: ${source} is empty; an .onnx file holds a protobuf ModelProto`);
  const type = modelType(true);
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new FormatError(`loadOnnx: ${source} is not a valid ONNX model: the protobuf data is truncated or corrupt (${why})`, { cause: err });
  }
  // The conversion follows the schema, so the object has exactly the fields and types declared
  // above (int64 as numbers, bytes as Uint8Array, repeated fields as arrays).
  return type.toObject(message, { longs: Number, arrays: true }) as ModelProto;
}

/**
 * Encodes a ModelProto to bytes. `packed: false` writes repeated numbers unpacked (one tag per
 * value), as some exporters do; readers must accept both.
 *
 * @example
 * const bytes = encodeModelProto({ irVersion: 8, opsetImport: [{ version: 17 }], graph: { ... } });
 */
export function encodeModelProto(model: ModelProto, opts: { packed?: boolean } = {}): Uint8Array {
  const type = modelType(opts.packed ?? true);
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}
