import { ValueError } from '../tensor/errors.js';
import type { Config } from './config.js';
import { RandomInitializer, type SeedOptions } from './initializer.js';

/** Options of `Orthogonal`. */
export interface OrthogonalOptions extends SeedOptions {
  /** Default 1. */
  gain?: number;
}

/**
 * A (semi-)orthogonal matrix times `gain` (Saxe et al. 2014), Keras' default recurrent kernel
 * initializer. The shape is read as `[prod(shape[:-1]), shape[-1]]`; the rows (if fewer) or the
 * columns are orthonormal. Made by Gram–Schmidt on a standard normal matrix, which is the Q of
 * its QR decomposition with a positive diagonal in R.
 */
export class Orthogonal extends RandomInitializer {
  readonly className: string = 'Orthogonal';
  readonly gain: number;
  constructor(opts: OrthogonalOptions = {}) {
    super(opts.seed);
    this.gain = opts.gain ?? 1;
    if (!Number.isFinite(this.gain)) throw new ValueError(`Orthogonal: gain must be a finite number, got ${this.gain}`);
  }
  protected fill(data: Float32Array | Float64Array, shape: readonly number[]): void {
    if (data.length === 0) return;
    if (shape.length < 2) throw new ValueError(`Orthogonal: needs a shape of rank 2 or more, got [${shape.join(',')}]`);
    const rows = data.length / shape[shape.length - 1]!;
    const cols = shape[shape.length - 1]!;
    // orthonormalise the k = min(rows, cols) vectors of length n = max(rows, cols)
    const n = Math.max(rows, cols);
    const k = Math.min(rows, cols);
    const g = this.generator();
    const vecs: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = g.normal();
      for (let pass = 0; pass < 2; pass++) {
        // modified Gram–Schmidt, twice for round-off
        for (const u of vecs) {
          let d = 0;
          for (let i = 0; i < n; i++) d += u[i]! * v[i]!;
          for (let i = 0; i < n; i++) v[i]! -= d * u[i]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i]! * v[i]!;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) v[i]! /= norm;
      vecs.push(v);
    }
    // rows >= cols: vector j is column j; otherwise vector i is row i
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) data[r * cols + c] = this.gain * (rows >= cols ? vecs[c]![r]! : vecs[r]![c]!);
    }
  }
  override getConfig(): Config {
    return { gain: this.gain, ...super.getConfig() };
  }
}
