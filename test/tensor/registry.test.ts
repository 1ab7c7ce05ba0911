// Registry<T>: the one name table behind activations, initializers, regularizers, losses,
// optimizers, metrics and layer classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupKey, Registry } from '../../src/tensor/registry.js';

function sizes(): Registry<number> {
  const r = new Registry<number>({ kind: 'size', hint: 'Or pass a number.' });
  r.register('small', 1);
  r.register('extraLarge', 40);
  r.register('medium', 5);
  r.alias('m', 'medium');
  return r;
}

test('one case rule: camelCase, snake_case and any case find the same entry', () => {
  const r = sizes();
  for (const name of ['extraLarge', 'extra_large', 'ExtraLarge', 'EXTRA_LARGE', 'extralarge']) assert.equal(r.get(name), 40, name);
  assert.equal(r.get('M'), 5);
  assert.equal(r.find('huge'), undefined);
  assert.equal(r.has('Small'), true);
  assert.equal(r.has('huge'), false);
  assert.equal(lookupKey('Glorot_Uniform'), 'glorotuniform');
});

test('names keep their registered spelling and order; aliases follow their name', () => {
  const r = sizes();
  assert.deepEqual(r.names(), ['small', 'extraLarge', 'medium', 'm']);
  assert.equal(r.listing(), 'small, extraLarge, medium (m)');
  assert.deepEqual(r.list(), [['small', 1], ['extraLarge', 40], ['medium', 5]]);
  assert.equal(r.nameOf(5), 'medium');
  assert.equal(r.nameOf(7), undefined);
});

test('an unknown name: one message, the valid names, a suggestion when one typo away, the hint', () => {
  const r = sizes();
  assert.throws(() => r.get('extraLarg'), {
    name: 'ValueError',
    message: "Unknown size 'extraLarg'. Valid: small, extraLarge, medium (m). Did you mean 'extraLarge'? Or pass a number.",
  });
  assert.throws(() => r.get('smlal'), /Did you mean 'small'\?/, 'a swap of two letters is one typo');
  assert.throws(() => r.get('tiny'), { message: "Unknown size 'tiny'. Valid: small, extraLarge, medium (m). Or pass a number." });
  const two = new Registry<number>({ kind: 'penalty' });
  two.register('l1', 1);
  two.register('l2', 2);
  assert.throws(() => two.get('l3'), { message: "Unknown penalty 'l3'. Valid: l1, l2. Did you mean 'l1' or 'l2'?" });
  assert.throws(() => two.get(42 as never), { message: 'Unknown penalty 42. Valid: l1, l2.' });
});

test('the properties of every object are never found, and cannot be registered', () => {
  const r = sizes();
  for (const name of ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']) {
    assert.equal(r.find(name), undefined, name);
    assert.throws(() => r.get(name), new RegExp(`^ValueError: Unknown size '${name}'\\.`), name);
  }
  for (const name of ['constructor', '__proto__', 'prototype', 'Constructor', '__PROTO__']) {
    assert.throws(() => r.register(name, 0), new RegExp(`'${name}' cannot name a size: __proto__, constructor and prototype are refused as names`), name);
    assert.throws(() => r.alias(name, 'small'), /cannot name a size/, name);
  }
  assert.throws(() => r.register('', 0), /a size name must be a non-empty string, got ''/);
  assert.throws(() => r.register('__', 0), /a size name must be a non-empty string, got '__'/);
  assert.deepEqual(r.names(), ['small', 'extraLarge', 'medium', 'm'], 'nothing was added');
});

test('registering a name again in any spelling replaces it in place; an alias registered becomes a name of its own', () => {
  const r = sizes();
  r.register('Extra_Large', 41);
  assert.deepEqual(r.names(), ['small', 'Extra_Large', 'medium', 'm']);
  assert.equal(r.get('extraLarge'), 41);
  r.register('m', 6);
  assert.deepEqual(r.names(), ['small', 'Extra_Large', 'medium', 'm']);
  assert.equal(r.listing(), 'small, Extra_Large, medium, m');
  assert.equal(r.get('m'), 6);
  assert.equal(r.get('medium'), 5);
  assert.throws(() => r.alias('small', 'medium'), /size 'small' is already registered/);
  assert.throws(() => r.alias('s', 'tiny'), /Unknown size 'tiny'/);
});
