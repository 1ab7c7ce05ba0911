/**
 * The speech side of `nabla evaluate` and `nabla predict`: a model saved by `nabla train --model
 * speech` records its sample rate and clip length (`metadata.audio`) and its class names; it is
 * tested on a folder of labelled WAVs and predicts WAV files or folders of them. A clip at another
 * sample rate is resampled to the model's (`nb.audio.resample`) with a note on stderr; clips are
 * mixed to mono and cropped or zero-padded to the model's length, as in training.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { audioFolder } from '../data/datasets/audio-folder.js';
import { readMono } from '../audio/mono.js';
import { readWav } from '../audio/wav.js';
import type { Model } from '../model/model.js';
import type { Logs } from '../model/callbacks/callback.js';
import type { JsonValue } from '../optim/optimizer.js';
import { denseData } from '../ops/primitives/alloc.js';
import { compareCodePoints } from '../nn/layers/text/code-points.js';
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { warn } from '../tensor/warn.js';
import { readTrainedOn } from './trained-on.js';

/** What a speech model records about its input. */
export interface AudioInput {
  /** Samples per second the model takes. */
  sampleRate: number;
  /** Samples per clip. */
  samples: number;
}

/** How `nabla train --model speech` added to the training clips: synthetic clips per class, and the speeds of the real ones. */
export interface SpeechAugmentation {
  synthetic: number;
  speeds: number[];
}

/** The metadata `nabla train --model speech` sets: the data folder, the input, the augmentation and the class names. */
export function speechTrainedOnMetadata(dir: string, classNames: readonly string[], input: AudioInput, aug: SpeechAugmentation = { synthetic: 0, speeds: [1] }): Record<string, JsonValue> {
  return { classNames: [...classNames], audio: { data: dir, sampleRate: input.sampleRate, samples: input.samples, synthetic: aug.synthetic, speeds: [...aug.speeds] } };
}

/** Whether the model was saved by `nabla train --model speech` (it takes waveforms). */
export function takesWaveforms(model: Model): boolean {
  return model.metadata['audio'] !== undefined;
}

/** The recorded input of a speech model, checked. */
export function readAudioInput(model: Model, dir: string): AudioInput {
  const a = model.metadata['audio'];
  if (typeof a !== 'object' || a === null || Array.isArray(a)) throw new ValueError(`${dir}/model.json metadata: audio must be an object {sampleRate, samples}`);
  const { sampleRate, samples } = a;
  for (const [name, v] of [['sampleRate', sampleRate], ['samples', samples]] as const) {
    if (!Number.isInteger(v) || (v as number) <= 0) throw new ValueError(`${dir}/model.json metadata: audio.${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return { sampleRate: sampleRate as number, samples: samples as number };
}

/** Tests a speech model on a folder of labelled WAVs; labels are matched to its classes by name. */
export async function evaluateSpeechFolder(model: Model, dir: string, data: string, batchSize: number): Promise<{ result: Logs; count: number }> {
  const input = readAudioInput(model, dir);
  const clips = audioFolder(data, { sampleRate: input.sampleRate, duration: input.samples / input.sampleRate });
  const names = readTrainedOn(model, dir).classNames ?? clips.classNames;
  const index = clips.classNames.map((name) => {
    const at = names.indexOf(name);
    if (at < 0) throw new ValueError(`evaluate: ${data} has clips labelled '${name}', which is not one of the model's classes (${names.join(', ')}, from ${dir}/model.json)`);
    return at;
  });
  const labels = new Tensor(Int32Array.from(denseData(clips.labels), (k) => index[k]!), [clips.files.length]);
  const result = await model.evaluate(clips.waveforms, labels, { batchSize });
  return { result, count: clips.files.length };
}

/** The .wav files named: files as given, folders by every .wav directly inside them (sorted). */
export function wavFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new ValueError(`predict: no file or folder at '${p}'`);
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const found = readdirSync(p).filter((f) => extname(f).toLowerCase() === '.wav').sort(compareCodePoints).map((f) => join(p, f));
    if (found.length === 0) throw new ValueError(`predict: the folder '${p}' holds no .wav files; give WAV files or a folder of them`);
    out.push(...found);
  }
  return out;
}

/** One clip as the model takes it: mono, at its rate (resampled with a note), cropped or zero-padded. */
function clipFor(path: string, input: AudioInput): Float32Array {
  if (extname(path).toLowerCase() !== '.wav') throw new ValueError(`predict: '${path}' is not a .wav file; a speech model takes WAV clips`);
  const { samples, fileRate } = readMono(path, input.sampleRate);
  if (fileRate !== input.sampleRate) warn(`predict: ${path} is ${fileRate} Hz and the model takes ${input.sampleRate} Hz: resampled`);
  const out = new Float32Array(input.samples);
  out.set(samples.subarray(0, input.samples));
  return out;
}

/** One `path<TAB>label<TAB>probability` line per clip: the most probable class, named as model.json names it. */
export function predictSpeech(model: Model, dir: string, paths: readonly string[]): string[] {
  const input = readAudioInput(model, dir);
  const files = wavFiles(paths);
  const batch = new Float32Array(files.length * input.samples);
  files.forEach((f, i) => batch.set(clipFor(f, input), i * input.samples));
  const rows = model.predict(new Tensor(batch, [files.length, input.samples])).toArray() as number[][];
  const names = readTrainedOn(model, dir).classNames;
  return rows.map((row, i) => {
    let best = 0;
    for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
    return `${files[i]}\t${names?.[best] ?? String(best)}\t${row[best]!.toFixed(4)}`;
  });
}

/** The sample rate of the first .wav in `dir` (flat, or in its first class folder): the default rate of a new model. */
export function firstWavRate(dir: string): number | null {
  const walk = (d: string, depth: number): string | null => {
    let names: string[];
    try {
      names = readdirSync(d).sort(compareCodePoints);
    } catch {
      return null;
    }
    const wav = names.find((n) => extname(n).toLowerCase() === '.wav');
    if (wav !== undefined) return join(d, wav);
    if (depth === 0) return null;
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        const found = walk(p, depth - 1);
        if (found !== null) return found;
      }
    }
    return null;
  };
  const first = walk(dir, 2);
  return first === null ? null : readWav(first).sampleRate;
}
