import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { add, cast } from '../../ops/binary.js';
import { linearMatmul } from '../../ops/matmul.js';
import { biasActivation } from '../../ops/nn.js';
import { fusedActivationOf, getActivation, serializeActivation, type ActivationFn } from '../activations.js';
import type { Config, SerializedObject } from '../config.js';
import { getInitializer, serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { getRegularizer, serializeRegularizer, type Regularizer } from '../regularizers.js';

/** Options of `Dense`. */
export interface DenseOptions extends LayerOptions {
  /** Applied to the output (a name such as `'relu'`, or a function). Default none (linear). */
  activation?: string | ActivationFn | null;
  /** Add a bias vector (default true). */
  useBias?: boolean;
  /** Default `'glorotUniform'`. */
  kernelInitializer?: Initializer | string | SerializedObject;
  /** Default `'zeros'`. */
  biasInitializer?: Initializer | string | SerializedObject;
  /** Penalty on the kernel (default none). */
  kernelRegularizer?: Regularizer | string | SerializedObject | null;
  /** Penalty on the bias (default none). */
  biasRegularizer?: Regularizer | string | SerializedObject | null;
}

/**
 * A fully connected layer: `activation(x·kernel + bias)` with `kernel` of shape `[in, units]`,
 * applied to the last axis: `[..., in] → [..., units]`. `in` is taken from the first input.
 *
 * @example
 * const dense = new nn.layers.Dense(10, { activation: 'softmax' });
 * dense.apply(nb.randn([32, 784]))   // [32, 10]
 */
export class Dense extends Layer {
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;

  constructor(units: number, opts: DenseOptions = {}) {
    super(opts);
    if (!Number.isInteger(units) || units <= 0) throw new ValueError(`Dense: units must be a positive integer, got ${units}`);
    this.units = units;
    this.activation = getActivation(opts.activation);
    this.useBias = opts.useBias ?? true;
    this.kernelInitializer = getInitializer(opts.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(opts.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(opts.kernelRegularizer);
    this.biasRegularizer = getRegularizer(opts.biasRegularizer);
  }

  override build(inputShape: number[]): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim === undefined) throw new ShapeError(`${this.describe()}: needs inputs with at least 1 dim, got a scalar`);
    this.addWeight('kernel', [inDim, this.units], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.addWeight('bias', [this.units], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  /** The `[in, units]` weight matrix (after build). */
  get kernel(): Tensor {
    return this.getWeight('kernel');
  }

  /** The `[units]` bias (after build), or null with `useBias: false`. */
  get bias(): Tensor | null {
    return this.useBias ? this.getWeight('bias') : null;
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
      activation: serializeActivation(this.activation, this.describe()),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }

  static override fromConfig(config: Config): Dense {
    const { units, ...opts } = config;
    return new Dense(units as number, opts as DenseOptions);
  }
}

registerLayer(Dense);
