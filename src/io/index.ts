/**
 * Reading and writing tensors to files: safetensors (the format PyTorch and Hugging Face share),
 * whole, lazily or sharded; training checkpoints; PyTorch state-dict names and layouts; and
 * atomic file writes so that a crash mid-save never leaves a corrupt file.
 *
 * @example
 * nb.io.saveSafetensors('model.safetensors', { w, b });
 * const { tensors } = nb.io.loadSafetensors('model.safetensors');
 */
export {
  saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors,
  type SafetensorsContents, type SafetensorsSaveOptions,
} from './safetensors.js';
export { openSafetensors, SafetensorsFile, type SafetensorsTensorInfo } from './safetensors-file.js';
export { saveSharded, loadSharded, openSharded, ShardedSafetensors, type SaveShardedOptions, type ShardedContents } from './safetensors-sharded.js';
export type { SafetensorsDType, SafetensorsFloatDType } from './safetensors-dtypes.js';
export { float16Bits, float16Value, bfloat16Bits } from './float16.js';
export { saveCheckpoint, loadCheckpoint, hasCheckpoint, type SaveCheckpointOptions, type LoadCheckpointOptions, type CheckpointInfo } from './checkpoint.js';
export { fromTorchStateDict, toTorchStateDict, type FromTorchOptions, type FromTorchResult } from './torch.js';
export { writeFileAtomic, type AtomicData } from './atomic.js';
export { FormatError, FileNotFoundError } from './errors.js';
export { loadOnnx, OnnxModel, OnnxNodeLayer, UnsupportedOperatorError, supportedOperators, type LoadOnnxOptions } from './onnx/index.js';
