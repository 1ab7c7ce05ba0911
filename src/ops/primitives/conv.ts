import { isGradEnabled } from '../../tensor/grad-mode.js';
import { backend } from '../../backend/index.js';
import type { Window2d } from '../../backend/backend.js';
import type { Tensor } from '../../tensor/tensor.js';
import { scatterAdd } from '../indexing.js';
import { reshape } from '../movement.js';
import { col2im, im2col } from '../window.js';
import { releaseSaved } from '../../tensor/buffer-pool.js';
import { contiguousCopy, empty, uninitialized } from './alloc.js';
import type { PrimTable, WindowParams } from './types.js';

/** The kernels' flat description of a window over an image with `batch` and `channels`. */
function geometry(batch: number, channels: number, p: WindowParams): Window2d {
  return {
    batch,
    channels,
    height: p.size[0],
    width: p.size[1],
    outH: p.grid[0],
    outW: p.grid[1],
    kernelH: p.kernel[0],
    kernelW: p.kernel[1],
    strideH: p.strides[0],
    strideW: p.strides[1],
    dilationH: p.dilation[0],
    dilationW: p.dilation[1],
    padTop: p.padBefore[0],
    padLeft: p.padBefore[1],
  };
}

/** The window fields of im2col's params (without `padValue`), for col2im. */
function windowOf(p: WindowParams): WindowParams {
  return { size: p.size, grid: p.grid, kernel: p.kernel, strides: p.strides, dilation: p.dilation, padBefore: p.padBefore };
}

/**
 * Where each max-pooling output's maximum was found (flat indices into the contiguous input),
 * kept for its VJP. Keyed by the output tensor, so it lives as long as the graph.
 */
const savedArgMax = new WeakMap<Tensor, Tensor>();

export const convPrims: PrimTable<'im2col' | 'col2im' | 'maxPool'> = {
  im2col: {
    // [N,H,W,C] → [N,gH,gW,kH,kW,C], read through x's strides (a channels-first view costs no copy)
    forward: ([x], p) => {
      const [n, , , c] = x!.shape as [number, number, number, number];
      const out = uninitialized(x!.dtype, [n, p.grid[0], p.grid[1], p.kernel[0], p.kernel[1], c]);
      backend().im2col(x!.strided(), geometry(n, c, p), p.padValue, out.storage);
      return out;
    },
    // im2col copies each pixel into the patches that read it (padding cells are constants):
    // the adjoint adds every patch entry's gradient back onto its pixel
    vjp: (g, _, __, p) => [col2im(g, windowOf(p))],
  },
  col2im: {
    forward: ([cols], p) => {
      const c = contiguousCopy(cols!);
      const [n, , , , , ch] = c.shape as [number, number, number, number, number, number];
      const out = empty(c.dtype, [n, p.size[0], p.size[1], ch]);
      backend().col2im(c.storage, c.offset, geometry(n, ch, p), out.storage);
      return out;
    },
    // col2im is linear with im2col as its adjoint: each patch entry's gradient is its pixel's
    vjp: (gg, _, __, p) => [im2col(gg, p, 0)],
  },
  maxPool: {
    // [N,H,W,C] → [N,gH,gW,C]: each window's first maximum; the kernel finds it and where it is
    // (a flat index into x made contiguous) in one pass, and the index is kept for the VJP
    forward: ([x], p) => {
      const c = contiguousCopy(x!);
      const [n, , , ch] = c.shape as [number, number, number, number];
      const shape = [n, p.grid[0], p.grid[1], ch];
      const out = uninitialized(c.dtype, shape);
      const at = uninitialized('int32', shape);
      backend().maxPoolIndices(c.storage, c.offset, geometry(n, ch, p), at.storage as Int32Array, out.storage);
      if (isGradEnabled() && x!.requiresGrad) savedArgMax.set(out, at);
      return out;
    },
    // d max(window) = g at the window's first maximum, 0 elsewhere: a scatter of g to the arg-max
    vjp: (g, [x], out) => {
      const at = savedArgMax.get(out)!;
      const dx = reshape(scatterAdd(reshape(g, [g.size]), reshape(at, [at.size]), 0, x!.size), x!.shape);
      if (releaseSaved(at.storage)) savedArgMax.delete(out);
      return [dx];
    },
  },
};
