/**
 * Learning-rate schedules: functions of the optimizer step (0 for the first update, as Keras
 * counts `optimizer.iterations`) that carry their own JSON config, so an optimizer holding one can
 * be saved and rebuilt.
 */
import { ValueError } from '../tensor/errors.js';
import { checkNumber, checkOptionKeys, numberOption, booleanOption, optionalNumber } from './validate.js';

/** Any function of the step giving a learning rate; the optimizer calls it with `iterations`. */
export type ScheduleFn = (step: number) => number;

/** The JSON form of a built-in schedule; `scheduleFromConfig` rebuilds it. */
export type ScheduleConfig =
  | { kind: 'constant'; learningRate: number }
  | { kind: 'exponentialDecay'; initialLearningRate: number; decaySteps: number; decayRate: number; staircase: boolean }
  | { kind: 'cosineDecay'; initialLearningRate: number; decaySteps: number; alpha: number; warmupTarget: number | null; warmupSteps: number }
  | { kind: 'stepDecay'; initialLearningRate: number; stepSize: number; gamma: number }
  | { kind: 'warmupCosine'; peakLearningRate: number; minLearningRate: number; warmupSteps: number; decayEndStep: number };

/** A schedule object: call it with a step to get the learning rate; `getConfig()` describes it. */
export interface LearningRateSchedule extends ScheduleFn {
  getConfig(): ScheduleConfig;
}

function makeSchedule(name: string, fn: ScheduleFn, config: ScheduleConfig): LearningRateSchedule {
  const schedule = (step: number): number => fn(checkNumber(name, 'step', step, { min: 0 }));
  return Object.assign(schedule, { getConfig: (): ScheduleConfig => ({ ...config }) });
}

/**
 * The same learning rate at every step: lr(step) = learningRate.
 *
 * @example
 * nb.optim.constant(0.01)(500) // 0.01
 */
export function constant(learningRate: number): LearningRateSchedule {
  const lr = checkNumber('constant', 'learningRate', learningRate, { min: 0 });
  return makeSchedule('constant', () => lr, { kind: 'constant', learningRate: lr });
}

/** Options of `exponentialDecay`. */
export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once (> 0). */
  decaySteps: number;
  /** Factor per `decaySteps` steps (> 0; below 1 decays). */
  decayRate: number;
  /** Decay in whole jumps every `decaySteps` steps rather than smoothly. Default false. */
  staircase?: boolean;
}

/**
 * Keras' ExponentialDecay: lr(step) = initialLearningRate · decayRate^(step / decaySteps), the
 * exponent floored when `staircase` is set.
 *
 * @example
 * const s = nb.optim.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * s(100) // 0.05
 */
export function exponentialDecay(opts: ExponentialDecayOptions): LearningRateSchedule {
  const op = 'exponentialDecay';
  checkOptionKeys(op, opts, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
  const lr0 = checkNumber(op, 'initialLearningRate', opts.initialLearningRate, { min: 0 });
  const decaySteps = checkNumber(op, 'decaySteps', opts.decaySteps, { min: 0, minExclusive: true });
  const decayRate = checkNumber(op, 'decayRate', opts.decayRate, { min: 0, minExclusive: true });
  const staircase = booleanOption(op, 'staircase', opts.staircase, false);
  return makeSchedule(op, (step) => {
    const p = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
    return lr0 * Math.pow(decayRate, p);
  }, { kind: op, initialLearningRate: lr0, decaySteps, decayRate, staircase });
}

/** Options of `cosineDecay`. */
export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup), > 0. */
  decaySteps: number;
  /** The floor, as a fraction of the rate decayed from. Default 0. */
  alpha?: number;
  /** With warmup: the rate reached after `warmupSteps`, linearly from `initialLearningRate`. */
  warmupTarget?: number;
  /** Steps of linear warmup (needs `warmupTarget`). Default 0. */
  warmupSteps?: number;
}

/**
 * Keras' CosineDecay, with its optional linear warmup. Without `warmupTarget`:
 * lr(step) = initialLearningRate · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha).
 * With `warmupTarget` and `warmupSteps = W`: for step < W,
 * lr = initialLearningRate + (warmupTarget − initialLearningRate) · step / W; afterwards the
 * cosine above starting from `warmupTarget` at step − W (step capped at W + decaySteps).
 *
 * @example
 * const s = nb.optim.cosineDecay({ initialLearningRate: 0, warmupTarget: 0.1, warmupSteps: 10, decaySteps: 90 });
 * s(5)  // 0.05 (warming up)
 * s(55) // 0.05 (half-way down the cosine)
 */
export function cosineDecay(opts: CosineDecayOptions): LearningRateSchedule {
  const op = 'cosineDecay';
  checkOptionKeys(op, opts, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps']);
  const lr0 = checkNumber(op, 'initialLearningRate', opts.initialLearningRate, { min: 0 });
  const decaySteps = checkNumber(op, 'decaySteps', opts.decaySteps, { min: 0, minExclusive: true });
  const alpha = numberOption(op, 'alpha', opts.alpha, 0, { min: 0, max: 1 });
  const warmupTarget = optionalNumber(op, 'warmupTarget', opts.warmupTarget, { min: 0 });
  const warmupSteps = numberOption(op, 'warmupSteps', opts.warmupSteps, 0, { min: 0 });
  if (warmupTarget === null && warmupSteps > 0) {
    throw new ValueError(`${op}: warmupSteps (${warmupSteps}) needs warmupTarget, the rate to warm up to; set warmupTarget or drop warmupSteps`);
  }
  const cosine = (step: number, from: number): number => {
    const decayed = 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps));
    return from * ((1 - alpha) * decayed + alpha);
  };
  return makeSchedule(op, (step) => {
    if (warmupTarget === null) return cosine(Math.min(step, decaySteps), lr0);
    const s = Math.min(step, warmupSteps + decaySteps);
    if (s < warmupSteps) return lr0 + ((warmupTarget - lr0) * s) / warmupSteps;
    return cosine(s - warmupSteps, warmupTarget);
  }, { kind: op, initialLearningRate: lr0, decaySteps, alpha, warmupTarget, warmupSteps });
}

/** Options of `stepDecay`. */
export interface StepDecayOptions {
  initialLearningRate: number;
  /** Steps between two multiplications by `gamma` (a positive integer). */
  stepSize: number;
  /** Factor applied every `stepSize` steps. Default 0.1 (as PyTorch's StepLR). */
  gamma?: number;
}

/**
 * PyTorch's StepLR: lr(step) = initialLearningRate · gamma^⌊step / stepSize⌋.
 *
 * @example
 * const s = nb.optim.stepDecay({ initialLearningRate: 0.1, stepSize: 30, gamma: 0.1 });
 * s(29) // 0.1
 * s(30) // 0.01
 */
export function stepDecay(opts: StepDecayOptions): LearningRateSchedule {
  const op = 'stepDecay';
  checkOptionKeys(op, opts, ['initialLearningRate', 'stepSize', 'gamma']);
  const lr0 = checkNumber(op, 'initialLearningRate', opts.initialLearningRate, { min: 0 });
  const stepSize = checkNumber(op, 'stepSize', opts.stepSize, { min: 1, integer: true });
  const gamma = numberOption(op, 'gamma', opts.gamma, 0.1, { min: 0 });
  return makeSchedule(op, (step) => lr0 * Math.pow(gamma, Math.floor(step / stepSize)), { kind: op, initialLearningRate: lr0, stepSize, gamma });
}

/** Options of `warmupCosine`. */
export interface WarmupCosineOptions {
  /** The rate reached at the end of the warm-up, > 0. */
  peakLearningRate: number;
  /** The floor the cosine decays to, in [0, peakLearningRate]. */
  minLearningRate: number;
  /** Steps of linear warm-up (>= 0). */
  warmupSteps: number;
  /** The step at which the cosine reaches `minLearningRate`, counted from 0 like the warm-up (nanoGPT's `lr_decay_iters`). */
  decayEndStep: number;
}

/**
 * nanoGPT's schedule: a linear warm-up that never starts at 0, a half cosine, then a floor. With
 * peak P, floor m, W warm-up steps and the decay ending at step D:
 * lr(step) = P·(step + 1)/(W + 1) for step < W; m for step ≥ D; otherwise
 * m + ½(1 + cos(π·(step − W)/(D − W)))·(P − m).
 * (`cosineDecay`'s warm-up is Keras': it starts at its `initialLearningRate` at step 0.)
 *
 * @example
 * const s = nb.optim.warmupCosine({ peakLearningRate: 1e-3, minLearningRate: 1e-4, warmupSteps: 100, decayEndStep: 2000 });
 * s(0)    // 1e-3 / 101
 * s(1050) // 5.5e-4 (half-way down)
 * s(2000) // 1e-4
 */
export function warmupCosine(opts: WarmupCosineOptions): LearningRateSchedule {
  const op = 'warmupCosine';
  checkOptionKeys(op, opts, ['peakLearningRate', 'minLearningRate', 'warmupSteps', 'decayEndStep']);
  const peak = checkNumber(op, 'peakLearningRate', opts.peakLearningRate, { min: 0, minExclusive: true });
  const floor = checkNumber(op, 'minLearningRate', opts.minLearningRate, { min: 0, max: peak });
  const warmup = checkNumber(op, 'warmupSteps', opts.warmupSteps, { min: 0 });
  const end = checkNumber(op, 'decayEndStep', opts.decayEndStep, { min: 0 });
  return makeSchedule(op, (step) => {
    if (step < warmup) return (peak * (step + 1)) / (warmup + 1);
    if (step >= end) return floor;
    const ratio = (step - warmup) / (end - warmup);
    return floor + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (peak - floor);
  }, { kind: op, peakLearningRate: peak, minLearningRate: floor, warmupSteps: warmup, decayEndStep: end });
}

/**
 * Rebuilds a schedule from `schedule.getConfig()`.
 *
 * @example
 * const copy = nb.optim.scheduleFromConfig(schedule.getConfig());
 */
export function scheduleFromConfig(config: ScheduleConfig): LearningRateSchedule {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ValueError(`scheduleFromConfig: expected a schedule config ({ kind, … }) or a number, got ${config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config}`);
  }
  switch (config.kind) {
    case 'constant':
      return constant(config.learningRate);
    case 'exponentialDecay': {
      const { kind: _, ...opts } = config;
      return exponentialDecay(opts);
    }
    case 'cosineDecay': {
      const { kind: _, warmupTarget, ...rest } = config;
      return cosineDecay(warmupTarget === null ? rest : { ...rest, warmupTarget });
    }
    case 'stepDecay': {
      const { kind: _, ...opts } = config;
      return stepDecay(opts);
    }
    case 'warmupCosine': {
      const { kind: _, ...opts } = config;
      return warmupCosine(opts);
    }
    default: {
      const kind: unknown = (config as { kind?: unknown }).kind;
      throw new ValueError(`scheduleFromConfig: unknown schedule kind '${String(kind)}'; valid kinds are 'constant', 'exponentialDecay', 'cosineDecay', 'stepDecay', 'warmupCosine' (a custom function schedule cannot be rebuilt from config: pass it again)`);
    }
  }
}

/**
 * The warm-up of a schedule: how many steps it climbs and the rate it climbs to, or null when it
 * has none (or is a plain function, whose shape cannot be seen). Lets a training loop that knows
 * its length say when the warm-up would outlast it.
 *
 * @example
 * nb.optim.warmupOf(nb.optim.cosineDecay({ initialLearningRate: 0, warmupTarget: 0.1, warmupSteps: 10, decaySteps: 90 }))
 * // { steps: 10, target: 0.1 }
 */
export function warmupOf(fn: ScheduleFn): { steps: number; target: number } | null {
  const config = scheduleConfigOf(fn);
  if (config.kind === 'warmupCosine') return config.warmupSteps === 0 ? null : { steps: config.warmupSteps, target: config.peakLearningRate };
  if (config.kind !== 'cosineDecay' || config.warmupTarget === null || config.warmupSteps === 0) return null;
  return { steps: config.warmupSteps, target: config.warmupTarget };
}

/** The config of a schedule, or `{ kind: 'custom' }` for a plain function that has none. */
export function scheduleConfigOf(fn: ScheduleFn): ScheduleConfig | { kind: 'custom' } {
  const withConfig = fn as Partial<LearningRateSchedule>;
  return typeof withConfig.getConfig === 'function' ? withConfig.getConfig() : { kind: 'custom' };
}
