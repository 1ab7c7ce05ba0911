/**
 * A fuzz run: the seeds are made once with nabla itself, the cases are spread over the formats
 * (case i of a run over F formats is case ⌊i/F⌋ of format i mod F, so a case's identity is
 * `(seed, format, index)` whichever formats run beside it), run on the worker pool, and counted.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedNames } from './case.js';
import type { FuzzFormat } from './format.js';
import { FORMATS } from './formats/index.js';
import type { FindingKind } from './outcome.js';
import { runPool, type CaseJob, type JobResult } from './pool.js';
import { caseRng } from './rng.js';

/** What to run. */
export interface FuzzOptions {
  seed: number;
  /** Cases in all, spread over the formats (ignored when `cases` is given). */
  count: number;
  /** Format names (default: every built-in format). */
  formats?: string[];
  /** Exactly these case indices of each chosen format (replaying findings). */
  cases?: number[];
  jobs?: number;
  timeoutMs?: number;
  heapMb?: number;
  maxRssMb?: number;
  /** Modules exporting more `formats` (the harness's own tests plant misbehaving ones). */
  extraModules?: string[];
  /** Keep the seeds and case files (their directory is in the report). */
  keepFiles?: boolean;
  /** Called after each case. */
  onResult?: (r: JobResult, done: number, total: number) => void;
}

/** The counts of one format. */
export interface FormatCounts {
  cases: number;
  accepted: number;
  clean: number;
  /** Clean errors whose message relays a JS engine error from a dependency (see outcome.ts). */
  relayed: number;
  findings: number;
}

/** A case that was not accepted and not a clean error, with the command that replays it. */
export interface Finding {
  format: string;
  index: number;
  seedName: string;
  kind: FindingKind;
  error: string;
  message: string;
  stack: string;
  ms: number;
  replay: string;
}

/** A clean error that relays a JS engine error, for a person to judge. */
export interface Note {
  format: string;
  index: number;
  error: string;
  message: string;
  replay: string;
}

/** What a run found. */
export interface FuzzReport {
  seed: number;
  counts: Record<string, FormatCounts>;
  findings: Finding[];
  notes: Note[];
  wallMs: number;
  /** The seeds and cases, when kept. */
  workDir: string | null;
}

async function allFormats(extraModules: readonly string[]): Promise<FuzzFormat[]> {
  const out = [...FORMATS];
  for (const path of extraModules) out.push(...((await import(path)) as { formats: FuzzFormat[] }).formats);
  return out;
}

/** The jobs of a run: `count` cases round-robin over the formats, or the given indices of each. */
export function planJobs(formats: readonly string[], count: number, cases?: readonly number[]): CaseJob[] {
  if (cases) return formats.flatMap((format) => cases.map((index) => ({ format, index })));
  return Array.from({ length: count }, (_, i) => ({ format: formats[i % formats.length]!, index: Math.floor(i / formats.length) }));
}

/** Runs the fuzzer and returns its counts and findings. */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const extraModules = opts.extraModules ?? [];
  const known = await allFormats(extraModules);
  const names = opts.formats ?? FORMATS.map((f) => f.name);
  const unknown = names.filter((n) => !known.some((f) => f.name === n));
  if (unknown.length > 0) throw new Error(`fuzz: unknown format ${unknown.join(', ')}; formats: ${known.map((f) => f.name).join(', ')}`);
  const workDir = mkdtempSync(join(tmpdir(), 'nabla-fuzz-'));
  try {
    const seedsDir = join(workDir, 'seeds');
    for (const f of known.filter((k) => names.includes(k.name))) {
      const dir = join(seedsDir, f.name);
      mkdirSync(dir, { recursive: true });
      await f.makeSeeds(dir);
    }
    const jobs = planJobs(names, opts.count, opts.cases);
    const counts: Record<string, FormatCounts> = Object.fromEntries(names.map((n) => [n, { cases: 0, accepted: 0, clean: 0, relayed: 0, findings: 0 }]));
    const findings: Finding[] = [];
    const notes: Note[] = [];
    const replay = (job: CaseJob): string => `npm run fuzz -- --seed ${opts.seed} --format ${job.format} --case ${job.index}`;
    let done = 0;
    await runPool(jobs, opts.seed, {
      seedsDir, scratchDir: join(workDir, 'cases'), jobs: opts.jobs ?? 2, timeoutMs: opts.timeoutMs ?? 10_000,
      heapMb: opts.heapMb ?? 1024, maxRssMb: opts.maxRssMb ?? 2048, checkedFormats: names, extraModules, recycleAfter: 1000,
    }, (r) => {
      const c = counts[r.job.format]!;
      c.cases++;
      const o = r.outcome;
      if (o.kind === 'accepted') c.accepted++;
      else if (o.kind === 'clean') {
        c.clean++;
        if (o.relayed) {
          c.relayed++;
          notes.push({ format: r.job.format, index: r.job.index, error: o.error, message: o.message, replay: replay(r.job) });
        }
      } else {
        c.findings++;
        // a worker that hung or died could not say which seed it used; the case's generator can
        const seedName = r.seedName !== '?' ? r.seedName : caseRng(opts.seed, r.job.format, r.job.index).pick(seedNames(seedsDir, r.job.format));
        findings.push({
          format: r.job.format, index: r.job.index, seedName, kind: o.finding, error: o.error, message: o.message, stack: o.stack, ms: r.ms,
          replay: replay(r.job),
        });
      }
      opts.onResult?.(r, ++done, jobs.length);
    });
    const order = (a: { format: string; index: number }, b: { format: string; index: number }): number => a.format.localeCompare(b.format) || a.index - b.index;
    findings.sort(order);
    notes.sort(order);
    return { seed: opts.seed, counts, findings, notes, wallMs: Date.now() - t0, workDir: opts.keepFiles ? workDir : null };
  } finally {
    if (!opts.keepFiles) rmSync(workDir, { recursive: true, force: true });
  }
}
