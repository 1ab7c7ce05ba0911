import type { Tensor } from '../../../tensor/tensor.js';
import { add, mul, sub } from '../../../ops/binary.js';
import { linearMatmul, matmul } from '../../../ops/matmul.js';
import { slice, split } from '../../../ops/movement.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { registerLayer } from '../../layer-registry.js';
import { GatedRNN, type GatedRNNOptions } from './gated-rnn.js';
import type { StepFn } from './rnn-base.js';

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
    const p = linearMatmul(xT, this.kernel);
    const b = this.bias;
    if (!b) return p;
    return add(p, this.resetAfter ? slice(b, [0]) : b);
  }

  protected stepFunction(hDrop: Tensor | null): StepFn {
    const n = this.units;
    const u = this.recurrentKernel;
    const act = this.activation;
    const ract = this.recurrentActivation;
    const b = this.bias;
    const recBias = b && this.resetAfter ? slice(b, [1]) : null;
    const uZR = slice(u, [null, [0, 2 * n]]);
    const uH = slice(u, [null, [2 * n, 3 * n]]);
    return (xt, [h]) => {
      const hIn = hDrop ? mul(h!, hDrop) : h!;
      const [xz, xr, xh] = split(xt, 3, 1);
      let z: Tensor;
      let hh: Tensor;
      if (this.resetAfter) {
        const rec = recBias ? add(matmul(hIn, u), recBias) : matmul(hIn, u);
        const [rz, rr, rh] = split(rec, 3, 1);
        z = ract(add(xz!, rz!));
        const r = ract(add(xr!, rr!));
        hh = act(add(xh!, mul(r, rh!)));
      } else {
        const [rz, rr] = split(matmul(hIn, uZR), 2, 1);
        z = ract(add(xz!, rz!));
        const r = ract(add(xr!, rr!));
        hh = act(add(xh!, matmul(mul(r, hIn), uH)));
      }
      // h_t = z·h + (1 − z)·ĥ = ĥ + z·(h − ĥ)
      return [add(hh, mul(z, sub(h!, hh)))];
    };
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
