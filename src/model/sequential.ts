import { Layer, layerFromConfig, registerLayer, serializeLayer } from '../nn/layer.js';
import type { Config, SerializedObject } from '../nn/config.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Model } from './model.js';

/**
 * A model that applies its layers one after another.
 *
 * @example
 * const model = new nb.Sequential([new Dense(128, { activation: 'relu' }), new Dense(10)]);
 * model.add(new Dropout(0.1));
 */
export class Sequential extends Model {
  readonly layers: Layer[] = [];

  constructor(layers: Layer[] = [], opts: { name?: string } = {}) {
    super(opts);
    for (const l of layers) this.add(l);
  }

  /** Appends a layer. */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) throw new ValueError(`Sequential.add: expected a Layer, got ${typeof layer}`);
    this.layers.push(layer);
    return this;
  }

  call(inputs: Tensor, training?: boolean): Tensor {
    if (this.layers.length === 0) throw new ValueError('Sequential: the model has no layers; add some with model.add(layer)');
    let x = inputs;
    for (const l of this.layers) x = l.apply(x, training);
    return x;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return this.layers.reduce((s, l) => l.computeOutputShape(s), inputShape);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), layers: this.layers.map((l) => serializeLayer(l)) };
  }

  static override fromConfig(config: Config): Sequential {
    const specs = config.layers;
    if (!Array.isArray(specs)) throw new ValueError('Sequential.fromConfig: config.layers must be an array');
    const name = typeof config.name === 'string' ? config.name : undefined;
    return new Sequential(specs.map((s) => layerFromConfig(s as SerializedObject)), { name });
  }
}

registerLayer(Sequential);
