import type { TypedArray } from '../typed-array.js';
import type { View, Window2d } from '../backend.js';

/** See `Backend.im2col`. Every window entry is written, so `out` need not be pre-filled. */
export function im2col(x: View, w: Window2d, padValue: number, out: TypedArray): void {
  const data = x.data;
  const sn = x.strides[0]!;
  const sh = x.strides[1]!;
  const sw = x.strides[2]!;
  const sc = x.strides[3]!;
  const { batch, height, width, channels: C, outH, outW, kernelH, kernelW } = w;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        for (let a = 0; a < kernelH; a++) {
          const row = i * w.strideH - w.padTop + a * w.dilationH;
          const rowInside = row >= 0 && row < height;
          for (let b = 0; b < kernelW; b++) {
            const col = j * w.strideW - w.padLeft + b * w.dilationW;
            if (!rowInside || col < 0 || col >= width) {
              for (let c = 0; c < C; c++) out[o + c] = padValue;
            } else {
              const src = x.offset + n * sn + row * sh + col * sw;
              for (let c = 0; c < C; c++) out[o + c] = data[src + c * sc]!;
            }
            o += C;
          }
        }
      }
    }
  }
}

/** See `Backend.col2im`: overlapping windows add up. */
export function col2im(cols: TypedArray, colsOffset: number, w: Window2d, out: TypedArray): void {
  const { batch, height, width, channels: C, outH, outW, kernelH, kernelW } = w;
  let o = colsOffset;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        for (let a = 0; a < kernelH; a++) {
          const row = i * w.strideH - w.padTop + a * w.dilationH;
          if (row < 0 || row >= height) {
            o += kernelW * C;
            continue;
          }
          for (let b = 0; b < kernelW; b++) {
            const col = j * w.strideW - w.padLeft + b * w.dilationW;
            if (col >= 0 && col < width) {
              const dst = ((n * height + row) * width + col) * C;
              for (let c = 0; c < C; c++) out[dst + c]! += cols[o + c]!;
            }
            o += C;
          }
        }
      }
    }
  }
}

/** See `Backend.maxPoolIndices`. */
export function maxPoolIndices(x: TypedArray, offset: number, w: Window2d, out: Int32Array, values: TypedArray | null = null): void {
  const { batch, height, width, channels: C, outH, outW, kernelH, kernelW } = w;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++, o += C) {
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let a = 0; a < kernelH && !Number.isNaN(best); a++) {
            const row = i * w.strideH - w.padTop + a * w.dilationH;
            if (row < 0 || row >= height) continue;
            for (let b = 0; b < kernelW; b++) {
              const col = j * w.strideW - w.padLeft + b * w.dilationW;
              if (col < 0 || col >= width) continue;
              const p = ((n * height + row) * width + col) * C + c;
              const v = x[offset + p]!;
              if (v > best || at < 0 || Number.isNaN(v)) {
                best = v;
                at = p;
                if (Number.isNaN(v)) break;
              }
            }
          }
          if (at < 0) throw new Error('maxPoolIndices: a pooling window lies entirely in the padding');
          out[o + c] = at;
          if (values) values[o + c] = best;
        }
      }
    }
  }
}
