import { synthesizeWords, type SynthesizeOptions } from '../../audio/synthesize.js';
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { packClips, type AudioData } from './audio-folder.js';

/** Options of {@link synthesizedSpeech}: the classes, what to say for each, and {@link SynthesizeOptions}. */
export interface SynthesizedSpeechOptions extends SynthesizeOptions {
  /** The classes, in index order (the `classNames` of the real data the clips will join). */
  classNames: readonly string[];
  /** What espeak-ng says for each class (default {@link spokenWord} of each class name). */
  words?: readonly string[];
  /** Seconds per clip: longer clips are cut, shorter padded with zeros, as `audioFolder` does. Default: the longest clip. */
  duration?: number;
}

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * The word a class name stands for, or null when it is not one espeak-ng can say: the digits
 * `0`–`9` as English words (FSDD's labels), a name of letters (`yes`, `left`) as itself.
 */
export function spokenWord(className: string): string | null {
  if (/^[0-9]$/.test(className)) return DIGITS[Number(className)]!;
  return /^\p{L}+$/u.test(className) ? className : null;
}

/**
 * Synthetic clips of each class's word (`nb.audio.synthesizeWords`, espeak-ng) as an `AudioData`
 * with the given classes, ready to join real clips with `concatAudio` — for training only: a
 * model is validated on real voices. Each clip's speaker is its espeak-ng voice (`espeak-ng:en-us+m3`).
 *
 * @example
 * const fsdd = nb.datasets.audioFolder('data/fsdd', { sampleRate: 8000, duration: 1 });
 * const synth = await nb.datasets.synthesizedSpeech({ classNames: fsdd.classNames, sampleRate: 8000, duration: 1, perWord: 200 });
 * const train = nb.datasets.concatAudio([fsdd, synth]);
 */
export async function synthesizedSpeech(opts: SynthesizedSpeechOptions): Promise<AudioData> {
  const who = 'synthesizedSpeech';
  const { classNames, duration } = opts ?? {};
  if (!Array.isArray(classNames) || classNames.length === 0) throw new ValueError(`${who}: classNames must be a non-empty array of class names, got ${JSON.stringify(classNames)}`);
  const words = opts.words ?? classNames.map((c) => {
    const w = spokenWord(c);
    if (w === null) throw new ValueError(`${who}: no word to say for the class '${c}'; pass words: one word per class, in the order of classNames`);
    return w;
  });
  if (!Array.isArray(words) || words.length !== classNames.length) throw new ValueError(`${who}: words must give one word per class (${classNames.length}), got ${JSON.stringify(words)}`);
  if (duration !== undefined && !(typeof duration === 'number' && Number.isFinite(duration) && duration > 0)) {
    throw new ValueError(`${who}: duration must be a positive number of seconds (or left out to keep whole clips), got ${JSON.stringify(duration)}`);
  }
  const clips = await synthesizeWords(words, opts);
  const n = clips.length;
  return {
    ...packClips(clips.map((c) => c.samples), duration === undefined ? undefined : Math.round(duration * opts.sampleRate)),
    labels: new Tensor(Int32Array.from(clips, (c) => c.word), [n]),
    classNames: [...classNames],
    files: clips.map((c) => c.command),
    speakers: clips.map((c) => `espeak-ng:${c.voice}`),
    sampleRate: opts.sampleRate,
  };
}
