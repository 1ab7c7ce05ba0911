/**
 * One case: a seed picked and mutated from `(seed, format, index)`, written to disk, loaded, and
 * judged (accepted, a clean error, or a finding), with the global objects compared before and after.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCaseFiles, writeCaseFiles, type FuzzFormat } from './format.js';
import { diffGlobals, type GlobalSnapshot } from './globals.js';
import { classify, type Outcome } from './outcome.js';
import { caseRng } from './rng.js';

/** Where a case runs and what it is compared with. */
export interface CaseContext {
  /** The directory with one sub-directory of seeds per format. */
  seedsDir: string;
  /** Where the case's files are written (emptied first). */
  caseDir: string;
  /** nabla's error classes (see `frameworkErrorClasses`). */
  errorClasses: readonly Function[];
  /** The global objects as they were before any case ran. */
  globals: GlobalSnapshot;
  /** Called when the case's files are written, just before the load (the worker tells the parent). */
  onLoading?: () => Promise<void>;
}

/** What a case came to, with the seed it started from. */
export interface CaseResult {
  seedName: string;
  outcome: Outcome;
}

/** The seed names of a format, in a fixed order. */
export function seedNames(seedsDir: string, format: string): string[] {
  return readdirSync(join(seedsDir, format)).sort();
}

/** Runs case `index` of `format` under the run's `seed`. */
export async function runCase(format: FuzzFormat, seed: number, index: number, ctx: CaseContext): Promise<CaseResult> {
  const rng = caseRng(seed, format.name, index);
  const seedName = rng.pick(seedNames(ctx.seedsDir, format.name));
  const files = readCaseFiles(join(ctx.seedsDir, format.name, seedName));
  try {
    format.mutate(rng, files, seedName);
    writeCaseFiles(ctx.caseDir, files);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { seedName, outcome: { kind: 'finding', finding: 'harness', error: e.name, message: `the fuzzer failed to make the case: ${e.message}`, stack: e.stack ?? '' } };
  }
  await ctx.onLoading?.();
  let outcome: Outcome;
  try {
    await format.load(ctx.caseDir, seedName, rng, join(ctx.seedsDir, format.name, seedName));
    outcome = { kind: 'accepted' };
  } catch (err) {
    outcome = classify(err, ctx.errorClasses);
  }
  const changes = diffGlobals(ctx.globals);
  if (changes.length > 0) {
    const detail = changes.slice(0, 10).join('; ');
    const was = outcome.kind === 'finding' ? `${outcome.error}: ${outcome.message}` : outcome.kind;
    outcome = { kind: 'finding', finding: 'pollution', error: 'GlobalChanged', message: `${detail} (the load itself: ${was})`, stack: outcome.kind === 'finding' ? outcome.stack : '' };
  }
  return { seedName, outcome };
}

/** Loads every seed of `format` unchanged: each must be accepted, or the fuzzer's seeds are wrong. */
export async function checkSeeds(format: FuzzFormat, ctx: CaseContext): Promise<void> {
  for (const seedName of seedNames(ctx.seedsDir, format.name)) {
    writeCaseFiles(ctx.caseDir, readCaseFiles(join(ctx.seedsDir, format.name, seedName)));
    try {
      await format.load(ctx.caseDir, seedName, caseRng(0, format.name, -1), join(ctx.seedsDir, format.name, seedName));
    } catch (err) {
      throw new Error(`fuzz: the unchanged seed '${format.name}/${seedName}' does not load (${(err as Error).message}); the seeds or nabla changed`, { cause: err });
    }
  }
}
