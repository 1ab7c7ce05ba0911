import { existsSync, readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { tensor } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Reads `file` as model input of `sampleShape` (one sample, no batch dim): a PNG (converted to
 * grayscale in [0, 1] and resized bilinearly to a square of the input size) or a CSV of numbers
 * (one sample per line).
 */
export function readInputFile(file: string, sampleShape: number[]): Tensor {
  const width = sampleShape.reduce((a, b) => a * b, 1);
  if (!existsSync(file)) throw new ValueError(`predict: ${file} does not exist`);
  if (/\.png$/i.test(file)) {
    let png: PNG;
    try {
      png = PNG.sync.read(readFileSync(file));
    } catch (e) {
      throw new ValueError(`predict: cannot read ${file} as a PNG image (${(e as Error).message})`);
    }
    const side = Math.round(Math.sqrt(width));
    if (side * side !== width) throw new ValueError(`predict: the model takes ${width} inputs, which is not a square image; pass a CSV instead`);
    const gray = new Float32Array(png.width * png.height);
    for (let i = 0; i < gray.length; i++) {
      const r = png.data[4 * i]!, g = png.data[4 * i + 1]!, b = png.data[4 * i + 2]!, a = png.data[4 * i + 3]!;
      gray[i] = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * (a / 255);
    }
    return tensor(resizeBilinear(gray, png.width, png.height, side, side), { shape: [1, ...sampleShape] });
  }
  if (/\.csv$/i.test(file)) {
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
  throw new ValueError(`predict: ${file}: expected a .png image or a .csv file`);
}

function resizeBilinear(src: Float32Array, w: number, h: number, W: number, H: number): Float32Array {
  if (w === W && h === H) return src;
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.max(0, ((y + 0.5) * h) / H - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(h - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < W; x++) {
      const sx = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / W - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(w - 1, x0 + 1), fx = sx - x0;
      const top = src[y0 * w + x0]! * (1 - fx) + src[y0 * w + x1]! * fx;
      const bottom = src[y1 * w + x0]! * (1 - fx) + src[y1 * w + x1]! * fx;
      out[y * W + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
