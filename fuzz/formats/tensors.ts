/**
 * Safetensors files (whole, lazily, from bytes) and sharded checkpoints (an index and its shards).
 * An accepted file must give tensors whose storage matches their shapes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { fileBytes, type FuzzFormat } from '../format.js';
import { mutateFiles } from '../mutate/files.js';
import { check } from '../outcome.js';

const FILE = 'tensors.safetensors';

/** Checks that a loaded tensor's storage holds exactly its shape's elements. */
function checkTensor(name: string, t: nb.Tensor): void {
  const size = t.shape.reduce((a, b) => a * b, 1);
  check(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0), `tensor '${name}' has shape [${t.shape.join(',')}]`);
  check(t.size === size && t.data().length === size, `tensor '${name}' of shape [${t.shape.join(',')}] holds ${t.data().length} values`);
}

function seedTensors(): Record<string, [nb.Tensor, string?]> {
  const g = new nb.Generator(11);
  return {
    'dense.kernel': [nb.randn([4, 3], { generator: g })],
    'dense.bias': [nb.zeros([3])],
    half: [nb.tensor([1, -2, 0.5, 65504]), 'F16'],
    brain: [nb.tensor([3, 4]), 'BF16'],
    double: [nb.tensor([Math.PI], { dtype: 'float64' })],
    long: [nb.tensor([-1, 7], { dtype: 'int32' }), 'I64'],
    short: [nb.tensor([300, -300], { dtype: 'int32' }), 'I16'],
    byte: [nb.tensor([-5], { dtype: 'int32' }), 'I8'],
    ubyte: [nb.tensor([200], { dtype: 'int32' }), 'U8'],
    mask: [nb.tensor([true, false, true])],
    scalar: [nb.tensor(2.5)],
    empty: [nb.zeros([0, 4])],
  };
}

function split(spec: Record<string, [nb.Tensor, string?]>): { tensors: Record<string, nb.Tensor>; dtypes: Record<string, nb.io.SafetensorsDType> } {
  const tensors: Record<string, nb.Tensor> = {};
  const dtypes: Record<string, nb.io.SafetensorsDType> = {};
  for (const [name, [t, dtype]] of Object.entries(spec)) {
    tensors[name] = t;
    if (dtype) dtypes[name] = dtype as nb.io.SafetensorsDType;
  }
  return { tensors, dtypes };
}

/** Single safetensors files, read three ways: from bytes, whole from a file, lazily. */
export const safetensorsFormat: FuzzFormat = {
  name: 'safetensors',
  makeSeeds(dir) {
    const { tensors, dtypes } = split(seedTensors());
    const seeds: Record<string, Uint8Array> = {
      'every-dtype': nb.io.encodeSafetensors(tensors, { note: 'every dtype', json: '{"a":[1,2]}' }, { dtypes }),
      'plain': nb.io.encodeSafetensors({ 'layers.0.kernel': nb.ones([64]), 'layers.0.bias': nb.zeros([2, 2]) }, { format: 'pt' }),
    };
    for (const [name, bytes] of Object.entries(seeds)) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, FILE), bytes);
    }
    return Object.keys(seeds);
  },
  mutate(rng, files) {
    mutateFiles(rng, files);
  },
  load(dir, _seed, rng) {
    const path = join(dir, FILE);
    const how = rng.int(3);
    const bytes = how === 0 ? fileBytes(path) : null;
    if (bytes !== null) {
      const { tensors } = nb.io.decodeSafetensors(bytes);
      for (const [name, t] of Object.entries(tensors)) checkTensor(name, t);
    } else if (how <= 1) {
      const { tensors } = nb.io.loadSafetensors(path);
      for (const [name, t] of Object.entries(tensors)) checkTensor(name, t);
    } else {
      const file = nb.io.openSafetensors(path);
      try {
        for (const name of file.keys()) {
          const info = file.info(name);
          const t = file.get(name);
          check(info.shape.join(',') === t.shape.join(','), `info('${name}') says [${info.shape.join(',')}], get gives [${t.shape.join(',')}]`);
          checkTensor(name, t);
        }
      } finally {
        file.close();
      }
    }
  },
};

/** Sharded safetensors: an index JSON and its shard files. */
export const shardedFormat: FuzzFormat = {
  name: 'sharded',
  makeSeeds(dir) {
    const { tensors, dtypes } = split(seedTensors());
    nb.io.saveSharded(join(dir, 'three-shards'), tensors, { maxShardBytes: 40, dtypes });
    nb.io.saveSharded(join(dir, 'one-shard'), { a: nb.ones([3]), b: nb.zeros([2]) });
    return ['three-shards', 'one-shard'];
  },
  mutate(rng, files) {
    mutateFiles(rng, files, { weights: { 'model.safetensors.index.json': 5 } });
  },
  load(dir, _seed, rng) {
    if (rng.chance(0.5)) {
      const { tensors } = nb.io.loadSharded(dir);
      for (const [name, t] of Object.entries(tensors)) checkTensor(name, t);
      return;
    }
    const sharded = nb.io.openSharded(dir);
    try {
      for (const name of sharded.keys()) checkTensor(name, sharded.get(name));
    } finally {
      sharded.close();
    }
  },
};
