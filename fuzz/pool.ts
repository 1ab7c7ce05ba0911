/**
 * A small pool of long-lived worker processes (starting one costs a second or two, so one per
 * case would be too slow). Each case has a time limit and a memory limit: a worker past either is
 * killed, the case is a finding ("hang", "memory"), and a fresh worker takes its place; a worker
 * that dies in a case (a V8 out-of-memory abort, an exit) makes it a "crash" or "memory" finding.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './case.js';
import type { FindingKind } from './outcome.js';
import type { ChildMessage, ParentMessage } from './protocol.js';

/** How the workers run. */
export interface PoolOptions {
  seedsDir: string;
  /** A directory of scratch space; worker k writes its cases under `scratchDir/k`. */
  scratchDir: string;
  jobs: number;
  /** A case running longer is a hang. */
  timeoutMs: number;
  /** V8 heap limit of a worker (--max-old-space-size). */
  heapMb: number;
  /** Resident memory beyond which a worker is killed (typed arrays live outside the V8 heap). */
  maxRssMb: number;
  /** Formats whose seeds each worker checks at start. */
  checkedFormats: string[];
  /** Modules with more formats (`export const formats`), for the harness's own tests. */
  extraModules: string[];
  /** Cases after which a worker is replaced, so that slow leaks cannot pile up. */
  recycleAfter: number;
}

/** One case to run. */
export interface CaseJob {
  format: string;
  index: number;
}

/** A finished case. */
export interface JobResult extends CaseResult {
  job: CaseJob;
  ms: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const STARTUP_MS = 180_000;

/** Resident memory of a process in MB, or null where /proc is not available. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** A started worker, its stderr tail, and the next message it sends. */
class Worker {
  readonly proc: ChildProcess;
  stderr = '';
  cases = 0;
  private waiting: ((m: ChildMessage | { type: 'exit'; code: number | null; signal: string | null }) => void) | null = null;

  constructor(opts: PoolOptions, slot: number) {
    const args = [opts.seedsDir, join(opts.scratchDir, String(slot)), JSON.stringify(opts.checkedFormats), ...opts.extraModules];
    this.proc = fork(CHILD, args, { cwd: ROOT, execArgv: ['--import', 'tsx', `--max-old-space-size=${opts.heapMb}`], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.proc.on('message', (m: ChildMessage) => this.deliver(m));
    this.proc.on('exit', (code, signal) => this.deliver({ type: 'exit', code, signal }));
  }

  private deliver(m: ChildMessage | { type: 'exit'; code: number | null; signal: string | null }): void {
    const w = this.waiting;
    this.waiting = null;
    w?.(m);
  }

  /** The next message (or the exit), or 'timeout' / 'memory' when a limit is passed first. */
  next(timeoutMs: number, maxRssMb: number): Promise<ChildMessage | { type: 'exit'; code: number | null; signal: string | null } | { type: 'timeout' } | { type: 'memory'; mb: number }> {
    return new Promise((resolve) => {
      const done = (m: Parameters<typeof resolve>[0]): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiting = null;
        resolve(m);
      };
      // memory first when both limits are passed: on a loaded machine the last poll may be late
      const expire = (): void => {
        const mb = this.proc.pid === undefined ? null : rssMb(this.proc.pid);
        done(mb !== null && mb > maxRssMb ? { type: 'memory', mb } : { type: 'timeout' });
      };
      // making the case gets the same time again; the limit restarts when its load starts
      let timer = setTimeout(expire, 2 * timeoutMs);
      const poll = setInterval(() => {
        const mb = this.proc.pid === undefined ? null : rssMb(this.proc.pid);
        if (mb !== null && mb > maxRssMb) done({ type: 'memory', mb });
      }, 100);
      const receive = (m: ChildMessage | { type: 'exit'; code: number | null; signal: string | null }): void => {
        if (m.type !== 'loading') return done(m);
        clearTimeout(timer);
        timer = setTimeout(expire, timeoutMs);
        this.waiting = receive;
      };
      this.waiting = receive;
    });
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGKILL');
    await exited;
  }
}

async function start(opts: PoolOptions, slot: number): Promise<Worker> {
  const w = new Worker(opts, slot);
  const m = await w.next(STARTUP_MS, Number.POSITIVE_INFINITY);
  if (m.type === 'ready') return w;
  await w.kill();
  const why = m.type === 'failed' ? m.message : m.type === 'timeout' ? `no answer in ${STARTUP_MS / 1000} s` : `${m.type}\n${w.stderr}`;
  throw new Error(`fuzz: a worker did not start: ${why}`);
}

function failed(finding: FindingKind, error: string, message: string, stack = ''): CaseResult['outcome'] {
  return { kind: 'finding', finding, error, message, stack };
}

/** One try of a case on a worker: its result, and whether the worker can take another case. */
async function attempt(worker: Worker, job: CaseJob, seed: number, opts: PoolOptions): Promise<{ result: CaseResult; reusable: boolean; timedOut: boolean }> {
  worker.cases++;
  worker.proc.send({ type: 'case', format: job.format, seed, index: job.index } satisfies ParentMessage);
  const m = await worker.next(opts.timeoutMs, opts.maxRssMb);
  if (m.type === 'result') {
    // a process whose globals were changed cannot judge the next case
    const polluted = m.outcome.kind === 'finding' && m.outcome.finding === 'pollution';
    return { result: { seedName: m.seedName, outcome: m.outcome }, reusable: !polluted, timedOut: false };
  }
  await worker.kill();
  const stderr = worker.stderr.trim();
  const tail = stderr.split('\n').slice(-6).join('\n');
  const dead = (outcome: CaseResult['outcome']): { result: CaseResult; reusable: boolean; timedOut: boolean } => ({ result: { seedName: '?', outcome }, reusable: false, timedOut: m.type === 'timeout' });
  if (m.type === 'timeout') return dead(failed('hang', 'Timeout', `no answer within ${opts.timeoutMs} ms, twice, each time in a fresh worker`));
  if (m.type === 'memory') return dead(failed('memory', 'MemoryLimit', `resident memory passed ${opts.maxRssMb} MB (${m.mb.toFixed(0)} MB)`));
  if (m.type === 'crash') return dead(failed('crash', m.error, `an error escaped the case: ${m.message}`, m.stack));
  // V8 prints its out-of-memory line first and a native stack after it
  if (/heap out of memory|Reached heap limit/.test(stderr)) return dead(failed('memory', 'HeapLimit', `the V8 heap passed ${opts.heapMb} MB`, tail));
  return dead(failed('crash', 'Exit', `the worker died (${m.type === 'exit' ? `code ${m.code}, signal ${m.signal}` : m.type})`, tail));
}

/**
 * Runs `jobs` on `opts.jobs` workers under the run's `seed`, calling `onResult` for each finished
 * case (in completion order). A case that times out is tried once more in a fresh worker before
 * it counts as a hang: on a shared machine a load spike can stall a worker for seconds.
 */
export async function runPool(jobs: readonly CaseJob[], seed: number, opts: PoolOptions, onResult: (r: JobResult) => void): Promise<void> {
  let next = 0;
  const lane = async (slot: number): Promise<void> => {
    let worker: Worker | null = null;
    try {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const t0 = Date.now();
        let outcome: Awaited<ReturnType<typeof attempt>> | null = null;
        for (let tries = 0; tries < 2 && (outcome === null || outcome.timedOut); tries++) {
          if (worker === null || worker.cases >= opts.recycleAfter) {
            await worker?.kill();
            worker = await start(opts, slot);
          }
          outcome = await attempt(worker, job, seed, opts);
          if (!outcome.reusable) {
            await worker.kill();
            worker = null;
          }
        }
        onResult({ ...outcome!.result, job, ms: Date.now() - t0 });
      }
    } finally {
      await worker?.kill();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, jobs.length)) }, (_, k) => lane(k)));
}
