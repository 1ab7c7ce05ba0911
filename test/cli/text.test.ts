// nabla train --model text… → evaluate --data FILE.tsv → predict --text / FILE.txt, on a tiny
// labelled TSV made here (label decided by one word), and the errors around them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticSentiment } from '../models/text-synthetic.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-cli-text-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const names = ['negative', 'positive'];
/** A TSV `sentence<TAB>sentiment` with string labels, so the class names travel. */
function writeTsv(file: string, n: number, seed: number): void {
  const { texts, labels } = syntheticSentiment(n, seed);
  writeFileSync(file, ['sentence\tsentiment', ...texts.map((t, i) => `${t}\t${names[labels[i]!]}`)].join('\n') + '\n');
}
const trainFile = join(dir, 'train.tsv');
const testFile = join(dir, 'test.tsv');
writeTsv(trainFile, 400, 1);
writeTsv(testFile, 60, 2);
const model = join(dir, 'model');

test('train --model text → evaluate --data → plot --confusion --data → predict --text and FILE.txt', () => {
  const train = nabla('train', '--model', 'text', '--data', trainFile, '--label-column', 'sentiment', '--epochs', '2', '--batch-size', '16',
    '--max-tokens', '100', '--sequence-length', '12', '--embedding-dim', '16', '--seed', '1', '--lr', '0.005', '--out', model);
  assert.equal(train.code, 0, train.err);
  assert.match(train.out, /model text \(text-cnn, the best recipe on SST-2\), 2 epochs, batch 16, adam lr 0\.005, seed 1/);
  // by default 10 % of the distinct sentences are held out (no phrases in this file, none left out)
  assert.match(train.out, /data: 360 training and 40 validation texts \(10 % of the sentences, seed 1\), 2 classes\n/);
  const val = Number(/validation accuracy: ([\d.]+)%/.exec(train.out)![1]);
  assert.ok(val >= 85, `validation accuracy ${val}%`);
  const json = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as { metadata: Record<string, unknown> };
  assert.deepEqual(json.metadata.classNames, names);
  assert.deepEqual(json.metadata.text, { file: trainFile, labelColumn: 'sentiment' });

  const ev = nabla('evaluate', model, '--data', testFile);
  assert.equal(ev.code, 0, ev.err);
  assert.match(ev.out, new RegExp(`evaluate: ${model} on ${testFile} \\(60 texts\\)`));
  const acc = Number(/^accuracy: ([\d.]+)%/m.exec(ev.out)![1]);
  assert.ok(acc >= 85, `test accuracy ${acc}%`);
  const f1 = Number(/ f1: ([\d.]+)/.exec(ev.out)![1]);
  assert.ok(f1 >= 0.8 && f1 <= 1, `macro F1 ${f1} (compiled with metrics ['accuracy', 'f1'], kept in model.json)`);

  const svg = join(dir, 'confusion.svg');
  const plot = nabla('plot', '--confusion', model, '--data', testFile, '--out', svg);
  assert.equal(plot.code, 0, plot.err);
  assert.equal(plot.out, `wrote ${svg}\n`);
  const drawn = readFileSync(svg, 'utf8');
  assert.ok(drawn.includes('>negative<') && drawn.includes('>positive<'), 'the classes are named on the axes');
  assert.match(nabla('plot', '--confusion', model).err, /plot --confusion: .* holds a text classifier; give the labelled texts: nabla plot --confusion .* --data FILE\.tsv/);

  const one = nabla('predict', model, '--text', 'the film was wonderful');
  assert.equal(one.code, 0, one.err);
  assert.match(one.out, /^positive\t0\.\d{4}\n$/);
  const lines = join(dir, 'texts.txt');
  writeFileSync(lines, 'an awful plot\r\n\nthe music was great\n');
  const many = nabla('predict', model, lines);
  assert.equal(many.code, 0, many.err);
  const out = many.out.split('\n').slice(0, -1);
  assert.equal(out.length, 3, 'one line per input line, the empty one included');
  assert.match(out[0]!, /^negative\t0\.\d{4}$/);
  assert.match(out[2]!, /^positive\t0\.\d{4}$/);
});

test('a test file holding one class only, or named labels in another order, is scored by class name', () => {
  const only = join(dir, 'only-positive.tsv');
  writeFileSync(only, 'sentiment\tsentence\npositive\ta great film\npositive\tsuperb\n');
  const ev = nabla('evaluate', model, '--data', only);
  assert.equal(ev.code, 0, ev.err);
  assert.match(ev.out, /^accuracy: 100\.00%/m);
  const unknown = join(dir, 'unknown.tsv');
  writeFileSync(unknown, 'sentiment\tsentence\nneutral\ta film\n');
  assert.match(nabla('evaluate', model, '--data', unknown).err, /evaluate: .*unknown\.tsv has the label 'neutral', which is not one of the model's classes \(negative, positive, from .*model\.json\)/);
});

test('errors: no --data, --text on an image model, an image for a text model, a missing column', () => {
  assert.match(nabla('train', '--model', 'text-cnn').err, /train --model text: --data FILE\.tsv is required/);
  assert.match(nabla('train', '--model', 'text', '--data', trainFile, '--save', 'x').err, /--save was renamed --out/);
  assert.match(nabla('train', '--model', 'text', '--data', trainFile, '--split', 'phrase').err, /--split must be sentence or example, got 'phrase'/);
  assert.match(nabla('train', '--model', 'text', '--data', trainFile, '--text-column', 'review').err, /no text column \(looked for 'review' in the header; its columns are 'sentence', 'sentiment'\)/);
  assert.match(nabla('evaluate', model).err, /evaluate: .* holds a text classifier; give the labelled texts to test it on: nabla evaluate .* --data FILE\.tsv/);
  assert.match(nabla('predict', model, join(dir, 'x.png')).err, /predict: .* holds a text classifier, and .*x\.png is an image; give --text TEXT or a text file/);
  assert.match(nabla('predict', model, lines(), '--text', 'x').err, /predict: give either --text TEXT or an input file, not both/);

  // an image model: a tiny MLP saved by the library, with --text
  const image = join(dir, 'image-model');
  const script = `import * as nb from './src/index.js';
    const m = new nb.Sequential([new nb.layers.Dense(2, { activation: 'softmax' })], { inputShape: [4] });
    m.predict(nb.zeros([1, 4])); await m.save(${JSON.stringify(image)});`;
  const made = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const r = nabla('predict', image, '--text', 'a great film');
  assert.equal(r.code, 1);
  assert.match(r.err, /predict: .*image-model holds a model that takes inputs of shape \[4\] \(images or samples\), not texts; --text is for text classifiers/);
});

function lines(): string {
  const f = join(dir, 'one.txt');
  writeFileSync(f, 'a film\n');
  return f;
}

test('--split example holds out rows at random, as before', () => {
  const out = join(dir, 'rows');
  const r = nabla('train', '--model', 'text-bow', '--data', trainFile, '--label-column', 'sentiment', '--split', 'example', '--validation', '0.05',
    '--epochs', '1', '--max-tokens', '50', '--sequence-length', '8', '--embedding-dim', '8', '--seed', '1', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /data: 380 training and 20 validation texts \(5 % of the rows, seed 1\), 2 classes\n/);
});
