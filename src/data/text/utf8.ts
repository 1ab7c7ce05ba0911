const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF in the text instead of silently dropping it, so that text
// starting with a byte-order mark still round-trips
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * UTF-8 bytes of a JS string. A lone surrogate (half of a UTF-16 pair with no partner, which JS
 * strings allow but Unicode text cannot contain) is written as U+FFFD's bytes `EF BF BD`; every
 * well-formed string is encoded exactly.
 *
 * @example
 * utf8Encode('é'); // Uint8Array [0xc3, 0xa9]
 */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * The string that UTF-8 bytes spell. Bytes that are not valid UTF-8 (a truncated sequence, a stray
 * continuation byte, an overlong form) become U+FFFD, one per maximal invalid subpart as the
 * WHATWG Encoding standard prescribes. A leading byte-order mark is kept as U+FEFF.
 *
 * @example
 * utf8Decode(new Uint8Array([0x68, 0x69])); // 'hi'
 */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Whether `text` is well-formed UTF-16 (no lone surrogates), i.e. whether it survives a trip
 * through UTF-8 unchanged.
 */
export function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false;
    const next = text.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}
