// readWav equals torchaudio.load (0.13, normalize=True) on WAV files in every supported format
// (test/fixtures/audio, made by scripts/fixtures/wav.py) and on real clips of ../shared/data;
// writeWav → readWav is bit-exact in each format, and the write is atomic.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav, writeWav, decodeWav, encodeWav } from '../../src/audio/index.js';
import { tensor } from '../../src/tensor/creation.js';
import { ValueError } from '../../src/tensor/errors.js';
import { captureWarnings } from '../model/helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/audio/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
interface Synthetic { sampleRate: number; shape: number[]; values: number[][]; stored?: number[][] }
interface Real { sampleRate: number; shape: number[]; first: number[][]; last: number[][]; sum: number; sumSquares: number }
const ref = JSON.parse(readFileSync(join(FIXTURES, 'wav.json'), 'utf8')) as { synthetic: Record<string, Synthetic>; real: Record<string, Real> };
const dir = mkdtempSync(join(tmpdir(), 'nabla-wav-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rows = (t: { toArray(): unknown }) => t.toArray() as number[][];

test('every synthetic format reads exactly as torchaudio.load: 8/16/24/32-bit PCM, float32/64, stereo, 3 channels, EXTENSIBLE, LIST and odd chunks', () => {
  const names = Object.keys(ref.synthetic);
  assert.equal(names.length, 12);
  for (const name of names) {
    const want = ref.synthetic[name]!;
    const { waveform, sampleRate } = readWav(join(FIXTURES, `${name}.wav`));
    assert.equal(sampleRate, want.sampleRate, name);
    assert.deepEqual(waveform.shape, want.shape, name);
    assert.equal(waveform.dtype, 'float32', name);
    if (want.stored === undefined) {
      assert.deepEqual(rows(waveform), want.values, name);
      continue;
    }
    // 32-bit integers and floats are kept as stored; torchaudio 0.13's sox path rounds them to
    // steps of 2^-24 on the way through a 32-bit integer, at most 2^-25 away
    assert.deepEqual(rows(waveform), want.stored, name);
    const gap = Math.max(...rows(waveform).flatMap((r, c) => r.map((v, i) => Math.abs(v - want.values[c]![i]!))));
    assert.ok(gap > 0 && gap <= 2 ** -25, `${name}: ${gap}`);
  }
});

test('a clip with no samples is a [channels, 0] tensor, as torchaudio.load gives', () => {
  const { waveform, sampleRate } = readWav(join(FIXTURES, 'pcm16_empty.wav'));
  assert.deepEqual([waveform.shape, sampleRate], [[1, 0], 16000]);
});

const noShared = existsSync(join(SHARED, 'fsdd')) && existsSync(join(SHARED, 'speech_commands_sample')) ? false : 'needs ../shared/data/fsdd and speech_commands_sample';
test('real clips (FSDD 8 kHz, Speech Commands 16 kHz) equal torchaudio.load: shape, rate, first and last 50 values, sums', { skip: noShared }, () => {
  for (const [rel, want] of Object.entries(ref.real)) {
    const { waveform, sampleRate } = readWav(join(SHARED, rel));
    assert.equal(sampleRate, want.sampleRate, rel);
    assert.deepEqual(waveform.shape, want.shape, rel);
    const [, n] = want.shape as [number, number];
    assert.deepEqual(rows(waveform).map((r) => r.slice(0, 50)), want.first, rel);
    assert.deepEqual(rows(waveform).map((r) => r.slice(n - 50)), want.last, rel);
    const d = waveform.data();
    let sum = 0;
    let sq = 0;
    for (const v of d) {
      sum += v;
      sq += v * v;
    }
    assert.ok(Math.abs(sum - want.sum) < 1e-9 && Math.abs(sq - want.sumSquares) < 1e-9, `${rel}: ${sum} ${sq} vs ${want.sum} ${want.sumSquares}`);
  }
});

test('writeWav → readWav is bit-exact in every format; 8/16/24-bit and float32 files come back byte for byte', () => {
  const cases: [string, { bitsPerSample: number; format: 'pcm' | 'float' }][] = [
    ['pcm8_mono', { bitsPerSample: 8, format: 'pcm' }],
    ['pcm16_stereo', { bitsPerSample: 16, format: 'pcm' }],
    ['pcm24_stereo', { bitsPerSample: 24, format: 'pcm' }],
    ['pcm32_mono', { bitsPerSample: 32, format: 'pcm' }],
    ['float32_stereo', { bitsPerSample: 32, format: 'float' }],
    ['float64_mono', { bitsPerSample: 64, format: 'float' }],
    ['extensible_pcm24_3ch', { bitsPerSample: 24, format: 'pcm' }],
  ];
  for (const [name, opts] of cases) {
    const a = readWav(join(FIXTURES, `${name}.wav`));
    const path = join(dir, `${name}.wav`);
    writeWav(path, a.waveform, a.sampleRate, opts);
    const b = readWav(path);
    assert.equal(b.sampleRate, a.sampleRate, name);
    assert.deepEqual(Array.from(b.waveform.data()), Array.from(a.waveform.data()), name);
    // the same bytes as the fixture where float32 holds every sample exactly (not 32-bit
    // integers, not float64) and the header is the plain one (not EXTENSIBLE)
    if (['pcm8_mono', 'pcm16_stereo', 'pcm24_stereo', 'float32_stereo'].includes(name)) assert.deepEqual(readFileSync(path), readFileSync(join(FIXTURES, `${name}.wav`)), name);
  }
  // a 1-D waveform is mono; the default is 16-bit PCM
  const mono = decodeWav(encodeWav(tensor([0, 0.5, -0.25, -1]), 8000));
  assert.deepEqual([mono.waveform.shape, rows(mono.waveform), mono.sampleRate], [[1, 4], [[0, 0.5, -0.25, -1]], 8000]);
});

test('writeWav rounds to the grid, clips outside [-1, 1) with a warning, refuses NaN and bad options', (t) => {
  const warnings = captureWarnings(t);
  const back = decodeWav(encodeWav(tensor([[1.5, -2, 0.3]]), 8000)).waveform;
  assert.deepEqual(Array.from(back.data()), [Math.fround(32767 / 32768), -1, Math.fround(Math.round(0.3 * 32768) / 32768)]);
  assert.match(warnings.join('\n'), /2 of 3 samples lay outside \[-1, 1\) and were clipped to the 16-bit range/);
  assert.throws(() => encodeWav(tensor([[0, NaN]]), 8000), (e: Error) => e instanceof ValueError && /sample 1 of channel 0 is NaN/.test(e.message));
  assert.throws(() => encodeWav(tensor([0]), 8000, { bitsPerSample: 12 }), /bitsPerSample must be one of 8, 16, 24, 32 for format 'pcm', got 12/);
  assert.throws(() => encodeWav(tensor([0]), 8000, { format: 'float', bitsPerSample: 16 }), /one of 32, 64 for format 'float'/);
  assert.throws(() => encodeWav(tensor([0]), 44.1), /sampleRate must be a positive whole number/);
  assert.throws(() => encodeWav(tensor([[[0]]]), 8000), /waveform must be a float tensor \[channels, samples\].*shape \[1,1,1\]/);
  assert.throws(() => encodeWav(tensor([1], { dtype: 'int32' }), 8000), /got a int32 tensor/);
});

test('writeWav is atomic: a failed write keeps the old file and leaves no temporary file', () => {
  const sub = mkdtempSync(join(dir, 'atomic-'));
  const path = join(sub, 'clip.wav');
  writeWav(path, tensor([[0.5, -0.5]]), 16000);
  const before = readFileSync(path);
  assert.throws(() => writeWav(path, tensor([[0.5, Infinity]]), 16000), /is Infinity/);
  assert.deepEqual(readFileSync(path), before);
  assert.deepEqual(readdirSync(sub), ['clip.wav']);
  writeWav(path, tensor([[0.25]]), 16000);
  assert.deepEqual(rows(readWav(path).waveform), [[0.25]]);
  assert.deepEqual(readdirSync(sub), ['clip.wav']);
});
