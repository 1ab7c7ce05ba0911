import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADVANCE, CAP_HEIGHT, DESCENT, GLYPH_WIDTH, glyphPixels, hasGlyph } from '../../src/plot/font.js';

test('the bitmap font has its own glyph for every printable ASCII character', () => {
  const seen = new Map<string, string>();
  for (let code = 32; code <= 126; code++) {
    const ch = String.fromCharCode(code);
    assert.ok(hasGlyph(ch), `no glyph for '${ch}'`);
    const pixels = glyphPixels(ch);
    for (const [c, r] of pixels) {
      assert.ok(c >= 0 && c < GLYPH_WIDTH && r >= 0 && r < CAP_HEIGHT + DESCENT, `'${ch}' has ink outside the 5×9 cell at (${c}, ${r})`);
    }
    if (ch !== ' ') assert.ok(pixels.length > 0, `'${ch}' is blank`);
    const key = JSON.stringify(pixels);
    assert.equal(seen.get(key), undefined, `'${ch}' looks exactly like '${seen.get(key)}'`);
    seen.set(key, ch);
  }
  assert.equal(glyphPixels(' ').length, 0);
  assert.equal(ADVANCE, 6);
});

test('descenders reach below the baseline; capitals do not', () => {
  for (const ch of 'gjpqy_') assert.ok(glyphPixels(ch).some(([, r]) => r >= CAP_HEIGHT), ch);
  for (const ch of 'ABXZ019a') assert.ok(glyphPixels(ch).every(([, r]) => r < CAP_HEIGHT), ch);
});

test('characters outside ASCII draw as a question mark rather than vanishing', () => {
  assert.equal(hasGlyph('é'), false);
  assert.deepEqual(glyphPixels('é'), glyphPixels('?'));
});
