/**
 * What the layers with kernels and a bias share (Dense, the convolutions): the activation, the
 * bias flag, and each weight's initializer and regularizer — the options, their validation, the
 * weights and the config entries, written once.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { serializeActivation, type ActivationFn } from '../activations.js';
import type { Config, SerializedObject } from '../config.js';
import { readOptions } from '../config-options.js';
import { serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { serializeRegularizer, type Regularizer } from '../regularizers.js';

/** A weight's initializer as options take it: a name, an Initializer or `{ className, config }`. */
export type InitializerSpec = Initializer | string | SerializedObject;
/** A weight's penalty as options take it: a name, a Regularizer or `{ className, config }`; null: none. */
export type RegularizerSpec = Regularizer | string | SerializedObject | null;

/** The activation and bias options of a `WeightedLayer`. */
export interface ActivationBiasOptions {
  /** Applied to the output (a name such as `'relu'`, or a function). Default none (linear). */
  activation?: string | ActivationFn | null;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerSpec;
  /** Penalty on the bias (default none). */
  biasRegularizer?: RegularizerSpec;
}

/** The options of the kernel of `Dense` and the convolutions. */
export interface KernelOptions {
  /** Default `'glorotUniform'`. */
  kernelInitializer?: InitializerSpec;
  /** Penalty on the kernel (default none). */
  kernelRegularizer?: RegularizerSpec;
}

/** The options of a depthwise kernel (`DepthwiseConv2D`, `SeparableConv2D`). */
export interface DepthwiseKernelOptions {
  /** Default `'glorotUniform'`. */
  depthwiseInitializer?: InitializerSpec;
  /** Penalty on the depthwise kernel (default none). */
  depthwiseRegularizer?: RegularizerSpec;
}

/** The options of `SeparableConv2D`'s 1×1 kernel. */
export interface PointwiseKernelOptions {
  /** Default `'glorotUniform'`. */
  pointwiseInitializer?: InitializerSpec;
  /** Penalty on the pointwise kernel (default none). */
  pointwiseRegularizer?: RegularizerSpec;
}

/** `<k>Initializer` and `<k>Regularizer` for each kernel `k` of `K`, and the bias's: what `WeightedLayer` reads. */
export type WeightOptions<K extends string> = LayerOptions &
  ActivationBiasOptions &
  { [W in K as `${W}Initializer`]?: InitializerSpec } &
  { [W in K as `${W}Regularizer`]?: RegularizerSpec };

/**
 * A layer with kernels `K` (`'kernel'`, or `'depthwise' | 'pointwise'`) and a bias, each taking an
 * initializer and a regularizer option, with an activation and a `useBias` flag. The subclass
 * names its kernels and their default initializers once, adds its weights with `addWeightOf` and
 * `addBias`, and spreads `weightConfig()` in its config.
 *
 * @example
 * class Scale extends WeightedLayer<'kernel'> {
 *   constructor(opts: WeightOptions<'kernel'> = {}) { super(opts, { kernel: 'ones' }); }
 *   build(shape: number[]) { this.addWeightOf('kernel', 'kernel', [shape.at(-1)!]); this.addBias(shape.at(-1)!); }
 * }
 */
export abstract class WeightedLayer<K extends string> extends Layer {
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  /** Each weight's initializer (`initializers.kernel`, `initializers.bias`). */
  readonly initializers: Readonly<Record<K | 'bias', Initializer>>;
  /** Each weight's penalty, or null (`regularizers.kernel`). */
  readonly regularizers: Readonly<Record<K | 'bias', Regularizer | null>>;

  /** `kernels` gives each kernel's default initializer, in the order the config lists them; the bias's is zeros. */
  protected constructor(opts: WeightOptions<K>, kernels: Readonly<Record<K, string>>) {
    super(opts);
    // the mapped option names are not indexable by a template string in the type system
    const o = readOptions<Record<string, unknown>>(this.className, opts);
    this.activation = o.activation('activation', null);
    this.useBias = o.boolean('useBias', true);
    const defaults: Record<string, string> = { ...kernels, bias: 'zeros' };
    const initializers: Record<string, Initializer> = {};
    const regularizers: Record<string, Regularizer | null> = {};
    for (const [w, init] of Object.entries(defaults)) {
      initializers[w] = o.initializer(`${w}Initializer`, init);
      regularizers[w] = o.regularizer(`${w}Regularizer`);
    }
    this.initializers = initializers as Record<K | 'bias', Initializer>;
    this.regularizers = regularizers as Record<K | 'bias', Regularizer | null>;
  }

  /** The bias (after build), or null with `useBias: false`. */
  get bias(): Tensor | null {
    return this.useBias ? this.getWeight('bias') : null;
  }

  /** Keras' name for `initializers.bias`. */
  get biasInitializer(): Initializer {
    return this.initializers.bias;
  }

  /** Keras' name for `regularizers.bias`. */
  get biasRegularizer(): Regularizer | null {
    return this.regularizers.bias;
  }

  /** Adds the weight `name` of `shape`, made by kernel `k`'s initializer and penalized by its regularizer. */
  protected addWeightOf(k: K, name: string, shape: readonly number[]): Tensor {
    return this.addWeight(name, shape, this.initializers[k], { regularizer: this.regularizers[k] });
  }

  /** Adds the `[size]` bias, unless `useBias` is false. */
  protected addBias(size: number): void {
    if (this.useBias) this.addWeight('bias', [size], this.initializers.bias, { regularizer: this.regularizers.bias });
  }

  /** `activation`, `useBias`, then every `<w>Initializer`, then every `<w>Regularizer` (the bias's last), as config entries. */
  protected weightConfig(): Config {
    const config: Config = { activation: serializeActivation(this.activation, this.describe()), useBias: this.useBias };
    const names = Object.keys(this.initializers) as (K | 'bias')[];
    for (const w of names) config[`${w}Initializer`] = serializeInitializer(this.initializers[w]);
    for (const w of names) config[`${w}Regularizer`] = serializeRegularizer(this.regularizers[w]);
    return config;
  }
}
