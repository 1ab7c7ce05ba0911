import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { gradients } from '../autograd/functional.js';
import { noGrad } from '../tensor/grad-mode.js';
import { sum } from '../ops/reduce.js';
import { cast, mul } from '../ops/binary.js';
import { randn } from '../tensor/creation.js';
import { Generator } from '../tensor/random.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Which inputs to check (default: every float input). */
  check?: readonly number[];
}

/** The outcome of `gradcheck`: the worst mismatch found, and where. */
export interface GradcheckResult {
  ok: boolean;
  maxAbsError: number;
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compares the analytic gradient of `fn` with central finite differences, in float64.
 * Float inputs are converted to float64; a non-scalar output is reduced with fixed random
 * weights so that every output element is checked. Throws with the worst mismatch unless
 * every component satisfies `|analytic − numeric| ≤ atol + rtol·|numeric|`.
 *
 * @example
 * nb.testing.gradcheck((x) => x.exp().sum(), [nb.randn([3])]);
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckResult {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const xs = inputs.map((t) => (t.dtype === 'float32' || t.dtype === 'float64' ? cast(t.detach(), 'float64').contiguous().detach() : t));
  const which = opts.check ?? xs.map((_, i) => i).filter((i) => xs[i]!.dtype === 'float64');
  let weights: Tensor | null = null;
  const scalarOf = (...args: Tensor[]): Tensor => {
    const out = fn(...args);
    if (out.size === 1) return sum(out);
    weights ??= randn(out.shape.slice(), { dtype: 'float64', generator: new Generator(1234) });
    return sum(mul(cast(out, 'float64'), weights));
  };
  const leaves = xs.map((x, i) => (which.includes(i) ? x.detach().requireGrad() : x));
  const y = scalarOf(...leaves);
  if (!y.requiresGrad) throw new ValueError('gradcheck: the output does not depend on the checked inputs');
  const analytic = gradients(y, which.map((i) => leaves[i]!), { allowUnused: true }).map((g) => g.data());
  let maxAbsError = 0;
  let worst: GradcheckResult['worst'] = null;
  let ok = true;
  noGrad(() => {
    which.forEach((inputIndex, k) => {
      const x = xs[inputIndex]!;
      const data = x.storage;
      for (let j = 0; j < x.size; j++) {
        // x is contiguous, but a float64 input is used as given and may start at an offset
        const at = x.offset + j;
        const orig = data[at]!;
        data[at] = orig + eps;
        const fPlus = scalarOf(...xs).item();
        data[at] = orig - eps;
        const fMinus = scalarOf(...xs).item();
        data[at] = orig;
        const numeric = (fPlus - fMinus) / (2 * eps);
        const a = analytic[k]![j]!;
        const err = Math.abs(a - numeric);
        if (!(err <= atol + rtol * Math.abs(numeric))) ok = false;
        if (err > maxAbsError || Number.isNaN(err)) {
          maxAbsError = Number.isNaN(err) ? Infinity : err;
          worst = { input: inputIndex, index: j, analytic: a, numeric };
        }
      }
    });
  });
  const result: GradcheckResult = { ok, maxAbsError, worst };
  if (!ok) {
    const w = result.worst!;
    throw new ValueError(
      `gradcheck: analytic and numeric gradients differ for input ${w.input} at flat index ${w.index}: ` +
        `analytic ${w.analytic}, numeric ${w.numeric} (max abs error ${maxAbsError})`,
    );
  }
  return result;
}
