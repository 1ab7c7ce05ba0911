import type { Tensor } from '../../../tensor/tensor.js';
import { add } from '../../../ops/binary.js';
import type { Config } from '../../config.js';
import { checkInteger } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { getMask, setMask } from '../../mask.js';
import { Embedding } from '../embedding.js';
import { PositionEmbedding } from './position-embedding.js';

/** Options of `TokenAndPositionEmbedding`. */
export interface TokenAndPositionEmbeddingOptions extends LayerOptions {
  /** Id 0 is padding: the output carries the mask `ids != 0` (default false). */
  maskZero?: boolean;
}

/**
 * Token embeddings plus learned position embeddings (keras-hub's `TokenAndPositionEmbedding`):
 * int ids `[batch, time ≤ sequenceLength]` → `[batch, time, embeddingDim]`, the input of a stack
 * of `TransformerEncoderBlock`s in a `Sequential`. With `maskZero` the output carries the padding
 * mask, which the encoder blocks attend with and the pooling layers honour. Weights under
 * `tokenEmbedding.*` and `positionEmbedding.*`.
 *
 * @example
 * new nb.layers.TokenAndPositionEmbedding(20000, 64, 128, { maskZero: true }).apply(ids); // [batch, time, 128]
 */
export class TokenAndPositionEmbedding extends Layer {
  readonly vocabularySize: number;
  readonly sequenceLength: number;
  readonly embeddingDim: number;
  readonly maskZero: boolean;
  readonly tokenEmbedding: Embedding;
  readonly positionEmbedding: PositionEmbedding;

  constructor(vocabularySize: number, sequenceLength: number, embeddingDim: number, opts: TokenAndPositionEmbeddingOptions = {}) {
    super(opts);
    const who = 'TokenAndPositionEmbedding';
    this.vocabularySize = checkInteger(who, 'vocabularySize', vocabularySize, { ge: 1 });
    this.sequenceLength = checkInteger(who, 'sequenceLength', sequenceLength, { ge: 1 });
    this.embeddingDim = checkInteger(who, 'embeddingDim', embeddingDim, { ge: 1 });
    this.maskZero = readOptions(who, opts).boolean('maskZero', false);
    this.tokenEmbedding = new Embedding(this.vocabularySize, this.embeddingDim, { maskZero: this.maskZero, dtype: this.dtype });
    this.positionEmbedding = new PositionEmbedding(this.sequenceLength, { dtype: this.dtype });
  }

  call(ids: Tensor): Tensor {
    const tokens = this.tokenEmbedding.apply(ids);
    const out = add(tokens, this.positionEmbedding.apply(tokens));
    const mask = getMask(tokens);
    return mask ? setMask(out, mask) : out;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape, this.embeddingDim];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(), vocabularySize: this.vocabularySize, sequenceLength: this.sequenceLength,
      embeddingDim: this.embeddingDim, maskZero: this.maskZero,
    };
  }

  static override fromConfig(config: Config): TokenAndPositionEmbedding {
    const { vocabularySize, sequenceLength, embeddingDim, ...opts } = config;
    return new TokenAndPositionEmbedding(vocabularySize as number, sequenceLength as number, embeddingDim as number, opts as TokenAndPositionEmbeddingOptions);
  }
}

registerLayer(TokenAndPositionEmbedding);
