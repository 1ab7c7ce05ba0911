import type { TypedArray } from '../typed-array.js';

/** See `Backend.batchNormStats`: the mean, then the mean squared deviation from it (two passes). */
export function batchNormStats(x: TypedArray, rows: number, cols: number, mean: Float64Array, variance: Float64Array): void {
  mean.fill(0, 0, cols);
  variance.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += x[r * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = x[r * cols + c]! - mean[c]!;
      variance[c]! += d * d;
    }
  }
  for (let c = 0; c < cols; c++) variance[c]! /= rows;
}

/** See `Backend.batchNormForward`. */
export function batchNormForward(
  x: TypedArray, rows: number, cols: number, mean: Float64Array, scale: Float64Array, beta: TypedArray | null, out: TypedArray,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      out[i] = (x[i]! - mean[c]!) * scale[c]! + (beta ? beta[c]! : 0);
    }
  }
}

/** See `Backend.batchNormBackward`: Σg and Σg·x̂ per column, then dx from them. */
export function batchNormBackward(
  x: TypedArray, g: TypedArray, rows: number, cols: number, mean: Float64Array, rstd: Float64Array, gamma: Float64Array,
  dx: TypedArray, dgamma: Float64Array, dbeta: Float64Array,
): void {
  dgamma.fill(0, 0, cols);
  dbeta.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      dbeta[c]! += g[i]!;
      dgamma[c]! += g[i]! * (x[i]! - mean[c]!) * rstd[c]!;
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const xhat = (x[i]! - mean[c]!) * rstd[c]!;
      dx[i] = gamma[c]! * rstd[c]! * (g[i]! - dbeta[c]! / rows - xhat * dgamma[c]! / rows);
    }
  }
}
