import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { readMono } from '../../audio/mono.js';
import { denseData } from '../../ops/primitives/alloc.js';
import { FileNotFoundError, FormatError } from '../../formats/errors.js';
import { compareCodePoints } from '../../nn/layers/text/code-points.js';
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { filesUnder } from './text-folder.js';

/** Options of {@link audioFolder}. */
export interface AudioFolderOptions {
  /** Samples per second of the returned clips; each file is resampled to it (`nb.audio.resample`, torchaudio's defaults). */
  sampleRate: number;
  /**
   * Seconds per clip: shorter clips are padded with zeros at the end, longer ones keep their
   * first `duration` seconds. Default: every clip whole, padded with zeros to the longest (see
   * `lengths`).
   */
  duration?: number;
  /** The classes, in index order. Default: every class found, sorted. */
  classNames?: string[];
  /**
   * `'folders'`: one sub-folder per class (Keras' `audio_dataset_from_directory`); `'prefix'`:
   * the files directly in `dir`, each named `{label}_…` (FSDD's `{digit}_{speaker}_{index}.wav`).
   * Default: `'folders'` when `dir` has sub-folders, else `'prefix'`.
   */
  layout?: 'folders' | 'prefix';
}

/** Clips with their labels, as {@link audioFolder} returns them. */
export interface AudioData {
  /** float32 `[n, samples]`: mono (the mean of a file's channels), at `sampleRate`, zero-padded at the end. */
  waveforms: Tensor;
  /** int32 `[n]`: each clip's samples before the padding (after resampling and cropping). */
  lengths: Tensor;
  /** int32 `[n]`: the class index of each clip. */
  labels: Tensor;
  /** `classNames[k]` names class `k`. */
  classNames: string[];
  /** The file each clip came from. */
  files: string[];
  /**
   * The speaker of each clip, read from its file name: with `'prefix'` the second part
   * (`{label}_{speaker}_…`, FSDD), with `'folders'` the first (`{speaker}_…`, Speech Commands'
   * `{speaker}_nohash_{n}.wav`); the whole name (without extension) when it has no `_`.
   */
  speakers: string[];
  sampleRate: number;
}

/**
 * Reads a labelled set of WAV clips (`nb.audio.readWav`), either one sub-folder per class
 * (`dir/yes/a.wav`, deeper folders belonging to the class above them) or flat files named
 * `{label}_….wav` (FSDD). Every clip is mixed to mono (the mean of its channels), resampled to
 * `sampleRate`, then cropped or zero-padded to `duration` seconds (or to the longest clip, with
 * each clip's own length in `lengths`). Clips come in order (class, then path), not shuffled;
 * `splitAudio` splits them by speaker or by FSDD's own split.
 *
 * @example
 * const fsdd = nb.datasets.audioFolder('data/fsdd', { sampleRate: 8000, duration: 1 });
 * const { train, test } = nb.datasets.splitAudio(fsdd, 'fsdd');   // indices 0–4 are test
 * const words = nb.datasets.audioFolder('speech_commands', { sampleRate: 16000, duration: 1 });
 */
export function audioFolder(dir: string, opts: AudioFolderOptions): AudioData {
  const who = 'audioFolder';
  const { sampleRate, duration } = opts ?? {};
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new ValueError(`${who}: sampleRate must be a positive whole number of samples per second, got ${JSON.stringify(sampleRate)}`);
  if (duration !== undefined && !(typeof duration === 'number' && Number.isFinite(duration) && duration > 0)) {
    throw new ValueError(`${who}: duration must be a positive number of seconds (or left out to keep whole clips), got ${JSON.stringify(duration)}`);
  }
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new ValueError(`${who}: '${dir}' is not a folder; pass the folder that holds the clips`);
    entries = readdirSync(dir).sort(compareCodePoints);
  } catch (e) {
    if (e instanceof ValueError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotFoundError(`${who}: no folder at '${dir}'`, dir);
    throw new ValueError(`${who}: cannot read the folder '${dir}' (${(e as Error).message})`);
  }
  const folders = entries.filter((e) => statSync(join(dir, e)).isDirectory());
  const layout = opts.layout ?? (folders.length > 0 ? 'folders' : 'prefix');
  if (layout !== 'folders' && layout !== 'prefix') throw new ValueError(`${who}: layout must be 'folders' or 'prefix', got ${JSON.stringify(layout)}`);
  const found = layout === 'folders' ? byFolder(dir, folders) : byPrefix(dir, entries, who);
  const classNames = opts.classNames ?? [...new Set(found.map((f) => f.label))].sort(compareCodePoints);
  const known = new Set(found.map((f) => f.label));
  for (const name of classNames) {
    if (!known.has(name)) throw new FormatError(`${who}: classNames names '${name}', but no clip of '${dir}' has that label (found: ${[...known].sort(compareCodePoints).map((l) => `'${l}'`).join(', ')})`);
  }
  const index = new Map(classNames.map((n, k) => [n, k]));
  const clips = found.filter((f) => index.has(f.label)).sort((a, b) => index.get(a.label)! - index.get(b.label)! || compareCodePoints(a.path, b.path));
  if (clips.length === 0) throw new FormatError(`${who}: no .wav files in '${dir}'; put each class's clips in a folder named after the class, or name them {label}_….wav`);
  const n = clips.length;
  return {
    ...packClips(clips.map((c) => readMono(c.path, sampleRate).samples), duration === undefined ? undefined : Math.round(duration * sampleRate)),
    labels: new Tensor(Int32Array.from(clips, (c) => index.get(c.label)!), [n]),
    classNames: [...classNames],
    files: clips.map((c) => c.path),
    speakers: clips.map((c) => c.speaker),
    sampleRate,
  };
}

/** Clips as rows of one `[n, width]` tensor: cut to `width` samples or zero-padded (default width: the longest), with each row's length. */
export function packClips(clips: readonly Float32Array[], width?: number): { waveforms: Tensor; lengths: Tensor } {
  const target = width ?? Math.max(...clips.map((m) => m.length));
  const out = new Float32Array(clips.length * target);
  const lengths = new Int32Array(clips.length);
  clips.forEach((m, i) => {
    lengths[i] = Math.min(m.length, target);
    out.set(m.subarray(0, lengths[i]), i * target);
  });
  return { waveforms: new Tensor(out, [clips.length, target]), lengths: new Tensor(lengths, [clips.length]) };
}

interface Clip {
  path: string;
  label: string;
  speaker: string;
}

const isWav = (name: string) => extname(name).toLowerCase() === '.wav';
const stem = (path: string) => basename(path, extname(path));

/** One sub-folder per class: every .wav below it, deeper folders included. */
function byFolder(dir: string, folders: string[]): Clip[] {
  const out: Clip[] = [];
  for (const label of folders) {
    for (const path of filesUnder(join(dir, label), ['.wav'])) {
      const s = stem(path);
      out.push({ path, label, speaker: s.includes('_') ? s.slice(0, s.indexOf('_')) : s });
    }
  }
  return out;
}

/** Flat files named `{label}_{speaker}_…`; every .wav must have a `_`. */
function byPrefix(dir: string, entries: string[], who: string): Clip[] {
  return entries.filter((e) => isWav(e) && statSync(join(dir, e)).isFile()).map((name) => {
    const parts = stem(name).split('_');
    if (parts.length < 2 || parts[0] === '') {
      throw new FormatError(`${who}: '${join(dir, name)}' has no label in its name; name flat files {label}_….wav (FSDD: {digit}_{speaker}_{index}.wav) or put each class's clips in a folder named after the class`);
    }
    return { path: join(dir, name), label: parts[0]!, speaker: parts[1]! };
  });
}
