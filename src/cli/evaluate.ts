/**
 * `nabla evaluate DIR`: tests a saved classifier on the test set of the data it was trained on
 * (model.json records it), or of `--data`.
 */
import { loadModel } from '../model/save.js';
import { ValueError } from '../tensor/errors.js';
import { intOption } from './args.js';
import { parseCommand, type CliCommand } from './command.js';
import { DATASETS, loadNamedData } from './data.js';
import { formatResults } from './format.js';
import { chooseDataset, readTrainedOn } from './trained-on.js';

const FLAGS = {
  data: { type: 'string', value: DATASETS.join('|'), help: 'the test set (default: the data set the model was trained on, from its model.json)' },
  'data-dir': { type: 'string', value: 'DIR', help: 'directory of the Fashion-MNIST IDX files' },
  'batch-size': { type: 'string', value: 'N', help: 'samples per forward pass (default 512)' },
} as const;

/** `nabla evaluate`. */
export const EVALUATE_COMMAND: CliCommand<typeof FLAGS> = {
  name: 'evaluate',
  summary: "test a saved classifier on its data set's test set",
  synopsis: `  nabla evaluate DIR [--data ${DATASETS.join('|')}] [--data-dir DIR] [--batch-size N]`,
  flags: FLAGS,
  positionals: true,
  notes: `DIR is a directory written by nabla train. Prints the test accuracy and loss.

example:
  nabla evaluate fashion`,
};

/** Runs `nabla evaluate`; returns the loss and metrics. */
export async function evaluate(argv: string[]): Promise<Record<string, number>> {
  const { values, positionals } = parseCommand(EVALUATE_COMMAND, argv);
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) throw new ValueError(`evaluate: give one model directory: nabla evaluate DIR (see nabla evaluate --help)`);
  const model = loadModel(dir);
  const name = chooseDataset('evaluate', dir, readTrainedOn(model, dir).dataset, values.data);
  if (!model.loss) model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const { test } = await loadNamedData(name, values['data-dir']);
  const result = await model.evaluate(test.x, test.y, { batchSize: intOption(values['batch-size'], 'batch-size', 512) });
  console.log(`evaluate: ${dir} on the ${name} test set (${test.x.shape[0]} samples)`);
  console.log(formatResults(result));
  return result;
}
