// nb.datasets.audioFolder (a folder per class, or flat {label}_….wav files as FSDD) and
// splitAudio (FSDD's own split, speakers held out), on temp trees and on the shared sets.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, readWav, resample } from '../../src/audio/index.js';
import { datasets } from '../../src/data/index.js';
import { FileNotFoundError, FormatError } from '../../src/formats/errors.js';
import { tensor } from '../../src/tensor/creation.js';
import { ValueError } from '../../src/tensor/errors.js';

const { audioFolder, splitAudio } = datasets;
const dir = mkdtempSync(join(tmpdir(), 'nabla-audio-folder-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function clip(path: string, values: number[][], rate: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, encodeWav(tensor(values), rate));
}
const q = (v: number) => Math.round(v * 32768) / 32768;

test('a folder per class: sorted classes, stereo mixed to mono, resampled, cropped and padded to duration; speakers from the names', () => {
  const root = join(dir, 'words');
  clip(join(root, 'yes', 'ann_nohash_0.wav'), [[0.5, 0.25, -0.5, 0.125], [0.25, 0.25, 0, 0.125]], 8);
  clip(join(root, 'no', 'bob_nohash_0.wav'), [[0.5, -0.5]], 8);
  clip(join(root, 'no', 'deeper', 'cy.wav'), [[0.25, 0.25, 0.25, 0.25, 0.25, 0.25]], 8);
  clip(join(root, 'up', 'dee_x.wav'), Array.from({ length: 1 }, () => Array.from({ length: 8 }, (_, i) => q(Math.sin(i)))), 16);
  writeFileSync(join(root, 'yes', 'notes.txt'), 'not a clip');
  writeFileSync(join(root, 'manifest.csv'), 'ignored');
  const d = audioFolder(root, { sampleRate: 8, duration: 0.5 });
  assert.deepEqual(d.classNames, ['no', 'up', 'yes']);
  assert.deepEqual(d.files.map((f) => f.slice(root.length + 1)), ['no/bob_nohash_0.wav', 'no/deeper/cy.wav', 'up/dee_x.wav', 'yes/ann_nohash_0.wav']);
  assert.deepEqual(Array.from(d.labels.data()), [0, 0, 1, 2]);
  assert.equal(d.labels.dtype, 'int32');
  assert.deepEqual(d.speakers, ['bob', 'cy', 'dee', 'ann']);
  assert.deepEqual([d.waveforms.shape, d.waveforms.dtype, d.sampleRate], [[4, 4], 'float32', 8]);
  const rows = d.waveforms.toArray() as number[][];
  assert.deepEqual(rows[0], [0.5, -0.5, 0, 0]); // padded with zeros at the end
  assert.deepEqual(rows[1], [0.25, 0.25, 0.25, 0.25]); // cropped to its first half second
  assert.deepEqual(rows[3], [0.375, 0.25, -0.25, 0.125]); // the mean of the two channels
  // the 16 Hz clip is resampled to 8 Hz exactly as nb.audio.resample does it
  const direct = resample(readWav(join(root, 'up', 'dee_x.wav')).waveform, 16, 8).data();
  assert.deepEqual(rows[2], Array.from(direct));
  assert.deepEqual(Array.from(d.lengths.data()), [2, 4, 4, 4]);
  // without duration every clip is whole, padded to the longest; classNames picks and orders classes
  const whole = audioFolder(root, { sampleRate: 8, classNames: ['yes', 'no'] });
  assert.deepEqual(whole.waveforms.shape, [3, 6]);
  assert.deepEqual(Array.from(whole.lengths.data()), [4, 2, 6]);
  assert.deepEqual([whole.classNames, Array.from(whole.labels.data())], [['yes', 'no'], [0, 1, 1]]);
  assert.deepEqual((whole.waveforms.toArray() as number[][])[0], [0.375, 0.25, -0.25, 0.125, 0, 0]);
});

test('flat files {label}_{speaker}_{index}.wav; splitAudio by FSDD index, by speaker, by function', () => {
  const root = join(dir, 'flat');
  for (const [name, v] of [['1_amy_0', 0.5], ['1_amy_7', 0.25], ['0_bo_3', -0.5], ['0_amy_12', -0.25], ['0_bo_5', 0.125]] as const) clip(join(root, `${name}.wav`), [[v]], 8000);
  const d = audioFolder(root, { sampleRate: 8000, duration: 0.0005 });
  assert.deepEqual(d.classNames, ['0', '1']);
  assert.deepEqual(d.files.map((f) => f.slice(root.length + 1)), ['0_amy_12.wav', '0_bo_3.wav', '0_bo_5.wav', '1_amy_0.wav', '1_amy_7.wav']);
  assert.deepEqual(d.speakers, ['amy', 'bo', 'bo', 'amy', 'amy']);
  assert.deepEqual(d.waveforms.toArray(), [[-0.25, 0, 0, 0], [-0.5, 0, 0, 0], [0.125, 0, 0, 0], [0.5, 0, 0, 0], [0.25, 0, 0, 0]]);
  const official = splitAudio(d, 'fsdd');
  assert.deepEqual(official.test.files.map((f) => f.slice(root.length + 1)), ['0_bo_3.wav', '1_amy_0.wav']);
  assert.deepEqual([Array.from(official.test.labels.data()), Array.from(official.train.labels.data())], [[0, 1], [0, 0, 1]]);
  assert.deepEqual(official.test.waveforms.toArray(), [[-0.5, 0, 0, 0], [0.5, 0, 0, 0]]);
  assert.deepEqual(official.test.classNames, ['0', '1']);
  const loso = splitAudio(d, { speakers: ['bo'] });
  assert.deepEqual([loso.test.speakers, loso.train.speakers], [['bo', 'bo'], ['amy', 'amy', 'amy']]);
  assert.deepEqual(Array.from(loso.test.lengths.data()), [1, 1]);
  assert.deepEqual(splitAudio(d, (i) => i === 4).test.files, [d.files[4]]);
  assert.throws(() => splitAudio(d, { speakers: ['zed'] }), /no clip is by 'zed' \(the speakers are 'amy', 'bo'\)/);
  assert.throws(() => splitAudio(d, 'kfold' as 'fsdd'), /split by 'fsdd', \{ speakers: \[\.\.\.\] \} or a function/);
});

test('bad folders and options are errors naming the fix', () => {
  assert.throws(() => audioFolder(join(dir, 'none'), { sampleRate: 8000 }), (e: Error) => e instanceof FileNotFoundError && /no folder at/.test(e.message));
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  assert.throws(() => audioFolder(empty, { sampleRate: 8000 }), (e: Error) => e instanceof FormatError && /no \.wav files in/.test(e.message));
  const unnamed = join(dir, 'unnamed');
  clip(join(unnamed, 'hello.wav'), [[0]], 8000);
  assert.throws(() => audioFolder(unnamed, { sampleRate: 8000 }), /hello\.wav' has no label in its name; name flat files \{label\}_….wav/);
  assert.throws(() => audioFolder(join(dir, 'flat'), { sampleRate: 8000, classNames: ['7'] }), /classNames names '7', but no clip .* has that label \(found: '0', '1'\)/);
  assert.throws(() => audioFolder(join(dir, 'flat'), { sampleRate: 44.1 }), (e: Error) => e instanceof ValueError && /sampleRate must be a positive whole number/.test(e.message));
  assert.throws(() => audioFolder(join(dir, 'flat'), { sampleRate: 8000, duration: 0 }), /duration must be a positive number of seconds/);
  // a bad clip names its file
  writeFileSync(join(dir, 'flat', '1_amy_9.wav'), 'RIFF');
  assert.throws(() => audioFolder(join(dir, 'flat'), { sampleRate: 8000 }), /readWav: ".*1_amy_9\.wav": the file is 4 bytes/);
});

const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const noFsdd = existsSync(join(SHARED, 'fsdd')) ? false : 'needs ../shared/data/fsdd';
test('FSDD: 2,500 clips, 10 digits, 5 speakers; its own split is 250 test / 2,250 train; each speaker held out is 500', { skip: noFsdd }, () => {
  const d = audioFolder(join(SHARED, 'fsdd'), { sampleRate: 8000, duration: 1 });
  assert.deepEqual(d.waveforms.shape, [2500, 8000]);
  assert.deepEqual(d.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual([...new Set(d.speakers)].sort(), ['george', 'jackson', 'lucas', 'nicolas', 'yweweler']);
  const counts = new Array<number>(10).fill(0);
  for (const l of d.labels.data()) counts[l]!++;
  assert.deepEqual(counts, new Array(10).fill(250));
  const { train, test } = splitAudio(d, 'fsdd');
  assert.deepEqual([train.files.length, test.files.length], [2250, 250]);
  assert.ok(test.files.every((f) => /_[0-4]\.wav$/.test(f)));
  const held = splitAudio(d, { speakers: ['lucas'] });
  assert.deepEqual([held.train.files.length, held.test.files.length], [2000, 500]);
  // the longest FSDD clip is 1.31 s: cropped to 1 s; the row is the file's own first second
  const lengths = Array.from(d.lengths.data());
  assert.ok(lengths.some((l) => l === 8000) && Math.min(...lengths) > 1000);
  const first = readWav(d.files[0]!).waveform.data();
  assert.deepEqual(Array.from(d.waveforms.data().subarray(0, first.length)), Array.from(first));
});

const noCommands = existsSync(join(SHARED, 'speech_commands_sample')) ? false : 'needs ../shared/data/speech_commands_sample';
test('Speech Commands sample: a folder per word, 100 clips of 10 words, resampled to 8 kHz', { skip: noCommands }, () => {
  const d = audioFolder(join(SHARED, 'speech_commands_sample'), { sampleRate: 8000, duration: 1 });
  assert.deepEqual(d.waveforms.shape, [100, 8000]);
  assert.deepEqual(d.classNames, ['down', 'go', 'left', 'no', 'off', 'on', 'right', 'stop', 'up', 'yes']);
  // manifest.csv lists 22 speakers (the data README says 23)
  assert.equal(new Set(d.speakers).size, 22);
  assert.equal(Array.from(d.lengths.data()).filter((l) => l < 8000).length, 4);
});
