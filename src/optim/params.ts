/**
 * The ways parameters can be handed to an optimizer (a list, a name → tensor record, name/tensor
 * pairs) turned into one list of named tensors.
 */
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';

export type { FloatArray } from '../backend/typed-array.js';

/**
 * Parameters as an optimizer accepts them: `Tensor[]` (named `param_0`, `param_1`… by position),
 * a `Record<string, Tensor>` such as a layer's state dict, or `[name, Tensor]` pairs (any
 * iterable of them, e.g. a `Map`'s entries).
 *
 * @example
 * new nb.optim.SGD([w, b], { learningRate: 0.1 });
 * new nb.optim.SGD({ 'dense.kernel': w, 'dense.bias': b });
 */
export type ParamsInput = Iterable<Tensor> | Iterable<readonly [string, Tensor]> | Readonly<Record<string, Tensor>>;

function isIterable(x: object): x is Iterable<unknown> {
  return Symbol.iterator in x;
}

/** True when `x` is parameters (rather than an options object): iterable, or a record of Tensors. */
export function isParamsInput(x: unknown): x is ParamsInput {
  if (typeof x !== 'object' || x === null || x instanceof Tensor) return false;
  if (isIterable(x)) return true;
  return Object.values(x).some((v) => v instanceof Tensor);
}

/**
 * `[name, tensor]` for each parameter of `input`; an unnamed tensor at position i is named
 * `param_${firstIndex + i}`.
 */
export function namedParams(op: string, input: ParamsInput, firstIndex = 0): Array<[string, Tensor]> {
  if (input instanceof Tensor) {
    throw new ValueError(`${op}: expected a list of parameters, got a single Tensor; wrap it in an array: [x]`);
  }
  if (typeof input !== 'object' || input === null) {
    throw new ValueError(`${op}: expected parameters as Tensor[], Record<string, Tensor> or [name, Tensor][], got ${input === null ? 'null' : typeof input}`);
  }
  const out: Array<[string, Tensor]> = [];
  if (isIterable(input)) {
    let i = 0;
    for (const item of input) {
      if (item instanceof Tensor) {
        out.push([`param_${firstIndex + i}`, item]);
      } else if (Array.isArray(item) && typeof item[0] === 'string' && item[1] instanceof Tensor) {
        out.push([item[0], item[1]]);
      } else {
        throw new ValueError(`${op}: parameter ${i} is neither a Tensor nor a [name, Tensor] pair`);
      }
      i++;
    }
    return out;
  }
  for (const [name, t] of Object.entries(input)) {
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: parameter '${name}' is not a Tensor (got ${t === null ? 'null' : typeof t})`);
    out.push([name, t]);
  }
  return out;
}
