/**
 * Orders strings by Unicode code point, as Python's `sorted` and NumPy's sort of UTF-8 bytes do
 * (Keras orders vocabularies and class names that way). JavaScript's `<` compares UTF-16 code
 * units instead, which puts characters above U+FFFF (emoji) before U+E000–U+FFFF.
 *
 * @example
 * ['b', 'a', '😀', '\uffff'].sort(compareCodePoints)   // ['a', 'b', '\uffff', '😀']
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // a surrogate (a character above U+FFFF) outranks every other code unit
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
