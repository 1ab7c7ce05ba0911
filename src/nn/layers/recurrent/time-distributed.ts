import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { fmt } from '../../../tensor/shape.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { reshape } from '../../../ops/movement.js';
import { isSerializedObject, type Config } from '../../config.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { layerFromConfig, registerLayer, serializeLayer } from '../../layer-registry.js';
import { registerMaskPassthrough } from '../../mask.js';

/**
 * Applies `layer` to every time step of `[B, T, ...]` on its own (Keras' `TimeDistributed`): the
 * steps are folded into the batch, `[B·T, ...]`, run through the layer once, and unfolded. The
 * wrapped layer's weights are shared by all steps (`layer.*`). A mask on the input is kept.
 *
 * @example
 * new nn.layers.TimeDistributed(new nn.layers.Dense(5)).apply(nb.randn([2, 7, 3]))   // [2, 7, 5]
 */
export class TimeDistributed extends Layer {
  readonly layer: Layer;

  constructor(layer: Layer, opts: LayerOptions = {}) {
    super(opts);
    if (!(layer instanceof Layer)) throw new ValueError(`TimeDistributed: expects a Layer, got ${typeof layer}`);
    this.layer = layer;
  }

  private checkShape(shape: readonly number[]): void {
    if (shape.length < 3) throw new ShapeError(`${this.describe()}: expected inputs of shape [batch, timesteps, ...] with rank >= 3, got ${fmt(shape)}`);
  }

  override build(inputShape: number[]): void {
    this.checkShape(inputShape);
    if (!this.layer.built) this.layer.build([inputShape[0]! * inputShape[1]!, ...inputShape.slice(2)]);
  }

  call(inputs: Tensor, training = false): Tensor {
    this.checkShape(inputs.shape);
    const [b, t] = [inputs.shape[0]!, inputs.shape[1]!];
    const y = this.layer.apply(reshape(inputs, [b * t, ...inputs.shape.slice(2)]), training);
    return reshape(y, [b, t, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    this.checkShape(inputShape);
    const inner = this.layer.computeOutputShape([inputShape[0]! * inputShape[1]!, ...inputShape.slice(2)]);
    return [inputShape[0]!, inputShape[1]!, ...inner.slice(1)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }

  static override fromConfig(config: Config): TimeDistributed {
    const { layer, ...opts } = config;
    if (!isSerializedObject(layer)) throw new ValueError('TimeDistributed.fromConfig: config.layer must be { className, config }');
    return new TimeDistributed(layerFromConfig(layer), opts as LayerOptions);
  }
}

registerLayer(TimeDistributed);
registerMaskPassthrough('TimeDistributed');
