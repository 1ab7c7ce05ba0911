/**
 * Direct nested-loop references for the convolution and pooling tests: plain arrays, no nabla op
 * is called, so a bug in im2col/GEMM cannot hide here. Every image is channels-last `[N, H, W, C]`.
 */
import type { Tensor } from '../../src/index.js';

/** A row-major array with its shape. */
export interface Arr {
  shape: number[];
  data: number[];
}

export const arr = (t: Tensor): Arr => ({ shape: t.shape.slice(), data: Array.from(t.data()) });

/** Element `idx` of a row-major array. */
function at(a: Arr, idx: number[]): number {
  let flat = 0;
  for (let i = 0; i < idx.length; i++) flat = flat * a.shape[i]! + idx[i]!;
  return a.data[flat]!;
}

/** Permutes a plain array's axes (NCHW ↔ NHWC, kernel layouts). */
export function transposeArr(a: Arr, perm: number[]): Arr {
  const shape = perm.map((p) => a.shape[p]!);
  const n = shape.reduce((x, y) => x * y, 1);
  const data = new Array<number>(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let rest = k;
    for (let i = shape.length - 1; i >= 0; i--) {
      idx[i] = rest % shape[i]!;
      rest = Math.floor(rest / shape[i]!);
    }
    const src = new Array<number>(shape.length);
    perm.forEach((p, i) => (src[p] = idx[i]!));
    data[k] = at(a, src);
  }
  return { shape, data };
}

/** Keras/TensorFlow 'same' padding of one dim: output ceil(n/s), the odd cell after. */
export function samePads(n: number, k: number, s: number, d: number): [number, number] {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + d * (k - 1) + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export interface RefWindow {
  strides: [number, number];
  pads: [[number, number], [number, number]];
  dilation: [number, number];
}

/** Direct convolution: `x [N,H,W,C]`, `k [kh,kw,C/groups,F]` → `[N,oH,oW,F]`. */
export function refConv2d(x: Arr, k: Arr, w: RefWindow, groups = 1): Arr {
  const [N, H, W] = x.shape as [number, number, number, number];
  const [kh, kw, cg, F] = k.shape as [number, number, number, number];
  const [sh, sw] = w.strides;
  const [dh, dw] = w.dilation;
  const [[t, b], [l, r]] = w.pads;
  const oH = Math.floor((H + t + b - dh * (kh - 1) - 1) / sh) + 1;
  const oW = Math.floor((W + l + r - dw * (kw - 1) - 1) / sw) + 1;
  const fg = F / groups;
  const data: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < oH; i++) {
      for (let j = 0; j < oW; j++) {
        for (let f = 0; f < F; f++) {
          const g = Math.floor(f / fg);
          let s = 0;
          for (let a = 0; a < kh; a++) {
            for (let bb = 0; bb < kw; bb++) {
              const row = i * sh - t + a * dh;
              const col = j * sw - l + bb * dw;
              if (row < 0 || row >= H || col < 0 || col >= W) continue;
              for (let c = 0; c < cg; c++) s += at(x, [n, row, col, g * cg + c]) * at(k, [a, bb, c, f]);
            }
          }
          data.push(s);
        }
      }
    }
  }
  return { shape: [N, oH, oW, F], data };
}

/**
 * Direct transposed convolution: every input pixel scatters `x[n,i,j,c]·k[a,b,f,c]` to output
 * `(i·s − padTop + a·d, j·s − padLeft + b·d)`. `k [kh,kw,F/groups,C]`, output size given.
 */
export function refConv2dTranspose(x: Arr, k: Arr, w: RefWindow, outSize: [number, number], groups = 1): Arr {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [kh, kw, fg] = k.shape as [number, number, number, number];
  const [oH, oW] = outSize;
  const F = fg * groups;
  const cg = C / groups;
  const data = new Array<number>(N * oH * oW * F).fill(0);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        for (let c = 0; c < C; c++) {
          const g = Math.floor(c / cg);
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              const row = i * w.strides[0] - w.pads[0][0] + a * w.dilation[0];
              const col = j * w.strides[1] - w.pads[1][0] + b * w.dilation[1];
              if (row < 0 || row >= oH || col < 0 || col >= oW) continue;
              for (let f = 0; f < fg; f++) data[((n * oH + row) * oW + col) * F + g * fg + f]! += at(x, [n, i, j, c]) * at(k, [a, b, f, c]);
            }
          }
        }
      }
    }
  }
  return { shape: [N, oH, oW, F], data };
}

/** Direct pooling over `[N,H,W,C]`: max or mean of the in-image cells of each window (or mean over the whole window). */
export function refPool2d(x: Arr, kind: 'max' | 'avg' | 'avgIncludePad', pool: [number, number], w: RefWindow): Arr {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [[t, b], [l, r]] = w.pads;
  const oH = Math.floor((H + t + b - w.dilation[0] * (pool[0] - 1) - 1) / w.strides[0]) + 1;
  const oW = Math.floor((W + l + r - w.dilation[1] * (pool[1] - 1) - 1) / w.strides[1]) + 1;
  const data: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < oH; i++) {
      for (let j = 0; j < oW; j++) {
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let a = 0; a < pool[0]; a++) {
            for (let bb = 0; bb < pool[1]; bb++) {
              const row = i * w.strides[0] - t + a * w.dilation[0];
              const col = j * w.strides[1] - l + bb * w.dilation[1];
              if (row < 0 || row >= H || col < 0 || col >= W) continue;
              const v = at(x, [n, row, col, c]);
              best = Math.max(best, v);
              sum += v;
              count++;
            }
          }
          data.push(kind === 'max' ? best : kind === 'avg' ? sum / count : sum / (pool[0] * pool[1]));
        }
      }
    }
  }
  return { shape: [N, oH, oW, C], data };
}

/** Inserts a size-1 axis (a 1-D sequence as a one-row image, a 1-D kernel as one row high). */
export function withAxis(a: Arr, axis: number): Arr {
  const shape = a.shape.slice();
  shape.splice(axis, 0, 1);
  return { shape, data: a.data };
}

/** Removes a size-1 axis. */
export function withoutAxis(a: Arr, axis: number): Arr {
  return { shape: a.shape.filter((_, i) => i !== axis), data: a.data };
}
