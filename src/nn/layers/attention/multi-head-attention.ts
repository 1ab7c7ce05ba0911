import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { fmt } from '../../../tensor/shape.js';
import { Tensor } from '../../../tensor/tensor.js';
import { Generator } from '../../../tensor/random.js';
import { scaledDotProductAttention } from '../../../ops/attention.js';
import { attentionComposite, attentionScores, attentionWeights } from '../../../ops/attention-composite.js';
import { add, cast, eq, where } from '../../../ops/binary.js';
import { permute, reshape, unsqueeze } from '../../../ops/movement.js';
import { getMask, registerMaskPassthrough } from '../../mask.js';
import type { Config, SerializedObject } from '../../config.js';
import { checkInteger } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { serializeInitializer, type Initializer } from '../../initializers.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { serializeRegularizer, type Regularizer } from '../../regularizers.js';
import { Dense } from '../dense.js';
import { KVCache } from './kv-cache.js';
import { applyRotaryEmbedding } from './rotary-embedding.js';

/** Options of `MultiHeadAttention` (Keras names and defaults, plus `numKeyValueHeads` and `causal`). */
export interface MultiHeadAttentionOptions extends LayerOptions {
  /** Number of query heads. */
  numHeads: number;
  /** Size of each query and key head. */
  keyDim: number;
  /** Size of each value head (default `keyDim`). */
  valueDim?: number;
  /**
   * Number of key/value heads (default `numHeads`); fewer gives grouped-query attention (Keras'
   * `GroupedQueryAttention`), 1 multi-query attention. Must divide `numHeads`.
   */
  numKeyValueHeads?: number;
  /** Dropout rate on the attention weights in training (default 0). */
  dropout?: number;
  /** Biases in the four projections (default true). */
  useBias?: boolean;
  /** Size of the output's last axis (default: the query's last axis). */
  outputShape?: number | null;
  /** Whether `apply(x)` (self-attention) hides later positions (default false). */
  causal?: boolean;
  /**
   * Rotate queries and keys by their positions (RoPE, `applyRotaryEmbedding`, wavelength 10000)
   * before attending; positions continue from the cache length. Needs an even `keyDim`. Default false.
   */
  rotaryEmbedding?: boolean;
  /** Projection kernels (default `'glorotUniform'`). */
  kernelInitializer?: Initializer | string | SerializedObject;
  /** Projection biases (default `'zeros'`). */
  biasInitializer?: Initializer | string | SerializedObject;
  kernelRegularizer?: Regularizer | string | SerializedObject | null;
  biasRegularizer?: Regularizer | string | SerializedObject | null;
  /** Seed of the attention-dropout generator (default: the global generator). */
  seed?: number | null;
}

/** The full attention call of `MultiHeadAttention.attend` (Keras' `call` arguments). */
export interface AttendOptions {
  /** Keys input `[batch, keys, features]` (default: `value`). */
  key?: Tensor;
  /**
   * Which keys each query may attend to: bool `[batch, queries, keys]` (Keras), `[queries, keys]`,
   * or `[batch, heads, queries, keys]`; true = may attend. Float masks are added to the scores.
   * With a cache, `keys` counts the cached positions too. Padding masks attached to the query and
   * value (`Embedding({ maskZero: true })`, `Masking`) are combined with it, as in Keras (not
   * with a cache, whose keys they do not cover).
   */
  attentionMask?: Tensor | null;
  /** Hide later positions: query i sees keys up to `i + keys − queries` (default: the layer's `causal`). */
  useCausalMask?: boolean;
  /** Dropout on; left out, inherited as by `apply` (the enclosing call's flag, else `train()`/`eval()`, else false). */
  training?: boolean;
  /** A key/value cache (see `KVCache`): new keys/values are appended to it and all cached ones are attended. */
  cache?: KVCache;
}

/** The output, and the attention weights `[batch, heads, queries, keys]` (after softmax, before dropout). */
export interface AttentionResult {
  output: Tensor;
  scores: Tensor;
}

/**
 * Multi-head attention (Vaswani et al. 2017) with Keras' arguments: queries, keys and values are
 * projected to `numHeads` heads of `keyDim` (`valueDim`) features, attended with
 * `scaledDotProductAttention` (one fused op), and the heads projected back to `outputShape`.
 * Grouped-query attention: `numKeyValueHeads < numHeads` shares each key/value head among
 * `numHeads / numKeyValueHeads` query heads.
 *
 * `apply(x)` is self-attention (causal with `causal: true`); `attend(query, value, {...})` is
 * the full call (cross-attention, masks, attention scores, key/value cache).
 *
 * Weights: `queryDense`, `keyDense`, `valueDense`, `outputDense` (each a Dense: kernel
 * `[in, heads·dim]`, bias).
 *
 * @example
 * const mha = new nn.layers.MultiHeadAttention({ numHeads: 4, keyDim: 16, causal: true });
 * mha.apply(nb.randn([2, 10, 64]))                             // [2, 10, 64]
 * mha.attend(x, encoderOut, { attentionMask })                 // cross-attention
 */
export class MultiHeadAttention extends Layer {
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly numKeyValueHeads: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number | null;
  readonly causal: boolean;
  readonly rotaryEmbedding: boolean;
  readonly seed: number | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  queryDense: Dense | null = null;
  keyDense: Dense | null = null;
  valueDense: Dense | null = null;
  outputDense: Dense | null = null;
  private readonly generator: Generator | undefined;

  constructor(opts: MultiHeadAttentionOptions) {
    super(opts);
    if (typeof opts !== 'object' || opts === null) throw new ValueError('MultiHeadAttention: expected options { numHeads, keyDim, ... }');
    const o = readOptions('MultiHeadAttention', opts);
    const positive = { ge: 1 };
    this.numHeads = checkInteger('MultiHeadAttention', 'numHeads', opts.numHeads, positive);
    this.keyDim = checkInteger('MultiHeadAttention', 'keyDim', opts.keyDim, positive);
    this.valueDim = o.integer('valueDim', this.keyDim, positive);
    this.numKeyValueHeads = o.integer('numKeyValueHeads', this.numHeads, positive);
    if (this.numHeads % this.numKeyValueHeads !== 0) {
      throw new ValueError(`MultiHeadAttention: numHeads (${this.numHeads}) must be a multiple of numKeyValueHeads (${this.numKeyValueHeads})`);
    }
    this.dropout = o.number('dropout', 0, { ge: 0, lt: 1 });
    this.useBias = o.boolean('useBias', true);
    this.outputShape = o.integerOrNull('outputShape', positive);
    this.causal = o.boolean('causal', false);
    this.rotaryEmbedding = o.boolean('rotaryEmbedding', false);
    if (this.rotaryEmbedding && this.keyDim % 2 !== 0) throw new ValueError(`MultiHeadAttention: rotaryEmbedding needs an even keyDim, got ${this.keyDim}`);
    this.seed = o.seed('seed');
    this.generator = this.seed === null ? undefined : new Generator(this.seed);
    this.kernelInitializer = o.initializer('kernelInitializer', 'glorotUniform');
    this.biasInitializer = o.initializer('biasInitializer', 'zeros');
    this.kernelRegularizer = o.regularizer('kernelRegularizer');
    this.biasRegularizer = o.regularizer('biasRegularizer');
  }

  private dense(units: number): Dense {
    return new Dense(units, {
      useBias: this.useBias,
      dtype: this.dtype,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      kernelRegularizer: this.kernelRegularizer,
      biasRegularizer: this.biasRegularizer,
    });
  }

  /** Creates the four projections for queries of `queryShape` (`[batch, time, features]`). */
  override build(queryShape: number[]): void {
    const features = queryShape[queryShape.length - 1];
    if (queryShape.length !== 3 || features === undefined) {
      throw new ShapeError(`${this.describe()}: expects inputs [batch, time, features], got shape ${fmt(queryShape)}`);
    }
    this.queryDense = this.dense(this.numHeads * this.keyDim);
    this.keyDense = this.dense(this.numKeyValueHeads * this.keyDim);
    this.valueDense = this.dense(this.numKeyValueHeads * this.valueDim);
    this.outputDense = this.dense(this.outputShape ?? features);
  }

  /** An empty key/value cache for incremental decoding with `attend(..., { cache })`. */
  createCache(): KVCache {
    return new KVCache();
  }

  /** Self-attention: `attend(x, x, { useCausalMask: causal, training })`. */
  call(x: Tensor, training = false): Tensor {
    return this.attend(x, x, { training });
  }

  /** `[batch, time, features]` → `[batch, heads, time, dim]` through `dense` (a view: no copy). */
  private project(dense: Dense, x: Tensor, heads: number, dim: number, what: string): Tensor {
    if (!(x instanceof Tensor) || x.ndim !== 3) {
      throw new ShapeError(`${this.describe()}: ${what} must be a 3-D tensor [batch, time, features], got ${x instanceof Tensor ? `shape ${fmt(x.shape)}` : String(x)}`);
    }
    const y = dense.apply(x);
    return permute(reshape(y, [x.shape[0]!, x.shape[1]!, heads, dim]), [0, 2, 1, 3]);
  }

  /**
   * Keras' implicit mask: query i may see key j when both are real (not padding) steps, from the
   * `[batch, time]` masks attached to the query and value (or key); null when neither has one.
   */
  private paddingMask(query: Tensor, value: Tensor, key: Tensor | undefined): Tensor | null {
    const qm = getMask(query);
    const vm = key ? getMask(key) ?? getMask(value) : getMask(value);
    if (!qm && !vm) return null;
    const rows = qm ? cast(unsqueeze(qm, 2), 'int32') : 1;
    const cols = vm ? cast(unsqueeze(vm, 1), 'int32') : 1;
    // [batch, queries, 1] and [batch, 1, keys] → [batch, 1, queries, keys]: both real
    return unsqueeze(eq(add(rows, cols), 2), 1);
  }

  /** The user's mask as `[batch or 1, heads or 1, queries, keys]`, checked against the sizes. */
  private attentionMask(mask: Tensor, batch: number, queries: number, keys: number): Tensor {
    const want = mask.ndim === 4 ? [batch, this.numHeads, queries, keys] : [batch, queries, keys].slice(3 - mask.ndim);
    const ok = mask.ndim >= 2 && mask.ndim <= 4 && mask.shape.every((d, i) => d === want[i] || d === 1);
    if (!ok) {
      throw new ShapeError(
        `${this.describe()}: attentionMask of shape ${fmt(mask.shape)} does not fit [batch, queries, keys] = ${fmt([batch, queries, keys])} ` +
          '(also accepted: [queries, keys] or [batch, heads, queries, keys]; keys include cached positions)',
      );
    }
    return mask.ndim === 3 ? unsqueeze(mask, 1) : mask;
  }

  /**
   * The full attention call: queries from `query` `[batch, queries, features]`, keys from
   * `opts.key` (default `value`) and values from `value` `[batch, keys, features]`. Returns
   * `[batch, queries, outputShape]`, or with `returnAttentionScores` the output and the weights.
   */
  attend(query: Tensor, value: Tensor, opts: AttendOptions & { returnAttentionScores: true }): AttentionResult;
  attend(query: Tensor, value: Tensor, opts?: AttendOptions & { returnAttentionScores?: false }): Tensor;
  attend(query: Tensor, value: Tensor, opts: AttendOptions & { returnAttentionScores?: boolean } = {}): Tensor | AttentionResult {
    if (!(query instanceof Tensor)) throw new ValueError(`${this.describe()}: query must be a Tensor`);
    if (!this.built) this.build(query.shape.slice());
    let q = this.project(this.queryDense!, query, this.numHeads, this.keyDim, 'query');
    let k = this.project(this.keyDense!, opts.key ?? value, this.numKeyValueHeads, this.keyDim, opts.key ? 'key' : 'value');
    let v = this.project(this.valueDense!, value, this.numKeyValueHeads, this.valueDim, 'value');
    if (k.shape[0] !== q.shape[0] || v.shape[2] !== k.shape[2]) {
      throw new ShapeError(`${this.describe()}: query ${fmt(query.shape)}, value ${fmt(value.shape)} and key ${fmt((opts.key ?? value).shape)} must share the batch size, and key and value the time axis`);
    }
    if (this.rotaryEmbedding) {
      const rope = { sequenceAxis: 2, startIndex: opts.cache?.length ?? 0 };
      q = applyRotaryEmbedding(q, rope);
      k = applyRotaryEmbedding(k, rope);
    }
    if (opts.cache) ({ keys: k, values: v } = opts.cache.append(k, v));
    const [batch, , queries] = q.shape as [number, number, number];
    let mask = opts.attentionMask ? this.attentionMask(opts.attentionMask, batch, queries, k.shape[2]!) : undefined;
    const padding = opts.cache ? null : this.paddingMask(query, value, opts.key);
    if (padding) {
      if (!mask) mask = padding;
      else mask = mask.dtype === 'bool' ? eq(add(cast(mask, 'int32'), cast(padding, 'int32')), 2) : where(padding, mask, -Infinity);
    }
    const causal = opts.useCausalMask ?? this.causal;
    const training = this.resolveTraining(opts.training);
    let out: Tensor;
    let scores: Tensor | undefined;
    if (opts.returnAttentionScores) {
      const params = { scale: 1 / Math.sqrt(this.keyDim), causal };
      scores = attentionWeights(attentionScores(q, k, mask, params));
      out = attentionComposite(q, k, v, mask, params, training ? { rate: this.dropout, generator: this.generator } : undefined);
    } else {
      out = scaledDotProductAttention(q, k, v, { mask, causal, dropout: this.dropout, training, generator: this.generator });
    }
    // [batch, heads, queries, valueDim] → [batch, queries, heads·valueDim] → output projection
    const merged = reshape(permute(out, [0, 2, 1, 3]), [batch, queries, this.numHeads * this.valueDim]);
    const output = this.outputDense!.apply(merged);
    return scores ? { output, scores } : output;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.outputShape ?? inputShape[inputShape.length - 1]!];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      numKeyValueHeads: this.numKeyValueHeads,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputShape,
      causal: this.causal,
      rotaryEmbedding: this.rotaryEmbedding,
      seed: this.seed,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }

  static override fromConfig(config: Config): MultiHeadAttention {
    return new MultiHeadAttention(config as unknown as MultiHeadAttentionOptions);
  }
}

registerLayer(MultiHeadAttention);
registerMaskPassthrough('MultiHeadAttention');
