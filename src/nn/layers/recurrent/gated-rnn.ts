import { serializeActivation, type ActivationFn } from '../../activations.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import type { StepActivation } from '../../../ops/recurrent.js';
import { RNNBase, stepActivation, type RNNOptions } from './rnn-base.js';

/** Options of the gated recurrent layers (`LSTM`, `GRU`). */
export interface GatedRNNOptions extends RNNOptions {
  /** Activation of the gates (default `'sigmoid'`). */
  recurrentActivation?: string | ActivationFn | null;
}

/** What `LSTM` and `GRU` share beyond `RNNBase`: the gates' activation, kept in the config. */
export abstract class GatedRNN extends RNNBase {
  readonly recurrentActivation: ActivationFn;

  constructor(units: number, opts: GatedRNNOptions = {}) {
    super(units, opts);
    this.recurrentActivation = readOptions(this.className, opts).activation('recurrentActivation', 'sigmoid');
  }

  protected override gateActivation(): StepActivation {
    return stepActivation(this.recurrentActivation);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), recurrentActivation: serializeActivation(this.recurrentActivation, this.describe()) };
  }
}
