/**
 * Weight initializers, with Keras' names, defaults and formulas. Every random one draws from the
 * default generator of `tensor/random.ts` (so `nb.manualSeed(s)` makes a model reproducible), or,
 * given `seed`, from a fresh generator with that seed on each call (the same values every time).
 *
 * Fans follow Keras: a `[in, out]` kernel has fanIn = in, fanOut = out; a kernel of rank > 2
 * (`[kh, kw, in, out]`) multiplies both by its receptive field `kh·kw`; a 1-D shape has
 * fanIn = fanOut = its length.
 */
import { allocate, isFloat, type DType } from '../tensor/dtype.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { assertShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { isSerializedObject, lookupKey, type Config, type SerializedObject } from './config.js';

/** Options of one initializer call. */
export interface InitOptions {
  /** float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Makes the initial value of a weight from its shape (Keras' `Initializer`). Subclasses fill
 * `fill(shape, n, draw)`; `call(shape)` returns a fresh float tensor.
 *
 * @example
 * nn.initializers.heNormal().call([784, 256])
 */
export abstract class Initializer {
  /** The name under which `getInitializer` finds this class (`'GlorotUniform'`). */
  abstract readonly className: string;

  /** A new tensor of `shape` holding the initial values. */
  call(shape: readonly number[], opts: InitOptions = {}): Tensor {
    assertShape(`${this.className}`, shape);
    const dtype = opts.dtype ?? 'float32';
    if (!isFloat(dtype)) throw new DTypeError(`${this.className}: weights are float32 or float64, got ${dtype}`);
    const data = allocate(dtype, sizeOf(shape));
    this.fill(data as Float32Array | Float64Array, shape);
    return new Tensor(data, shape.slice());
  }

  /** Writes the initial values of a weight of `shape` into `data` (row-major). */
  protected abstract fill(data: Float32Array | Float64Array, shape: readonly number[]): void;

  /** The options that rebuild this initializer (JSON-able). */
  getConfig(): Config {
    return {};
  }
}

/** An initializer drawing random numbers; `seed` pins its values (same tensor on every call). */
abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;

  constructor(seed: number | null | undefined) {
    super();
    if (seed !== undefined && seed !== null && !Number.isFinite(seed)) {
      throw new ValueError(`initializer: seed must be a finite number or null, got ${seed}`);
    }
    this.seed = seed ?? null;
  }

  protected generator(): Generator {
    return this.seed === null ? defaultGenerator : new Generator(this.seed);
  }

  override getConfig(): Config {
    return { seed: this.seed };
  }
}

/** fanIn and fanOut of a weight shape, with Keras' rules (see the file comment). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** A standard normal truncated to [−2, 2]: values beyond two standard deviations are redrawn. */
function truncatedStandardNormal(g: Generator): number {
  for (;;) {
    const z = g.normal();
    if (Math.abs(z) <= 2) return z;
  }
}

/** The standard deviation of a standard normal truncated to [−2, 2] (Keras' correction factor). */
const TRUNCATED_STD = 0.87962566103423978;

/** All zeros (Keras' default bias initializer). */
export class Zeros extends Initializer {
  readonly className: string = 'Zeros';
  protected fill(): void {}
}

/** All ones (LayerNorm/BatchNorm gamma). */
export class Ones extends Initializer {
  readonly className: string = 'Ones';
  protected fill(data: Float32Array | Float64Array): void {
    data.fill(1);
  }
}

/** Every element `value`. */
export class Constant extends Initializer {
  readonly className: string = 'Constant';
  readonly value: number;
  constructor(opts: { value?: number } = {}) {
    super();
    this.value = opts.value ?? 0;
  }
  protected fill(data: Float32Array | Float64Array): void {
    data.fill(this.value);
  }
  override getConfig(): Config {
    return { value: this.value };
  }
}

/** Normal with `mean` (default 0) and `stddev` (default 0.05). */
export class RandomNormal extends RandomInitializer {
  readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(opts: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(opts.seed);
    this.mean = opts.mean ?? 0;
    this.stddev = opts.stddev ?? 0.05;
  }
  protected fill(data: Float32Array | Float64Array): void {
    const g = this.generator();
    for (let i = 0; i < data.length; i++) data[i] = this.mean + this.stddev * g.normal();
  }
  override getConfig(): Config {
    return { mean: this.mean, stddev: this.stddev, ...super.getConfig() };
  }
}

/** Uniform in `[minval, maxval)` (default [−0.05, 0.05), Keras' `'uniform'`). */
export class RandomUniform extends RandomInitializer {
  readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(opts: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(opts.seed);
    this.minval = opts.minval ?? -0.05;
    this.maxval = opts.maxval ?? 0.05;
    if (!(this.maxval >= this.minval)) throw new ValueError(`RandomUniform: maxval (${this.maxval}) must not be below minval (${this.minval})`);
  }
  protected fill(data: Float32Array | Float64Array): void {
    const g = this.generator();
    for (let i = 0; i < data.length; i++) data[i] = this.minval + (this.maxval - this.minval) * g.uniform();
  }
  override getConfig(): Config {
    return { minval: this.minval, maxval: this.maxval, ...super.getConfig() };
  }
}

/** Normal with `mean` (0) and `stddev` (0.05), values beyond two standard deviations redrawn. */
export class TruncatedNormal extends RandomInitializer {
  readonly className: string = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(opts: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(opts.seed);
    this.mean = opts.mean ?? 0;
    this.stddev = opts.stddev ?? 0.05;
  }
  protected fill(data: Float32Array | Float64Array): void {
    const g = this.generator();
    for (let i = 0; i < data.length; i++) data[i] = this.mean + this.stddev * truncatedStandardNormal(g);
  }
  override getConfig(): Config {
    return { mean: this.mean, stddev: this.stddev, ...super.getConfig() };
  }
}

/** Which fan `VarianceScaling` divides by. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** The distribution `VarianceScaling` draws from. */
export type ScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Options of `VarianceScaling`. */
export interface VarianceScalingOptions {
  /** Default 1. */
  scale?: number;
  /** Default `'fanIn'` (Keras' `'fan_in'` is accepted too). */
  mode?: FanMode | string;
  /** Default `'truncatedNormal'`. */
  distribution?: ScalingDistribution | string;
  seed?: number | null;
}

function pick<T extends string>(what: string, value: string, options: readonly T[]): T {
  const found = options.find((o) => lookupKey(o) === lookupKey(value));
  if (!found) throw new ValueError(`VarianceScaling: unknown ${what} '${value}'. Valid: ${options.join(', ')}`);
  return found;
}

/**
 * Keras' `VarianceScaling`: with `n` the chosen fan, variance `scale / n`. A truncated normal has
 * its stddev divided by 0.8796… so that the truncation keeps the variance; `'uniform'` draws from
 * `[−√(3·scale/n), √(3·scale/n)]`. Glorot, He and LeCun are instances of it.
 */
export class VarianceScaling extends RandomInitializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  constructor(opts: VarianceScalingOptions = {}) {
    super(opts.seed);
    this.scale = opts.scale ?? 1;
    if (!(this.scale > 0)) throw new ValueError(`VarianceScaling: scale must be positive, got ${this.scale}`);
    this.mode = pick('mode', opts.mode ?? 'fanIn', ['fanIn', 'fanOut', 'fanAvg'] as const);
    this.distribution = pick('distribution', opts.distribution ?? 'truncatedNormal', ['truncatedNormal', 'untruncatedNormal', 'uniform'] as const);
  }
  protected fill(data: Float32Array | Float64Array, shape: readonly number[]): void {
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const g = this.generator();
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      for (let i = 0; i < data.length; i++) data[i] = limit * (2 * g.uniform() - 1);
    } else if (this.distribution === 'truncatedNormal') {
      const std = Math.sqrt(variance) / TRUNCATED_STD;
      for (let i = 0; i < data.length; i++) data[i] = std * truncatedStandardNormal(g);
    } else {
      const std = Math.sqrt(variance);
      for (let i = 0; i < data.length; i++) data[i] = std * g.normal();
    }
  }
  override getConfig(): Config {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, ...super.getConfig() };
  }
}

/** A fixed instance of VarianceScaling whose config is only the seed. */
abstract class NamedScaling extends VarianceScaling {
  constructor(scale: number, mode: FanMode, distribution: ScalingDistribution, opts: { seed?: number | null }) {
    super({ scale, mode, distribution, seed: opts.seed });
  }
  override getConfig(): Config {
    return { seed: this.seed };
  }
}

/** Uniform in ±√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010); Dense's default kernel initializer. */
export class GlorotUniform extends NamedScaling {
  override readonly className: string = 'GlorotUniform';
  constructor(opts: { seed?: number | null } = {}) {
    super(1, 'fanAvg', 'uniform', opts);
  }
}
/** Truncated normal with stddev √(2 / (fanIn + fanOut)). */
export class GlorotNormal extends NamedScaling {
  override readonly className: string = 'GlorotNormal';
  constructor(opts: { seed?: number | null } = {}) {
    super(1, 'fanAvg', 'truncatedNormal', opts);
  }
}
/** Truncated normal with stddev √(2 / fanIn) (He et al. 2015), for ReLU networks. */
export class HeNormal extends NamedScaling {
  override readonly className: string = 'HeNormal';
  constructor(opts: { seed?: number | null } = {}) {
    super(2, 'fanIn', 'truncatedNormal', opts);
  }
}
/** Uniform in ±√(6 / fanIn). */
export class HeUniform extends NamedScaling {
  override readonly className: string = 'HeUniform';
  constructor(opts: { seed?: number | null } = {}) {
    super(2, 'fanIn', 'uniform', opts);
  }
}
/** Truncated normal with stddev √(1 / fanIn) (for SELU networks). */
export class LecunNormal extends NamedScaling {
  override readonly className: string = 'LecunNormal';
  constructor(opts: { seed?: number | null } = {}) {
    super(1, 'fanIn', 'truncatedNormal', opts);
  }
}
/** Uniform in ±√(3 / fanIn). */
export class LecunUniform extends NamedScaling {
  override readonly className: string = 'LecunUniform';
  constructor(opts: { seed?: number | null } = {}) {
    super(1, 'fanIn', 'uniform', opts);
  }
}

/**
 * A (semi-)orthogonal matrix times `gain` (Saxe et al. 2014), Keras' default recurrent kernel
 * initializer. The shape is read as `[prod(shape[:-1]), shape[-1]]`; the rows (if fewer) or the
 * columns are orthonormal. Made by Gram–Schmidt on a standard normal matrix, which is the Q of
 * its QR decomposition with a positive diagonal in R.
 */
export class Orthogonal extends RandomInitializer {
  readonly className: string = 'Orthogonal';
  readonly gain: number;
  constructor(opts: { gain?: number; seed?: number | null } = {}) {
    super(opts.seed);
    this.gain = opts.gain ?? 1;
    if (!Number.isFinite(this.gain)) throw new ValueError(`Orthogonal: gain must be a finite number, got ${this.gain}`);
  }
  protected fill(data: Float32Array | Float64Array, shape: readonly number[]): void {
    if (data.length === 0) return;
    if (shape.length < 2) throw new ValueError(`Orthogonal: needs a shape of rank 2 or more, got [${shape.join(',')}]`);
    const rows = data.length / shape[shape.length - 1]!;
    const cols = shape[shape.length - 1]!;
    // orthonormalise the k = min(rows, cols) vectors of length n = max(rows, cols)
    const n = Math.max(rows, cols);
    const k = Math.min(rows, cols);
    const g = this.generator();
    const vecs: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = g.normal();
      for (let pass = 0; pass < 2; pass++) {
        // modified Gram–Schmidt, twice for round-off
        for (const u of vecs) {
          let d = 0;
          for (let i = 0; i < n; i++) d += u[i]! * v[i]!;
          for (let i = 0; i < n; i++) v[i]! -= d * u[i]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i]! * v[i]!;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) v[i]! /= norm;
      vecs.push(v);
    }
    // rows >= cols: vector j is column j; otherwise vector i is row i
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) data[r * cols + c] = this.gain * (rows >= cols ? vecs[c]![r]! : vecs[r]![c]!);
    }
  }
  override getConfig(): Config {
    return { gain: this.gain, ...super.getConfig() };
  }
}

/** Seed option of the random initializer factories. */
export interface SeedOptions {
  seed?: number | null;
}

/** `new GlorotUniform(opts)`. */
export const glorotUniform = (opts: SeedOptions = {}): Initializer => new GlorotUniform(opts);
/** `new GlorotNormal(opts)`. */
export const glorotNormal = (opts: SeedOptions = {}): Initializer => new GlorotNormal(opts);
/** `new HeNormal(opts)`. */
export const heNormal = (opts: SeedOptions = {}): Initializer => new HeNormal(opts);
/** `new HeUniform(opts)`. */
export const heUniform = (opts: SeedOptions = {}): Initializer => new HeUniform(opts);
/** `new LecunNormal(opts)`. */
export const lecunNormal = (opts: SeedOptions = {}): Initializer => new LecunNormal(opts);
/** `new LecunUniform(opts)`. */
export const lecunUniform = (opts: SeedOptions = {}): Initializer => new LecunUniform(opts);
/** `new Orthogonal(opts)` (gain 1). */
export const orthogonal = (opts: { gain?: number; seed?: number | null } = {}): Initializer => new Orthogonal(opts);
/** `new Zeros()`. */
export const zeros = (): Initializer => new Zeros();
/** `new Ones()`. */
export const ones = (): Initializer => new Ones();
/** `new Constant({ value })`. */
export const constant = (value = 0): Initializer => new Constant({ value });
/** `new RandomNormal(opts)` (mean 0, stddev 0.05). */
export const randomNormal = (opts: { mean?: number; stddev?: number; seed?: number | null } = {}): Initializer => new RandomNormal(opts);
/** `new RandomUniform(opts)` (in [−0.05, 0.05)). */
export const randomUniform = (opts: { minval?: number; maxval?: number; seed?: number | null } = {}): Initializer => new RandomUniform(opts);
/** `new TruncatedNormal(opts)` (mean 0, stddev 0.05, cut at 2 stddev). */
export const truncatedNormal = (opts: { mean?: number; stddev?: number; seed?: number | null } = {}): Initializer => new TruncatedNormal(opts);
/** `new VarianceScaling(opts)`. */
export const varianceScaling = (opts: VarianceScalingOptions = {}): Initializer => new VarianceScaling(opts);

type Factory = (config: Config) => Initializer;
const registry = new Map<string, { name: string; make: Factory }>();

/**
 * Makes a custom initializer class findable by name and by its serialized form. `make` receives
 * the config that `getConfig()` produced.
 */
export function registerInitializer(name: string, make: Factory): void {
  registry.set(lookupKey(name), { name, make });
}

// The config objects come from getConfig() (or JSON of it); the constructors validate each field.
const builtins: Record<string, Factory> = {
  glorotUniform: (c) => new GlorotUniform(c as SeedOptions),
  glorotNormal: (c) => new GlorotNormal(c as SeedOptions),
  heNormal: (c) => new HeNormal(c as SeedOptions),
  heUniform: (c) => new HeUniform(c as SeedOptions),
  lecunNormal: (c) => new LecunNormal(c as SeedOptions),
  lecunUniform: (c) => new LecunUniform(c as SeedOptions),
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: (c) => new Constant(c as { value?: number }),
  randomNormal: (c) => new RandomNormal(c as { mean?: number; stddev?: number; seed?: number | null }),
  randomUniform: (c) => new RandomUniform(c as { minval?: number; maxval?: number; seed?: number | null }),
  truncatedNormal: (c) => new TruncatedNormal(c as { mean?: number; stddev?: number; seed?: number | null }),
  varianceScaling: (c) => new VarianceScaling(c as VarianceScalingOptions),
  orthogonal: (c) => new Orthogonal(c as { gain?: number; seed?: number | null }),
};
for (const [name, make] of Object.entries(builtins)) registerInitializer(name, make);
// Keras' short aliases (Embedding's default is 'uniform').
registerInitializer('uniform', builtins.randomUniform!);
registerInitializer('normal', builtins.randomNormal!);

/** The names `getInitializer` accepts (snake_case and class names work too). */
export function initializerNames(): string[] {
  return [...registry.values()].map((e) => e.name);
}

/**
 * An initializer from a name (`'heNormal'`, `'he_normal'`, `'HeNormal'`), a serialized
 * `{ className, config }`, or an Initializer (returned as is).
 *
 * @example
 * nn.getInitializer('glorotUniform').call([3, 4])
 */
export function getInitializer(spec: string | Initializer | SerializedObject): Initializer {
  if (spec instanceof Initializer) return spec;
  if (typeof spec === 'string') return make(spec, {});
  if (isSerializedObject(spec)) return make(spec.className, spec.config);
  throw new ValueError(`getInitializer: expected a name, an Initializer or { className, config }, got ${JSON.stringify(spec)}`);
}

function make(name: string, config: Config): Initializer {
  const entry = registry.get(lookupKey(name));
  if (!entry) throw new ValueError(`Unknown initializer '${name}'. Valid: ${initializerNames().join(', ')}`);
  return entry.make(config);
}

/** The serialized form `{ className, config }` of an initializer. */
export function serializeInitializer(init: Initializer): SerializedObject {
  return { className: init.className, config: init.getConfig() };
}
