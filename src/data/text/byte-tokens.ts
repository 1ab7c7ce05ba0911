import { isWellFormed, utf8Encode } from './utf8.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ESCAPED = /^(?:<0x[0-9A-F]{2}>)+$/;

/**
 * A byte string as a `Map` key: one char per byte (Latin-1), so equal bytes give equal keys.
 */
export function bytesKey(bytes: Uint8Array): string {
  let key = '';
  for (let i = 0; i < bytes.length; i++) key += String.fromCharCode(bytes[i] as number);
  return key;
}

/**
 * How a byte token reads for inspection: its text when its bytes are complete UTF-8, otherwise
 * (a token holding part of a multi-byte character, or one whose text itself looks like an escape)
 * every byte as `<0xNN>`. {@link parseTokenText} reads both forms back, so the two are inverses.
 *
 * @example
 * tokenText(Uint8Array.of(0x20, 0x74, 0x68, 0x65)); // ' the'
 * tokenText(Uint8Array.of(0xe2, 0x80)); // '<0xE2><0x80>'
 */
export function tokenText(bytes: Uint8Array): string {
  let text: string | null = null;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    text = null;
  }
  if (text !== null && !ESCAPED.test(text)) return text;
  let out = '';
  for (const b of bytes) out += `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
  return out;
}

/**
 * The bytes that a token's display text (from {@link tokenText}) stands for: escapes are read as
 * bytes, other text as its UTF-8. `null` for text with lone surrogates, which no token spells.
 */
export function parseTokenText(text: string): Uint8Array | null {
  if (ESCAPED.test(text)) {
    const bytes = new Uint8Array(text.length / 6);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(6 * i + 3, 6 * i + 5), 16);
    return bytes;
  }
  return isWellFormed(text) ? utf8Encode(text) : null;
}
