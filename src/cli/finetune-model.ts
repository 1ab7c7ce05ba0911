import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValueError } from '../tensor/errors.js';

/**
 * The pretrained model when `--model` is not given: mnist-12 beside a checkout of nabla's
 * repository (`../shared/models`, found from this file in src/cli or dist/cli whatever the working
 * directory). An installed package (under node_modules) does not ship it, so there the error says
 * where to get it. `root` is the package root (for tests).
 */
export function defaultModel(root: URL = new URL('../../', import.meta.url)): string {
  const path = fileURLToPath(new URL('../shared/models/mnist-12-onnx/mnist-12.onnx', root));
  const installed = fileURLToPath(root).split(/[\\/]/).includes('node_modules');
  if (!installed && existsSync(path)) return path;
  throw new ValueError(
    'finetune: give the pretrained network with --model FILE.onnx (nabla does not ship one). The command is made for ' +
      "the ONNX Model Zoo's MNIST CNN, mnist-12.onnx (26,143 bytes; github.com/onnx/models, validated/vision/classification/mnist/model/mnist-12.onnx): " +
      'download it, then run nabla finetune --model mnist-12.onnx',
  );
}
