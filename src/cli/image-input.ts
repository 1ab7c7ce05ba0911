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
 * error naming it, as does an image of more than `opts.maxPixels` pixels (default nb.image's).
 */
export function readInputFile(file: string, sampleShape: number[], preprocessing?: ImagePreprocessing, opts: { maxPixels?: number } = {}): Tensor {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  if (!existsSync(file)) throw new ValueError(`predict: ${file} does not exist`);
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';
  // own keys only: a file named 'x.constructor' is not an image kind
  if (Object.hasOwn(IMAGE_KINDS, ext)) {
    const image: ImageFile = { file, kind: IMAGE_KINDS[ext]!, maxPixels: opts.maxPixels };
    return preprocessing ? readRecordedImage(image, sampleShape, preprocessing) : readImageInput(image, sampleShape);
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

/** An image file to read: its path, its kind as errors name it (`PNG`), and the pixel limit (`--max-pixels`). */
interface ImageFile {
  file: string;
  kind: string;
  maxPixels: number | undefined;
}

/** The image decoded to `channels`, errors naming the file and the pixel limit's flag. */
function decodeFile(f: ImageFile, channels: 1 | 3 | 4): Tensor {
  const who = `predict: cannot read ${f.file} as a ${f.kind} image`;
  return decodeImageAs(who, readFileSync(f.file), { channels, maxPixels: f.maxPixels }, (n) => `run with --max-pixels ${n}`);
}

/** An image file as a batch of one sample of `sampleShape`. */
function readImageInput(f: ImageFile, sampleShape: number[]): Tensor {
  const [h, w, c] = sampleShape;
  if (sampleShape.length === 3 && (c === 1 || c === 3 || c === 4)) {
    const image = decodeFile(f, c);
    return reshape(resize(image, [h!, w!]), [1, ...sampleShape]);
  }
  const side = Math.round(Math.sqrt(sampleShape[0]!));
  if (sampleShape.length !== 1 || side * side !== sampleShape[0]) {
    throw new ValueError(`predict: the model takes samples of shape [${sampleShape.join(', ')}], which is not an image [H, W, C] nor a square of pixels; pass a CSV instead`);
  }
  return reshape(resize(grayOnBlack(f), [side, side]), [1, ...sampleShape]);
}

/** A gray `[H, W, 1]` image in [0, 1]: the luma of the colour times alpha, so a transparent background reads as black. */
function grayOnBlack(f: ImageFile): Tensor {
  const rgba = decodeFile(f, 4);
  const luma = matmul(slice(rgba, [null, null, [0, 3]]), tensor([0.299, 0.587, 0.114], { shape: [3, 1] }));
  return mul(luma, slice(rgba, [null, null, [3, 4]]));
}

/** An image made into one sample as training made them (model.json's preprocessing). */
function readRecordedImage(f: ImageFile, sampleShape: number[], p: ImagePreprocessing): Tensor {
  const size = p.height * p.width * p.channels;
  if (size !== sampleShape.reduce((a, b) => a * b, 1)) {
    throw new ValueError(`predict: the model's recorded preprocessing (${p.height}×${p.width}×${p.channels} images) does not fit its input of shape [${sampleShape.join(', ')}]; pass a CSV instead`);
  }
  const image = p.channels === 1 ? grayOnBlack(f) : decodeFile(f, p.channels);
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
