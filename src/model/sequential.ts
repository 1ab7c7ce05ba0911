import { Layer, layerFromConfig, registerLayer, serializeLayer } from '../nn/layer.js';
import type { Config, SerializedObject } from '../nn/config.js';
import { describeValue } from '../nn/config-check.js';
import { readOptions } from '../nn/config-options.js';
import type { PartialShape } from '../nn/input-shape.js';
import { InputLayer } from '../nn/layers/input-layer.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Model } from './model.js';

/** Options of `Sequential`. */
export interface SequentialOptions {
  name?: string;
  /** The shape of one input sample (no batch dim), as `nb.Input(shape)` first in the list gives it. */
  inputShape?: PartialShape;
}

/**
 * A model that applies its layers one after another. When the input shape is known — an
 * `nb.Input(shape)` first in the list, or a first layer made with the `inputShape` option — the
 * model is built at construction (and again by `add`), so `parameters()` is complete at once;
 * otherwise the weights are made on the first call (or by `model.build([null, ...shape])`).
 *
 * @example
 * const model = new nb.Sequential([nb.Input([784]), new Dense(128, { activation: 'relu' }), new Dense(10)]);
 * model.add(new Dropout(0.1));
 */
export class Sequential extends Model {
  readonly layers: Layer[] = [];

  constructor(layers: Layer[] = [], opts: SequentialOptions = {}) {
    if (!Array.isArray(layers)) throw new ValueError(`Sequential: expected an array of layers, got ${typeof layers}`);
    const input = layers[0] instanceof InputLayer ? layers[0] : null;
    if (input && opts.inputShape !== undefined) throw new ValueError('Sequential: the input shape is given twice (nb.Input first in the list and the inputShape option); keep one');
    super({ name: opts.name, inputShape: input ? input.inputShape : opts.inputShape });
    for (const l of input ? layers.slice(1) : layers) this.add(l);
  }

  /**
   * Appends a layer (and builds it at once when the model's input shape is known). An
   * `nb.Input(shape)` added to an empty model declares its input shape, as in Keras.
   */
  add(layer: Layer): this {
    if (layer instanceof InputLayer) {
      if (this.layers.length > 0 || this.inputShape !== null) {
        throw new ValueError(`Sequential.add: an InputLayer (nb.Input) must come first, before any other layer, and only once; this model already has ${this.layers.length > 0 ? 'layers' : 'an input shape'}`);
      }
      // the model's own inputShape option, set after construction: what new Sequential([nb.Input(...)]) sets
      (this as { inputShape: PartialShape | null }).inputShape = layer.inputShape;
      return this;
    }
    if (!(layer instanceof Layer)) throw new ValueError(`Sequential.add: expected a Layer, got ${typeof layer}`);
    this.layers.push(layer);
    const shape = this.knownInputShape();
    if (shape !== null) {
      this.built = false;
      this.build([null, ...shape]);
    }
    return this;
  }

  /** The input sample shape when it is known in full (no null sizes): the model's or its first layer's `inputShape`. */
  private knownInputShape(): number[] | null {
    const shape = this.inputShape ?? this.layers[0]?.inputShape ?? null;
    return shape !== null && shape.every((d): d is number => d !== null) ? shape.slice() : null;
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
    if (!Array.isArray(specs)) throw new ValueError(`Sequential.fromConfig: config.layers must be an array, got ${describeValue(specs)}`);
    // the constructor checks name and inputShape; trainable and dtype, which it does not take, are checked here
    const o = readOptions('Sequential', config);
    const trainable = o.boolean('trainable', true);
    o.oneOf('dtype', ['float32', 'float64'], 'float32');
    const name = (config.name ?? undefined) as string | undefined;
    const inputShape = (config.inputShape ?? undefined) as PartialShape | undefined;
    const model = new Sequential(specs.map((s) => layerFromConfig(s as SerializedObject)), { name, inputShape });
    if (!trainable) model.trainable = false;
    return model;
  }
}

registerLayer(Sequential);
