import { ValueError } from '../../../tensor/errors.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { add } from '../../../ops/binary.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import type { LayerNormalization } from '../layer-normalization.js';
import { registerLayer } from '../../layer-registry.js';
import { registerMaskPassthrough } from '../../mask.js';
import { KVCache } from './kv-cache.js';
import type { MultiHeadAttention } from './multi-head-attention.js';
import { TransformerBlock, type TransformerBlockOptions } from './transformer-block.js';

/** Options of `TransformerDecoderBlock`. */
export interface TransformerDecoderBlockOptions extends TransformerBlockOptions {
  /** Hide later positions in the self-attention (default true). */
  causal?: boolean;
  /** Add a cross-attention to an encoder output between self-attention and MLP (default false: decoder-only, GPT). */
  crossAttention?: boolean;
}

/** Per-call options of `TransformerDecoderBlock.decode`. */
export interface DecodeOptions {
  /** The encoder output `[batch, sourceTime, features]` (required with `crossAttention`). */
  encoderOutput?: Tensor;
  /** Extra mask for the self-attention (combined with the causal one). */
  selfAttentionMask?: Tensor | null;
  /** Mask for the cross-attention, e.g. the source padding `[batch, 1, sourceTime]`. */
  crossAttentionMask?: Tensor | null;
  /** Key/value cache of the self-attention (from `createCache()`), for incremental decoding. */
  cache?: KVCache;
  /** Dropout on; left out, inherited as by `apply` (the enclosing call's flag, else `train()`/`eval()`, else false). */
  training?: boolean;
}

/**
 * A pre-norm transformer decoder block: causal self-attention, optionally cross-attention to an
 * encoder output, and the GELU MLP, each as `x + drop(f(LN(x)))`. With `crossAttention: false`
 * (the default) it is the block of a decoder-only model such as GPT.
 *
 * Incremental decoding: make one cache per block with `createCache()`, run the prompt through
 * `attendCached(prompt, cache)`, then one new position at a time; each step attends over all
 * cached positions and gives the same output as a full causal pass.
 *
 * @example
 * const block = new nn.layers.TransformerDecoderBlock({ numHeads: 4, ffDim: 512 });
 * block.apply(nb.randn([2, 16, 128]))                       // causal self-attention + MLP
 * const cache = block.createCache();
 * block.attendCached(prompt, cache); block.attendCached(nextToken, cache);
 */
export class TransformerDecoderBlock extends TransformerBlock {
  readonly causal: boolean;
  /** Whether the block has a cross-attention (the `crossAttention` option). */
  readonly useCrossAttention: boolean;
  crossNorm: LayerNormalization | null = null;
  crossAttention: MultiHeadAttention | null = null;

  constructor(opts: TransformerDecoderBlockOptions) {
    super(opts);
    const o = readOptions('TransformerDecoderBlock', opts);
    this.causal = o.boolean('causal', true);
    this.useCrossAttention = o.boolean('crossAttention', false);
  }

  override build(inputShape: number[]): void {
    this.buildCommon(inputShape, this.causal);
    if (this.useCrossAttention) {
      this.crossNorm = this.norm();
      this.crossAttention = this.mha(false, 1);
    }
  }

  /** An empty key/value cache for this block's self-attention (one per block and sequence batch). */
  createCache(): KVCache {
    return new KVCache();
  }

  call(x: Tensor, training = false): Tensor {
    return this.decode(x, { training });
  }

  /** The block on new positions `x` `[batch, n, width]` with a cache: appends their keys/values and attends over all cached. */
  attendCached(x: Tensor, cache: KVCache, opts: Omit<DecodeOptions, 'cache'> = {}): Tensor {
    return this.decode(x, { ...opts, cache });
  }

  /** The block with an encoder output, masks and/or a cache. */
  decode(x: Tensor, opts: DecodeOptions = {}): Tensor {
    if (!this.built) this.build(x.shape.slice());
    this.checkInput(x);
    const training = this.resolveTraining(opts.training);
    const n1 = this.norm1!.apply(x);
    const a = this.attention!.attend(n1, n1, { attentionMask: opts.selfAttentionMask, cache: opts.cache, training });
    let h = add(x, this.dropout!.apply(a, training));
    if (this.useCrossAttention) {
      if (!opts.encoderOutput) {
        throw new ValueError(`${this.describe()}: was built with crossAttention and needs the encoder output: call decode(x, { encoderOutput })`);
      }
      const c = this.crossAttention!.attend(this.crossNorm!.apply(h), opts.encoderOutput, { attentionMask: opts.crossAttentionMask, training });
      h = add(h, this.dropout!.apply(c, training));
    } else if (opts.encoderOutput) {
      throw new ValueError(`${this.describe()}: got an encoderOutput but was built without cross-attention; pass crossAttention: true`);
    }
    return this.feedForward(h, training);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), causal: this.causal, crossAttention: this.useCrossAttention };
  }

  static override fromConfig(config: Config): TransformerDecoderBlock {
    return new TransformerDecoderBlock(config as unknown as TransformerDecoderBlockOptions);
  }
}

registerLayer(TransformerDecoderBlock);
registerMaskPassthrough('TransformerDecoderBlock');
