import { DTypeError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast, ne } from '../../ops/binary.js';
import { checkTokenIds, lookupRows } from '../../ops/sequence.js';
import { setMask } from '../mask.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Config, SerializedObject } from '../config.js';
import { checkInteger } from '../config-check.js';
import { readOptions } from '../config-options.js';
import { serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { serializeRegularizer, type Regularizer } from '../regularizers.js';

/** Options of `Embedding`. */
export interface EmbeddingOptions extends LayerOptions {
  /** Default `'uniform'` (uniform in [−0.05, 0.05), as Keras). */
  embeddingsInitializer?: Initializer | string | SerializedObject;
  /** Penalty on the embedding matrix (default none). */
  embeddingsRegularizer?: Regularizer | string | SerializedObject | null;
  /** Id 0 is padding: the output carries the mask `ids != 0` for recurrent layers (default false). */
  maskZero?: boolean;
}

/**
 * A lookup table: integer ids of any shape → `[...ids.shape, outputDim]` rows of the
 * `[inputDim, outputDim]` matrix `embeddings` (the op `nb.embedding`). Gradients of repeated ids
 * add up; backward index-adds them into one table-sized buffer. Ids are int32 (float tensors
 * holding whole numbers are accepted and converted); an id outside `[0, inputDim)` is an error
 * naming it ("Embedding 'emb': token id 70 is outside the vocabulary [0, 65)").
 *
 * @example
 * new nn.layers.Embedding(1000, 64).apply(nb.tensor([[1, 5, 5]], { dtype: 'int32' }))   // [1, 3, 64]
 */
export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  /** Whether id 0 marks padding (see `EmbeddingOptions.maskZero`). */
  readonly maskZero: boolean;

  constructor(inputDim: number, outputDim: number, opts: EmbeddingOptions = {}) {
    super(opts);
    this.inputDim = checkInteger('Embedding', 'inputDim', inputDim, { ge: 1 });
    this.outputDim = checkInteger('Embedding', 'outputDim', outputDim, { ge: 1 });
    const o = readOptions('Embedding', opts);
    this.embeddingsInitializer = o.initializer('embeddingsInitializer', 'uniform');
    this.embeddingsRegularizer = o.regularizer('embeddingsRegularizer');
    this.maskZero = o.boolean('maskZero', false);
  }

  override build(): void {
    this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, { regularizer: this.embeddingsRegularizer });
  }

  /** The `[inputDim, outputDim]` table (after build). */
  get embeddings(): Tensor {
    return this.getWeight('embeddings');
  }

  call(inputs: Tensor): Tensor {
    const ids = this.toIds(inputs);
    checkTokenIds(this.describe(), ids, this.inputDim);
    const out = lookupRows(this.embeddings, ids);
    return this.maskZero ? setMask(out, ne(ids, 0)) : out;
  }

  /** int32 ids: a float tensor must hold whole numbers (checked here, then cast). */
  private toIds(inputs: Tensor): Tensor {
    if (inputs.dtype === 'bool') throw new DTypeError(`${this.describe()}: ids must be int32, got bool`);
    if (!isFloat(inputs.dtype)) return inputs;
    for (const v of inputs.data()) {
      if (!Number.isInteger(v)) {
        throw new DTypeError(`${this.describe()}: ids must be whole numbers (int32), got ${v}; cast them with x.cast('int32')`);
      }
    }
    return cast(inputs, 'int32');
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      maskZero: this.maskZero,
    };
  }

  static override fromConfig(config: Config): Embedding {
    const { inputDim, outputDim, ...opts } = config;
    return new Embedding(inputDim as number, outputDim as number, opts as EmbeddingOptions);
  }
}

registerLayer(Embedding);
