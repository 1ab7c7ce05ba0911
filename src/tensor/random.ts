import { ValueError } from './errors.js';

/**
 * A seeded pseudo-random generator (xoshiro128**, 32-bit state words, seeded through splitmix32).
 * The same seed gives the same numbers on every run and platform.
 *
 * @example
 * const g = new Generator(42); g.uniform(); g.normal();
 */
export class Generator {
  private s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed = Date.now()) {
    this.seed(seed);
  }

  /** Resets the state from an integer seed. */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new ValueError(`manualSeed: seed must be a finite number, got ${seed}`);
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 spreads one seed over four non-zero state words
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spare = null;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    if (drawWatchers.length > 0) for (const watch of drawWatchers) watch(this);
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (drawWatchers.length > 0) for (const watch of drawWatchers) watch(this);
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  int(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** The full state, for checkpoints. */
  getState(): { s: number[]; spare: number | null } {
    return { s: [...this.s], spare: this.spare };
  }

  /**
   * Restores a state from `getState()`. The state comes from files (checkpoints), so it is checked:
   * four integer words in [0, 2^32), not all zero (xoshiro's one fixed point, from which it would
   * draw zeros forever and `normal()` would never return), and a finite spare normal or null.
   */
  setState(state: { s: number[]; spare: number | null }): void {
    const op = 'Generator.setState';
    if (typeof state !== 'object' || state === null || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new ValueError(`${op}: expected a state of four 32-bit words`);
    }
    for (const w of state.s) {
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 0xffffffff) {
        throw new ValueError(`${op}: each state word must be an integer in [0, 4294967295], got ${JSON.stringify(w)}`);
      }
    }
    if (state.s.every((w) => w === 0)) throw new ValueError(`${op}: an all-zero state is invalid for xoshiro128** (it would only ever draw 0)`);
    if (state.spare !== null && (typeof state.spare !== 'number' || !Number.isFinite(state.spare))) {
      throw new ValueError(`${op}: spare must be a finite number or null, got ${typeof state.spare === 'number' ? String(state.spare) : JSON.stringify(state.spare)}`);
    }
    this.s.set(state.s);
    this.spare = state.spare;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const drawWatchers: ((g: Generator) => void)[] = [];

/**
 * Runs `fn` with `watch` called before every draw from any generator (each draw may call it more
 * than once). Gradient checkpointing uses it to replay the same random numbers in its recompute.
 */
export function watchDraws<T>(watch: (g: Generator) => void, fn: () => T): T {
  drawWatchers.push(watch);
  try {
    return fn();
  } finally {
    drawWatchers.splice(drawWatchers.lastIndexOf(watch), 1);
  }
}

/** The generator every random function uses unless given its own. */
export const defaultGenerator = new Generator(0x5eed);

/** Seeds the default generator: the same seed gives the same random tensors in every run. */
export function manualSeed(seed: number): void {
  defaultGenerator.seed(seed);
}
