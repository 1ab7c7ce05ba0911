// nb.audio.synthesizeWords and nb.datasets.synthesizedSpeech / concatAudio: espeak-ng clips
// (CI installs espeak-ng with apt-get), checked against espeak-ng run by hand with the same
// arguments, and the errors: a missing program, words and options it cannot take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, resample, synthesizeWords } from '../../src/audio/index.js';
import { datasets } from '../../src/data/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { ValueError } from '../../src/tensor/errors.js';

const { synthesizedSpeech, concatAudio, spokenWord } = datasets;

test('synthesizeWords: perWord clips of each word in order, each the trimmed, rescaled espeak-ng output of its command', async () => {
  const clips = await synthesizeWords(['yes', 'seven'], { sampleRate: 8000, perWord: 3, seed: 4 });
  assert.deepEqual(clips.map((c) => c.word), [0, 0, 0, 1, 1, 1]);
  const voices = new Set(clips.map((c) => c.voice));
  assert.ok(voices.size >= 4, `drawn voices ${[...voices].join(', ')}`);
  // redo clip 4 by hand: espeak-ng with its arguments, resampled to 8 kHz
  const c = clips[4]!;
  const m = /^espeak-ng -v (\S+) -s (\d+) -p (\d+) 'seven'$/.exec(c.command);
  assert.ok(m !== null, c.command);
  assert.equal(m[1], c.voice);
  const speed = Number(m[2]);
  const pitch = Number(m[3]);
  assert.ok(speed >= 120 && speed <= 230 && pitch >= 10 && pitch <= 90, c.command);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-synth-test-'));
  try {
    execFileSync('espeak-ng', ['-v', m[1]!, '-s', m[2]!, '-p', m[3]!, '-w', join(dir, 'a.wav'), 'seven']);
    const wav = decodeWav(readFileSync(join(dir, 'a.wav')));
    assert.equal(wav.sampleRate, 22050);
    const ref = resample(wav.waveform, 22050, 8000).data() as Float32Array;
    let peak = 0;
    for (const v of ref) peak = Math.max(peak, Math.abs(v));
    // the clip is a scaled window of the reference: find where it starts, compare every sample
    let first = 0;
    while (Math.abs(ref[first]!) < 0.02 * peak) first++;
    const start = Math.max(0, first - 80);
    const level = Math.max(...Array.from(c.samples, Math.abs));
    assert.ok(level >= 0.2 && level <= 0.9, `peak level ${level}`);
    const scale = level / peak;
    let last = ref.length - 1;
    while (Math.abs(ref[last]!) < 0.02 * peak) last--;
    assert.equal(c.samples.length, Math.min(ref.length, last + 81) - start);
    for (let k = 0; k < c.samples.length; k++) assert.ok(Math.abs(c.samples[k]! - scale * ref[start + k]!) < 1e-6, `sample ${k}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // the same seed gives the same clips; another seed other voices
  const again = await synthesizeWords(['yes', 'seven'], { sampleRate: 8000, perWord: 3, seed: 4 });
  assert.deepEqual(again.map((x) => x.command), clips.map((x) => x.command));
  assert.deepEqual(Array.from(again[5]!.samples), Array.from(clips[5]!.samples));
  const other = await synthesizeWords(['yes', 'seven'], { sampleRate: 8000, perWord: 3, seed: 5 });
  assert.notDeepEqual(other.map((x) => x.command), clips.map((x) => x.command));
});

test('synthesizeWords: errors name what was wrong and the fix', async () => {
  await assert.rejects(synthesizeWords(['yes'], { sampleRate: 8000, perWord: 1, program: 'no-such-espeak' }),
    (e: Error) => e instanceof ValueError && /the speech synthesiser 'no-such-espeak' was not found; install espeak-ng \(Debian\/Ubuntu: apt-get install espeak-ng\)/.test(e.message));
  await assert.rejects(synthesizeWords(['-v'], { sampleRate: 8000 }), /words\[0\] = "-v" is not a word espeak-ng can speak/);
  await assert.rejects(synthesizeWords([], { sampleRate: 8000 }), /words must be a non-empty array/);
  await assert.rejects(synthesizeWords(['yes'], { sampleRate: 0 }), /sampleRate must be a positive whole number/);
  await assert.rejects(synthesizeWords(['yes'], { sampleRate: 8000, perWord: 0 }), /perWord must be a positive whole number/);
  await assert.rejects(synthesizeWords(['yes'], { sampleRate: 8000, speed: [300, 200] }), /speed must be \[low, high\], whole numbers with 80 ≤ low ≤ high ≤ 450, got \[300,200\]/);
  await assert.rejects(synthesizeWords(['yes'], { sampleRate: 8000, pitch: [0, 120] }), /pitch must be \[low, high\].*≤ 99/);
  await assert.rejects(synthesizeWords(['yes'], { sampleRate: 8000, voices: ['en us'] }), /voices must be a non-empty array of espeak-ng voices names/);
  await assert.rejects(synthesizeWords(['yes'], { sampleRate: 8000, perWord: 1, voices: ['xx-nonexistent'] }), /synthesizeWords: espeak-ng -v xx-nonexistent\+\S+ .* failed/);
});

test('synthesizedSpeech: the classes spoken as words, clips cut or padded to duration, speakers named by voice', async () => {
  assert.equal(spokenWord('7'), 'seven');
  assert.equal(spokenWord('left'), 'left');
  assert.equal(spokenWord('_silence_'), null);
  assert.equal(spokenWord('12'), null);
  const d = await synthesizedSpeech({ classNames: ['0', 'no'], sampleRate: 8000, duration: 0.25, perWord: 2, seed: 1 });
  assert.deepEqual(d.waveforms.shape, [4, 2000]);
  assert.deepEqual(Array.from(d.labels.data() as Int32Array), [0, 0, 1, 1]);
  assert.deepEqual(d.classNames, ['0', 'no']);
  assert.match(d.files[0]!, /^espeak-ng -v \S+ -s \d+ -p \d+ 'zero'$/);
  assert.match(d.files[3]!, /'no'$/);
  d.speakers.forEach((s) => assert.match(s, /^espeak-ng:[\w-]+\+\w+$/));
  const lengths = Array.from(d.lengths.data() as Int32Array);
  lengths.forEach((n) => assert.ok(n > 500 && n <= 2000, `length ${n}`));
  const w = d.waveforms.data() as Float32Array;
  lengths.forEach((n, i) => { for (let k = n; k < 2000; k++) assert.equal(w[i * 2000 + k], 0); });
  await assert.rejects(synthesizedSpeech({ classNames: ['_silence_', 'yes'], sampleRate: 8000 }), /no word to say for the class '_silence_'; pass words: one word per class/);
  await assert.rejects(synthesizedSpeech({ classNames: ['a', 'b'], words: ['ay'], sampleRate: 8000 }), /words must give one word per class \(2\)/);
});

test('concatAudio: the clips of each set in order; different classes, rates or widths are errors', () => {
  const set = (rows: number[][], labels: number[], classNames = ['a', 'b'], sampleRate = 8000) => ({
    waveforms: new Tensor(Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]),
    lengths: new Tensor(Int32Array.from(rows, (r) => r.length), [rows.length]),
    labels: new Tensor(Int32Array.from(labels), [labels.length]),
    classNames, files: rows.map((_, i) => `f${labels[i]}${i}`), speakers: rows.map((_, i) => `s${i}`), sampleRate,
  });
  const a = set([[1, 2], [3, 4]], [0, 1]);
  const b = set([[5, 6]], [1]);
  const c = concatAudio([a, b]);
  assert.deepEqual(c.waveforms.toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(Array.from(c.labels.data() as Int32Array), [0, 1, 1]);
  assert.deepEqual(Array.from(c.lengths.data() as Int32Array), [2, 2, 2]);
  assert.deepEqual(c.files, ['f00', 'f11', 'f10']);
  assert.deepEqual(c.speakers, ['s0', 's1', 's0']);
  assert.throws(() => concatAudio([a, set([[5, 6]], [1], ['b', 'a'])]), /sets\[1\] has the classes \["b","a"\] and sets\[0\] \["a","b"\]/);
  assert.throws(() => concatAudio([a, set([[5, 6]], [1], ['a', 'b'], 16000)]), /sets\[1\] is at 16000 Hz and sets\[0\] at 8000 Hz/);
  assert.throws(() => concatAudio([a, set([[5, 6, 7]], [1])]), /sets\[1\] has clips of 3 samples and sets\[0\] of 2; read both with the same duration/);
  assert.throws(() => concatAudio([]), /non-empty array of AudioData/);
});

test('speedPerturb: each clip at each speed equals resampling it alone from rate·factor to rate, cut or padded to the width', () => {
  const { speedPerturb } = datasets;
  const g = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(0.3 * i + s) * Math.exp(-i / 150));
  const width = 400;
  const a = g(300, 0);
  const b = g(390, 1);
  const rows = new Float32Array(2 * width);
  rows.set(a, 0);
  rows.set(b, width);
  const data = {
    waveforms: new Tensor(rows, [2, width]), lengths: new Tensor(Int32Array.from([300, 390]), [2]), labels: new Tensor(Int32Array.from([1, 0]), [2]),
    classNames: ['x', 'y'], files: ['a.wav', 'b.wav'], speakers: ['p', 'q'], sampleRate: 8000,
  };
  const d = speedPerturb(data, [0.9, 1, 1.1]);
  assert.deepEqual(d.waveforms.shape, [6, width]);
  assert.deepEqual(d.files, ['a.wav@0.9', 'b.wav@0.9', 'a.wav', 'b.wav', 'a.wav@1.1', 'b.wav@1.1']);
  assert.deepEqual(d.speakers, ['p', 'q', 'p', 'q', 'p', 'q']);
  assert.deepEqual(Array.from(d.labels.data() as Int32Array), [1, 0, 1, 0, 1, 0]);
  // 0.9: 300 → 334 samples, 390 → 434 cut to 400; 1.1: 300 → 273, 390 → 355
  assert.deepEqual(Array.from(d.lengths.data() as Int32Array), [334, 400, 300, 390, 273, 355]);
  const w = d.waveforms.data() as Float32Array;
  const check = (row: number, clip: Float32Array, from: number, to: number) => {
    const ref = (from === to ? clip : resample(new Tensor(clip, [1, clip.length]), from, to).data() as Float32Array);
    const n = (d.lengths.data() as Int32Array)[row]!;
    for (let k = 0; k < width; k++) {
      const want = k < n ? ref[k]! : 0;
      assert.ok(Math.abs(w[row * width + k]! - want) < 1e-6, `row ${row} sample ${k}: ${w[row * width + k]} vs ${want}`);
    }
  };
  check(0, a, 7200, 8000);
  check(1, b, 7200, 8000);
  check(2, a, 8000, 8000);
  check(4, a, 8800, 8000);
  check(5, b, 8800, 8000);
  assert.throws(() => speedPerturb(data, [0.905]), /factors\[0\] must be a multiple of 0\.01 in \[0\.5, 2\] \(0\.9 is 10 % slower\), got 0\.905/);
  assert.throws(() => speedPerturb(data, [3]), /factors\[0\] must be a multiple of 0\.01 in \[0\.5, 2\]/);
  assert.throws(() => speedPerturb(data, []), /factors must be a non-empty array of speeds/);
});
