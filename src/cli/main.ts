#!/usr/bin/env node
/**
 * The `nabla` command: train, evaluate and run models from a terminal.
 *
 *   nabla train [--model mlp|cnn] [--data mnist|fashion-mnist] [--epochs N] [--batch-size N] [--lr X]
 *               [--optimizer adam|sgd|adamw|rmsprop|adagrad] [--seed N] [--save DIR]
 *   nabla evaluate DIR [--data …]
 *   nabla predict DIR FILE.png|FILE.jpg|FILE.csv [--top K]
 *   nabla plot HISTORY.json|DIR [--out FILE] | nabla plot --confusion DIR
 *   nabla finetune [--model FILE.onnx] [--train-size N] [--epochs N] …
 *   nabla info
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import * as nb from '../index.js';
import { intOption, numberOption } from './args.js';
import { DATASETS, loadNamedData } from './data.js';
import { classifierModel, MODELS } from './cnn.js';
import { readInputFile } from './image-input.js';
import { finetune, FINETUNE_USAGE } from './finetune.js';
import { PLOT_USAGE, runPlot } from './plot.js';
import { isGptTrain, trainGpt, TRAIN_GPT_USAGE } from './train-gpt.js';
import { generateCommand, GENERATE_USAGE } from './generate.js';

const USAGE = `usage:
  nabla train [--model mlp|cnn] [--data mnist|fashion-mnist] [--epochs N] [--batch-size N] [--lr X]
              [--optimizer adam|sgd|adamw|rmsprop|adagrad] [--seed N] [--save DIR] [--limit N]
              [--lr-schedule constant|cosine]
  nabla evaluate DIR [--data mnist|fashion-mnist]
  nabla predict DIR FILE.png|FILE.jpg|FILE.csv [--top K]
${TRAIN_GPT_USAGE}
${GENERATE_USAGE}
${PLOT_USAGE}
${FINETUNE_USAGE}
  nabla info`;

async function train(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: 'mnist' },
      'data-dir': { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string', default: 'adam' },
      seed: { type: 'string' },
      save: { type: 'string', default: 'nabla-model' },
      'keep-last': { type: 'boolean' },
      model: { type: 'string', default: 'mlp' },
      limit: { type: 'string' },
      'lr-schedule': { type: 'string', default: 'constant' },
    },
  });
  const data = values.data!;
  if (!(MODELS as readonly string[]).includes(values.model!)) throw new nb.ValueError(`--model must be one of ${[...MODELS, 'gpt'].join(', ')}, got '${values.model}'`);
  if (!(DATASETS as readonly string[]).includes(data)) throw new nb.ValueError(`--data must be one of ${DATASETS.join(', ')}, got '${data}'`);
  const epochs = intOption(values.epochs, 'epochs', data === 'mnist' ? 5 : 10);
  const batchSize = intOption(values['batch-size'], 'batch-size', values.model === 'cnn' ? 64 : 128);
  const lr = numberOption(values.lr, 'lr', 1e-3);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  nb.manualSeed(seed);
  console.log(`nabla train: ${data}, ${epochs} epochs, batch ${batchSize}, ${values.optimizer} lr ${lr}, seed ${seed}, model ${values.model} (backend ${nb.backend().name})`);
  const { train: full, test } = await loadNamedData(data, values['data-dir']);
  const limit = Math.min(intOption(values.limit, 'limit', full.x.shape[0]!), full.x.shape[0]!);
  const tr = limit < full.x.shape[0]! ? { x: full.x.slice([[0, limit]]), y: full.y.slice([[0, limit]]) } : full;
  console.log(`data: ${tr.x.shape[0]} training${limit < full.x.shape[0]! ? ` (the first of ${full.x.shape[0]}, --limit)` : ''} and ${test.x.shape[0]} test samples`);
  const model = classifierModel(values.model!);
  const steps = epochs * Math.ceil(Math.round(0.9 * tr.x.shape[0]!) / batchSize);
  const learningRate = learningRateOption(values['lr-schedule']!, lr, steps);
  if (typeof learningRate !== 'number') console.log(`learning rate: cosine decay from ${lr} to 0 over ${steps} steps`);
  model.compile({ optimizer: nb.optim.getOptimizer(values.optimizer!, { learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const t0 = performance.now();
  // keep the weights of the epoch with the best validation accuracy (the held-out 10%, never the test set)
  const best = new nb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: Infinity, restoreBestWeights: values['keep-last'] !== true });
  const history = await model.fit(tr.x, tr.y, { epochs, batchSize, validationSplit: 0.1, seed, callbacks: [best] });
  const seconds = (performance.now() - t0) / 1000;
  if (best.restoredEpoch >= 0) console.log(`kept the weights of epoch ${best.restoredEpoch + 1} (best val_accuracy ${best.bestValue.toFixed(4)}); --keep-last keeps the last epoch's`);
  const result = await model.evaluate(test.x, test.y, { batchSize: 512 });
  console.log(`test accuracy: ${(100 * (result.accuracy ?? NaN)).toFixed(2)}%  test loss: ${result.loss!.toFixed(4)}  (training took ${seconds.toFixed(1)} s)`);
  await model.save(values.save!);
  nb.io.writeFileAtomic(`${values.save}/history.json`, JSON.stringify(history.toJSON()) + '\n');
  console.log(`model saved to ${values.save}/ (model.json, weights.safetensors, history.json)`);
}

/**
 * `--lr-schedule`: `constant` keeps `lr`; `cosine` decays it to 0 along a half cosine over all
 * `steps` of the run (Loshchilov & Hutter's SGDR without restarts).
 */
function learningRateOption(name: string, lr: number, steps: number): number | nb.optim.LearningRateSchedule {
  if (name === 'constant') return lr;
  if (name === 'cosine') return nb.optim.cosineDecay({ initialLearningRate: lr, decaySteps: steps });
  throw new nb.ValueError(`--lr-schedule must be constant or cosine, got '${name}'`);
}

async function evaluate(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { data: { type: 'string', default: 'mnist' }, 'data-dir': { type: 'string' } } });
  const dir = positionals[0];
  if (!dir) throw new nb.ValueError(`evaluate: give the model directory\n${USAGE}`);
  const model = nb.loadModel(dir);
  if (!model.loss) model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const { test } = await loadNamedData(values.data!, values['data-dir']);
  const result = await model.evaluate(test.x, test.y, { batchSize: 512 });
  console.log(Object.entries(result).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join('  '));
}

async function predict(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { top: { type: 'string' } } });
  const [dir, file] = positionals;
  if (!dir || !file) throw new nb.ValueError(`predict: give the model directory and an input file\n${USAGE}`);
  const model = nb.loadModel(dir);
  if (!model.sampleInputShape) throw new nb.ValueError(`predict: ${dir}/model.json does not record the input shape`);
  const x = readInputFile(file, model.sampleInputShape);
  const probs = model.predict(x);
  const k = intOption(values.top, 'top', 3);
  const rows = probs.toArray() as number[][];
  rows.forEach((row, i) => {
    const top = row.map((p, c) => [c, p] as const).sort((a, b) => b[1] - a[1]).slice(0, k);
    const label = rows.length > 1 ? `sample ${i + 1}: ` : '';
    console.log(label + top.map(([c, p]) => `class ${c} (${(100 * p).toFixed(1)}%)`).join(', '));
  });
}

function info(): void {
  const i = nb.info();
  for (const [k, v] of Object.entries(i)) console.log(`${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'train':
      if (isGptTrain(rest)) return void (await trainGpt(rest));
      return train(rest);
    case 'generate':
      return void generateCommand(rest);
    case 'evaluate':
      return evaluate(rest);
    case 'predict':
      return predict(rest);
    case 'finetune':
      return finetune(rest);
    case 'info':
      return info();
    case 'plot':
      return runPlot(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new nb.ValueError(`unknown command '${command}'\n${USAGE}`);
  }
}

main().catch((e: unknown) => {
  console.error(`nabla: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
