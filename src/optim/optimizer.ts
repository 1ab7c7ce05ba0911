/**
 * The Optimizer base class. It owns everything the algorithms share: the registered parameters
 * and their named slots, the learning rate (a number or a schedule), parameter groups, the step
 * counter, gradient clipping, and state for checkpoints. Each algorithm only says which slots it
 * needs (`slotSpecs`) and how one parameter moves (`updateStep`, plain loops over typed arrays).
 */
import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { clampInto, normClipScale, scaleInto, sumOfSquares } from './clip.js';
import { checkLrMultiplier, DEFAULT_GROUP, groupsOf, tensorsOf, type GroupSettings, type ParamGroup, type ParamsOrLayer } from './param-groups.js';
import { namedParams, type FloatArray, type ParamsInput } from './params.js';
import { scheduleConfigOf, type ScheduleConfig, type ScheduleFn } from './schedules.js';
import { checkNumber, optionalNumber } from './validate.js';

/** Options every optimizer takes (Keras names). Set at most one of the three clipping options. */
export interface OptimizerOptions {
  /** A number, or a schedule called with `iterations` before each step (undefined: the optimizer's default). */
  learningRate?: number | ScheduleFn | undefined;
  /** Clip each parameter's gradient to this L2 norm: g · c / max(‖g‖, c). */
  clipNorm?: number;
  /** Clip each gradient element to [−clipValue, clipValue]. */
  clipValue?: number;
  /** Clip all gradients together to this L2 norm: g · c / max(‖all g‖, c). */
  globalClipnorm?: number;
  /**
   * Parameter groups (PyTorch's): each group's parameters step with `learningRate × lrMultiplier`
   * (others with ×1) and, in an optimizer with a weight decay (AdamW, SGD), with the group's
   * `weightDecay` in place of the optimizer's. Only sets these; the parameters are registered as
   * usual (by `build`, `fit`, or the constructor's params). Not part of `getConfig()` or
   * checkpoints: set them again on a rebuilt optimizer.
   */
  paramGroups?: readonly ParamGroup[];
}

/** The option keys `OptimizerOptions` defines, for the subclasses' unknown-key check. */
export const BASE_OPTION_KEYS = ['learningRate', 'clipNorm', 'clipValue', 'globalClipnorm', 'paramGroups'] as const;

/** What a checkpoint stores: the step counter, the learning rate then, and every slot by parameter name. */
export interface OptimizerState {
  iterations: number;
  learningRate: number;
  /** `slots[paramName][slotName]`, each as long as the parameter. */
  slots: Record<string, Record<string, FloatArray>>;
}

/** A JSON value, as `getConfig()` returns. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `getConfig()`: the registry name plus the hyperparameters; the learning rate may be a schedule's config. */
export type OptimizerConfig = { name: string; learningRate: number | ScheduleConfig | { kind: 'custom' } } & { [key: string]: JsonValue };

interface Entry {
  name: string;
  tensor: Tensor;
  /** The parameter's elements, written in place by `updateStep`. */
  data: FloatArray;
  /** Null until the parameter is trainable at build or step time. */
  slots: Record<string, FloatArray> | null;
}

function floatView(t: Tensor): FloatArray {
  const s = t.storage;
  if (!(s instanceof Float32Array || s instanceof Float64Array)) throw new DTypeError('unreachable: a float tensor without float storage');
  return t.offset === 0 && s.length === t.size ? s : s.subarray(t.offset, t.offset + t.size);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Base class of the optimizers. Keras style: `new Adam(opts)`, then `applyGradients(pairs)` or
 * `build(params)` + `step()`; PyTorch style: `new Adam(params, opts)`, then
 * `loss.backward(); opt.step(); opt.zeroGrad()`.
 *
 * A subclass declares its slots in `slotSpecs()` and implements `updateStep(param, grad, slots, lr)`
 * (a fifth argument, the parameter's weight decay, is there for algorithms that have one).
 *
 * @example
 * // sign descent with a running average: w ← w − lr·sign(a), a ← 0.9·a + 0.1·g
 * class SignSGD extends nb.optim.Optimizer {
 *   readonly name = 'signsgd';
 *   constructor(opts: nb.optim.OptimizerOptions = {}) { super('SignSGD', opts, 0.01); }
 *   protected slotSpecs() { return { average: 0 }; }
 *   updateStep(w: nb.optim.FloatArray, g: nb.optim.FloatArray, slots: Record<string, nb.optim.FloatArray>, lr: number) {
 *     const a = this.slot(slots, 'average');
 *     for (let i = 0; i < w.length; i++) { a[i] = 0.9 * a[i] + 0.1 * g[i]; w[i] -= lr * Math.sign(a[i]); }
 *   }
 * }
 */
export abstract class Optimizer {
  /** The registry name `getOptimizer` knows this optimizer by ('adam', 'sgd'…). */
  abstract readonly name: string;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipnorm: number | null;
  private lr: number | ScheduleFn;
  private iters = 0;
  private readonly entries: Entry[] = [];
  private readonly byTensor = new Map<Tensor, Entry>();
  private readonly byName = new Map<string, Entry>();
  private scratch32 = new Float32Array(0);
  private scratch64 = new Float64Array(0);
  private readonly groups: WeakMap<Tensor, GroupSettings>;
  /** Whether the algorithm has a weight decay that a parameter group may set (AdamW, SGD). */
  protected static readonly hasWeightDecay: boolean = false;

  protected constructor(protected readonly className: string, opts: OptimizerOptions, defaultLearningRate: number) {
    this.lr = Optimizer.checkLearningRate(className, opts.learningRate ?? defaultLearningRate);
    this.clipNorm = optionalNumber(className, 'clipNorm', opts.clipNorm, { min: 0, minExclusive: true });
    this.clipValue = optionalNumber(className, 'clipValue', opts.clipValue, { min: 0, minExclusive: true });
    this.globalClipnorm = optionalNumber(className, 'globalClipnorm', opts.globalClipnorm, { min: 0, minExclusive: true });
    const set = [this.clipNorm !== null && 'clipNorm', this.clipValue !== null && 'clipValue', this.globalClipnorm !== null && 'globalClipnorm'].filter(Boolean);
    if (set.length > 1) throw new ValueError(`${className}: set only one of clipNorm, clipValue and globalClipnorm, got ${set.join(' and ')}`);
    // new.target: the subclass's static flag is there before its constructor runs
    this.groups = groupsOf(className, opts.paramGroups, new.target.hasWeightDecay);
  }

  /**
   * Makes `params` (tensors, or a layer: all its weights) step with `learningRate × multiplier`
   * from the next step on; 1 restores the plain rate.
   *
   * @example
   * opt.setLrMultiplier(model.getLayer('body'), 0.1);   // the body learns 10× slower than the head
   */
  setLrMultiplier(params: ParamsOrLayer, multiplier: number): void {
    const op = `${this.className}.setLrMultiplier`;
    const m = checkLrMultiplier(op, multiplier);
    for (const t of tensorsOf(op, params)) this.groups.set(t, { ...(this.groups.get(t) ?? DEFAULT_GROUP), lrMultiplier: m });
  }

  /** The learning-rate multiplier of `param` (1 unless set by `paramGroups` or `setLrMultiplier`). */
  lrMultiplierOf(param: Tensor): number {
    return (this.groups.get(param) ?? DEFAULT_GROUP).lrMultiplier;
  }

  /** The weight decay `param` steps with: its group's, else the optimizer's (0 for an optimizer without one). */
  weightDecayOf(param: Tensor): number {
    return this.groups.get(param)?.weightDecay ?? this.defaultWeightDecay();
  }

  /** The weight decay of parameters in no group; optimizers with one (`hasWeightDecay`) override it. */
  protected defaultWeightDecay(): number {
    return 0;
  }

  private static checkLearningRate(op: string, lr: unknown): number | ScheduleFn {
    if (typeof lr === 'function') return lr as ScheduleFn;
    return checkNumber(op, 'learningRate', lr, { min: 0 });
  }

  /** The slots each trainable parameter gets, by name, with their initial value (e.g. `{ m: 0, v: 0 }`). */
  protected abstract slotSpecs(): Readonly<Record<string, number>>;

  /**
   * Moves one parameter in place. `param` is written; `grad` (already clipped) must only be read;
   * `slots` are this parameter's slots, updated in place; `lr` is the learning rate of this step
   * (its group's multiplier applied); `weightDecay` is the parameter's (its group's, else the
   * optimizer's; 0 for optimizers without one). `this.iterations` is the number of steps done
   * before this one. The hot path: plain loops, no tensor ops, no allocation.
   */
  abstract updateStep(param: FloatArray, grad: FloatArray, slots: Record<string, FloatArray>, lr: number, weightDecay: number): void;

  /** The slot `name` of `slots`, or a clear error when the optimizer was not built with it. */
  protected slot(slots: Record<string, FloatArray>, name: string): FloatArray {
    const s = slots[name];
    if (s === undefined) throw new ValueError(`${this.className}: slot '${name}' is missing; slots are made by build(), do not edit them by hand`);
    return s;
  }

  /** Steps done so far (Keras' `optimizer.iterations`); schedules are evaluated at this value. */
  get iterations(): number {
    return this.iters;
  }

  /** The learning rate of the next step; setting a number replaces any schedule (as ReduceLROnPlateau does). */
  get learningRate(): number {
    return this.currentLearningRate();
  }

  set learningRate(value: number | ScheduleFn) {
    this.lr = Optimizer.checkLearningRate(this.className, value);
  }

  /** The schedule in use, or null when the learning rate is a plain number. */
  get learningRateSchedule(): ScheduleFn | null {
    return typeof this.lr === 'function' ? this.lr : null;
  }

  /** The learning rate the next step uses: the number, or the schedule at `iterations`. */
  currentLearningRate(): number {
    if (typeof this.lr === 'number') return this.lr;
    const v = this.lr(this.iters);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ValueError(`${this.className}: the learning-rate schedule returned ${String(v)} at step ${this.iters}; a schedule must return a finite number >= 0`);
    }
    return v;
  }

  /** True once some parameters are registered. */
  get built(): boolean {
    return this.entries.length > 0;
  }

  /** The registered parameters with their names, in registration order. */
  namedParameters(): Array<[string, Tensor]> {
    return this.entries.map((e) => [e.name, e.tensor]);
  }

  /**
   * Registers parameters and makes their slots. Adds to what is already registered (a tensor given
   * again keeps its first name). Frozen parameters (`requiresGrad` false) are registered without
   * slots; they get them at the first step where they are trainable and have a gradient.
   *
   * @example
   * const opt = new nb.optim.Adam();
   * opt.build({ w, b });
   * opt.getState().slots.w.m // Float32Array of zeros
   */
  build(params: ParamsInput): void {
    for (const [name, t] of namedParams(`${this.className}.build`, params, this.entries.length)) this.register(name, t);
  }

  /**
   * Registers the parameters given to the constructor (PyTorch style). Unlike `build`, an empty
   * list is an error, as in PyTorch: it is almost always `model.parameters()` of a model whose
   * layers have not made their weights yet, and an optimizer without parameters trains nothing.
   */
  protected buildFromConstructor(params: ParamsInput | null): void {
    if (params === null) return;
    const named = namedParams(this.className, params, this.entries.length);
    if (named.length === 0) {
      throw new ValueError(
        `${this.className}: the optimizer got an empty parameter list, so it would train nothing. ` +
          "A model's parameters() is empty until it is built (its layers make their weights on the first call) or when every layer is frozen. " +
          'Build the model first, with model.build([null, ...sampleShape]) (e.g. model.build([null, 784])) or by calling it on a sample batch (model.apply(x)), ' +
          `or let fit() register the weights: model.compile({ optimizer: new nb.optim.${this.className}(), loss: ... })`,
      );
    }
    for (const [name, t] of named) this.register(name, t);
  }

  private register(name: string, t: Tensor): Entry {
    const known = this.byTensor.get(t);
    if (known) return known;
    const op = `${this.className}.build`;
    if (!isFloat(t.dtype)) throw new DTypeError(`${op}: parameter '${name}' is ${t.dtype}; only float32/float64 tensors can be optimized, cast it first`);
    if (!t.isLeaf) throw new ValueError(`${op}: parameter '${name}' was computed by an op; parameters must be leaf tensors (use x.detach().requireGrad())`);
    if (!t.isContiguous) throw new ValueError(`${op}: parameter '${name}' ${fmt(t.shape)} is a non-contiguous view; parameters must be contiguous: make it with x.contiguous().detach().requireGrad()`);
    if (this.byName.has(name)) throw new ValueError(`${op}: two different parameters are both named '${name}'; give them distinct names`);
    const data = floatView(t);
    const entry: Entry = { name, tensor: t, data, slots: t.requiresGrad ? this.makeSlots(data) : null };
    this.entries.push(entry);
    this.byTensor.set(t, entry);
    this.byName.set(name, entry);
    return entry;
  }

  private makeSlots(data: FloatArray): Record<string, FloatArray> {
    const slots: Record<string, FloatArray> = {};
    for (const [slotName, init] of Object.entries(this.slotSpecs())) {
      const s = data instanceof Float64Array ? new Float64Array(data.length) : new Float32Array(data.length);
      if (init !== 0) s.fill(init);
      slots[slotName] = s;
    }
    return slots;
  }

  /**
   * Updates every registered parameter that requires gradients and has a `.grad`, in place,
   * after clipping; then increments `iterations` (even when no parameter had a gradient).
   * Nothing is recorded for autograd: the update writes the storage directly.
   *
   * @example
   * loss.backward(); opt.step(); opt.zeroGrad();
   */
  step(): void {
    const work: Array<[Entry, Tensor]> = [];
    for (const e of this.entries) if (e.tensor.requiresGrad && e.tensor.grad !== null) work.push([e, e.tensor.grad]);
    this.apply(work);
  }

  /**
   * Keras' `apply_gradients`: updates each parameter with the gradient paired with it (pairs with a
   * null gradient or a frozen parameter are skipped); unregistered parameters are registered
   * first (named `param_N`). Increments `iterations`.
   *
   * @example
   * const [gw, gb] = nb.gradients(loss, [w, b]);
   * opt.applyGradients([[gw, w], [gb, b]]);
   */
  applyGradients(gradsAndParams: Iterable<readonly [Tensor | null, Tensor]>): void {
    const work: Array<[Entry, Tensor]> = [];
    for (const [g, p] of gradsAndParams) {
      const entry = this.byTensor.get(p) ?? this.register(`param_${this.entries.length}`, p);
      if (g !== null && p.requiresGrad) work.push([entry, g]);
    }
    this.apply(work);
  }

  /** Sets `.grad = null` on every registered parameter. */
  zeroGrad(): void {
    for (const e of this.entries) e.tensor.grad = null;
  }

  private apply(work: ReadonlyArray<[Entry, Tensor]>): void {
    const lr = this.currentLearningRate();
    const weightDecay = this.defaultWeightDecay();
    const grads = work.map(([e, g]) => this.readGrad(e, g));
    let globalScale = 1;
    if (this.globalClipnorm !== null) {
      let ss = 0;
      for (const g of grads) ss += sumOfSquares(g);
      globalScale = normClipScale(Math.sqrt(ss), this.globalClipnorm);
    }
    work.forEach(([e], k) => {
      let g = grads[k]!;
      if (this.clipNorm !== null) {
        const s = normClipScale(Math.sqrt(sumOfSquares(g)), this.clipNorm);
        if (s !== 1) g = scaleInto(this.scratch(e.data), g, s);
      } else if (globalScale !== 1) {
        g = scaleInto(this.scratch(e.data), g, globalScale);
      } else if (this.clipValue !== null) {
        g = clampInto(this.scratch(e.data), g, this.clipValue);
      }
      e.slots ??= this.makeSlots(e.data);
      const group = this.groups.get(e.tensor) ?? DEFAULT_GROUP;
      this.updateStep(e.data, g, e.slots, lr * group.lrMultiplier, group.weightDecay ?? weightDecay);
    });
    this.iters++;
  }

  /** The gradient as a contiguous array of the parameter's dtype; the grad's own storage when it already is one. */
  private readGrad(e: Entry, g: Tensor): FloatArray {
    if (!sameShape(g.shape, e.tensor.shape)) {
      throw new ShapeError(`${this.className}.step: the gradient of '${e.name}' has shape ${fmt(g.shape)} but the parameter has shape ${fmt(e.tensor.shape)}`);
    }
    if (g.dtype === e.tensor.dtype && g.isContiguous) return floatView(g);
    const out = e.data instanceof Float64Array ? new Float64Array(e.data.length) : new Float32Array(e.data.length);
    out.set(g.data());
    return out;
  }

  /** A reusable buffer as long as `like` and of its type (grows, never shrinks). */
  private scratch(like: FloatArray): FloatArray {
    const n = like.length;
    if (like instanceof Float64Array) {
      if (this.scratch64.length < n) this.scratch64 = new Float64Array(n);
      return this.scratch64.length === n ? this.scratch64 : this.scratch64.subarray(0, n);
    }
    if (this.scratch32.length < n) this.scratch32 = new Float32Array(n);
    return this.scratch32.length === n ? this.scratch32 : this.scratch32.subarray(0, n);
  }

  /**
   * A copy of the optimizer's state for a checkpoint: `iterations`, the current learning rate, and
   * the slots of every parameter that has them, by parameter name then slot name.
   *
   * @example
   * const state = opt.getState();
   * other.setState(state); // other continues exactly where opt is
   */
  getState(): OptimizerState {
    const slots: Record<string, Record<string, FloatArray>> = {};
    for (const e of this.entries) {
      if (e.slots === null) continue;
      const copy: Record<string, FloatArray> = {};
      for (const [k, v] of Object.entries(e.slots)) copy[k] = v.slice();
      slots[e.name] = copy;
    }
    return { iterations: this.iters, learningRate: this.currentLearningRate(), slots };
  }

  /**
   * Restores `getState()` output (values are copied in). The parameters must be registered
   * (`build` or PyTorch-style construction) under the same names. A learning-rate schedule, if this
   * optimizer has one, is kept (it resumes from the restored `iterations`); otherwise the saved
   * learning rate is set. Everything is checked before anything changes: an unknown parameter or
   * slot name, a missing slot or a size mismatch throws. Registered parameters absent from
   * `state` keep their current slots.
   */
  setState(state: OptimizerState): void {
    const op = `${this.className}.setState`;
    if (typeof state !== 'object' || state === null) throw new ValueError(`${op}: expected the object getState() returns`);
    const iterations = checkNumber(op, 'iterations', state.iterations, { min: 0, integer: true });
    const lr = checkNumber(op, 'learningRate', state.learningRate, { min: 0 });
    if (typeof state.slots !== 'object' || state.slots === null) throw new ValueError(`${op}: state.slots must be an object of parameter name → slots`);
    if (Object.keys(state.slots).length > 0 && this.entries.length === 0) {
      throw new ValueError(`${op}: this optimizer has no parameters yet; register them first with opt.build(params) (or pass them to the constructor), under the names the state uses`);
    }
    const specs = this.slotSpecs();
    const expected = Object.keys(specs);
    const plan: Array<[Entry, Record<string, FloatArray>]> = [];
    for (const [name, saved] of Object.entries(state.slots)) {
      const e = this.byName.get(name);
      if (!e) {
        const known = this.entries.map((x) => `'${x.name}'`).join(', ');
        throw new ValueError(`${op}: the state has slots for parameter '${name}', which this optimizer does not know; its parameters are ${known}`);
      }
      for (const slotName of Object.keys(saved)) {
        if (!(slotName in specs)) throw new ValueError(`${op}: parameter '${name}' has a slot '${slotName}' that ${this.className} does not use (it uses ${expected.map((s) => `'${s}'`).join(', ') || 'no slots'}); was the state saved by another optimizer or other options?`);
      }
      for (const slotName of expected) {
        const arr = saved[slotName];
        if (arr === undefined) throw new ValueError(`${op}: parameter '${name}' is missing slot '${slotName}'`);
        if (!(arr instanceof Float32Array || arr instanceof Float64Array) || arr.length !== e.data.length) {
          const got = ArrayBuffer.isView(arr) ? `${arr.length} elements` : typeof arr;
          throw new ShapeError(`${op}: slot '${slotName}' of parameter '${name}' has ${got}, but the parameter ${fmt(e.tensor.shape)} has ${e.data.length}`);
        }
      }
      plan.push([e, saved]);
    }
    for (const [e, saved] of plan) {
      e.slots ??= this.makeSlots(e.data);
      for (const slotName of expected) this.slot(e.slots, slotName).set(saved[slotName]!);
    }
    this.iters = iterations;
    if (typeof this.lr === 'number') this.lr = lr;
  }

  /** The hyperparameters as JSON (`optimizerFromConfig` rebuilds the optimizer from it). */
  getConfig(): OptimizerConfig {
    return {
      name: this.name,
      learningRate: typeof this.lr === 'number' ? this.lr : scheduleConfigOf(this.lr),
      clipNorm: this.clipNorm,
      clipValue: this.clipValue,
      globalClipnorm: this.globalClipnorm,
    };
  }
}
