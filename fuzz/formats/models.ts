/**
 * Model directories (`model.save`), training checkpoints (`saveCheckpoint`, `fit({checkpointDir})`)
 * and LoRA adapter files, each loaded the way a user would and then used once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { fileBytes, type FuzzFormat } from '../format.js';
import { mutateFiles } from '../mutate/files.js';
import { check } from '../outcome.js';
import type { Rng } from '../rng.js';
import { ZOO_LOSS, ZOO_NAMES, zooModel } from './model-zoo.js';

const quiet = { verbose: 0 as const };

/**
 * A batch of two samples of small integers (valid ids for an Embedding, varied values for the
 * rest), or null when the saved shape is too big to try.
 */
function probeInput(shape: readonly number[] | null): nb.Tensor | null {
  if (shape === null) return null;
  const size = shape.reduce((a, b) => a * b, 2);
  if (!Number.isSafeInteger(size) || size <= 0 || size > 100_000) return null;
  return nb.cast(nb.randint(0, 3, [2, ...shape], { generator: new nb.Generator(0) }), 'float32');
}

/** Whether the file `name` of a case is byte for byte the seed's. */
function unchanged(dir: string, seedDir: string, name: string): boolean {
  const a = fileBytes(join(dir, name));
  const b = fileBytes(join(seedDir, name));
  return a !== null && b !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** `model.save(dir)`; loaded with `nb.loadModel` and run once. */
export const modelDirFormat: FuzzFormat = {
  name: 'model-dir',
  async makeSeeds(dir) {
    for (const name of ZOO_NAMES) {
      const { model, x, y } = zooModel(name);
      model.compile({ optimizer: 'adam', loss: ZOO_LOSS, metrics: ['accuracy'] });
      await model.fit(x, y, { epochs: 1, batchSize: 4, ...quiet });
      await model.save(join(dir, name));
    }
    return ZOO_NAMES;
  },
  mutate(rng, files) {
    mutateFiles(rng, files, { weights: { 'model.json': 4, 'weights.safetensors': 2 } });
  },
  async load(dir, _seed, _rng, seedDir) {
    const model = nb.loadModel(dir);
    const x = probeInput(model.sampleInputShape);
    if (!x) return;
    const y = model.predict(x);
    check(y.shape[0] === 2, `predict on 2 samples returned shape [${y.shape.join(',')}]`);
    // the seed's finite weights with an accepted config must compute numbers: NaN here is a
    // config value that was coerced instead of checked (issue 12: "epsilon": "0.001" gave NaN)
    if (unchanged(dir, seedDir, 'weights.safetensors')) check(y.data().every(Number.isFinite), 'predict gives NaN or Infinity from the seed\'s weights: model.json holds a value that was accepted but breaks the model');
    // the restored loss and metrics are used too ("loss": "constructor" once made model.loss Object)
    if (model.loss) await model.evaluate(x, nb.zeros([2], { dtype: 'int32' }), { verbose: 0 });
  },
};

/** How each checkpoint seed was written and what resumes it. */
const CHECKPOINT_SEEDS: Record<string, { model: string; optimizer: () => nb.optim.Optimizer; viaFit: boolean }> = {
  'mlp-adam': { model: 'mlp', optimizer: () => new nb.optim.Adam({ learningRate: 0.01 }), viaFit: false },
  'cnn-sgd-fit': { model: 'cnn', optimizer: () => new nb.optim.SGD({ learningRate: 0.05, momentum: 0.9 }), viaFit: true },
  'sequence-rmsprop': { model: 'sequence', optimizer: () => new nb.optim.RMSprop({ learningRate: 0.01 }), viaFit: false },
  'attention-adamw-fit': { model: 'attention', optimizer: () => new nb.optim.AdamW({ learningRate: 0.01 }), viaFit: true },
};

/** The callbacks of a run resumed from a checkpoint (their state may be in the checkpoint). */
function resumeCallbacks(): nb.callbacks.Callback[] {
  return [new nb.callbacks.ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5 }), new nb.callbacks.EarlyStopping({ monitor: 'loss', patience: 3 })];
}

function compiledFor(seed: string): ReturnType<typeof zooModel> {
  const spec = CHECKPOINT_SEEDS[seed];
  if (!spec) throw new Error(`checkpoint fuzz: unknown seed ${seed}`);
  const z = zooModel(spec.model);
  z.model.compile({ optimizer: spec.optimizer(), loss: ZOO_LOSS });
  return z;
}

/** Training checkpoints; loaded into a fresh model of the same kind, then trained one epoch. */
export const checkpointFormat: FuzzFormat = {
  name: 'checkpoint',
  async makeSeeds(dir) {
    for (const [seed, spec] of Object.entries(CHECKPOINT_SEEDS)) {
      const { model, x, y } = compiledFor(seed);
      const out = join(dir, seed);
      if (spec.viaFit) {
        await model.fit(x, y, { epochs: 2, batchSize: 4, checkpointDir: out, callbacks: resumeCallbacks(), ...quiet });
      } else {
        await model.fit(x, y, { epochs: 1, batchSize: 4, ...quiet });
        nb.saveCheckpoint(out, { model, optimizer: model.optimizer, epoch: 1, rng: new nb.Generator(99), extra: { note: 'fuzz seed', best: 0.5 } });
      }
    }
    return Object.keys(CHECKPOINT_SEEDS);
  },
  mutate(rng, files) {
    mutateFiles(rng, files, { weights: { 'checkpoint.json': 4, 'model.safetensors': 2, 'optimizer.safetensors': 3 } });
  },
  async load(dir, seed, rng: Rng) {
    const { model, x, y } = compiledFor(seed);
    if (rng.chance(0.3)) {
      // the way most runs resume: fit finds the checkpoint in its directory
      await model.fit(x, y, { epochs: 3, batchSize: 4, checkpointDir: dir, callbacks: resumeCallbacks(), ...quiet });
      return;
    }
    const g = new nb.Generator(5);
    nb.loadCheckpoint(dir, { model, optimizer: model.optimizer, rng: g });
    const draw = g.normal();
    check(Number.isFinite(draw), `the restored generator draws ${draw}`);
    await model.fit(x, y, { epochs: 1, batchSize: 4, ...quiet });
  },
};

const ADAPTER_FILE = 'adapters.safetensors';

/** LoRA adapter files; loaded into the base model they were trained on, then run once. */
export const loraFormat: FuzzFormat = {
  name: 'lora-adapters',
  async makeSeeds(dir) {
    const seeds = ['mlp', 'cnn'];
    for (const name of seeds) {
      const { model, x, y } = zooModel(name);
      nb.lora.wrap(model, { rank: 2, alpha: 4, seed: 3 });
      model.compile({ optimizer: 'adam', loss: ZOO_LOSS });
      await model.fit(x, y, { epochs: 1, batchSize: 4, ...quiet });
      mkdirSync(join(dir, name), { recursive: true });
      nb.lora.saveAdapters(model, join(dir, name, ADAPTER_FILE));
    }
    return seeds;
  },
  mutate(rng, files) {
    mutateFiles(rng, files);
  },
  load(dir, seed) {
    const { model, x } = zooModel(seed);
    model.apply(x);
    nb.lora.loadAdapters(model, join(dir, ADAPTER_FILE));
    model.predict(x);
  },
};
