/**
 * The one check every layer goes through (see DESIGN.md, "Layers use one runLayerTest helper"):
 * build on a sample input, weight names and shapes, config round trip through JSON, state-dict
 * save/load round trip, and one plain SGD step that lowers a loss.
 */
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { Layer, layerFromConfig, serializeLayer } from '../../src/nn/index.js';

export interface LayerTestSpec {
  /** A fresh, unbuilt layer (called several times: it must give the same config each time). */
  make: () => Layer;
  /** The sample input. */
  input: nb.Tensor;
  /** Output shape expected for `input`. */
  outputShape: number[];
  /** Every weight by path with its shape, in order, split by trainability. */
  trainable: Record<string, number[]>;
  nonTrainable?: Record<string, number[]>;
  /** Run the training step in training mode (default true). */
  trainingMode?: boolean;
}

/** A deep copy of a state dict (the original shares storage with the layer's weights). */
export function cloneStateDict(sd: Record<string, nb.Tensor>): Record<string, nb.Tensor> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, nb.tensor(v.data(), { shape: v.shape.slice() })]));
}

function assertSameValues(a: nb.Tensor, b: nb.Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shapes differ`);
  assert.deepEqual(Array.from(a.data()), Array.from(b.data()), `${what}: values differ`);
}

function loss(out: nb.Tensor, target: nb.Tensor): nb.Tensor {
  return nb.losses.meanSquaredError(target, out);
}

export function runLayerTest(spec: LayerTestSpec): void {
  const x = spec.input;
  const layer = spec.make();
  assert.equal(layer.built, false, 'a new layer is not built');

  // build on first apply; output shape agrees with computeOutputShape
  const out = layer.apply(x);
  assert.equal(layer.built, true, 'apply builds the layer');
  assert.deepEqual(out.shape, spec.outputShape, 'output shape');
  assert.deepEqual(layer.computeOutputShape(x.shape.slice()), spec.outputShape, 'computeOutputShape');

  // weight names, shapes and trainability
  const shapesOf = (pairs: [string, nb.Tensor][]) => Object.fromEntries(pairs.map(([n, t]) => [n, t.shape.slice()]));
  const nonTrainable = spec.nonTrainable ?? {};
  assert.deepEqual(shapesOf(layer.namedParameters()), spec.trainable, 'trainable weights');
  assert.deepEqual(
    shapesOf(layer.namedWeights().filter(([n]) => !(n in spec.trainable))),
    nonTrainable,
    'non-trainable weights',
  );
  assert.equal(layer.weights.length, Object.keys(spec.trainable).length + Object.keys(nonTrainable).length);
  assert.equal(layer.trainableWeights.length, Object.keys(spec.trainable).length);
  assert.equal(layer.nonTrainableWeights.length, Object.keys(nonTrainable).length);
  const count = (r: Record<string, number[]>) => Object.values(r).reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  assert.equal(layer.countParams(), count(spec.trainable) + count(nonTrainable), 'countParams');
  for (const p of layer.parameters()) assert.equal(p.requiresGrad, true);
  for (const w of layer.nonTrainableWeights) assert.equal(w.requiresGrad, false);

  // config round trip through JSON: same config, and the same output given the same weights
  const json = JSON.parse(JSON.stringify(serializeLayer(layer))) as ReturnType<typeof serializeLayer>;
  assert.equal(json.config.name, layer.name);
  assert.equal(json.config.trainable, true);
  const copy = layerFromConfig(json);
  assert.equal(copy.constructor, layer.constructor);
  assert.deepEqual(copy.getConfig(), layer.getConfig(), 'config round trip');
  copy.apply(x);
  copy.loadStateDict(layer.stateDict());
  assertSameValues(copy.apply(x), layer.apply(x), 'output of the layer rebuilt from its config');

  // state dict save/load into a fresh layer gives identical outputs
  const saved = cloneStateDict(layer.stateDict());
  const fresh = spec.make();
  fresh.apply(x);
  fresh.loadStateDict(saved);
  assertSameValues(fresh.apply(x), layer.apply(x), 'output after loadStateDict');

  // one SGD step lowers the loss on the sample batch
  const params = layer.parameters();
  if (params.length === 0) return;
  const training = spec.trainingMode ?? true;
  const target = nb.randn(out.shape.slice(), { generator: new nb.Generator(7) });
  const before = loss(layer.apply(x, training), target);
  before.backward();
  const lr = 0.05;
  nb.noGrad(() => {
    for (const p of params) {
      assert.ok(p.grad, 'every trainable weight gets a gradient');
      assert.deepEqual(p.grad.shape, p.shape, 'gradient shape');
      const next = p.sub(p.grad.mul(lr));
      p.storage.set(next.data());
      p.grad = null;
    }
  });
  const after = nb.noGrad(() => loss(layer.apply(x, training), target));
  assert.ok(after.item() < before.item(), `one SGD step lowers the loss (${before.item()} -> ${after.item()})`);
}
