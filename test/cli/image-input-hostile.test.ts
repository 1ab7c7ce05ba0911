// `nabla predict x.constructor` (issue 12, item 7): the extension is looked up among the image
// kinds by own key, so an extension named like an inherited property is simply not an image.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputFile } from '../../src/cli/image-input.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-image-input-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a file named x.constructor is not an image kind: the usual error, naming the kinds', () => {
  const file = join(dir, 'x.constructor');
  writeFileSync(file, 'not an image');
  assert.throws(() => readInputFile(file, [4]), (err: unknown) =>
    err instanceof Error && err.name === 'ValueError' && err.message === `predict: ${file}: expected a .png or .jpg image or a .csv file`);
});
