/**
 * A GPT (decoder-only transformer language model, Radford et al. 2018/2019), as nanoGPT builds it:
 * token and learned position embeddings → N pre-norm decoder blocks (`TransformerDecoderBlock`:
 * causal self-attention, GELU MLP) → final layer norm → logits, the output projection tied to the
 * token embedding by default.
 */
import { checkpoint } from '../autograd/checkpoint.js';
import { noGrad } from '../tensor/grad-mode.js';
import { Model } from '../model/model.js';
import { assignInPlace } from '../nn/assign.js';
import type { Config } from '../nn/config.js';
import { readOptions } from '../nn/config-options.js';
import { RandomNormal } from '../nn/initializers.js';
import { registerLayer } from '../nn/layer-registry.js';
import { KVCache } from '../nn/layers/attention/kv-cache.js';
import { PositionEmbedding } from '../nn/layers/attention/position-embedding.js';
import { TransformerDecoderBlock } from '../nn/layers/attention/transformer-decoder-block.js';
import { Dense } from '../nn/layers/dense.js';
import { Embedding } from '../nn/layers/embedding.js';
import { LayerNormalization } from '../nn/layers/layer-normalization.js';
import { add, mul } from '../ops/binary.js';
import { matmul } from '../ops/matmul.js';
import { transpose } from '../ops/movement.js';
import { zeros } from '../tensor/creation.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options of {@link GPT}; the defaults are nanoGPT's small character model. */
export interface GPTOptions {
  /** Number of token ids. */
  vocabSize: number;
  /** Longest sequence (the number of learned positions). */
  contextLength: number;
  /** Decoder blocks (default 4). */
  numLayers?: number;
  /** Attention heads per block (default 4); must divide embedDim. */
  numHeads?: number;
  /** Width of the embeddings and of the residual stream (default 128). */
  embedDim?: number;
  /** Share the token embedding with the output projection (default true, as GPT-2). */
  tieWeights?: boolean;
  /** Biases in the dense layers (default false, as nanoGPT's `bias=False`; the layer norms keep their offsets). */
  useBias?: boolean;
  /** Recompute each block's activations in backward instead of keeping them (default false). */
  gradientCheckpointing?: boolean;
  name?: string;
}

/** The key/value cache of a GPT: one `KVCache` per block, and the positions it holds. */
export interface GPTCache {
  blocks: KVCache[];
  length: number;
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ValueError(`GPT: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * A GPT language model: int32 ids `[batch, time]` (time ≤ contextLength) → next-token logits
 * `[batch, time, vocabSize]`. Weights start as in GPT-2: normal(0, 0.02), the two residual
 * projections of each block (attention output, second MLP layer) scaled by 1/√(2·numLayers).
 * Saves and loads with `model.save` / `nb.loadModel`.
 *
 * @example
 * const gpt = new nb.models.GPT({ vocabSize: 65, contextLength: 64 });
 * gpt.apply(nb.tensor([[0, 1, 2]], { dtype: 'int32' }))   // [1, 3, 65]
 */
export class GPT extends Model {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly embedDim: number;
  readonly tieWeights: boolean;
  readonly useBias: boolean;
  /** Whether training recomputes block activations in backward (may be switched at any time). */
  gradientCheckpointing: boolean;
  tokenEmbedding: Embedding;
  positionEmbedding: PositionEmbedding;
  blocks: TransformerDecoderBlock[];
  finalNorm: LayerNormalization;
  head: Dense | null;

  constructor(opts: GPTOptions) {
    super({ name: opts?.name });
    if (typeof opts !== 'object' || opts === null) throw new ValueError('GPT: pass options { vocabSize, contextLength, ... }');
    this.vocabSize = positiveInt('vocabSize', opts.vocabSize);
    this.contextLength = positiveInt('contextLength', opts.contextLength);
    this.numLayers = positiveInt('numLayers', opts.numLayers ?? 4);
    this.numHeads = positiveInt('numHeads', opts.numHeads ?? 4);
    this.embedDim = positiveInt('embedDim', opts.embedDim ?? 128);
    if (this.embedDim % this.numHeads !== 0) throw new ValueError(`GPT: embedDim ${this.embedDim} must be a multiple of numHeads ${this.numHeads}`);
    const o = readOptions('GPT', opts);
    this.tieWeights = o.boolean('tieWeights', true);
    this.useBias = o.boolean('useBias', false);
    this.gradientCheckpointing = o.boolean('gradientCheckpointing', false);
    const init = () => new RandomNormal({ stddev: 0.02 });
    this.tokenEmbedding = new Embedding(this.vocabSize, this.embedDim, { embeddingsInitializer: init() });
    this.positionEmbedding = new PositionEmbedding(this.contextLength, { initializer: init() });
    this.blocks = Array.from(
      { length: this.numLayers },
      () => new TransformerDecoderBlock({ numHeads: this.numHeads, ffDim: 4 * this.embedDim, useBias: this.useBias, kernelInitializer: init(), normEpsilon: 1e-5 }),
    );
    this.finalNorm = new LayerNormalization({ epsilon: 1e-5 });
    this.head = this.tieWeights ? null : new Dense(this.vocabSize, { useBias: false, kernelInitializer: init() });
  }

  private checkIds(ids: Tensor, start: number): void {
    if (ids.ndim !== 2) throw new ShapeError(`GPT: expected token ids of shape [batch, time], got ${fmt(ids.shape)}`);
    const t = ids.shape[1]!;
    if (start + t > this.contextLength) {
      const what = start === 0 ? `a sequence of ${t} tokens` : `${t} more tokens after the ${start} in the cache`;
      throw new ShapeError(`GPT: ${what} exceed the context length ${this.contextLength}; crop the input to its last ${this.contextLength} tokens`);
    }
  }

  /**
   * Creates every weight with one token through the network, then scales the residual
   * projections' initial weights by 1/√(2·numLayers) (GPT-2), so the residual stream's variance
   * does not grow with depth.
   */
  override build(): void {
    noGrad(() => this.forward(zeros([1, 1], { dtype: 'int32' }), false));
    const scale = 1 / Math.sqrt(2 * this.numLayers);
    for (const block of this.blocks) {
      for (const dense of [block.attention!.outputDense!, block.dense2!]) assignInPlace(dense.kernel, noGrad(() => mul(dense.kernel, scale)), 'GPT.build');
    }
  }

  private embed(ids: Tensor, start: number): Tensor {
    const tokens = this.tokenEmbedding.apply(ids);
    return add(tokens, start === 0 ? this.positionEmbedding.apply(tokens) : this.positionEmbedding.positions(tokens, start));
  }

  private logits(x: Tensor): Tensor {
    const h = this.finalNorm.apply(x);
    return this.head ? this.head.apply(h) : matmul(h, transpose(this.tokenEmbedding.embeddings, [1, 0]));
  }

  call(ids: Tensor, training = false): Tensor {
    this.checkIds(ids, 0);
    return this.forward(ids, training);
  }

  private forward(ids: Tensor, training: boolean): Tensor {
    let x = this.embed(ids, 0);
    for (const block of this.blocks) {
      x = training && this.gradientCheckpointing ? checkpoint((h) => block.apply(h, true), x) : block.apply(x, training);
    }
    return this.logits(x);
  }

  /** An empty key/value cache for {@link GPT.applyWithCache} (used by `nb.text.generate`). */
  createCache(): GPTCache {
    return { blocks: this.blocks.map((b) => b.createCache()), length: 0 };
  }

  /**
   * Logits `[batch, n, vocabSize]` for ids `[batch, n]` that follow the positions already in
   * `cache`; their keys and values are added to it, so the next call only feeds the new token.
   */
  applyWithCache(ids: Tensor, cache: unknown): Tensor {
    const c = cache as GPTCache;
    if (typeof c !== 'object' || c === null || !Array.isArray(c.blocks) || c.blocks.length !== this.numLayers) {
      throw new ValueError('GPT.applyWithCache: the cache must come from this model\'s createCache()');
    }
    this.checkIds(ids, c.length);
    if (!this.built) this.apply(ids, false);
    let x = this.embed(ids, c.length);
    this.blocks.forEach((block, i) => {
      x = block.attendCached(x, c.blocks[i]!);
    });
    c.length += ids.shape[1]!;
    return this.logits(x);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape, this.vocabSize];
  }

  override getConfig(): Config {
    return {
      name: this.name,
      vocabSize: this.vocabSize,
      contextLength: this.contextLength,
      numLayers: this.numLayers,
      numHeads: this.numHeads,
      embedDim: this.embedDim,
      tieWeights: this.tieWeights,
      useBias: this.useBias,
      gradientCheckpointing: this.gradientCheckpointing,
    };
  }

  static override fromConfig(config: Config): GPT {
    return new GPT(config as unknown as GPTOptions);
  }
}

registerLayer(GPT);
