/**
 * The measuring core of the benchmark suite: statistics, units, ratios, command-line options and
 * the alternating measurement loop. Everything here except `measureCase` is pure logic (tested in
 * test/bench/harness.test.ts); `measureCase` only orders calls and does the arithmetic on the
 * seconds the runners report.
 */

/** JSON-serialisable parameters of one workload case, sent as-is to the peer workers. */
export type Params = { [key: string]: string | number | boolean | null };

/** How a workload's result is expressed: a rate (work per second) or a time per unit of work. */
export interface Unit {
  /** Shown after each number: 'GFLOP/s', 'samples/s', 'µs/op', 'GB/s'. */
  label: string;
  /** 'rate': value = work / seconds × scale (higher is better); 'time': value = seconds / work × scale (lower is better). */
  kind: 'rate' | 'time';
  /** Factor applied to the raw quotient (1e-9 for GFLOP/s from FLOPs, 1e6 for µs from seconds). */
  scale: number;
}

/** The median of `xs` (the mean of the middle two for an even count); NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The result in `unit` of `work` units done in `seconds` (e.g. 2n³ FLOPs in 0.01 s → GFLOP/s). */
export function toValue(unit: Unit, work: number, seconds: number): number {
  return unit.kind === 'rate' ? (work / seconds) * unit.scale : (seconds / work) * unit.scale;
}

/**
 * nabla's value divided by the peer's, in the workload's unit: for a rate above 1 means nabla is
 * faster; for a time per op below 1 means nabla is faster. Undefined when either is missing.
 */
export function ratio(nabla: number | undefined, peer: number | undefined): number | undefined {
  if (nabla === undefined || peer === undefined || !Number.isFinite(nabla) || !Number.isFinite(peer) || peer === 0) return undefined;
  return nabla / peer;
}

/** A number with about three significant digits, thousands separated: 1234.5 → '1,235', 0.01234 → '0.0123'. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a === 0 ? 0 : Math.min(6, 2 - Math.floor(Math.log10(a)));
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A markdown table from a header and rows of cells (pipes inside cells are escaped). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Options of one `npm run bench` invocation. */
export interface SuiteOptions {
  /** Workload names to run (all when undefined). */
  only?: string[];
  /** Contender names to leave out (e.g. 'tfjs-cpu'). */
  skip: string[];
  /** Smaller sizes, fewer rounds: a check that everything runs, not a measurement. */
  quick: boolean;
  /** Measured rounds per case (each contender is timed once per round, alternating). */
  rounds: number;
  /** Where the JSON results go. */
  out: string;
  /** Also run PyTorch's workloads as a standalone script, a fresh process each round (the check on the worker). */
  standalone: boolean;
  help: boolean;
}

/** The usage text of `npm run bench -- --help`. */
export const USAGE = `usage: npm run bench -- [--only a,b] [--skip peer,…] [--quick] [--rounds N] [--out FILE]
  --only    run only these workloads (comma-separated names, see the list below)
  --skip    leave out these contenders (nabla-js, numpy, torch, tfjs-cpu, tfjs-wasm, onnxruntime)
  --quick   small sizes and 2 rounds: checks that every workload and peer runs
  --rounds  measured rounds per case (default 5, 2 with --quick)
  --standalone  also time PyTorch's workloads as a standalone script (a fresh process
            each round) beside the suite's PyTorch worker: the check that the worker is at its best
  --out     JSON results file (default bench/results/latest.json)`;

/**
 * Parses the suite's arguments (`--only mlp,cnn`, `--only=mlp`, `--quick`, `--rounds 3`, …).
 * Throws an Error naming the bad argument; `known` lists the valid workload names for `--only`.
 */
export function parseArgs(argv: readonly string[], known: readonly string[], defaultOut: string): SuiteOptions {
  const opts: SuiteOptions = { skip: [], quick: false, rounds: 0, out: defaultOut, help: false, standalone: false };
  let rounds: number | undefined;
  const list = (flag: string, v: string | undefined): string[] => {
    if (v === undefined || v === '' || v.startsWith('--')) throw new Error(`bench: ${flag} needs a comma-separated list, e.g. ${flag} mlp,cnn`);
    return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--only': {
        const names = list('--only', value());
        const bad = names.filter((n) => !known.includes(n));
        if (bad.length > 0) throw new Error(`bench: unknown workload ${bad.join(', ')} in --only; the workloads are ${known.join(', ')}`);
        opts.only = names;
        break;
      }
      case '--skip':
        opts.skip.push(...list('--skip', value()));
        break;
      case '--quick':
        opts.quick = true;
        break;
      case '--standalone':
        opts.standalone = true;
        break;
      case '--rounds': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new Error(`bench: --rounds needs a positive integer, got ${v ?? 'nothing'}`);
        rounds = n;
        break;
      }
      case '--out': {
        const v = value();
        if (v === undefined || v === '') throw new Error('bench: --out needs a file name');
        opts.out = v;
        break;
      }
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new Error(`bench: unknown argument ${arg}\n${USAGE}`);
    }
  }
  opts.rounds = rounds ?? (opts.quick ? 2 : 5);
  return opts;
}

/** Runs a set-up workload `reps` times back to back and answers the total seconds. */
export interface Runner {
  run(reps: number): Promise<number>;
  /** Frees what the set-up holds (tensors, a peer's copy of the data). */
  close(): Promise<void>;
}

/** One contender's runner in a case, with the work one call does. */
export interface Entry {
  contender: string;
  runner: Runner;
  /** Work per call, in the unit's numerator (FLOPs, samples, bytes, ops). */
  work: number;
}

/** Seconds per call of each contender: all the rounds' samples and their median; or why it failed. */
export type Measured =
  | {
      contender: string;
      /** Calls per timed sample, chosen after the warm-up so a sample lasts about `targetSeconds`. */
      reps: number;
      samples: number[];
      median: number;
    }
  | { contender: string; error: string };

/** How `measureCase` times: warm-up calls, rounds, length of a sample, pause between contenders. */
export interface MeasureOptions {
  warmup: number;
  rounds: number;
  targetSeconds: number;
  /** Pause before each timed sample, so the previous contender's spinning threads go to sleep. */
  pauseMs: number;
  /** Called before each timed sample's pause (the suite collects this process's garbage before a peer's sample). */
  beforeSample?: (contender: string) => void;
  /**
   * With `warmup` > 0: keep warming up, in batches of about `targetSeconds`, until the warm-up
   * has lasted this long (default 0). A JIT-compiled contender needs thousands of calls before its
   * code is optimised: two calls of a 30 µs product left nabla's samples at a tenth of its speed.
   */
  warmupSeconds?: number;
}

/** How many calls make a sample of about `target` seconds when one call took `seconds` (1 to 10,000). */
export function repsFor(seconds: number, target: number): number {
  if (!(seconds > 0)) return 10_000;
  return Math.max(1, Math.min(10_000, Math.round(target / seconds)));
}

/** The order of the contenders in round `round`: rotated by one each round, so none always runs right after another. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Measures one case: warms every contender up (`warmup` calls, then batches of calls until
 * `warmupSeconds` have passed; the last timed to choose the calls per sample; with no warm-up, a
 * sample is one call), then runs `rounds` rounds in which each
 * contender is timed once, in an order rotated every round. Returns each contender's seconds per
 * call; a contender whose call throws is reported with the error and dropped from later rounds.
 */
export async function measureCase(entries: readonly Entry[], opts: MeasureOptions): Promise<Measured[]> {
  const reps = new Map<string, number>();
  const errors = new Map<string, string>();
  const attempt = async (e: Entry, calls: number): Promise<number | undefined> => {
    try {
      return await e.runner.run(calls);
    } catch (err) {
      errors.set(e.contender, (err as Error).message);
      return undefined;
    }
  };
  for (const e of entries) {
    let last: number | undefined = 0;
    let spent = 0;
    for (let i = 0; i < opts.warmup && last !== undefined; i++) {
      last = await attempt(e, 1);
      spent += last ?? 0;
    }
    while (opts.warmup > 0 && last !== undefined && spent < (opts.warmupSeconds ?? 0)) {
      const calls = repsFor(last, opts.targetSeconds);
      const t = await attempt(e, calls);
      if (t === undefined) last = undefined;
      else {
        spent += t;
        last = t / calls;
      }
    }
    // no warm-up (a workload that warms up in its set-up and whose call is long): one call per sample
    if (last !== undefined) reps.set(e.contender, opts.warmup > 0 ? repsFor(last, opts.targetSeconds) : 1);
  }
  const samples = new Map<string, number[]>(entries.map((e) => [e.contender, []]));
  for (let r = 0; r < opts.rounds; r++) {
    for (const e of roundOrder(entries, r)) {
      if (errors.has(e.contender)) continue;
      opts.beforeSample?.(e.contender);
      if (opts.pauseMs > 0) await sleep(opts.pauseMs);
      const n = reps.get(e.contender)!;
      const seconds = await attempt(e, n);
      if (seconds !== undefined) samples.get(e.contender)!.push(seconds / n);
    }
  }
  return entries.map((e): Measured => {
    const error = errors.get(e.contender);
    if (error !== undefined) return { contender: e.contender, error };
    const s = samples.get(e.contender)!;
    return { contender: e.contender, reps: reps.get(e.contender)!, samples: s, median: median(s) };
  });
}
