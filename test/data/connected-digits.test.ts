// nb.datasets.connectedDigits: seeded sequences of clips joined with silent gaps, white noise at
// a measured SNR, CTC labels (class k → k + 1, padded with -1); on made-up clips whose samples
// say which clip they are, and on FSDD's test split when the shared data is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { datasets } from '../../src/data/index.js';
import type { AudioData } from '../../src/data/datasets/audio-folder.js';
import { ValueError } from '../../src/tensor/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';

const { connectedDigits } = datasets;

/** Clip i is `lens[i]` samples of the value (i + 1)/16, then zero padding; its class is i % 3. */
function madeUpClips(lens: number[], rate = 100): AudioData {
  const width = Math.max(...lens) + 5;
  const data = new Float32Array(lens.length * width);
  lens.forEach((n, i) => data.fill((i + 1) / 16, i * width, i * width + n));
  return {
    waveforms: new Tensor(data, [lens.length, width]),
    lengths: new Tensor(Int32Array.from(lens), [lens.length]),
    labels: new Tensor(Int32Array.from(lens, (_, i) => i % 3), [lens.length]),
    classNames: ['zero', 'one', 'two'],
    files: lens.map((_, i) => `c${i}.wav`),
    speakers: lens.map(() => 's'),
    sampleRate: rate,
  };
}

const clips = madeUpClips([7, 3, 12, 5, 9]);

test('without noise: each sequence is its clips in order between gaps of the asked length; labels, lengths and padding agree', () => {
  const s = connectedDigits(clips, { count: 40, minDigits: 2, maxDigits: 5, gapSeconds: [0.02, 0.1], noiseSnrDb: null, seed: 3 });
  assert.deepEqual(s.waveforms.shape, [40, Math.max(...(s.lengths.toArray() as number[]))]);
  assert.deepEqual(s.labels.shape, [40, 5]);
  assert.deepEqual(s.classNames, ['zero', 'one', 'two']);
  const waves = s.waveforms.toArray() as number[][];
  const labels = s.labels.toArray() as number[][];
  const labelLengths = s.labelLengths.toArray() as number[];
  const lengths = s.lengths.toArray() as number[];
  const lens = clips.lengths.toArray() as number[];
  const seenCounts = new Set<number>();
  s.clips.forEach((picked, q) => {
    assert.ok(picked.length >= 2 && picked.length <= 5);
    seenCounts.add(picked.length);
    assert.equal(labelLengths[q], picked.length);
    assert.deepEqual(labels[q], [...picked.map((i) => (i % 3) + 1), ...new Array(5 - picked.length).fill(-1)]);
    // read the clips back: runs of one non-zero value, separated by zeros
    const row = waves[q]!;
    const runs: { value: number; start: number; length: number }[] = [];
    for (let t = 0; t < lengths[q]!; t++) {
      if (row[t] === 0) continue;
      const last = runs.at(-1);
      if (last && last.value === row[t] && last.start + last.length === t) last.length++;
      else runs.push({ value: row[t]!, start: t, length: 1 });
    }
    assert.deepEqual(runs.map((r) => Math.round(r.value * 16) - 1), picked);
    assert.deepEqual(runs.map((r) => r.length), picked.map((i) => lens[i]));
    // gaps of 2–10 samples at 100 Hz, before, between and after
    const gaps = [runs[0]!.start, ...runs.slice(1).map((r, k) => r.start - runs[k]!.start - runs[k]!.length), lengths[q]! - runs.at(-1)!.start - runs.at(-1)!.length];
    for (const gap of gaps) assert.ok(gap >= 2 && gap <= 10, `gap ${gap}`);
    assert.ok(row.slice(lengths[q]!).every((v) => v === 0), 'zero padding after the length');
  });
  assert.deepEqual([...seenCounts].sort(), [2, 3, 4, 5]);
  assert.ok(s.snrDb.every(Number.isNaN));
});

test('seeded: the same seed gives the same sequences, another seed others', () => {
  const a = connectedDigits(clips, { count: 10, seed: 5 });
  const b = connectedDigits(clips, { count: 10, seed: 5 });
  const c = connectedDigits(clips, { count: 10, seed: 6 });
  assert.deepEqual(a.waveforms.toArray(), b.waveforms.toArray());
  assert.deepEqual(a.labels.toArray(), b.labels.toArray());
  assert.notDeepEqual(a.clips, c.clips);
});

test('noise: the added noise has the drawn SNR against the whole sequence, within the asked range; the sequences are those of the same seed without noise', () => {
  const opts = { count: 30, maxDigits: 4, gapSeconds: [0.05, 0.2] as [number, number], seed: 11 };
  const clean = connectedDigits(clips, { ...opts, noiseSnrDb: null });
  const noisy = connectedDigits(clips, { ...opts, noiseSnrDb: [5, 25] });
  assert.deepEqual(noisy.clips, clean.clips);
  assert.deepEqual(noisy.lengths.toArray(), clean.lengths.toArray());
  const x = clean.waveforms.toArray() as number[][];
  const y = noisy.waveforms.toArray() as number[][];
  const lengths = clean.lengths.toArray() as number[];
  const snrs = new Set<number>();
  noisy.snrDb.forEach((snr, q) => {
    let ps = 0;
    let pn = 0;
    for (let t = 0; t < lengths[q]!; t++) {
      ps += x[q]![t]! ** 2;
      pn += (y[q]![t]! - x[q]![t]!) ** 2;
    }
    const measured = 10 * Math.log10(ps / pn);
    assert.ok(Math.abs(measured - snr) < 1e-3, `sequence ${q}: measured ${measured} dB, drawn ${snr} dB`);
    assert.ok(snr >= 5 && snr <= 25);
    snrs.add(Math.round(snr));
    assert.ok(y[q]!.slice(lengths[q]!).every((v) => v === 0), 'the padding stays silent');
  });
  assert.ok(snrs.size > 5, 'the SNR varies between sequences');
});

test('bad options are refused by name', () => {
  assert.throws(() => connectedDigits(clips, { count: 0 }), (e: unknown) => e instanceof ValueError && /count must be a positive integer, got 0/.test(e.message));
  assert.throws(() => connectedDigits(clips, { count: 2, minDigits: 4, maxDigits: 3 }), /minDigits \(4\) must not exceed maxDigits \(3\)/);
  assert.throws(() => connectedDigits(clips, { count: 2, gapSeconds: [0.3, 0.1] }), /gapSeconds must be a pair \[lo, hi\] of numbers with 0 ≤ lo ≤ hi, got \[0.3,0.1\]/);
  assert.throws(() => connectedDigits(clips, { count: 2, noiseSnrDb: [10] as unknown as [number, number] }), /noiseSnrDb must be a pair \[lo, hi\]/);
  const empty = { ...clips, waveforms: new Tensor(new Float32Array(0), [0, 4]), lengths: new Tensor(new Int32Array(0), [0]), labels: new Tensor(new Int32Array(0), [0]) };
  assert.throws(() => connectedDigits(empty, { count: 2 }), /no clips to join/);
});

const fsddDir = fileURLToPath(new URL('../../../shared/data/fsdd', import.meta.url));
test('FSDD test split: each sequence\'s labels are the digits of the files it joins', { skip: existsSync(fsddDir) ? false : `no FSDD at ${fsddDir}` }, () => {
  const fsdd = datasets.audioFolder(fsddDir, { sampleRate: 8000 });
  const { test: split } = datasets.splitAudio(fsdd, 'fsdd');
  const s = connectedDigits(split, { count: 20, seed: 1 });
  const labels = s.labels.toArray() as number[][];
  s.clips.forEach((picked, q) => {
    const digits = picked.map((i) => Number(/(\d)_[a-z]+_(\d+)\.wav$/.exec(split.files[i]!)![1]));
    assert.deepEqual(labels[q]!.filter((c) => c > 0), digits.map((d) => d + 1));
    for (const i of picked) assert.ok(Number(/_(\d+)\.wav$/.exec(split.files[i]!)![1]) < 5, 'test-split clips only');
  });
  assert.ok(s.clips.every((p) => p.length >= 1 && p.length <= 7));
});
