/**
 * Training checkpoints: everything needed to continue a run exactly where it stopped (weights,
 * optimizer slots and step counter, learning rate, random-generator state, epoch and step), in a
 * directory replaced atomically on every save.
 *
 * Layout of a checkpoint directory:
 * - `model.safetensors`: every weight of the model (trainable or not), by property path;
 * - `optimizer.safetensors`: each optimizer slot as `<parameter path>.<slot name>`;
 * - `extra.safetensors` (only when `tensors` are given): tensors kept beside `extra`;
 * - `checkpoint.json`: epoch, step, optimizer name/config/iterations/learning rate (and whether a
 *   schedule gave it), generator state, the model's input shape and `extra`. Written last: its
 *   presence marks a complete one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../tensor/grad-mode.js';
import type { Layer } from '../nn/layer.js';
import type { JsonValue, Optimizer, OptimizerConfig, OptimizerState } from '../optim/optimizer.js';
import type { FloatArray } from '../optim/params.js';
import { zeros } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../formats/atomic.js';
import { recoverDir, writeDirAtomic } from '../formats/atomic-dir.js';
import { FileNotFoundError, FormatError } from '../formats/errors.js';
import { jsonTreeProblem } from '../formats/json-tree.js';
import { loadSafetensors, saveSafetensors } from '../formats/safetensors.js';

const FORMAT = 'nabla-checkpoint';
/** 2: the optimizer entry says whether its learning rate followed a schedule; extra.safetensors. */
const FORMAT_VERSION = 2;
const JSON_FILE = 'checkpoint.json';
const MODEL_FILE = 'model.safetensors';
const OPTIMIZER_FILE = 'optimizer.safetensors';
const EXTRA_TENSORS_FILE = 'extra.safetensors';

/** What `saveCheckpoint` writes. */
export interface SaveCheckpointOptions {
  /** The model (any Layer): all its weights are saved. */
  model: Layer;
  /** The optimizer: its slots, step counter, learning rate and config are saved. */
  optimizer?: Optimizer | null;
  /** Epochs completed, i.e. the epoch to resume from (counted from 0, as `fit`'s `initialEpoch`). Default 0. */
  epoch?: number;
  /** Training steps (batches) completed. Default the optimizer's `iterations`, else 0. */
  step?: number;
  /** The generator whose state is saved (default the default generator; null saves none). */
  rng?: Generator | null;
  /** Anything else to keep, as JSON. */
  extra?: JsonValue;
  /** Tensors to keep beside `extra` (in `extra.safetensors`), by name. */
  tensors?: Record<string, Tensor>;
}

/** What `loadCheckpoint` restores into. */
export interface LoadCheckpointOptions {
  /** The model to load the weights into; built first from the saved input shape if needed. */
  model: Layer;
  /** The optimizer to restore (same kind as saved); its parameters are registered from the model if needed. */
  optimizer?: Optimizer | null;
  /** The generator to restore (default the default generator; null restores none). */
  rng?: Generator | null;
  /**
   * Called with what the checkpoint holds once every file is read and checked and the model is
   * built, before anything is restored: throwing refuses the checkpoint with nothing changed.
   */
  beforeRestore?: (info: CheckpointInfo) => void;
}

/** What `loadCheckpoint` returns besides restoring the objects. */
export interface CheckpointInfo {
  epoch: number;
  step: number;
  extra: JsonValue;
  /** The saved optimizer's config (`nb.optim.optimizerFromConfig` rebuilds it), or null. */
  optimizer: OptimizerConfig | null;
  /** The tensors saved with `tensors` (none: `{}`), in a null-prototype object. */
  tensors: Record<string, Tensor>;
}

/** The contents of checkpoint.json. */
interface CheckpointJson {
  format: typeof FORMAT;
  formatVersion: number;
  epoch: number;
  step: number;
  /** Shape of one input sample (without the batch dim), to build an unbuilt model on load. */
  inputShape: number[] | null;
  /** `scheduled`: whether the learning rate came from a schedule (absent in version 1). */
  optimizer: { name: string; config: OptimizerConfig; iterations: number; learningRate: number; scheduled?: boolean } | null;
  rng: { s: number[]; spare: number | null } | null;
  extra: JsonValue;
}

/**
 * Saves a training checkpoint to directory `dir`, atomically: everything is written to a sibling
 * temporary directory and flushed to disk, then swapped in by renames, so that after a crash at
 * any point `dir` holds (or `loadCheckpoint` restores) either the previous complete checkpoint or
 * the new one. An existing `dir` that is neither a checkpoint nor empty is never replaced.
 *
 * @example
 * nb.io.saveCheckpoint('runs/mnist', { model, optimizer: model.optimizer, epoch: 3 });
 * // later, or in a new process:
 * const { epoch } = nb.io.loadCheckpoint('runs/mnist', { model, optimizer: model.optimizer });
 */
export function saveCheckpoint(dir: string, opts: SaveCheckpointOptions): void {
  const op = 'saveCheckpoint';
  if (typeof opts !== 'object' || opts === null || typeof opts.model !== 'object' || opts.model === null || typeof opts.model.stateDict !== 'function') {
    throw new ValueError(`${op}: expected { model, optimizer?, epoch?, step?, rng?, extra? } with a model (a Layer)`);
  }
  const { model, optimizer = null, rng = defaultGenerator } = opts;
  const epoch = count(op, 'epoch', opts.epoch ?? 0);
  const step = count(op, 'step', opts.step ?? optimizer?.iterations ?? 0);
  const weights = model.stateDict();
  const optState = optimizer?.getState() ?? null;
  const json: CheckpointJson = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    epoch,
    step,
    inputShape: model.lastInputShape === null ? null : model.lastInputShape.slice(1),
    optimizer: optimizer && optState
      ? { name: optimizer.name, config: optimizer.getConfig(), iterations: optState.iterations, learningRate: optState.learningRate, scheduled: optimizer.learningRateSchedule !== null }
      : null,
    rng: rng ? rng.getState() : null,
    extra: opts.extra ?? null,
  };
  // serialized before anything is written, so that bad `extra` (a BigInt, a cycle) fails cleanly
  let text: string;
  try {
    text = JSON.stringify(json, null, 2) + '\n';
  } catch (err) {
    throw new ValueError(`${op}: extra must be JSON-serializable (${(err as Error).message})`);
  }
  const slots = optState ? slotTensors(op, optState) : null;
  const tensors = opts.tensors && Object.keys(opts.tensors).length > 0 ? opts.tensors : null;
  writeDirAtomic(dir, isCheckpoint, (tmp) => {
    saveSafetensors(join(tmp, MODEL_FILE), weights, { format: 'nabla' });
    if (slots) saveSafetensors(join(tmp, OPTIMIZER_FILE), slots, { format: 'nabla' });
    if (tensors) saveSafetensors(join(tmp, EXTRA_TENSORS_FILE), tensors, { format: 'nabla' });
    writeFileAtomic(join(tmp, JSON_FILE), text);
  }, { op, kind: 'checkpoint' });
}

/**
 * Restores a checkpoint written by `saveCheckpoint`: the model's weights (building the model first
 * from the saved input shape if it has no weights yet), the optimizer's slots, step counter and
 * learning rate (registering the model's parameters with it if it has none; a learning rate that
 * no longer followed a schedule when saved, e.g. after ReduceLROnPlateau, replaces the schedule),
 * and the generator's state. Every file is read before anything is restored. Returns
 * the epoch, step, extra, optimizer config and extra tensors. If a crash interrupted a save and
 * left `dir` missing, the complete version it left beside it is put back in place first.
 *
 * @example
 * const model = makeModel();
 * model.compile({ optimizer: 'adam', loss: 'mse' });
 * const { epoch } = nb.io.loadCheckpoint('runs/mnist', { model, optimizer: model.optimizer });
 */
export function loadCheckpoint(dir: string, opts: LoadCheckpointOptions): CheckpointInfo {
  const op = `loadCheckpoint: ${dir}`;
  if (typeof opts !== 'object' || opts === null || typeof opts.model !== 'object' || opts.model === null) {
    throw new ValueError('loadCheckpoint: expected { model, optimizer?, rng? } with the model to restore');
  }
  const { model, optimizer = null, rng = defaultGenerator } = opts;
  if (!hasCheckpoint(dir)) throw new FileNotFoundError(`${op}: no checkpoint there (no ${JSON_FILE}); write one with saveCheckpoint(dir, { model, ... })`, dir);
  const json = readCheckpointJson(dir, op);
  const { tensors: weights } = loadSafetensors(join(dir, MODEL_FILE));
  let slots: Record<string, Record<string, FloatArray>> | null = null;
  if (optimizer && json.optimizer) {
    if (json.optimizer.name !== optimizer.name) {
      throw new ValueError(`${op}: the checkpoint holds the state of a '${json.optimizer.name}' optimizer but a '${optimizer.name}' was given; use the same kind of optimizer (nb.optim.optimizerFromConfig(info.optimizer) rebuilds it)`);
    }
    // a state with steps taken but no moments would resume with zeroed moments and a kept step count
    if (json.optimizer.iterations > 0 && !existsSync(join(dir, OPTIMIZER_FILE))) {
      throw new FileNotFoundError(`${op}: ${JSON_FILE} records ${json.optimizer.iterations} optimizer steps but ${OPTIMIZER_FILE} is missing; restore the file, or load without the optimizer ({ model }) to start its state afresh`, join(dir, OPTIMIZER_FILE));
    }
    slots = slotsFromTensors(op, existsSync(join(dir, OPTIMIZER_FILE)) ? loadSafetensors(join(dir, OPTIMIZER_FILE)).tensors : {});
  }
  const info: CheckpointInfo = { epoch: json.epoch, step: json.step, extra: json.extra, optimizer: json.optimizer?.config ?? null, tensors: extraTensors(dir, op) };
  if (!model.built) {
    if (json.inputShape === null) throw new ValueError(`${op}: the model has no weights yet and the checkpoint does not record an input shape; call model.apply(sampleInput) first`);
    const shape = json.inputShape;
    try {
      noGrad(() => model.apply(zeros([1, ...shape], { dtype: model.dtype }), false));
    } catch (err) {
      throw new ValueError(`${op}: could not build the model on ${model.dtype} zeros of shape [1,${shape.join(',')}] (${(err as Error).message}); call model.apply(sampleInput) before loading`);
    }
  }
  opts.beforeRestore?.(info);
  model.loadStateDict(weights);
  if (optimizer && json.optimizer && slots) {
    if (!optimizer.built) optimizer.build(model.namedParameters());
    optimizer.setState({ iterations: json.optimizer.iterations, learningRate: json.optimizer.learningRate, slots });
    // setState keeps a schedule; one that a callback had replaced by a number when saved stays replaced
    if (json.optimizer.scheduled === false && optimizer.learningRateSchedule !== null) optimizer.learningRate = json.optimizer.learningRate;
  }
  if (rng && json.rng) rng.setState(json.rng);
  return info;
}

/**
 * What checkpoint.json in `dir` records (epoch, step, extra, optimizer config), read and checked
 * without restoring anything (`tensors` is left empty). Throws as `loadCheckpoint` when `dir`
 * holds no checkpoint or a malformed one.
 *
 * @example
 * const { epoch } = readCheckpointInfo('runs/mnist'); // the epoch a resumed run starts at
 */
export function readCheckpointInfo(dir: string): CheckpointInfo {
  const op = `loadCheckpoint: ${dir}`;
  if (!hasCheckpoint(dir)) throw new FileNotFoundError(`${op}: no checkpoint there (no ${JSON_FILE}); write one with saveCheckpoint(dir, { model, ... })`, dir);
  const json = readCheckpointJson(dir, op);
  return { epoch: json.epoch, step: json.step, extra: json.extra, optimizer: json.optimizer?.config ?? null, tensors: Object.create(null) as Record<string, Tensor> };
}

/** The tensors of extra.safetensors, in a null-prototype object (the names come from a file). */
function extraTensors(dir: string, op: string): Record<string, Tensor> {
  const out = Object.create(null) as Record<string, Tensor>;
  if (!existsSync(join(dir, EXTRA_TENSORS_FILE))) return out;
  for (const [key, t] of Object.entries(loadSafetensors(join(dir, EXTRA_TENSORS_FILE)).tensors)) {
    const reserved = key.split('.').find((part) => RESERVED_NAMES.has(part));
    if (reserved !== undefined) throw new FormatError(`${op}: ${EXTRA_TENSORS_FILE} holds '${key}': '${reserved}' is not allowed in a tensor name`);
    out[key] = t;
  }
  return out;
}

/**
 * True when `dir` holds a complete checkpoint (after putting back one that an interrupted save
 * left beside it).
 */
export function hasCheckpoint(dir: string): boolean {
  return recoverDir(dir, isCheckpoint) && isCheckpoint(dir);
}

function isCheckpoint(dir: string): boolean {
  return existsSync(join(dir, JSON_FILE));
}

function count(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ValueError(`${op}: ${name} must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** The slots as tensors named `<parameter>.<slot>`. */
function slotTensors(op: string, state: OptimizerState): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [param, slots] of Object.entries(state.slots)) {
    for (const [slot, values] of Object.entries(slots)) {
      if (slot.includes('.')) throw new ValueError(`${op}: optimizer slot name '${slot}' contains '.', which the checkpoint format uses as separator; rename the slot`);
      out[`${param}.${slot}`] = new Tensor(values, [values.length]);
    }
  }
  return out;
}

/** Names that would reach Object.prototype (or a constructor) if used as keys of a plain object. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function slotsFromTensors(op: string, tensors: Record<string, Tensor>): Record<string, Record<string, FloatArray>> {
  // null-prototype objects: the names come from a file, and none may reach Object.prototype
  const out: Record<string, Record<string, FloatArray>> = Object.create(null) as Record<string, Record<string, FloatArray>>;
  for (const [key, t] of Object.entries(tensors)) {
    const dot = key.lastIndexOf('.');
    const data = t.data();
    if (dot <= 0 || !(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new FormatError(`${op}: ${OPTIMIZER_FILE} holds '${key}' (${t.dtype}); expected float tensors named <parameter>.<slot>`);
    }
    const reserved = key.split('.').find((part) => RESERVED_NAMES.has(part));
    if (reserved !== undefined) throw new FormatError(`${op}: ${OPTIMIZER_FILE} holds '${key}': '${reserved}' is not allowed in a tensor name`);
    const param = key.slice(0, dot);
    (out[param] ??= Object.create(null) as Record<string, FloatArray>)[key.slice(dot + 1)] = data;
  }
  return out;
}

function readCheckpointJson(dir: string, op: string): CheckpointJson {
  const path = join(dir, JSON_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new FormatError(`${op}: ${JSON_FILE} is not valid JSON (${(err as Error).message})`);
  }
  const bad = (what: string): never => {
    throw new FormatError(`${op}: ${JSON_FILE} ${what}`);
  };
  // before anything walks it (messages stringify values; `extra` goes back to the caller)
  const problem = jsonTreeProblem(json);
  if (problem !== null) bad(problem);
  if (typeof json !== 'object' || json === null) return bad('is not an object');
  const j = json as Partial<CheckpointJson>;
  if (j.format !== FORMAT) bad(`is not a nabla checkpoint (format ${JSON.stringify(j.format)})`);
  if (typeof j.formatVersion !== 'number' || j.formatVersion > FORMAT_VERSION) bad(`has format version ${String(j.formatVersion)}; this nabla reads up to ${FORMAT_VERSION} (upgrade nabla)`);
  // as strict as saveCheckpoint: a value it would refuse to write is refused on reading
  if (!Number.isSafeInteger(j.epoch) || !Number.isSafeInteger(j.step) || j.epoch! < 0 || j.step! < 0) {
    bad(`needs non-negative integer epoch and step, got epoch ${JSON.stringify(j.epoch)} and step ${JSON.stringify(j.step)}`);
  }
  if (j.inputShape !== null && !(Array.isArray(j.inputShape) && j.inputShape.every((d) => Number.isSafeInteger(d) && d >= 0))) bad('has a malformed inputShape');
  const o = j.optimizer;
  if (o !== null && (typeof o !== 'object' || typeof o?.name !== 'string' || !Number.isSafeInteger(o.iterations) || o.iterations < 0 || typeof o.learningRate !== 'number' || !Number.isFinite(o.learningRate) || !(o.scheduled === undefined || typeof o.scheduled === 'boolean'))) {
    bad('has a malformed optimizer entry');
  }
  const r = j.rng;
  if (r !== null) {
    // the generator's own check: a zero state would hang randn, an infinite spare would leak out of it
    try {
      new Generator(0).setState(r as { s: number[]; spare: number | null });
    } catch (err) {
      bad(`has an invalid rng state: ${(err as Error).message}`);
    }
  }
  return { ...(j as CheckpointJson), extra: j.extra ?? null };
}
