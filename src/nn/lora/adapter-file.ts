/**
 * Adapter-only files: the A and B matrices of a LoRA-wrapped model in a safetensors file (a few
 * kilobytes next to the base model's megabytes), with the rank, alpha and dropout of each wrapped
 * layer in the header's metadata so that the file can be checked, or the model wrapped, on load.
 */
import { loadSafetensors, saveSafetensors } from '../../formats/safetensors.js';
import { FormatError } from '../../formats/errors.js';
import { jsonTreeProblem } from '../../formats/json-tree.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { assignInPlace } from '../assign.js';
import type { Layer } from '../layer.js';
import { loraLayers, loraStateDict, wrap } from './wrap.js';

/** The metadata key holding the adapters' description (JSON). */
const META_KEY = 'nabla_lora';
const FORMAT_VERSION = 1;

/** What the metadata says about one wrapped layer. */
interface AdapterInfo {
  kind: string;
  rank: number;
  alpha: number;
  dropout: number;
}

interface AdapterMeta {
  version: number;
  layers: Record<string, AdapterInfo>;
}

/**
 * Writes the adapters of `model` (every `<path>.loraA` and `<path>.loraB`) to a safetensors file,
 * atomically, with their rank, alpha and dropout in the metadata. The base weights are not written.
 *
 * @example
 * nb.lora.saveAdapters(model, 'adapters.safetensors');
 */
export function saveAdapters(model: Layer, path: string): void {
  const tensors = loraStateDict(model);
  if (Object.keys(tensors).length === 0) {
    const hint = loraLayers(model).length === 0 ? 'wrap it first with nb.lora.wrap(model, { rank })' : 'its adapters are not built yet: run the model once (model.apply(sampleInput))';
    throw new ValueError(`lora.saveAdapters: ${model.describe()} has no adapters to save; ${hint}`);
  }
  const layers: Record<string, AdapterInfo> = {};
  for (const [p, w] of loraLayers(model)) {
    if (w.built) layers[p] = { kind: w.className, rank: w.rank, alpha: w.alpha, dropout: w.dropout };
  }
  const detached: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) detached[k] = t.detach();
  const meta: AdapterMeta = { version: FORMAT_VERSION, layers };
  saveSafetensors(path, detached, { format: 'nabla-lora', [META_KEY]: JSON.stringify(meta) });
}

function readMeta(file: string, metadata: Record<string, string>): AdapterMeta {
  const raw = metadata[META_KEY];
  if (raw === undefined) throw new FormatError(`lora.loadAdapters: ${file} is not an adapter file (its metadata has no '${META_KEY}'); write one with nb.lora.saveAdapters`);
  let meta: unknown;
  try {
    meta = JSON.parse(raw);
  } catch {
    throw new FormatError(`lora.loadAdapters: ${file}: the '${META_KEY}' metadata is not valid JSON`);
  }
  const problem = jsonTreeProblem(meta);
  if (problem !== null) throw new FormatError(`lora.loadAdapters: ${file}: the '${META_KEY}' metadata ${problem}`);
  const m = meta as Partial<AdapterMeta>;
  if (typeof m !== 'object' || m === null || m.version !== FORMAT_VERSION || typeof m.layers !== 'object' || m.layers === null) {
    throw new FormatError(`lora.loadAdapters: ${file}: unsupported adapter metadata (expected version ${FORMAT_VERSION} with a 'layers' table)`);
  }
  for (const [p, info] of Object.entries(m.layers)) {
    const i = info as Partial<AdapterInfo>;
    if (typeof i.rank !== 'number' || typeof i.alpha !== 'number' || typeof i.dropout !== 'number') {
      throw new FormatError(`lora.loadAdapters: ${file}: the metadata of '${p}' lacks rank, alpha or dropout`);
    }
  }
  return m as AdapterMeta;
}

/** Wraps an unwrapped model the way the file describes (one rank, alpha and dropout for all layers). */
function wrapLike(model: Layer, file: string, meta: AdapterMeta): void {
  const infos = Object.values(meta.layers);
  const first = infos[0];
  if (first === undefined) throw new FormatError(`lora.loadAdapters: ${file} lists no adapters`);
  if (infos.some((i) => i.rank !== first.rank || i.alpha !== first.alpha || i.dropout !== first.dropout)) {
    throw new ValueError(`lora.loadAdapters: ${file} has layers of different ranks or alphas; wrap ${model.describe()} yourself (nb.lora.wrap) to match, then load`);
  }
  const paths = new Set(Object.keys(meta.layers));
  wrap(model, { rank: first.rank, alpha: first.alpha, dropout: first.dropout, targets: (p) => paths.has(p) });
}

/**
 * Loads adapters written by `saveAdapters` into `model`, in place. If the model has no LoRA
 * layers yet it is first wrapped as the file describes (same layers, rank, alpha, dropout);
 * otherwise its wrapped layers must be exactly those of the file, with the same rank and alpha.
 * Everything is checked before anything is written. Returns `model`.
 *
 * @example
 * const model = buildBaseModel();           // same architecture and base weights as when training
 * model.apply(sample);                      // build it, so that the adapters have shapes
 * nb.lora.loadAdapters(model, 'adapters.safetensors');
 */
export function loadAdapters<M extends Layer>(model: M, path: string): M {
  const { tensors, metadata } = loadSafetensors(path);
  const meta = readMeta(path, metadata);
  if (loraLayers(model).length === 0) wrapLike(model, path, meta);
  const where = `lora.loadAdapters(${path}) into ${model.describe()}`;
  const wrappers = loraLayers(model);
  const unbuilt = wrappers.filter(([, w]) => !w.built).map(([p]) => p);
  if (unbuilt.length > 0) throw new ValueError(`${where}: the adapters of ${unbuilt.join(', ')} have no shape yet; run the model once (model.apply(sampleInput)) before loading`);
  const own = loraStateDict(model);
  // own keys only: a tensor named 'constructor' in the file is unexpected, not found on Object
  const missing = Object.keys(own).filter((k) => !Object.hasOwn(tensors, k));
  const unexpected = Object.keys(tensors).filter((k) => !Object.hasOwn(own, k));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unexpected.length ? `unexpected ${unexpected.join(', ')}` : ''].filter(Boolean);
    throw new ValueError(`${where}: the file's adapters do not match the model's (${parts.join('; ')}); wrap the same layers as when the adapters were saved`);
  }
  for (const [p, w] of wrappers) {
    const info = meta.layers[p];
    if (info && (info.rank !== w.rank || info.alpha !== w.alpha)) {
      throw new ValueError(`${where}: '${p}' was saved with rank ${info.rank}, alpha ${info.alpha}, but the model's has rank ${w.rank}, alpha ${w.alpha}`);
    }
  }
  for (const [k, target] of Object.entries(own)) {
    const value = tensors[k]!;
    if (!shapesEqual(value.shape, target.shape)) throw new ShapeError(`${where}: '${k}' is ${fmt(value.shape)} in the file but ${fmt(target.shape)} in the model`);
  }
  for (const [k, target] of Object.entries(own)) assignInPlace(target, tensors[k]!, `lora.loadAdapters '${k}'`);
  return model;
}
