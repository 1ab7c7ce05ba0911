import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { rdpSampledGaussian } from '../../src/privacy/accountant.js';

const tutorial = { sampleRate: 256 / 60000, noiseMultiplier: 1.1, steps: Math.ceil((60 * 60000) / 256), delta: 1e-5 };

test("classic conversion reproduces TF Privacy's MNIST tutorial: ε ≈ 3.01 (batch 256 of 60,000, noise 1.1, 60 epochs, δ = 1e-5)", () => {
  const classic = nb.privacy.privacySpent({ ...tutorial, conversion: 'classic' });
  assert.ok(Math.abs(classic.epsilon - 3.01) < 0.005, `classic ε = ${classic.epsilon}`);
  // Balle et al.'s conversion is tighter on the same RDP curve
  const balle = nb.privacy.computeEpsilon(tutorial);
  assert.ok(balle < classic.epsilon - 0.3 && balle > 2.5, `Balle ε = ${balle}`);
  assert.ok(Math.abs(balle - 2.5967) < 1e-3, `Balle ε = ${balle}`);
});

test('the fractional-order series equals the integer-order sum at integer orders', () => {
  for (const [q, sigma] of [[0.01, 1.1], [0.004, 0.8], [0.1, 2], [0.5, 4], [0.02, 0.6]] as const) {
    for (const alpha of [2, 3, 5, 8, 16, 32]) {
      const a = rdpSampledGaussian(q, sigma, alpha);
      const b = rdpSampledGaussian(q, sigma, alpha, 'fractional');
      assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(a) + 1e-15, `q=${q} σ=${sigma} α=${alpha}: ${a} vs ${b}`);
    }
  }
});

/** A_α = E_{z~N(0,σ²)}[((1−q) + q·e^((2z−1)/(2σ²)))^α] by Simpson's rule: an independent reference. */
function rdpByQuadrature(q: number, sigma: number, alpha: number): number {
  const lo = -30 * sigma, hi = alpha + 30 * sigma, n = 200_000, h = (hi - lo) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const z = lo + i * h;
    const f = Math.exp(-(z * z) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI)) * Math.pow(1 - q + q * Math.exp((2 * z - 1) / (2 * sigma * sigma)), alpha);
    s += f * (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2);
  }
  return Math.log((s * h) / 3) / (alpha - 1);
}

test('RDP at fractional orders equals numerical integration of the mixture', () => {
  for (const [q, sigma, alpha] of [[0.01, 1.1, 2.5], [0.05, 1.5, 7.3], [0.004, 0.9, 12.7], [0.2, 3, 1.5], [0.01, 1, 1.1]] as const) {
    const want = rdpByQuadrature(q, sigma, alpha);
    const got = rdpSampledGaussian(q, sigma, alpha);
    assert.ok(Math.abs(got - want) <= 1e-6 * want, `q=${q} σ=${sigma} α=${alpha}: ${got} vs quadrature ${want}`);
  }
});

test('q = 1 is the Gaussian mechanism, α/(2σ²); q = 0 costs nothing; ε grows with steps and falls with noise', () => {
  assert.equal(rdpSampledGaussian(1, 2, 3), 3 / 8);
  // no RDP left: what remains is the conversion term at the largest order, log(255/256) + (log(1/δ) − log 256)/255
  assert.ok(Math.abs(nb.privacy.computeEpsilon({ ...tutorial, sampleRate: 1e-300 }) - (Math.log(255 / 256) + (Math.log(1e5) - Math.log(256)) / 255)) < 1e-9);
  assert.equal(nb.privacy.computeEpsilon({ ...tutorial, steps: 0 }), 0);
  const e1 = nb.privacy.computeEpsilon(tutorial);
  assert.ok(nb.privacy.computeEpsilon({ ...tutorial, steps: 2 * tutorial.steps }) > e1);
  assert.ok(nb.privacy.computeEpsilon({ ...tutorial, noiseMultiplier: 1.5 }) < e1);
});

test('noiseMultiplierFor: the ε it implies is within 1 % of the target, and at most the target', () => {
  for (const [targetEpsilon, sampleRate, steps] of [[3, 256 / 60000, 14063], [1, 0.01, 1000], [8, 0.02, 5000], [0.5, 0.001, 2000]] as const) {
    const sigma = nb.privacy.noiseMultiplierFor({ targetEpsilon, delta: 1e-5, sampleRate, steps });
    const eps = nb.privacy.computeEpsilon({ noiseMultiplier: sigma, delta: 1e-5, sampleRate, steps });
    assert.ok(eps <= targetEpsilon && eps >= 0.99 * targetEpsilon, `target ${targetEpsilon}: σ = ${sigma} gives ε = ${eps}`);
  }
});

test('accountant errors name the setting and the fix', () => {
  assert.throws(() => nb.privacy.computeEpsilon({ ...tutorial, sampleRate: 0 }), /sampleRate must be a number in \(0, 1\], got 0 \(it is batch size \/ dataset size\)/);
  assert.throws(() => nb.privacy.computeEpsilon({ ...tutorial, sampleRate: 1.5 }), /sampleRate must be a number in \(0, 1\]/);
  assert.throws(() => nb.privacy.computeEpsilon({ ...tutorial, delta: 1 }), /delta must be a number in \(0, 1\)/);
  assert.throws(() => nb.privacy.computeEpsilon({ ...tutorial, steps: 1.5 }), /steps must be an integer/);
  assert.throws(() => nb.privacy.computeEpsilon({ ...tutorial, noiseMultiplier: -1 }), /noiseMultiplier must be a finite number ≥ 0/);
  assert.throws(() => nb.privacy.computeEpsilon({ ...tutorial, orders: [0.5] }), /orders must be a non-empty array of Rényi orders > 1/);
  assert.throws(() => nb.privacy.noiseMultiplierFor({ targetEpsilon: 1e-4, delta: 1e-5, sampleRate: 1, steps: 1e6 }),
    /ε = 0.0001 is out of reach .* raise the target, take fewer steps, a smaller sample rate or a larger δ/);
});
