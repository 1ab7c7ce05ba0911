/**
 * Weight initializers, with Keras' names, defaults and formulas (`nn.initializers`): the classes,
 * a factory for each, and the registry `getInitializer` reads, filled from one table. The base
 * class and the fan rules are in initializer.ts, `Orthogonal` in orthogonal.ts.
 */
import { ValueError } from '../tensor/errors.js';
import { lookupKey, Registry } from '../tensor/registry.js';
import { isSerializedObject, type Config, type SerializedObject } from './config.js';
import { checkConfigKeys, checkNumber, describeValue, optionError } from './config-check.js';
import { computeFans, Initializer, RandomInitializer, TRUNCATED_STD, truncatedStandardNormal, type SeedOptions } from './initializer.js';
import { Orthogonal, type OrthogonalOptions } from './orthogonal.js';

export { computeFans, Initializer, type InitOptions, type SeedOptions } from './initializer.js';
export { Orthogonal, type OrthogonalOptions } from './orthogonal.js';
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
    this.value = checkNumber('Constant', 'value', opts.value ?? 0);
  }
  protected fill(data: Float32Array | Float64Array): void {
    data.fill(this.value);
  }
  override getConfig(): Config {
    return { value: this.value };
  }
}

/** Options of `RandomNormal` and `TruncatedNormal`. */
export interface NormalOptions extends SeedOptions {
  /** Default 0. */
  mean?: number;
  /** Default 0.05. */
  stddev?: number;
}

/** What the two normal initializers share: their options and config. */
abstract class NormalInitializer extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;
  constructor(opts: NormalOptions = {}) {
    super(opts.seed);
    // className is a field of the subclass, not set yet while this constructor runs
    this.mean = checkNumber(new.target.name, 'mean', opts.mean ?? 0);
    this.stddev = checkNumber(new.target.name, 'stddev', opts.stddev ?? 0.05, { ge: 0 });
  }
  override getConfig(): Config {
    return { mean: this.mean, stddev: this.stddev, ...super.getConfig() };
  }
}

/** Normal with `mean` (default 0) and `stddev` (default 0.05). */
export class RandomNormal extends NormalInitializer {
  readonly className: string = 'RandomNormal';
  protected fill(data: Float32Array | Float64Array): void {
    const g = this.generator();
    for (let i = 0; i < data.length; i++) data[i] = this.mean + this.stddev * g.normal();
  }
}

/** Normal with `mean` (0) and `stddev` (0.05), values beyond two standard deviations redrawn. */
export class TruncatedNormal extends NormalInitializer {
  readonly className: string = 'TruncatedNormal';
  protected fill(data: Float32Array | Float64Array): void {
    const g = this.generator();
    for (let i = 0; i < data.length; i++) data[i] = this.mean + this.stddev * truncatedStandardNormal(g);
  }
}

/** Options of `RandomUniform`. */
export interface UniformOptions extends SeedOptions {
  /** Default −0.05. */
  minval?: number;
  /** Default 0.05. */
  maxval?: number;
}

/** Uniform in `[minval, maxval)` (default [−0.05, 0.05), Keras' `'uniform'`). */
export class RandomUniform extends RandomInitializer {
  readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(opts: UniformOptions = {}) {
    super(opts.seed);
    this.minval = checkNumber('RandomUniform', 'minval', opts.minval ?? -0.05);
    this.maxval = checkNumber('RandomUniform', 'maxval', opts.maxval ?? 0.05);
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

/** Which fan `VarianceScaling` divides by. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** The distribution `VarianceScaling` draws from. */
export type ScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Options of `VarianceScaling`. */
export interface VarianceScalingOptions extends SeedOptions {
  /** Default 1. */
  scale?: number;
  /** Default `'fanIn'` (Keras' `'fan_in'` is accepted too). */
  mode?: FanMode | string;
  /** Default `'truncatedNormal'`. */
  distribution?: ScalingDistribution | string;
}

function pick<T extends string>(what: string, value: string, options: readonly T[]): T {
  if (typeof value !== 'string') throw optionError('VarianceScaling', what, `one of ${options.join(', ')}`, value);
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
    this.scale = checkNumber('VarianceScaling', 'scale', opts.scale ?? 1, { gt: 0 });
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

/**
 * Keras' named variance scalings, each `VarianceScaling` with a fixed scale, fan and distribution:
 * Glorot & Bengio 2010 (`fanAvg`), He et al. 2015 (`fanIn`, scale 2, for ReLU networks) and LeCun
 * (`fanIn`, scale 1, for SELU networks).
 */
const SCALINGS = {
  glorotUniform: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  glorotNormal: { scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal' },
  heNormal: { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' },
  heUniform: { scale: 2, mode: 'fanIn', distribution: 'uniform' },
  lecunNormal: { scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' },
  lecunUniform: { scale: 1, mode: 'fanIn', distribution: 'uniform' },
} as const satisfies Record<string, { scale: number; mode: FanMode; distribution: ScalingDistribution }>;

/** The name of one of Keras' named variance scalings (`'glorotUniform'`, `'heNormal'`…). */
export type ScalingName = keyof typeof SCALINGS;

/**
 * One of Keras' named variance scalings; its class name is Keras' (`'HeNormal'`) and its config
 * only the seed.
 *
 * @example
 * new nn.initializers.NamedScaling('heNormal').getConfig() // { seed: null }
 */
export class NamedScaling extends VarianceScaling {
  override readonly className: string;
  constructor(name: ScalingName, opts: SeedOptions = {}) {
    super({ ...SCALINGS[name], seed: opts.seed });
    this.className = name[0]!.toUpperCase() + name.slice(1);
  }
  override getConfig(): Config {
    return { seed: this.seed };
  }
}

/** Uniform in ±√(6 / (fanIn + fanOut)); Dense's default kernel initializer. */
export const glorotUniform = (opts: SeedOptions = {}): Initializer => new NamedScaling('glorotUniform', opts);
/** Truncated normal with stddev √(2 / (fanIn + fanOut)). */
export const glorotNormal = (opts: SeedOptions = {}): Initializer => new NamedScaling('glorotNormal', opts);
/** Truncated normal with stddev √(2 / fanIn), for ReLU networks. */
export const heNormal = (opts: SeedOptions = {}): Initializer => new NamedScaling('heNormal', opts);
/** Uniform in ±√(6 / fanIn). */
export const heUniform = (opts: SeedOptions = {}): Initializer => new NamedScaling('heUniform', opts);
/** Truncated normal with stddev √(1 / fanIn), for SELU networks. */
export const lecunNormal = (opts: SeedOptions = {}): Initializer => new NamedScaling('lecunNormal', opts);
/** Uniform in ±√(3 / fanIn). */
export const lecunUniform = (opts: SeedOptions = {}): Initializer => new NamedScaling('lecunUniform', opts);
/** `new Orthogonal(opts)` (gain 1). */
export const orthogonal = (opts: OrthogonalOptions = {}): Initializer => new Orthogonal(opts);
/** `new Zeros()`. */
export const zeros = (): Initializer => new Zeros();
/** `new Ones()`. */
export const ones = (): Initializer => new Ones();
/** `new Constant({ value })`. */
export const constant = (value = 0): Initializer => new Constant({ value });
/** `new RandomNormal(opts)` (mean 0, stddev 0.05). */
export const randomNormal = (opts: NormalOptions = {}): Initializer => new RandomNormal(opts);
/** `new RandomUniform(opts)` (in [−0.05, 0.05)). */
export const randomUniform = (opts: UniformOptions = {}): Initializer => new RandomUniform(opts);
/** `new TruncatedNormal(opts)` (mean 0, stddev 0.05, cut at 2 stddev). */
export const truncatedNormal = (opts: NormalOptions = {}): Initializer => new TruncatedNormal(opts);
/** `new VarianceScaling(opts)`. */
export const varianceScaling = (opts: VarianceScalingOptions = {}): Initializer => new VarianceScaling(opts);

type Factory = (config: Config) => Initializer;
const registry = new Registry<Factory>({ kind: 'initializer' });

/**
 * Makes a custom initializer class findable by name and by its serialized form. `make` receives
 * the config that `getConfig()` produced.
 */
export function registerInitializer(name: string, make: Factory): void {
  registry.register(name, make);
}

/** A class whose constructor options are its config (what `getConfig()` gives). */
type InitializerClass = new (config: Config) => Initializer;

/** The built-in initializers other than the named scalings; the constructors validate each field. */
const CLASSES: Record<string, InitializerClass> = {
  zeros: Zeros, ones: Ones, constant: Constant, randomNormal: RandomNormal, randomUniform: RandomUniform,
  truncatedNormal: TruncatedNormal, varianceScaling: VarianceScaling, orthogonal: Orthogonal,
};
for (const name of Object.keys(SCALINGS) as ScalingName[]) registerInitializer(name, (c) => new NamedScaling(name, c));
for (const [name, cls] of Object.entries(CLASSES)) registerInitializer(name, (c) => new cls(c));
// Keras' short aliases (Embedding's default is 'uniform').
registry.alias('uniform', 'randomUniform');
registry.alias('normal', 'randomNormal');

/** The names `getInitializer` accepts (snake_case and class names work too). */
export function initializerNames(): string[] {
  return registry.names();
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
  if (typeof spec === 'string') return registry.get(spec)({});
  if (isSerializedObject(spec)) {
    const init = registry.get(spec.className)(spec.config);
    // a key the initializer does not write back is one it ignores ({ stdev: 1 }): refused
    checkConfigKeys(init.className, spec.config, Object.keys(init.getConfig()));
    return init;
  }
  throw new ValueError(`getInitializer: expected a name, an Initializer or { className, config }, got ${describeValue(spec)}`);
}

/** The serialized form `{ className, config }` of an initializer. */
export function serializeInitializer(init: Initializer): SerializedObject {
  return { className: init.className, config: init.getConfig() };
}
