/**
 * `npm run bench [-- --only sgemm,mlp] [--quick] [--skip tfjs-cpu] [--rounds N]`: nabla side by
 * side with NumPy, PyTorch and TensorFlow.js (CPU and WASM). Every case of every workload runs
 * each contender in the same invocation, alternating (a rotated order each round), for several
 * rounds after warm-up; the report gives medians and nabla ÷ peer ratios as markdown on stdout
 * (progress goes to stderr) and everything, samples included, as JSON in bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startContenders } from './contenders.js';
import { formatNumber, measureCase, parseArgs, toValue, USAGE, type Entry, type SuiteOptions } from './harness.js';
import { addRatios, renderContenders, renderWorkload, type Cell } from './report.js';
import { WORKLOADS } from './workloads/index.js';
import { CONTENDERS, CONTENDER_TITLES, OPT_IN_CONTENDERS, planAs, type ContenderName, type Workload } from './workloads/types.js';

const defaultOut = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
let opts: SuiteOptions;
try {
  opts = parseArgs(process.argv.slice(2), WORKLOADS.map((w) => w.name), defaultOut);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
if (opts.help) {
  console.log(`${USAGE}\nworkloads: ${WORKLOADS.map((w) => `${w.name} (${w.title})`).join(', ')}`);
  process.exit(0);
}
const workloads = WORKLOADS.filter((w) => !opts.only || opts.only.includes(w.name));
const wanted = (c: ContenderName) => !opts.skip.includes(c) && (!OPT_IN_CONTENDERS.includes(c) || (c === 'torch-standalone' && opts.standalone));
const needed = CONTENDERS.filter((c) => wanted(c) && workloads.some((w) => w.cases(opts).some((k) => w.plan(planAs(c), k, opts) !== undefined)));
const loadBefore = loadavg();
const t0 = performance.now();
console.error(`starting ${needed.join(', ')}…`);
const contenders = await startContenders(needed);
for (const c of contenders.values()) console.error(`  ${c.status.title}: ${c.status.available ? String(c.status.info['blas'] ?? 'ok') : `not available: ${c.status.reason}`}`);

const cells: Cell[] = [];
const sections: string[] = [];
for (const w of workloads) sections.push(await runWorkload(w));
for (const c of contenders.values()) c.close();

const capped = workloads.filter((w) => (w.maxRounds ?? Infinity) < opts.rounds).map((w) => `${w.name}: ${w.maxRounds}`);
const header = [
  `## nabla benchmark suite (${opts.quick ? 'quick check: small sizes, few rounds' : 'full'})`,
  '',
  `${new Date().toISOString()} · ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores · Node ${process.version} · load average ${loadBefore[0]!.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end · ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  '',
  `Medians of ${opts.rounds} rounds${capped.length > 0 ? ` (${capped.join(', ')})` : ''}; in each round every contender is timed once, in a rotated order. Peer cells show the value and, in parentheses, nabla ÷ peer.`,
  ...(loadBefore[0]! > cpus().length / 2
    ? ['', `**The machine was loaded** (load average ${loadBefore[0]!.toFixed(1)} on ${cpus().length} cores): every number is a lower bound, multi-threaded ones most of all (PyTorch's OpenMP threads spin while waiting for a core).`]
    : []),
  '',
  renderContenders([...contenders.values()].map((c) => c.status)),
];
console.log([...header, '', ...sections.flatMap((s) => [s, ''])].join('\n'));
mkdirSync(dirname(opts.out), { recursive: true });
const json = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, loadAverageStart: loadBefore, loadAverageEnd: loadavg() },
  options: opts,
  contenders: [...contenders.values()].map((c) => c.status),
  cells,
};
writeFileSync(opts.out, `${JSON.stringify(json, null, 2)}\n`);
console.error(`raw numbers: ${opts.out}`);

/**
 * Before a peer's sample, this process's garbage is collected at once (the suite runs under
 * --expose-gc): otherwise V8 finishes the garbage of nabla's last sample with its background
 * threads (concurrent marking and sweeping, the idle-time memory reducer) while the peer runs, and
 * on a 2-core machine that takes a core from a 2-thread peer.
 */
function collectBeforePeer(contender: string): void {
  if (contender !== 'nabla' && contender !== 'nabla-js') (globalThis as { gc?: () => void }).gc?.();
}

/** Runs every case of `w` with its contenders and returns its markdown section. */
async function runWorkload(w: Workload): Promise<string> {
  const cases = w.cases(opts);
  const mine: Cell[] = [];
  for (const k of cases) {
    const entries: Entry[] = [];
    const base = { workload: w.name, case: k.label };
    for (const name of needed) {
      const plan = w.plan(planAs(name), k, opts);
      if (plan === undefined) continue;
      const c = contenders.get(name)!;
      if (!c.status.available || !c.setup) {
        mine.push({ ...base, contender: name, status: 'not available', reason: c.status.reason });
      } else if ('skip' in plan) {
        mine.push({ ...base, contender: name, status: 'skipped', reason: plan.skip });
      } else {
        try {
          entries.push({ contender: name, runner: await c.setup(w, plan.params), work: plan.work });
          mine.push({ ...base, contender: name, status: 'ok', work: plan.work, ...(plan.note ? { note: plan.note } : {}) });
        } catch (e) {
          mine.push({ ...base, contender: name, status: 'failed', reason: (e as Error).message });
        }
      }
    }
    const rounds = Math.min(opts.rounds, w.maxRounds ?? opts.rounds);
    const measured = await measureCase(entries, { warmup: w.warmup, rounds, targetSeconds: w.targetSeconds, pauseMs: w.pauseMs, beforeSample: collectBeforePeer, warmupSeconds: opts.quick ? 0 : 1 });
    for (const e of entries) await e.runner.close();
    const line: string[] = [];
    for (const m of measured) {
      const cell = mine.find((c) => c.case === k.label && c.contender === m.contender)!;
      if ('error' in m) {
        cell.status = 'failed';
        cell.reason = m.error;
        line.push(`${m.contender} failed`);
        continue;
      }
      cell.value = toValue(w.unit, cell.work!, m.median);
      cell.secondsPerCall = m.median;
      cell.samples = m.samples;
      cell.reps = m.reps;
      line.push(`${m.contender} ${formatNumber(cell.value)}`);
    }
    console.error(`${w.name} ${k.label}: ${line.join(', ')} ${w.unit.label}`);
  }
  addRatios(mine);
  cells.push(...mine);
  const columns = CONTENDERS.map((name: ContenderName) => ({ name, title: CONTENDER_TITLES[name] }));
  return renderWorkload(w, cases.map((c) => c.label), columns, mine);
}
