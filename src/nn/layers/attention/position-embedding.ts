import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { fmt } from '../../../tensor/shape.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { expand, slice } from '../../../ops/movement.js';
import type { Config, SerializedObject } from '../../config.js';
import { checkInteger } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { serializeInitializer, type Initializer } from '../../initializers.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';

/** Options of `PositionEmbedding`. */
export interface PositionEmbeddingOptions extends LayerOptions {
  /** Initializer of the `[sequenceLength, width]` table (default `'glorotUniform'`, as keras-hub). */
  initializer?: Initializer | string | SerializedObject;
}

/**
 * The positions `start … start + n − 1` of an input whose time axis (−2) has `n` steps, checked
 * against `maxLength`; `owner` names the layer in the error.
 */
export function positionRange(owner: string, x: Tensor, startIndex: number, maxLength: number | null): [number, number] {
  if (x.ndim < 2) throw new ShapeError(`${owner}: expects inputs [..., time, features], got shape ${fmt(x.shape)}`);
  if (!Number.isInteger(startIndex) || startIndex < 0) throw new ValueError(`${owner}: startIndex must be a non-negative integer, got ${startIndex}`);
  const end = startIndex + x.shape[x.ndim - 2]!;
  if (maxLength !== null && end > maxLength) {
    throw new ValueError(`${owner}: sequence length ${end} exceeds the maximum ${maxLength}; crop the input (or its cache) or use a larger sequenceLength`);
  }
  return [startIndex, end];
}

/**
 * Learned position embeddings (as keras-hub's `PositionEmbedding`): a `[sequenceLength, width]`
 * table; for inputs `[..., time, width]` it returns the rows of positions `0 … time − 1` broadcast
 * to the input's shape (add them to the token embeddings). `positions(x, start)` begins at
 * `start`, for cached decoding. Inputs longer than `sequenceLength` are an error.
 *
 * @example
 * const pos = new nn.layers.PositionEmbedding(64);
 * const h = tokens.add(pos.apply(tokens));          // tokens [batch, time ≤ 64, width]
 * pos.positions(nextToken, cache.length)            // [batch, 1, width]: the row of position cache.length
 */
export class PositionEmbedding extends Layer {
  readonly sequenceLength: number;
  readonly initializer: Initializer;

  constructor(sequenceLength: number, opts: PositionEmbeddingOptions = {}) {
    super(opts);
    this.sequenceLength = checkInteger('PositionEmbedding', 'sequenceLength', sequenceLength, { ge: 1 });
    this.initializer = readOptions('PositionEmbedding', opts).initializer('initializer', 'glorotUniform');
  }

  override build(inputShape: number[]): void {
    const width = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || width === undefined) throw new ShapeError(`PositionEmbedding: expects inputs [..., time, features], got shape ${fmt(inputShape)}`);
    this.addWeight('embeddings', [this.sequenceLength, width], this.initializer);
  }

  /** The `[sequenceLength, width]` table (after build). */
  get embeddings(): Tensor {
    return this.getWeight('embeddings');
  }

  call(x: Tensor): Tensor {
    return this.positions(x, 0);
  }

  /** The embeddings of positions `startIndex …` for `x`'s time axis, broadcast to `x.shape`. */
  positions(x: Tensor, startIndex = 0): Tensor {
    if (!this.built) this.build(x.shape.slice());
    const table = this.embeddings;
    if (x.shape[x.ndim - 1] !== table.shape[1]) {
      throw new ShapeError(`${this.describe()}: expects inputs [..., time, ${table.shape[1]}], got shape ${fmt(x.shape)}`);
    }
    const [start, end] = positionRange('PositionEmbedding', x, startIndex, this.sequenceLength);
    return expand(slice(table, [[start, end]]), x.shape);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength, initializer: serializeInitializer(this.initializer) };
  }

  static override fromConfig(config: Config): PositionEmbedding {
    const { sequenceLength, ...opts } = config;
    return new PositionEmbedding(sequenceLength as number, opts as PositionEmbeddingOptions);
  }
}

registerLayer(PositionEmbedding);
