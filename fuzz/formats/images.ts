/**
 * PNG and JPEG files made by nabla's own encoders, decoded from bytes or read from a file with a
 * channel count drawn per case. An accepted image must be `[H, W, C]` with values in [0, 1].
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { fileBytes, type FuzzFormat } from '../format.js';
import { mutateFiles } from '../mutate/files.js';
import { check } from '../outcome.js';
import type { Rng } from '../rng.js';

/** A smooth test picture `[h, w, c]` in [0, 1]. */
function picture(h: number, w: number, c: number): nb.Tensor {
  const data = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = ((x * (k + 1) + y * 3) % 17) / 16;
  return nb.tensor(data).reshape([h, w, c]);
}

function decodeChecked(dir: string, file: string, rng: Rng): void {
  const channels = rng.pick([undefined, 1, 3, 4] as const);
  const opts = channels === undefined ? {} : { channels };
  const bytes = rng.chance(0.5) ? fileBytes(join(dir, file)) : null;
  const img = bytes === null ? nb.image.readImage(join(dir, file), opts) : nb.image.decodeImage(bytes, opts);
  const [h, w, c] = img.shape;
  check(img.ndim === 3 && h! > 0 && w! > 0 && [1, 3, 4].includes(c!) && (channels === undefined || c === channels), `decoded shape [${img.shape.join(',')}]`);
  const data = img.data();
  let ok = data.length === img.size;
  for (let k = 0; k < data.length && ok; k++) ok = data[k]! >= 0 && data[k]! <= 1;
  check(ok, 'decoded values outside [0, 1] or storage of the wrong size');
}

function imageFormat(name: string, file: string, seeds: Record<string, () => Uint8Array>): FuzzFormat {
  return {
    name,
    makeSeeds(dir) {
      for (const [seed, make] of Object.entries(seeds)) {
        mkdirSync(join(dir, seed), { recursive: true });
        writeFileSync(join(dir, seed, file), make());
      }
      return Object.keys(seeds);
    },
    mutate(rng, files) {
      mutateFiles(rng, files);
    },
    load(dir, _seed, rng) {
      decodeChecked(dir, file, rng);
    },
  };
}

/** PNG files: gray, RGB and RGBA. */
export const pngFormat = imageFormat('png', 'image.png', {
  gray: () => nb.image.encodeImage(picture(5, 7, 1), 'png'),
  rgb: () => nb.image.encodeImage(picture(16, 12, 3), 'png'),
  rgba: () => nb.image.encodeImage(picture(9, 9, 4), 'png'),
});

/** JPEG files (baseline, as nabla writes them). */
export const jpegFormat = imageFormat('jpeg', 'image.jpg', {
  small: () => nb.image.encodeImage(picture(8, 8, 3), 'jpeg', { quality: 90 }),
  wide: () => nb.image.encodeImage(picture(12, 30, 3), 'jpeg', { quality: 50 }),
});
