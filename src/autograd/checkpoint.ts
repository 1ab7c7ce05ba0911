import { isFloat } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { watchDraws, type Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { watchInputs } from '../ops/dispatch.js';
import { runBackward } from './backward.js';
import { enableGrad, isGradEnabled, noGrad } from '../tensor/grad-mode.js';
import { ambientTraining, withTraining } from './training-context.js';

type GeneratorState = ReturnType<Generator['getState']>;

/**
 * Gradient checkpointing: `fn(...inputs)` computed without keeping its intermediate tensors;
 * backward recomputes them. The forward runs under `noGrad` and remembers only what the block
 * reads from outside — the explicit `inputs` and every tensor that requires gradients it closes
 * over (a layer's weights, an activation computed earlier) — so a block costs its output's memory
 * instead of all its activations, for one extra forward in backward. Gradients reach the closed-
 * over tensors as well as the inputs, also through nested checkpoints and for `createGraph`.
 *
 * Random draws are replayed: the state of every generator the block draws from (the global one
 * and, e.g., a seeded Dropout's own) is saved before the forward, restored for the recompute and
 * put back afterwards, so the same dropout mask is used and the random stream is unchanged. The
 * recompute also runs with the training flag the forward ran with, so that layers applied
 * without one inherit the same mode then as in the forward.
 *
 * `fn` must compute the same thing when run again (given the same random numbers) and return one
 * tensor. A layer that updates state in training (BatchNormalization's moving statistics)
 * updates it once more in the recompute, as in PyTorch. Outside a recorded computation (under
 * `noGrad`, or when nothing requires gradients) it is a plain call of `fn`.
 *
 * @example
 * const h = nb.checkpoint((x) => block.apply(x, true), x);   // block's weights get gradients too
 */
export function checkpoint(fn: (...inputs: Tensor[]) => Tensor, ...inputs: Tensor[]): Tensor {
  if (typeof fn !== 'function') throw new ValueError(`checkpoint: the first argument must be a function of tensors, got ${typeof fn}`);
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ValueError(`checkpoint: input ${i} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  });
  if (!isGradEnabled()) return checkOutput(fn(...inputs));

  const reads = new Set<Tensor>(inputs.filter((t) => t.requiresGrad));
  const training = ambientTraining();
  const rngStates = new Map<Generator, GeneratorState>();
  const out = noGrad(() =>
    watchDraws(
      (g) => {
        if (!rngStates.has(g)) rngStates.set(g, g.getState());
      },
      // under noGrad nothing made inside fn requires gradients, so whatever does came from outside
      () => watchInputs((ins) => ins.forEach((t) => t.requiresGrad && reads.add(t)), () => checkOutput(fn(...inputs))),
    ),
  );
  if (reads.size === 0 || !isFloat(out.dtype)) return out;

  const boundary = [...reads];
  // a new tensor object, so that fn returning one of its inputs does not change that input
  const result = new Tensor(out.storage, out.shape, out.strides, out.offset);
  result.node = { name: 'checkpoint', inputs: boundary, vjp: (g) => withTraining(training, () => recompute(fn, inputs, boundary, rngStates, g)) };
  result.requiresGrad = true;
  return result;
}

function checkOutput(out: unknown): Tensor {
  if (!(out instanceof Tensor)) {
    throw new ValueError(`checkpoint: the function must return one Tensor, got ${Array.isArray(out) ? 'an array' : typeof out}; checkpoint each output separately or concat them`);
  }
  return out;
}

/**
 * The checkpoint's VJP: runs `fn` again with recording on and the random generators rewound,
 * then backpropagates `g` through that graph down to the block's boundary tensors.
 */
function recompute(
  fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], boundary: readonly Tensor[],
  rngStates: ReadonlyMap<Generator, GeneratorState>, g: Tensor,
): (Tensor | null)[] {
  const now = [...rngStates.keys()].map((gen) => [gen, gen.getState()] as const);
  for (const [gen, state] of rngStates) gen.setState(state);
  const nodes = boundary.map((t) => t.node);
  try {
    const createGraph = isGradEnabled();
    const y = enableGrad(() => checkOutput(fn(...inputs)));
    if (!y.requiresGrad) return boundary.map(() => null);
    // Cut the graph at the boundary for this inner sweep: the tensors the block read become
    // leaves for a moment, so it stops there instead of running on into (and freeing) the
    // outer graph, which the outer backward still has to walk.
    for (const t of boundary) t.node = null;
    return runBackward([y], [g], boundary, { createGraph });
  } finally {
    boundary.forEach((t, i) => (t.node = nodes[i]!));
    for (const [gen, state] of now) gen.setState(state);
  }
}
