import { DTypeError, ShapeError, ValueError } from '../../../tensor/errors.js';
import { fmt } from '../../../tensor/shape.js';
import { Tensor } from '../../../tensor/tensor.js';
import { zeros } from '../../../tensor/creation.js';
import { Generator } from '../../../tensor/random.js';
import { isFloat } from '../../../tensor/dtype.js';
import { cast, mul, ne, where } from '../../../ops/binary.js';
import { biasActivation } from '../../../ops/nn.js';
import { linearMatmul } from '../../../ops/matmul.js';
import { permute, reshape, slice, split, unsqueeze } from '../../../ops/movement.js';
import { gather, scatterAdd } from '../../../ops/indexing.js';
import { recurrentScan, type RecurrentScanOptions, type StepActivation } from '../../../ops/recurrent.js';
import { fusedActivationOf, serializeActivation, type ActivationFn } from '../../activations.js';
import type { Config, SerializedObject } from '../../config.js';
import { checkInteger } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { serializeInitializer, type Initializer } from '../../initializers.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { getMask, setMask } from '../../mask.js';
import { serializeRegularizer, type Regularizer } from '../../regularizers.js';
import { dropoutMask } from './steps.js';

/** Options shared by `SimpleRNN`, `LSTM` and `GRU` (Keras 3 names and defaults). */
export interface RNNOptions extends LayerOptions {
  /** Default `'tanh'` (the candidate/output activation). */
  activation?: string | ActivationFn | null;
  /** Add biases (default true). */
  useBias?: boolean;
  /** Input kernel, default `'glorotUniform'`. */
  kernelInitializer?: Initializer | string | SerializedObject;
  /** Recurrent kernel, default `'orthogonal'`. */
  recurrentInitializer?: Initializer | string | SerializedObject;
  /** Default `'zeros'`. */
  biasInitializer?: Initializer | string | SerializedObject;
  kernelRegularizer?: Regularizer | string | SerializedObject | null;
  recurrentRegularizer?: Regularizer | string | SerializedObject | null;
  biasRegularizer?: Regularizer | string | SerializedObject | null;
  /** Dropout rate on the inputs in training, one mask per sequence (default 0). */
  dropout?: number;
  /**
   * Dropout rate in training on the state `h` where it enters the recurrent matmul, one mask per
   * sequence (default 0); the carried states themselves are not dropped.
   */
  recurrentDropout?: number;
  /** Output every step `[B, T, units]` instead of the last one `[B, units]` (default false). */
  returnSequences?: boolean;
  /** Recorded in the config for Keras parity; get the states with `callWithState` (default false). */
  returnState?: boolean;
  /** Read the sequence from the end; sequence outputs come out in that reversed order (default false). */
  goBackwards?: boolean;
  /** Seed of the dropout masks; default the global generator (`nb.manualSeed`). */
  seed?: number | null;
}

/** Options of `callWithState`. */
export interface RecurrentCallOptions {
  /** bool `[B, T]`, true for real steps; default the mask attached to the input (Masking, Embedding maskZero). */
  mask?: Tensor | null;
  /** The states to start from (`[h]`, or `[h, c]` for LSTM), each `[B, units]`; default zeros. */
  initialState?: readonly Tensor[] | null;
  /** Training mode (dropout); left out, inherited as by `apply` (the enclosing call's flag, else `train()`/`eval()`, else false). */
  training?: boolean;
}

/** What `callWithState` returns: the layer's output and its final states. */
export interface RecurrentResult {
  output: Tensor;
  states: Tensor[];
}

/** What a cell adds to `recurrentScan`'s options besides the activations, masks and dropout. */
export type CellSpec = Pick<RecurrentScanOptions, 'cell' | 'resetAfter' | 'recurrentBias'>;

/** The kernels' name of an activation they fuse, else the function itself (run as ops). */
export function stepActivation(fn: ActivationFn): StepActivation {
  const name = fusedActivationOf(fn);
  return name === null || name === 'gelu' ? fn : name;
}

/**
 * The recurrent loop shared by SimpleRNN, LSTM and GRU. The input projection `x·W + b` is one
 * matmul over all steps; the recurrent part is one op over all steps (`recurrentScan`: one fused
 * graph node, linear in the number of steps, for the built-in activations). Masked steps (mask false)
 * carry the previous states forward and output zeros in the sequence, as Keras does.
 *
 * The mask comes from the input tensor (a preceding `Masking` or `Embedding({ maskZero: true })`,
 * carried through mask-keeping layers by `Layer.apply`), or explicitly from `callWithState`.
 */
export abstract class RNNBase extends Layer {
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly seed: number | null;
  private readonly generator: Generator | undefined;
  /** How many `[B, units]` states the cell carries (LSTM: 2). */
  protected abstract readonly stateCount: number;
  /** Kernel width in units of `units` (SimpleRNN 1, LSTM 4, GRU 3). */
  protected abstract readonly gateCount: number;

  constructor(units: number, opts: RNNOptions = {}) {
    super(opts);
    const cls = this.className;
    this.units = checkInteger(cls, 'units', units, { ge: 1 });
    const o = readOptions(cls, opts);
    this.activation = o.activation('activation', 'tanh');
    this.useBias = o.boolean('useBias', true);
    this.kernelInitializer = o.initializer('kernelInitializer', 'glorotUniform');
    this.recurrentInitializer = o.initializer('recurrentInitializer', 'orthogonal');
    this.biasInitializer = o.initializer('biasInitializer', 'zeros');
    this.kernelRegularizer = o.regularizer('kernelRegularizer');
    this.recurrentRegularizer = o.regularizer('recurrentRegularizer');
    this.biasRegularizer = o.regularizer('biasRegularizer');
    this.dropout = o.number('dropout', 0, { ge: 0, lt: 1 });
    this.recurrentDropout = o.number('recurrentDropout', 0, { ge: 0, lt: 1 });
    this.returnSequences = o.boolean('returnSequences', false);
    this.returnState = o.boolean('returnState', false);
    this.goBackwards = o.boolean('goBackwards', false);
    this.seed = o.seed('seed');
    this.generator = this.seed === null ? undefined : new Generator(this.seed);
  }

  override build(inputShape: number[]): void {
    const inDim = this.inputDimOf(inputShape);
    const width = this.gateCount * this.units;
    this.addWeight('kernel', [inDim, width], this.kernelInitializer, { regularizer: this.kernelRegularizer });
    this.addWeight('recurrentKernel', [this.units, width], this.recurrentInitializer, { regularizer: this.recurrentRegularizer });
    if (this.useBias) this.addBias();
  }

  /** Creates the `bias` weight (overridden by LSTM's unitForgetBias and GRU's resetAfter). */
  protected addBias(): void {
    this.addWeight('bias', [this.gateCount * this.units], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  /** The `[in, G·units]` input kernel. */
  get kernel(): Tensor {
    return this.getWeight('kernel');
  }

  /** The `[units, G·units]` recurrent kernel. */
  get recurrentKernel(): Tensor {
    return this.getWeight('recurrentKernel');
  }

  /** The bias, or null with `useBias: false`. */
  get bias(): Tensor | null {
    return this.useBias ? this.getWeight('bias') : null;
  }

  /** `x·W (+ b)` for the rows of a time-major `[T, B, in]` input, or of `[R, in]` (the unmasked steps): `[..., G·units]` (the bias added by one fused pass). */
  protected projectInputs(xT: Tensor): Tensor {
    return biasActivation(linearMatmul(xT, this.kernel), this.bias, 'linear');
  }

  /** The cell for `recurrentScan`. */
  protected abstract cellSpec(): CellSpec;

  /** The gates' activation for `recurrentScan` (SimpleRNN has no gates). */
  protected gateActivation(): StepActivation {
    return 'sigmoid';
  }

  call(inputs: Tensor, training = false): Tensor {
    return this.callWithState(inputs, { training }).output;
  }

  /**
   * Runs the layer and returns its output with the final states (Keras' `return_state`):
   * `[h]` for SimpleRNN and GRU, `[h, c]` for LSTM, each `[B, units]`.
   *
   * @example
   * const { output, states: [h, c] } = lstm.callWithState(x, { initialState: [h0, c0] });
   */
  callWithState(inputs: Tensor, opts: RecurrentCallOptions = {}): RecurrentResult {
    if (!(inputs instanceof Tensor)) throw new ValueError(`${this.describe()}: expects a Tensor, got ${typeof inputs}`);
    if (!this.built) this.build(inputs.shape.slice());
    const inDim = this.inputDimOf(inputs.shape);
    if (inDim !== this.kernel.shape[0]) {
      throw new ShapeError(`${this.describe()}: expected inputs with ${this.kernel.shape[0]} features, got ${inDim} (input shape ${fmt(inputs.shape)})`);
    }
    const x = cast(inputs, this.dtype);
    const [B, T] = [x.shape[0]!, x.shape[1]!];
    const mask = this.checkMask(opts.mask === undefined ? getMask(inputs) : opts.mask, B, T);
    let states = this.checkInitialState(opts.initialState ?? null, B);
    const training = this.resolveTraining(opts.training);
    const xIn = training && this.dropout > 0 ? mul(x, unsqueeze(dropoutMask(this.dropout, [B, inDim], this.dtype, this.generator), 1)) : x;
    const hDrop = training && this.recurrentDropout > 0 ? dropoutMask(this.recurrentDropout, [B, this.units], this.dtype, this.generator) : null;
    let xp = this.projectSteps(xIn, mask);
    let maskT = mask ? permute(mask, [1, 0]) : null;
    if (this.goBackwards) {
      xp = slice(xp, [[null, null, -1]]);
      maskT = maskT && slice(maskT, [[null, null, -1]]);
    }
    const all = recurrentScan(xp, this.recurrentKernel, states, {
      ...this.cellSpec(),
      activation: stepActivation(this.activation),
      recurrentActivation: this.gateActivation(),
      mask: maskT,
      drop: hDrop,
    });
    // all: [T + 1, B, K·units], every step's states; the last row holds the final ones
    states = split(slice(all, [T]), this.stateCount, 1);
    let output = states[0]!;
    if (this.returnSequences) {
      const seq = slice(all, [[1, T + 1], null, [0, this.units]]);
      output = permute(maskT ? where(unsqueeze(maskT, 2), seq, 0) : seq, [1, 0, 2]);
      if (mask) setMask(output, this.goBackwards ? slice(mask, [null, [null, null, -1]]) : mask);
    }
    return { output, states };
  }

  /**
   * `x·W (+ b)` time-major, `[T, B, G·units]`, for `x [B, T, in]`. With a mask that hides steps,
   * only the unmasked steps are multiplied — gathered, projected, scattered into zeros — as
   * PyTorch's packed sequences do: the scan never reads a masked step's projection, so padding
   * costs no matmul here either (forward, nor the gradients of W and x).
   */
  private projectSteps(x: Tensor, mask: Tensor | null): Tensor {
    const [B, T, F] = x.shape as [number, number, number];
    if (mask !== null) {
      const m = mask.data() as Uint8Array;
      let real = 0;
      for (let i = 0; i < m.length; i++) if (m[i]) real++;
      if (real > 0 && real < B * T) {
        const src = new Int32Array(real); // row b·T + t of x [B·T, in], in time-major order
        const dst = new Int32Array(real); // row t·B + b of the projection [T·B, G·units]
        let k = 0;
        for (let t = 0; t < T; t++) {
          for (let b = 0; b < B; b++) {
            if (m[b * T + t]) {
              src[k] = b * T + t;
              dst[k++] = t * B + b;
            }
          }
        }
        const rows = this.projectInputs(gather(reshape(x, [B * T, F]), new Tensor(src, [real]), 0));
        return reshape(scatterAdd(rows, new Tensor(dst, [real]), 0, T * B), [T, B, rows.shape[1]!]);
      }
    }
    return this.projectInputs(permute(x, [1, 0, 2]));
  }

  private inputDimOf(shape: readonly number[]): number {
    if (shape.length !== 3 || shape[1] === 0) {
      throw new ShapeError(`${this.describe()}: expected inputs of shape [batch, timesteps, features] with at least one step, got ${fmt(shape)}`);
    }
    return shape[2]!;
  }

  private checkMask(mask: Tensor | null, B: number, T: number): Tensor | null {
    if (mask === null) return null;
    if (!(mask instanceof Tensor)) throw new ValueError(`${this.describe()}: mask must be a Tensor or null, got ${typeof mask}`);
    if (mask.ndim !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) {
      throw new ShapeError(`${this.describe()}: mask of shape ${fmt(mask.shape)} does not match the input's [batch, timesteps] = [${B},${T}]`);
    }
    if (mask.dtype === 'bool') return mask;
    if (isFloat(mask.dtype) || mask.dtype === 'int32') return ne(mask, 0);
    throw new DTypeError(`${this.describe()}: mask must be bool, got ${mask.dtype}`);
  }

  private checkInitialState(init: readonly Tensor[] | null, B: number): Tensor[] {
    if (init === null) return Array.from({ length: this.stateCount }, () => zeros([B, this.units], { dtype: this.dtype }));
    if (!Array.isArray(init) || init.length !== this.stateCount) {
      throw new ValueError(`${this.describe()}: initialState must be an array of ${this.stateCount} tensor(s) [batch, units], got ${Array.isArray(init) ? init.length : typeof init}`);
    }
    return init.map((s, i) => {
      if (!(s instanceof Tensor) || s.ndim !== 2 || s.shape[0] !== B || s.shape[1] !== this.units) {
        const got = s instanceof Tensor ? fmt(s.shape) : typeof s;
        throw new ShapeError(`${this.describe()}: initialState[${i}] must have shape [${B},${this.units}] ([batch, units]), got ${got}`);
      }
      return cast(s, this.dtype);
    });
  }

  override computeOutputShape(inputShape: number[]): number[] {
    this.inputDimOf(inputShape);
    return this.returnSequences ? [inputShape[0]!, inputShape[1]!, this.units] : [inputShape[0]!, this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation, this.describe()),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      recurrentRegularizer: serializeRegularizer(this.recurrentRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      seed: this.seed,
    };
  }
}
