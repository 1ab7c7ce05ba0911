import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../autograd/mode.js';
import { writeFileAtomic } from '../io/atomic.js';
import { loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import { layerFromConfig, type Layer } from '../nn/layer.js';
import { zeros } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import type { Model } from './model.js';

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
  compile: { optimizer?: string; loss?: string; metrics?: string[] } | null;
}

/**
 * Writes `dir/weights.safetensors` then `dir/model.json`, each atomically (temp file + rename),
 * so an interrupted save never leaves a half-written file behind.
 */
export function saveModel(model: Model, dir: string): void {
  if (!model.built) throw new ValueError('save: the model has no weights yet; train it or call model.apply(sampleInput) before saving');
  mkdirSync(dir, { recursive: true });
  saveWeights(model, join(dir, 'weights.safetensors'));
  const json: ModelJson = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    className: model.constructor.name,
    config: model.getConfig(),
    inputShape: model.sampleInputShape,
    compile: model.compileConfig,
  };
  writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json, null, 2));
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

/**
 * Restores a model saved with `model.save(dir)`: same architecture, same weights, and compiled
 * again when it was compiled with named optimizer/loss/metrics. A subclassed model's class must
 * be registered (`nb.registerLayer(MyModel)`) or passed in `customObjects`.
 */
export function loadModel(dir: string, opts: { customObjects?: Record<string, new () => Layer> } = {}): Model {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new ValueError(`loadModel: ${path} does not exist; pass the directory written by model.save(dir)`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (e) {
    throw new ValueError(`loadModel: ${path} is not valid JSON (${(e as Error).message})`);
  }
  if (json.format !== FORMAT) throw new ValueError(`loadModel: ${path} is not a nabla model file (format '${String(json.format)}')`);
  const custom = opts.customObjects?.[json.className];
  const model = (custom ? layerFromConfigWith(custom, json.config) : layerFromConfig({ className: json.className, config: json.config })) as Model;
  if (json.inputShape) noGrad(() => model.apply(zeros([1, ...json.inputShape!]), false));
  loadWeights(model, join(dir, 'weights.safetensors'));
  const c = json.compile;
  if (c && c.loss) model.compile({ optimizer: c.optimizer, loss: c.loss, metrics: c.metrics });
  return model;
}

function layerFromConfigWith(cls: new () => Layer, config: Record<string, unknown>): Layer {
  const withFrom = cls as unknown as { fromConfig?: (c: Record<string, unknown>) => Layer };
  return withFrom.fromConfig ? withFrom.fromConfig(config) : new cls();
}
