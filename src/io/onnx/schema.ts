/**
 * The part of the ONNX IR schema (`onnx.proto`, package `onnx`, proto2 syntax) that model import
 * reads, as a protobufjs JSON descriptor. Field numbers and types follow the ONNX IR
 * specification. Left out on purpose: sub-graphs (`AttributeProto.g/graphs`), sparse tensors,
 * functions, training info and the non-tensor `TypeProto` variants. The decoder skips those as
 * unknown fields, which also means no message can nest inside itself, so a hostile file cannot
 * drive the decoder into deep recursion.
 *
 * Repeated numeric fields carry their `packed` flag from the spec: protobufjs decodes both the
 * packed and the unpacked wire forms whatever the flag says; the flag only chooses how it encodes.
 */

/** One field of a message in protobufjs' JSON descriptor form. */
interface FieldJson {
  type: string;
  id: number;
  rule?: 'repeated';
  options?: { packed: boolean };
}

/** A message in protobufjs' JSON descriptor form (nested messages and enums under `nested`). */
interface MessageJson {
  fields: Record<string, FieldJson>;
  oneofs?: Record<string, { oneof: string[] }>;
  nested?: Record<string, MessageJson | EnumJson>;
}

interface EnumJson {
  values: Record<string, number>;
}

const packed = (type: string, id: number, isPacked: boolean): FieldJson => ({ type, id, rule: 'repeated', options: { packed: isPacked } });
const repeated = (type: string, id: number): FieldJson => ({ type, id, rule: 'repeated' });
const one = (type: string, id: number): FieldJson => ({ type, id });

/**
 * Builds the descriptor. `packedData` chooses how the `*_data` fields of TensorProto and the
 * repeated attribute numbers are *encoded* (the spec marks the tensor data fields packed); tests
 * use `false` to write the unpacked form. Decoding accepts both forms either way.
 */
export function onnxSchema(packedData = true): { nested: { onnx: { nested: Record<string, MessageJson | EnumJson> } } } {
  return {
    nested: {
      onnx: {
        nested: {
          StringStringEntryProto: {
            fields: { key: one('string', 1), value: one('string', 2) },
          },
          OperatorSetIdProto: {
            fields: { domain: one('string', 1), version: one('int64', 2) },
          },
          TensorProto: {
            fields: {
              dims: packed('int64', 1, false),
              dataType: one('int32', 2),
              floatData: packed('float', 4, packedData),
              int32Data: packed('int32', 5, packedData),
              stringData: repeated('bytes', 6),
              int64Data: packed('int64', 7, packedData),
              name: one('string', 8),
              rawData: one('bytes', 9),
              doubleData: packed('double', 10, packedData),
              uint64Data: packed('uint64', 11, packedData),
              docString: one('string', 12),
              externalData: repeated('StringStringEntryProto', 13),
              dataLocation: one('int32', 14),
            },
          },
          TensorShapeProto: {
            fields: { dim: repeated('Dimension', 1) },
            nested: {
              Dimension: {
                fields: { dimValue: one('int64', 1), dimParam: one('string', 2), denotation: one('string', 3) },
                oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              },
            },
          },
          TypeProto: {
            fields: { tensorType: one('Tensor', 1), denotation: one('string', 6) },
            nested: {
              Tensor: {
                fields: { elemType: one('int32', 1), shape: one('TensorShapeProto', 2) },
              },
            },
          },
          ValueInfoProto: {
            fields: { name: one('string', 1), type: one('TypeProto', 2), docString: one('string', 3) },
          },
          AttributeProto: {
            fields: {
              name: one('string', 1),
              f: one('float', 2),
              i: one('int64', 3),
              s: one('bytes', 4),
              t: one('TensorProto', 5),
              floats: packed('float', 7, packedData),
              ints: packed('int64', 8, packedData),
              strings: repeated('bytes', 9),
              tensors: repeated('TensorProto', 10),
              docString: one('string', 13),
              type: one('int32', 20),
              refAttrName: one('string', 21),
            },
          },
          NodeProto: {
            fields: {
              input: repeated('string', 1),
              output: repeated('string', 2),
              name: one('string', 3),
              opType: one('string', 4),
              attribute: repeated('AttributeProto', 5),
              docString: one('string', 6),
              domain: one('string', 7),
            },
          },
          GraphProto: {
            fields: {
              node: repeated('NodeProto', 1),
              name: one('string', 2),
              initializer: repeated('TensorProto', 5),
              docString: one('string', 10),
              input: repeated('ValueInfoProto', 11),
              output: repeated('ValueInfoProto', 12),
              valueInfo: repeated('ValueInfoProto', 13),
            },
          },
          ModelProto: {
            fields: {
              irVersion: one('int64', 1),
              producerName: one('string', 2),
              producerVersion: one('string', 3),
              domain: one('string', 4),
              modelVersion: one('int64', 5),
              docString: one('string', 6),
              graph: one('GraphProto', 7),
              opsetImport: repeated('OperatorSetIdProto', 8),
              metadataProps: repeated('StringStringEntryProto', 14),
            },
          },
        },
      },
    },
  };
}

/** TensorProto.DataType: the element types of ONNX tensors. */
export const DataType = {
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8,
  BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType. */
export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;

/** The name of a TensorProto.DataType number, for messages (`FLOAT`, `INT64`, or `type 42`). */
export function dataTypeName(code: number): string {
  for (const [name, value] of Object.entries(DataType)) if (value === code) return name;
  return `type ${code}`;
}
