import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/movement.js';
import type { Config } from '../config.js';
import { describeValue } from '../config-check.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';

/**
 * Reshapes each sample to `targetShape` (the batch dim is kept and not part of it); one entry
 * may be −1, inferred from the others.
 *
 * @example
 * new nn.layers.Reshape([28, 28]).apply(nb.zeros([32, 784]))   // [32, 28, 28]
 */
export class Reshape extends Layer {
  readonly targetShape: number[];

  constructor(targetShape: readonly number[], opts: LayerOptions = {}) {
    super(opts);
    const valid = Array.isArray(targetShape) && targetShape.every((d: unknown) => typeof d === 'number' && Number.isInteger(d) && (d >= 1 || d === -1));
    if (!valid) throw new ValueError(`Reshape: targetShape must list positive integers (one may be -1), got ${describeValue(targetShape)}`);
    if (targetShape.filter((d) => d === -1).length > 1) throw new ValueError(`Reshape: only one entry of targetShape may be -1, got ${fmt(targetShape)}`);
    this.targetShape = targetShape.slice();
  }

  call(inputs: Tensor): Tensor {
    return reshape(inputs, this.computeOutputShape(inputs.shape.slice()));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length === 0) throw new ShapeError(`${this.describe()}: needs a batch dim, got a scalar`);
    const per = sizeOf(inputShape.slice(1));
    const known = sizeOf(this.targetShape.filter((d) => d !== -1));
    const out = this.targetShape.map((d) => (d === -1 ? per / known : d));
    if (sizeOf(out) !== per || !out.every(Number.isInteger)) {
      throw new ShapeError(
        `${this.describe()}: cannot reshape samples of shape ${fmt(inputShape.slice(1))} (${per} elements) into ${fmt(this.targetShape)}`,
      );
    }
    return [inputShape[0]!, ...out];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), targetShape: this.targetShape.slice() };
  }

  static override fromConfig(config: Config): Reshape {
    const { targetShape, ...opts } = config;
    return new Reshape(targetShape as number[], opts as LayerOptions);
  }
}

registerLayer(Reshape);
