#!/usr/bin/env node
/**
 * The `nabla` command: train, evaluate and run models from a terminal. `nabla help` lists the
 * commands, `nabla COMMAND --help` explains one, `nabla --version` prints the version.
 */
import { VERSION } from '../info.js';
import { helpText, wantsHelp } from './command.js';
import { COMMANDS, type Runnable } from './commands.js';
import { TrainingInterrupted } from './interrupt.js';
import { isGptTrain } from './train-gpt.js';
import { isTextTrain } from './train-text.js';
import { isSpeechTrain } from './train-speech.js';
import { isSpeechCtcTrain } from './train-speech-ctc.js';

/** What `nabla help` prints. */
function usage(): string {
  return [
    'usage:',
    ...COMMANDS.map((c) => c.command.synopsis),
    '  nabla help [COMMAND] | nabla COMMAND --help | nabla --version',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.command.name.padEnd(18)} ${c.command.summary}`),
    '',
    'nabla COMMAND --help explains a command and each of its flags.',
  ].join('\n');
}

/** The command `nabla NAME ARGS…` runs (`train` is four: the image classifiers, the GPT, the text and the speech classifiers). */
function find(name: string, args: readonly string[]): Runnable | undefined {
  const full = name !== 'train' ? name : isGptTrain(args) ? 'train --model gpt' : isTextTrain(args) ? 'train --model text' : isSpeechTrain(args) ? 'train --model speech' : isSpeechCtcTrain(args) ? 'train --model speech-ctc' : name;
  return COMMANDS.find((c) => c.command.name === full);
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (name === undefined || name === '--help' || name === '-h') return void console.log(usage());
  if (name === '--version') return void console.log(VERSION);
  if (name === 'help') {
    const topic = rest[0] === undefined ? undefined : find(rest[0], rest.slice(1));
    if (rest[0] !== undefined && topic === undefined) throw new Error(`help: unknown command '${rest[0]}'\n${usage()}`);
    return void console.log(topic ? helpText(topic.command) : usage());
  }
  const cmd = find(name, rest);
  if (cmd === undefined) throw new Error(`unknown command '${name}'; nabla help lists the commands`);
  if (wantsHelp(rest)) return void console.log(helpText(cmd.command));
  await cmd.run(rest);
}

// output piped into a reader that stops early (`nabla predict DIR a/ | head`): stop quietly, as
// Unix tools do, instead of an unhandled EPIPE error and its stack
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main().catch((e: unknown) => {
  if (e instanceof TrainingInterrupted) {
    // the progress line may be unfinished on a terminal
    console.error(`${process.stdout.isTTY ? '\n' : ''}nabla: ${e.message}`);
    process.exit(130);
  }
  console.error(`nabla: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
