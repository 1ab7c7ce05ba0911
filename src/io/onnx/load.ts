/**
 * `loadOnnx`: an `.onnx` file (or its bytes) → a trainable `OnnxModel`.
 */
import { readFileSync } from 'node:fs';
import { FileNotFoundError, unreadable } from '../../formats/errors.js';
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { allocate } from '../../tensor/dtype.js';
import { parseGraph } from './graph.js';
import { OnnxModel } from './onnx-model.js';
import { planGraph } from './plan.js';
import { decodeModelProto } from './proto.js';

/** Options of `loadOnnx`. */
export interface LoadOnnxOptions {
  /**
   * Replacement values for initializers, by name, applied before the model is built: a Tensor,
   * or numbers (given the initializer's dtype; shaped like it, or 1-D when the count differs).
   * Typical use: a Reshape target saved as `[1, 256]` becomes `[-1, 256]` to accept any batch.
   */
  initializers?: Record<string, Tensor | readonly number[]>;
  /** The model's name (default: the graph's name). */
  name?: string;
}

function overrideFn(name: string, value: Tensor | readonly number[]): (original: Tensor) => Tensor {
  return (original) => {
    if (value instanceof Tensor) return value;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) {
      throw new ValueError(`loadOnnx: the replacement for initializer '${name}' must be a Tensor or an array of numbers`);
    }
    const data = allocate(original.dtype, value.length);
    data.set(value);
    return new Tensor(data, value.length === original.size ? original.shape.slice() : [value.length]);
  };
}

/**
 * Imports an ONNX model (a path to an `.onnx` file, or its bytes) as a trainable nabla Model.
 * Opsets 7 to 18 of the standard operator set; weights inside the file (raw or typed fields,
 * packed or not). Every float initializer in a learnable position becomes a weight of a named
 * sublayer; the model's `call(x)` runs the graph with nabla ops, so it predicts, fine-tunes,
 * freezes and saves like any other model. The graph's first input dim is the batch.
 *
 * Throws a FormatError for a file that is not a valid ONNX model (truncated, not protobuf,
 * no graph, a node reading a value nobody produces, initializer data that does not fit its shape,
 * external data), and an UnsupportedOperatorError listing every operator it lacks, all at once.
 *
 * @example
 * const model = nb.io.loadOnnx('mnist-12.onnx', { initializers: { Pooling160_Output_0_reshape0_shape: [-1, 256] } });
 * const logits = model.predict(images.reshape([-1, 1, 28, 28]));
 * model.getLayerByNode('Convolution28')!.trainable = false;
 */
export function loadOnnx(source: string | Uint8Array, opts: LoadOnnxOptions = {}): OnnxModel {
  let bytes: Uint8Array;
  let label: string;
  if (typeof source === 'string') {
    label = `'${source}'`;
    try {
      bytes = readFileSync(source);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') throw new FileNotFoundError(`loadOnnx: no file at '${source}'`, source);
      throw unreadable('loadOnnx', source, err);
    }
  } else if (source instanceof Uint8Array) {
    bytes = source;
    label = 'the given bytes';
  } else {
    throw new ValueError(`loadOnnx: expected a path or the bytes of an .onnx file, got ${source === null ? 'null' : typeof source}`);
  }
  const proto = decodeModelProto(bytes, label);
  const overrides = new Map(Object.entries(opts.initializers ?? {}).map(([k, v]) => [k, overrideFn(k, v)] as const));
  const graph = parseGraph(proto, label, overrides);
  return new OnnxModel(graph, planGraph(graph), { name: opts.name });
}


