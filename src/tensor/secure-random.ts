/**
 * Random numbers for differential privacy (DP-SGD's noise, Poisson sampling). By default they come from the platform's cryptographically secure
 * generator (`crypto.getRandomValues`, in Node and in browsers): the privacy proof assumes the
 * noise and the batch sampling are unknown to whoever sees the model. A seeded generator
 * (xoshiro, `nb.Generator`) has a state of 128 bits that its outputs reveal, so anyone who can
 * guess or recover the seed can subtract the noise and the guarantee is gone. A seed is for tests
 * and reproducible experiments only.
 */
import { ValueError } from './errors.js';
import { Generator } from './random.js';

/** Uniform numbers in [0, 1) and standard normal numbers. */
export interface RandomSource {
  /** True for the secure source, false for a seeded one. */
  readonly secure: boolean;
  uniform(): number;
  /** Fills `out` with independent N(0, 1) draws. */
  normals(out: Float64Array): void;
}

const WORDS = 8192;   // getRandomValues gives at most 65,536 bytes per call

/** The cryptographically secure source: 53-bit uniforms from `crypto.getRandomValues`, normals by Box–Muller. */
export class SecureRandom implements RandomSource {
  readonly secure = true;
  private readonly words = new Uint32Array(WORDS);
  private next = WORDS;

  constructor() {
    if (typeof globalThis.crypto?.getRandomValues !== 'function') {
      throw new ValueError('DP-SGD: this platform has no crypto.getRandomValues for secure noise; pass a noiseSeed only for testing (a seeded generator voids the privacy guarantee)');
    }
  }

  private word(): number {
    if (this.next === WORDS) {
      globalThis.crypto.getRandomValues(this.words);
      this.next = 0;
    }
    return this.words[this.next++]!;
  }

  uniform(): number {
    // 53 random bits: 27 from one word, 26 from the next
    return ((this.word() >>> 5) * 67108864 + (this.word() >>> 6)) / 9007199254740992;
  }

  normals(out: Float64Array): void {
    for (let i = 0; i < out.length; i += 2) {
      const u1 = 1 - this.uniform();   // (0, 1]: log never sees 0
      const u2 = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
  }
}

/** A seeded source (nabla's Generator): reproducible, not private. */
export class SeededRandom implements RandomSource {
  readonly secure = false;
  private readonly g: Generator;

  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ValueError(`DP-SGD: noiseSeed must be a finite number (or left out for secure noise), got ${String(seed)}`);
    this.g = new Generator(seed);
  }

  uniform(): number {
    return this.g.uniform();
  }

  normals(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.g.normal();
  }
}

/** The secure source, or a seeded one when `seed` is a number. */
export function randomSource(seed: number | null | undefined): RandomSource {
  return seed === null || seed === undefined ? new SecureRandom() : new SeededRandom(seed);
}
