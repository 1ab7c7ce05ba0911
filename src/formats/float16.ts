/**
 * IEEE 754 binary16 (F16) and bfloat16 (BF16) conversions, written from the format definitions:
 *
 * - binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits; exponent 0 holds zero and
 *   the subnormals (fraction · 2^-24), exponent 31 holds infinity (fraction 0) and NaN.
 * - bfloat16: the top 16 bits of a binary32: 1 sign bit, 8 exponent bits (bias 127), 7 fraction
 *   bits; the same zero/subnormal/infinity/NaN rules with exponent 0 and 255.
 *
 * Decoding is exact (every F16 and BF16 value is a float32). Encoding rounds to nearest, ties to
 * even, from the float32 or float64 value itself (never through an intermediate float32, which
 * could round twice); finite values past the largest one round to infinity as IEEE prescribes.
 */

/** The bit layout of a small binary floating-point format, with the constants encoding needs. */
interface SmallFloat {
  /** Fraction bits (10 for F16, 7 for BF16). */
  fractionBits: number;
  /** The exponent bias (15 for F16, 127 for BF16); also the largest exponent of a finite value. */
  bias: number;
  /** 2^fractionBits: the implicit leading one of a normal significand. */
  hiddenBit: number;
  /** The sign bit's value. */
  signBit: number;
  /** The bits of +infinity (all exponent bits set, fraction 0). */
  infinity: number;
  /** The bits of the quiet NaN written for any NaN. */
  quietNaN: number;
  /** The smallest normal value, 2^(1 - bias). */
  minNormal: number;
  /** 1 / the smallest subnormal value: multiplying by it counts subnormal units. */
  subnormalScale: number;
}

function smallFloat(exponentBits: number, fractionBits: number): SmallFloat {
  const bias = 2 ** (exponentBits - 1) - 1;
  const infinity = (2 ** exponentBits - 1) * 2 ** fractionBits;
  return {
    fractionBits,
    bias,
    hiddenBit: 2 ** fractionBits,
    signBit: 2 ** (exponentBits + fractionBits),
    infinity,
    quietNaN: infinity + 2 ** (fractionBits - 1),
    minNormal: 2 ** (1 - bias),
    subnormalScale: 2 ** (fractionBits + bias - 1),
  };
}

const F16 = smallFloat(5, 10);
const BF16 = smallFloat(8, 7);

/**
 * The bits of the `format` value nearest to `v` (ties to even). NaN becomes a quiet NaN (JS
 * numbers do not carry a NaN's sign or payload reliably); ±0 keeps its sign.
 */
function encode(v: number, format: SmallFloat): number {
  if (v !== v) return format.quietNaN;
  const sign = v < 0 || Object.is(v, -0) ? format.signBit : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign + format.infinity;
  if (a < format.minNormal) {
    // subnormal range: count units of the smallest subnormal (a power-of-two scaling, exact in
    // float64). A count of 2^fractionBits is the smallest normal number, whose bits are exactly
    // that count, so rounding up into the normal range needs no special case.
    return sign + roundHalfEven(a * format.subnormalScale);
  }
  let e = Math.floor(Math.log2(a));
  // log2 may be off by one next to a power of two; comparisons with exact powers settle it
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  if (e > format.bias) return sign + format.infinity;
  let significand = roundHalfEven(a * 2 ** (format.fractionBits - e)); // in [2^f, 2^(f+1)]
  if (significand === 2 * format.hiddenBit) {
    significand = format.hiddenBit;
    e++;
    if (e > format.bias) return sign + format.infinity;
  }
  return sign + (e + format.bias) * format.hiddenBit + (significand - format.hiddenBit);
}

/** Rounds a non-negative float64 to the nearest integer, ties to the even one. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const rest = x - f; // exact: x has at most 53 significant bits and f is its integer part
  if (rest > 0.5) return f + 1;
  if (rest < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The binary16 bits of the value nearest to `v` (round to nearest, ties to even). */
export function float16Bits(v: number): number {
  return encode(v, F16);
}

/** The bfloat16 bits of the value nearest to `v` (round to nearest, ties to even). */
export function bfloat16Bits(v: number): number {
  return encode(v, BF16);
}

let f16Table: Float32Array | null = null;

/** The value of binary16 `bits` (0 to 65535). */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** Decodes binary16 values into float32 storage (through a 65,536-entry table, built once). */
export function decodeFloat16(src: Uint16Array, out: Float32Array): void {
  if (f16Table === null) {
    const t = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) t[i] = float16Value(i);
    f16Table = t;
  }
  const table = f16Table;
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]!]!;
}

/** Decodes bfloat16 values into float32 storage: each is the top half of a binary32. */
export function decodeBFloat16(src: Uint16Array, out: Float32Array): void {
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) words[i] = src[i]! << 16;
}

/** Encodes float32/float64 values as binary16 bits. */
export function encodeFloat16(src: ArrayLike<number>, out: Uint16Array): void {
  for (let i = 0; i < src.length; i++) out[i] = encode(src[i]!, F16);
}

/** Encodes float32/float64 values as bfloat16 bits. */
export function encodeBFloat16(src: ArrayLike<number>, out: Uint16Array): void {
  for (let i = 0; i < src.length; i++) out[i] = encode(src[i]!, BF16);
}
