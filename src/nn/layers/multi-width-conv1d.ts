import { ShapeError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { concat } from '../../ops/movement.js';
import { serializeActivation, type ActivationFn } from '../activations.js';
import type { Config } from '../config.js';
import { checkInteger } from '../config-check.js';
import { readOptions } from '../config-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { registerMaskPassthrough } from '../mask.js';
import { Conv1D } from './conv.js';

/** Options of `MultiWidthConv1D`. */
export interface MultiWidthConv1DOptions extends LayerOptions {
  /** The window widths, one `Conv1D` each (default `[3, 4, 5]`, Kim 2014). */
  kernelSizes?: number[];
  /** Activation of every convolution (default `'relu'`). */
  activation?: string | ActivationFn | null;
}

/**
 * Several `Conv1D`s of different window widths side by side over the same sequence, their
 * feature maps joined on the channel axis: `[batch, time, features] → [batch, time, filters ×
 * kernelSizes.length]`. The branches of Kim's (2014) sentence CNN, in a `Sequential`: follow it
 * with `GlobalMaxPooling1D` for max-over-time pooling. Each convolution pads `'same'`, so every
 * branch keeps the time axis (and a padding mask from `Embedding({ maskZero })` passes through,
 * so the pooling skips padded steps). Weights are under `convs.0.*`, `convs.1.*`, …
 *
 * @example
 * new nb.layers.MultiWidthConv1D(100, { kernelSizes: [3, 4, 5] }).apply(nb.randn([2, 20, 64])); // [2, 20, 300]
 */
export class MultiWidthConv1D extends Layer {
  readonly filters: number;
  readonly kernelSizes: number[];
  readonly activation: ActivationFn;
  /** One convolution per width, in the order of `kernelSizes`. */
  readonly convs: Conv1D[];

  constructor(filters: number, opts: MultiWidthConv1DOptions = {}) {
    super(opts);
    this.filters = checkInteger('MultiWidthConv1D', 'filters', filters, { ge: 1 });
    const o = readOptions('MultiWidthConv1D', opts);
    const sizes = o.integerListOrNull('kernelSizes', { ge: 1 }) ?? [3, 4, 5];
    if (sizes.length === 0) throw new ShapeError('MultiWidthConv1D: kernelSizes must list at least one width, got []');
    this.kernelSizes = sizes;
    this.activation = o.activation('activation', 'relu');
    this.convs = sizes.map((k) => new Conv1D(this.filters, k, { padding: 'same', activation: this.activation, dtype: this.dtype }));
  }

  call(x: Tensor, training = false): Tensor {
    if (x.ndim !== 3) throw new ShapeError(`${this.describe()}: expects inputs [batch, time, features], got shape ${fmt(x.shape)}`);
    return concat(this.convs.map((c) => c.apply(x, training)), -1);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.filters * this.kernelSizes.length];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(), filters: this.filters, kernelSizes: [...this.kernelSizes],
      activation: serializeActivation(this.activation, this.describe()),
    };
  }

  static override fromConfig(config: Config): MultiWidthConv1D {
    const { filters, ...opts } = config;
    return new MultiWidthConv1D(filters as number, opts as MultiWidthConv1DOptions);
  }
}

registerLayer(MultiWidthConv1D);
registerMaskPassthrough('MultiWidthConv1D');
