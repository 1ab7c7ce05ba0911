// The benchmark suite's pure logic: statistics, units, ratios, argument parsing, the alternating
// measurement loop (driven by fake runners that report fixed seconds, so nothing here is timed),
// and the markdown report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, markdownTable, measureCase, median, parseArgs, ratio, repsFor, roundOrder, toValue, type Entry, type Unit } from '../../bench/harness.js';
import { addRatios, cellText, formatRatio, renderWorkload, workerCheck, type Cell } from '../../bench/report.js';
import { OPT_IN_CONTENDERS, planAs } from '../../bench/workloads/types.js';

const GFLOPS: Unit = { label: 'GFLOP/s', kind: 'rate', scale: 1e-9 };
const US_PER_OP: Unit = { label: 'µs/op', kind: 'time', scale: 1e6 };

test('median: middle value, mean of the middle two, NaN when empty; input left unsorted', () => {
  const xs = [5, 1, 4];
  assert.equal(median(xs), 4);
  assert.deepEqual(xs, [5, 1, 4]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
});

test('toValue: a rate divides work by seconds, a time per op divides seconds by work', () => {
  // 2·1024³ FLOPs in 0.01 s = 214.7483648 GFLOP/s
  assert.ok(Math.abs(toValue(GFLOPS, 2 * 1024 ** 3, 0.01) - 214.7483648) < 1e-9);
  // 10,000 ops in 0.02 s = 2 µs/op
  assert.ok(Math.abs(toValue(US_PER_OP, 10_000, 0.02) - 2) < 1e-12);
});

test('ratio: nabla ÷ peer, undefined when either side is missing or the peer is 0', () => {
  assert.equal(ratio(150, 100), 1.5);
  assert.equal(ratio(undefined, 100), undefined);
  assert.equal(ratio(100, undefined), undefined);
  assert.equal(ratio(100, 0), undefined);
  assert.equal(ratio(NaN, 3), undefined);
});

test('formatNumber and formatRatio keep about three significant digits', () => {
  assert.equal(formatNumber(1234.5), '1,235');
  assert.equal(formatNumber(57.25), '57.3');
  assert.equal(formatNumber(3.14159), '3.14');
  assert.equal(formatNumber(0.01234), '0.0123');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatRatio(0.953), '0.95');
  assert.equal(formatRatio(40.47), '40');
});

test('markdownTable: header, separator, rows; pipes inside cells are escaped', () => {
  assert.equal(markdownTable(['a', 'b'], [['1', 'x|y']]), '| a | b |\n| --- | --- |\n| 1 | x\\|y |');
});

test('parseArgs: defaults, --only in both spellings, --quick lowers the rounds, --rounds overrides', () => {
  const known = ['sgemm', 'mlp', 'cnn'];
  assert.deepEqual(parseArgs([], known, 'out.json'), { skip: [], quick: false, rounds: 5, out: 'out.json', help: false, standalone: false });
  assert.equal(parseArgs(['--standalone'], known, 'o').standalone, true);
  const a = parseArgs(['--only', 'mlp,cnn', '--quick'], known, 'o');
  assert.deepEqual(a.only, ['mlp', 'cnn']);
  assert.equal(a.quick, true);
  assert.equal(a.rounds, 2);
  const b = parseArgs(['--only=sgemm', '--rounds', '3', '--skip', 'tfjs-cpu,numpy', '--out=x.json'], known, 'o');
  assert.deepEqual(b.only, ['sgemm']);
  assert.equal(b.rounds, 3);
  assert.deepEqual(b.skip, ['tfjs-cpu', 'numpy']);
  assert.equal(b.out, 'x.json');
  assert.equal(parseArgs(['--quick', '--rounds=7'], known, 'o').rounds, 7);
});

test('parseArgs: bad arguments raise errors naming them', () => {
  const known = ['sgemm', 'mlp'];
  assert.throws(() => parseArgs(['--only', 'gpt'], known, 'o'), /unknown workload gpt in --only; the workloads are sgemm, mlp/);
  assert.throws(() => parseArgs(['--only'], known, 'o'), /--only needs a comma-separated list/);
  assert.throws(() => parseArgs(['--rounds', '0'], known, 'o'), /--rounds needs a positive integer, got 0/);
  assert.throws(() => parseArgs(['--fast'], known, 'o'), /unknown argument --fast/);
});

test('repsFor: calls per sample from one call’s seconds, clamped to 1..10,000', () => {
  assert.equal(repsFor(0.01, 0.15), 15);
  assert.equal(repsFor(2, 0.15), 1);
  assert.equal(repsFor(1e-9, 0.15), 10_000);
  assert.equal(repsFor(0, 0.15), 10_000);
});

test('roundOrder rotates by one each round', () => {
  assert.deepEqual(roundOrder(['a', 'b', 'c'], 0), ['a', 'b', 'c']);
  assert.deepEqual(roundOrder(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
  assert.deepEqual(roundOrder(['a', 'b', 'c'], 4), ['b', 'c', 'a']);
  assert.deepEqual(roundOrder([], 3), []);
});

/**
 * A runner that reports `perCall` seconds per call (a list: one value per timed sample in turn,
 * the first also for its `warmups` warm-up calls), logs its calls, and throws on timed sample
 * number `failOnSample`.
 */
function fake(contender: string, perCall: number[], log: string[], opts: { failOnSample?: number; warmups?: number } = {}): Entry {
  let sample = 0;
  let warm = opts.warmups ?? 1;
  return {
    contender,
    work: 1,
    runner: {
      async run(reps) {
        log.push(`${contender}×${reps}`);
        if (warm > 0) {
          warm--;
          return perCall[0]! * reps;
        }
        if (sample === opts.failOnSample) throw new Error(`${contender} broke`);
        return perCall[sample++ % perCall.length]! * reps;
      },
      async close() {},
    },
  };
}

test('measureCase: warm-up sets the calls per sample, rounds alternate in rotated order, medians per call', async () => {
  const log: string[] = [];
  const out = await measureCase([fake('a', [0.01, 0.03, 0.02], log), fake('b', [0.1], log)], { warmup: 1, rounds: 3, targetSeconds: 0.1, pauseMs: 0 });
  // warm-up: one call each; then a: 10 calls per sample (0.1 / 0.01), b: 1; order a b, b a, a b
  assert.deepEqual(log, ['a×1', 'b×1', 'a×10', 'b×1', 'b×1', 'a×10', 'a×10', 'b×1']);
  const [a, b] = out;
  assert.ok(a && 'median' in a && b && 'median' in b);
  assert.equal(a.reps, 10);
  assert.deepEqual(a.samples.map((s) => Math.round(s * 1000)), [10, 30, 20]);
  assert.ok(Math.abs(a.median - 0.02) < 1e-12);
  assert.ok(Math.abs(b.median - 0.1) < 1e-12);
});

test('measureCase: beforeSample runs before every timed sample, not before warm-up calls', async () => {
  const log: string[] = [];
  await measureCase([fake('a', [0.01], log), fake('b', [0.01], log)], { warmup: 1, rounds: 2, targetSeconds: 0.01, pauseMs: 0, beforeSample: (c) => log.push(`before ${c}`) });
  assert.deepEqual(log, ['a×1', 'b×1', 'before a', 'a×1', 'before b', 'b×1', 'before b', 'b×1', 'before a', 'a×1']);
});

test('measureCase: warmupSeconds keeps warming up in batches of about a sample until that long has passed', async () => {
  const log: string[] = [];
  // 2 warm-up calls of 0.01 s, then batches of 0.05 / 0.01 = 5 calls (0.05 s each) until 0.12 s: two batches
  await measureCase([fake('a', [0.01], log, { warmups: 2 + 10 })], { warmup: 2, rounds: 1, targetSeconds: 0.05, pauseMs: 0, warmupSeconds: 0.12 });
  assert.deepEqual(log, ['a×1', 'a×1', 'a×5', 'a×5', 'a×5']);
});

test('measureCase: without warm-up a sample is one call; a failing contender is reported and dropped', async () => {
  const log: string[] = [];
  const out = await measureCase([fake('a', [1], log, { warmups: 0 }), fake('b', [2], log, { failOnSample: 1, warmups: 0 })], { warmup: 0, rounds: 3, targetSeconds: 0, pauseMs: 0 });
  // b fails on its second timed sample (round 2, where it runs first) and is not called again
  assert.deepEqual(log, ['a×1', 'b×1', 'b×1', 'a×1', 'a×1']);
  assert.deepEqual(out[1], { contender: 'b', error: 'b broke' });
  assert.ok(out[0] && 'median' in out[0] && out[0].samples.length === 3);
});

const cell = (contender: string, caseLabel: string, extra: Partial<Cell>): Cell => ({ workload: 'sgemm', case: caseLabel, contender, status: 'ok', ...extra });

test('addRatios and cellText: peer cells get nabla ÷ peer; skips, failures and caveats read as such', () => {
  const cells: Cell[] = [
    cell('nabla', '512', { value: 150 }),
    cell('numpy', '512', { value: 100 }),
    cell('torch', '512', { value: 300, note: 'a fraction' }),
    cell('tfjs-cpu', '512', { status: 'skipped', reason: 'slow' }),
    cell('numpy', '1024', { value: 100 }),
  ];
  addRatios(cells);
  assert.equal(cells[1]!.ratio, 1.5);
  assert.equal(cells[2]!.ratio, 0.5);
  assert.equal(cells[4]!.ratio, undefined); // no nabla value at 1024
  assert.equal(cellText(cells[0]), '150');
  assert.equal(cellText(cells[1]), '100 (1.50)');
  assert.equal(cellText(cells[2]), '300 † (0.50)');
  assert.equal(cellText(cells[3]), '–');
  assert.equal(cellText({ ...cells[1]!, status: 'failed' }), 'failed');
  assert.equal(cellText({ ...cells[1]!, status: 'not available' }), 'n/a');
});

test('renderWorkload: one row per case, only the contenders that take part, each reason once with its cases', () => {
  const cells: Cell[] = [
    cell('nabla', '128', { value: 50 }),
    cell('numpy', '128', { value: 25, ratio: 2 }),
    cell('tfjs-cpu', '128', { status: 'skipped', reason: 'too slow' }),
    cell('nabla', '256', { value: 60 }),
    cell('numpy', '256', { status: 'failed', reason: 'worker exited' }),
    cell('tfjs-cpu', '256', { status: 'skipped', reason: 'too slow' }),
  ];
  const columns = ['nabla', 'nabla-js', 'numpy', 'tfjs-cpu'].map((name) => ({ name, title: name.toUpperCase() }));
  const md = renderWorkload({ title: 'SGEMM', unit: GFLOPS, about: 'About it.' }, ['128', '256'], columns, cells);
  assert.equal(
    md,
    [
      '### SGEMM (GFLOP/s, higher is better; ratio = nabla ÷ peer, above 1 nabla is faster)',
      '',
      'About it.',
      '',
      '| case | NABLA | NUMPY | TFJS-CPU |',
      '| --- | --- | --- | --- |',
      '| 128 | 50.0 | 25.0 (2.00) | – |',
      '| 256 | 60.0 | failed | – |',
      '',
      '- NUMPY failed: worker exited (256)',
      '- TFJS-CPU –: too slow (all cases)',
    ].join('\n'),
  );
  assert.match(renderWorkload({ title: 'ops', unit: US_PER_OP, about: '' }, ['128'], columns, cells.slice(0, 1)), /lower is better; ratio = nabla ÷ peer, below 1 nabla is faster/);
});

test('workerCheck: the PyTorch worker ÷ the standalone script per case, flagged beyond 10 %; nothing without both', () => {
  const cells: Cell[] = [
    cell('torch', '1 thread', { value: 95 }),
    cell('torch-standalone', '1 thread', { value: 100 }),
    cell('torch', '2 threads', { value: 80 }),
    cell('torch-standalone', '2 threads', { value: 100 }),
    cell('torch', '4 threads', { value: 80 }),
    cell('torch-standalone', '4 threads', { status: 'failed', reason: 'x' }),
  ];
  assert.equal(workerCheck(['1 thread', '2 threads', '4 threads'], cells), 'PyTorch worker ÷ standalone script, same unit: 1 thread 0.950; 2 threads 0.800 (more than 10 % apart).');
  assert.equal(workerCheck(['4 threads'], cells), undefined);
});

test('the standalone PyTorch check is opt-in and follows PyTorch\'s plan', () => {
  assert.ok(OPT_IN_CONTENDERS.includes('torch-standalone'));
  assert.equal(planAs('torch-standalone'), 'torch');
  assert.equal(planAs('numpy'), 'numpy');
});
