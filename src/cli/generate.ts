/**
 * `nabla generate DIR --prompt TEXT`: samples text from a character GPT saved by
 * `nabla train --model gpt` (its model.json, weights.safetensors and tokenizer.json).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CharTokenizer } from '../data/text/char-tokenizer.js';
import { loadModel } from '../model/save.js';
import { GPT } from '../models/gpt.js';
import { generate } from '../text/generate.js';
import { ValueError } from '../tensor/errors.js';
import { intOption } from './args.js';
import { parseCommand, type CliCommand } from './command.js';

const FLAGS = {
  prompt: { type: 'string', value: 'TEXT', help: 'the text to continue (default a newline)' },
  'max-new-tokens': { type: 'string', value: 'N', help: 'characters to add (default 500)' },
  temperature: { type: 'string', value: 'T', help: 'sampling temperature, 0 for greedy (default 0.8)' },
  'top-k': { type: 'string', value: 'K', help: 'sample among the K most probable characters only (default: all)' },
  'top-p': { type: 'string', value: 'P', help: 'sample among the most probable characters holding probability P (default 1: all)' },
  seed: { type: 'string', value: 'N', help: 'seed of the sampling (default 0)' },
  'no-cache': { type: 'boolean', help: 'recompute every position at each step instead of using the key/value cache (same text, slower)' },
} as const;

/** `nabla generate`. */
export const GENERATE_COMMAND: CliCommand<typeof FLAGS> = {
  name: 'generate',
  summary: 'sample text from a character GPT saved by nabla train --model gpt',
  synopsis: `  nabla generate DIR [--prompt TEXT] [--max-new-tokens 500] [--temperature 0.8] [--top-k 40]
                 [--top-p 1] [--seed 0] [--no-cache]`,
  flags: FLAGS,
  positionals: true,
  notes: `example:
  nabla generate char-gpt --prompt "ROMEO:" --max-new-tokens 300 --top-k 40`,
};

/** The usage line of `nabla generate`. */
const GENERATE_USAGE = GENERATE_COMMAND.synopsis;

function optionalNumber(value: string | undefined, flag: string, check: (n: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !check(n)) throw new ValueError(`--${flag} must be ${what}, got '${value}'`);
  return n;
}

/** Runs `nabla generate`; returns the text written (prompt and continuation). */
export function generateCommand(argv: string[]): string {
  const { values, positionals } = parseCommand(GENERATE_COMMAND, argv);
  const dir = positionals[0];
  if (dir === undefined) throw new ValueError(`generate: give the directory written by nabla train --model gpt\n${GENERATE_USAGE}`);
  const tokenizerPath = join(dir, 'tokenizer.json');
  if (!existsSync(join(dir, 'model.json')) || !existsSync(tokenizerPath)) {
    throw new ValueError(`generate: ${dir} does not hold a trained text model (model.json and tokenizer.json); train one with nabla train --model gpt --data FILE.txt --out ${dir}`);
  }
  const model = loadModel(dir);
  if (!(model instanceof GPT)) throw new ValueError(`generate: ${dir} holds a ${model.className}, not a GPT`);
  const tokenizer = CharTokenizer.load(tokenizerPath);
  const prompt = values.prompt ?? '\n';
  if (prompt === '') throw new ValueError('generate: --prompt is empty; give at least one character (the default is a newline)');
  for (const ch of prompt) {
    if (tokenizer.tokenToId(ch) === undefined) {
      const shown = /\p{C}/u.test(ch) ? JSON.stringify(ch) : `'${ch}'`;
      throw new ValueError(`generate: character ${shown} is not in the model's vocabulary of ${tokenizer.vocabSize} characters; use only characters of the text it was trained on`);
    }
  }
  const length = [...prompt].length;
  if (length > model.contextLength) {
    throw new ValueError(`generate: the prompt has ${length} characters, longer than the model's context of ${model.contextLength}; shorten it`);
  }
  const seed = optionalNumber(values.seed, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? 0;
  const text = generate(model, prompt, {
    tokenizer,
    maxNewTokens: intOption(values['max-new-tokens'], 'max-new-tokens', 500),
    temperature: optionalNumber(values.temperature, 'temperature', (n) => Number.isFinite(n) && n >= 0, 'a number >= 0 (0 is greedy)') ?? 0.8,
    topK: optionalNumber(values['top-k'], 'top-k', (n) => Number.isInteger(n) && n >= 1 && n <= tokenizer.vocabSize, `an integer from 1 to ${tokenizer.vocabSize}`),
    topP: optionalNumber(values['top-p'], 'top-p', (n) => n > 0 && n <= 1, 'in (0, 1]'),
    seed,
    useCache: values['no-cache'] !== true,
  });
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return text;
}
