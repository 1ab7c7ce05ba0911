import { FUSED_ACTIVATION_CODES } from '../fused-kernels.js';
import { jsRecurrent } from '../js/recurrent.js';
import type { RecurrentCell, RecurrentKernels, RecurrentStepGeometry } from '../recurrent-kernels.js';
import type { FloatArray } from '../typed-array.js';

/** The addon's recurrent step functions (native/addon_recurrent.c): geometry as numbers, arrays used in place. */
export interface NativeRecurrentAddon {
  recurrentStepForward(
    geometry: number[], xp: FloatArray, xpOff: number, rec: FloatArray, recBias: FloatArray | null,
    prev: FloatArray, prevOff: number, mask: FloatArray | null, maskOff: number,
    next: FloatArray, nextOff: number, saved: FloatArray, savedOff: number,
  ): void;
  recurrentStepBackward(
    geometry: number[], dState: FloatArray, saved: FloatArray, savedOff: number, prev: FloatArray, prevOff: number,
    mask: FloatArray | null, maskOff: number, dxp: FloatArray, dxpOff: number, dRec: FloatArray | null, dRecOff: number,
  ): void;
}

/** Codes of the cells in native/recurrent.h. */
const CELL_CODES: Record<RecurrentCell, number> = { simple: 0, lstm: 1, gru: 2 };

const codes = (g: RecurrentStepGeometry): number[] => [
  CELL_CODES[g.cell], FUSED_ACTIVATION_CODES[g.activation], FUSED_ACTIVATION_CODES[g.recurrentActivation], g.rows, g.units,
];

/**
 * The recurrent step kernels in C: always worth it (a step is thousands of exponentials, which C
 * computes an order of magnitude faster than `Math.exp`), when every array has one float type.
 */
export function nativeRecurrent(addon: NativeRecurrentAddon): RecurrentKernels {
  const fwd = addon.recurrentStepForward;
  const back = addon.recurrentStepBackward;
  const same = (...arrays: (FloatArray | null)[]): boolean => {
    const ctor = arrays[0]!.constructor;
    return arrays.every((a) => a === null || a.constructor === ctor);
  };
  return {
    recurrentStepForward: (g, xp, xpOff, rec, recBias, prev, prevOff, mask, maskOff, next, nextOff, saved, savedOff) => {
      if (!same(xp, rec, recBias, prev, mask, next, saved)) return jsRecurrent.recurrentStepForward(g, xp, xpOff, rec, recBias, prev, prevOff, mask, maskOff, next, nextOff, saved, savedOff);
      fwd.call(addon, codes(g), xp, xpOff, rec, recBias, prev, prevOff, mask, maskOff, next, nextOff, saved, savedOff);
    },
    recurrentStepBackward: (g, dState, saved, savedOff, prev, prevOff, mask, maskOff, dxp, dxpOff, dRec, dRecOff) => {
      if (!same(dState, saved, prev, mask, dxp, dRec)) return jsRecurrent.recurrentStepBackward(g, dState, saved, savedOff, prev, prevOff, mask, maskOff, dxp, dxpOff, dRec, dRecOff);
      back.call(addon, codes(g), dState, saved, savedOff, prev, prevOff, mask, maskOff, dxp, dxpOff, dRec, dRecOff);
    },
  };
}
