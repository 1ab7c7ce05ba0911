// nabla train --model speech → evaluate --data DIR → predict FILE.wav… / a folder, on a tiny folder
// of synthetic WAVs (tones of three pitches, FSDD-style names with five "speakers"), and the
// errors around them: a folder without WAVs, a WAV given to a text model, a clip at another rate.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { toneClips, writeToneFolder } from '../models/speech-synthetic.js';
import { validationSpeakers } from '../../src/cli/train-speech.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-cli-speech-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'train');
const held = join(dir, 'test');
mkdirSync(data);
mkdirSync(held);
writeToneFolder(data, 30, 1, ['ann', 'bob', 'cat', 'dan', 'eve']);
const testFiles = writeToneFolder(held, 6, 2, ['zoe']);
const model = join(dir, 'model');

test('train --model speech → evaluate --data DIR → predict files and a folder', () => {
  // tones are not speech: no synthetic clips of the words 'high', 'low', 'mid'; no speed perturbation either
  const train = nabla('train', '--model', 'speech', '--data', data, '--duration', '0.25', '--synthetic', '0', '--speed-perturb', '1', '--epochs', '6', '--batch-size', '15', '--lr', '0.003', '--seed', '1', '--out', model);
  assert.equal(train.code, 0, train.err);
  assert.match(train.out, /model speech, 6 epochs, batch 15, adam lr 0\.003 \(cosine\), seed 1/);
  // one of five speakers held out (20 %), chosen by the seed
  const speaker = validationSpeakers(['ann', 'bob', 'cat', 'dan', 'eve'], 0.2, 1);
  assert.equal(speaker.length, 1);
  assert.match(train.out, new RegExp(`data: 72 training clips and 18 validation clips \\(speakers ${speaker[0]}\\), 3 classes, 8000 Hz, 0\\.25 s each`));
  const val = Number(/validation accuracy: ([\d.]+)%/.exec(train.out)![1]);
  assert.ok(val >= 80, `validation accuracy ${val}%`);
  const json = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as { metadata: Record<string, unknown> };
  assert.deepEqual(json.metadata.classNames, ['high', 'low', 'mid']);
  assert.deepEqual(json.metadata.audio, { data, sampleRate: 8000, samples: 2000, synthetic: 0, speeds: [1] });

  const ev = nabla('evaluate', model, '--data', held);
  assert.equal(ev.code, 0, ev.err);
  assert.match(ev.out, new RegExp(`evaluate: ${model} on ${held} \\(18 clips\\)`));
  const acc = Number(/^accuracy: ([\d.]+)%/m.exec(ev.out)![1]);
  assert.ok(acc >= 80, `test accuracy ${acc}%`);

  const two = nabla('predict', model, testFiles[0]!, testFiles[17]!);
  assert.equal(two.code, 0, two.err);
  const lines = two.out.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const [path, label, p] = lines[0]!.split('\t');
  assert.equal(path, testFiles[0]);
  assert.ok(['high', 'low', 'mid'].includes(label!));
  assert.ok(Number(p) > 0 && Number(p) <= 1);
  const folder = nabla('predict', model, held);
  assert.equal(folder.code, 0, folder.err);
  const rows = folder.out.trimEnd().split('\n').map((l) => l.split('\t'));
  assert.equal(rows.length, 18);
  const right = rows.filter(([f, l]) => f!.split('/').at(-1)!.startsWith(`${l}_`)).length;
  assert.ok(right >= 14, `${right} of 18 right`);
});

test('predict into a pipe that closes early (| head) stops quietly with status 0', () => {
  // head -n 0 exits at once, so every line predict writes meets a closed pipe
  const r = spawnSync('bash', ['-c', `${JSON.stringify(process.execPath)} --import tsx src/cli/main.ts predict ${JSON.stringify(model)} ${JSON.stringify(held)} | head -n 0; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
  assert.match(r.stderr, /status 0/);
});

test('predict resamples a clip at another sample rate, with a note on stderr', () => {
  const clip = toneClips(1, 9, 16000, 4000);   // low, mid, high at 16 kHz
  const path = join(dir, 'high-16k.wav');
  nb.audio.writeWav(path, clip.waveforms.slice([[2, 3]]), 16000);
  const r = nabla('predict', model, path);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /predict: .*high-16k\.wav is 16000 Hz and the model takes 8000 Hz: resampled/);
  assert.equal(r.out.split('\t')[1], 'high');
});

test('speech errors: a folder without WAVs, a WAV given to a text model, a text file given to a speech model', async () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'notes.txt'), 'no audio here\n');
  const noWav = nabla('train', '--model', 'speech', '--data', empty, '--out', join(dir, 'x'));
  assert.notEqual(noWav.code, 0);
  assert.match(noWav.err, /audioFolder: no \.wav files in '.*empty'/);
  const noFolderWav = nabla('predict', model, empty);
  assert.match(noFolderWav.err, /predict: the folder '.*empty' holds no \.wav files/);
  assert.match(nabla('predict', model, join(empty, 'notes.txt')).err, /predict: '.*notes\.txt' is not a \.wav file; a speech model takes WAV clips/);
  assert.match(nabla('evaluate', model).err, /evaluate: .* holds a speech classifier; give a folder of labelled WAV clips/);

  const text = nb.models.textBagOfEmbeddings({ classes: 2, texts: ['good film', 'bad film'], maxTokens: 10, sequenceLength: 4, embeddingDim: 4 });
  text.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  text.predict(['good film']);
  const textDir = join(dir, 'text');
  await text.save(textDir);
  const r = nabla('predict', textDir, testFiles[0]!);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /predict: .* holds a model that does not take audio, and .*low_zoe_0\.wav is a WAV clip; WAV files are for speech classifiers/);
});

test('train --model speech --synthetic N adds N espeak-ng clips a class and --speed-perturb each real clip at those speeds, to training only; without espeak-ng the default warns and trains on the real clips', () => {
  const out = join(dir, 'synth');
  const r = nabla('train', '--model', 'speech', '--data', data, '--duration', '0.25', '--synthetic', '4', '--speed-perturb', '0.9,1.1', '--epochs', '1', '--seed', '1', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /data: 156 training clips \(72 real × 2 speeds, 12 synthetic from espeak-ng\) and 18 validation clips/);
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { metadata: { audio: { synthetic: number; speeds: number[] } } };
  assert.equal(json.metadata.audio.synthetic, 4);
  assert.deepEqual(json.metadata.audio.speeds, [0.9, 1.1]);
  // by default 200 a class when espeak-ng runs; here the PATH hides it
  const empty = mkdtempSync(join(dir, 'path-'));
  const hidden = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', '--model', 'speech', '--data', data, '--duration', '0.25', '--epochs', '1', '--out', join(dir, 'nosynth')],
    { encoding: 'utf8', env: { ...process.env, CI: 'true', PATH: empty } });
  assert.equal(hidden.status, 0, hidden.stderr);
  assert.match(hidden.stderr, /nabla: train --model speech: espeak-ng is not installed, so training uses the real clips only; .*apt-get install espeak-ng; --synthetic 0 silences this/);
  assert.match(hidden.stdout, /data: 216 training clips \(72 real × 3 speeds\) and 18 validation clips/);
  const asked = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', '--model', 'speech', '--data', data, '--synthetic', '2', '--out', join(dir, 'nosynth2')],
    { encoding: 'utf8', env: { ...process.env, CI: 'true', PATH: empty } });
  assert.notEqual(asked.status, 0);
  assert.match(asked.stderr, /synthesizeWords: the speech synthesiser 'espeak-ng' was not found; install espeak-ng/);
  assert.match(nabla('train', '--model', 'speech', '--data', data, '--synthetic=1.5').err, /--synthetic must be a whole number of clips per class \(0 for none\), got '1.5'/);
  assert.match(nabla('train', '--model', 'speech', '--data', data, '--speed-perturb', '0.9,,1').err, /--speed-perturb must be comma-separated speeds, multiples of 0\.01 in \[0\.5, 2\] \(0\.9,1,1\.1; 1 for none\), got '0\.9,,1'/);
});
