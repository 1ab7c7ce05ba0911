/**
 * The shape of an op-table entry (OpInfo: name, fn, samples, reference, grad) and the builders
 * the family files use to write samples briefly.
 */
import * as nb from '../../src/index.js';
import type { DType, NestedArray, Tensor } from '../../src/index.js';
import type { Nd } from './ref.js';

/** One tensor input of a sample: a contiguous `base`, and the `view` of it the op receives. */
export interface Arg {
  base: Tensor;
  /** Makes the input the op sees (transposed, strided, expanded…); applied inside gradcheck too. */
  view?: (t: Tensor) => Tensor;
}

/** Options of `nb.testing.gradcheck` a sample may tighten or loosen. */
export interface GradTol {
  eps?: number;
  atol?: number;
  rtol?: number;
}

export interface Sample<P> {
  label: string;
  args: Arg[];
  params?: P;
  /** Hand-checked output (nested arrays; booleans for bool outputs; one per output for split). */
  expected?: NestedArray;
  /** Hand-checked gradient of `sum(output)` with respect to each input (null: not checked). */
  expectedGrad?: (NestedArray | null)[];
  /** Whether to gradcheck this sample (default: when the entry is differentiable and the output is float). */
  grad?: boolean;
  /** Set to false where the reference is not valid for these inputs (the hand-checked values stand alone). */
  reference?: false;
  gradTol?: GradTol;
  /** Forward tolerance (default: rtol 1e-5 / atol 1e-6 for float32, 1e-10 for float64). */
  tol?: { rtol: number; atol: number };
}

/** A bad input and the error it must raise. */
export interface ErrorCase {
  label: string;
  call: () => unknown;
  /** The error's class name: ShapeError, DTypeError or ValueError. */
  type: 'ShapeError' | 'DTypeError' | 'ValueError';
  message: RegExp;
}

/** The edge cases an entry must cover; a reason string exempts it (e.g. "matmul rejects scalars: see errors"). */
export type Edge = 'scalar' | 'sizeOne' | 'empty' | 'nonContiguous' | 'broadcast';

export interface OpInfo<P> {
  name: string;
  fn: (inputs: Tensor[], params: P) => Tensor | Tensor[];
  samples: Sample<P>[];
  /** Independent plain-JS reference (see ref.ts); null when every sample is hand-checked instead. */
  reference: ((inputs: Nd[], params: P) => Nd | Nd[]) | null;
  /** Differentiable: gradcheck float samples in float64. */
  grad: boolean;
  errors: ErrorCase[];
  skip?: Partial<Record<Edge, string>>;
}

/** A sample with its params bound: what the runner iterates over. */
export interface Case {
  label: string;
  args: Arg[];
  run: (inputs: Tensor[]) => Tensor | Tensor[];
  reference: ((inputs: Nd[]) => Nd | Nd[]) | null;
  expected?: NestedArray;
  expectedGrad?: (NestedArray | null)[];
  grad?: boolean;
  gradTol?: GradTol;
  tol?: { rtol: number; atol: number };
}

export interface OpEntry {
  name: string;
  grad: boolean;
  cases: Case[];
  errors: ErrorCase[];
  skip: Partial<Record<Edge, string>>;
}

/** Binds each sample's params so entries of different param types fit in one table. */
export function defineOp<P = undefined>(info: OpInfo<P>): OpEntry {
  const ref = info.reference;
  return {
    name: info.name,
    grad: info.grad,
    errors: info.errors,
    skip: info.skip ?? {},
    cases: info.samples.map((s) => {
      const params = s.params as P;
      return {
        label: s.label,
        args: s.args,
        run: (inputs: Tensor[]) => info.fn(inputs, params),
        reference: ref && s.reference !== false ? (nds: Nd[]) => ref(nds, params) : null,
        expected: s.expected,
        expectedGrad: s.expectedGrad,
        grad: s.grad,
        gradTol: s.gradTol,
        tol: s.tol,
      };
    }),
  };
}

// ---- input builders -------------------------------------------------------------------------

export interface ValueOpts {
  /** Values lie in [lo, hi] (default [-2, 2]) and are kept at least 0.05 away from zero. */
  lo?: number;
  hi?: number;
  dtype?: DType;
  /** Shifts the sequence so that two inputs of one sample differ. */
  seed?: number;
}

/**
 * Deterministic, distinct, well-spread values without any RNG (a golden-ratio sequence), so the
 * table does not depend on the generator it also tests.
 */
export function values(n: number, o: ValueOpts = {}): number[] {
  const lo = o.lo ?? -2;
  const hi = o.hi ?? 2;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const frac = (0.5 + (i + 1) * 0.6180339887498949 + (o.seed ?? 0) * 0.3819660112501051) % 1;
    let v = lo + (hi - lo) * frac;
    if (Math.abs(v) < 0.05) v += v < 0 ? -0.05 : 0.05;
    out.push(o.dtype === 'int32' ? Math.round(v) : o.dtype === 'bool' ? Number(v > 0) : v);
  }
  return out;
}

const make = (shape: readonly number[], o: ValueOpts): Tensor =>
  nb.tensor(values(shape.reduce((a, b) => a * b, 1), o), { shape, dtype: o.dtype ?? 'float32' });

/** A literal input: `lit([[1, 2], [3, 4]])`. */
export const lit = (v: NestedArray, dtype?: DType): Arg => ({ base: nb.tensor(v, dtype ? { dtype } : {}) });
/** A contiguous input of `shape` with deterministic values. */
export const rnd = (shape: readonly number[], o: ValueOpts = {}): Arg => ({ base: make(shape, o) });
/** int32 indices/labels. */
export const ints = (v: NestedArray): Arg => lit(v, 'int32');
/** A non-contiguous input: the transpose of a contiguous base of the reversed shape. */
export const transposed = (shape: readonly number[], o: ValueOpts = {}): Arg => ({
  base: make([...shape].reverse(), o),
  view: (t) => t.transpose(),
});
/** A non-contiguous input: every other element of the last axis of a base twice as wide. */
export const stepped = (shape: readonly number[], o: ValueOpts = {}): Arg => {
  const wide = [...shape];
  wide[wide.length - 1] = wide[wide.length - 1]! * 2;
  return {
    base: make(wide, o),
    view: (t) => t.slice([...shape.slice(0, -1).map(() => null), [null, null, 2]]),
  };
};
/** A broadcast (stride-0) input: a base of shape `from` expanded to `shape`. */
export const expanded = (shape: readonly number[], from: readonly number[], o: ValueOpts = {}): Arg => ({
  base: make(from, o),
  view: (t) => t.expand(shape),
});
/** A contiguous view that starts at a non-zero storage offset (rows 1.. of a taller base). */
export const offset = (shape: readonly number[], o: ValueOpts = {}): Arg => ({
  base: make([shape[0]! + 1, ...shape.slice(1)], o),
  view: (t) => t.slice('1:'),
});

/** A non-contiguous view that also starts at an offset: rows 1.. of a base, transposed. */
export const offsetTransposed = (shape: readonly number[], o: ValueOpts = {}): Arg => {
  const rev = [...shape].reverse();
  return {
    base: make([rev[0]! + 1, ...rev.slice(1)], o),
    view: (t) => t.slice('1:').transpose(),
  };
};

/** The tensor a sample's op receives for `a`. */
export const inputOf = (a: Arg): Tensor => (a.view ? a.view(a.base) : a.base);

/** A wrongly typed argument for a bad-input call that TypeScript would otherwise reject. */
export const bad = <T>(v: unknown): T => v as T;
