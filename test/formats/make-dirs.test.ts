// makeDirs: missing parents made one level at a time, and paths Node's recursive mkdir loops on
// (issue 12, item 9: `nabla train --save /proc/x` hung) are an error at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeDirs } from '../../src/formats/make-dirs.js';

test('makes missing parents, accepts an existing directory, refuses a file in the way', () => {
  const root = mkdtempSync(join(tmpdir(), 'nabla-make-dirs-'));
  makeDirs(join(root, 'a', 'b', 'c'), 'save');
  assert.ok(statSync(join(root, 'a', 'b', 'c')).isDirectory());
  makeDirs(join(root, 'a', 'b'), 'save');
  writeFileSync(join(root, 'file'), 'x');
  assert.throws(() => makeDirs(join(root, 'file', 'sub'), 'save'), /^ValueError: save: cannot create the directory '.*file\/sub': '.*file' exists and is not a directory$/);
});

test('a directory under /proc is an error at once, where mkdirSync({ recursive: true }) never returns', { skip: process.platform !== 'linux' }, () => {
  assert.throws(() => makeDirs('/proc/nabla-x/y', 'save'), /^ValueError: save: cannot create the directory '\/proc\/nabla-x' \(ENOENT.*\); choose a directory you can write to$/);
  // the CLI path, in a child with a time limit: it used to hang
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', '--epochs', '1', '--limit', '64', '--out', '/proc/nabla-x'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'nabla train must not hang');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nabla: train: cannot create the directory '\/proc\/nabla-x'/);
});
