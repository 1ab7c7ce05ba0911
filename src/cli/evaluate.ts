/**
 * `nabla evaluate DIR`: tests a saved classifier on the test set of the data it was trained on
 * (model.json records it), or of `--data`; a text classifier on the labelled file `--data FILE`.
 */
import { loadModel } from '../model/save.js';
import { ValueError } from '../tensor/errors.js';
import { intOption } from './args.js';
import { parseCommand, type CliCommand } from './command.js';
import { DATASETS, loadNamedData } from './data.js';
import { formatResults } from './format.js';
import { evaluateTextFile, takesTexts } from './text-model.js';
import { evaluateSpeechFolder, takesWaveforms } from './speech-model.js';
import { chooseDataset, readTrainedOn } from './trained-on.js';

const FLAGS = {
  data: { type: 'string', value: `${DATASETS.join('|')}|FILE.tsv|DIR`, help: 'the test set (default: the data set the model was trained on, from its model.json); for a text classifier a labelled TSV/CSV file, for a speech classifier a folder of labelled WAV clips (required)' },
  'text-column': { type: 'string', value: 'NAME', help: 'text classifiers: the column of the texts (default: the one it was trained on)' },
  'label-column': { type: 'string', value: 'NAME', help: 'text classifiers: the column of the labels (default: the one it was trained on)' },
  'data-dir': { type: 'string', value: 'DIR', help: 'directory of the Fashion-MNIST IDX files' },
  'batch-size': { type: 'string', value: 'N', help: 'samples per forward pass (default 512)' },
} as const;

/** `nabla evaluate`. */
export const EVALUATE_COMMAND: CliCommand<typeof FLAGS> = {
  name: 'evaluate',
  summary: "test a saved classifier on its data set's test set",
  synopsis: `  nabla evaluate DIR [--data ${DATASETS.join('|')}|FILE.tsv|DIR] [--data-dir DIR] [--text-column NAME]
              [--label-column NAME] [--batch-size N]`,
  flags: FLAGS,
  positionals: true,
  notes: `DIR is a directory written by nabla train. Prints the test accuracy and loss. A text
classifier (nabla train --model text…) is tested on --data FILE.tsv, a labelled file with the
same columns as the one it was trained on; labels are matched to its classes by name. A speech
classifier (nabla train --model speech) is tested on --data DIR, WAV clips laid out as for
training (a folder per class or {label}_….wav), resampled to its rate.

examples:
  nabla evaluate fashion
  nabla evaluate sst2 --data held-out.tsv
  nabla evaluate digits --data ../shared/data/fsdd`,
};

/** Runs `nabla evaluate`; returns the loss and metrics. */
export async function evaluate(argv: string[]): Promise<Record<string, number>> {
  const { values, positionals } = parseCommand(EVALUATE_COMMAND, argv);
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) throw new ValueError(`evaluate: give one model directory: nabla evaluate DIR (see nabla evaluate --help)`);
  const model = loadModel(dir);
  const batchSize = intOption(values['batch-size'], 'batch-size', 512);
  if (takesTexts(model)) {
    if (!model.loss) model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const file = values.data;
    if (file === undefined) throw new ValueError(`evaluate: ${dir} holds a text classifier; give the labelled texts to test it on: nabla evaluate ${dir} --data FILE.tsv`);
    const { result, count } = await evaluateTextFile(model, dir, file, { textColumn: values['text-column'], labelColumn: values['label-column'] }, batchSize);
    console.log(`evaluate: ${dir} on ${file} (${count} texts)`);
    console.log(formatResults(result, ''));
    return result;
  }
  if (takesWaveforms(model)) {
    if (!model.loss) model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    if (values.data === undefined) throw new ValueError(`evaluate: ${dir} holds a speech classifier; give a folder of labelled WAV clips to test it on: nabla evaluate ${dir} --data DIR`);
    const { result, count } = await evaluateSpeechFolder(model, dir, values.data, batchSize);
    console.log(`evaluate: ${dir} on ${values.data} (${count} clips)`);
    console.log(formatResults(result, ''));
    return result;
  }
  for (const flag of ['text-column', 'label-column'] as const) {
    if (values[flag] !== undefined) throw new ValueError(`evaluate: --${flag} is for text classifiers; ${dir} takes images`);
  }
  const name = chooseDataset('evaluate', dir, readTrainedOn(model, dir).dataset, values.data);
  if (!model.loss) model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const { test } = await loadNamedData(name, values['data-dir']);
  const result = await model.evaluate(test.x, test.y, { batchSize });
  console.log(`evaluate: ${dir} on the ${name} test set (${test.x.shape[0]} samples)`);
  console.log(formatResults(result));
  return result;
}
