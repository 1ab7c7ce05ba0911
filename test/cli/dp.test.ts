/**
 * `nabla train --dp`: the private recipe through the CLI on a thousand MNIST digits (the embedded
 * set): DP-SGD with the noise computed for --target-epsilon, ε logged per epoch and printed at the
 * end (at most the target), recorded in model.json; the errors of private training by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-dp-'));

test('nabla train --dp trains the dp-cnn privately for the target ε and reports it', () => {
  const out = join(dir, 'private');
  const r = nabla('train', '--data', 'mnist', '--dp', '--target-epsilon', '4', '--delta', '1e-4', '--limit', '1000', '--epochs', '3', '--batch-size', '100', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /nabla train: mnist, 3 epochs, batch 100, sgd lr 4, seed 0, model dp-cnn/);
  const sigma = nb.privacy.noiseMultiplierFor({ targetEpsilon: 4, delta: 1e-4, sampleRate: 0.1, steps: 30 });
  assert.match(r.out, new RegExp(`differential privacy: DP-SGD, Poisson batches \\(rate 0\\.100\\), clipping 0\\.12, noise multiplier ${sigma.toPrecision(4).replace('.', '\\.')} \\(for ε = 4\\), δ = 0\\.0001`));
  // ε after each epoch of 10 steps, as the accountant computes it
  const logged = [...r.out.matchAll(/epsilon: ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.equal(logged.length, 3);
  logged.forEach((e, k) => assert.ok(Math.abs(e - nb.privacy.computeEpsilon({ sampleRate: 0.1, noiseMultiplier: sigma, steps: 10 * (k + 1), delta: 1e-4 })) < 1e-4));
  const final = Number(/privacy: \(ε = ([\d.]+), δ = 0\.0001\)-differentially private/.exec(r.out)![1]);
  assert.ok(final <= 4 && final > 3.95, `final ε ${final}`);
  const acc = Number(/test accuracy: ([\d.]+)%/.exec(r.out)![1]);
  assert.ok(acc > 20, `test accuracy ${acc}% (chance 10%)`);
  const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { metadata: { privacy: { epsilon: number; delta: number; maxGradNorm: number; noiseMultiplier: number } } };
  assert.ok(Math.abs(meta.metadata.privacy.epsilon - final) < 1e-3);
  assert.equal(meta.metadata.privacy.delta, 1e-4);
  assert.equal(meta.metadata.privacy.maxGradNorm, 0.12);
  assert.ok(Math.abs(meta.metadata.privacy.noiseMultiplier - sigma) < 1e-9);
});

test('nabla train --dp errors: flags without --dp, batch norm, both noise flags, δ ≥ 1/n', () => {
  const out = join(dir, 'bad');
  let r = nabla('train', '--data', 'mnist', '--target-epsilon', '3', '--out', out);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /--target-epsilon sets differential privacy: add --dp/);
  r = nabla('train', '--data', 'mnist', '--dp', '--model', 'cnn', '--limit', '200', '--delta', '1e-4', '--out', out);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /BatchNormalization '.*' mixes the examples of a batch .* use GroupNormalization/);
  r = nabla('train', '--data', 'mnist', '--dp', '--target-epsilon', '3', '--noise-multiplier', '1', '--out', out);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /--target-epsilon and --noise-multiplier both set the noise: give one/);
  r = nabla('train', '--data', 'mnist', '--dp', '--limit', '200', '--delta', '0.01', '--out', out);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /privacy.delta = 0.01 is not below 1\/n = 0.00500 for 200 examples/);
});
