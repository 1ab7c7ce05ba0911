/**
 * `nabla train` keeps a checkpoint of every finished epoch under OUT/checkpoint: Ctrl-C (SIGINT)
 * stops the run between two batches and says which epoch was kept, nothing of the model is
 * written half-way, and `--resume` continues the run to exactly the result of an uninterrupted one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const env = { ...process.env, CI: 'true' };

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Runs nabla and sends SIGINT once stdout shows `when`; resolves with the exit code and output. */
function interruptWhen(when: RegExp, args: string[]): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { env });
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && when.test(out)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-resume-'));
// 90 training digits in batches of 10: 9 steps an epoch, quick enough for 40 epochs
const run = ['train', '--limit', '100', '--epochs', '40', '--batch-size', '10', '--seed', '4'];

test('Ctrl-C during nabla train says what was kept; --resume continues to the same result as an uninterrupted run', async () => {
  const out = join(dir, 'interrupted');
  const stopped = await interruptWhen(/^Epoch 2\/40 /m, [...run, '--out', out]);
  assert.equal(stopped.code, 130, `exit code (signal ${stopped.signal}); stderr: ${stopped.err}`);
  const m = /^nabla: interrupted (?:at epoch (\d+), batch (\d+)|before epoch (\d+)): the checkpoint of epoch (\d+) is in (.*); rerun the same command with --resume to continue from there$/m.exec(stopped.err);
  assert.ok(m, stopped.err);
  const running = Number(m[1] ?? m[3]);
  const kept = Number(m[4]);
  assert.equal(kept, running - 1, 'the checkpoint is of the last finished epoch');
  assert.ok(kept >= 2 && kept < 40, `kept epoch ${kept}`);
  assert.equal(m[5], join(out, 'checkpoint'));
  assert.match(stopped.out, new RegExp(`^Epoch ${kept}/40 `, 'm'));
  assert.doesNotMatch(stopped.out, new RegExp(`^Epoch ${kept + 1}/40 `, 'm'), 'no later epoch finished');
  // nothing of the model was written; the checkpoint is complete
  assert.ok(!existsSync(join(out, 'model.json')) && !existsSync(join(out, 'weights.safetensors')) && !existsSync(join(out, 'history.json')));
  assert.equal((JSON.parse(readFileSync(join(out, 'checkpoint', 'state', 'checkpoint.json'), 'utf8')) as { epoch: number }).epoch, kept);

  // starting afresh over it, or resuming with other settings, is refused
  const again = nabla(...run, '--out', out);
  assert.equal(again.code, 1);
  assert.match(again.err, new RegExp(`train: .*checkpoint holds an interrupted run \\(${kept} of 40 epochs finished\\); continue it with --resume, or remove .* to start afresh`));
  assert.match(nabla(...run, '--out', out, '--resume', '--lr', '0.01').err, /train --resume: --lr 0\.01 differs from the interrupted run's 0\.001 .*run\.json\); a resumed run keeps its settings/);

  const resumed = nabla(...run, '--out', out, '--resume');
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.out, new RegExp(`^resuming the run in .*checkpoint: ${kept} of 40 epochs were finished; continuing with epoch ${kept + 1}$`, 'm'));
  assert.match(resumed.out, new RegExp(`^Epoch ${kept + 1}/40 `, 'm'));
  assert.doesNotMatch(resumed.out, new RegExp(`^Epoch ${kept}/40 `, 'm'));
  assert.ok(!existsSync(join(out, 'checkpoint')), 'the checkpoint is removed once the model is saved');

  const straight = nabla(...run, '--out', join(dir, 'straight'));
  assert.equal(straight.code, 0, straight.err);
  // the best epoch kept and the test result, without the timing
  const result = (s: string) => s.split('\n').filter((l) => /^(kept the weights|test accuracy:)/.test(l)).map((l) => l.replace(/ {2}\(training took .*\)$/, ''));
  assert.match(result(resumed.out).join('\n'), /^test accuracy: \d+\.\d\d%  test loss: \d\.\d{4}$/m);
  assert.deepEqual(result(resumed.out), result(straight.out), 'same best epoch and test result as without the interruption');
  const history = (d: string) => JSON.parse(readFileSync(join(d, 'history.json'), 'utf8')) as { epoch: number[]; history: Record<string, number[]> };
  assert.deepEqual(history(out).epoch, Array.from({ length: 40 }, (_, i) => i));
  assert.deepEqual(history(out), history(join(dir, 'straight')), 'the history of all 40 epochs, equal to the uninterrupted one');
  assert.deepEqual(readFileSync(join(out, 'weights.safetensors')), readFileSync(join(dir, 'straight', 'weights.safetensors')));
});

test('--resume without an interrupted run, and a checkpoint folder holding other files, are refused', () => {
  const none = nabla(...run, '--out', join(dir, 'fresh'), '--resume');
  assert.equal(none.code, 1);
  assert.match(none.err, /train --resume: .*fresh\/checkpoint holds no interrupted run .*; leave out --resume to start a new run/);
  const foreign = join(dir, 'foreign');
  mkdirSync(join(foreign, 'checkpoint'), { recursive: true });
  writeFileSync(join(foreign, 'checkpoint', 'notes.txt'), 'mine');
  const r = nabla(...run, '--out', foreign);
  assert.match(r.err, /train: .*foreign\/checkpoint holds files nabla did not write \(notes\.txt\); move them away or choose another --out/);
  assert.equal(readFileSync(join(foreign, 'checkpoint', 'notes.txt'), 'utf8'), 'mine');
});
