/**
 * Every format the fuzzer mutates. A run spreads its cases over them in this order; a case itself
 * is named by its format and index, so a format added here changes no other format's cases.
 */
import type { FuzzFormat } from '../format.js';
import { wavFormat } from './audio.js';
import { historyFormat, idxFormat } from './data.js';
import { jpegFormat, pngFormat } from './images.js';
import { checkpointFormat, loraFormat, modelDirFormat } from './models.js';
import { onnxFormat } from './onnx.js';
import { safetensorsFormat, shardedFormat } from './tensors.js';
import { textModelFormat } from './text-model.js';
import { bpeTokenizerFormat, charTokenizerFormat, textCorpusFormat, textFolderFormat, textTableFormat } from './text.js';

/** The formats nabla reads; text tables, folders and models join once nabla reads them. */
export const FORMATS: readonly FuzzFormat[] = [
  safetensorsFormat, shardedFormat, modelDirFormat, checkpointFormat, loraFormat, charTokenizerFormat, bpeTokenizerFormat,
  onnxFormat, pngFormat, jpegFormat, wavFormat, idxFormat, historyFormat, textCorpusFormat,
  ...[textTableFormat, textFolderFormat, textModelFormat].filter((f): f is FuzzFormat => f !== null),
];
