import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { avgPool1d, avgPool2d, ceilWindow, maxPool1d, maxPool2d, type PoolOptions } from '../../ops/pool.js';
import { checkPadding, perDim, slidingWindow, type DataFormat, type Padding } from '../../ops/window.js';
import type { Config } from '../config.js';
import { readOptions } from '../config-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { inputDims, outputShape, readDataFormat } from './conv-options.js';

/** Options of the pooling layers (Keras defaults). */
export interface PoolingOptions extends LayerOptions {
  /** Step between windows (default: the pool size). */
  strides?: number | readonly number[] | null;
  /** `'valid'` (default) or `'same'` (output `ceil(size / stride)`); numbers as in `maxPool2d`. */
  padding?: Padding;
  /** Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /**
   * Round the number of windows up, as PyTorch's `ceil_mode` (default false): a last, partial
   * window covers the end of the input (see `PoolOptions.ceilMode`).
   */
  ceilMode?: boolean;
}

/** A max or average pooling layer of `rank` spatial dims. */
abstract class BasePooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly ceilMode: boolean;

  constructor(readonly rank: 1 | 2, poolSize: number | readonly number[], opts: PoolingOptions) {
    super(opts);
    const cls = this.className;
    this.poolSize = perDim(cls, 'poolSize', poolSize, rank, 2);
    this.strides = opts.strides === null || opts.strides === undefined ? this.poolSize.slice() : perDim(cls, 'strides', opts.strides, rank, 1);
    const padding = checkPadding(cls, opts.padding ?? 'valid', rank);
    if (padding === 'causal') throw new ValueError(`${cls}: padding must be 'valid', 'same' or numeric, got 'causal'`);
    this.padding = typeof padding === 'object' ? padding.map((p) => [p[0], p[1]] as [number, number]) : padding;
    this.dataFormat = readDataFormat(cls, opts.dataFormat);
    this.ceilMode = readOptions(cls, opts).boolean('ceilMode', false);
  }

  protected get poolOptions(): PoolOptions {
    return { strides: this.strides, padding: this.padding, dataFormat: this.dataFormat, ceilMode: this.ceilMode };
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const { spatial, channels } = inputDims(this.describe(), inputShape, this.rank, this.dataFormat);
    const floor = slidingWindow(this.describe(), 'pool window', spatial, this.poolSize, this.poolOptions);
    const win = this.ceilMode ? ceilWindow(floor) : floor;
    return outputShape(inputShape[0]!, win.grid, channels, this.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize.slice(),
      strides: this.strides.slice(),
      padding: typeof this.padding === 'object' ? this.padding.map((p) => [p[0], p[1]]) : this.padding,
      dataFormat: this.dataFormat,
      ceilMode: this.ceilMode,
    };
  }
}

/**
 * 2-D max pooling: the maximum of each `poolSize` window. `[N, H, W, C] → [N, outH, outW, C]`.
 *
 * @example
 * new nn.layers.MaxPooling2D(2).apply(nb.randn([8, 28, 28, 32]))   // [8, 14, 14, 32]
 */
export class MaxPooling2D extends BasePooling {
  constructor(poolSize: number | readonly number[] = 2, opts: PoolingOptions = {}) {
    super(2, poolSize, opts);
  }

  call(inputs: Tensor): Tensor {
    return maxPool2d(inputs, this.poolSize, this.poolOptions);
  }

  static override fromConfig(config: Config): MaxPooling2D {
    const { poolSize, ...opts } = config;
    return new MaxPooling2D(poolSize as number[], opts as PoolingOptions);
  }
}

/**
 * 1-D max pooling over steps: `[N, L, C] → [N, outL, C]`.
 *
 * @example
 * new nn.layers.MaxPooling1D(2).apply(nb.randn([4, 100, 8]))   // [4, 50, 8]
 */
export class MaxPooling1D extends BasePooling {
  constructor(poolSize: number | readonly number[] = 2, opts: PoolingOptions = {}) {
    super(1, poolSize, opts);
  }

  call(inputs: Tensor): Tensor {
    return maxPool1d(inputs, this.poolSize, this.poolOptions);
  }

  static override fromConfig(config: Config): MaxPooling1D {
    const { poolSize, ...opts } = config;
    return new MaxPooling1D(poolSize as number[], opts as PoolingOptions);
  }
}

/**
 * 2-D average pooling: the mean of each window; with `'same'` padding, padded cells are not
 * counted (Keras). `[N, H, W, C] → [N, outH, outW, C]`.
 *
 * @example
 * new nn.layers.AveragePooling2D(2).apply(nb.randn([8, 28, 28, 32]))   // [8, 14, 14, 32]
 */
export class AveragePooling2D extends BasePooling {
  constructor(poolSize: number | readonly number[] = 2, opts: PoolingOptions = {}) {
    super(2, poolSize, opts);
  }

  call(inputs: Tensor): Tensor {
    return avgPool2d(inputs, this.poolSize, this.poolOptions);
  }

  static override fromConfig(config: Config): AveragePooling2D {
    const { poolSize, ...opts } = config;
    return new AveragePooling2D(poolSize as number[], opts as PoolingOptions);
  }
}

/**
 * 1-D average pooling over steps: `[N, L, C] → [N, outL, C]`.
 *
 * @example
 * new nn.layers.AveragePooling1D(4).apply(nb.randn([4, 100, 8]))   // [4, 25, 8]
 */
export class AveragePooling1D extends BasePooling {
  constructor(poolSize: number | readonly number[] = 2, opts: PoolingOptions = {}) {
    super(1, poolSize, opts);
  }

  call(inputs: Tensor): Tensor {
    return avgPool1d(inputs, this.poolSize, this.poolOptions);
  }

  static override fromConfig(config: Config): AveragePooling1D {
    const { poolSize, ...opts } = config;
    return new AveragePooling1D(poolSize as number[], opts as PoolingOptions);
  }
}

registerLayer(MaxPooling1D);
registerLayer(MaxPooling2D);
registerLayer(AveragePooling1D);
registerLayer(AveragePooling2D);
