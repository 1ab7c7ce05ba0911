import type { Initializer } from '../initializer.js';
import type { Regularizer } from '../regularizers.js';
import { ShapeError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { add, cast } from '../../ops/binary.js';
import { linearMatmul } from '../../ops/matmul.js';
import { biasActivation } from '../../ops/nn.js';
import { fusedActivationOf } from '../activations.js';
import type { Config } from '../config.js';
import { checkInteger } from '../config-check.js';
import type { LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { WeightedLayer, type ActivationBiasOptions, type KernelOptions } from './weighted-layer.js';

/** Options of `Dense`. */
export interface DenseOptions extends LayerOptions, ActivationBiasOptions, KernelOptions {}

/**
 * A fully connected layer: `activation(x·kernel + bias)` with `kernel` of shape `[in, units]`,
 * applied to the last axis: `[..., in] → [..., units]`. `in` is taken from the first input.
 *
 * @example
 * const dense = new nn.layers.Dense(10, { activation: 'softmax' });
 * dense.apply(nb.randn([32, 784]))   // [32, 10]
 */
export class Dense extends WeightedLayer<'kernel'> {
  /** Keras' name for `initializers.kernel`. */
  get kernelInitializer(): Initializer {
    return this.initializers.kernel;
  }

  /** Keras' name for `regularizers.kernel`. */
  get kernelRegularizer(): Regularizer | null {
    return this.regularizers.kernel;
  }

  readonly units: number;

  constructor(units: number, opts: DenseOptions = {}) {
    super(opts, { kernel: 'glorotUniform' });
    this.units = checkInteger('Dense', 'units', units, { ge: 1 });
  }

  override build(inputShape: number[]): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim === undefined) throw new ShapeError(`${this.describe()}: needs inputs with at least 1 dim, got a scalar`);
    this.addWeightOf('kernel', 'kernel', [inDim, this.units]);
    this.addBias(this.units);
  }

  /** The `[in, units]` weight matrix (after build). */
  get kernel(): Tensor {
    return this.getWeight('kernel');
  }

  call(inputs: Tensor): Tensor {
    const kernel = this.kernel;
    const inDim = kernel.shape[0]!;
    const got = inputs.shape[inputs.ndim - 1];
    if (got !== inDim) {
      throw new ShapeError(`${this.describe()}: expected input with last dimension ${inDim}, got ${got ?? 'a scalar'} (input shape ${fmt(inputs.shape)})`);
    }
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    let y = linearMatmul(x, kernel);
    const bias = this.bias;
    // relu/sigmoid/tanh/gelu/linear: bias (if any) and activation in one pass each way
    const fused = fusedActivationOf(this.activation);
    if (fused && (bias || fused !== 'linear')) return biasActivation(y, bias, fused);
    if (bias) y = add(y, bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      ...this.weightConfig(),
    };
  }

  static override fromConfig(config: Config): Dense {
    const { units, ...opts } = config;
    return new Dense(units as number, opts as DenseOptions);
  }
}

registerLayer(Dense);
