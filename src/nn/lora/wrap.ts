/**
 * `lora.wrap(model)`: put LoRA adapters on a model's Dense and Conv2D layers and freeze the rest;
 * `lora.merge(model)`: fold them back into plain layers.
 */
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { assignInPlace } from '../assign.js';
import { freezeAllExcept } from '../freeze.js';
import { Layer } from '../layer.js';
import { replaceSublayer } from '../layer-paths.js';
import { Conv2D } from '../layers/conv.js';
import { Dense } from '../layers/dense.js';
import { LoRAConv2D } from './lora-conv2d.js';
import { LoRADense } from './lora-dense.js';
import { LoRALayer, resolveLoRAOptions, type LoRAOptions } from './lora-layer.js';

/** Options of `lora.wrap`. */
export interface LoRAWrapOptions extends LoRAOptions {
  /**
   * Which layers get adapters: names (a property path such as `'blocks.0.attn.q'`, its last parts
   * such as `'q'`, or a layer name), or a predicate on `(path, layer)`. Only Dense and Conv2D
   * layers can be wrapped. Default: all of them.
   */
  targets?: readonly string[] | ((path: string, layer: Layer) => boolean);
}

/** The trainable flags of a model's layers before its first `wrap`, given back by `merge`. */
const flagsBeforeWrap = new WeakMap<Layer, Map<Layer, boolean>>();

/** `[path, wrapper]` for every LoRA wrapper in `model`, in property order. */
export function loraLayers(model: Layer): [string, LoRALayer][] {
  return model.namedLayers().filter((e): e is [string, LoRALayer] => e[1] instanceof LoRALayer);
}

/** The Dense and Conv2D layers that can get adapters: `[path, layer]`, none inside a wrapper. */
function candidates(model: Layer): [string, Dense | Conv2D][] {
  const wrapped = new Set<Layer>();
  for (const [, w] of loraLayers(model)) for (const l of [w.base, ...w.base.namedLayers().map(([, s]) => s)]) wrapped.add(l);
  return model.namedLayers().filter((e): e is [string, Dense | Conv2D] => (e[1] instanceof Dense || e[1] instanceof Conv2D) && !wrapped.has(e[1]));
}

function matches(target: string, path: string, layer: Layer): boolean {
  return path === target || path.endsWith(`.${target}`) || layer.name === target;
}

/**
 * Wraps the Dense and Conv2D layers of `model` chosen by `targets` (default: all) with LoRA
 * adapters (`LoRADense`, `LoRAConv2D`), in place, and freezes every other weight, so that training
 * moves only the adapters' A and B. Returns `model`. Layers not built yet get their adapters on the
 * model's first call. With `seed`, the k-th wrapped layer draws A from `seed + k`.
 *
 * The model's `summary()` then shows the trainable (adapter) and non-trainable (base) counts.
 * Unfreeze other layers afterwards if they should train too (`model.getLayer('head').trainable = true`).
 * A layer that both holds weights itself and contains a wrapped layer keeps its own weights
 * trainable (a frozen layer freezes everything inside it).
 *
 * @example
 * nb.lora.wrap(model, { rank: 8, alpha: 16, targets: ['dense1', 'dense2'] });
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
 * await model.fit(x, y);               // trains A and B only
 * nb.lora.saveAdapters(model, 'adapters.safetensors');
 */
export function wrap<M extends Layer>(model: M, opts: LoRAWrapOptions): M {
  if (!(model instanceof Layer)) throw new ValueError('lora.wrap: the model must be a Layer or Model');
  const o = resolveLoRAOptions('lora.wrap', opts);
  if (model instanceof Dense || model instanceof Conv2D) {
    throw new ValueError(`lora.wrap: ${model.describe()} is itself a layer to adapt; wrap a model that contains it, or use new nb.lora.${model instanceof Dense ? 'LoRADense' : 'LoRAConv2D'}(layer, { rank })`);
  }
  const all = candidates(model);
  const targets = opts.targets;
  let chosen: [string, Dense | Conv2D][];
  if (targets === undefined) {
    chosen = all;
  } else if (typeof targets === 'function') {
    chosen = all.filter(([p, l]) => targets(p, l));
  } else if (Array.isArray(targets) && targets.every((t) => typeof t === 'string')) {
    const unmatched = targets.filter((t) => !all.some(([p, l]) => matches(t, p, l)));
    if (unmatched.length > 0) {
      throw new ValueError(`lora.wrap: no Dense or Conv2D layer matches ${unmatched.map((t) => `'${t}'`).join(', ')}; the layers that can be wrapped are ${describeAll(all)}`);
    }
    chosen = all.filter(([p, l]) => targets.some((t) => matches(t, p, l)));
  } else {
    throw new ValueError('lora.wrap: targets must be an array of layer names or paths, or a function (path, layer) => boolean');
  }
  if (chosen.length === 0) throw new ValueError(`lora.wrap: no layer of ${model.describe()} was chosen; the layers that can be wrapped are ${describeAll(all)}`);

  if (!flagsBeforeWrap.has(model)) flagsBeforeWrap.set(model, new Map([[model as Layer, model.trainable], ...model.namedLayers().map(([, l]): [Layer, boolean] => [l, l.trainable])]));
  chosen.forEach(([path, layer], k) => {
    const layerOpts = { ...o, seed: o.seed === null ? null : o.seed + k };
    const wrapper = layer instanceof Dense ? new LoRADense(layer, layerOpts) : new LoRAConv2D(layer, layerOpts);
    replaceSublayer(model, path, wrapper);
  });
  const wrappers = loraLayers(model).map(([, w]) => w);
  freezeAllExcept(model, wrappers);
  for (const w of wrappers) w.base.trainable = false;
  return model;
}

function describeAll(layers: [string, Layer][]): string {
  return layers.length === 0 ? 'none (the model has no Dense or Conv2D layer)' : layers.map(([p, l]) => `${p} (${l.className})`).join(', ');
}

/**
 * Folds every adapter into its base layer's kernel (K ← K + (alpha/rank)·reshape(A·B)) and puts
 * the base layers back in place of the wrappers, in place; returns `model`, now a plain model
 * giving the same outputs. Trainable flags go back to what they were before `wrap`.
 *
 * @example
 * nb.lora.merge(model);
 * await model.save('merged-model');
 */
export function merge<M extends Layer>(model: M): M {
  const wrappers = loraLayers(model);
  if (wrappers.length === 0) throw new ValueError(`lora.merge: ${model.describe()} has no LoRA layers; wrap it first with nb.lora.wrap(model, { rank })`);
  for (const [path, w] of wrappers) {
    if (w.built) assignInPlace(w.base.getWeight('kernel'), w.mergedKernel(), `lora.merge '${path}'`);
    replaceSublayer(model, path, w.base);
    w.base.trainable = w.baseWasTrainable;
  }
  const flags = flagsBeforeWrap.get(model);
  if (flags) {
    // parents first, so that each layer ends with its own flag
    for (const l of [model as Layer, ...model.namedLayers().map(([, l]) => l)]) {
      const flag = flags.get(l);
      if (flag !== undefined) l.trainable = flag;
    }
    flagsBeforeWrap.delete(model);
  }
  return model;
}

/** The adapters' weights (A and B of every built wrapper), for an optimizer. */
export function loraParameters(model: Layer): Tensor[] {
  return Object.values(loraStateDict(model));
}

/** The adapters' weights by path (`'dense1.loraA'`, `'dense1.loraB'`…), sharing their storage. */
export function loraStateDict(model: Layer): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [path, w] of loraLayers(model)) {
    if (!w.built) continue;
    out[`${path}.loraA`] = w.loraA;
    out[`${path}.loraB`] = w.loraB;
  }
  return out;
}
