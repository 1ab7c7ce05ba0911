/**
 * The fuzzer's own random numbers. Kept apart from nabla's Generator on purpose: the code under
 * test must not be able to change which cases the fuzzer makes (a checkpoint restores generator
 * state), and a case must be reproducible from `(seed, format, index)` alone.
 */

/** 32-bit FNV-1a of a string: the case's identity folded into a generator seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A small deterministic generator (sfc32): uniform integers, choices and coin flips. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // the first outputs of sfc32 still show the seed; run it a few rounds
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform integer in [0, n); n ≥ 1. */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }

  /** A uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('Rng.pick: empty list');
    return xs[this.int(xs.length)] as T;
  }

  /** One of `choices`, each with its weight. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((s, [w]) => s + w, 0);
    let r = (this.u32() / 4294967296) * total;
    for (const [w, v] of choices) {
      if (r < w) return v;
      r -= w;
    }
    return (choices.at(-1) as readonly [number, T])[1];
  }
}

/** The generator of one case: the same `(seed, format, index)` always mutates the same way. */
export function caseRng(seed: number, format: string, index: number): Rng {
  return new Rng(fnv1a(`${seed}/${format}/${index}`));
}
