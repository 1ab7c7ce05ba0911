/**
 * ModelProto → a validated graph: the opset, the initializers as tensors, the real inputs, the
 * nodes in topological order. Everything a malformed file can get wrong is caught here with an
 * error naming the node or tensor: a missing graph, nodes reading values nobody produces, values
 * produced twice, cycles, unsupported operators (all of them listed at once).
 */
import { FormatError } from '../../formats/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { AttributeProto, ModelProto, ValueInfoProto } from './proto.js';
import { describeNode, type OnnxNode } from './node.js';
import { ONNX_OPS, supportedOperators } from './ops/index.js';
import { dataTypeName } from './schema.js';
import { tensorFromProto } from './tensor-proto.js';

/** The opsets the importer reads (attribute vs input forms are handled per node). */
export const MIN_OPSET = 7;
export const MAX_OPSET = 18;

/** A graph input or output: name, ONNX element type and shape (a symbolic dim is a string, an unknown one null). */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** The element type's name (`FLOAT`, `INT64`…). */
  elemTypeName: string;
  shape: (number | string | null)[] | null;
}

/** A parsed and validated ONNX graph. */
export interface OnnxGraph {
  name: string;
  irVersion: number;
  opset: number;
  producer: string;
  metadata: Record<string, string>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Topologically sorted. */
  nodes: OnnxNode[];
  initializers: Map<string, Tensor>;
}

/** The graph uses operators the importer does not have. */
export class UnsupportedOperatorError extends Error {
  override name = 'UnsupportedOperatorError';
  constructor(
    message: string,
    /** Each unsupported operator with its node count. */
    readonly operators: Record<string, number>,
  ) {
    super(message);
  }
}

function valueInfo(v: ValueInfoProto, what: string): OnnxValueInfo {
  const name = v.name ?? '';
  if (name === '') throw new FormatError(`loadOnnx: a graph ${what} has no name`);
  const t = v.type?.tensorType;
  const dims = t?.shape?.dim;
  const shape = dims === undefined ? null : dims.map((d) => (d.dimValue !== undefined ? d.dimValue : d.dimParam !== undefined && d.dimParam !== '' ? d.dimParam : null));
  const elemType = t?.elemType ?? 0;
  return { name, elemType, elemTypeName: dataTypeName(elemType), shape };
}

function isOnnxDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/**
 * Validates a decoded model and returns its graph. `overrides` replace initializer values by
 * name (their names must exist).
 */
export function parseGraph(model: ModelProto, source: string, overrides: ReadonlyMap<string, (original: Tensor) => Tensor> = new Map()): OnnxGraph {
  const g = model.graph;
  if (!g) throw new FormatError(`loadOnnx: ${source} has no graph (ModelProto.graph is missing); is it an ONNX model?`);
  const opsetEntry = (model.opsetImport ?? []).find((o) => isOnnxDomain(o.domain ?? ''));
  if (!opsetEntry) throw new FormatError(`loadOnnx: ${source} does not import the ONNX operator set (opset_import has no entry for domain '')`);
  const opset = opsetEntry.version ?? 0;
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new FormatError(`loadOnnx: ${source} uses ONNX opset ${opset}; opsets ${MIN_OPSET} to ${MAX_OPSET} are supported${opset < MIN_OPSET ? ' (convert it with onnx.version_converter)' : ''}`);
  }

  const initializers = new Map<string, Tensor>();
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    if (name === '') throw new FormatError(`loadOnnx: ${source} has an initializer without a name`);
    if (initializers.has(name)) throw new FormatError(`loadOnnx: ${source} has two initializers named '${name}'`);
    let value = tensorFromProto(t, `initializer '${name}'`);
    const replace = overrides.get(name);
    if (replace) value = replace(value);
    initializers.set(name, value);
  }
  const unknown = [...overrides.keys()].filter((k) => !initializers.has(k));
  if (unknown.length > 0) throw new FormatError(`loadOnnx: no initializer named ${unknown.map((k) => `'${k}'`).join(', ')} to replace (initializers: ${[...initializers.keys()].join(', ')})`);

  // before IR 4, initializers were listed among the inputs too: those are not inputs to feed
  const inputs = (g.input ?? []).map((v) => valueInfo(v, 'input')).filter((v) => !initializers.has(v.name));
  const outputs = (g.output ?? []).map((v) => valueInfo(v, 'output'));
  if (outputs.length === 0) throw new FormatError(`loadOnnx: ${source}'s graph declares no outputs`);
  const inputNames = new Set<string>();
  for (const v of inputs) {
    if (inputNames.has(v.name)) throw new FormatError(`loadOnnx: ${source}'s graph declares the input '${v.name}' twice`);
    inputNames.add(v.name);
  }

  const nodes = (g.node ?? []).map((n, index): OnnxNode => {
    const opType = n.opType ?? '';
    const name = n.name !== undefined && n.name !== '' ? n.name : `${opType || 'node'}_${index}`;
    if (opType === '') throw new FormatError(`loadOnnx: node ${index} ('${name}') of ${source} has no op_type`);
    const attrs = new Map<string, AttributeProto>();
    for (const a of n.attribute ?? []) {
      const an = a.name ?? '';
      if (an === '') throw new FormatError(`loadOnnx: ${opType} node '${name}' has an attribute without a name`);
      if (attrs.has(an)) throw new FormatError(`loadOnnx: ${opType} node '${name}' has two attributes named '${an}'`);
      if ((a.refAttrName ?? '') !== '') throw new FormatError(`loadOnnx: ${opType} node '${name}': attribute '${an}' refers to a function attribute, which is only valid inside functions`);
      attrs.set(an, a);
    }
    return { index, name, opType, domain: n.domain ?? '', inputs: (n.input ?? []).slice(), outputs: (n.output ?? []).slice(), attrs, opset };
  });
  checkOperators(nodes);
  checkArity(nodes);
  return {
    name: g.name ?? '',
    irVersion: model.irVersion ?? 0,
    opset,
    producer: [model.producerName, model.producerVersion].filter((s) => s !== undefined && s !== '').join(' '),
    metadata: Object.fromEntries((model.metadataProps ?? []).map((e) => [e.key ?? '', e.value ?? ''])),
    inputs,
    outputs,
    nodes: topologicalOrder(nodes, inputNames, initializers, outputs, source),
    initializers,
  };
}

/** Throws one error listing every operator the importer lacks, with node counts. */
function checkOperators(nodes: readonly OnnxNode[]): void {
  // a Map: an op_type such as '__proto__' is a name like any other here
  const missing = new Map<string, number>();
  for (const n of nodes) {
    if (isOnnxDomain(n.domain) && ONNX_OPS.has(n.opType)) continue;
    const label = isOnnxDomain(n.domain) ? n.opType : `${n.domain}.${n.opType}`;
    missing.set(label, (missing.get(label) ?? 0) + 1);
  }
  if (missing.size === 0) return;
  const list = [...missing].map(([op, count]) => `${op} (${count} ${count === 1 ? 'node' : 'nodes'})`).join(', ');
  throw new UnsupportedOperatorError(`loadOnnx: unsupported operators: ${list}; supported: ${supportedOperators().join(', ')}`, Object.fromEntries(missing));
}

/**
 * Checks each node's input and output counts against its operator's arity, before anything runs:
 * an Add listing 200 inputs would otherwise run on the first two and ignore the rest.
 */
function checkArity(nodes: readonly OnnxNode[]): void {
  for (const n of nodes) {
    const { inputs, outputs } = ONNX_OPS.get(n.opType)!.arity;
    for (const [what, count, [min, max]] of [['input', n.inputs.length, inputs], ['output', n.outputs.length, outputs]] as const) {
      if (count >= min && count <= max) continue;
      const allowed = min === max ? `${min}` : max === Infinity ? `${min} or more` : `${min} to ${max}`;
      const s = (k: number): string => (k === 1 ? '' : 's');
      throw new FormatError(`loadOnnx: ${describeNode(n)} lists ${count} ${what}${s(count)}; ${n.opType} takes ${allowed} ${what}${s(max)} (ONNX opsets ${MIN_OPSET} to ${MAX_OPSET})`);
    }
  }
}

/**
 * Orders nodes so that each comes after the producers of its inputs (Kahn's algorithm, stable
 * with respect to the file's order), after checking that every value has exactly one source.
 */
function topologicalOrder(nodes: OnnxNode[], inputs: ReadonlySet<string>, initializers: ReadonlyMap<string, Tensor>, outputs: readonly OnnxValueInfo[], source: string): OnnxNode[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const out of n.outputs) {
      if (out === '') continue;
      const prev = producer.get(out);
      if (prev !== undefined) throw new FormatError(`loadOnnx: the value '${out}' is produced twice, by ${describeNode(nodes[prev]!)} and ${describeNode(n)}`);
      if (inputs.has(out) || initializers.has(out)) throw new FormatError(`loadOnnx: ${describeNode(n)} produces '${out}', which is already a graph input or initializer`);
      producer.set(out, i);
    }
  });
  const waiting = nodes.map(() => 0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const name of new Set(n.inputs)) {
      if (name === '' || inputs.has(name) || initializers.has(name)) continue;
      const p = producer.get(name);
      if (p === undefined) throw new FormatError(`loadOnnx: ${describeNode(n)} reads '${name}', which no graph input, initializer or node produces`);
      waiting[i]!++;
      dependents[p]!.push(i);
    }
  });
  for (const o of outputs) {
    if (!producer.has(o.name) && !inputs.has(o.name) && !initializers.has(o.name)) {
      throw new FormatError(`loadOnnx: the graph output '${o.name}' is not produced by any node of ${source}`);
    }
  }
  // a min-heap would keep file order exactly; scanning the ready list in index order does too
  const ready: number[] = [];
  waiting.forEach((w, i) => w === 0 && ready.push(i));
  const order: OnnxNode[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => b - a);
    const i = ready.pop()!;
    order.push(nodes[i]!);
    for (const d of dependents[i]!) if (--waiting[d]! === 0) ready.push(d);
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.filter((_, i) => waiting[i]! > 0).slice(0, 5).map(describeNode).join(', ');
    throw new FormatError(`loadOnnx: the graph of ${source} has a cycle (nodes waiting on each other: ${stuck}${nodes.length - order.length > 5 ? ', …' : ''})`);
  }
  return order;
}
