import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-gpt-cli-'));
const data = join(dir, 'text.txt');
writeFileSync(data, 'First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n'.repeat(30));
const out = join(dir, 'run');
const tiny = ['--iters', '30', '--context', '16', '--layers', '1', '--heads', '2', '--embd', '16', '--batch-size', '4', '--eval-interval', '10', '--eval-iters', '2', '--final-eval-iters', '3'];

test('nabla train --model gpt prints val_loss lines and saves model, tokenizer and history; nabla generate samples from it', () => {
  const r = nabla('train', '--model', 'gpt', '--data', data, ...tiny, '--out', out, '--seed', '7');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /nabla train: GPT 1 layers, 2 heads, 16 wide, context 16, vocabulary \d+ characters/);
  const evals = [...r.out.matchAll(/^iter (\d+) train_loss ([\d.]+) val_loss ([\d.]+)/gm)];
  assert.deepEqual(evals.map((m) => Number(m[1])), [0, 10, 20, 30]);
  assert.ok(Number(evals[3]![3]) < Number(evals[0]![3]), 'the validation loss went down');
  for (const f of ['model.json', 'weights.safetensors', 'tokenizer.json', 'history.json']) assert.ok(existsSync(join(out, f)), f);
  const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
  assert.deepEqual(history.iteration, [0, 10, 20, 30]);
  assert.deepEqual(history.epoch, [0, 1, 2, 3]);
  assert.equal(history.history.val_loss.length, 4);
  assert.equal(history.final.valLoss, history.history.val_loss[3]);
  // nabla plot draws it against the iteration, not as epochs
  const plot = nabla('plot', out, '--out', join(dir, 'gpt-loss.svg'), '--metrics', 'loss');
  assert.equal(plot.code, 0, plot.err);
  const svg = readFileSync(join(dir, 'gpt-loss.svg'), 'utf8');
  assert.ok(svg.includes('>iteration</text>') && !svg.includes('>epoch</text>'), 'x axis labelled iteration');
  assert.ok(svg.includes('>30</text>'), 'the last iteration is a tick');

  const g = nabla('generate', out, '--prompt', 'All:', '--max-new-tokens', '25', '--seed', '3');
  assert.equal(g.code, 0, g.err);
  assert.ok(g.out.startsWith('All:'), g.out);
  assert.equal([...g.out.trimEnd()].length <= 29 && g.out.length >= 25, true, JSON.stringify(g.out));
  assert.equal(nabla('generate', out, '--prompt', 'All:', '--max-new-tokens', '25', '--seed', '3').out, g.out, 'same seed, same text');
  const uncached = nabla('generate', out, '--prompt', 'All:', '--max-new-tokens', '25', '--seed', '3', '--no-cache');
  assert.equal(uncached.out, g.out, 'the cache does not change the text');
  const greedy = nabla('generate', out, '--prompt', 'A', '--max-new-tokens', '10', '--temperature', '0');
  assert.equal(greedy.code, 0, greedy.err);

  const bad = nabla('generate', out, '--prompt', 'Café');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /generate: character 'é' is not in the model's vocabulary of \d+ characters/);
  const long = nabla('generate', out, '--prompt', 'Speak, speak. Speak.');
  assert.match(long.err, /generate: the prompt has 20 characters, longer than the model's context of 16/);
  assert.match(nabla('generate', out, '--top-k', '0').err, /--top-k must be an integer from 1 to \d+, got '0'/);
  assert.match(nabla('generate', dir).err, /does not hold a trained text model/);
});

test('nabla train --model gpt: bad data and options are clear errors', () => {
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  const e = nabla('train', '--model', 'gpt', '--data', empty, ...tiny);
  assert.equal(e.code, 1);
  assert.match(e.err, /the text file '.*empty\.txt' is empty/);
  assert.match(nabla('train', '--model', 'gpt', '--data', join(dir, 'missing.txt')).err, /cannot read the text file '.*missing\.txt'/);
  assert.match(nabla('train', '--model', 'gpt').err, /give the text to learn with --data FILE\.txt/);
  const short = join(dir, 'short.txt');
  writeFileSync(short, 'abcdefghijklmnopqrstuvwxyz'.repeat(4));
  assert.match(
    nabla('train', '--model=gpt', '--data', short, '--context', '64').err,
    /the validation part of .*short\.txt has 11 characters, too few for --context 64; use a longer text or a smaller --context/,
  );
  assert.match(nabla('train', '--model', 'gpt', '--data', data, '--iters', '0').err, /--iters must be a positive integer, got '0'/);
});
