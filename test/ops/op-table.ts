/**
 * THE op table: one OpInfo entry per op of the core, grouped by family (the entries live in
 * table/). op-table.test.ts runs it on every backend.
 */
import type { OpEntry } from './op-info.js';
import { activationEntries } from './table/activations.js';
import { attentionEntries } from './table/attention.js';
import { binaryEntries } from './table/binary.js';
import { indexingEntries } from './table/indexing.js';
import { joiningEntries } from './table/joining.js';
import { fusedEntries } from './table/fused.js';
import { lossEntries } from './table/losses.js';
import { matmulEntries } from './table/matmul.js';
import { movementEntries } from './table/movement.js';
import { reductionEntries } from './table/reductions.js';
import { sequenceEntries } from './table/sequence.js';
import { unaryEntries } from './table/unary.js';

export const OP_TABLE: OpEntry[] = [
  ...unaryEntries,
  ...binaryEntries,
  ...activationEntries,
  ...reductionEntries,
  ...matmulEntries,
  ...movementEntries,
  ...joiningEntries,
  ...indexingEntries,
  ...lossEntries,
  ...sequenceEntries,
  ...attentionEntries,
  ...fusedEntries,
];

