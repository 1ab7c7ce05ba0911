import type { Tensor } from '../tensor/tensor.js';
import { expand, reshape } from './movement.js';
import { checkInput, fromNHWC, perDim, toNHWC, type DataFormat } from './window.js';

/**
 * Nearest-neighbour upsampling by whole factors: every pixel of `x [N, H, W, C]` (or
 * `[N, C, H, W]`) becomes a `size[0] × size[1]` block → `[N, H·sh, W·sw, C]`. A composite of
 * reshape and expand, so its gradient sums each block.
 *
 * @example
 * nb.upsampleNearest2d(nb.randn([1, 4, 4, 3]), 2)   // [1, 8, 8, 3]
 */
export function upsampleNearest2d(x: Tensor, size: number | readonly number[], opts: { dataFormat?: DataFormat } = {}): Tensor {
  const op = 'upsampleNearest2d';
  const format = opts.dataFormat ?? 'channelsLast';
  checkInput(op, x, 2, format);
  const [sh, sw] = perDim(op, 'size', size, 2, 1) as [number, number];
  const x4 = toNHWC(x, format);
  const [n, h, w, c] = x4.shape as [number, number, number, number];
  const blocks = expand(reshape(x4, [n, h, 1, w, 1, c]), [n, h, sh, w, sw, c]);
  return fromNHWC(reshape(blocks, [n, h * sh, w * sw, c]), format, 2);
}
