import type { TypedArray } from '../../tensor/dtype.js';
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
