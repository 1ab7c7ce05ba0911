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
} from '../formats/safetensors.js';
export { openSafetensors, SafetensorsFile, type SafetensorsTensorInfo } from '../formats/safetensors-file.js';
export { saveSharded, loadSharded, openSharded, ShardedSafetensors, type SaveShardedOptions, type ShardedContents } from '../formats/safetensors-sharded.js';
export type { SafetensorsDType, SafetensorsFloatDType } from '../formats/safetensors-dtypes.js';
export { float16Bits, float16Value, bfloat16Bits } from '../formats/float16.js';
export { saveCheckpoint, loadCheckpoint, hasCheckpoint, type SaveCheckpointOptions, type LoadCheckpointOptions, type CheckpointInfo } from '../model/checkpoint.js';
export { fromTorchStateDict, toTorchStateDict, type FromTorchOptions, type FromTorchResult } from './torch.js';
export { writeFileAtomic, type AtomicData } from '../formats/atomic.js';
export { FormatError, FileNotFoundError, FileReadError } from '../formats/errors.js';
export { loadOnnx, OnnxModel, OnnxNodeLayer, UnsupportedOperatorError, supportedOperators, type LoadOnnxOptions } from './onnx/index.js';
