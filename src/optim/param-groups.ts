/**
 * Parameter groups, as PyTorch's optimizers have them: a group of parameters with its own
 * learning-rate multiplier (discriminative fine-tuning: a pretrained body moves more slowly than a
 * new head, ULMFiT) and its own weight decay (nanoGPT decays the matrices, not the biases and
 * norms). Parameters in no group use the optimizer's own settings.
 */
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { namedParams, type ParamsInput } from './params.js';

/**
 * Anything that holds weights the way a Layer does. The optimizer does not import layers; a
 * layer passed here is recognised by its `weights` and `built`.
 */
export interface WeightHolder {
  /** Every weight, trainable or not (a frozen layer's weights get the group's settings too, for when it is unfrozen). */
  readonly weights: Tensor[];
  readonly built: boolean;
  describe(): string;
}

/** Parameters given as tensors (any `ParamsInput`) or as a layer (all its weights). */
export type ParamsOrLayer = ParamsInput | WeightHolder;

/**
 * A group of parameters with settings of its own; what a group leaves out is the optimizer's.
 *
 * @example
 * // the body learns 10× slower than the head
 * new nb.optim.Adam({ learningRate: 1e-3, paramGroups: [{ params: body.parameters(), lrMultiplier: 0.1 }] })
 * // nanoGPT: biases and norms are not decayed
 * new nb.optim.AdamW({ weightDecay: 0.1, paramGroups: [{ params: vectors, weightDecay: 0 }] })
 */
export interface ParamGroup {
  params: ParamsOrLayer;
  /**
   * The group's learning rate is `learningRate × lrMultiplier` (the schedule's too). A finite
   * number ≥ 0, default 1; 0 keeps the parameters fixed (they still get slots if trainable).
   */
  lrMultiplier?: number;
  /**
   * The group's weight decay, in place of the optimizer's `weightDecay` (a number ≥ 0): AdamW's
   * decoupled decay or SGD's L2 penalty. Only optimizers that have a weight decay take it.
   */
  weightDecay?: number;
}

/** The settings of one parameter's group: its multiplier, and its weight decay (null: the optimizer's). */
export interface GroupSettings {
  lrMultiplier: number;
  weightDecay: number | null;
}

/** The settings of a parameter in no group. */
export const DEFAULT_GROUP: Readonly<GroupSettings> = Object.freeze({ lrMultiplier: 1, weightDecay: null });

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

function checkWeightDecay(op: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${op}: weightDecay must be a finite number >= 0, got ${String(value)}`);
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
 * The settings of each parameter of `groups`. A parameter listed in two groups is an error
 * (which settings would win is not obvious). `hasWeightDecay` false (an optimizer without weight
 * decay, such as Adam) makes a group's `weightDecay` an error that names the optimizers with one.
 */
export function groupsOf(op: string, groups: unknown, hasWeightDecay: boolean): WeakMap<Tensor, GroupSettings> {
  // weak: a replaced layer's old weights are not kept alive by the optimizer
  const out = new WeakMap<Tensor, GroupSettings>();
  if (groups === undefined) return out;
  if (!Array.isArray(groups)) throw new ValueError(`${op}: paramGroups must be an array of { params, lrMultiplier?, weightDecay? }, got ${typeof groups}`);
  groups.forEach((g: unknown, i) => {
    const where = `${op}: paramGroups[${i}]`;
    if (typeof g !== 'object' || g === null || !('params' in g)) throw new ValueError(`${where} must be { params, lrMultiplier?, weightDecay? }`);
    const group = g as ParamGroup;
    const unknown = Object.keys(group).filter((k) => k !== 'params' && k !== 'lrMultiplier' && k !== 'weightDecay');
    if (unknown.length > 0) throw new ValueError(`${where}: unknown key '${unknown[0]}'; a group takes params, lrMultiplier and weightDecay`);
    if (group.weightDecay !== undefined && !hasWeightDecay) {
      throw new ValueError(`${where} sets weightDecay, but ${op} has no weight decay; use AdamW (decoupled decay) or SGD (L2 penalty)`);
    }
    const settings: GroupSettings = {
      lrMultiplier: group.lrMultiplier === undefined ? 1 : checkLrMultiplier(where, group.lrMultiplier),
      weightDecay: group.weightDecay === undefined ? null : checkWeightDecay(where, group.weightDecay),
    };
    for (const t of tensorsOf(where, group.params)) {
      if (out.has(t)) throw new ValueError(`${op}: a parameter of shape [${t.shape.join(',')}] is in two paramGroups (the second is paramGroups[${i}]); put each parameter in one group`);
      out.set(t, settings);
    }
  });
  return out;
}
