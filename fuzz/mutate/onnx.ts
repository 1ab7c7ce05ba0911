/**
 * Protobuf-aware mutations of ONNX models: the ModelProto is decoded, one of its nodes,
 * attributes, initializers, graph inputs or the opset is changed (wrong op types, input counts,
 * dims, data types, attribute types and values), and it is encoded again, so that the importer's
 * own checks are reached rather than only the protobuf decoder's. Byte mutations of the encoded
 * file cover the decoder.
 */
import { decodeModelProto, encodeModelProto, supportedOperators, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from '../../src/io/onnx/index.js';
import type { Rng } from '../rng.js';
import { mutateBytes, randomBytes } from './bytes.js';
import { RESERVED_NAMES } from './hostile.js';

const OP_TYPES = [...supportedOperators(), ...RESERVED_NAMES, '', 'Loop', 'If', 'Scan', 'NonMaxSuppression', 'Foo'];
const INTS = [0, 1, -1, 2, 3, -2, 7, 1000, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, 1e15];
const FLOATS = [0, -1, 1e-30, 1e30, NaN, Infinity, -Infinity, 0.5];
const DIMS = [0, 1, -1, 2, 3, 1000, 2 ** 31 - 1, 2 ** 40];

function mutateAttribute(rng: Rng, a: AttributeProto): void {
  switch (rng.int(7)) {
    case 0: a.type = rng.int(16); break;
    case 1: a.i = rng.pick(INTS); break;
    case 2: a.ints = rng.chance(0.2) ? [] : Array.from({ length: rng.pick([1, 2, 4, 8, 300]) }, () => rng.pick(INTS)); break;
    case 3: a.f = rng.pick(FLOATS); break;
    case 4: a.floats = Array.from({ length: rng.pick([0, 1, 3, 1000]) }, () => rng.pick(FLOATS)); break;
    case 5: a.s = rng.chance(0.5) ? randomBytes(rng, rng.range(0, 16)) : new TextEncoder().encode(rng.pick(['NOTSET', 'SAME_UPPER', 'VALID', 'constant', 'reflect', ...RESERVED_NAMES])); break;
    default: a.name = rng.pick([...RESERVED_NAMES, '', 'axis', 'perm', 'pads', 'kernel_shape', 'strides', 'to']);
  }
}

function mutateInitializer(rng: Rng, t: TensorProto): void {
  switch (rng.int(6)) {
    case 0: t.dims = rng.chance(0.3) ? [] : (t.dims ?? [1]).map((d) => (rng.chance(0.5) ? rng.pick(DIMS) : d)); break;
    case 1: t.dims = [...(t.dims ?? []), rng.pick(DIMS)]; break;
    case 2: t.dataType = rng.int(20); break;
    case 3: if (t.rawData) t.rawData = t.rawData.subarray(0, rng.int(t.rawData.length + 1)); else t.floatData = (t.floatData ?? []).slice(0, rng.int((t.floatData?.length ?? 0) + 1)); break;
    case 4: t.name = rng.pick([...RESERVED_NAMES, '', 'x']); break;
    default: t.rawData = randomBytes(rng, rng.pick([0, 3, 4, 17, 64]));
  }
}

function mutateNode(rng: Rng, graphNodes: NodeProto[], node: NodeProto): void {
  const names = graphNodes.flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]);
  switch (rng.int(8)) {
    case 0: node.opType = rng.pick(OP_TYPES); break;
    case 1: node.input = [...(node.input ?? []), ...Array.from({ length: rng.pick([1, 2, 200]) }, () => rng.pick([...names, '']))]; break;
    case 2: node.input = (node.input ?? []).slice(0, rng.int((node.input?.length ?? 0) + 1)); break;
    case 3: node.input = (node.input ?? []).map((i) => (rng.chance(0.5) ? rng.pick([...names, 'nowhere', '', ...RESERVED_NAMES]) : i)); break;
    case 4: node.output = rng.chance(0.3) ? [] : (node.output ?? []).map(() => rng.pick([...names, '', '__proto__'])); break;
    case 5: {
      const attrs = node.attribute ?? [];
      if (attrs.length > 0 && rng.chance(0.7)) mutateAttribute(rng, rng.pick(attrs));
      else attrs.push({ name: rng.pick(['axis', 'perm', 'to', 'kernel_shape', 'pads', ...RESERVED_NAMES]), type: rng.int(16), i: rng.pick(INTS), ints: [rng.pick(INTS)] });
      node.attribute = attrs;
      break;
    }
    case 6: if (node.attribute && node.attribute.length > 0) node.attribute.splice(rng.int(node.attribute.length), 1); break;
    default: node.domain = rng.pick(['ai.onnx.ml', 'com.microsoft', '__proto__']);
  }
}

function mutateProto(rng: Rng, m: ModelProto): void {
  const g = m.graph ?? {};
  const nodes = g.node ?? [];
  switch (rng.weighted([[40, 'node'], [20, 'init'], [12, 'input'], [8, 'opset'], [8, 'order'], [6, 'output'], [6, 'model']] as const)) {
    case 'node': if (nodes.length > 0) mutateNode(rng, nodes, rng.pick(nodes)); break;
    case 'init': {
      const inits = g.initializer ?? [];
      if (inits.length > 0) mutateInitializer(rng, rng.pick(inits));
      break;
    }
    case 'input': {
      const inputs = g.input ?? [];
      if (inputs.length === 0) break;
      const v = rng.pick(inputs);
      const tt = v.type?.tensorType;
      if (rng.chance(0.3) || !tt) v.name = rng.pick(['', ...RESERVED_NAMES, 'other']);
      else if (rng.chance(0.3)) tt.elemType = rng.int(20);
      else tt.shape = { dim: Array.from({ length: rng.pick([0, 1, 2, 4, 9]) }, () => (rng.chance(0.2) ? { dimParam: rng.pick(['N', '__proto__', '']) } : { dimValue: rng.pick(DIMS) })) };
      break;
    }
    case 'opset': m.opsetImport = [{ domain: rng.pick(['', 'ai.onnx', 'x']), version: rng.pick([0, 1, 6, 7, 11, 13, 17, 18, 19, 99, -1]) }]; break;
    case 'order': nodes.reverse(); break;
    case 'output': g.output = rng.chance(0.5) ? [] : [...(g.output ?? []), { name: rng.pick(['nowhere', '', '__proto__', nodes[0]?.output?.[0] ?? 'x']) }]; break;
    case 'model': m.irVersion = rng.pick([0, 1, 3, 7, 8, 10, 99, -1]); break;
  }
  m.graph = g;
}

/** One mutation of an .onnx file (never in place). */
export function mutateOnnx(rng: Rng, bytes: Uint8Array): Uint8Array {
  if (rng.chance(0.2)) return mutateBytes(rng, bytes);
  let proto: ModelProto;
  try {
    proto = decodeModelProto(bytes);
  } catch {
    return mutateBytes(rng, bytes);
  }
  for (let k = rng.weighted([[70, 1], [20, 2], [10, 3]] as const); k > 0; k--) mutateProto(rng, proto);
  try {
    return encodeModelProto(proto, { packed: rng.chance(0.8) });
  } catch {
    // a value protobuf cannot encode (the mutation, not nabla, is at fault): fall back to bytes
    return mutateBytes(rng, bytes);
  }
}
