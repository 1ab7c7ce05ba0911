/**
 * Weight penalties, as `keras.regularizers`: a layer given `kernelRegularizer: 'l2'` adds
 * `0.01·Σw²` to the training loss (through `Layer.regularizationLoss()`).
 */
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { abs } from '../ops/unary.js';
import { add, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { Registry } from '../tensor/registry.js';
import { isSerializedObject, type Config, type SerializedObject } from './config.js';
import { checkConfigKeys, checkNumber, describeValue } from './config-check.js';

/** A penalty on a weight: `call(w)` is a scalar tensor added to the loss. */
export abstract class Regularizer {
  /** The name under which `getRegularizer` finds this class. */
  abstract readonly className: string;
  /** The penalty for weight `w` (a scalar, differentiable with respect to `w`). */
  abstract call(w: Tensor): Tensor;
  /** The options that rebuild this regularizer (JSON-able). */
  abstract getConfig(): Config;
}

function checkFactor(className: string, what: string, v: number): number {
  return checkNumber(className, what, v, { ge: 0 });
}

/** `l1·Σ|w| + l2·Σw²` (class defaults 0, as Keras' `L1L2`; the `l1l2()` factory defaults to 0.01 each). */
export class L1L2 extends Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(opts: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor('L1L2', 'l1', opts.l1 ?? 0);
    this.l2 = checkFactor('L1L2', 'l2', opts.l2 ?? 0);
  }
  call(w: Tensor): Tensor {
    // Only the terms in use enter the graph: a pure L2 penalty never computes |w|.
    let penalty: Tensor | null = null;
    if (this.l1 > 0) penalty = mul(sum(abs(w)), this.l1);
    if (this.l2 > 0) {
      const term = mul(sum(mul(w, w)), this.l2);
      penalty = penalty ? add(penalty, term) : term;
    }
    return penalty ?? mul(sum(w), 0);
  }
  getConfig(): Config {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** `l1·Σ|w|` (default l1 = 0.01). */
export class L1 extends Regularizer {
  readonly className: string = 'L1';
  readonly l1: number;
  constructor(opts: { l1?: number } = {}) {
    super();
    this.l1 = checkFactor('L1', 'l1', opts.l1 ?? 0.01);
  }
  call(w: Tensor): Tensor {
    return mul(sum(abs(w)), this.l1);
  }
  getConfig(): Config {
    return { l1: this.l1 };
  }
}

/** `l2·Σw²` (default l2 = 0.01; note: no ½, as in Keras). */
export class L2 extends Regularizer {
  readonly className: string = 'L2';
  readonly l2: number;
  constructor(opts: { l2?: number } = {}) {
    super();
    this.l2 = checkFactor('L2', 'l2', opts.l2 ?? 0.01);
  }
  call(w: Tensor): Tensor {
    return mul(sum(mul(w, w)), this.l2);
  }
  getConfig(): Config {
    return { l2: this.l2 };
  }
}

/** L1 penalty `l1·Σ|w|` (default 0.01). `nn.regularizers.l1(1e-4)`. */
export const l1 = (factor = 0.01): Regularizer => new L1({ l1: factor });
/** L2 penalty `l2·Σw²` (default 0.01). */
export const l2 = (factor = 0.01): Regularizer => new L2({ l2: factor });
/** Both penalties (defaults 0.01 each, as Keras' `l1_l2`). */
export const l1l2 = (opts: { l1?: number; l2?: number } = {}): Regularizer => new L1L2({ l1: opts.l1 ?? 0.01, l2: opts.l2 ?? 0.01 });

type Factory = (config: Config) => Regularizer;
const registry = new Registry<Factory>({ kind: 'regularizer' });

/** Makes a custom regularizer findable by name and by its serialized form. */
export function registerRegularizer(name: string, make: Factory): void {
  registry.register(name, make);
}

// Names give the 0.01 defaults; serialized configs carry their own factors (the constructors validate).
registerRegularizer('l1', (c) => new L1(c as { l1?: number }));
registerRegularizer('l2', (c) => new L2(c as { l2?: number }));
registerRegularizer('l1l2', (c) => ('l1' in c || 'l2' in c ? new L1L2(c as { l1?: number; l2?: number }) : l1l2()));

/** The names `getRegularizer` accepts. */
export function regularizerNames(): string[] {
  return registry.names();
}

/**
 * A regularizer from a name (`'l2'`), a serialized `{ className, config }` or a Regularizer;
 * `null`/`undefined` mean none.
 */
export function getRegularizer(spec: string | Regularizer | SerializedObject | null | undefined): Regularizer | null {
  if (spec === null || spec === undefined) return null;
  if (spec instanceof Regularizer) return spec;
  let name: string;
  let config: Config;
  if (typeof spec === 'string') [name, config] = [spec, {}];
  else if (isSerializedObject(spec)) [name, config] = [spec.className, spec.config];
  else throw new ValueError(`getRegularizer: expected a name, a Regularizer or { className, config }, got ${describeValue(spec)}`);
  const made = registry.get(name)(config);
  // a key the regularizer does not write back is one it ignores ({ className: 'L2', config: { l1: 1 } }): refused
  checkConfigKeys(made.className, config, Object.keys(made.getConfig()));
  return made;
}

/** The serialized form of a regularizer, or null. */
export function serializeRegularizer(r: Regularizer | null): SerializedObject | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
