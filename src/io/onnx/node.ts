/**
 * A graph node as the importer sees it (names, typed attribute access, the opset it binds to),
 * the context an operator runs in, and the shape of an operator definition.
 */
import { FormatError } from '../../formats/errors.js';
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { AttributeProto } from './proto.js';
import { AttributeType } from './schema.js';
import { tensorFromProto } from './tensor-proto.js';

/** One node of the graph, validated. */
export interface OnnxNode {
  /** Position in the file's node list. */
  readonly index: number;
  /** The node's name, or `OpType_index` when the file gives none. */
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  /** Input value names; `''` marks an omitted optional input. */
  readonly inputs: readonly string[];
  /** Output value names; `''` marks an output nobody asked for. */
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, AttributeProto>;
  /** The ONNX opset version the node binds to. */
  readonly opset: number;
}

/** `Conv node 'conv1'`: how messages name a node. */
export function describeNode(node: OnnxNode): string {
  return `${node.opType} node '${node.name}'`;
}

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(AttributeType).map(([k, v]) => [v, k]));

/** Typed, validated access to a node's attributes. Missing ones give the default. */
export class Attrs {
  constructor(private readonly node: OnnxNode) {}

  has(name: string): boolean {
    return this.node.attrs.has(name);
  }

  private get(name: string, type: number): AttributeProto | undefined {
    const a = this.node.attrs.get(name);
    if (a === undefined) return undefined;
    // IR version 1 files carry no type; the value fields still say what it is
    const t = a.type ?? 0;
    if (t !== 0 && t !== type) {
      throw new FormatError(`loadOnnx: ${describeNode(this.node)}: attribute '${name}' should be ${TYPE_NAMES[type]}, got ${TYPE_NAMES[t] ?? `type ${t}`}`);
    }
    return a;
  }

  int(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.INT);
    return a === undefined ? fallback : (a.i ?? 0);
  }

  /** An optional int attribute: undefined when absent. */
  maybeInt(name: string): number | undefined {
    return this.has(name) ? this.int(name, 0) : undefined;
  }

  ints(name: string, fallback: readonly number[] | undefined = undefined): number[] | undefined {
    const a = this.get(name, AttributeType.INTS);
    return a === undefined ? fallback?.slice() : (a.ints ?? []).slice();
  }

  float(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.FLOAT);
    return a === undefined ? fallback : (a.f ?? 0);
  }

  floats(name: string): number[] | undefined {
    const a = this.get(name, AttributeType.FLOATS);
    return a === undefined ? undefined : (a.floats ?? []).slice();
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, AttributeType.STRING);
    return a === undefined ? fallback : new TextDecoder().decode(a.s ?? new Uint8Array(0));
  }

  tensor(name: string): Tensor | undefined {
    const a = this.get(name, AttributeType.TENSOR);
    if (a === undefined) return undefined;
    if (!a.t) throw new FormatError(`loadOnnx: ${describeNode(this.node)}: attribute '${name}' has no tensor`);
    return tensorFromProto(a.t, `attribute '${name}' of ${describeNode(this.node)}`);
  }
}

/** What an operator sees when it runs. */
export interface OpContext {
  readonly node: OnnxNode;
  readonly attrs: Attrs;
  /** The model runs in training mode (dropout active, batch statistics in BatchNormalization). */
  readonly training: boolean;
  /** Whether input `i` is a weight of the model (its storage may be updated in place). */
  isWeight(i: number): boolean;
}

/** An operator's forward computation: the inputs (undefined where omitted) → the outputs. */
export type OpRun = (inputs: readonly (Tensor | undefined)[], ctx: OpContext) => Tensor | (Tensor | undefined)[];

/**
 * How many inputs and outputs a node of an operator may list, `[min, max]` each, over the opsets
 * the importer reads (7 to 18); `Infinity` for a variadic list. Omitted optional values (`''`)
 * count, as they hold a place in the list.
 */
export interface Arity {
  inputs: readonly [number, number];
  outputs: readonly [number, number];
}

/**
 * An arity: `inputs` exactly (or `inputs` to `maxInputs`), one output unless said otherwise.
 *
 * @example
 * arity(2, 3)        // Conv: X, W and an optional B; one output
 * arity(1, 1, 1, 2)  // MaxPool: one input; Y and the optional Indices
 */
export function arity(inputs: number, maxInputs = inputs, outputs = 1, maxOutputs = outputs): Arity {
  return { inputs: [inputs, maxInputs], outputs: [outputs, maxOutputs] };
}

/** How the importer runs one ONNX operator and treats its inputs. */
export interface OpDef {
  run: OpRun;
  /** The input and output counts a node may have: a file's node outside them is refused at load. */
  arity: Arity;
  /**
   * Inputs that hold settings rather than learnable values (shapes, axes, exponents, bounds,
   * indices): a float initializer there stays a constant, never a weight. `'rest'` means every
   * input but the first.
   */
  settings?: readonly number[] | 'rest';
  /** Inputs that are non-trainable weights updated by the op itself (BatchNormalization's statistics). */
  statistics?: readonly number[];
  /** Inputs that are weights of a layer-like op even when they hold a single value (Conv, Gemm…). */
  parameters?: readonly number[];
}

/** Input `i`, which the operator requires. */
export function need(inputs: readonly (Tensor | undefined)[], i: number, ctx: OpContext, what = `input ${i}`): Tensor {
  const t = inputs[i];
  if (t === undefined) throw new ValueError(`${describeNode(ctx.node)}: ${what} is required but missing`);
  return t;
}

/** A tensor of settings (shape, axes, pads…) as JS numbers. */
export function numbers(t: Tensor): number[] {
  return Array.from(t.data());
}

/** Normalises a possibly negative `axis` for a tensor of `rank` dims, with an error naming the node. */
export function axisOf(axis: number, rank: number, ctx: OpContext, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(`${describeNode(ctx.node)}: ${what} ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}
