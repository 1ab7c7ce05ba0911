// Shared by the tokenizer tests: the Tiny Shakespeare corpus (read from ../shared, never copied
// into the repository) and seeded random text.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** /work/shared/data/tinyshakespeare/input.txt, found relative to this file (repo/test/data/text). */
export const SHAKESPEARE_PATH = fileURLToPath(new URL('../../../../shared/data/tinyshakespeare/input.txt', import.meta.url));

/** `false` when the corpus is there, otherwise the reason to skip (for node:test's `skip`). */
export const shakespeareSkip: string | false = existsSync(SHAKESPEARE_PATH)
  ? false
  : `${SHAKESPEARE_PATH} is absent (see shared/data/README.md, section Tiny Shakespeare)`;

/** The corpus text, or '' when absent (tests using it are skipped then). */
export function readShakespeare(): string {
  return shakespeareSkip === false ? readFileSync(SHAKESPEARE_PATH, 'utf8') : '';
}

/** A small seeded generator (mulberry32): uniform floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ranges to draw code points from: ASCII, Latin/combining, CJK, emoji and other astral planes up
// to U+10FFFF; surrogates are never drawn (a random *code point* is always a scalar value)
const RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x7f],
  [0x80, 0x7ff],
  [0x300, 0x36f],
  [0x590, 0x6ff],
  [0x4e00, 0x9fff],
  [0xe000, 0xffff],
  [0x1f300, 0x1faff],
  [0x10000, 0x10ffff],
];

/** A well-formed string of `length` random code points (astral ones included). */
export function randomText(rand: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = RANGES[Math.floor(rand() * RANGES.length)] as readonly [number, number];
    let cp = lo + Math.floor(rand() * (hi - lo + 1));
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** Hand-picked strings that tokenizers get wrong: every one must round-trip exactly. */
export const TRICKY_TEXTS: readonly string[] = [
  '',
  ' ',
  'a',
  'Hello, world!',
  '  leading and trailing spaces  ',
  'tabs\tand\nnewlines\r\n\r\nand\u000bvertical\u000cfeeds',
  '\u0000\u0001\u001f\u007f\u0080\u0085\u009f', // C0 and C1 control characters
  '\ufeffstarts with a byte-order mark',
  'emoji 😀🎉 skin tones 👍🏽👋🏿',
  'ZWJ family 👨\u200d👩\u200d👧\u200d👦 and rainbow flag 🏳\ufe0f\u200d🌈',
  'flags 🇯🇵🇺🇳🇫🇷 and subdivision 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}',
  '日本語のテキスト、中文文本，한국어 텍스트',
  'combining: e\u0301 a\u0308 Z\u0351\u0310\u0337\u0326a\u036d\u0316lgo',
  'RTL: مرحبا بالعالم — שלום עולם \u200fmark\u200e and \u202eoverride\u202c',
  'line\u2028separator\u2029paragraph',
  'edges \u{10ffff} \uffff \ufffe \ufffd \u{10000}',
  'digits 0123456789 ٠١٢٣ ①②③ ½',
  "contractions don't won't o'er 'tis rock'n'roll",
  '<|endoftext|> looks special but is plain text here',
  'x'.repeat(500),
  ' '.repeat(100),
];
