import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { fmt } from '../../../tensor/shape.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { add } from '../../../ops/binary.js';
import { serializeActivation, type ActivationFn } from '../../activations.js';
import type { Config, SerializedObject } from '../../config.js';
import { checkInteger } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { serializeInitializer, type Initializer } from '../../initializers.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { Dense } from '../dense.js';
import { Dropout } from '../dropout.js';
import { LayerNormalization } from '../layer-normalization.js';
import { MultiHeadAttention } from './multi-head-attention.js';

/** Options shared by `TransformerEncoderBlock` and `TransformerDecoderBlock`. */
export interface TransformerBlockOptions extends LayerOptions {
  /** Number of attention (query) heads. */
  numHeads: number;
  /** Hidden size of the MLP (e.g. 4× the model width). */
  ffDim: number;
  /** Size of each attention head (default: model width / numHeads, which must divide). */
  keyDim?: number;
  /** Key/value heads for grouped-query attention (default `numHeads`). */
  numKeyValueHeads?: number;
  /** Dropout on both residual branches (default 0). */
  dropout?: number;
  /** Dropout on the attention weights (default: `dropout`). */
  attentionDropout?: number;
  /** Epsilon of the layer norms (default 1e-5, as PyTorch and keras-hub). */
  normEpsilon?: number;
  /** Activation between the two MLP layers (default `'gelu'`, the exact erf form). */
  activation?: string | ActivationFn;
  /** Biases in the projections and the MLP (default true). */
  useBias?: boolean;
  /** Kernels of every Dense (default `'glorotUniform'`). */
  kernelInitializer?: Initializer | string | SerializedObject;
  /** Biases of every Dense (default `'zeros'`). */
  biasInitializer?: Initializer | string | SerializedObject;
  /** Rotary position embedding on the self-attention's queries and keys (default false). */
  rotaryEmbedding?: boolean;
  /** Seed of the dropout generators (default: the global generator). */
  seed?: number | null;
}

/**
 * The parts and settings every pre-norm transformer block shares: options validation, the
 * self-attention with its norm, the GELU MLP with its norm, residual dropout, and the config.
 * `x + drop(attn(norm1(x)))`, then `h + drop(dense2(act(dense1(norm2(h)))))`.
 */
export abstract class TransformerBlock extends Layer {
  readonly numHeads: number;
  readonly ffDim: number;
  readonly keyDim: number | null;
  readonly numKeyValueHeads: number;
  readonly dropoutRate: number;
  readonly attentionDropout: number;
  readonly normEpsilon: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly rotaryEmbedding: boolean;
  readonly seed: number | null;
  norm1: LayerNormalization | null = null;
  attention: MultiHeadAttention | null = null;
  norm2: LayerNormalization | null = null;
  dense1: Dense | null = null;
  dense2: Dense | null = null;
  dropout: Dropout | null = null;
  /** The model width, known after build. */
  protected width = 0;

  constructor(opts: TransformerBlockOptions) {
    super(opts);
    const cls = this.className;
    if (typeof opts !== 'object' || opts === null) throw new ValueError(`${cls}: expected options { numHeads, ffDim, ... }`);
    const o = readOptions(cls, opts);
    const positive = { ge: 1 };
    const rate = { ge: 0, lt: 1 };
    this.numHeads = checkInteger(cls, 'numHeads', opts.numHeads, positive);
    this.ffDim = checkInteger(cls, 'ffDim', opts.ffDim, positive);
    this.keyDim = o.integerOrNull('keyDim', positive);
    this.numKeyValueHeads = o.integer('numKeyValueHeads', this.numHeads, positive);
    if (this.numHeads % this.numKeyValueHeads !== 0) {
      throw new ValueError(`${cls}: numHeads (${this.numHeads}) must be a multiple of numKeyValueHeads (${this.numKeyValueHeads})`);
    }
    this.dropoutRate = o.number('dropout', 0, rate);
    this.attentionDropout = o.number('attentionDropout', this.dropoutRate, rate);
    this.normEpsilon = o.number('normEpsilon', 1e-5, { gt: 0 });
    this.activation = o.activation('activation', 'gelu');
    this.useBias = o.boolean('useBias', true);
    this.kernelInitializer = o.initializer('kernelInitializer', 'glorotUniform');
    this.biasInitializer = o.initializer('biasInitializer', 'zeros');
    this.rotaryEmbedding = o.boolean('rotaryEmbedding', false);
    this.seed = o.seed('seed');
  }

  /** A layer norm over the features with this block's epsilon. */
  protected norm(): LayerNormalization {
    return new LayerNormalization({ epsilon: this.normEpsilon, dtype: this.dtype });
  }

  /** An attention layer with this block's heads and settings; `seedOffset` keeps dropout streams apart. */
  protected mha(causal: boolean, seedOffset: number, rotaryEmbedding = false): MultiHeadAttention {
    return new MultiHeadAttention({
      numHeads: this.numHeads,
      numKeyValueHeads: this.numKeyValueHeads,
      keyDim: this.keyDim ?? this.width / this.numHeads,
      dropout: this.attentionDropout,
      useBias: this.useBias,
      causal,
      rotaryEmbedding,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      seed: this.seed === null ? null : this.seed + seedOffset,
      dtype: this.dtype,
    });
  }

  /** Checks `[batch, time, width]` and creates the norms, self-attention and MLP. */
  protected buildCommon(inputShape: number[], causal: boolean): void {
    const width = inputShape[inputShape.length - 1];
    if (inputShape.length !== 3 || width === undefined) {
      throw new ShapeError(`${this.describe()}: expects inputs [batch, time, features], got shape ${fmt(inputShape)}`);
    }
    if (this.keyDim === null && width % this.numHeads !== 0) {
      throw new ValueError(`${this.describe()}: the model width ${width} is not divisible by numHeads ${this.numHeads}; give keyDim explicitly`);
    }
    this.width = width;
    const dense = (units: number, activation: ActivationFn | null) =>
      new Dense(units, { activation, useBias: this.useBias, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer, dtype: this.dtype });
    this.norm1 = this.norm();
    this.attention = this.mha(causal, 0, this.rotaryEmbedding);
    this.norm2 = this.norm();
    this.dense1 = dense(this.ffDim, this.activation);
    this.dense2 = dense(width, null);
    this.dropout = new Dropout(this.dropoutRate, { seed: this.seed, dtype: this.dtype });
  }

  /** Checks that `x` is `[batch, time, width]` for the width the block was built for. */
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 3 || x.shape[2] !== this.width) {
      throw new ShapeError(`${this.describe()}: expects inputs [batch, time, ${this.width}], got shape ${fmt(x.shape)}`);
    }
  }

  /** `h + drop(mlp(norm2(h)))`. */
  protected feedForward(h: Tensor, training: boolean): Tensor {
    const y = this.dense2!.apply(this.dense1!.apply(this.norm2!.apply(h)));
    return add(h, this.dropout!.apply(y, training));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      ffDim: this.ffDim,
      keyDim: this.keyDim,
      numKeyValueHeads: this.numKeyValueHeads,
      dropout: this.dropoutRate,
      attentionDropout: this.attentionDropout,
      normEpsilon: this.normEpsilon,
      activation: serializeActivation(this.activation, this.describe()),
      useBias: this.useBias,
      rotaryEmbedding: this.rotaryEmbedding,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      seed: this.seed,
    };
  }
}
