/**
 * Where the native addon is looked for: the one built in this copy first, then the one the package
 * ships for the platform (prebuilds/<platform>-<arch>/, copied there by scripts/build-native.mjs
 * and packed by `npm pack`), and the message when there is none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addonCandidates, loadAddon, prebuiltFolder } from '../../src/backend/native/addon.js';

const built = addonCandidates()[0]!;

test('the addon is looked for in build/Release, then in prebuilds/<platform>-<arch>', () => {
  const root = pathToFileURL('/pkg/');
  assert.deepEqual(addonCandidates(root, 'darwin', 'arm64'), ['/pkg/build/Release/nabla_native.node', '/pkg/prebuilds/darwin-arm64/nabla_native.node']);
  assert.equal(prebuiltFolder('win32', 'x64'), 'prebuilds/win32-x64');
  assert.match(built, /build[\\/]Release[\\/]nabla_native\.node$/);
});

test('with no addon anywhere the reason names the platform, the places looked and how to build one', () => {
  const r = loadAddon(['/nowhere/build/Release/nabla_native.node', '/nowhere/prebuilds/x/nabla_native.node']);
  assert.ok('reason' in r);
  assert.equal(
    r.reason,
    `no addon for ${process.platform}-${process.arch} (none of /nowhere/build/Release/nabla_native.node, /nowhere/prebuilds/x/nabla_native.node exists; ` +
      'to build it, run `npm run build:native` in a checkout or `npm explore nabla -- npm run build:native` in a project (it needs a C compiler, python3 and make))',
  );
});

test('a prebuilt addon alone (an installed package: no build/) loads', { skip: existsSync(built) ? false : 'the addon is not built here' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-prebuilt-'));
  try {
    const root = pathToFileURL(`${dir}/`);
    mkdirSync(join(dir, prebuiltFolder()), { recursive: true });
    copyFileSync(built, join(dir, prebuiltFolder(), 'nabla_native.node'));
    const r = loadAddon(addonCandidates(root));
    assert.ok('addon' in r, 'reason' in r ? r.reason : '');
    assert.equal(typeof r.addon.info().threads, 'number');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that is not an addon gives the loader error and how to build one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-prebuilt-'));
  try {
    const bad = join(dir, 'nabla_native.node');
    copyFileSync(new URL(import.meta.url), bad);
    const r = loadAddon([bad]);
    assert.ok('reason' in r);
    assert.match(r.reason, /nabla_native\.node failed to load: .*\(to build it, run `npm run build:native`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
