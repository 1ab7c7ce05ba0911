/**
 * The `nabla` command explains itself: every command answers `--help` and `-h` with its flags,
 * every flag a command accepts is in its usage text, `nabla --version` prints package.json's
 * version, and flags that were renamed (`--save`, GPT's `--checkpoint`) say what they became.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../src/cli/commands.js';
import { helpText, parseCommand } from '../../src/cli/command.js';
import { parseTrainGpt } from '../../src/cli/train-gpt.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The `--flag` names written in a usage text. */
function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!));
}

test('every flag a command accepts is in its usage text, and the usage names no flag it refuses', () => {
  assert.deepEqual(COMMANDS.map((c) => c.command.name), ['train', 'train --model gpt', 'train --model text', 'train --model speech', 'train --model speech-ctc', 'evaluate', 'predict', 'plot', 'generate', 'finetune', 'info']);
  for (const { command } of COMMANDS) {
    const written = flagsIn(command.synopsis);
    for (const flag of Object.keys(command.flags)) assert.ok(written.has(flag), `nabla ${command.name}: --${flag} is accepted but missing from the usage text`);
    for (const flag of written) assert.ok(flag in command.flags || flag === 'model', `nabla ${command.name}: the usage text shows --${flag}, which it does not accept`);
    // and each accepted flag really parses
    for (const [flag, f] of Object.entries(command.flags)) {
      const { values } = parseCommand(command, f.type === 'boolean' ? [`--${flag}`] : [`--${flag}`, 'x']);
      assert.equal((values as Record<string, unknown>)[flag], f.type === 'boolean' ? true : 'x');
    }
  }
});

test('nabla COMMAND --help and -h print the command, its usage and every flag with its meaning', () => {
  for (const [args, name] of [[['train'], 'train'], [['train', '--model', 'gpt'], 'train --model gpt'], [['train', '--model', 'text-cnn'], 'train --model text'], [['train', '--model', 'speech'], 'train --model speech'], [['train', '--model', 'speech-ctc'], 'train --model speech-ctc'], [['evaluate'], 'evaluate'], [['predict'], 'predict'], [['plot'], 'plot'], [['generate'], 'generate'], [['finetune'], 'finetune'], [['info'], 'info']] as const) {
    const command = COMMANDS.find((c) => c.command.name === name)!.command;
    const help = nabla(...args, '--help');
    assert.equal(help.code, 0, `${name} --help: ${help.err}`);
    assert.equal(help.out, helpText(command) + '\n');
    assert.ok(help.out.startsWith(`nabla ${name}: `), help.out);
    for (const flag of Object.keys(command.flags)) assert.match(help.out, new RegExp(`^  --${flag}\\b`, 'm'), `${name} --help explains --${flag}`);
    assert.equal(nabla(...args, '-h').out, help.out, `${name} -h`);
  }
  const gpt = nabla('train', '--model', 'gpt', '--help').out;
  assert.match(gpt, /^ {2}--gradient-checkpointing +recompute activations/m);
  assert.match(gpt, /^ {2}--iters N +training steps \(default 2000\)/m);
  assert.match(nabla('train', '--help').out, /^ {2}--out DIR +where the model, history\.json/m);
});

test('nabla help lists every command; nabla help COMMAND is its --help; nabla --version is package.json\'s version', () => {
  const help = nabla('help');
  assert.equal(help.code, 0);
  for (const { command } of COMMANDS) {
    assert.ok(help.out.includes(command.synopsis), `nabla help shows the usage of ${command.name}`);
    assert.match(help.out, new RegExp(`^ {2}${command.name} +${command.summary.slice(0, 20).replace(/[()]/g, '\\$&')}`, 'm'));
  }
  assert.equal(nabla().out, help.out, 'nabla alone prints the same');
  assert.equal(nabla('help', 'evaluate').out, nabla('evaluate', '--help').out);
  assert.match(nabla('help', 'frobnicate').err, /help: unknown command 'frobnicate'/);

  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const v = nabla('--version');
  assert.equal(v.code, 0, v.err);
  assert.equal(v.out, `${version}\n`);
  assert.match(nabla('info').out, new RegExp(`^version: ${version.replace(/\./g, '\\.')}$`, 'm'), 'nabla info agrees');
});

test('one --out flag for every train model: --save and GPT\'s --checkpoint say what they were renamed to', () => {
  const save = nabla('train', '--save', 'dir');
  assert.equal(save.code, 1);
  assert.match(save.err, /^nabla: train: --save was renamed --out \(one flag for the output directory of every --model\): nabla train --out DIR$/m);
  assert.match(nabla('train', '--model', 'gpt', '--data', 'x.txt', '--save', 'dir').err, /train --model gpt: --save was renamed --out/);
  const checkpoint = nabla('train', '--model', 'gpt', '--data', 'x.txt', '--checkpoint');
  assert.equal(checkpoint.code, 1);
  assert.match(checkpoint.err, /train --model gpt: --checkpoint was renamed --gradient-checkpointing: it trades compute for memory and does not save or resume a run/);
  assert.match(nabla('train', '--model', 'gpt', '--data', 'x.txt', '--resume').err, /train --model gpt: --resume is for --model mlp\|cnn/);
  assert.equal(parseTrainGpt(['--model', 'gpt', '--data', 'x.txt', '--gradient-checkpointing', '--out', 'run']).gradientCheckpointing, true);
  assert.equal(parseTrainGpt(['--model', 'gpt', '--data', 'x.txt', '--out', 'run']).out, 'run');
  // a GPT flag given to the image classifiers, an unknown flag, a missing value, a stray argument
  assert.match(nabla('train', '--iters', '5').err, /^nabla: train: --iters is a flag of nabla train --model gpt; see nabla train --model gpt --help$/m);
  assert.match(nabla('evaluate', 'dir', '--bogus').err, /^nabla: evaluate: unknown option '--bogus'; see nabla evaluate --help$/m);
  assert.match(nabla('train', '--epochs').err, /train: --epochs needs a value: --epochs N/);
  assert.match(nabla('train', 'fashion').err, /train: unexpected argument 'fashion' \(it takes only --flags\)/);
  assert.match(nabla('info', '--keep-last').err, /^nabla: info: unknown option '--keep-last'/m);
});
