import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Config } from '../config.js';
import type { PartialShape } from '../input-shape.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';

/**
 * Declares the shape of a model's inputs (Keras' `InputLayer`): the identity, with an
 * `inputShape` that inputs must match. First in a `Sequential`, it makes the model build its
 * weights at construction (and is not kept among `model.layers`, as in Keras). Made by `Input`.
 *
 * @example
 * new nb.layers.InputLayer({ inputShape: [784] })
 */
export class InputLayer extends Layer {
  declare readonly inputShape: PartialShape;

  constructor(opts: LayerOptions & { inputShape: PartialShape }) {
    if (opts?.inputShape === undefined || opts.inputShape === null) {
      throw new ValueError('InputLayer: inputShape is required, the shape of one sample without the batch dimension, e.g. nb.Input([784])');
    }
    super(opts);
  }

  call(inputs: Tensor): Tensor {
    return inputs;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  static override fromConfig(config: Config): InputLayer {
    return new InputLayer(config as unknown as LayerOptions & { inputShape: PartialShape });
  }
}

registerLayer(InputLayer);

/**
 * The inputs of a model, Keras style: `shape` is one sample without the batch dimension (null
 * entries: any size). Put it first in a `Sequential` to build the model (and create its
 * parameters) at construction.
 *
 * @example
 * const model = new nb.Sequential([nb.Input([784]), new Dense(128, { activation: 'relu' }), new Dense(10)]);
 * const opt = new nb.optim.Adam(model.parameters());   // the weights already exist
 */
export function Input(shape: PartialShape, opts: Omit<LayerOptions, 'inputShape'> = {}): InputLayer {
  return new InputLayer({ ...opts, inputShape: shape });
}
