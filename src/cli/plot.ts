import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import * as nb from '../index.js';
import { confusionMatrix, history, parseHistory, PLOT_EXTENSIONS } from '../plot/index.js';
import { ValueError } from '../tensor/errors.js';
import { FormatError } from '../formats/errors.js';
import { jsonTreeProblem } from '../formats/json-tree.js';
import { intOption } from './args.js';
import { parseCommand, type CliCommand } from './command.js';
import { DATASETS, loadNamedData } from './data.js';
import { readModelTexts, takesTexts } from './text-model.js';
import { chooseDataset, readTrainedOn } from './trained-on.js';

const FLAGS = {
  out: { type: 'string', value: 'FILE|STEM|DIR', help: 'FILE.png or FILE.svg writes one file; a STEM (no extension) or a directory writes both (default: beside the input)' },
  metrics: { type: 'string', value: 'NAMES', help: 'the quantities to plot, comma-separated, one panel each (default: all, loss first)' },
  title: { type: 'string', value: 'T', help: "the heading (default 'Training history' or 'Confusion matrix')" },
  confusion: { type: 'boolean', help: "draw the confusion matrix of the model in DIR on its data set's test set" },
  data: { type: 'string', value: `${DATASETS.join('|')}|FILE.tsv`, help: 'with --confusion: the test set (default: the one the model was trained on, from its model.json); for a text classifier a labelled TSV/CSV file (required)' },
  'data-dir': { type: 'string', value: 'DIR', help: 'with --confusion: directory of the Fashion-MNIST IDX files' },
  normalize: { type: 'boolean', help: 'with --confusion: each row in % of its true class' },
  'batch-size': { type: 'string', value: 'N', help: 'with --confusion: samples per forward pass (default 512)' },
} as const;

/** `nabla plot`. */
export const PLOT_COMMAND: CliCommand<typeof FLAGS> = {
  name: 'plot',
  summary: 'draw training curves (history.json) or a confusion matrix as PNG and SVG',
  synopsis: `  nabla plot HISTORY.json|DIR [--out FILE.png|FILE.svg|STEM] [--metrics loss,accuracy] [--title T]
  nabla plot --confusion DIR [--data ${DATASETS.join('|')}|FILE.tsv] [--data-dir DIR] [--normalize] [--batch-size N]
             [--out …] [--title T]`,
  flags: FLAGS,
  positionals: true,
  notes: `Curves: epochs along x for nabla train's history.json, iterations for a GPT's.

examples:
  nabla plot nabla-model/history.json            # nabla-model/history.png and .svg
  nabla plot nabla-model --out curves.png --metrics accuracy
  nabla plot --confusion nabla-model --normalize  # nabla-model/confusion.png and .svg`,
};

const PLOT_USAGE = PLOT_COMMAND.synopsis;

/**
 * `nabla plot`: draws a training history (`history.json`, as `nabla train` saves next to the
 * model, or a model directory holding one) as training/validation curves, or with `--confusion`
 * a saved classifier's confusion matrix on the test set of the data it was trained on (or
 * `--data`), its classes named as that data set names them. By default both a PNG and an SVG
 * are written beside the input (`history.png`, `history.svg`; `DIR/confusion.png`, …); `--out`
 * names one file (`.png` or `.svg`) or a stem for both. Returns the paths written.
 *
 * @example
 * nabla plot nabla-model/history.json            # nabla-model/history.png and .svg
 * nabla plot nabla-model --out curves.png --metrics accuracy
 * nabla plot --confusion nabla-model --normalize
 */
export async function plotCommand(argv: string[]): Promise<string[]> {
  const { values, positionals } = parseCommand(PLOT_COMMAND, argv);
  const input = positionals[0];
  if (!input || positionals.length > 1) throw new ValueError(`plot: give one history.json file or model directory\n${PLOT_USAGE}`);
  if (!existsSync(input)) throw new ValueError(`plot: ${input} does not exist`);
  const isDir = statSync(input).isDirectory();
  const title = values.title === undefined ? {} : { title: values.title };

  if (values.confusion) {
    if (!isDir) throw new ValueError(`plot --confusion: give the model directory written by nabla train, got the file ${input}`);
    const model = nb.loadModel(input);
    const batchSize = intOption(values['batch-size'], 'batch-size', 512);
    const style = { normalize: values.normalize === true, ...title };
    if (takesTexts(model)) {
      if (values.data === undefined) throw new ValueError(`plot --confusion: ${input} holds a text classifier; give the labelled texts: nabla plot --confusion ${input} --data FILE.tsv`);
      const data = readModelTexts(model, input, values.data, {}, 'plot --confusion');
      const probs = model.predict(data.texts, { batchSize });
      const paths = outputPaths(values.out, join(input, 'confusion'));
      for (const path of paths) confusionMatrix(data.labels, probs, path, { classNames: data.classNames, ...style });
      return paths;
    }
    const name = chooseDataset('plot --confusion', input, readTrainedOn(model, input).dataset, values.data);
    const data = await loadNamedData(name, values['data-dir']);
    const probs = model.predict(data.test.x, { batchSize });
    const paths = outputPaths(values.out, join(input, 'confusion'));
    for (const path of paths) confusionMatrix(data.test.y, probs, path, { classNames: data.classNames, ...style });
    return paths;
  }

  const file = isDir ? join(input, 'history.json') : input;
  if (!existsSync(file)) throw new ValueError(`plot: ${input} holds no history.json (nabla train saves one next to the model)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ValueError(`plot: cannot read ${file} as JSON (${(e as Error).message})`);
  }
  const problem = jsonTreeProblem(parsed);
  if (problem !== null) throw new FormatError(`plot: ${file} ${problem}`);
  const h = parseHistory(parsed, file);
  const metrics = values.metrics?.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const paths = outputPaths(values.out, file.replace(/\.json$/i, ''));
  for (const path of paths) history(h, path, { ...(metrics ? { metrics } : {}), ...title });
  return paths;
}

/** Runs `nabla plot` and prints each path written, one a line. */
export async function runPlot(argv: string[]): Promise<void> {
  for (const path of await plotCommand(argv)) console.log(`wrote ${path}`);
}

/**
 * `--out x.png` → [x.png]; `--out x` (no extension) or the default stem → [x.png, x.svg];
 * `--out DIR` (an existing directory) → the default file names inside it.
 */
function outputPaths(out: string | undefined, defaultStem: string): string[] {
  let target = out ?? defaultStem;
  if (out !== undefined && existsSync(out) && statSync(out).isDirectory()) target = join(out, basename(defaultStem));
  else if (out !== undefined && extname(out) !== '') return [out];
  return PLOT_EXTENSIONS.map((ext) => target + ext);
}
