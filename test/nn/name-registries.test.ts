// The seven name registries (activations, initializers, regularizers, losses, optimizers, metrics,
// layer classes) share one case rule, one error form and the refusal of the names every
// JavaScript object has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { getActivation, getInitializer, getRegularizer, layerFromConfig, registerActivation, registerInitializer, registerLayer } from '../../src/nn/index.js';
import { registerRegularizer } from '../../src/nn/regularizers.js';
import { getMetric } from '../../src/model/metrics.js';
import { getOptimizer } from '../../src/optim/index.js';

interface Case {
  kind: string;
  /** Looks a name up and says what it found, comparably. */
  find: (name: string) => unknown;
  /** One name as registered, then in two other spellings (camelCase, snake_case, PascalCase). */
  spellings: [string, string, string];
  register?: (name: string) => void;
}

const className = (x: { className: string }) => x.className;
const CASES: Case[] = [
  { kind: 'activation', find: getActivation, spellings: ['leakyRelu', 'leaky_relu', 'LeakyRelu'], register: (n) => registerActivation(n, (x) => x) },
  {
    kind: 'initializer', find: (n) => className(getInitializer(n)), spellings: ['glorotUniform', 'glorot_uniform', 'GlorotUniform'],
    register: (n) => registerInitializer(n, () => nb.initializers.zeros()),
  },
  {
    kind: 'regularizer', find: (n) => JSON.stringify(getRegularizer(n)!.getConfig()), spellings: ['l1l2', 'l1_l2', 'L1L2'],
    register: (n) => registerRegularizer(n, () => nb.regularizers.l2()),
  },
  {
    kind: 'loss', find: (n) => JSON.stringify((nb.losses.getLoss(n) as nb.losses.Loss).getConfig()),
    spellings: ['sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
    register: (n) => nb.losses.registerLoss(n, (y) => y),
  },
  { kind: 'optimizer', find: (n) => getOptimizer(n).constructor, spellings: ['rmsprop', 'rms_prop', 'RMSProp'] },
  { kind: 'metric', find: (n) => getMetric(n).constructor, spellings: ['sparseCategoricalAccuracy', 'sparse_categorical_accuracy', 'SparseCategoricalAccuracy'] },
  {
    kind: 'layer class', find: (n) => layerFromConfig({ className: n, config: {} }).constructor,
    spellings: ['BatchNormalization', 'batch_normalization', 'batchNormalization'], register: (n) => registerLayer(nb.layers.Dense, n),
  },
];

test('one case rule: every registry finds a name in camelCase, snake_case and PascalCase', () => {
  for (const c of CASES) {
    const [first, ...others] = c.spellings.map((s) => c.find(s));
    assert.ok(first !== undefined, c.kind);
    for (const o of others) assert.equal(o, first, `${c.kind}: ${c.spellings.join(' / ')}`);
  }
});

test('one error form: "Unknown <kind> \'x\'. Valid: …", with a suggestion one typo away', () => {
  for (const c of CASES) {
    const typo = c.spellings[0].slice(0, -1); // the last letter dropped
    assert.throws(
      () => c.find(typo),
      (e: Error) => e.name === 'ValueError' && e.message.startsWith(`Unknown ${c.kind} '${typo}'. Valid: `) && (e.message.split('Did you mean ')[1] ?? '').includes(`'${c.spellings[0]}'`),
      c.kind,
    );
  }
});

test('the names every JavaScript object has are never found, and cannot be registered', () => {
  for (const c of CASES) {
    for (const name of ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty']) {
      assert.throws(() => c.find(name), (e: Error) => e.name === 'ValueError' && e.message.startsWith(`Unknown ${c.kind} '${name}'. Valid: `), `${c.kind} ${name}`);
    }
    if (!c.register) continue;
    for (const name of ['constructor', '__proto__', 'prototype']) {
      assert.throws(() => c.register!(name), new RegExp(`'${name}' cannot name a ${c.kind}`), `${c.kind} ${name}`);
    }
  }
});
