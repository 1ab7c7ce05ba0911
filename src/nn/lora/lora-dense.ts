import { add, cast, mul } from '../../ops/binary.js';
import { linearMatmul } from '../../ops/matmul.js';
import { isFloat } from '../../tensor/dtype.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Config } from '../config.js';
import { registerLayer } from '../layer-registry.js';
import { Dense } from '../layers/dense.js';
import { describeValue, LoRALayer, loraFromConfig, type LoRALayerOptions } from './lora-layer.js';

/**
 * A `Dense` layer with a low-rank adapter: `activation(x·W + b + (alpha/rank)·(x·A)·B)`, with the
 * base's `W [in, units]` and `b` frozen and `A [in, rank]`, `B [rank, units]` trainable. The
 * update goes inside the activation, where it belongs (for a linear Dense it is
 * `base(x) + (alpha/rank)·x·A·B`). Dropout, if any, applies to the adapter's input only.
 *
 * @example
 * const lora = new nb.lora.LoRADense(model.getLayer('dense3') as nb.layers.Dense, { rank: 8, alpha: 16 });
 * lora.trainableWeights.map((w) => w.shape)   // [[256, 8], [8, 10]]
 */
export class LoRADense extends LoRALayer<Dense> {
  constructor(base: Dense, opts: LoRALayerOptions) {
    if (!(base instanceof Dense)) throw new ValueError(`LoRADense: the base must be a Dense layer, got ${describeValue(base)}`);
    super(base, opts);
  }

  protected matrixShape(): [number, number] {
    const k = this.base.kernel;
    return [k.shape[0]!, k.shape[1]!];
  }

  call(inputs: Tensor, training = false): Tensor {
    const base = this.base;
    const kernel = base.kernel;
    const got = inputs.shape[inputs.ndim - 1];
    if (got !== kernel.shape[0]) {
      throw new ShapeError(`${this.describe()}: expected input with last dimension ${kernel.shape[0]}, got ${got ?? 'a scalar'} (input shape ${fmt(inputs.shape)})`);
    }
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    let y = linearMatmul(x, kernel);
    const bias = base.bias;
    if (bias) y = add(y, bias);
    // (x·A)·B: two thin products, never the [in, units] matrix A·B
    const update = linearMatmul(linearMatmul(this.adapterInput(x, training), this.loraA), this.loraB);
    return base.activation(add(y, mul(update, this.scale)));
  }

  static override fromConfig(config: Config): LoRADense {
    return loraFromConfig(config, (base, opts) => new LoRADense(base as Dense, opts));
  }
}

registerLayer(LoRADense);
