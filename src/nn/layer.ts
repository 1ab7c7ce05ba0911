import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { noGrad } from '../tensor/grad-mode.js';
import { add } from '../ops/binary.js';
import type { Config } from './config.js';
import { readOptions } from './config-options.js';
import { checkBoolean, optionError } from './config-check.js';
import { getInitializer, type Initializer } from './initializers.js';
import { registeredLayerName } from './layer-registry.js';
import { getRegularizer, type Regularizer } from './regularizers.js';
import type { SerializedObject } from './config.js';
import { loadStateDictInto, type LoadStateDictResult } from './state-dict.js';
import { layerSummary, type SummaryOptions } from './summary.js';
import { uniqueLayerName } from './layer-names.js';
import { findLayer } from './layer-paths.js';
import { propagateMask } from './mask.js';
import { withTraining } from '../autograd/training-context.js';
import { ownTrainingModeOf, resolveTraining, setTrainingMode, trainingModeOf } from './training-mode.js';
import { buildByRun } from './build-by-run.js';
import { checkDeclaredInputShape, checkInputShapeOption, concreteBuildShape, type PartialShape } from './input-shape.js';
import { bumpWeightsVersion } from './weights-version.js';
import { claimWeight } from './initializer-loading.js';

// The registry lives in its own file; re-exported here because callers think of it as part of Layer.
export { registerLayer, layerFromConfig, serializeLayer } from './layer-registry.js';
export { resetLayerNames } from './layer-names.js';

/** Options every layer accepts. */
export interface LayerOptions {
  /** Unique-ish name; default the snake_case class name with a counter (`dense`, `dense_1`…). */
  name?: string;
  /** Whether the weights are updated by training (default true). */
  trainable?: boolean;
  /** dtype of the weights: float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /**
   * The shape of one input sample, without the batch dimension (Keras' `input_shape`), e.g.
   * `[784]`; null entries match any size. Inputs of another shape are an error, and a
   * `Sequential` whose first layer has it is built at construction.
   */
  inputShape?: PartialShape;
}

/** Options of `addWeight`. */
export interface AddWeightOptions {
  /** Updated by the optimizer (default true). BatchNorm's moving statistics are not. */
  trainable?: boolean;
  /** A penalty added to the loss by `regularizationLoss()`. */
  regularizer?: Regularizer | string | SerializedObject | null;
}

interface WeightEntry {
  tensor: Tensor;
  trainable: boolean;
  regularizer: Regularizer | null;
}

/** One weight as the traversal finds it: its property path, and whether training updates it. */
interface FoundWeight {
  path: string;
  tensor: Tensor;
  trainable: boolean;
  regularizer: Regularizer | null;
}

/**
 * The building block of every model: PyTorch's `Module`, Keras' `Layer`. Subclasses write
 * `call(inputs, training)`, and create weights in `build(inputShape)` with `addWeight`, which
 * runs on the first `apply` (so `new Dense(256)` needs no input size).
 *
 * Sublayers assigned to properties (`dense1 = new Dense(256)`, or arrays of layers) and weights
 * made by `addWeight` are found automatically; their names are property paths
 * (`dense1.kernel`, `blocks.0.bias`).
 *
 * @example
 * class Mlp extends nn.Layer {
 *   hidden = new nn.layers.Dense(64, { activation: 'relu' });
 *   out = new nn.layers.Dense(10);
 *   call(x: Tensor) { return this.out.apply(this.hidden.apply(x)); }
 * }
 * const mlp = new Mlp();
 * mlp.apply(nb.randn([8, 784]));
 * mlp.namedParameters().map(([n]) => n)  // ['hidden.kernel', 'hidden.bias', 'out.kernel', 'out.bias']
 */
export abstract class Layer {
  /** The layer's name (in summaries, configs and error messages). */
  name: string;
  /** True once the weights exist (after the first `apply`, or an explicit `build`). */
  built = false;
  /** dtype of the weights this layer creates. */
  readonly dtype: 'float32' | 'float64';
  /** Input shape of the most recent `apply`, or null. */
  lastInputShape: number[] | null = null;
  /** Output shape of the most recent `apply` (shown by `summary()`), or null. */
  lastOutputShape: number[] | null = null;
  /** The `inputShape` option: the shape of one input sample (no batch dim), or null when not given. */
  readonly inputShape: PartialShape | null;
  private _trainable: boolean;
  /** True while `apply` builds this layer, which then runs `call` itself. */
  private _autoBuilding = false;
  private readonly _weights = new Map<string, WeightEntry>();

  constructor(opts: LayerOptions = {}) {
    const o = readOptions(this.className, opts);
    this._trainable = o.boolean('trainable', true);
    this.dtype = o.oneOf('dtype', ['float32', 'float64'], 'float32');
    this.inputShape = opts.inputShape === undefined || opts.inputShape === null ? null : checkInputShapeOption(this.className, opts.inputShape);
    if (opts.name !== undefined) {
      if (typeof opts.name !== 'string' || opts.name === '') throw optionError(this.className, 'name', 'a non-empty string', opts.name);
      this.name = opts.name;
    } else {
      this.name = uniqueLayerName(this.className);
    }
    // `built` must become true however build() is reached (apply, a parent's build, or a user
    // calling it directly), so the subclass's build is wrapped once here, as Keras does. The
    // wrapper also turns a null batch dimension ([null, 784]) into 1, so builds see numbers.
    const ownBuild = this.build;
    Object.defineProperty(this, 'build', {
      value: (inputShape: PartialShape): void => {
        ownBuild.call(this, concreteBuildShape(this.describe(), inputShape));
        this.built = true;
      },
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }

  /** The class name used in configs and summaries (the registered name, else the JS class name). */
  get className(): string {
    return registeredLayerName(this.constructor) ?? this.constructor.name;
  }

  /** `Dense 'dense_1'`: how error messages name this layer. */
  describe(): string {
    return `${this.className} '${this.name}'`;
  }

  /**
   * Creates the weights for inputs of `inputShape` (batch dim included; the batch may be null:
   * `build([null, 784])`). Layers with weights override it. The default, for a layer with
   * sublayers (a subclassed `Model`, a `Sequential`), runs the layer once on zeros of that shape
   * (int32 zeros if it refuses floats), so that every sublayer makes its weights and
   * `parameters()` is complete; for a layer without sublayers it does nothing.
   *
   * @example
   * const model = new MyModel();
   * model.build([null, 784]);
   * const opt = new nb.optim.Adam(model.parameters());
   */
  build(inputShape: PartialShape): void {
    // apply() is about to run call() anyway: building by a run of our own would run it twice
    if (this._autoBuilding || this.namedChildren().length === 0) return;
    buildByRun(this, inputShape as number[]);
  }

  /**
   * The computation: `inputs` → outputs. `training` switches dropout and batch statistics;
   * `apply` always passes it resolved (see `apply`), so `call` never needs a default.
   */
  abstract call(inputs: Tensor, training?: boolean): Tensor;

  /**
   * Runs the layer: builds it on first use from `inputs.shape`, then `call`s it. Use this (not
   * `call`) to run a sublayer, so that it gets built and inherits the training flag.
   *
   * `training` left out is inherited (training-mode.ts has the rules): a layer applied in a
   * model's `call` gets the model's flag (true in `fit`, false in `evaluate`/`predict`), and a
   * model applied at top level runs in inference mode until `model.train()` (Keras' default).
   */
  apply(inputs: Tensor, training?: boolean): Tensor {
    if (!(inputs instanceof Tensor)) {
      throw new ValueError(`${this.describe()}: apply expects a Tensor, got ${inputs === null ? 'null' : typeof inputs}; wrap values with nb.tensor(...)`);
    }
    if (training !== undefined && typeof training !== 'boolean') {
      throw new ValueError(`${this.describe()}: apply's training argument must be true, false or left out (inherit), got ${training === null ? 'null' : typeof training}`);
    }
    if (this.inputShape !== null) checkDeclaredInputShape(this.describe(), this.inputShape, inputs.shape);
    if (!this.built) {
      this._autoBuilding = true;
      try {
        this.build(inputs.shape.slice());
      } finally {
        this._autoBuilding = false;
      }
    }
    const flag = this.resolveTraining(training);
    const out = withTraining(flag, () => this.call(inputs, flag));
    propagateMask(this, inputs, out);
    this.lastInputShape = inputs.shape.slice();
    this.lastOutputShape = out.shape.slice();
    return out;
  }

  /** The flag a call runs with given its `training` argument, for methods that run the layer without `apply` (`attend`). */
  protected resolveTraining(training?: boolean): boolean {
    return resolveTraining(this, training);
  }

  /**
   * PyTorch's `train()`: the mode this layer and its sublayers run in when applied without a
   * `training` argument outside `fit`/`evaluate`/`predict` (which set their own), for a
   * hand-written loop. A sublayer put in another mode afterwards (`model.bn.eval()`) keeps it,
   * also inside `fit`. Returns this layer.
   *
   * @example
   * model.train();
   * const loss = lossFn(y, model.apply(x));   // dropout active
   * model.eval();
   * const yPred = model.apply(xTest);          // dropout off
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError(`${this.describe()}: train(mode) takes true or false, got ${typeof mode}`);
    setTrainingMode(this, this.namedLayers().map(([, l]) => l), mode);
    return this;
  }

  /** PyTorch's `eval()`: `train(false)`, inference mode (dropout off, moving statistics) for calls without a flag. */
  eval(): this {
    return this.train(false);
  }

  /** The mode set by `train()`/`eval()` (false until one is called): PyTorch's `module.training`. */
  get training(): boolean {
    return trainingModeOf(this) ?? false;
  }

  /** The mode set by `train()`/`eval()` called on this layer itself, which wins over its caller's; null when none (or reset by an ancestor's). */
  get ownTrainingMode(): boolean | null {
    return ownTrainingModeOf(this);
  }

  /**
   * The output shape for inputs of `inputShape`. The default runs the layer once on zeros
   * (building it); layers override it with the formula.
   */
  computeOutputShape(inputShape: number[]): number[] {
    // the probe run must not show up as "the last apply" in summary()
    const all = [this, ...this.namedLayers().map(([, l]) => l)];
    const saved = all.map((l) => [l.lastInputShape, l.lastOutputShape] as const);
    const shape = noGrad(() => this.apply(zeros(inputShape, { dtype: this.dtype }), false)).shape.slice();
    all.forEach((l, i) => ([l.lastInputShape, l.lastOutputShape] = saved[i]!));
    return shape;
  }

  /** The constructor options as JSON (always with `name`, `trainable`, `dtype`; `inputShape` when given). Subclasses extend it. */
  getConfig(): Config {
    const config: Config = { name: this.name, trainable: this._trainable, dtype: this.dtype };
    if (this.inputShape !== null) config.inputShape = this.inputShape.slice();
    return config;
  }

  /** Rebuilds a layer from `getConfig()`: `new this(config)`. Layers with positional arguments override it. */
  static fromConfig(this: new (config: Config) => Layer, config: Config): Layer {
    return new this(config);
  }

  /**
   * Creates a weight of `shape` from `initializer` (a name or an Initializer), records it under
   * `name` and returns it. Call it from `build`.
   *
   * @example
   * this.addWeight('kernel', [inputDim, this.units], 'glorotUniform')
   */
  addWeight(name: string, shape: readonly number[], initializer: Initializer | string | SerializedObject, opts: AddWeightOptions = {}): Tensor {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ValueError(`${this.describe()}: addWeight needs a non-empty name without '.' ('.' separates path parts), got '${name}'`);
    }
    if (this._weights.has(name)) throw new ValueError(`${this.describe()}: a weight named '${name}' already exists`);
    // while loadModel builds, a weight larger than its file can hold is refused before allocation,
    // and the others get zeros: their values come from the file
    const skipValues = claimWeight(this.describe(), name, shape);
    const tensor = getInitializer(initializer).call(shape, { dtype: this.dtype, skipValues });
    const trainable = opts.trainable ?? true;
    tensor.requiresGrad = trainable && this._trainable;
    this._weights.set(name, { tensor, trainable, regularizer: getRegularizer(opts.regularizer) });
    bumpWeightsVersion();
    return tensor;
  }

  /** This layer's own weight `name` (not a sublayer's); throws a clear error before build. */
  getWeight(name: string): Tensor {
    const entry = this._weights.get(name);
    if (!entry) {
      const hint = this.built ? `it has ${[...this._weights.keys()].join(', ') || 'no weights'}` : 'it is not built yet: call apply(sampleInput) first';
      throw new ValueError(`${this.describe()}: no weight '${name}'; ${hint}`);
    }
    return entry.tensor;
  }

  /** Whether training updates this layer. Setting it sets every sublayer too (Keras' freezing). */
  get trainable(): boolean {
    return this._trainable;
  }

  set trainable(flag: boolean) {
    this._trainable = checkBoolean(this.describe(), 'trainable', flag);
    for (const [, layer] of this.namedLayers()) layer._trainable = flag;
    for (const w of this.collectWeights()) w.tensor.requiresGrad = w.trainable;
    bumpWeightsVersion();
  }

  /** The direct sublayers found in properties (arrays give `name.0`, `name.1`…). */
  namedChildren(): [string, Layer][] {
    const out: [string, Layer][] = [];
    const props = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(props)) {
      const v = props[key];
      if (v instanceof Layer) {
        if (v !== this) out.push([key, v]);
      } else if (Array.isArray(v)) {
        v.forEach((item: unknown, i) => {
          if (item instanceof Layer && item !== this) out.push([`${key}.${i}`, item]);
        });
      }
    }
    return out;
  }

  /**
   * The sublayer at property path `name` (`'dense3'`, `'layers.2'`, `'blocks.0.attn'`), or else the
   * one whose `name` is `name` (`'dense_2'`). Throws a ValueError listing the available layers
   * when none matches.
   *
   * @example
   * model.getLayer('dense3').trainable = false;
   * model.getLayer('blocks.0.attn')
   */
  getLayer(name: string): Layer {
    return findLayer(this, name);
  }

  /** Every sublayer at any depth, by property path, each once (self excluded), parents first. */
  namedLayers(): [string, Layer][] {
    const out: [string, Layer][] = [];
    const seen = new Set<Layer>([this]);
    const visit = (layer: Layer, prefix: string): void => {
      for (const [key, child] of layer.namedChildren()) {
        if (seen.has(child)) continue;
        seen.add(child);
        out.push([prefix + key, child]);
        visit(child, `${prefix}${key}.`);
      }
    };
    visit(this, '');
    return out;
  }

  /** All weights with their paths and effective trainability (a frozen ancestor freezes them). */
  private collectWeights(): FoundWeight[] {
    const out: FoundWeight[] = [];
    const seenLayers = new Set<Layer>();
    const seenTensors = new Set<Tensor>();
    const visit = (layer: Layer, prefix: string, parentTrainable: boolean): void => {
      if (seenLayers.has(layer)) return;
      seenLayers.add(layer);
      const layerTrainable = parentTrainable && layer._trainable;
      for (const [name, e] of layer._weights) {
        if (seenTensors.has(e.tensor)) continue;
        seenTensors.add(e.tensor);
        out.push({ path: prefix + name, tensor: e.tensor, trainable: layerTrainable && e.trainable, regularizer: e.regularizer });
      }
      for (const [key, child] of layer.namedChildren()) visit(child, `${prefix}${key}.`, layerTrainable);
    };
    visit(this, '', true);
    return out;
  }

  /** Every weight (trainable or not) by property path: `[['dense1.kernel', t], …]`. */
  namedWeights(): [string, Tensor][] {
    return this.collectWeights().map((w) => [w.path, w.tensor]);
  }

  /** The trainable weights by path (PyTorch's `named_parameters`). */
  namedParameters(): [string, Tensor][] {
    return this.collectWeights().filter((w) => w.trainable).map((w) => [w.path, w.tensor]);
  }

  /** The trainable weights, for an optimizer (PyTorch's `parameters()`). */
  parameters(): Tensor[] {
    return this.trainableWeights;
  }

  /** Every weight, trainable or not (Keras' `weights`). */
  get weights(): Tensor[] {
    return this.collectWeights().map((w) => w.tensor);
  }

  /** The weights training updates (Keras' `trainable_weights`). */
  get trainableWeights(): Tensor[] {
    return this.collectWeights().filter((w) => w.trainable).map((w) => w.tensor);
  }

  /** The weights training leaves alone: frozen ones and BatchNorm's moving statistics. */
  get nonTrainableWeights(): Tensor[] {
    return this.collectWeights().filter((w) => !w.trainable).map((w) => w.tensor);
  }

  /** The number of scalars in all weights (trainable or not). */
  countParams(): number {
    return this.collectWeights().reduce((n, w) => n + w.tensor.size, 0);
  }

  /**
   * Every weight by path, as tensors sharing the weights' storage (cut from autograd): they
   * follow later training. Clone them (`t.add(0)` under noGrad) to keep a snapshot.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const w of this.collectWeights()) out[w.path] = w.tensor.detach();
    return out;
  }

  /**
   * Copies the values of `stateDict` into the existing weights, in place (optimizers keep their
   * references). With `strict` (default), missing and unexpected keys are errors; shapes must
   * always match. Nothing is written unless everything checks. Returns the keys that did not match.
   */
  loadStateDict(stateDict: Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadStateDictResult {
    return loadStateDictInto(this, stateDict, opts);
  }

  /**
   * The sum of the regularizer penalties on the trainable weights of this layer and its
   * sublayers (a frozen weight's penalty is a constant, so it is left out, as in Keras), or null
   * if there are none. `fit` adds it to the loss.
   */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const w of this.collectWeights()) {
      if (!w.regularizer || !w.trainable) continue;
      const p = w.regularizer.call(w.tensor);
      total = total ? add(total, p) : p;
    }
    return total;
  }

  /**
   * Keras' `model.summary()`: prints (with `printFn`, default `console.log`) and returns a
   * table of the sublayers (or of this layer alone) by `name (ClassName)`, their output shapes
   * (batch dimension `None`) and parameter counts, with totals (trainable / non-trainable) and
   * the estimated activation memory of a training step at `batchSize` (default: the last batch).
   *
   * @example
   * model.summary();                                   // printed
   * const text = model.summary({ printFn: null });     // only returned
   */
  summary(opts: SummaryOptions = {}): string {
    return layerSummary(this, opts);
  }

  /**
   * Runs `fn` with some weights temporarily replaced by other tensors (by path), then restores
   * them. Used by `functionalCall`; the replaced tensors are also swapped in any property of
   * their layer that holds them, so layers that keep `this.w = this.addWeight(...)` see them too.
   */
  withWeights<T>(replacements: Record<string, Tensor>, fn: () => T): T {
    const owners: [string, Layer][] = [['', this], ...this.namedLayers().map(([p, l]): [string, Layer] => [`${p}.`, l])];
    const undo: (() => void)[] = [];
    const restoreAll = () => {
      for (const u of undo.reverse()) u();
    };
    try {
      for (const [path, value] of Object.entries(replacements)) {
        const owner = owners.find(([prefix, l]) => path.startsWith(prefix) && l._weights.has(path.slice(prefix.length)));
        if (!owner) throw new ValueError(`${this.describe()}: no weight at '${path}' (weights: ${this.namedWeights().map(([n]) => n).join(', ')})`);
        undo.push(owner[1].swapWeight(path.slice(owner[0].length), value));
      }
    } catch (e) {
      restoreAll();
      throw e;
    }
    try {
      return fn();
    } finally {
      restoreAll();
    }
  }

  /** Replaces own weight `name` by `value` (map and properties); returns the function that undoes it. */
  private swapWeight(name: string, value: Tensor): () => void {
    const entry = this._weights.get(name)!;
    const old = entry.tensor;
    const props = this as unknown as Record<string, unknown>;
    const keys = Object.keys(props).filter((k) => props[k] === old);
    entry.tensor = value;
    for (const k of keys) props[k] = value;
    return () => {
      entry.tensor = old;
      for (const k of keys) props[k] = old;
    };
  }
}
