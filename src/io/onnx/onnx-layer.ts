/**
 * The layer an imported ONNX node with weights becomes: it holds the node's initializers as
 * weights (so they train, freeze, save and load like any layer's) and runs the node.
 */
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer } from '../../nn/layer.js';

/** One weight of a node layer: its ONNX initializer, its name in the layer, its value. */
export interface NodeWeight {
  onnxName: string;
  name: string;
  value: Tensor;
  /** False for statistics the op updates itself (BatchNormalization's running mean and variance). */
  trainable: boolean;
}

/**
 * An ONNX node (Conv, Gemm, MatMul, BatchNormalization, an Add with a bias…) as a layer. Its
 * weights keep the values and layouts of the file (a Conv kernel stays `[outC, inC/groups, kh, kw]`).
 * `apply(x)` runs the node on `x` as its first data input; nodes that read several data inputs
 * run inside their model.
 *
 * @example
 * const model = nb.io.loadOnnx('mnist-12.onnx');
 * const conv = model.getLayerByNode('Convolution28');   // OnnxNodeLayer 'Convolution28'
 * conv.trainable = false;                               // freeze it
 */
export class OnnxNodeLayer extends Layer {
  /** The ONNX operator this layer runs (`Conv`, `MatMul`…). */
  readonly opType: string;
  /** The node's name in the ONNX graph. */
  readonly nodeName: string;
  /** ONNX initializer name → weight name in this layer. */
  readonly onnxWeightNames: ReadonlyMap<string, string>;
  private readonly runAlone: (x: Tensor, training: boolean) => Tensor;

  constructor(name: string, opType: string, nodeName: string, weights: readonly NodeWeight[], runAlone: (x: Tensor, training: boolean) => Tensor) {
    const dtype = weights.some((w) => w.value.dtype === 'float64') ? 'float64' : 'float32';
    super({ name, dtype });
    this.opType = opType;
    this.nodeName = nodeName;
    this.runAlone = runAlone;
    const names = new Map<string, string>();
    for (const w of weights) {
      const t = this.addWeight(w.name, w.value.shape, 'zeros', { trainable: w.trainable });
      t.storage.set(w.value.data());
      names.set(w.onnxName, w.name);
    }
    this.onnxWeightNames = names;
    this.built = true;
  }

  override get className(): string {
    // read during super() too, before the fields exist
    return `Onnx${(this as { opType?: string }).opType ?? 'Node'}`;
  }

  call(inputs: Tensor, training = false): Tensor {
    return this.runAlone(inputs, training);
  }

  /** The weight holding ONNX initializer `onnxName`. */
  weightFor(onnxName: string): Tensor {
    const name = this.onnxWeightNames.get(onnxName);
    if (name === undefined) throw new ValueError(`${this.describe()}: holds no weight for the ONNX initializer '${onnxName}'`);
    return this.getWeight(name);
  }
}
