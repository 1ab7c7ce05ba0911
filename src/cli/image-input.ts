import { existsSync, readFileSync } from 'node:fs';
import { matmul } from '../ops/matmul.js';
import { mul } from '../ops/binary.js';
import { reshape, slice } from '../ops/movement.js';
import { decodeImageAs } from '../image/decode.js';
import { resize } from '../image/resize.js';
import { tensor } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { warn } from '../tensor/warn.js';
import type { ImagePreprocessing } from './trained-on.js';

const IMAGE_KINDS: Record<string, string> = { png: 'PNG', jpg: 'JPEG', jpeg: 'JPEG' };

/**
 * Reads `file` as model input of `sampleShape` (one sample, no batch dim). An image (PNG or JPEG,
 * read with `nb.image`) is resized bilinearly to the model's input. With the `preprocessing`
 * the model recorded in training (model.json), it is made exactly as the training images were
 * (size, channels, scale, flattening); without one it is guessed from the shape: `[H, W]` with
 * `C` channels for a model taking images `[H, W, C]`, or a gray square for a model taking
 * `side²` values, in [0, 1]. Gray images read transparent pixels as black (MNIST's background).
 * A CSV holds one sample of model inputs per line, taken as they are (a warning says when its
 * values exceed the recorded pixel range). A missing, corrupt or unsupported file raises an
 * error naming it.
 */
export function readInputFile(file: string, sampleShape: number[], preprocessing?: ImagePreprocessing): Tensor {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  if (!existsSync(file)) throw new ValueError(`predict: ${file} does not exist`);
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';
  if (ext in IMAGE_KINDS) {
    return preprocessing ? readRecordedImage(file, IMAGE_KINDS[ext]!, sampleShape, preprocessing) : readImageInput(file, IMAGE_KINDS[ext]!, sampleShape);
  }
  if (ext === 'csv') {
    const rows = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    const values = rows.map((line, r) =>
      line.split(',').map((v, c) => {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new ValueError(`predict: ${file} line ${r + 1}, column ${c + 1}: '${v}' is not a number`);
        return n;
      }),
    );
    for (const [r, row] of values.entries()) {
      if (row.length !== width) throw new ValueError(`predict: ${file} line ${r + 1} has ${row.length} values; the model takes ${width}`);
    }
    if (preprocessing) warnOutOfRange(file, values, preprocessing);
    return tensor(values.flat(), { shape: [values.length, ...sampleShape] });
  }
  throw new ValueError(`predict: ${file}: expected a .png or .jpg image or a .csv file`);
}

/** An image file as a batch of one sample of `sampleShape`. */
function readImageInput(file: string, kind: string, sampleShape: number[]): Tensor {
  const who = `predict: cannot read ${file} as a ${kind} image`;
  const [h, w, c] = sampleShape;
  if (sampleShape.length === 3 && (c === 1 || c === 3 || c === 4)) {
    const image = decodeImageAs(who, readFileSync(file), { channels: c });
    return reshape(resize(image, [h!, w!]), [1, ...sampleShape]);
  }
  const side = Math.round(Math.sqrt(sampleShape[0]!));
  if (sampleShape.length !== 1 || side * side !== sampleShape[0]) {
    throw new ValueError(`predict: the model takes samples of shape [${sampleShape.join(', ')}], which is not an image [H, W, C] nor a square of pixels; pass a CSV instead`);
  }
  return reshape(resize(grayOnBlack(who, file), [side, side]), [1, ...sampleShape]);
}

/** A gray `[H, W, 1]` image in [0, 1]: the luma of the colour times alpha, so a transparent background reads as black. */
function grayOnBlack(who: string, file: string): Tensor {
  const rgba = decodeImageAs(who, readFileSync(file), { channels: 4 });
  const luma = matmul(slice(rgba, [null, null, [0, 3]]), tensor([0.299, 0.587, 0.114], { shape: [3, 1] }));
  return mul(luma, slice(rgba, [null, null, [3, 4]]));
}

/** An image made into one sample as training made them (model.json's preprocessing). */
function readRecordedImage(file: string, kind: string, sampleShape: number[], p: ImagePreprocessing): Tensor {
  const who = `predict: cannot read ${file} as a ${kind} image`;
  const size = p.height * p.width * p.channels;
  if (size !== sampleShape.reduce((a, b) => a * b, 1)) {
    throw new ValueError(`predict: the model's recorded preprocessing (${p.height}×${p.width}×${p.channels} images) does not fit its input of shape [${sampleShape.join(', ')}]; pass a CSV instead`);
  }
  const image = p.channels === 1 ? grayOnBlack(who, file) : decodeImageAs(who, readFileSync(file), { channels: p.channels });
  // decoding gives pixel/255 (8-bit): scale the 0..255 levels as training did
  const levels = resize(image, [p.height, p.width]);
  const scaled = Math.abs(255 * p.scale - 1) < 1e-9 ? levels : mul(levels, 255 * p.scale);
  return reshape(scaled, [1, ...sampleShape]);
}

/** Warns when CSV values lie beyond the pixel range training used: likely raw pixels for a model that takes scaled ones. */
function warnOutOfRange(file: string, rows: number[][], p: ImagePreprocessing): void {
  const top = 255 * p.scale;
  const largest = rows.reduce((m, row) => row.reduce((a, v) => Math.max(a, Math.abs(v)), m), 0);
  if (largest > top * (1 + 1e-6)) {
    warn(`predict: ${file} holds values up to ${largest}, but the model was trained on pixels scaled to [0, ${Number(top.toPrecision(6))}] (model.json: scale ${Number(p.scale.toPrecision(6))}); a CSV is read as model input as it is, so scale its values first`);
  }
}
