/**
 * `nabla finetune`'s pretrained model when `--model` is left out: mnist-12 beside a checkout of
 * the repository, never a path under node_modules (an installed package does not ship it), and
 * otherwise an error that says where to get the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultModel } from '../../src/cli/finetune-model.js';

const WHERE = /finetune: give the pretrained network with --model FILE\.onnx \(nabla does not ship one\)\. .*mnist-12\.onnx \(26,143 bytes; github\.com\/onnx\/models, validated\/vision\/classification\/mnist\/model\/mnist-12\.onnx\): download it, then run nabla finetune --model mnist-12\.onnx/;
const CHECKOUT_MODEL = fileURLToPath(new URL('../../../shared/models/mnist-12-onnx/mnist-12.onnx', import.meta.url));

/** A directory tree with mnist-12.onnx at `<tmp>/<model>`; returns `<tmp>`. */
function treeWith(model: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-finetune-'));
  mkdirSync(join(dir, model, '..'), { recursive: true });
  writeFileSync(join(dir, model), 'onnx');
  return dir;
}

test('in a checkout, the default is ../shared/models/mnist-12-onnx/mnist-12.onnx', { skip: existsSync(CHECKOUT_MODEL) ? false : `${CHECKOUT_MODEL} is not present` }, () => {
  assert.equal(defaultModel(), CHECKOUT_MODEL);
});

test('an installed package does not look into node_modules/shared, even when such a file exists', () => {
  const dir = treeWith('node_modules/shared/models/mnist-12-onnx/mnist-12.onnx');
  try {
    assert.throws(() => defaultModel(pathToFileURL(join(dir, 'node_modules/nabla/'))), WHERE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkout without ../shared gets the error saying where to get mnist-12.onnx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-finetune-'));
  try {
    assert.throws(() => defaultModel(pathToFileURL(join(dir, 'nabla/'))), WHERE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkout with ../shared beside it finds the model there', () => {
  const dir = treeWith('shared/models/mnist-12-onnx/mnist-12.onnx');
  try {
    assert.equal(defaultModel(pathToFileURL(join(dir, 'nabla/'))), join(dir, 'shared/models/mnist-12-onnx/mnist-12.onnx'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
