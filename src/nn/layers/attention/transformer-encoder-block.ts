import type { Tensor } from '../../../tensor/tensor.js';
import { add } from '../../../ops/binary.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { registerLayer } from '../../layer-registry.js';
import { registerMaskPassthrough } from '../../mask.js';
import { TransformerBlock, type TransformerBlockOptions } from './transformer-block.js';

/** Options of `TransformerEncoderBlock`. */
export interface TransformerEncoderBlockOptions extends TransformerBlockOptions {
  /** Hide later positions in the self-attention (default false: every position sees every other). */
  causal?: boolean;
}

/** Per-call options of `TransformerEncoderBlock.encode`. */
export interface EncodeOptions {
  /** Which keys each query may attend to (see `MultiHeadAttention.attend`), e.g. a padding mask `[batch, 1, time]`. */
  attentionMask?: Tensor | null;
  /** Dropout on; left out, inherited as by `apply` (the enclosing call's flag, else `train()`/`eval()`, else false). */
  training?: boolean;
}

/**
 * A pre-norm transformer encoder block: `h = x + drop(MHA(LN(x)))`, `y = h + drop(MLP(LN(h)))`
 * with `MLP = Dense(ffDim, gelu) → Dense(width)`. Input and output `[batch, time, width]`.
 *
 * @example
 * const block = new nn.layers.TransformerEncoderBlock({ numHeads: 4, ffDim: 256 });
 * block.apply(nb.randn([2, 10, 64]))                                  // [2, 10, 64]
 * block.encode(x, { attentionMask: padding, training: true })
 */
export class TransformerEncoderBlock extends TransformerBlock {
  readonly causal: boolean;

  constructor(opts: TransformerEncoderBlockOptions) {
    super(opts);
    this.causal = readOptions('TransformerEncoderBlock', opts).boolean('causal', false);
  }

  override build(inputShape: number[]): void {
    this.buildCommon(inputShape, this.causal);
  }

  call(x: Tensor, training = false): Tensor {
    return this.encode(x, { training });
  }

  /** The block with an attention mask. */
  encode(x: Tensor, opts: EncodeOptions = {}): Tensor {
    if (!this.built) this.build(x.shape.slice());
    this.checkInput(x);
    const training = this.resolveTraining(opts.training);
    const n1 = this.norm1!.apply(x);
    const a = this.attention!.attend(n1, n1, { attentionMask: opts.attentionMask, training });
    return this.feedForward(add(x, this.dropout!.apply(a, training)), training);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), causal: this.causal };
  }

  static override fromConfig(config: Config): TransformerEncoderBlock {
    return new TransformerEncoderBlock(config as unknown as TransformerEncoderBlockOptions);
  }
}

registerLayer(TransformerEncoderBlock);
registerMaskPassthrough('TransformerEncoderBlock');
