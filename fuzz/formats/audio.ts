/**
 * WAV files: written by `nb.audio.writeWav` in every sample format it has, plus hand-built files
 * with what other writers put in (a LIST chunk, an odd-sized chunk with its pad byte,
 * WAVE_FORMAT_EXTENSIBLE), read with `readWav`/`decodeWav` and now and then through
 * `nb.datasets.audioFolder` (the case folder holds one `{label}_{speaker}_….wav` file, so the
 * 'prefix' layout reads it there). An accepted file must be a float32 `[channels, samples]`
 * tensor with a positive whole sample rate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { fileBytes, type FuzzFormat } from '../format.js';
import { mutateFiles } from '../mutate/files.js';
import { check } from '../outcome.js';
import type { Rng } from '../rng.js';

/** The case's one file, named as FSDD names its clips so that audioFolder's 'prefix' layout takes it. */
const WAV_FILE = '3_fuzz_0.wav';

/** A short chord `[channels, frames]` within [-0.9, 0.9], each channel its own pitch. */
function tone(channels: number, frames: number): nb.Tensor {
  const data = new Float32Array(channels * frames);
  for (let c = 0; c < channels; c++) for (let i = 0; i < frames; i++) data[c * frames + i] = 0.9 * Math.sin((i * (c + 1) * 2 * Math.PI) / 17);
  return nb.tensor(data).reshape([channels, frames]);
}

function chunk(id: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
}

/** A 16-bit PCM `fmt ` body, or a 40-byte WAVE_FORMAT_EXTENSIBLE one around PCM. */
function fmtBody(channels: number, rate: number, bits: number, extensible: boolean): Buffer {
  const b = Buffer.alloc(extensible ? 40 : 16);
  b.writeUInt16LE(extensible ? 0xfffe : 1, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt32LE(rate, 4);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  if (extensible) {
    b.writeUInt16LE(22, 16); // cbSize
    b.writeUInt16LE(bits, 18); // valid bits
    b.writeUInt32LE(channels === 2 ? 0x3 : 0x4, 20); // channel mask: front L+R, or front centre
    Buffer.from('0100000000001000800000aa00389b71', 'hex').copy(b, 24); // KSDATAFORMAT_SUBTYPE_PCM
  }
  return b;
}

function riff(...chunks: Buffer[]): Uint8Array {
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return new Uint8Array(Buffer.concat([head, body]));
}

const pcm16 = (channels: number, frames: number) => Buffer.from(Int16Array.from({ length: channels * frames }, (_, k) => Math.round(8000 * Math.sin(k / 3))).buffer);
const listInfo = () => chunk('LIST', Buffer.concat([Buffer.from('INFOINAM'), Buffer.from([6, 0, 0, 0]), Buffer.from('fuzz\0\0')]));

/** Seeds written by writeWav: options and waveform. */
const WRITTEN: Record<string, [nb.audio.WriteWavOptions, number, number, number]> = {
  pcm8: [{ bitsPerSample: 8 }, 1, 37, 8000],
  pcm16: [{}, 1, 40, 8000],
  pcm24: [{ bitsPerSample: 24 }, 1, 29, 16000],
  pcm32: [{ bitsPerSample: 32 }, 1, 21, 8000],
  float32: [{ format: 'float' }, 1, 25, 44100],
  float64: [{ format: 'float', bitsPerSample: 64 }, 1, 13, 8000],
  stereo16: [{}, 2, 24, 22050],
  stereo24: [{ bitsPerSample: 24 }, 2, 11, 8000],
};

/** Hand-built seeds: what other writers produce. */
const BUILT: Record<string, () => Uint8Array> = {
  // a LIST/INFO chunk before the data, as Audacity and ffmpeg write it
  list: () => riff(chunk('fmt ', fmtBody(1, 8000, 16, false)), listInfo(), chunk('data', pcm16(1, 30))),
  // an odd-sized chunk (with its pad byte) before the data, and an odd-sized 8-bit data chunk
  odd: () => riff(chunk('fmt ', fmtBody(1, 8000, 8, false)), chunk('junk', Buffer.from('abc')), chunk('data', Buffer.from([128, 140, 150, 128, 100, 90, 128]))),
  // WAVE_FORMAT_EXTENSIBLE stereo, a LIST after the samples
  extensible: () => riff(chunk('fmt ', fmtBody(2, 16000, 16, true)), chunk('data', pcm16(2, 20)), listInfo()),
};

/** WAV files (`nb.audio.readWav`, `decodeWav`, and `nb.datasets.audioFolder` on the case folder). */
export const wavFormat: FuzzFormat = {
  name: 'wav',
  makeSeeds(dir) {
    for (const [seed, [opts, channels, frames, rate]] of Object.entries(WRITTEN)) {
      mkdirSync(join(dir, seed), { recursive: true });
      nb.audio.writeWav(join(dir, seed, WAV_FILE), tone(channels, frames), rate, opts);
    }
    for (const [seed, make] of Object.entries(BUILT)) {
      mkdirSync(join(dir, seed), { recursive: true });
      writeFileSync(join(dir, seed, WAV_FILE), make());
    }
    return [...Object.keys(WRITTEN), ...Object.keys(BUILT)];
  },
  mutate(rng, files) {
    mutateFiles(rng, files);
  },
  load(dir, _seed, rng) {
    if (rng.chance(0.1)) return loadFolder(dir, rng);
    const path = join(dir, WAV_FILE);
    const bytes = rng.chance(0.5) ? fileBytes(path) : null;
    const { waveform, sampleRate } = bytes === null ? nb.audio.readWav(path) : nb.audio.decodeWav(bytes);
    const [channels, frames] = waveform.shape;
    check(waveform.dtype === 'float32' && waveform.ndim === 2 && channels! >= 1 && frames! >= 0, `waveform ${waveform.dtype} [${waveform.shape.join(',')}]`);
    check(waveform.data().length === waveform.size, `waveform [${waveform.shape.join(',')}] holds ${waveform.data().length} values`);
    check(Number.isSafeInteger(sampleRate) && sampleRate >= 1, `sample rate ${sampleRate}`);
  },
};

/** The case folder as a (one-clip) FSDD-style data set, resampled to a common rate. */
function loadFolder(dir: string, rng: Rng): void {
  const sampleRate = rng.pick([8000, 16000]);
  const duration = rng.pick([undefined, 0.01]);
  const set = nb.datasets.audioFolder(dir, duration === undefined ? { sampleRate, layout: 'prefix' } : { sampleRate, duration, layout: 'prefix' });
  const [n, samples] = set.waveforms.shape;
  check(set.waveforms.ndim === 2 && n === set.files.length && n === set.labels.size && n === set.lengths.size, `audioFolder gave waveforms [${set.waveforms.shape.join(',')}] for ${set.files.length} files`);
  check(set.waveforms.data().length === n! * samples!, `waveforms [${set.waveforms.shape.join(',')}] hold ${set.waveforms.data().length} values`);
  const lengths = set.lengths.data();
  for (let i = 0; i < lengths.length; i++) check(lengths[i]! >= 0 && lengths[i]! <= samples!, `clip ${i} has length ${lengths[i]} of ${samples}`);
}
