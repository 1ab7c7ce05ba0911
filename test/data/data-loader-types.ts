// Compile-time checks, run by `tsc -p tsconfig.test.json`: the batch types DataLoader infers.
import * as nb from '../../src/index.js';
import { DataLoader, TensorDataset, type Dataset } from '../../src/data/index.js';
const x = nb.zeros([2]);
for (const b of new DataLoader([x, x])) { const t: [nb.Tensor, nb.Tensor] = b; void t; }
for (const b of new DataLoader(new TensorDataset(x, x, x))) { const t: [nb.Tensor, nb.Tensor, nb.Tensor] = b; void t; }
const arr: nb.Tensor[] = [x];
for (const b of new DataLoader(arr)) { const t: nb.Tensor[] = b; void t; }
const ds: Dataset<{ q: number; r: [nb.Tensor, boolean] }> = { length: 1, get: () => ({ q: 1, r: [x, true] }) };
for (const b of new DataLoader(ds)) { const t: { q: nb.Tensor; r: [nb.Tensor, nb.Tensor] } = b; void t; }
for (const b of new DataLoader({ length: 2, get: (i: number) => x.mul(i) })) { const t: nb.Tensor = b; void t; }
for (const b of new DataLoader(ds, { collate: (s) => s.length })) { const t: number = b; void t; }
const plain: DataLoader = new DataLoader([x, x]);
void plain;
