import { ShapeError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast, ne, where } from '../../ops/binary.js';
import { max } from '../../ops/reduce.js';
import { unsqueeze } from '../../ops/movement.js';
import type { Config } from '../config.js';
import { readOptions } from '../config-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { setMask } from '../mask.js';

/** Options of `Masking`. */
export interface MaskingOptions extends LayerOptions {
  /** A step whose features all equal this value is padding (default 0). */
  maskValue?: number;
}

/**
 * Marks padded time steps (Keras' `Masking`): for `[B, T, features]` inputs, step t of sequence b
 * is masked when every feature equals `maskValue`. The output is the input with masked steps set
 * to 0, carrying the bool mask `[B, T]` that recurrent layers read (`nn.getMask(y)`).
 *
 * @example
 * const model = new nb.Sequential([new nn.layers.Masking(), new nn.layers.LSTM(8)]);
 */
export class Masking extends Layer {
  readonly maskValue: number;

  constructor(opts: MaskingOptions = {}) {
    super(opts);
    this.maskValue = readOptions('Masking', opts).number('maskValue', 0);
  }

  call(inputs: Tensor): Tensor {
    if (inputs.ndim < 3) throw new ShapeError(`${this.describe()}: expected inputs of shape [batch, timesteps, features], got ${fmt(inputs.shape)}`);
    const keep = max(cast(ne(inputs, this.maskValue), 'int32'), -1);
    const mask = ne(keep, 0);
    const out = where(unsqueeze(mask, -1), inputs, 0);
    return setMask(out, mask);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }

  static override fromConfig(config: Config): Masking {
    return new Masking(config as MaskingOptions);
  }
}

registerLayer(Masking);
