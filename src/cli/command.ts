/**
 * What every `nabla` subcommand shares: one table of its flags (type, value placeholder, help
 * line) from which the parser options and the `--help` text are both made, the synopsis shown by
 * `nabla help`, and parse errors that say what to do (an unknown flag, a renamed one).
 */
import { parseArgs } from 'node:util';
import { ValueError } from '../tensor/errors.js';

/** One flag of a command. */
export interface Flag {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in the help (`N`, `DIR`, `mlp|cnn`); string flags only. */
  readonly value?: string;
  /** What the flag does, with its default. */
  readonly help: string;
}

/** A command's flags by name (without the leading `--`). */
export type Flags = Readonly<Record<string, Flag>>;

/** The parsed values of a flags table: strings for string flags, booleans for switches; absent when not given. */
export type FlagValues<F extends Flags> = { [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string };

/** A `nabla` subcommand: how it is called and what its flags mean. */
export interface CliCommand<F extends Flags = Flags> {
  /** How it is invoked after `nabla` (`train`, `train --model gpt`). */
  readonly name: string;
  /** One line for `nabla help`. */
  readonly summary: string;
  /** The usage lines, every flag of `flags` among them. */
  readonly synopsis: string;
  readonly flags: F;
  /** Whether the command takes positional arguments (a directory, a file). */
  readonly positionals: boolean;
  /** Flags it refuses with a reason, e.g. one that was renamed: `{ save: '--save was renamed --out …' }`. */
  readonly refused?: Readonly<Record<string, string>>;
  /** Paragraphs after the flags in `--help`: what it does, examples. */
  readonly notes?: string;
}

/** The lines `nabla COMMAND --help` prints. */
export function helpText(cmd: CliCommand): string {
  const rows: [string, string][] = Object.entries(cmd.flags).map(([name, f]) => [`--${name}${f.value ? ` ${f.value}` : ''}`, f.help]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.min(28, Math.max(...rows.map(([left]) => left.length)));
  const indent = ' '.repeat(width + 4);
  const options = rows.map(([left, help]) => {
    const lines = wrap(help, LINE - indent.length);
    const first = left.length > width ? `  ${left}\n${indent}${lines[0]}` : `  ${left.padEnd(width)}  ${lines[0]}`;
    return [first, ...lines.slice(1).map((l) => indent + l)].join('\n');
  });
  return [`nabla ${cmd.name}: ${cmd.summary}`, '', 'usage:', cmd.synopsis, '', 'options:', ...options, ...(cmd.notes ? ['', cmd.notes] : [])].join('\n');
}

/** The width help text is wrapped to. */
const LINE = 100;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** True when `argv` asks for help (`--help` or `-h` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * Parses `argv` by the command's flags table. Nothing gets a default here, so that the caller can
 * tell a flag left out from one given. An unknown flag, a refused one (renamed, or belonging to
 * another mode), a missing value or a stray argument raises a `ValueError` naming it and the fix.
 */
export function parseCommand<F extends Flags>(cmd: CliCommand<F>, argv: string[]): { values: FlagValues<F>; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, f] of Object.entries(cmd.flags)) options[name] = { type: f.type };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: cmd.positionals, strict: true });
    return { values: values as FlagValues<F>, positionals };
  } catch (e) {
    throw new ValueError(parseErrorMessage(cmd, e));
  }
}

/** Rewrites a `util.parseArgs` error in the command's words. */
function parseErrorMessage(cmd: CliCommand, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const more = `; see nabla ${cmd.name} --help`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'(-[^'=]*)/.exec(message)?.[1] ?? message;
    const reason = cmd.refused?.[flag.replace(/^--?/, '')];
    if (reason !== undefined) return `${cmd.name}: ${reason}`;
    return `${cmd.name}: unknown option '${flag}'${more}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(message)?.[1] ?? '';
    return `${cmd.name}: unexpected argument '${arg}' (it takes only --flags)${more}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /'(--[a-z0-9-]+)/.exec(message)?.[1];
    const f = flag === undefined ? undefined : cmd.flags[flag.slice(2)];
    if (f?.type === 'boolean') return `${cmd.name}: ${flag} is a switch and takes no value${more}`;
    if (f) return `${cmd.name}: ${flag} needs a value: ${flag} ${f.value ?? 'VALUE'} (one starting with '-' is written ${flag}=VALUE)${more}`;
  }
  return `${cmd.name}: ${message}${more}`;
}
