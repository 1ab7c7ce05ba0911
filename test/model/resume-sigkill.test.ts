/**
 * fit({ checkpointDir }) killed with SIGKILL at random moments and rerun until it finishes ends
 * bitwise where an uninterrupted run ends: weights, optimizer state, the whole history, the
 * callbacks' results and the global generator. The run (resume-run.ts) has a Dropout with its own
 * seeded generator and one on the global generator, a shuffling DataLoader, an Adam schedule that
 * ReduceLROnPlateau replaces when it fires, and EarlyStopping keeping its best weights.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { hasCheckpoint } from '../../src/model/checkpoint.js';
import { EPOCHS, trainRun, type RunResult } from './resume-run.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-sigkill-'));
after(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface CheckpointJson {
  epoch: number;
  optimizer: { scheduled?: boolean };
  extra: { fit?: { callbacks?: { name: string; state: { wait?: number } | null }[] } };
}

/** The checkpoint.json in `dir` (null while there is none, or while a save swaps it in). */
function readCheckpoint(dir: string): CheckpointJson | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as CheckpointJson;
  } catch {
    return null;
  }
}

/**
 * Runs resume-child.ts on `dir`; once its checkpoint records `epoch` finished epochs or more,
 * waits `delayMs` and kills it with SIGKILL; null `epoch` lets it run to the end.
 */
async function runChild(out: string, dir: string, epoch: number | null, delayMs = 0): Promise<{ code: number | null; signal: string | null; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/model/resume-child.ts', out, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => {
    done = true;
    resolve({ code, signal });
  }));
  if (epoch !== null) {
    while (!done && (readCheckpoint(dir)?.epoch ?? -1) < epoch) await sleep(5);
    await sleep(delayMs);
    child.kill('SIGKILL');
  }
  return { ...(await exited), err };
}

test('SIGKILLed at random moments and rerun, fit({ checkpointDir }) ends bitwise as an uninterrupted run', { timeout: 120_000 }, async () => {
  const straight = await trainRun();
  // the run exercises what it should: the plateau fires, EarlyStopping runs to the end
  const lr = straight.history.history['learning_rate'] ?? [];
  assert.ok(lr.length === EPOCHS && lr[EPOCHS - 1]! < lr[0]! / 4, `the learning rate is reduced: ${lr.join(', ')}`);
  assert.equal(straight.early.stoppedEpoch, -1);
  assert.ok(straight.early.bestEpoch < EPOCHS - 5, `EarlyStopping waits at the end (best epoch ${straight.early.bestEpoch})`);

  // kill points drawn from a fixed seed: after a checkpoint of a random epoch, a random delay later
  const g = new nb.Generator(2024);
  const dir = join(root, 'run');
  const out = join(root, 'result.json');
  const kept: (CheckpointJson | null)[] = [];
  let target = 0;
  for (let kill = 0; kill < 3; kill++) {
    target += 1 + g.int(0, 10);
    const delay = g.int(0, 60);
    const r = await runChild(out, dir, target, delay);
    assert.equal(r.signal, 'SIGKILL', `kill ${kill + 1} (after epoch ${target}, +${delay} ms) came after the run ended (code ${r.code}): ${r.err}`);
    assert.ok(!existsSync(out), 'a killed run writes no result');
    // as the rerun finds it (a kill during a save leaves the previous checkpoint to put back)
    kept.push(hasCheckpoint(dir) ? readCheckpoint(dir) : null);
  }
  const last = await runChild(out, dir, null);
  assert.equal(last.code, 0, last.err);
  const resumed = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
  assert.deepEqual(resumed.history, straight.history, 'the history of the whole run');
  assert.deepEqual(resumed.weights, straight.weights, 'the final weights, bitwise');
  assert.deepEqual(resumed.optimizer, straight.optimizer, 'the optimizer slots, step and learning rate, bitwise');
  assert.deepEqual(resumed.early, straight.early);
  assert.equal(resumed.next, straight.next, 'the global generator ends in the same state');
  // and the kills caught the run in the states that matter: EarlyStopping waiting, the Adam
  // schedule still in use, and replaced by the plateau's reductions
  const early = kept.map((c) => c?.extra.fit?.callbacks?.find((cb) => cb.name === 'EarlyStopping')?.state?.wait ?? 0);
  assert.ok(early.some((wait) => wait > 0), `EarlyStopping's wait at the kills: ${early.join(', ')}`);
  const scheduled = kept.map((c) => c?.optimizer.scheduled);
  assert.ok(scheduled.includes(true) && scheduled.includes(false), `the schedule in use at the kills: ${scheduled.join(', ')}`);
});
