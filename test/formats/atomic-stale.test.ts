// A SIGKILL during writeFileAtomic leaves its temporary file behind (issue 12, item 9): the next
// atomic write into that directory removes it, and removes nothing else.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../src/index.js';
import { loadSafetensors, saveSafetensors, writeFileAtomic } from '../../src/io/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-atomic-stale-'));
after(() => rmSync(root, { recursive: true, force: true }));
const CHILD = fileURLToPath(new URL('./atomic-kill-child.ts', import.meta.url));

/** Starts an atomic write of `path` in a child process and SIGKILLs it mid-write; returns the child's pid. */
async function killedWrite(path: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('started')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it started writing`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

test('a write killed by SIGKILL leaves a temp file; the next save into the directory removes it and nothing else', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(root, 'kill-'));
  const target = join(dir, 'model.safetensors');
  const pid = await killedWrite(target);
  const left = readdirSync(dir);
  assert.equal(left.length, 1, `one temp file is left: ${left.join(', ')}`);
  assert.match(left[0]!, new RegExp(`^\\.model\\.safetensors\\.${pid}\\.[0-9a-f]{12}\\.tmp$`));
  assert.equal(statSync(join(dir, left[0]!)).size, 1 << 20, 'the first MiB reached the disk');

  // files that are not ours, or whose process runs (pid 1 always does), must survive
  const keep = ['notes.tmp', '.model.safetensors.tmp', `.x.${pid}.ABCDEF012345.tmp`, '.x.1.0123456789ab.tmp', `x.${pid}.0123456789ab.tmp`, '.x.0.0123456789ab.tmp'];
  for (const name of keep) writeFileSync(join(dir, name), 'not a leftover');
  // a second leftover of the dead writer, for another file of the directory
  writeFileSync(join(dir, `.model.json.${pid}.00aa11bb22cc.tmp`), '{');

  saveSafetensors(target, { w: nb.ones([2]) });
  assert.deepEqual(readdirSync(dir).sort(), [...keep, 'model.safetensors'].sort());
  assert.deepEqual(Array.from(loadSafetensors(target).tensors['w']!.data()), [1, 1]);
});

test("a leftover of this process's own pid is from an earlier process that had it, and is removed", () => {
  const dir = mkdtempSync(join(root, 'own-'));
  const stale = join(dir, `.history.json.${process.pid}.abcdefabcdef.tmp`);
  writeFileSync(stale, '[1, 2');
  writeFileAtomic(join(dir, 'history.json'), '[1, 2, 3]');
  assert.deepEqual(readdirSync(dir), ['history.json']);
});
