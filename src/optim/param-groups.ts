/**
 * Discriminative learning rates: a multiplier of the learning rate per parameter, so that a
 * pretrained body moves more slowly than a new head (ULMFiT's "discriminative fine-tuning",
 * PyTorch's per-group `lr`).
 */
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { namedParams, type ParamsInput } from './params.js';

/**
 * Anything that holds weights the way a Layer does. The optimizer does not import layers; a
 * layer passed here is recognised by its `weights` and `built`.
 */
export interface WeightHolder {
  /** Every weight, trainable or not (a frozen layer's weights get the multiplier too, for when it is unfrozen). */
  readonly weights: Tensor[];
  readonly built: boolean;
  describe(): string;
}

/** Parameters given as tensors (any `ParamsInput`) or as a layer (all its weights). */
export type ParamsOrLayer = ParamsInput | WeightHolder;

/**
 * A group of parameters whose learning rate is `lrMultiplier` times the optimizer's (and its
 * schedule's). Parameters in no group use a multiplier of 1.
 *
 * @example
 * new nb.optim.Adam({ learningRate: 1e-3, paramGroups: [{ params: body.parameters(), lrMultiplier: 0.1 }] })
 */
export interface ParamGroup {
  params: ParamsOrLayer;
  /** A finite number ≥ 0; 0 keeps the parameters fixed (they still get slots if trainable). */
  lrMultiplier: number;
}

function isWeightHolder(x: unknown): x is WeightHolder {
  if (typeof x !== 'object' || x === null || x instanceof Tensor) return false;
  const h = x as Partial<WeightHolder>;
  return typeof h.describe === 'function' && typeof h.built === 'boolean' && Array.isArray(h.weights);
}

/** Checks a multiplier: a finite number ≥ 0. */
export function checkLrMultiplier(op: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${op}: lrMultiplier must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** The tensors of `params` (a layer's weights, which must exist already, or any ParamsInput). */
export function tensorsOf(op: string, params: ParamsOrLayer): Tensor[] {
  if (isWeightHolder(params)) {
    if (!params.built) {
      throw new ValueError(`${op}: ${params.describe()} has no weights yet; run the model once (model.apply(sampleInput)) before setting its learning-rate multiplier`);
    }
    return params.weights;
  }
  return namedParams(op, params).map(([, t]) => t);
}

/**
 * The multiplier of each parameter of `groups`. A parameter listed in two groups is an error
 * (which multiplier would win is not obvious).
 */
export function multipliersOf(op: string, groups: unknown): WeakMap<Tensor, number> {
  // weak: a replaced layer's old weights are not kept alive by the optimizer
  const out = new WeakMap<Tensor, number>();
  if (groups === undefined) return out;
  if (!Array.isArray(groups)) throw new ValueError(`${op}: paramGroups must be an array of { params, lrMultiplier }, got ${typeof groups}`);
  groups.forEach((g: unknown, i) => {
    if (typeof g !== 'object' || g === null || !('params' in g) || !('lrMultiplier' in g)) {
      throw new ValueError(`${op}: paramGroups[${i}] must be { params, lrMultiplier }`);
    }
    const group = g as ParamGroup;
    const m = checkLrMultiplier(`${op}: paramGroups[${i}]`, group.lrMultiplier);
    for (const t of tensorsOf(`${op}: paramGroups[${i}]`, group.params)) {
      if (out.has(t)) throw new ValueError(`${op}: a parameter of shape [${t.shape.join(',')}] is in two paramGroups (the second is paramGroups[${i}]); put each parameter in one group`);
      out.set(t, m);
    }
  });
  return out;
}
