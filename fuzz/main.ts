/**
 * `npm run fuzz -- [--seed S] [--count N] [--format NAME[,NAME…]] [--jobs J] [--timeout-ms T]
 *                  [--heap-mb M] [--max-rss-mb R] [--case K] [--out FILE]`
 *
 * Mutates every file format nabla reads and loads each case in a worker process: a case must be
 * accepted or end in one of nabla's own errors, within the time and memory limits, leaving the
 * global objects as they were. Prints the counts per format and the findings (each with the
 * command that replays it), writes the findings as JSON to FILE, and exits 1 when there are any.
 * `--case K` (with `--format`) replays case K alone, prints its full stack and keeps its files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FORMATS } from './formats/index.js';
import { countsTable, findingsText, notesText } from './report.js';
import type { JobResult } from './pool.js';
import { runFuzz } from './run.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '1000' },
    format: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    'timeout-ms': { type: 'string', default: '10000' },
    'heap-mb': { type: 'string', default: '1024' },
    'max-rss-mb': { type: 'string', default: '2048' },
    case: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

function int(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`fuzz: --${name} must be an integer ≥ ${min}, got '${text}'`);
    process.exit(2);
  }
  return n;
}

if (values.help) {
  console.log(`usage: npm run fuzz -- [--seed S] [--count N] [--format NAME,…] [--jobs J] [--timeout-ms T] [--case K --format NAME] [--out FILE]\nformats: ${FORMATS.map((f) => f.name).join(', ')}`);
  process.exit(0);
}
const seed = int('seed', values.seed, 0);
const formats = values.format?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const replay = values.case === undefined ? undefined : int('case', values.case, 0);
if (replay !== undefined && formats?.length !== 1) {
  console.error('fuzz: --case K replays case K of one format; give --format NAME too (the finding lists the command)');
  process.exit(2);
}
const count = int('count', values.count, 1);
const started = Date.now();
let last: JobResult | null = null;
const report = await runFuzz({
  seed, count, formats, cases: replay === undefined ? undefined : [replay],
  jobs: int('jobs', values.jobs, 1), timeoutMs: int('timeout-ms', values['timeout-ms'], 100),
  heapMb: int('heap-mb', values['heap-mb'], 64), maxRssMb: int('max-rss-mb', values['max-rss-mb'], 128),
  keepFiles: replay !== undefined,
  onResult: (r, done, total) => {
    last = r;
    if (done % 500 === 0 && done < total) console.error(`fuzz: ${done}/${total} cases, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
});

if (replay !== undefined) {
  const o = (last as JobResult | null)?.outcome;
  const f = report.findings[0];
  console.log(`case ${replay} of ${formats![0]} (seed ${seed}), from seed file ${f?.seedName ?? (last as JobResult | null)?.seedName}:`);
  if (f) console.log(`FINDING (${f.kind}) ${f.error}: ${f.message}\n${f.stack}`);
  else if (o?.kind === 'clean') console.log(`clean error, ${o.error}: ${o.message}`);
  else console.log('accepted');
  console.log(`its files: ${join(report.workDir!, 'cases', '0')}`);
  process.exit(f ? 1 : 0);
}

console.log(`\nnabla fuzz, seed ${seed}: ${Object.values(report.counts).reduce((s, c) => s + c.cases, 0)} cases in ${(report.wallMs / 1000).toFixed(1)} s\n`);
console.log(countsTable(report));
const out = values.out ?? join(dirname(fileURLToPath(import.meta.url)), 'out', `findings-seed-${seed}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 1) + '\n');
if (report.notes.length > 0) {
  console.log(`\n${report.notes.length} clean errors relay a JS engine error from a dependency (not findings; judge them):\n`);
  console.log(notesText(report.notes));
}
if (report.findings.length > 0) {
  console.log(`\n${report.findings.length} findings (all of them, with stacks, in ${out}):\n`);
  console.log(findingsText(report.findings));
  process.exit(1);
}
console.log(`\nno findings (report in ${out})`);
