import type { Config } from '../../config.js';
import { registerLayer } from '../../layer-registry.js';
import { RNNBase, type CellSpec, type RNNOptions } from './rnn-base.js';

/** Options of `SimpleRNN` (all shared with LSTM and GRU). */
export type SimpleRNNOptions = RNNOptions;

/**
 * The fully connected recurrent layer (Elman network), as Keras' `SimpleRNN`:
 * `h_t = activation(x_t·kernel + bias + h_{t−1}·recurrentKernel)`, with kernel `[in, units]`,
 * recurrentKernel `[units, units]`, bias `[units]`. Input `[B, T, in]`; output `[B, units]`
 * (last step) or `[B, T, units]` with `returnSequences`.
 *
 * @example
 * new nn.layers.SimpleRNN(16).apply(nb.randn([8, 10, 3]))   // [8, 16]
 */
export class SimpleRNN extends RNNBase {
  protected readonly stateCount = 1;
  protected readonly gateCount = 1;

  constructor(units: number, opts: SimpleRNNOptions = {}) {
    super(units, opts);
  }

  protected cellSpec(): CellSpec {
    return { cell: 'simple' };
  }

  static override fromConfig(config: Config): SimpleRNN {
    const { units, ...opts } = config;
    return new SimpleRNN(units as number, opts as SimpleRNNOptions);
  }
}

registerLayer(SimpleRNN);
