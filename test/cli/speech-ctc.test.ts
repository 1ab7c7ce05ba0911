// nabla train --model speech-ctc → predict, on a tiny folder of tone "words" written here as WAV
// files named as FSDD's ({class}_{speaker}_{index}.wav, index 0–4 the test split), and the
// errors around them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { toneClips } from '../models/speech-tones.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-cli-ctc-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'tones');
mkdirSync(data);
const clips = toneClips(20, 4);
const lens = clips.lengths.toArray() as number[];
const labels = clips.labels.toArray() as number[];
labels.forEach((k, i) => {
  const index = Math.floor(i / 3);   // 0–19 within its class: 0–4 are test clips
  nb.audio.writeWav(join(data, `${k}_tone_${index}.wav`), clips.waveforms.slice([[i, i + 1], [0, lens[i]!]]), 4000);
});
const model = join(dir, 'model');

test('train --model speech-ctc → predict WAV files and a folder: path<TAB>transcription', () => {
  const train = nabla('train', '--model', 'speech-ctc', '--data', data, '--sample-rate', '4000', '--sequences', '96', '--test-sequences', '30',
    '--epochs', '25', '--batch-size', '8', '--lr', '0.02', '--mels', '16', '--units', '16', '--filters', '16', '--spec-augment', '0,0', '--seed', '1', '--out', model);
  assert.equal(train.code, 0, train.err);
  assert.match(train.out, /data: 45 training and 15 test clips \(FSDD's split \(index 0–4\)\), 3 classes, 4000 Hz/);
  assert.match(train.out, /epoch 25 loss /);
  const m = /test error rate \(edit distance \/ reference length, 30 sequences\): greedy ([\d.]+) %, beam ([\d.]+) % \(width 10\)/.exec(train.out);
  assert.ok(m, train.out);
  assert.ok(Number(m[1]) < 20 && Number(m[2]) < 20, `error rates ${m[1]} %, ${m[2]} %`);
  const json = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as { className: string; metadata: Record<string, unknown> };
  assert.equal(json.className, 'SpeechCTC');
  assert.deepEqual(json.metadata.classNames, ['0', '1', '2']);

  // tones 2, 0, 0, 1 from test clips (index 0–4), with silences, and one at 8 kHz (resampled)
  const wav = join(dir, 'seq.wav');
  const pick = (k: number, n: number) => labels.map((l, i) => [l, i] as const).filter(([l, i]) => l === k && Math.floor(i / 3) < 5)[n]![1];
  const silence = new Float32Array(300);
  const parts = [silence, ...[pick(2, 0), pick(0, 1), pick(0, 2), pick(1, 0)].flatMap((i) => [Float32Array.from(nb.reshape(clips.waveforms.slice([[i, i + 1], [0, lens[i]!]]), [-1]).toArray() as number[]), silence])];
  const joined = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  nb.audio.writeWav(wav, new nb.Tensor(joined, [1, joined.length]), 4000);
  const wav8k = join(dir, 'seq-8k.wav');
  nb.audio.writeWav(wav8k, nb.audio.resample(new nb.Tensor(joined, [1, joined.length]), 4000, 8000), 8000);
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  nb.audio.writeWav(join(folder, 'a.wav'), new nb.Tensor(joined, [1, joined.length]), 4000);

  const p = nabla('predict', model, wav, wav8k, folder);
  assert.equal(p.code, 0, p.err);
  const lines = p.out.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  const [first, second, third] = lines.map((l) => l.split('\t'));
  assert.deepEqual([first![0], second![0], third![0]], [wav, wav8k, join(folder, 'a.wav')]);
  assert.ok(nb.text.editDistance([...first![1]!], [...'2001']) <= 1, `transcription ${first![1]}`);
  assert.equal(third![1], first![1], 'the same clip in a folder reads the same');
  assert.match(p.err, /seq-8k\.wav is 8000 Hz and the model takes 4000 Hz: resampled/);
  // the CLI reads as the library does
  const loaded = nb.loadModel(model) as nb.models.SpeechCTC;
  const [ids] = nb.models.transcribe(loaded, new nb.Tensor(joined, [1, joined.length]));
  assert.equal(first![1], ids!.map((c) => String(c - 1)).join(''));

  const notWav = join(dir, 'notes.txt');
  writeFileSync(notWav, 'hello\n');
  const bad = nabla('predict', model, notWav);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /predict: '.*notes\.txt' is not a \.wav file; a speech-ctc model transcribes WAV clips/);
});

test('errors: no --data, an empty folder, bad flags', () => {
  const none = nabla('train', '--model', 'speech-ctc');
  assert.equal(none.code, 1);
  assert.match(none.err, /train --model speech-ctc: --data DIR is required/);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const e = nabla('train', '--model', 'speech-ctc', '--data', empty);
  assert.equal(e.code, 1);
  assert.match(e.err, /no \.wav files in/);
  const sa = nabla('train', '--model', 'speech-ctc', '--data', data, '--spec-augment', '3');
  assert.match(sa.err, /--spec-augment must be 2 comma-separated non-negative integers, got '3'/);
  const f = nabla('train', '--model', 'speech-ctc', '--data', data, '--filters', '8,x');
  assert.match(f.err, /--filters must be a comma-separated list of non-negative integers, got '8,x'/);
  const help = nabla('train', '--model', 'speech-ctc', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /--spec-augment F,T/);
});
