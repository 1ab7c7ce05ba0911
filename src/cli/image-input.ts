import { existsSync, readFileSync } from 'node:fs';
import { matmul } from '../ops/matmul.js';
import { mul } from '../ops/binary.js';
import { reshape, slice } from '../ops/movement.js';
import { decodeImageAs } from '../image/decode.js';
import { resize } from '../image/resize.js';
import { tensor } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

const IMAGE_KINDS: Record<string, string> = { png: 'PNG', jpg: 'JPEG', jpeg: 'JPEG' };

/**
 * Reads `file` as model input of `sampleShape` (one sample, no batch dim). An image (PNG or JPEG,
 * read with `nb.image`) is resized bilinearly to the model's input: to `[H, W]` with `C`
 * channels for a model taking images `[H, W, C]`, or to a gray square (transparent pixels
 * black, as MNIST's background) for a model taking `side²` values. A CSV holds one sample of
 * numbers per line. A missing, corrupt or unsupported file raises an error naming it.
 */
export function readInputFile(file: string, sampleShape: number[]): Tensor {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  if (!existsSync(file)) throw new ValueError(`predict: ${file} does not exist`);
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';
  if (ext in IMAGE_KINDS) return readImageInput(file, IMAGE_KINDS[ext]!, sampleShape);
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
  const rgba = decodeImageAs(who, readFileSync(file), { channels: 4 });
  // luma of the colour, times alpha: a transparent background reads as black
  const luma = matmul(slice(rgba, [null, null, [0, 3]]), tensor([0.299, 0.587, 0.114], { shape: [3, 1] }));
  const gray = mul(luma, slice(rgba, [null, null, [3, 4]]));
  return reshape(resize(gray, [side, side]), [1, ...sampleShape]);
}
