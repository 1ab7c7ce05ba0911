import type { Tensor } from '../../tensor/tensor.js';
import { globalAvgPool1d, globalAvgPool2d, globalMaxPool1d, globalMaxPool2d, type GlobalPoolOptions } from '../../ops/pool.js';
import type { DataFormat } from '../../ops/window.js';
import type { Config } from '../config.js';
import { readOptions } from '../config-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { getMask } from '../mask.js';
import { maskedMax1d, maskedMean1d } from './masked-pooling.js';
import { inputDims, readDataFormat } from './conv-options.js';

/** Options of the global pooling layers. */
export interface GlobalPoolingOptions extends LayerOptions {
  /** Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /** Keep the pooled axes as size 1 (default false: `[N, C]`). */
  keepDims?: boolean;
}

/** Pools each channel over all of its `rank` spatial dims, with the reduction `pool`. */
abstract class GlobalPooling extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepDims: boolean;

  constructor(readonly rank: 1 | 2, opts: GlobalPoolingOptions) {
    super(opts);
    this.dataFormat = readDataFormat(this.className, opts.dataFormat);
    this.keepDims = readOptions(this.className, opts).boolean('keepDims', false);
  }

  protected abstract pool(x: Tensor, opts: GlobalPoolOptions): Tensor;

  call(inputs: Tensor): Tensor {
    return this.pool(inputs, { dataFormat: this.dataFormat, keepDims: this.keepDims });
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const { channels } = inputDims(this.describe(), inputShape, this.rank, this.dataFormat);
    if (!this.keepDims) return [inputShape[0]!, channels];
    const ones = new Array<number>(this.rank).fill(1);
    return this.dataFormat === 'channelsLast' ? [inputShape[0]!, ...ones, channels] : [inputShape[0]!, channels, ...ones];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepDims: this.keepDims };
  }
}

/**
 * The mean of each channel over height and width: `[N, H, W, C] → [N, C]`.
 *
 * @example
 * new nn.layers.GlobalAveragePooling2D().apply(nb.randn([8, 7, 7, 64]))   // [8, 64]
 */
export class GlobalAveragePooling2D extends GlobalPooling {
  constructor(opts: GlobalPoolingOptions = {}) {
    super(2, opts);
  }

  protected pool(x: Tensor, opts: GlobalPoolOptions): Tensor {
    return globalAvgPool2d(x, opts);
  }
}

/**
 * The mean of each channel over the steps: `[N, L, C] → [N, C]`; over the unmasked steps only
 * when the input carries a mask (an `Embedding` with `maskZero` before it), as Keras.
 *
 * @example
 * new nn.layers.GlobalAveragePooling1D().apply(nb.randn([8, 100, 16]))   // [8, 16]
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  constructor(opts: GlobalPoolingOptions = {}) {
    super(1, opts);
  }

  protected pool(x: Tensor, opts: GlobalPoolOptions): Tensor {
    const mask = getMask(x);
    return mask ? maskedMean1d(this.describe(), x, mask, this.dataFormat, this.keepDims) : globalAvgPool1d(x, opts);
  }
}

/**
 * The maximum of each channel over height and width: `[N, H, W, C] → [N, C]`.
 *
 * @example
 * new nn.layers.GlobalMaxPooling2D().apply(nb.randn([8, 7, 7, 64]))   // [8, 64]
 */
export class GlobalMaxPooling2D extends GlobalPooling {
  constructor(opts: GlobalPoolingOptions = {}) {
    super(2, opts);
  }

  protected pool(x: Tensor, opts: GlobalPoolOptions): Tensor {
    return globalMaxPool2d(x, opts);
  }
}

/**
 * The maximum of each channel over the steps: `[N, L, C] → [N, C]`; over the unmasked steps only
 * when the input carries a mask (Keras ignores it here: a padded step could win).
 *
 * @example
 * new nn.layers.GlobalMaxPooling1D().apply(nb.randn([8, 100, 16]))   // [8, 16]
 */
export class GlobalMaxPooling1D extends GlobalPooling {
  constructor(opts: GlobalPoolingOptions = {}) {
    super(1, opts);
  }

  protected pool(x: Tensor, opts: GlobalPoolOptions): Tensor {
    const mask = getMask(x);
    return mask ? maskedMax1d(this.describe(), x, mask, this.dataFormat, this.keepDims) : globalMaxPool1d(x, opts);
  }
}

registerLayer(GlobalAveragePooling1D);
registerLayer(GlobalAveragePooling2D);
registerLayer(GlobalMaxPooling1D);
registerLayer(GlobalMaxPooling2D);
