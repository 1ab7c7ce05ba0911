/**
 * How an ONNX graph becomes a trainable model: which initializers are weights (float tensors in
 * learnable positions) and which are constants (shapes, axes, exponents, bounds), which nodes can
 * be computed once at load (all inputs constant: they are folded), and which node's layer owns
 * each weight (the first node that reads it from the data path, looking through weight-only
 * nodes such as a Reshape of a kernel).
 */
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { OnnxGraph } from './graph.js';
import { Attrs, describeNode, type OnnxNode, type OpContext, type OpDef } from './node.js';
import { ONNX_OPS } from './ops/index.js';

/** A node that runs at every call: on the data path ('data'), or computing from weights only ('weight'). */
export interface PlanNode {
  node: OnnxNode;
  def: OpDef;
  kind: 'data' | 'weight';
  /** Index of the first input on the data path (what a replacement layer receives), or −1. */
  primary: number;
}

/** A weight: the plan node whose layer owns it, and whether training updates it. */
export interface PlannedWeight {
  owner: number;
  trainable: boolean;
}

/** The analysed graph. */
export interface ModelPlan {
  /** The nodes that run at call time, in topological order. */
  nodes: PlanNode[];
  /** Values known at load: non-weight initializers and the outputs of folded nodes. */
  constants: Map<string, Tensor>;
  /** ONNX initializer name → its owner and trainability. */
  weights: Map<string, PlannedWeight>;
  /** Value name → index in `nodes` of the node producing it. */
  producer: Map<string, number>;
}

type Use = 'setting' | 'statistic' | 'parameter' | 'value';

/** What a node does with its input `k`. */
function useOf(def: OpDef, k: number): Use {
  if (def.settings === 'rest' ? k >= 1 : def.settings?.includes(k)) return 'setting';
  if (def.statistics?.includes(k)) return 'statistic';
  if (def.parameters?.includes(k)) return 'parameter';
  return 'value';
}

/**
 * Decides which initializers are weights. A float initializer read as a parameter (Conv's W…) or
 * statistic is one; read as a plain value (an Add's bias, a Reshape's data) it is one unless it
 * holds a single number (an epsilon, a scale factor); read only as a setting it never is.
 */
function classifyInitializers(graph: OnnxGraph): Map<string, { trainable: boolean }> {
  const found = new Map<string, { trainable: boolean }>();
  for (const node of graph.nodes) {
    const def = ONNX_OPS.get(node.opType)!;
    node.inputs.forEach((name, k) => {
      const t = graph.initializers.get(name);
      if (t === undefined || !isFloat(t.dtype)) return;
      const use = useOf(def, k);
      const isWeight = use === 'statistic' || use === 'parameter' || (use === 'value' && t.size > 1);
      if (!isWeight) return;
      const prev = found.get(name);
      found.set(name, { trainable: (prev?.trainable ?? false) || use !== 'statistic' });
    });
  }
  return found;
}

/** Runs a node whose inputs are all known, at load time. */
function fold(node: OnnxNode, def: OpDef, constants: Map<string, Tensor>): void {
  const ctx: OpContext = { node, attrs: new Attrs(node), training: false, isWeight: () => false };
  let out: Tensor | (Tensor | undefined)[];
  try {
    out = def.run(node.inputs.map((n) => (n === '' ? undefined : constants.get(n))), ctx);
  } catch (err) {
    if (err instanceof Error) err.message = `loadOnnx: while computing the constant ${describeNode(node)}: ${err.message}`;
    throw err;
  }
  const outs = Array.isArray(out) ? out : [out];
  node.outputs.forEach((name, i) => {
    const t = outs[i];
    if (name !== '' && t !== undefined) constants.set(name, t);
  });
}

/** Analyses a validated graph (folding its constant nodes). */
export function planGraph(graph: OnnxGraph): ModelPlan {
  const weightInfo = classifyInitializers(graph);
  const constants = new Map<string, Tensor>();
  for (const [name, t] of graph.initializers) if (!weightInfo.has(name)) constants.set(name, t);
  const state = new Map<string, 'data' | 'weight'>();
  for (const v of graph.inputs) state.set(v.name, 'data');
  for (const name of weightInfo.keys()) state.set(name, 'weight');

  const nodes: PlanNode[] = [];
  const producer = new Map<string, number>();
  for (const node of graph.nodes) {
    const def = ONNX_OPS.get(node.opType)!;
    const kinds = node.inputs.filter((n) => n !== '').map((n) => state.get(n));
    if (kinds.every((k) => k === undefined)) {
      fold(node, def, constants);
      continue;
    }
    const kind = kinds.includes('data') ? 'data' : 'weight';
    const primary = node.inputs.findIndex((n) => n !== '' && state.get(n) === 'data');
    for (const out of node.outputs) {
      if (out === '') continue;
      state.set(out, kind);
      producer.set(out, nodes.length);
    }
    nodes.push({ node, def, kind, primary });
  }

  const readers = new Map<string, number[]>();
  nodes.forEach((p, i) => {
    for (const v of new Set(p.node.inputs)) readers.set(v, [...(readers.get(v) ?? []), i]);
  });
  const weights = new Map<string, PlannedWeight>();
  for (const [name, info] of weightInfo) {
    const owner = ownerOf(name, nodes, readers);
    if (owner >= 0) weights.set(name, { owner, trainable: info.trainable });
  }
  return { nodes, constants, weights, producer };
}

/**
 * The node whose layer owns weight `name`: the earliest data-path node reading it, directly or
 * through weight-only nodes; else the first node reading it at all; −1 if nothing reads it.
 */
function ownerOf(name: string, nodes: readonly PlanNode[], readers: ReadonlyMap<string, readonly number[]>): number {
  const seen = new Set<string>([name]);
  const queue = [name];
  let best = -1;
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const i of readers.get(v) ?? []) {
      const p = nodes[i]!;
      if (p.kind === 'data') {
        if (best < 0 || i < best) best = i;
        continue;
      }
      for (const out of p.node.outputs) {
        if (out !== '' && !seen.has(out)) {
          seen.add(out);
          queue.push(out);
        }
      }
    }
  }
  return best >= 0 ? best : (readers.get(name)?.[0] ?? -1);
}
