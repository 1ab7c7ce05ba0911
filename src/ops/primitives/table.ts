import { attentionPrims } from './attention.js';
import { convPrims } from './conv.js';
import { fusedPrims } from './fused.js';
import { binaryPrims, otherElementwisePrims, unaryPrims } from './elementwise.js';
import { indexingPrims } from './indexing.js';
import { matmulPrims } from './matmul.js';
import { normalizationPrims } from './normalization.js';
import { movementPrims } from './movement.js';
import { recurrentPrims } from './recurrent.js';
import { fftPrims } from './fft.js';
import { reducePrims } from './reduce.js';
import { sequencePrims } from './sequence.js';
import type { PrimTable, Prim } from './types.js';

let table: PrimTable<Prim> | undefined;

/**
 * THE table of primitives. The compiler checks that every name in `PrimParams` has an entry with
 * a forward and a VJP (or an explicit `'none'`). Entries live in their family's file.
 *
 * Assembled on first use rather than when this module loads: a family's VJPs are written with the
 * public ops, which dispatch through this table, so a family's file may be the first one loaded
 * (its import of an op reaches this module before the family's own entries exist).
 */
export function primitives(): PrimTable<Prim> {
  return (table ??= {
    ...unaryPrims,
    ...binaryPrims,
    ...otherElementwisePrims,
    ...reducePrims,
    ...movementPrims,
    ...indexingPrims,
    ...matmulPrims,
    ...convPrims,
    ...normalizationPrims,
    ...sequencePrims,
    ...attentionPrims,
    ...fusedPrims,
    ...recurrentPrims,
    ...fftPrims,
  });
}
