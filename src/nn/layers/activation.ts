import type { Tensor } from '../../tensor/tensor.js';
import { serializeActivation, type ActivationFn } from '../activations.js';
import type { Config } from '../config.js';
import { checkActivation } from '../config-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';

/**
 * Applies an activation function as a layer (no weights).
 *
 * @example
 * new nn.layers.Activation('gelu').apply(x)
 */
export class Activation extends Layer {
  readonly activation: ActivationFn;

  constructor(activation: string | ActivationFn, opts: LayerOptions = {}) {
    super(opts);
    this.activation = checkActivation('Activation', 'activation', activation ?? null);
  }

  call(inputs: Tensor): Tensor {
    return this.activation(inputs);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), activation: serializeActivation(this.activation, this.describe()) };
  }

  static override fromConfig(config: Config): Activation {
    const { activation, ...opts } = config;
    return new Activation(activation as string, opts as LayerOptions);
  }
}

registerLayer(Activation);
