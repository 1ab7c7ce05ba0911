import type { Tensor } from '../../../tensor/tensor.js';
import { biasActivation } from '../../../ops/nn.js';
import { linearMatmul } from '../../../ops/matmul.js';
import { slice } from '../../../ops/movement.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { registerLayer } from '../../layer-registry.js';
import { GatedRNN, type GatedRNNOptions } from './gated-rnn.js';
import type { CellSpec } from './rnn-base.js';

/** Options of `GRU`. */
export interface GRUOptions extends GatedRNNOptions {
  /** Apply the reset gate after the recurrent matmul (default true, Keras 3 and cuDNN's form). */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Cho et al. 2014), as Keras' `GRU`. Gates in the order z, r, h along the
 * last axis of kernel `[in, 3·units]` and recurrentKernel `[units, 3·units]`. With
 * `resetAfter` (default) the bias is `[2, 3·units]` (input bias, recurrent bias) and
 * `ĥ = tanh(x·W_h + b_h + r·(h·U_h + b'_h))`; without it the bias is `[3·units]` and
 * `ĥ = tanh(x·W_h + b_h + (r·h)·U_h)`. Then `z = σ(x·W_z + h·U_z + …)`, `r` likewise, and
 * `h_t = z·h_{t−1} + (1 − z)·ĥ`.
 *
 * @example
 * new nn.layers.GRU(16).apply(nb.randn([8, 10, 3]))   // [8, 16]
 */
export class GRU extends GatedRNN {
  protected readonly stateCount = 1;
  protected readonly gateCount = 3;
  readonly resetAfter: boolean;

  constructor(units: number, opts: GRUOptions = {}) {
    super(units, opts);
    this.resetAfter = readOptions('GRU', opts).boolean('resetAfter', true);
  }

  protected override addBias(): void {
    const shape = this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
    this.addWeight('bias', shape, this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  protected override projectInputs(xT: Tensor): Tensor {
    const b = this.bias;
    return biasActivation(linearMatmul(xT, this.kernel), b && this.resetAfter ? slice(b, [0]) : b, 'linear');
  }

  protected cellSpec(): CellSpec {
    const b = this.bias;
    return { cell: 'gru', resetAfter: this.resetAfter, recurrentBias: b && this.resetAfter ? slice(b, [1]) : null };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      resetAfter: this.resetAfter,
    };
  }

  static override fromConfig(config: Config): GRU {
    const { units, ...opts } = config;
    return new GRU(units as number, opts as GRUOptions);
  }
}

registerLayer(GRU);
