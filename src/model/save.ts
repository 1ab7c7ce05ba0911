import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../tensor/grad-mode.js';
import { withAllocationLimit } from '../tensor/allocation-limit.js';
import { writeFileAtomic } from '../formats/atomic.js';
import { loadSafetensors, saveSafetensors } from '../formats/safetensors.js';
import { openSafetensors } from '../formats/safetensors-file.js';
import { buildingToLoad } from '../nn/initializer-loading.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { layerFromConfig, type Layer } from '../nn/layer.js';
import { zeros } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import type { JsonValue } from '../optim/optimizer.js';
import type { SavedLoss } from '../nn/loss-registry.js';
import { restoreLoss, warnUnsavedLoss } from './saved-loss.js';
import { restoreOptimizer, savedOptimizerOf, type SavedOptimizer } from './saved-optimizer.js';
import type { Model } from './model.js';
import { makeDirs } from '../formats/make-dirs.js';
import { FormatError } from '../formats/errors.js';
import { jsonTreeProblem } from '../formats/json-tree.js';

const FORMAT = 'nabla-model';
const FORMAT_VERSION = 1;

/** The contents of model.json. */
interface ModelJson {
  format: typeof FORMAT;
  formatVersion: number;
  className: string;
  config: Record<string, unknown>;
  /** Shape of one input sample (without the batch dim), used to build the weights on load. */
  inputShape: number[] | null;
  /** The loss is a name (a registered function, or any loss in files from before configs) or a built-in loss's config. */
  compile: { optimizer?: SavedOptimizer; loss?: SavedLoss; metrics?: string[] } | null;
  /** `model.metadata`: what the model should remember (data set, class names…); absent in older files. */
  metadata?: Record<string, JsonValue>;
}

/**
 * Writes `dir/weights.safetensors` then `dir/model.json`, each atomically (temp file + rename),
 * so an interrupted save never leaves a half-written file behind.
 */
export function saveModel(model: Model, dir: string): void {
  if (!model.built) throw new ValueError('save: the model has no weights yet; train it or call model.apply(sampleInput) before saving');
  warnUnsavedLoss(model);
  makeDirs(dir, 'save');
  saveWeights(model, join(dir, 'weights.safetensors'));
  const json: ModelJson = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    className: model.constructor.name,
    config: model.getConfig(),
    inputShape: model.sampleInputShape,
    // the optimizer as it is now (a callback may have lowered its learning rate), as Keras saves it
    compile: model.compileConfig && { ...model.compileConfig, optimizer: savedOptimizerOf(model.optimizer) },
    metadata: model.metadata,
  };
  writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json, null, 2));
}

/** The build run's allocation cap: the option, checked, or the default for a weights file of `fileBytes`. */
function maxBuildBytes(given: number | undefined, fileBytes: number): number {
  if (given === undefined) return Math.max(DEFAULT_MAX_BUILD_BYTES, 2 * fileBytes);
  if (typeof given !== 'number' || !(given > 0)) throw new ValueError(`loadModel: maxBuildBytes must be a positive number of bytes (or Infinity), got ${String(given)}`);
  return given;
}

/** Writes every weight of the model (by property path) to one safetensors file. */
export function saveWeights(model: Layer, path: string): void {
  saveSafetensors(path, model.stateDict(), { format: 'nabla' });
}

/** Loads weights from a safetensors file, or from `weights.safetensors` in a model directory. */
export function loadWeights(model: Layer, path: string): void {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'weights.safetensors') : path;
  const { tensors } = loadSafetensors(file);
  model.loadStateDict(tensors);
}

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** Classes of custom layers and models by name, besides the registered ones. */
  customObjects?: Record<string, new () => Layer>;
  /**
   * The largest tensor the build run on one sample of the recorded `inputShape` may allocate, in
   * bytes (default: 1 GiB, or twice the weights file when that is larger). It bounds what a
   * model.json can make loading allocate; raise it for a model whose one-sample activations are
   * larger.
   */
  maxBuildBytes?: number;
}

/** A model's build run may allocate no tensor larger than this by default (or twice its weights file). */
const DEFAULT_MAX_BUILD_BYTES = 2 ** 30;

/**
 * Restores a model saved with `model.save(dir)`: same architecture, same weights, and compiled
 * again when it was compiled with named optimizer/loss/metrics. A subclassed model's class must
 * be registered (`nb.registerLayer(MyModel)`) or passed in `customObjects`.
 */
export function loadModel(dir: string, opts: LoadModelOptions = {}): Model {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new ValueError(`loadModel: ${path} does not exist; pass the directory written by model.save(dir)`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (e) {
    throw new ValueError(`loadModel: ${path} is not valid JSON (${(e as Error).message})`);
  }
  // before anything walks it: configs are read recursively, and messages stringify values
  const problem = jsonTreeProblem(json);
  if (problem !== null) throw new FormatError(`loadModel: ${path} ${problem}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FormatError(`loadModel: ${path} does not hold a JSON object; it is not a nabla model file`);
  const shape = json.inputShape;
  // one sample's shape, built on below: positive safe integers (the allocation cap bounds the product)
  if (shape !== undefined && shape !== null && !(Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d > 0))) {
    throw new FormatError(`loadModel: ${path}: inputShape must be null or a list of positive integers, got ${JSON.stringify(shape).slice(0, 80)}`);
  }
  if (json.format !== FORMAT) throw new ValueError(`loadModel: ${path} is not a nabla model file (format '${String(json.format)}')`);
  // own keys only: a file naming the class 'constructor' must not find Object on a plain object
  const custom = opts.customObjects && Object.hasOwn(opts.customObjects, json.className) ? opts.customObjects[json.className] : undefined;
  const metadata = readMetadata(json.metadata, path);
  // the weights file's header first: it bounds what model.json may make us build (initializer-loading.ts)
  const weightsPath = join(dir, 'weights.safetensors');
  const file = openSafetensors(weightsPath);
  let model: Model;
  try {
    const values = file.keys().reduce((sum, k) => sum + sizeOf(file.info(k).shape), 0);
    const fileBytes = statSync(weightsPath).size;
    const budget = { values, file: `${weightsPath} (${fileBytes} bytes)`, who: `loadModel: ${path}` };
    const cap = {
      bytes: maxBuildBytes(opts.maxBuildBytes, fileBytes),
      who: `loadModel: ${path}: building the model on one sample of its inputShape [${(json.inputShape ?? []).join(', ')}]`,
      remedy: 'a model.json whose inputShape or layer sizes do not match its weights asks for this; if the model is right, pass { maxBuildBytes } to loadModel',
    };
    model = withAllocationLimit(cap, () =>
      buildingToLoad(budget, () => {
        const built = (custom ? layerFromConfigWith(custom, json.config) : layerFromConfig({ className: json.className, config: json.config })) as Model;
        if (json.inputShape) noGrad(() => built.apply(zeros([1, ...json.inputShape!]), false));
        return built;
      }),
    );
    // strict: every weight built (left uninitialised above) must have its value in the file
    model.loadStateDict(Object.fromEntries(file.keys().map((k): [string, Tensor] => [k, file.get(k)])));
  } finally {
    file.close();
  }
  model.metadata = metadata;
  const c = json.compile;
  const loss = c?.loss ? restoreLoss(c.loss, path) : null;
  if (c && loss) model.compile({ optimizer: restoreOptimizer(c.optimizer, path), loss, metrics: c.metrics });
  return model;
}

function layerFromConfigWith(cls: new () => Layer, config: Record<string, unknown>): Layer {
  const withFrom = cls as unknown as { fromConfig?: (c: Record<string, unknown>) => Layer };
  return withFrom.fromConfig ? withFrom.fromConfig(config) : new cls();
}

/** model.json's `metadata`, checked to be a JSON record (files from before it existed have none). */
function readMetadata(value: unknown, path: string): Record<string, JsonValue> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(`loadModel: ${path}: metadata must be an object (a JSON record), got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, JsonValue>;
}
