// nb.VERSION and nb.info().version come from package.json, the one place the version is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nb from '../src/index.js';
import { packageVersion } from '../src/info.js';

test('VERSION is package.json\'s version, and nb.info() reports it', () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.equal(nb.VERSION, version);
  assert.equal(nb.info().version, version);
});

test('packageVersion reads the version of the package.json it is given, and refuses another package\'s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-version-'));
  const file = join(dir, 'package.json');
  writeFileSync(file, JSON.stringify({ name: 'nabla', version: '9.8.7-rc.1' }));
  assert.equal(packageVersion(pathToFileURL(file)), '9.8.7-rc.1');
  writeFileSync(file, JSON.stringify({ name: 'left-pad', version: '1.3.0' }));
  assert.throws(() => packageVersion(pathToFileURL(file)), /package\.json is not nabla's package\.json/);
});
