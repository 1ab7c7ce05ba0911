import { basename, extname } from 'node:path';
import { denseData } from '../../ops/primitives/alloc.js';
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import type { AudioData } from './audio-folder.js';

/**
 * How {@link splitAudio} picks the test clips: `'fsdd'` the Free Spoken Digit Dataset's own split
 * (files `{digit}_{speaker}_{index}.wav` with index 0–4 are test); `{ speakers }` every clip of
 * those speakers (leave-speakers-out); a function of the clip's position and data, true for test.
 */
export type AudioSplitBy = 'fsdd' | { speakers: readonly string[] } | ((i: number, data: AudioData) => boolean);

/**
 * Splits clips read by `audioFolder` into `{ train, test }`, each an `AudioData` with the same
 * classes (the clips keep their order). FSDD's own split: `splitAudio(fsdd, 'fsdd')`; one
 * speaker held out: `splitAudio(fsdd, { speakers: ['lucas'] })`.
 *
 * @example
 * const fsdd = nb.datasets.audioFolder('fsdd', { sampleRate: 8000, duration: 1 });
 * for (const speaker of new Set(fsdd.speakers)) {
 *   const { train, test } = nb.datasets.splitAudio(fsdd, { speakers: [speaker] });
 * }
 */
export function splitAudio(data: AudioData, by: AudioSplitBy): { train: AudioData; test: AudioData } {
  const who = 'splitAudio';
  let isTest: (i: number) => boolean;
  if (by === 'fsdd') {
    isTest = (i) => {
      const file = data.files[i]!;
      const index = Number(/^[^_]+_[^_]+_(\d+)$/.exec(basename(file, extname(file)))?.[1] ?? NaN);
      if (Number.isNaN(index)) throw new ValueError(`${who}: '${file}' is not named {digit}_{speaker}_{index}.wav, so FSDD's split (index 0–4 is test) cannot place it; split with { speakers } or a function instead`);
      return index < 5;
    };
  } else if (typeof by === 'function') {
    isTest = (i) => by(i, data) === true;
  } else if (by !== null && typeof by === 'object' && Array.isArray(by.speakers)) {
    const held = new Set(by.speakers);
    const unknown = [...held].filter((s) => !data.speakers.includes(s));
    if (unknown.length > 0) throw new ValueError(`${who}: no clip is by ${unknown.map((s) => `'${s}'`).join(', ')} (the speakers are ${[...new Set(data.speakers)].map((s) => `'${s}'`).join(', ')})`);
    isTest = (i) => held.has(data.speakers[i]!);
  } else {
    throw new ValueError(`${who}: split by 'fsdd', { speakers: [...] } or a function (i, data) => isTest, got ${JSON.stringify(by)}`);
  }
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < data.files.length; i++) (isTest(i) ? test : train).push(i);
  return { train: selectClips(data, train), test: selectClips(data, test) };
}

/** The clips at `indices`, in that order, as an `AudioData` of the same classes (rows copied whole). */
function selectClips(data: AudioData, indices: number[]): AudioData {
  const width = data.waveforms.shape[1]!;
  const all = denseData(data.waveforms);
  const out = new Float32Array(indices.length * width);
  indices.forEach((i, k) => out.set(all.subarray(i * width, (i + 1) * width), k * width));
  const lengths = denseData(data.lengths);
  const labels = denseData(data.labels);
  return {
    waveforms: new Tensor(out, [indices.length, width]),
    lengths: new Tensor(Int32Array.from(indices, (i) => lengths[i]!), [indices.length]),
    labels: new Tensor(Int32Array.from(indices, (i) => labels[i]!), [indices.length]),
    classNames: [...data.classNames],
    files: indices.map((i) => data.files[i]!),
    speakers: indices.map((i) => data.speakers[i]!),
    sampleRate: data.sampleRate,
  };
}

/**
 * The clips of several `AudioData` one after another, as one `AudioData` — for instance real clips
 * and synthetic ones (`synthesizedSpeech`). They must have the same classes, in the same order,
 * the same sample rate and the same clip width (read them with the same `duration`).
 *
 * @example
 * const train = nb.datasets.concatAudio([real, synth]);
 */
export function concatAudio(sets: readonly AudioData[]): AudioData {
  const who = 'concatAudio';
  if (!Array.isArray(sets) || sets.length === 0) throw new ValueError(`${who}: expects a non-empty array of AudioData`);
  const first = sets[0]!;
  const width = first.waveforms.shape[1]!;
  sets.forEach((d, i) => {
    if (d.classNames.join('\u0000') !== first.classNames.join('\u0000')) {
      throw new ValueError(`${who}: sets[${i}] has the classes ${JSON.stringify(d.classNames)} and sets[0] ${JSON.stringify(first.classNames)}; read both with the same classNames`);
    }
    if (d.sampleRate !== first.sampleRate) throw new ValueError(`${who}: sets[${i}] is at ${d.sampleRate} Hz and sets[0] at ${first.sampleRate} Hz; read both at one sampleRate`);
    if (d.waveforms.shape[1] !== width) throw new ValueError(`${who}: sets[${i}] has clips of ${d.waveforms.shape[1]} samples and sets[0] of ${width}; read both with the same duration`);
  });
  const n = sets.reduce((a, d) => a + d.files.length, 0);
  const out = new Float32Array(n * width);
  const lengths = new Int32Array(n);
  const labels = new Int32Array(n);
  let at = 0;
  for (const d of sets) {
    out.set(denseData(d.waveforms), at * width);
    lengths.set(denseData(d.lengths), at);
    labels.set(denseData(d.labels), at);
    at += d.files.length;
  }
  return {
    waveforms: new Tensor(out, [n, width]),
    lengths: new Tensor(lengths, [n]),
    labels: new Tensor(labels, [n]),
    classNames: [...first.classNames],
    files: sets.flatMap((d) => d.files),
    speakers: sets.flatMap((d) => d.speakers),
    sampleRate: first.sampleRate,
  };
}
