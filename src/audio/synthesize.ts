/**
 * Synthetic spoken words from the espeak-ng speech synthesiser (a program the user installs:
 * Debian/Ubuntu `apt-get install espeak-ng`; nothing is downloaded). A model trained on a handful
 * of real voices hears many more when each word is also spoken by espeak-ng's voices (eight
 * English accents without MBROLA) crossed with its voice variants (m1–m7, f1–f5, klatt, …), at
 * random speeds and pitches: on FSDD, leave-one-speaker-out, that raised the accuracy on the
 * voice left out (see the README's speech table).
 *
 * Each clip: `espeak-ng -v VOICE+VARIANT -s SPEED -p PITCH -w tmp.wav WORD`, resampled from
 * espeak-ng's 22,050 Hz to the rate asked for (`resample`), trimmed to near-minimal silence at
 * both ends as FSDD's recordings are (from the first to the last sample above 2 % of the peak,
 * with 10 ms kept on each side), and scaled to a random peak level in [0.2, 0.9]. The choices are
 * drawn from a seeded generator and espeak-ng's output is deterministic for fixed arguments, so
 * the same call gives the same clips.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueError } from '../tensor/errors.js';
import { Generator } from '../tensor/random.js';
import { decodeWav } from './wav.js';
import { resample } from './resample.js';
import { denseData } from '../ops/primitives/alloc.js';

/** espeak-ng's English voices that need no MBROLA (Debian 12's espeak-ng 1.51). */
export const ESPEAK_ENGLISH_VOICES: readonly string[] = ['en-us', 'en', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc'];

/** espeak-ng voice variants (files of its `voices/!v` folder): male, female and Klatt voices. */
export const ESPEAK_VARIANTS: readonly string[] = [
  'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'f1', 'f2', 'f3', 'f4', 'f5', 'klatt', 'klatt2', 'klatt3',
  'Alex', 'Andy', 'Annie', 'adam', 'belinda', 'benjamin', 'david', 'ed', 'edward', 'john', 'linda', 'max', 'michel', 'paul', 'steph',
];

/** Options of {@link synthesizeWords}. */
export interface SynthesizeOptions {
  /** Samples per second of the clips returned. */
  sampleRate: number;
  /** Clips per word (default 100). */
  perWord?: number;
  /** espeak-ng voices drawn from (default {@link ESPEAK_ENGLISH_VOICES}). */
  voices?: readonly string[];
  /** Voice variants drawn from (default {@link ESPEAK_VARIANTS}). */
  variants?: readonly string[];
  /** Range of speeds in words a minute, drawn uniformly (default [120, 230]; espeak-ng's own default is 175). */
  speed?: [number, number];
  /** Range of pitches 0–99, drawn uniformly (default [10, 90]). */
  pitch?: [number, number];
  /** Seed of the draws (default 0). */
  seed?: number;
  /** The synthesiser program (default `espeak-ng`, found on the PATH). */
  program?: string;
}

/** One synthetic clip. */
export interface SyntheticClip {
  /** Index of the word in the list given. */
  word: number;
  /** Mono samples at the rate asked for, trimmed. */
  samples: Float32Array;
  /** The voice, as espeak-ng's `-v` takes it (`en-us+m3`): the clip's "speaker". */
  voice: string;
  /** The whole command line, for the record. */
  command: string;
}

const WORD = /^[\p{L}][\p{L}' -]*$/u;

function range(who: string, name: string, r: [number, number] | undefined, dflt: [number, number], lo: number, hi: number): [number, number] {
  const v = r ?? dflt;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= lo && x <= hi) || v[0] > v[1]) {
    throw new ValueError(`${who}: ${name} must be [low, high], whole numbers with ${lo} ≤ low ≤ high ≤ ${hi}, got ${JSON.stringify(r)}`);
  }
  return v;
}

/** Runs `program args`; the error says what to install when the program is missing. */
function run(program: string, args: string[], who: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (err === null) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new ValueError(`${who}: the speech synthesiser '${program}' was not found; install espeak-ng (Debian/Ubuntu: apt-get install espeak-ng) or pass its path as program`));
      } else {
        reject(new ValueError(`${who}: ${program} ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`));
      }
    });
  });
}

/** The samples from the first to the last above 2 % of the peak, with `margin` kept each side. */
function trimSilence(x: Float32Array, margin: number): Float32Array {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  if (peak === 0) return x.slice(0, 0);
  const threshold = 0.02 * peak;
  let a = 0;
  let b = x.length - 1;
  while (a < b && Math.abs(x[a]!) < threshold) a++;
  while (b > a && Math.abs(x[b]!) < threshold) b--;
  return x.slice(Math.max(0, a - margin), Math.min(x.length, b + 1 + margin));
}

/**
 * Speaks each of `words` `perWord` times with espeak-ng, each time in a voice, variant, speed and
 * pitch drawn at random, and returns the clips (word by word, in order). Runs as many espeak-ng
 * processes at once as the machine has cores.
 *
 * @example
 * const clips = await nb.audio.synthesizeWords(['yes', 'no'], { sampleRate: 16000, perWord: 50 });
 */
export async function synthesizeWords(words: readonly string[], opts: SynthesizeOptions): Promise<SyntheticClip[]> {
  const who = 'synthesizeWords';
  if (!Array.isArray(words) || words.length === 0) throw new ValueError(`${who}: words must be a non-empty array of words to speak, got ${JSON.stringify(words)}`);
  words.forEach((w, i) => {
    if (typeof w !== 'string' || !WORD.test(w)) throw new ValueError(`${who}: words[${i}] = ${JSON.stringify(w)} is not a word espeak-ng can speak (letters, with spaces, hyphens or apostrophes inside)`);
  });
  const { sampleRate } = opts ?? {};
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new ValueError(`${who}: sampleRate must be a positive whole number of samples per second, got ${JSON.stringify(sampleRate)}`);
  const perWord = opts.perWord ?? 100;
  if (!Number.isInteger(perWord) || perWord < 1) throw new ValueError(`${who}: perWord must be a positive whole number of clips, got ${JSON.stringify(perWord)}`);
  const voices = opts.voices ?? ESPEAK_ENGLISH_VOICES;
  const variants = opts.variants ?? ESPEAK_VARIANTS;
  for (const [name, list] of [['voices', voices], ['variants', variants]] as const) {
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && /^[\w-]+$/.test(v))) {
      throw new ValueError(`${who}: ${name} must be a non-empty array of espeak-ng ${name} names (letters, digits, - and _), got ${JSON.stringify(list)}`);
    }
  }
  const speed = range(who, 'speed', opts.speed, [120, 230], 80, 450);
  const pitch = range(who, 'pitch', opts.pitch, [10, 90], 0, 99);
  const program = opts.program ?? 'espeak-ng';
  const g = new Generator(opts.seed ?? 0);
  const jobs = words.flatMap((w, word) => Array.from({ length: perWord }, () => ({
    word, text: w,
    voice: `${voices[g.int(0, voices.length)]}+${variants[g.int(0, variants.length)]}`,
    speed: g.int(speed[0], speed[1] + 1), pitch: g.int(pitch[0], pitch[1] + 1), level: 0.2 + 0.7 * g.uniform(),
  })));
  const dir = mkdtempSync(join(tmpdir(), 'nabla-espeak-'));
  const out: SyntheticClip[] = new Array(jobs.length);
  try {
    let next = 0;
    let failed = false;
    const worker = async (slot: number): Promise<void> => {
      const file = join(dir, `${slot}.wav`);
      while (next < jobs.length && !failed) {
        const i = next++;
        const j = jobs[i]!;
        const args = ['-v', j.voice, '-s', String(j.speed), '-p', String(j.pitch), '-w', file, j.text];
        try {
          await run(program, args, who);
        } catch (e) {
          failed = true;
          throw e;
        }
        const wav = decodeWav(readFileSync(file), who);
        const mono = wav.waveform.shape[0] === 1 ? wav.waveform : wav.waveform.mean(0, true);
        const at = wav.sampleRate === sampleRate ? mono : resample(mono, wav.sampleRate, sampleRate);
        const samples = trimSilence(Float32Array.from(denseData(at)), Math.round(0.01 * sampleRate));
        let peak = 0;
        for (const v of samples) peak = Math.max(peak, Math.abs(v));
        if (peak > 0) for (let k = 0; k < samples.length; k++) samples[k]! *= j.level / peak;
        out[i] = { word: j.word, samples, voice: j.voice, command: `${program} ${args.slice(0, -3).join(' ')} '${j.text}'` };
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: Math.min(availableParallelism(), jobs.length) }, (_, s) => worker(s)));
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
