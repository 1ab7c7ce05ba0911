import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { pad } from '../../ops/movement.js';
import type { DataFormat } from '../../ops/window.js';
import type { Config } from '../config.js';
import { describeValue } from '../config-check.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { inputDims, outputShape, readDataFormat } from './conv-options.js';

/** Options of `ZeroPadding2D`. */
export interface ZeroPadding2DOptions extends LayerOptions {
  /** Default `'channelsLast'`. */
  dataFormat?: DataFormat;
}

/** Keras' padding argument: `p` on every side, `[ph, pw]`, or `[[top, bottom], [left, right]]`. */
export type ZeroPadding2DSpec = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

function resolve(spec: ZeroPadding2DSpec): [[number, number], [number, number]] | null {
  const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  if (ok(spec)) return [[spec, spec], [spec, spec]];
  if (!Array.isArray(spec) || spec.length !== 2) return null;
  const [h, w] = spec as unknown[];
  if (ok(h) && ok(w)) return [[h, h], [w, w]];
  const pair = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && p.every(ok);
  return pair(h) && pair(w) ? [[h[0], h[1]], [w[0], w[1]]] : null;
}

/**
 * Adds rows and columns of zeros around each image: `[N, H, W, C] → [N, H + top + bottom,
 * W + left + right, C]`.
 *
 * @example
 * new nn.layers.ZeroPadding2D(1).apply(nb.randn([2, 28, 28, 3]))          // [2, 30, 30, 3]
 * new nn.layers.ZeroPadding2D([[1, 0], [2, 2]]).apply(nb.randn([2, 4, 4, 3]))   // [2, 5, 8, 3]
 */
export class ZeroPadding2D extends Layer {
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];
  readonly dataFormat: DataFormat;

  constructor(padding: ZeroPadding2DSpec = 1, opts: ZeroPadding2DOptions = {}) {
    super(opts);
    const p = resolve(padding);
    if (!p) throw new ValueError(`ZeroPadding2D: padding must be a non-negative integer, [ph, pw] or [[top, bottom], [left, right]], got ${describeValue(padding)}`);
    this.padding = p;
    this.dataFormat = readDataFormat('ZeroPadding2D', opts.dataFormat);
  }

  call(inputs: Tensor): Tensor {
    inputDims(this.describe(), inputs.shape, 2, this.dataFormat);
    const [h, w] = this.padding;
    return pad(inputs, this.dataFormat === 'channelsLast' ? [[0, 0], h, w, [0, 0]] : [[0, 0], [0, 0], h, w]);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const { spatial, channels } = inputDims(this.describe(), inputShape, 2, this.dataFormat);
    const [h, w] = this.padding;
    return outputShape(inputShape[0]!, [spatial[0]! + h[0] + h[1], spatial[1]! + w[0] + w[1]], channels, this.dataFormat);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), padding: this.padding.map((p) => p.slice()), dataFormat: this.dataFormat };
  }

  static override fromConfig(config: Config): ZeroPadding2D {
    const { padding, ...opts } = config;
    return new ZeroPadding2D(padding as ZeroPadding2DSpec, opts as ZeroPadding2DOptions);
  }
}

registerLayer(ZeroPadding2D);
