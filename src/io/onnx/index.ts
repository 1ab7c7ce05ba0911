/**
 * ONNX import: `loadOnnx(path)` turns an `.onnx` file into a trainable nabla Model.
 *
 * @example
 * const model = nb.io.loadOnnx('model.onnx');
 */
export { loadOnnx, type LoadOnnxOptions } from './load.js';
export { OnnxModel, type OnnxModelInfo, type OnnxRunOptions } from './onnx-model.js';
export { OnnxNodeLayer } from './onnx-layer.js';
export { UnsupportedOperatorError, type OnnxValueInfo, MIN_OPSET, MAX_OPSET } from './graph.js';
export { UnsupportedTypeError } from './tensor-proto.js';
export { supportedOperators } from './ops/index.js';
export {
  decodeModelProto, encodeModelProto,
  type ModelProto, type GraphProto, type NodeProto, type AttributeProto, type TensorProto,
  type ValueInfoProto, type TypeProto, type DimensionProto, type OperatorSetIdProto, type StringStringEntryProto,
} from './proto.js';
export { DataType, AttributeType } from './schema.js';
