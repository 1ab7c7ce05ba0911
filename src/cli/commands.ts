/**
 * Every `nabla` subcommand: its flags table and help (for `--help`, `nabla help` and the test
 * that each accepted flag is in the usage text) and the function that runs it.
 */
import { info } from '../info.js';
import type { CliCommand } from './command.js';
import { evaluate, EVALUATE_COMMAND } from './evaluate.js';
import { finetune, FINETUNE_COMMAND } from './finetune.js';
import { generateCommand, GENERATE_COMMAND } from './generate.js';
import { PLOT_COMMAND, runPlot } from './plot.js';
import { predict, PREDICT_COMMAND } from './predict.js';
import { train, TRAIN_COMMAND } from './train.js';
import { trainGpt, TRAIN_GPT_COMMAND } from './train-gpt.js';
import { trainText, TRAIN_TEXT_COMMAND } from './train-text.js';
import { trainSpeech, TRAIN_SPEECH_COMMAND } from './train-speech.js';
import { trainSpeechCtc, TRAIN_SPEECH_CTC_COMMAND } from './train-speech-ctc.js';
import { parseCommand } from './command.js';

/** `nabla info`. */
export const INFO_COMMAND: CliCommand<Record<string, never>> = {
  name: 'info',
  summary: 'print the version, backend, kernels, SIMD level and threads in use',
  synopsis: '  nabla info',
  flags: {},
  positionals: false,
};

function printInfo(argv: string[]): void {
  parseCommand(INFO_COMMAND, argv);
  for (const [k, v] of Object.entries(info())) console.log(`${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
}

/** A command and what runs it. */
export interface Runnable {
  readonly command: CliCommand;
  run(argv: string[]): Promise<unknown> | unknown;
}

/** The commands in the order `nabla help` lists them. */
export const COMMANDS: readonly Runnable[] = [
  { command: TRAIN_COMMAND, run: train },
  { command: TRAIN_GPT_COMMAND, run: trainGpt },
  { command: TRAIN_TEXT_COMMAND, run: trainText },
  { command: TRAIN_SPEECH_COMMAND, run: trainSpeech },
  { command: TRAIN_SPEECH_CTC_COMMAND, run: trainSpeechCtc },
  { command: EVALUATE_COMMAND, run: evaluate },
  { command: PREDICT_COMMAND, run: predict },
  { command: PLOT_COMMAND, run: runPlot },
  { command: GENERATE_COMMAND, run: generateCommand },
  { command: FINETUNE_COMMAND, run: finetune },
  { command: INFO_COMMAND, run: printInfo },
];
