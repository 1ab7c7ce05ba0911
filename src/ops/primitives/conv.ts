import { backend } from '../../backend/index.js';
import type { Window2d } from '../../backend/backend.js';
import { contiguousCopy, empty } from '../dispatch.js';
import { col2im, im2col } from '../window.js';
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

export const convPrims: PrimTable<'im2col' | 'col2im'> = {
  im2col: {
    // [N,H,W,C] → [N,gH,gW,kH,kW,C], read through x's strides (a channels-first view costs no copy)
    forward: ([x], p) => {
      const [n, , , c] = x!.shape as [number, number, number, number];
      const out = empty(x!.dtype, [n, p.grid[0], p.grid[1], p.kernel[0], p.kernel[1], c]);
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
};
