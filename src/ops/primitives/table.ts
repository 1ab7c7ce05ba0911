import { convPrims } from './conv.js';
import { binaryPrims, otherElementwisePrims, unaryPrims } from './elementwise.js';
import { indexingPrims } from './indexing.js';
import { matmulPrims } from './matmul.js';
import { movementPrims } from './movement.js';
import { reducePrims } from './reduce.js';
import type { PrimTable, Prim } from './types.js';

/**
 * THE table of primitives. The compiler checks that every name in `PrimParams` has an entry with
 * a forward and a VJP (or an explicit `'none'`). Entries live in their family's file.
 */
export const PRIMITIVES: PrimTable<Prim> = {
  ...unaryPrims,
  ...binaryPrims,
  ...otherElementwisePrims,
  ...reducePrims,
  ...movementPrims,
  ...indexingPrims,
  ...matmulPrims,
  ...convPrims,
};
