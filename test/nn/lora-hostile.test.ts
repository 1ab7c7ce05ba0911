// A LoRA adapter file with tensors named like inherited properties (issue 12, item 1): they are
// unexpected keys, found by own name only, and the adapter metadata is bounded like every JSON.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import * as lora from '../../src/nn/lora/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-lora-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function wrapped(): nb.Sequential {
  const model = new nb.Sequential([new nb.layers.Dense(3), new nb.layers.Dense(2)]);
  model.apply(nb.zeros([1, 4]));
  return lora.wrap(model, { rank: 1, seed: 1 });
}

for (const name of ['constructor', 'toString', '__proto__']) {
  test(`an adapter file with an extra tensor '${name}' is refused as unexpected`, () => {
    const file = join(dir, `extra-${name}.safetensors`);
    lora.saveAdapters(wrapped(), file);
    const { tensors, metadata } = nb.io.loadSafetensors(file);
    nb.io.saveSafetensors(file, Object.fromEntries([...Object.entries(tensors), [name, nb.zeros([1])]]), metadata);
    assert.throws(() => lora.loadAdapters(wrapped(), file), new RegExp(`the file's adapters do not match the model's \\(unexpected ${name.replace(/\W/g, '\\$&')}\\)`));
    assert.equal(String({}), '[object Object]');
  });
}

test('adapter metadata nested 100,000 levels deep is a FormatError, not a stack overflow', () => {
  const file = join(dir, 'deep.safetensors');
  lora.saveAdapters(wrapped(), file);
  const { tensors, metadata } = nb.io.loadSafetensors(file);
  const key = Object.keys(metadata).find((k) => k !== 'format')!;
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  nb.io.saveSafetensors(file, tensors, { ...metadata, [key]: `{"version": 1, "layers": {"layers.0": ${deep}}}` });
  assert.throws(() => lora.loadAdapters(wrapped(), file), (err: unknown) => err instanceof nb.io.FormatError && /metadata nests values more than 256 levels deep/.test(err.message));
});
