/**
 * `nabla train --model text|text-cnn|text-lstm|text-transformer|text-bow --data FILE.tsv`: trains
 * a text classifier recipe of `nb.models` on a labelled TSV/CSV, holds out a seeded part for
 * validation (printed as accuracy), keeps the weights of the best validation epoch and saves the
 * model — which takes raw strings — with its class names for `nabla evaluate` and `predict`.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as nb from '../index.js';
import { intOption, numberOption } from './args.js';
import { parseCommand, type CliCommand, type FlagValues } from './command.js';
import { formatResults } from './format.js';
import { textTrainedOnMetadata } from './trained-on.js';

/** The text recipes `--model` names; `text` is the best one (the README's SST-2 recipe). */
export const TEXT_MODELS = ['text', 'text-cnn', 'text-lstm', 'text-transformer', 'text-bow'] as const;
type TextModel = (typeof TEXT_MODELS)[number];

/** Whether `nabla train ARGV` trains a text classifier (`--model text…`). */
export function isTextTrain(argv: readonly string[]): boolean {
  const model = argv.find((a, i) => a.startsWith('--model=') || (i > 0 && argv[i - 1] === '--model'));
  const name = model?.replace(/^--model=/, '');
  return name !== undefined && (TEXT_MODELS as readonly string[]).includes(name);
}

/** The flags of `nabla train --model text…`. */
export const TEXT_FLAGS = {
  model: { type: 'string', value: TEXT_MODELS.join('|'), help: 'text: the best recipe on SST-2, Kim\'s CNN (the README command); text-bow: fastText bag of embeddings with bigrams (fast); text-cnn: Kim\'s CNN (widths 3, 4, 5); text-lstm: a BiLSTM with max pooling; text-transformer: a small transformer encoder' },
  data: { type: 'string', value: 'FILE.tsv', help: 'labelled texts: a TSV or CSV with a header line (required)' },
  'text-column': { type: 'string', value: 'NAME', help: 'the column of the texts (default: sentence, else text)' },
  'label-column': { type: 'string', value: 'NAME', help: 'the column of the labels (default label): class numbers 0, 1, … or names' },
  validation: { type: 'string', value: 'X', help: 'fraction held out for validation, chosen with --seed (default 0.1)' },
  split: { type: 'string', value: 'HOW', help: "sentence (default): hold out whole sentences and keep their phrases out of training; example: rows at random" },
  epochs: { type: 'string', value: 'N', help: 'epochs to train (default 3)' },
  'batch-size': { type: 'string', value: 'N', help: 'texts per step (default 64)' },
  lr: { type: 'string', value: 'X', help: 'learning rate of Adam (default 0.005 for text-bow, else 0.001)' },
  'max-tokens': { type: 'string', value: 'N', help: 'vocabulary size, learned from the training texts (default 20000)' },
  'sequence-length': { type: 'string', value: 'N', help: 'tokens per text: longer texts are cut, shorter padded (default 48)' },
  'embedding-dim': { type: 'string', value: 'N', help: 'width of the token embeddings (default 64)' },
  seed: { type: 'string', value: 'N', help: 'seed of the validation split, the weights, shuffling and dropout (default 0)' },
  out: { type: 'string', value: 'DIR', help: 'where the model and history.json are written (default nabla-text-model)' },
} as const;

/** `nabla train --model text…`. */
export const TRAIN_TEXT_COMMAND: CliCommand<typeof TEXT_FLAGS> = {
  name: 'train --model text',
  summary: 'train a text classifier on a labelled TSV/CSV file and save it',
  synopsis: `  nabla train --model ${TEXT_MODELS.join('|')} --data FILE.tsv [--text-column NAME]
              [--label-column NAME] [--validation 0.1] [--split sentence|example] [--epochs N] [--batch-size N] [--lr X]
              [--max-tokens N] [--sequence-length N] [--embedding-dim N] [--seed N] [--out DIR]`,
  flags: TEXT_FLAGS,
  positionals: false,
  refused: {
    save: '--save was renamed --out (one flag for the output directory of every --model): nabla train --model text --out DIR',
    resume: '--resume is for --model mlp|cnn: a text run keeps no checkpoint between epochs yet',
    'keep-last': '--keep-last is for --model mlp|cnn; a text model keeps the weights of its best validation epoch',
  },
  notes: `Holds out --validation of the sentences (seeded) and prints the validation accuracy after training,
keeping the weights of the best validation epoch. DIR/model.json holds the vocabulary and the class
names, so nabla evaluate DIR --data FILE.tsv and nabla predict DIR --text "…" take raw text.

example:
  nabla train --model text --data ../shared/data/sst2/train.tsv --out sst2`,
};

interface TextSettings {
  model: TextModel;
  data: string;
  validation: number;
  split: 'sentence' | 'example';
  epochs: number;
  batchSize: number;
  lr: number;
  maxTokens: number;
  sequenceLength: number;
  embeddingDim: number;
  seed: number;
}

function settings(v: FlagValues<typeof TEXT_FLAGS>): TextSettings {
  const model = v.model as TextModel;
  if (v.data === undefined) throw new nb.ValueError('train --model text: --data FILE.tsv is required (a TSV or CSV with a header line and text and label columns)');
  const validation = numberOption(v.validation, 'validation', 0.1);
  const split = v.split ?? 'sentence';
  if (split !== 'sentence' && split !== 'example') throw new nb.ValueError(`--split must be sentence or example, got '${split}'`);
  if (!(validation < 1)) throw new nb.ValueError(`--validation must be a fraction in (0, 1), got '${v.validation}'`);
  const seed = v.seed === undefined ? 0 : Number(v.seed);
  if (v.seed !== undefined && (v.seed.trim() === '' || !Number.isInteger(seed) || seed < 0)) throw new nb.ValueError(`--seed must be a non-negative integer, got '${v.seed}'`);
  const fast = model === 'text-bow';
  return {
    model, data: v.data, validation, split, seed,
    epochs: intOption(v.epochs, 'epochs', 3),
    batchSize: intOption(v['batch-size'], 'batch-size', 64),
    lr: numberOption(v.lr, 'lr', fast ? 5e-3 : 1e-3),
    maxTokens: intOption(v['max-tokens'], 'max-tokens', 20000),
    sequenceLength: intOption(v['sequence-length'], 'sequence-length', 48),
    embeddingDim: intOption(v['embedding-dim'], 'embedding-dim', 64),
  };
}

function buildModel(s: TextSettings, texts: string[], classes: number): nb.Sequential {
  const base = { classes, texts, maxTokens: s.maxTokens, sequenceLength: s.sequenceLength, embeddingDim: s.embeddingDim };
  switch (s.model) {
    case 'text':
    case 'text-cnn': return nb.models.textCNN(base);
    case 'text-lstm': return nb.models.textRNN({ ...base, cell: 'lstm' });
    case 'text-transformer': return nb.models.textTransformer(base);
    case 'text-bow': return nb.models.textBagOfEmbeddings(base);
  }
}

/** Runs `nabla train --model text…`; returns the validation loss and accuracy. */
export async function trainText(argv: string[]): Promise<Record<string, number>> {
  const { values } = parseCommand(TRAIN_TEXT_COMMAND, argv);
  const s = settings(values);
  const out = values.out ?? 'nabla-text-model';
  const columns = { textColumn: values['text-column'], labelColumn: values['label-column'] };
  const data = nb.datasets.textTable(s.data, columns);
  const { train, val } = nb.datasets.trainValSplit(data, { validation: s.validation, seed: s.seed, by: s.split });
  const recipe = s.model === 'text' ? ' (text-cnn, the best recipe on SST-2)' : '';
  console.log(`nabla train: ${s.data}, model ${s.model}${recipe}, ${s.epochs} epochs, batch ${s.batchSize}, adam lr ${s.lr}, seed ${s.seed} (backend ${nb.backend().name})`);
  const left = data.texts.length - train.texts.length - val.texts.length;
  const held = s.split === 'sentence' ? `${Math.round(100 * s.validation)} % of the sentences` : `${Math.round(100 * s.validation)} % of the rows`;
  const dropped = left > 0 ? `; ${left} phrases found only in held-out sentences left out` : '';
  console.log(`data: ${train.texts.length} training and ${val.texts.length} validation texts (${held}, seed ${s.seed}${dropped}), ${data.classNames.length} classes`);
  nb.manualSeed(s.seed);
  const model = buildModel(s, train.texts, data.classNames.length);
  // macro F1 beside accuracy: on unbalanced classes accuracy alone flatters a classifier
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: s.lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'f1'] });
  const best = new nb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: s.epochs, restoreBestWeights: true });
  const t0 = performance.now();
  // batches of similar lengths, each cut to its longest text: SST-2's rows are mostly short
  // phrases, which would otherwise pay for --sequence-length steps each (the masks make the
  // result the same as with full padding)
  const ids = (model.layers[0] as nb.layers.TextVectorization).encodeTexts(train.texts);
  const batches = new nb.DataLoader([ids, train.labels], {
    batchSize: s.batchSize, shuffle: true, seed: s.seed, lengths: nb.data.sequenceLengths(ids), padToLongest: true,
  });
  const history = await model.fit(batches, { epochs: s.epochs, validationData: [val.texts, val.labels], callbacks: [best] });
  const seconds = (performance.now() - t0) / 1000;
  const accuracies = history.history['val_accuracy'] ?? [];
  const bestEpoch = accuracies.indexOf(Math.max(...accuracies));
  if (bestEpoch >= 0 && bestEpoch < accuracies.length - 1) console.log(`kept the weights of epoch ${bestEpoch + 1}, the best on validation`);
  const result = await model.evaluate(val.texts, val.labels, { batchSize: 512 });
  console.log(`${formatResults(result, 'validation ')}  (training took ${seconds.toFixed(1)} s)`);
  model.metadata = textTrainedOnMetadata(s.data, data.classNames, columns);
  await model.save(out);
  nb.io.writeFileAtomic(join(out, 'history.json'), JSON.stringify(history) + '\n');
  console.log(`model saved to ${out}/ (model.json with the vocabulary and class names, weights.safetensors, history.json)`);
  return result;
}
