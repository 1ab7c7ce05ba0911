import { ValueError } from '../../../tensor/errors.js';
import { Tensor } from '../../../tensor/tensor.js';
import { add, mul } from '../../../ops/binary.js';
import { concat, slice } from '../../../ops/movement.js';
import { isSerializedObject, type Config, type SerializedObject } from '../../config.js';
import { describeValue } from '../../config-check.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { layerFromConfig, registerLayer, serializeLayer } from '../../layer-registry.js';
import { getMask, setMask } from '../../mask.js';
import { RNNBase, type RecurrentCallOptions } from './rnn-base.js';

/** How `Bidirectional` joins the two directions. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** Options of `Bidirectional`. */
export interface BidirectionalOptions extends LayerOptions {
  /** Default `'concat'`; null keeps both outputs apart (read them from `callWithState`). */
  mergeMode?: MergeMode;
  /** The layer reading backwards; default a copy of the forward layer's config with `goBackwards` flipped. */
  backwardLayer?: RNNBase | SerializedObject;
}

/** What `Bidirectional.callWithState` returns. */
export interface BidirectionalResult {
  /** The merged output; with `mergeMode: null` the forward output (see `outputs`). */
  output: Tensor;
  /** The forward and backward outputs before merging (backward sequences put back in time order). */
  outputs: [Tensor, Tensor];
  /** The forward layer's final states, then the backward layer's. */
  states: Tensor[];
}

const MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/**
 * Runs a recurrent layer over the sequence forwards and a copy of it backwards, and merges the
 * two outputs (Keras' `Bidirectional`). With `returnSequences` the backward outputs are put back
 * in time order, so step t of the result sees the whole sequence. Weights are under
 * `forwardLayer.*` and `backwardLayer.*`. A mask on the input is used by both directions.
 *
 * @example
 * new nn.layers.Bidirectional(new nn.layers.LSTM(16)).apply(nb.randn([4, 10, 8]))   // [4, 32]
 */
export class Bidirectional extends Layer {
  readonly forwardLayer: RNNBase;
  readonly backwardLayer: RNNBase;
  readonly mergeMode: MergeMode;

  constructor(layer: RNNBase, opts: BidirectionalOptions = {}) {
    super(opts);
    if (!(layer instanceof RNNBase)) throw new ValueError(`Bidirectional: expects a recurrent layer (SimpleRNN, LSTM, GRU), got ${kindOf(layer)}`);
    this.mergeMode = readOptions('Bidirectional', opts).oneOf('mergeMode', MODES, 'concat');
    this.forwardLayer = layer;
    this.backwardLayer = Bidirectional.makeBackward(layer, opts.backwardLayer);
    if (this.backwardLayer.goBackwards === layer.goBackwards) {
      throw new ValueError('Bidirectional: backwardLayer must read in the opposite direction (its goBackwards must differ from the forward layer\'s)');
    }
    if (this.backwardLayer.returnSequences !== layer.returnSequences) {
      throw new ValueError('Bidirectional: the forward and backward layers must agree on returnSequences');
    }
  }

  private static makeBackward(layer: RNNBase, given: RNNBase | SerializedObject | undefined): RNNBase {
    if (given instanceof RNNBase) return given;
    if (given !== undefined && given !== null && !isSerializedObject(given)) {
      throw new ValueError(`Bidirectional: backwardLayer must be a recurrent layer or its { className, config }, got ${describeValue(given)}`);
    }
    const spec: SerializedObject = isSerializedObject(given)
      ? given
      : { className: layer.className, config: { ...layer.getConfig(), name: `backward_${layer.name}`, goBackwards: !layer.goBackwards } };
    const made = layerFromConfig(spec);
    if (!(made instanceof RNNBase)) throw new ValueError(`Bidirectional: backwardLayer must be a recurrent layer, got ${made.className}`);
    return made;
  }

  override build(inputShape: number[]): void {
    if (!this.forwardLayer.built) this.forwardLayer.build(inputShape);
    if (!this.backwardLayer.built) this.backwardLayer.build(inputShape);
  }

  call(inputs: Tensor, training = false): Tensor {
    this.checkSingleOutput();
    return this.callWithState(inputs, { training }).output;
  }

  /**
   * Both directions with their final states; `initialState` lists the forward layer's states and
   * then the backward layer's.
   */
  callWithState(inputs: Tensor, opts: RecurrentCallOptions = {}): BidirectionalResult {
    if (!(inputs instanceof Tensor)) throw new ValueError(`${this.describe()}: expects a Tensor, got ${typeof inputs}`);
    const mask = opts.mask === undefined ? getMask(inputs) : opts.mask;
    let fInit: Tensor[] | null = null;
    let bInit: Tensor[] | null = null;
    if (opts.initialState) {
      const half = opts.initialState.length / 2;
      if (!Number.isInteger(half)) throw new ValueError(`${this.describe()}: initialState must hold the forward states then the backward states (an even count), got ${opts.initialState.length}`);
      fInit = opts.initialState.slice(0, half);
      bInit = opts.initialState.slice(half);
    }
    const training = this.resolveTraining(opts.training);
    const f = this.forwardLayer.callWithState(inputs, { mask, initialState: fInit, training });
    const b = this.backwardLayer.callWithState(inputs, { mask, initialState: bInit, training });
    const seq = this.forwardLayer.returnSequences;
    const fOut = seq && this.forwardLayer.goBackwards ? reverseTime(f.output) : f.output;
    const bOut = seq && this.backwardLayer.goBackwards ? reverseTime(b.output) : b.output;
    const output = this.merge(fOut, bOut);
    if (seq && mask) setMask(output, getMask(fOut) ?? mask);
    return { output, outputs: [fOut, bOut], states: [...f.states, ...b.states] };
  }

  private merge(a: Tensor, b: Tensor): Tensor {
    switch (this.mergeMode) {
      case 'concat':
        return concat([a, b], -1);
      case 'sum':
        return add(a, b);
      case 'mul':
        return mul(a, b);
      case 'ave':
        return mul(add(a, b), 0.5);
      default:
        return a;
    }
  }

  private checkSingleOutput(): void {
    if (this.mergeMode === null) {
      throw new ValueError(`${this.describe()}: with mergeMode null there are two outputs; use callWithState(x).outputs, or pick a mergeMode`);
    }
  }

  override computeOutputShape(inputShape: number[]): number[] {
    this.checkSingleOutput();
    const shape = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode === 'concat') shape[shape.length - 1] = 2 * shape[shape.length - 1]!;
    return shape;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      layer: serializeLayer(this.forwardLayer),
      mergeMode: this.mergeMode,
      backwardLayer: serializeLayer(this.backwardLayer),
    };
  }

  static override fromConfig(config: Config): Bidirectional {
    const { layer, ...opts } = config;
    if (!isSerializedObject(layer)) throw new ValueError('Bidirectional.fromConfig: config.layer must be { className, config }');
    const forward = layerFromConfig(layer);
    if (!(forward instanceof RNNBase)) throw new ValueError(`Bidirectional.fromConfig: layer must be a recurrent layer, got ${forward.className}`);
    return new Bidirectional(forward, opts as BidirectionalOptions);
  }
}

/** A class name for a Layer, else the typeof, for error messages. */
function kindOf(v: unknown): string {
  return v instanceof Layer ? v.className : typeof v;
}

/** `x[:, ::-1]`, keeping a reversed copy of its mask. */
function reverseTime(x: Tensor): Tensor {
  const out = slice(x, [null, [null, null, -1]]);
  const m = getMask(x);
  if (m) setMask(out, slice(m, [null, [null, null, -1]]));
  return out;
}

registerLayer(Bidirectional);
