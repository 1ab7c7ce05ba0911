/**
 * Data files: IDX (MNIST, Fashion-MNIST; plain and gzipped) read with `readIdx`/`decodeIdx`, and
 * training histories (`history.json`, what `nabla plot` reads) drawn as a figure.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as nb from '../../src/index.js';
import { fileBytes, type FuzzFormat } from '../format.js';
import type { Rng } from '../rng.js';
import { interestingInt, mutateBytes, writeInt } from '../mutate/bytes.js';
import { mutateFiles } from '../mutate/files.js';
import { check } from '../outcome.js';
import { idxBytes as idx } from '../../test/data/idx-files.js';

const IDX_FILE = 'data.idx';

/** Header-aware IDX mutations: type, rank and dims; gzip on or off; else bytes. */
function mutateIdx(rng: Rng, bytes: Uint8Array): Uint8Array {
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gz && rng.chance(0.5)) return new Uint8Array(gzipSync(mutateIdx(rng, gunzipOrSame(bytes))));
  const out = bytes.slice();
  switch (rng.int(5)) {
    case 0: out[2] = rng.pick([0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x00, 0xff]); return out;
    case 1: out[3] = rng.pick([0, 1, 2, 3, 4, 200, 255]); return out;
    case 2: writeInt(out, 4 + 4 * rng.int(Math.max(1, out[3] ?? 1)), 4, rng.chance(0.5) ? BigInt(rng.pick([0, 1, 65536, 2 ** 31 - 1, 46341])) : interestingInt(rng), false); return out;
    case 3: return gz ? gunzipOrSame(bytes) : new Uint8Array(gzipSync(bytes));
    default: return mutateBytes(rng, bytes);
  }
}

/** The gunzipped bytes, or the bytes themselves when they do not decompress. */
function gunzipOrSame(bytes: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch {
    return bytes;
  }
}

/** IDX files. */
export const idxFormat: FuzzFormat = {
  name: 'idx',
  makeSeeds(dir) {
    const seeds: Record<string, Uint8Array> = {
      images: idx(0x08, [3, 4, 4], Array.from({ length: 48 }, (_, k) => (k * 37) % 256)),
      labels: idx(0x08, [5], [0, 9, 3, 1, 2]),
      floats: idx(0x0d, [2, 3], [0.5, -1, 3, 1e-3, 7, 8]),
      shorts: idx(0x0b, [4], [-300, 300, 0, 1]),
      gzipped: idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8], true),
    };
    for (const [name, bytes] of Object.entries(seeds)) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, IDX_FILE), bytes);
    }
    return Object.keys(seeds);
  },
  mutate(rng, files) {
    mutateFiles(rng, files, { mutators: { [IDX_FILE]: mutateIdx } });
  },
  load(dir, _seed, rng) {
    const dtype = rng.pick([undefined, 'float32', 'int32', 'bool', 'float64'] as const);
    const opts = dtype === undefined ? {} : { dtype };
    const bytes = rng.chance(0.5) ? fileBytes(join(dir, IDX_FILE)) : null;
    const t = bytes === null ? nb.datasets.readIdx(join(dir, IDX_FILE), opts) : nb.datasets.decodeIdx(bytes, opts);
    check(t.data().length === t.size && t.shape.every((d) => Number.isSafeInteger(d) && d >= 0), `tensor of shape [${t.shape.join(',')}] holds ${t.data().length} values`);
  },
};

const HISTORY_FILE = 'history.json';

/** Training histories, as `nabla plot` reads them: parsed, checked, drawn to SVG and PNG. */
export const historyFormat: FuzzFormat = {
  name: 'history',
  makeSeeds(dir) {
    const seeds: Record<string, unknown> = {
      fit: { epoch: [0, 1, 2], history: { loss: [1.2, 0.8, 0.5], accuracy: [0.4, 0.6, 0.8], val_loss: [1.3, 0.9, null], val_accuracy: [0.3, 0.5, 0.7] } },
      iterations: { epoch: [0, 0, 1], iteration: [0, 100, 200], history: { loss: [4.1, 2.2, 1.7], val_loss: [4.2, 2.5, 1.9] } },
    };
    for (const [name, value] of Object.entries(seeds)) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, HISTORY_FILE), JSON.stringify(value, null, 2));
    }
    return Object.keys(seeds);
  },
  mutate(rng, files) {
    mutateFiles(rng, files);
  },
  load(dir) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, HISTORY_FILE), 'utf8'));
    } catch (e) {
      // the JSON syntax is the reader's (`nabla plot` turns it into this error), not nabla's
      throw new nb.ValueError(`plot: cannot read history.json as JSON (${(e as Error).message})`);
    }
    const figure = nb.plot.historyFigure(nb.plot.parseHistory(parsed, HISTORY_FILE));
    nb.plot.toSvg(figure);
    nb.plot.toPng(figure);
  },
};
