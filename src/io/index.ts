/**
 * Reading and writing tensors to files: safetensors (the format PyTorch and Hugging Face share),
 * and atomic file writes so that a crash mid-save never leaves a corrupt file.
 *
 * @example
 * nb.io.saveSafetensors('model.safetensors', { w, b });
 * const { tensors } = nb.io.loadSafetensors('model.safetensors');
 */
export { saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors, type SafetensorsContents } from './safetensors.js';
export { writeFileAtomic, type AtomicData } from './atomic.js';
export { FormatError, FileNotFoundError } from './errors.js';
