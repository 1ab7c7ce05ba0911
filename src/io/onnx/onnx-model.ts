/**
 * The Model an ONNX file becomes. Each node that owns weights is a named sublayer
 * (`OnnxNodeLayer`); `call` walks the nodes in topological order with nabla ops, so gradients
 * flow to every weight and the model trains, freezes and saves like any other.
 */
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { isFloat } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { Layer } from '../../nn/layer.js';
import { Model } from '../../model/model.js';
import type { OnnxGraph, OnnxValueInfo } from './graph.js';
import { Attrs, describeNode, type OpContext } from './node.js';
import { OnnxNodeLayer, type NodeWeight } from './onnx-layer.js';
import type { ModelPlan, PlanNode } from './plan.js';
import { dtypeForOnnx } from './tensor-proto.js';

/** What the file says about the model. */
export interface OnnxModelInfo {
  /** The graph's name. */
  name: string;
  irVersion: number;
  opset: number;
  /** `producer_name producer_version`, e.g. `'CNTK 2.5.1'`. */
  producer: string;
  metadata: Record<string, string>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

/** Options of `OnnxModel.run`. */
export interface OnnxRunOptions {
  /** Training mode: dropout active, BatchNormalization on batch statistics (default false). */
  training?: boolean;
  /** Which graph outputs (or any intermediate values) to return; default all graph outputs. */
  outputs?: string[];
}

/** A property-safe name: letters, digits and `_` (a path part of parameter names cannot hold '.'). */
function sanitize(s: string): string {
  const k = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (k === '') return 'node';
  return /^[0-9]/.test(k) ? `layer_${k}` : k;
}

/** The part before the last '.' of a name (`conv1.weight` → `conv1`), or null. */
function dottedPrefix(name: string): string | null {
  const at = name.lastIndexOf('.');
  return at > 0 ? name.slice(0, at) : null;
}

/**
 * A trainable nabla Model built from an ONNX graph (see `loadOnnx`). Its sublayers are the nodes
 * that hold weights, named after their weights' common prefix (`conv1` for `conv1.weight` and
 * `conv1.bias`, as PyTorch exports them) or after the node (`Convolution28`); each weight keeps its
 * initializer's name within its layer. `call(x)` takes the single graph input and returns the
 * first graph output; `run(feeds)` handles any number of both.
 *
 * The first dim of every input is the batch and may vary; other dims must match the file.
 * A sublayer can be frozen (`trainable = false`) or replaced by any layer (assign it to the same
 * property, or use `replaceLayer`): the replacement receives the node's first data input.
 *
 * @example
 * const model = nb.io.loadOnnx('model.onnx');
 * model.namedParameters().map(([n]) => n);   // ['conv1.weight', 'conv1.bias', …]
 * const logits = model.apply(x);
 */
export class OnnxModel extends Model {
  /** The model's file-level facts: opset, producer, inputs, outputs, metadata. */
  readonly onnx: OnnxModelInfo;
  /** ONNX initializer name → parameter path in this model (`'conv1.weight'`, `'Convolution28.Parameter5'`). */
  readonly weightPaths: Readonly<Record<string, string>>;
  private readonly plan: ModelPlan;
  /** The layer made for each plan node that owns weights (to tell when a user replaced it). */
  private readonly ownLayers: Map<number, { key: string; layer: OnnxNodeLayer }>;
  /** Weight initializer name → owner's plan index. */
  private readonly weightOwner: Map<string, number>;

  constructor(graph: OnnxGraph, plan: ModelPlan, opts: { name?: string } = {}) {
    super({ name: opts.name ?? (graph.name !== '' ? graph.name : 'onnx_model') });
    this.onnx = {
      name: graph.name, irVersion: graph.irVersion, opset: graph.opset, producer: graph.producer,
      metadata: graph.metadata, inputs: graph.inputs, outputs: graph.outputs,
    };
    this.plan = plan;
    this.ownLayers = new Map();
    this.weightOwner = new Map();
    // entries, made into a record at the end: an initializer may be named '__proto__'
    const paths: [string, string][] = [];
    const byOwner = new Map<number, string[]>();
    for (const [name, w] of plan.weights) {
      byOwner.set(w.owner, [...(byOwner.get(w.owner) ?? []), name]);
      this.weightOwner.set(name, w.owner);
    }
    const used = new Set<string>();
    for (const [owner, names] of [...byOwner].sort((a, b) => a[0] - b[0])) {
      const p = plan.nodes[owner]!;
      const prefixes = new Set(names.map(dottedPrefix));
      const shared = prefixes.size === 1 ? [...prefixes][0] ?? null : null;
      const key = this.freeKey(sanitize(shared ?? p.node.name), used);
      const weightNames = new Set<string>();
      const weights: NodeWeight[] = names.map((onnxName) => {
        let wn = sanitize(shared !== null ? onnxName.slice(shared.length + 1) : onnxName);
        for (let i = 1; weightNames.has(wn); i++) wn = `${sanitize(onnxName)}_${i}`;
        weightNames.add(wn);
        paths.push([onnxName, `${key}.${wn}`]);
        return { onnxName, name: wn, value: graph.initializers.get(onnxName)!, trainable: plan.weights.get(onnxName)!.trainable };
      });
      const layer = new OnnxNodeLayer(key, p.node.opType, p.node.name, weights, (x, training) => this.runNodeAlone(owner, x, training));
      (this as unknown as Record<string, unknown>)[key] = layer;
      this.ownLayers.set(owner, { key, layer });
    }
    this.weightPaths = Object.fromEntries(paths);
    this.built = true;
  }

  /**
   * Not available: a model.json cannot describe an ONNX graph. Save the weights with
   * `saveWeights(path)` and restore them with `loadOnnx(file)` then `loadWeights(path)`.
   */
  override async save(dir: string): Promise<void> {
    throw new ValueError(`${this.describe()}: save('${dir}') cannot write an imported ONNX graph as model.json; use saveWeights(path), and later loadOnnx(file) followed by loadWeights(path)`);
  }

  /** `base`, or `base_1`, `base_2`… : a property name that nothing on the model uses yet. */
  private freeKey(base: string, used: Set<string>): string {
    let key = base;
    for (let i = 1; used.has(key) || key in this; i++) key = `${base}_${i}`;
    used.add(key);
    return key;
  }

  /** The names of the graph inputs to feed. */
  get inputNames(): string[] {
    return this.onnx.inputs.map((v) => v.name);
  }

  /** The names of the graph outputs. */
  get outputNames(): string[] {
    return this.onnx.outputs.map((v) => v.name);
  }

  /** The layer (original or replacement) that runs the ONNX node named `nodeName`, or null if that node holds no weights. */
  getLayerByNode(nodeName: string): Layer | null {
    for (const [owner, { key }] of this.ownLayers) {
      if (this.plan.nodes[owner]!.node.name === nodeName) return this.layerAt(key);
    }
    return null;
  }

  /**
   * Puts `layer` where the sublayer `key` was (a property name, e.g. from `namedChildren()`). The
   * new layer receives the node's first data input and its output replaces the node's first output.
   */
  replaceLayer(key: string, layer: Layer): void {
    if (![...this.ownLayers.values()].some((o) => o.key === key)) {
      throw new ValueError(`${this.describe()}: no sublayer '${key}' (sublayers: ${[...this.ownLayers.values()].map((o) => o.key).join(', ')})`);
    }
    if (!(layer instanceof Layer)) throw new ValueError(`${this.describe()}: replaceLayer expects a Layer`);
    (this as unknown as Record<string, unknown>)[key] = layer;
  }

  private layerAt(key: string): Layer | null {
    const v = (this as unknown as Record<string, unknown>)[key];
    return v instanceof Layer ? v : null;
  }

  /** The plan node's replacement layer if the user swapped its layer out, else null. */
  private replacement(index: number): Layer | null {
    const own = this.ownLayers.get(index);
    if (!own) return null;
    const current = this.layerAt(own.key);
    if (current === own.layer) return null;
    if (current === null) throw new ValueError(`${this.describe()}: the sublayer '${own.key}' (for ${describeNode(this.plan.nodes[index]!.node)}) was removed; put a Layer there`);
    return current;
  }

  call(inputs: Tensor, training = false): Tensor {
    const names = this.inputNames;
    if (names.length !== 1) {
      throw new ValueError(`${this.describe()}: the graph has ${names.length} inputs (${names.join(', ')}); use model.run({ name: tensor, … })`);
    }
    const target = this.outputNames[0]!;
    return this.interpret(new Map([[names[0]!, this.checkFeed(this.onnx.inputs[0]!, inputs)]]), [target], training, -1).get(target)!;
  }

  /**
   * Runs the graph on named inputs (or the single input as a tensor) and returns the outputs by
   * name. Ask for intermediate values with `outputs`.
   *
   * @example
   * const { logits } = model.run({ input_ids: ids, attention_mask: mask });
   */
  run(feeds: Tensor | Record<string, Tensor>, opts: OnnxRunOptions = {}): Record<string, Tensor> {
    const given = feeds instanceof Tensor ? { [this.inputNames[0] ?? '']: feeds } : feeds;
    const map = new Map<string, Tensor>();
    for (const [name, t] of Object.entries(given)) {
      const info = this.onnx.inputs.find((v) => v.name === name);
      if (!info) throw new ValueError(`${this.describe()}: the graph has no input '${name}' (inputs: ${this.inputNames.join(', ')})`);
      map.set(name, this.checkFeed(info, t));
    }
    const targets = opts.outputs ?? this.outputNames;
    return Object.fromEntries(this.interpret(map, targets, opts.training ?? false, -1));
  }

  /** Checks a fed tensor against the declared input (all dims but the batch) and casts it to the declared type. */
  private checkFeed(info: OnnxValueInfo, t: Tensor): Tensor {
    if (!(t instanceof Tensor)) throw new ValueError(`${this.describe()}: input '${info.name}' must be a Tensor`);
    if (info.shape !== null) {
      const bad = t.ndim !== info.shape.length || info.shape.some((d, i) => i > 0 && typeof d === 'number' && d > 0 && d !== t.shape[i]);
      if (bad) {
        const want = info.shape.map((d, i) => (i === 0 ? 'batch' : d ?? '?')).join(',');
        throw new ShapeError(`${this.describe()}: input '${info.name}' must have shape [${want}], got [${t.shape.join(',')}]`);
      }
    }
    const dtype = dtypeForOnnx(info.elemType);
    return dtype !== null && dtype !== t.dtype && (isFloat(dtype) || !isFloat(t.dtype)) ? cast(t, dtype) : t;
  }

  /** Runs the node of owned layer `owner` alone, with `x` as its first data input. */
  private runNodeAlone(owner: number, x: Tensor, training: boolean): Tensor {
    const p = this.plan.nodes[owner]!;
    if (p.primary < 0) throw new ValueError(`${describeNode(p.node)} has no data input, so its layer cannot be applied on its own`);
    const target = p.node.outputs[0]!;
    return this.interpret(new Map([[p.node.inputs[p.primary]!, x]]), [target], training, owner).get(target)!;
  }

  /** The current tensor of weight `name`, read from its owning layer (so swaps and freezing apply). */
  private weightValue(name: string): Tensor {
    const owner = this.weightOwner.get(name)!;
    const own = this.ownLayers.get(owner)!;
    const current = this.layerAt(own.key);
    if (!(current instanceof OnnxNodeLayer) || current !== own.layer) {
      throw new ValueError(`${this.describe()}: the ONNX weight '${name}' belongs to the sublayer '${own.key}', which was replaced, but another node still reads it`);
    }
    return current.weightFor(name);
  }

  /** The nodes needed for `targets` (a replaced node needs only its first data input). */
  private schedule(targets: readonly string[], known: ReadonlyMap<string, Tensor>, forceOwn: number): number[] {
    const needed = new Set<number>();
    const stack = targets.slice();
    const seen = new Set<string>();
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v === '' || seen.has(v)) continue;
      seen.add(v);
      if (known.has(v) || this.plan.constants.has(v) || this.weightOwner.has(v)) continue;
      const i = this.plan.producer.get(v);
      if (i === undefined) {
        const isInput = this.inputNames.includes(v);
        if (forceOwn >= 0) {
          throw new ValueError(`${describeNode(this.plan.nodes[forceOwn]!.node)}: its layer can run alone only on its first data input, but it also needs '${v}', which comes from the rest of the graph; run the whole model instead`);
        }
        throw new ValueError(isInput ? `${this.describe()}: the graph input '${v}' is needed but was not given` : `${this.describe()}: no value named '${v}' in the graph`);
      }
      if (needed.has(i)) continue;
      needed.add(i);
      const p = this.plan.nodes[i]!;
      if (i !== forceOwn && this.replacement(i) !== null) {
        if (p.primary >= 0) stack.push(p.node.inputs[p.primary]!);
      } else {
        stack.push(...p.node.inputs);
      }
    }
    return [...needed].sort((a, b) => a - b);
  }

  /** Evaluates `targets` from `known` values: the interpreter. */
  private interpret(known: Map<string, Tensor>, targets: readonly string[], training: boolean, forceOwn: number): Map<string, Tensor> {
    const order = this.schedule(targets, known, forceOwn);
    const env = new Map(known);
    // how many scheduled nodes still read each value, to drop intermediates early
    const pending = new Map<string, number>();
    for (const i of order) for (const v of this.plan.nodes[i]!.node.inputs) pending.set(v, (pending.get(v) ?? 0) + 1);
    const keep = new Set(targets);
    const value = (name: string): Tensor | undefined => {
      if (name === '') return undefined;
      const t = env.get(name) ?? this.plan.constants.get(name);
      if (t !== undefined) return t;
      if (this.weightOwner.has(name)) return this.weightValue(name);
      throw new ValueError(`${this.describe()}: the value '${name}' was not computed`);
    };
    for (const i of order) {
      const p = this.plan.nodes[i]!;
      const outs = this.runPlanNode(i, p, value, training, forceOwn);
      p.node.outputs.forEach((name, k) => {
        const t = outs[k];
        if (name !== '' && t !== undefined) env.set(name, t);
      });
      for (const v of p.node.inputs) {
        const left = (pending.get(v) ?? 0) - 1;
        pending.set(v, left);
        if (left <= 0 && !keep.has(v) && !known.has(v)) env.delete(v);
      }
    }
    const result = new Map<string, Tensor>();
    for (const t of targets) result.set(t, value(t)!);
    return result;
  }

  private runPlanNode(i: number, p: PlanNode, value: (name: string) => Tensor | undefined, training: boolean, forceOwn: number): (Tensor | undefined)[] {
    const replaced = i === forceOwn ? null : this.replacement(i);
    if (replaced !== null) {
      if (p.primary < 0) throw new ValueError(`${describeNode(p.node)} has no data input to give its replacement layer ${replaced.describe()}`);
      return [replaced.apply(value(p.node.inputs[p.primary]!)!, training)];
    }
    const own = this.ownLayers.get(i);
    const ctx: OpContext = {
      node: p.node,
      attrs: new Attrs(p.node),
      training: training && (own ? own.layer.trainable : true),
      isWeight: (k) => this.weightOwner.has(p.node.inputs[k] ?? ''),
    };
    try {
      const inputs = p.node.inputs.map(value);
      const out = p.def.run(inputs, ctx);
      const outs = Array.isArray(out) ? out : [out];
      if (own) {
        // what summary() shows for this layer, as if it had been applied
        own.layer.lastInputShape = p.primary >= 0 ? inputs[p.primary]?.shape.slice() ?? null : null;
        own.layer.lastOutputShape = outs[0]?.shape.slice() ?? null;
      }
      return outs;
    } catch (err) {
      if (err instanceof Error && !err.message.startsWith(describeNode(p.node))) err.message = `${describeNode(p.node)}: ${err.message}`;
      throw err;
    }
  }
}
