/**
 * The fuzz harness (fuzz/, `npm run fuzz`): a short run over every format is clean, and the harness
 * reports each kind of misbehaviour a loader can show — a changed global prototype, a hang, a raw
 * TypeError, a stack overflow, an empty message, a broken result, a dead worker, memory beyond the
 * limit — as a finding with the command that replays it, while accepting what it should.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../../fuzz/formats/index.js';
import { classify, frameworkErrorClasses, InvariantError } from '../../fuzz/outcome.js';
import { planJobs, runFuzz } from '../../fuzz/run.js';
import * as nb from '../../src/index.js';
import { EXPECTED } from './planted-formats.js';

const PLANTED = fileURLToPath(new URL('./planted-formats.ts', import.meta.url));

test('nabla error classes are found from the public API; raw engine errors are findings', () => {
  const classes = frameworkErrorClasses();
  for (const c of [nb.ValueError, nb.ShapeError, nb.DTypeError, nb.io.FormatError, nb.io.FileNotFoundError, nb.io.UnsupportedOperatorError]) {
    assert.ok(classes.includes(c), `${c.name} is one of nabla's error classes`);
  }
  assert.deepEqual(classify(new nb.io.FormatError('x.safetensors: truncated'), classes), { kind: 'clean', error: 'FormatError', message: 'x.safetensors: truncated', relayed: false });
  assert.equal(classify(new nb.ValueError('not a valid JPEG (Cannot read properties of undefined)'), classes).kind, 'clean');
  for (const err of [new TypeError('x is undefined'), new RangeError('Maximum call stack size exceeded'), new SyntaxError('Unexpected token'), new Error('EISDIR'), 'a string']) {
    const o = classify(err, classes);
    assert.ok(o.kind === 'finding' && o.finding === 'raw-error', `${String(err)} is a raw-error finding`);
  }
  const inv = classify(new InvariantError('bad'), classes);
  assert.ok(inv.kind === 'finding' && inv.finding === 'invariant');
});

test('cases are spread round-robin and keep their identity per format', () => {
  assert.deepEqual(planJobs(['a', 'b'], 5), [{ format: 'a', index: 0 }, { format: 'b', index: 0 }, { format: 'a', index: 1 }, { format: 'b', index: 1 }, { format: 'a', index: 2 }]);
  assert.deepEqual(planJobs(['b'], 0, [7]), [{ format: 'b', index: 7 }]);
});

test('every planted misbehaviour is reported as the finding it is, and good loaders are not', { timeout: 180_000 }, async () => {
  const report = await runFuzz({
    seed: 1, count: 0, formats: Object.keys(EXPECTED), cases: [3], extraModules: [PLANTED],
    // 8 s: under a loaded CI machine, touching 400 MB took longer than 3 s (a 'hang' then)
    jobs: 2, timeoutMs: 8000, maxRssMb: 400,
  });
  for (const [format, expected] of Object.entries(EXPECTED)) {
    const found = report.findings.filter((f) => f.format === format);
    assert.equal(report.counts[format]!.cases, 1, `${format}: its case ran`);
    assert.deepEqual(found.map((f) => f.kind), expected === null ? [] : [expected], `${format}: ${found.map((f) => `${f.kind}: ${f.message}`).join('; ')}`);
    if (expected !== null) assert.equal(found[0]!.replay, `npm run fuzz -- --seed 1 --format ${format} --case 3`);
  }
  assert.equal(report.counts['planted-accept']!.accepted, 1);
  assert.equal(report.counts['planted-clean']!.clean, 1);
  const pollution = report.findings.filter((f) => f.kind === 'pollution').map((f) => f.message.split(' (the load')[0]);
  assert.deepEqual(pollution.sort(), ['Array.prototype.includes was changed', 'Object.prototype.plantedByFuzzTest was added', 'Object.x was added', 'globalThis.plantedGlobal was added']);
  const overflow = report.findings.find((f) => f.format === 'planted-stack-overflow')!;
  assert.equal(overflow.error, 'RangeError');
  assert.match(overflow.message, /Maximum call stack size exceeded/);
  assert.match(report.findings.find((f) => f.format === 'planted-hang')!.message, /no answer within 8000 ms, twice/);
});

test('a short run over every format is clean', { timeout: 240_000 }, async () => {
  const report = await runFuzz({ seed: 12, count: 6 * FORMATS.length, jobs: 2 });
  assert.deepEqual(Object.keys(report.counts), FORMATS.map((f) => f.name));
  for (const [format, c] of Object.entries(report.counts)) assert.equal(c.cases, 6, `${format}: 6 cases`);
  const described = report.findings.map((f) => `${f.format} case ${f.index}: ${f.kind} ${f.error}: ${f.message.slice(0, 200)} (${f.replay})`);
  assert.deepEqual(described, []);
});
