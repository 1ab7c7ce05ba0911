import { DTypeError } from '../../../tensor/errors.js';
import { Tensor } from '../../../tensor/tensor.js';
import { allocate } from '../../../tensor/dtype.js';
import { expand } from '../../../ops/movement.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { positionRange } from './position-embedding.js';

/** Options of `SinusoidalPositionEncoding`. */
export interface SinusoidalPositionEncodingOptions extends LayerOptions {
  /** The longest wavelength (default 10000, as Vaswani et al.). */
  maxWavelength?: number;
}

/**
 * The fixed sinusoidal position encoding of Vaswani et al. (2017):
 * `PE[p, 2i] = sin(p / maxWavelength^(2i/width))`, `PE[p, 2i+1] = cos(p / maxWavelength^(2i/width))`.
 * For inputs `[..., time, width]` it returns the encoding of positions `0 … time − 1` broadcast
 * to the input's shape (add it to the embeddings); `positions(x, start)` begins at `start`. No weights.
 *
 * @example
 * const h = emb.add(new nn.layers.SinusoidalPositionEncoding().apply(emb));
 */
export class SinusoidalPositionEncoding extends Layer {
  readonly maxWavelength: number;

  constructor(opts: SinusoidalPositionEncodingOptions = {}) {
    super(opts);
    this.maxWavelength = readOptions('SinusoidalPositionEncoding', opts).number('maxWavelength', 10000, { gt: 0 });
  }

  call(x: Tensor): Tensor {
    return this.positions(x, 0);
  }

  /** The encoding of positions `startIndex …` for `x`'s time axis, broadcast to `x.shape`. */
  positions(x: Tensor, startIndex = 0): Tensor {
    if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`${this.describe()}: expects float inputs, got ${x.dtype}`);
    const [start, end] = positionRange(this.describe(), x, startIndex, null);
    const width = x.shape[x.ndim - 1]!;
    const data = allocate(x.dtype, (end - start) * width);
    for (let p = start; p < end; p++) {
      for (let c = 0; c < width; c++) {
        const angle = p / this.maxWavelength ** ((2 * Math.floor(c / 2)) / width);
        data[(p - start) * width + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return expand(new Tensor(data, [end - start, width]), x.shape);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), maxWavelength: this.maxWavelength };
  }
}

registerLayer(SinusoidalPositionEncoding);
