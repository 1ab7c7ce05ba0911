/**
 * What the LoRA wrappers share (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language
 * Models"): a frozen base layer whose kernel, seen as a matrix W [in, out], is adapted by a
 * trainable low-rank product: W + (alpha/rank)·A·B with A [in, rank] and B [rank, out]. B starts at
 * zero, so a freshly wrapped layer computes exactly what its base did.
 */
import { noGrad } from '../../tensor/grad-mode.js';
import { add, mul } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { reshape } from '../../ops/movement.js';
import { bernoulli } from '../../tensor/creation.js';
import { ValueError } from '../../tensor/errors.js';
import { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { isSerializedObject, type Config } from '../config.js';
import { checkBoolean, checkInteger, describeValue as describeGiven } from '../config-check.js';
import { readOptions } from '../config-options.js';
import { RandomUniform } from '../initializers.js';
import { Layer } from '../layer.js';
import { layerFromConfig, serializeLayer } from '../layer-registry.js';

/** The adapter's hyperparameters. */
export interface LoRAOptions {
  /** r, the rank of the update A·B: a positive integer (typically 4 to 64). */
  rank: number;
  /** The update is scaled by alpha/rank (default alpha = rank, a scale of 1). */
  alpha?: number;
  /** Dropout rate on the adapter's input in training, in [0, 1) (default 0). */
  dropout?: number;
  /** Seed of A's initial values and of the dropout mask; default: the global generator (`nb.manualSeed`). */
  seed?: number | null;
}

/** `LoRAOptions` plus the wrapper's own name (default `<base name>_lora`). */
export interface LoRALayerOptions extends LoRAOptions {
  name?: string;
  /** What `baseWasTrainable` records (default: the base's flag now); set when rebuilding from a config. */
  baseWasTrainable?: boolean;
}

/** The options after validation and defaults. */
export interface ResolvedLoRAOptions {
  rank: number;
  alpha: number;
  dropout: number;
  seed: number | null;
}

/** How errors name something that should have been a layer. */
export function describeValue(x: unknown): string {
  if (x instanceof Layer) return x.describe();
  return x === null ? 'null' : typeof x;
}

/** Validates LoRA options (`who` names the caller in errors) and fills in the defaults. */
export function resolveLoRAOptions(who: string, opts: LoRAOptions): ResolvedLoRAOptions {
  if (typeof opts !== 'object' || opts === null) throw new ValueError(`${who}: expected options { rank, alpha?, dropout? }`);
  const o = readOptions(who, opts);
  const rank = checkInteger(who, 'rank', opts.rank, { ge: 1 });
  return { rank, alpha: o.number('alpha', rank), dropout: o.number('dropout', 0, { ge: 0, lt: 1 }), seed: o.seed('seed') };
}

/**
 * A LoRA wrapper around `base`: it holds the frozen base layer (property `base`) and the trainable
 * adapters `loraA` [in, rank] (uniform in ±1/√in, as PyTorch's Linear) and `loraB` [rank, out]
 * (zeros). Subclasses say how the base's kernel is a matrix and compute the output.
 */
export abstract class LoRALayer<B extends Layer = Layer> extends Layer {
  /** The wrapped layer; frozen while it is wrapped. */
  readonly base: B;
  /** r: the rank of A·B. */
  readonly rank: number;
  /** The update is scaled by alpha/rank. */
  readonly alpha: number;
  /** Dropout rate on the adapter's input in training. */
  readonly dropout: number;
  /** Seed of A's initial values and the dropout mask, or null for the global generator. */
  readonly seed: number | null;
  /** The base's `trainable` flag before wrapping, given back by `lora.merge`. */
  readonly baseWasTrainable: boolean;
  private readonly generator: Generator | undefined;

  protected constructor(base: B, opts: LoRALayerOptions) {
    super({ name: opts.name ?? `${base.name}_lora`, dtype: base.dtype });
    const o = resolveLoRAOptions(this.className, opts);
    this.base = base;
    this.rank = o.rank;
    this.alpha = o.alpha;
    this.dropout = o.dropout;
    this.seed = o.seed;
    this.generator = o.seed === null ? undefined : new Generator(o.seed + 1);
    this.baseWasTrainable = readOptions(this.className, opts).boolean('baseWasTrainable', base.trainable);
    base.trainable = false;
    // a built base fixes the adapters' shapes now, so they can be loaded before any call
    if (base.built) {
      this.addAdapters();
      this.built = true;
    }
  }

  /** The update's scale, alpha/rank. */
  get scale(): number {
    return this.alpha / this.rank;
  }

  /** `[in, out]`: the base kernel seen as a matrix (read after the base is built). */
  protected abstract matrixShape(): [number, number];

  override build(inputShape: number[]): void {
    if (!this.base.built) this.base.build(inputShape);
    this.addAdapters();
  }

  private addAdapters(): void {
    const [inDim, outDim] = this.matrixShape();
    const bound = 1 / Math.sqrt(inDim);
    this.addWeight('loraA', [inDim, this.rank], new RandomUniform({ minval: -bound, maxval: bound, seed: this.seed }));
    this.addWeight('loraB', [this.rank, outDim], 'zeros');
  }

  /** The `[in, rank]` down-projection A (after build). */
  get loraA(): Tensor {
    return this.getWeight('loraA');
  }

  /** The `[rank, out]` up-projection B (after build; zeros at first). */
  get loraB(): Tensor {
    return this.getWeight('loraB');
  }

  /** The base layer's kernel K (after build). */
  protected baseKernel(): Tensor {
    return this.base.getWeight('kernel');
  }

  /** (alpha/rank)·A·B reshaped like the base kernel: the adapters' change of the kernel. */
  protected kernelDelta(): Tensor {
    return reshape(mul(matmul(this.loraA, this.loraB), this.scale), this.baseKernel().shape);
  }

  /** The base kernel with the adapters folded in, K + (alpha/rank)·reshape(A·B), as a new tensor. */
  mergedKernel(): Tensor {
    return noGrad(() => add(this.baseKernel(), this.kernelDelta()));
  }

  /** `x` with inverted dropout applied, in training and when `dropout > 0`; else `x`. */
  protected adapterInput(x: Tensor, training: boolean): Tensor {
    if (!training || this.dropout === 0) return x;
    const keep = bernoulli(1 - this.dropout, x.shape, { dtype: x.dtype, generator: this.generator });
    return mul(x, mul(keep, 1 / (1 - this.dropout)));
  }

  /** The base layer's output shape: the adapters change values, not shapes. */
  override computeOutputShape(inputShape: number[]): number[] {
    return this.base.computeOutputShape(inputShape);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), base: serializeLayer(this.base), rank: this.rank, alpha: this.alpha, dropout: this.dropout, seed: this.seed, baseWasTrainable: this.baseWasTrainable };
  }
}

/**
 * Rebuilds a LoRA wrapper from its config: the base layer from its own config, the wrapper by
 * `make` (the subclass's constructor, which checks the base's class), frozen again if it was.
 */
export function loraFromConfig<L extends LoRALayer>(config: Config, make: (base: Layer, opts: LoRALayerOptions) => L): L {
  // dtype comes from the base, so the wrapper's own is not passed on
  const { base, trainable, dtype, ...opts } = config;
  if (!isSerializedObject(base)) throw new ValueError(`LoRA layer: config.base must be the wrapped layer's { className, config }, got ${describeGiven(base)}`);
  const layer = make(layerFromConfig(base), opts as unknown as LoRALayerOptions);
  if (dtype !== undefined && dtype !== layer.dtype) {
    throw new ValueError(`${layer.describe()}: dtype must be its base layer's ('${layer.dtype}'), got ${describeGiven(dtype)}`);
  }
  // true is the default (and setting it would unfreeze the base): only a frozen wrapper is restored
  if (trainable !== undefined && !checkBoolean(layer.describe(), 'trainable', trainable)) layer.trainable = false;
  return layer;
}
