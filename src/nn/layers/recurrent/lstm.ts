import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { registerLayer } from '../../layer-registry.js';
import { GatedRNN, type GatedRNNOptions } from './gated-rnn.js';
import type { CellSpec } from './rnn-base.js';

/** Options of `LSTM`. */
export interface LSTMOptions extends GatedRNNOptions {
  /** Start the forget-gate bias at 1 (Jozefowicz et al. 2015), as Keras (default true). */
  unitForgetBias?: boolean;
}

/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997), as Keras' `LSTM`. Gates in the order
 * i, f, c, o along the last axis of kernel `[in, 4·units]`, recurrentKernel `[units, 4·units]`
 * and bias `[4·units]`; with `z = x_t·W + h_{t−1}·U + b`:
 * `i = σ(z_i)`, `f = σ(z_f)`, `c_t = f·c_{t−1} + i·tanh(z_c)`, `o = σ(z_o)`, `h_t = o·tanh(c_t)`
 * (σ = recurrentActivation, tanh = activation). States `[h, c]`.
 *
 * @example
 * const lstm = new nn.layers.LSTM(32, { returnSequences: true });
 * lstm.apply(nb.randn([4, 20, 8]))          // [4, 20, 32]
 * lstm.callWithState(x).states              // [h, c], each [4, 32]
 */
export class LSTM extends GatedRNN {
  protected readonly stateCount = 2;
  protected readonly gateCount = 4;
  readonly unitForgetBias: boolean;

  constructor(units: number, opts: LSTMOptions = {}) {
    super(units, opts);
    this.unitForgetBias = readOptions('LSTM', opts).boolean('unitForgetBias', true);
  }

  protected override addBias(): void {
    const bias = this.addWeight('bias', [4 * this.units], this.biasInitializer, { regularizer: this.biasRegularizer });
    if (!this.unitForgetBias) return;
    // Keras: [biasInitializer(units), ones(units), biasInitializer(2·units)]
    const u = this.units;
    const rest = this.biasInitializer.call([2 * u], { dtype: this.dtype }).data();
    const first = this.biasInitializer.call([u], { dtype: this.dtype }).data();
    bias.storage.set(first, 0);
    bias.storage.fill(1, u, 2 * u);
    bias.storage.set(rest, 2 * u);
  }

  protected cellSpec(): CellSpec {
    return { cell: 'lstm' };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      unitForgetBias: this.unitForgetBias,
    };
  }

  static override fromConfig(config: Config): LSTM {
    const { units, ...opts } = config;
    return new LSTM(units as number, opts as LSTMOptions);
  }
}

registerLayer(LSTM);
