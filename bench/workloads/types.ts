/**
 * What a workload of the benchmark suite is. Adding one is one file in bench/workloads/ exporting
 * a `Workload`, listed in bench/workloads/index.ts, plus a function of the same name in the peer
 * workers that take part (bench/peers/torch_worker.py, numpy_worker.py, tfjs-worker.ts).
 */
import { availableParallelism } from 'node:os';
import type { Params, SuiteOptions, Unit } from '../harness.js';

/** Every contender, in the order of the table's columns. 'nabla' is the one ratios are taken against. */
export const CONTENDERS = ['nabla', 'nabla-js', 'numpy', 'torch', 'torch-standalone', 'tfjs-cpu', 'tfjs-wasm', 'onnxruntime'] as const;

/**
 * Contenders that run only when asked for: 'torch-standalone' (`--standalone`) is the check on the
 * PyTorch worker, PyTorch's workloads in a fresh standalone script each round; it takes part
 * wherever 'torch' does, with the same plan.
 */
export const OPT_IN_CONTENDERS: readonly ContenderName[] = ['torch-standalone'];

/** The contender whose plan an opt-in contender follows. */
export function planAs(name: ContenderName): ContenderName {
  return name === 'torch-standalone' ? 'torch' : name;
}

/** A contender's name: nabla on its default (native) backend, nabla on JS kernels, or a peer. */
export type ContenderName = (typeof CONTENDERS)[number];

/** The column titles of the contenders. */
export const CONTENDER_TITLES: Record<ContenderName, string> = {
  nabla: 'nabla',
  'nabla-js': 'nabla (JS kernels)',
  numpy: 'NumPy',
  torch: 'PyTorch',
  'torch-standalone': 'PyTorch, standalone script',
  'tfjs-cpu': 'tfjs CPU',
  'tfjs-wasm': 'tfjs WASM',
  onnxruntime: 'onnxruntime-node',
};

/** All the cores: what "all threads" means in a case. */
export const ALL_THREADS = availableParallelism();

/** One row of a workload's table: its label, the parameters every contender gets, the work per call. */
export interface Case {
  label: string;
  params: Params;
  /** Work done by one call, in the unit's numerator (FLOPs, samples, bytes, ops). */
  work: number;
}

/**
 * How a contender takes part in a case: its parameters and work per call (a slow peer may do a
 * fraction of the work, said in `note`), or a reason it does not (shown in the table's notes).
 */
export type Plan = { params: Params; work: number; note?: string } | { skip: string };

/** One call of nabla's side, timed by the harness; may return a promise (model.fit). */
export type Step = () => unknown;

/** A workload: its cases, which contenders take part, and nabla's side of it. */
export interface Workload {
  /** Short name, used by `--only` and sent to the peer workers (a function of that name there). */
  name: string;
  /** Heading of its table. */
  title: string;
  unit: Unit;
  /** One or two sentences printed under the heading: what is measured and how. */
  about: string;
  /** Untimed calls before measuring (0: the set-up warms up itself and a sample is one call). */
  warmup: number;
  /** Seconds a timed sample should last (calls per sample are chosen from the warm-up). */
  targetSeconds: number;
  /** Pause before each timed sample, for the previous contender's threads to go idle. */
  pauseMs: number;
  /** At most this many rounds, whatever `--rounds` says (for workloads whose calls take seconds). */
  maxRounds?: number;
  cases(opts: SuiteOptions): Case[];
  /** How `contender` runs case `c`; undefined when it is not part of this workload at all. */
  plan(contender: ContenderName, c: Case, opts: SuiteOptions): Plan | undefined;
  /** Builds nabla's side of a case (data, model, warm-up) and returns the call to time. */
  setupNabla(params: Params): Step | Promise<Step>;
}

/** The case as it is: the usual plan. */
export function same(c: Case): Plan {
  return { params: c.params, work: c.work };
}

/** A numeric parameter of a case; throws naming it when it is missing (a bug in a workload file). */
export function num(params: Params, key: string): number {
  const v = params[key];
  if (typeof v !== 'number') throw new Error(`bench: workload parameter ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}
