import { add, cast } from '../../ops/binary.js';
import { conv2d, type ConvOptions } from '../../ops/conv.js';
import { isFloat } from '../../tensor/dtype.js';
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Config } from '../config.js';
import { registerLayer } from '../layer-registry.js';
import { Conv2D } from '../layers/conv.js';
import { describeValue, LoRALayer, loraFromConfig, type LoRALayerOptions } from './lora-layer.js';

/**
 * A `Conv2D` layer with a low-rank adapter on its kernel. The kernel `K [kh, kw, in/groups,
 * filters]` is seen as the matrix `[kh·kw·in/groups, filters]` (one row per input tap), and
 * adapted as `K + (alpha/rank)·reshape(A·B)` with `A [kh·kw·in/groups, rank]`,
 * `B [rank, filters]`: `activation(conv2d(x, K + ΔK) + b)`, the base's strides, padding,
 * dilation, groups and data format unchanged. With dropout in training, the update runs as its
 * own convolution on the dropped-out input: `conv2d(x, K) + conv2d(dropout(x), ΔK)`.
 *
 * @example
 * const lora = new nb.lora.LoRAConv2D(new nb.layers.Conv2D(32, 3), { rank: 4 });
 * lora.apply(nb.randn([8, 28, 28, 16]));   // A [144, 4], B [4, 32]
 */
export class LoRAConv2D extends LoRALayer<Conv2D> {
  constructor(base: Conv2D, opts: LoRALayerOptions) {
    if (!(base instanceof Conv2D)) throw new ValueError(`LoRAConv2D: the base must be a Conv2D layer, got ${describeValue(base)}`);
    super(base, opts);
  }

  protected matrixShape(): [number, number] {
    const shape = this.baseKernel().shape;
    const out = shape[shape.length - 1]!;
    return [shape.reduce((a, b) => a * b, 1) / out, out];
  }

  call(inputs: Tensor, training = false): Tensor {
    const base = this.base;
    const w = base.window;
    const opts: ConvOptions = { strides: w.strides, padding: w.padding, dilation: w.dilationRate, groups: base.groups, dataFormat: w.dataFormat };
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    const kernel = base.kernel;
    const delta = this.kernelDelta();
    const dropped = this.adapterInput(x, training);
    // without dropout, conv(x, K) + conv(x, ΔK) = conv(x, K + ΔK): one convolution instead of two
    const y = dropped === x
      ? conv2d(x, add(kernel, delta), { ...opts, bias: base.bias })
      : add(conv2d(x, kernel, { ...opts, bias: base.bias }), conv2d(dropped, delta, opts));
    return base.activation(y);
  }

  static override fromConfig(config: Config): LoRAConv2D {
    return loraFromConfig(config, (base, opts) => new LoRAConv2D(base as Conv2D, opts));
  }
}

registerLayer(LoRAConv2D);
