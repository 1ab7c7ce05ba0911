/**
 * PyTorch state dicts ↔ nabla models: names (`fc1.weight` ↔ `fc1.kernel`) and layouts
 * (`[out, in]` ↔ `[in, out]`, channels-first ↔ channels-last kernels). See torch-layout.ts for the
 * rules. PyTorch and Keras differ in two defaults worth knowing when outputs must agree:
 * BatchNorm/LayerNorm epsilon (1e-5 in PyTorch, 1e-3 in nabla/Keras: pass `epsilon: 1e-5`) and
 * BatchNorm momentum (PyTorch's 0.1 is nabla's 0.9).
 */
import type { Layer } from '../nn/layer.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { torchGroups, type TorchGroup, type TorchSlot } from './torch-layout.js';

/** Options of `fromTorchStateDict`. */
export interface FromTorchOptions {
  /**
   * Maps each PyTorch key before matching: return the key to match instead (a PyTorch-style key
   * of this model such as `fc1.weight`, or a nabla key such as `layers.0.kernel`), or null to
   * leave the tensor out. E.g. `(k) => k.replace(/^backbone\./, '')`.
   */
  rename?: (key: string) => string | null | undefined;
  /**
   * Every key must match a weight and every weight get a value (default true). With false, only
   * the keys that match by name are loaded (the rest are reported), e.g. a backbone without its head.
   */
  strict?: boolean;
  /** Reorder the kernel rows of a Dense after a Flatten of conv features (default: detected, see torch-layout.ts). */
  channelsFirstFlatten?: boolean;
}

/** What `fromTorchStateDict` did. */
export interface FromTorchResult {
  /** `[pytorchKey, nablaKey]` for every tensor loaded. */
  loaded: [string, string][];
  /** How keys were matched: by module path ('name') or by the order of the layers ('order'). */
  matchedBy: 'name' | 'order';
  /** Keys left out: by `rename`, and BatchNorm's `num_batches_tracked` (nabla keeps no such counter). */
  skipped: string[];
  /** Keys that matched no weight (empty under `strict`). */
  unexpectedKeys: string[];
  /** nabla weights that got no value (empty under `strict`). */
  missingKeys: string[];
}

/**
 * Loads a PyTorch state dict (e.g. `loadSafetensors('model.safetensors').tensors` from
 * `safetensors.torch.save_file(model.state_dict(), …)`) into the equivalent nabla model, which must
 * be built (`model.apply(sampleInput)`). Keys are matched first by module path (`0.weight`,
 * `fc1.weight`, `layers.2.bias` ↔ the layer at that path, a Sequential's `layers.` dropped), and
 * when that does not account for every key and weight, by the order of the layers with weights (so
 * `nn.Sequential(Linear, ReLU, Linear)`'s `0.*`, `2.*` load into a two-Dense Sequential). Shapes
 * are checked after the layout change; unmatched keys, missing weights and shape mismatches are
 * errors naming both sides. Returns what was loaded.
 *
 * @example
 * const model = new nb.Sequential([new nb.layers.Dense(64, { activation: 'relu' }), new nb.layers.Dense(10)]);
 * model.apply(nb.zeros([1, 784]));
 * nb.io.fromTorchStateDict(model, nb.io.loadSafetensors('mlp.safetensors').tensors);
 */
export function fromTorchStateDict(model: Layer, tensors: Record<string, Tensor>, opts: FromTorchOptions = {}): FromTorchResult {
  const op = 'fromTorchStateDict';
  if (typeof model !== 'object' || model === null || typeof model.namedWeights !== 'function') throw new ValueError(`${op}: expected a model (a Layer) as first argument`);
  if (typeof tensors !== 'object' || tensors === null) throw new ValueError(`${op}: expected a record of PyTorch key → Tensor`);
  if (!model.built) throw new ValueError(`${op}: ${model.describe()} has no weights yet; build it first with model.apply(sampleInput)`);
  const strict = opts.strict ?? true;
  const groups = torchGroups(model, opts.channelsFirstFlatten);
  const { keys, skipped } = renamedKeys(op, tensors, opts.rename);

  let matchedBy: 'name' | 'order' = 'name';
  let match = matchByName(groups, keys);
  // without strict, only names are trusted: a partial state dict cannot be matched by position
  if (strict && (match.unexpected.length > 0 || match.missing.length > 0)) {
    const byOrder = matchByOrder(groups, keys);
    if (byOrder === null) throw new ValueError(describeFailure(op, model, groups, keys, match));
    match = byOrder;
    matchedBy = 'order';
  }

  const state: Record<string, Tensor> = {};
  const loaded: [string, string][] = [];
  for (const [slot, key] of match.pairs) {
    const t = tensors[key.original]!;
    if (!sameShape(t.shape, slot.torchShape)) {
      throw new ShapeError(
        `${op}: '${key.original}' has shape ${fmt(t.shape)} but ${slot.layer.describe()}'s '${slot.nablaKey}' needs ${fmt(slot.torchShape)} in PyTorch layout ` +
          `(matched by ${matchedBy}); check that the models have the same sizes, or map keys with { rename }`,
      );
    }
    state[slot.nablaKey] = slot.fromTorch(t);
    loaded.push([key.original, slot.nablaKey]);
  }
  model.loadStateDict(state, { strict: false });
  return {
    loaded,
    matchedBy,
    skipped,
    unexpectedKeys: match.unexpected.map((k) => k.original),
    missingKeys: match.missing.map((s) => s.nablaKey),
  };
}

/**
 * The model's weights as a PyTorch state dict: PyTorch names (`0.weight`, `fc1.bias`,
 * `bn.running_mean`) and layouts (`[out, in]`, `[out, in, kh, kw]`), as fresh contiguous tensors.
 * Save it with `saveSafetensors` and load it in PyTorch with `safetensors.torch.load_file`.
 *
 * @example
 * nb.io.saveSafetensors('mlp.safetensors', nb.io.toTorchStateDict(model), { format: 'pt' });
 */
export function toTorchStateDict(model: Layer, opts: { channelsFirstFlatten?: boolean } = {}): Record<string, Tensor> {
  if (!model.built) throw new ValueError(`toTorchStateDict: ${model.describe()} has no weights yet; build it first with model.apply(sampleInput)`);
  const weights = new Map(model.namedWeights());
  const out: Record<string, Tensor> = {};
  for (const group of torchGroups(model, opts.channelsFirstFlatten)) {
    for (const slot of group.slots) out[slot.torchKey] = slot.toTorch(weights.get(slot.nablaKey)!);
  }
  return out;
}

interface Key {
  original: string;
  /** After `rename`. */
  name: string;
}

interface Match {
  pairs: [TorchSlot, Key][];
  unexpected: Key[];
  missing: TorchSlot[];
}

function renamedKeys(op: string, tensors: Record<string, Tensor>, rename: FromTorchOptions['rename']): { keys: Key[]; skipped: string[] } {
  const keys: Key[] = [];
  const skipped: string[] = [];
  for (const [original, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: the value of '${original}' is not a Tensor`);
    const name = rename ? rename(original) : original;
    if (name === null || name === undefined) {
      skipped.push(original);
      continue;
    }
    if (typeof name !== 'string') throw new ValueError(`${op}: rename('${original}') returned ${typeof name}; return a string key, or null to skip the key`);
    if (name === 'num_batches_tracked' || name.endsWith('.num_batches_tracked')) skipped.push(original);
    else keys.push({ original, name });
  }
  return { keys, skipped };
}

function matchByName(groups: TorchGroup[], keys: Key[]): Match {
  const slots = groups.flatMap((g) => g.slots);
  const byName = new Map<string, TorchSlot>();
  for (const s of slots) byName.set(s.torchKey, s);
  for (const s of slots) if (!byName.has(s.nablaKey)) byName.set(s.nablaKey, s);
  const pairs: [TorchSlot, Key][] = [];
  const taken = new Set<TorchSlot>();
  const unexpected: Key[] = [];
  for (const k of keys) {
    const s = byName.get(k.name);
    if (s === undefined || taken.has(s)) unexpected.push(k);
    else {
      taken.add(s);
      pairs.push([s, k]);
    }
  }
  return { pairs, unexpected, missing: slots.filter((s) => !taken.has(s)) };
}

/**
 * Pairs the PyTorch modules with weights (in the state dict's order) with the nabla layers with
 * weights (in model order), then parameters by name within each pair. Null unless this accounts
 * for every key and every weight.
 */
function matchByOrder(groups: TorchGroup[], keys: Key[]): Match | null {
  const modules = new Map<string, Key[]>();
  for (const k of keys) {
    const dot = k.name.lastIndexOf('.');
    const module = dot < 0 ? '' : k.name.slice(0, dot);
    modules.set(module, [...(modules.get(module) ?? []), k]);
  }
  const torchModules = [...modules.values()];
  if (torchModules.length !== groups.length) return null;
  const pairs: [TorchSlot, Key][] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    const moduleKeys = torchModules[i]!;
    if (moduleKeys.length !== group.slots.length) return null;
    for (const k of moduleKeys) {
      const param = k.name.slice(k.name.lastIndexOf('.') + 1);
      const slot = group.slots.find((s) => s.torchParam === param);
      if (slot === undefined) return null;
      pairs.push([slot, k]);
    }
  }
  return { pairs, unexpected: [], missing: [] };
}

function describeFailure(op: string, model: Layer, groups: TorchGroup[], keys: Key[], match: Match): string {
  const list = (xs: string[]) => (xs.length <= 8 ? xs.join(', ') : `${xs.slice(0, 8).join(', ')}, … (${xs.length} in all)`);
  const parts = [`${op}: the state dict does not fit ${model.describe()}`];
  if (match.unexpected.length > 0) parts.push(`keys matching no weight: ${list(match.unexpected.map((k) => (k.name === k.original ? k.name : `${k.original} (renamed ${k.name})`)))}`);
  if (match.missing.length > 0) parts.push(`weights with no value: ${list(match.missing.map((s) => `${s.nablaKey} (PyTorch name ${s.torchKey})`))}`);
  const modules = new Set(keys.map((k) => k.name.slice(0, Math.max(0, k.name.lastIndexOf('.')))));
  parts.push(
    `matching by layer order failed too: the state dict has ${modules.size} modules with weights, the model ${groups.length} layers with weights ` +
      `(${list(groups.map((g) => `${g.torchModule || '(root)'} ${g.layer.className}: ${g.slots.map((s) => s.torchParam).join('/')}`))})`,
  );
  parts.push("map the names with { rename: (key) => ... } (return null to skip a key), or pass { strict: false } to load the keys that match by name");
  return parts.join('; ');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
