/**
 * The kernels of the fused recurrent primitive (`recurrentScan`): one time step's gate math for
 * a batch of rows, forward and backward. The recurrent matmul `h·U` is not in here: the primitive
 * runs it through `gemm` and hands its result in, so these kernels are pure elementwise passes.
 * Math runs in double and each stored value is rounded once, as the other fused kernels.
 */
import type { FloatArray } from './typed-array.js';

/** The cells the kernels know: Elman (`SimpleRNN`), LSTM, and GRU with the reset gate after the matmul. */
export type RecurrentCell = 'simple' | 'lstm' | 'gru';

/** The activations the kernels apply; each one's derivative is read from its output. */
export type RecurrentActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/**
 * One step of a batch: `rows` sequences of `units` units. Row layouts (each row of a `[rows, ·]`
 * block, blocks addressed by an array and an offset):
 * - `xp`, `rec`: `[G·units]` pre-activations from the input (`x·W + b`) and from the state
 *   (`h·U`), gates in Keras' order (SimpleRNN: one; LSTM: i, f, c, o; GRU: z, r, h);
 * - states: `[K·units]`, `h` then (LSTM) `c`;
 * - saved: `[S·units]`, what the backward reads (SimpleRNN: h; LSTM: i, f, g, o; GRU: z, r, ĥ, rh).
 */
export interface RecurrentStepGeometry {
  cell: RecurrentCell;
  rows: number;
  units: number;
  activation: RecurrentActivation;
  recurrentActivation: RecurrentActivation;
}

/** The kernels of `Backend` for the fused recurrent primitive. */
export interface RecurrentKernels {
  /**
   * One step forward: the new states from `xp` (row stride G·units, at `xpOff`), `rec` (`[rows,
   * G·units]` from 0), the GRU's recurrent bias `recBias` (`[3·units]`, added to `rec`; zeros for a GRU without bias, null for the other cells) and
   * the previous states `prev` at `prevOff`; written to `next` at `nextOff`, except for rows whose
   * `mask` (at `maskOff`, one value per row, 0 or 1) is 0, which copy `prev` and never read their
   * row of `rec` (the caller may leave it unset). The gates go to `saved` (zeros for masked rows).
   */
  recurrentStepForward(
    g: RecurrentStepGeometry, xp: FloatArray, xpOff: number, rec: FloatArray, recBias: FloatArray | null,
    prev: FloatArray, prevOff: number, mask: FloatArray | null, maskOff: number,
    next: FloatArray, nextOff: number, saved: FloatArray, savedOff: number,
  ): void;
  /**
   * One step backward. `dState` (`[rows, K·units]` from 0) holds the gradient of the step's
   * output states; it is replaced by the gradient of the previous states along every path but
   * the recurrent matmul (which the caller adds from `dRec·Uᵀ`). Writes the gradient of the
   * input pre-activations to `dxp` at `dxpOff` and of `rec` to `dRec` at `dRecOff` (for SimpleRNN
   * and LSTM they are equal, and `dRec` may be null); both are zero on masked rows, whose
   * `dState` passes through unchanged.
   */
  recurrentStepBackward(
    g: RecurrentStepGeometry, dState: FloatArray, saved: FloatArray, savedOff: number,
    prev: FloatArray, prevOff: number, mask: FloatArray | null, maskOff: number,
    dxp: FloatArray, dxpOff: number, dRec: FloatArray | null, dRecOff: number,
  ): void;
}

/** Gates per unit in `xp` and `rec` (G). */
export function recurrentGates(cell: RecurrentCell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** States per unit (K): LSTM carries h and c. */
export function recurrentStates(cell: RecurrentCell): number {
  return cell === 'lstm' ? 2 : 1;
}

/** Saved values per unit (S). */
export function recurrentSaved(cell: RecurrentCell): number {
  return cell === 'simple' ? 1 : 4;
}
