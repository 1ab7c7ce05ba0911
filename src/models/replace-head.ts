/**
 * Replacing a model's head: the step of fine-tuning where a pretrained network's output layer
 * (1000 ImageNet classes, 10 digits) makes way for one sized for the new task.
 *
 * For an imported ONNX graph the head is often two nodes: exporters write a linear layer as
 * `MatMul` (the weight) followed by `Add` (the bias) — the mnist-12 model ends in
 * `Times212 = MatMul(x, W[256,10])` and `Plus214 = Add(Times212, b[1,10])`, each its own
 * sublayer. `replaceHead` treats such a pair as one unit: the new layer takes the MatMul's place
 * (it receives the MatMul's data input, here the flattened `[N, 256]` features) and the Add
 * becomes an `Identity`, so the new layer's output is the model's output. A Gemm (weight and bias
 * in one node) is a unit by itself.
 */
import { noGrad } from '../tensor/grad-mode.js';
import { OnnxNodeLayer } from '../io/onnx/onnx-layer.js';
import { OnnxModel } from '../io/onnx/onnx-model.js';
import { dtypeForOnnx } from '../io/onnx/tensor-proto.js';
import { freezeAllExcept } from '../nn/freeze.js';
import { Layer, registerLayer, type LayerOptions } from '../nn/layer.js';
import { findLayer, pathOf, replaceSublayer } from '../nn/layer-paths.js';
import { zeros } from '../tensor/creation.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Passes its input through unchanged (Keras' `Identity`, PyTorch's `nn.Identity`): what an ONNX
 * bias `Add` becomes when `replaceHead` folds it into the new head.
 *
 * @example
 * new nb.models.Identity().apply(x) === x
 */
export class Identity extends Layer {
  constructor(opts: LayerOptions = {}) {
    super(opts);
  }

  call(inputs: Tensor): Tensor {
    return inputs;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }
}

registerLayer(Identity);

/** Options of `replaceHead`. */
export interface ReplaceHeadOptions {
  /**
   * The layer to replace, by property path or name (`'dense3'`, `'layers.5'`, `'Times212'`).
   * Default: the last layer that holds weights, in property order (a Sequential's layer order, a
   * subclass's property order, an ONNX graph's node order).
   */
  at?: string;
  /**
   * Freeze every other layer (the pretrained body), leaving the new head the only trainable
   * layer (default false: trainability is left as it is).
   */
  freezeBody?: boolean;
}

/** What `replaceHead` changed. */
export interface ReplaceHeadResult {
  /** The property path where the new head now sits. */
  path: string;
  /** The layer it took the place of. */
  previous: Layer;
  /** For an ONNX MatMul + Add pair: the Add's path (now an `Identity`) and its old layer; else null. */
  bias: { path: string; previous: Layer } | null;
}

/** A layer holding weights itself (not only through sublayers). */
function ownsWeights(layer: Layer): boolean {
  return layer.namedWeights().some(([n]) => !n.includes('.'));
}

/**
 * The weight-holding layers in property order, outermost only: the sublayers of a layer that
 * holds weights itself (a LoRA wrapper's base) belong to it.
 */
function weightUnits(root: Layer): Layer[] {
  const out: Layer[] = [];
  const inside = new Set<Layer>();
  for (const [, layer] of root.namedLayers()) {
    if (inside.has(layer)) continue;
    if (ownsWeights(layer)) {
      out.push(layer);
      for (const [, sub] of layer.namedLayers()) inside.add(sub);
    }
  }
  return out;
}

function isBiasAdd(layer: Layer | undefined): layer is OnnxNodeLayer {
  return layer instanceof OnnxNodeLayer && layer.opType === 'Add' && layer.weights.length === 1;
}

function isLinearNode(layer: Layer | undefined): layer is OnnxNodeLayer {
  return layer instanceof OnnxNodeLayer && (layer.opType === 'MatMul' || layer.opType === 'Gemm');
}

/** Stands in for a layer during one probing run: passes its input on, or records it and stops the run. */
class Probe extends Layer {
  seen: Tensor | null = null;
  readonly stop = new Error('replaceHead: probe reached');

  constructor(private readonly role: 'pass' | 'stop') {
    // a given name keeps the automatic layer-name counter untouched
    super({ name: 'probe' });
  }

  call(inputs: Tensor): Tensor {
    this.seen = inputs;
    if (this.role === 'stop') throw this.stop;
    return inputs;
  }
}

/** Zeros for every graph input, batch 1 where a dim is symbolic; null when a shape is not declared. */
function probeFeeds(model: OnnxModel): Record<string, Tensor> | null {
  const feeds: [string, Tensor][] = [];
  for (const info of model.onnx.inputs) {
    if (info.shape === null) return null;
    const shape = info.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const dtype = dtypeForOnnx(info.elemType) ?? 'float32';
    feeds.push([info.name, zeros(shape, { dtype })]);
  }
  // fromEntries defines own properties: a graph input named '__proto__' stays an input
  return Object.fromEntries(feeds);
}

/**
 * Whether the output of ONNX layer `from` is the data input of `to`. The graph's wiring is the
 * model's own business, so this asks the model: one run on zeros with `from` replaced by a layer
 * that passes its input on and `to` by one that records what reaches it and stops the run there.
 */
function feeds(model: OnnxModel, from: Layer, to: Layer): boolean {
  const fromPath = pathOf(model, from);
  const toPath = pathOf(model, to);
  const unit = `${to.describe()} after ${from.describe()}`;
  const manual = `replace them yourself: model.replaceLayer('${fromPath}', head) and model.replaceLayer('${toPath}', new nb.models.Identity())`;
  const inputs = probeFeeds(model);
  if (inputs === null) throw new ValueError(`replaceHead: cannot check that ${unit} is its bias (the graph's input shapes are not declared); ${manual}`);
  const pass = new Probe('pass');
  const stop = new Probe('stop');
  // the probing run must not show up as "the last apply" in summary()
  const layers = model.namedLayers().map(([, l]) => l);
  const shapes = layers.map((l) => [l.lastInputShape, l.lastOutputShape] as const);
  replaceSublayer(model, fromPath, pass);
  replaceSublayer(model, toPath, stop);
  try {
    noGrad(() => model.run(inputs));
  } catch (err) {
    // an error between the two probes means a node in between worked on from's output
    if (err !== stop.stop && pass.seen === null) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ValueError(`replaceHead: could not run the model on zeros to check that ${unit} is its bias (${why}); ${manual}`);
    }
  } finally {
    replaceSublayer(model, fromPath, from);
    replaceSublayer(model, toPath, to);
    layers.forEach((l, i) => ([l.lastInputShape, l.lastOutputShape] = shapes[i]!));
  }
  return pass.seen !== null && pass.seen === stop.seen;
}

/** For an ONNX model: the [MatMul, Add] pair `target` belongs to, or null. */
function linearPair(model: Layer, target: Layer): [OnnxNodeLayer, OnnxNodeLayer] | null {
  if (!(model instanceof OnnxModel)) return null;
  const units = weightUnits(model);
  const at = units.indexOf(target);
  if (at < 0) return null;
  const before = units[at - 1];
  const after = units[at + 1];
  if (isBiasAdd(target) && isLinearNode(before) && feeds(model, before, target)) return [before, target];
  if (isLinearNode(target) && isBiasAdd(after) && feeds(model, target, after)) return [target, after];
  return null;
}

/**
 * Puts `head` in the place of a model's output layer — by default the last layer holding weights —
 * and returns what was replaced. Works on a Sequential (the layer's slot in `layers`), a
 * subclassed model (the property), and an imported `OnnxModel` (the node's sublayer; a MatMul +
 * bias Add pair is replaced as one unit, see the file comment). Layers after the head that hold no
 * weights (a softmax, a flatten) stay. The new head is built on its first `apply`, from the input
 * it gets there. For an OnnxModel, telling whether an Add is the bias of the MatMul before it
 * costs one run of the graph on zeros (batch 1) up to that Add.
 *
 * Compile the model (again) afterwards: an optimizer that already registered the old head's
 * weights would meet new weights under the same names.
 *
 * @example
 * const model = nb.io.loadOnnx('mnist-12.onnx', { initializers: { Pooling160_Output_0_reshape0_shape: [-1, 256] } });
 * nb.models.replaceHead(model, new nb.layers.Dense(10), { freezeBody: true });
 * // Times212 (MatMul) is now the Dense, Plus214 (Add) an Identity; only the Dense trains
 */
export function replaceHead(model: Layer, head: Layer, opts: ReplaceHeadOptions = {}): ReplaceHeadResult {
  if (!(model instanceof Layer)) throw new ValueError('replaceHead: the model must be a Layer or Model');
  if (!(head instanceof Layer)) throw new ValueError(`replaceHead: the new head must be a Layer, got ${head === null ? 'null' : typeof head}`);
  if (head === model || model.namedLayers().some(([, l]) => l === head)) {
    throw new ValueError(`replaceHead: ${head.describe()} is already part of ${model.describe()}; pass a new layer`);
  }
  let target: Layer;
  if (opts.at !== undefined) {
    target = findLayer(model, opts.at);
  } else {
    const units = weightUnits(model);
    const last = units[units.length - 1];
    if (last === undefined) {
      const unbuilt = model.namedLayers().some(([, l]) => !l.built);
      throw new ValueError(
        `replaceHead: ${model.describe()} has no layer holding weights` +
          (unbuilt ? ' yet: run it once (model.apply(sampleInput)) to build it, or name the layer to replace with { at }' : '; name the layer to replace with { at }'),
      );
    }
    target = last;
  }
  const pair = linearPair(model, target);
  let result: ReplaceHeadResult;
  if (pair) {
    const [linear, add] = pair;
    const path = pathOf(model, linear);
    const biasPath = pathOf(model, add);
    replaceSublayer(model, path, head);
    replaceSublayer(model, biasPath, new Identity({ name: `${add.name}_identity` }));
    result = { path, previous: linear, bias: { path: biasPath, previous: add } };
  } else {
    const path = pathOf(model, target);
    result = { path, previous: replaceSublayer(model, path, head), bias: null };
  }
  if (opts.freezeBody) freezeAllExcept(model, [head]);
  return result;
}
