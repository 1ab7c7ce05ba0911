/** Op-table entry: matmul. */
import * as nb from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, lit, offset, rnd, stepped, transposed, type OpEntry } from '../op-info.js';
import { matmulNd } from '../ref.js';

const a = { seed: 1 };
const b = { seed: 2 };

export const matmulEntries: OpEntry[] = [
  defineOp({
    name: 'matmul',
    fn: ([x, y]) => nb.matmul(x!, y!),
    reference: ([x, y]) => matmulNd(x!, y!),
    grad: true,
    samples: [
      { label: 'hand-checked 2-D', args: [lit([[1, 2, 3], [4, 5, 6]]), lit([[1, 0], [0, 1], [2, -1]])], expected: [[7, -1], [16, -1]] },
      { label: 'hand-checked 1-D · 1-D is a scalar', args: [lit([1, 2, 3]), lit([4, 5, 6])], expected: 32 },
      { label: '1-D · 2-D', args: [rnd([3], a), rnd([3, 2], b)] },
      { label: '2-D · 1-D', args: [rnd([2, 3], a), rnd([3], b)] },
      { label: '1-D · batched 3-D', args: [rnd([3], a), rnd([2, 3, 2], b)] },
      { label: 'batched · 2-D (broadcast batch)', args: [rnd([2, 2, 3], a), rnd([3, 4], b)] },
      { label: 'batch dims broadcast [2,1,2,3]·[3,3,2]', args: [rnd([2, 1, 2, 3], a), rnd([3, 3, 2], b)] },
      { label: 'size-1 dims [1,3]·[3,1]', args: [rnd([1, 3], a), rnd([3, 1], b)] },
      { label: 'transposed left', args: [transposed([2, 3], a), rnd([3, 2], b)] },
      { label: 'transposed right', args: [rnd([2, 3], a), transposed([3, 4], b)] },
      { label: 'both transposed, batched', args: [{ base: rnd([2, 3, 2], a).base, view: (t: Tensor) => t.transpose([0, 2, 1]) }, transposed([3, 2], b)] },
      { label: 'strided rows and columns', args: [stepped([2, 3], a), stepped([3, 2], b)] },
      { label: 'expanded (stride-0) batch', args: [expanded([3, 2, 2], [2, 2], a), rnd([3, 2, 2], b)] },
      { label: 'expanded row vector', args: [expanded([4, 3], [1, 3], a), rnd([3, 2], b)] },
      { label: 'view at an offset', args: [offset([2, 3], a), offset([3, 2], b)] },
      { label: 'k = 0 gives zeros', args: [rnd([2, 0], a), rnd([0, 3], b)], expected: [[0, 0, 0], [0, 0, 0]] },
      { label: 'm = 0', args: [rnd([0, 3], a), rnd([3, 2], b)] },
      { label: 'float64', args: [rnd([3, 4], { ...a, dtype: 'float64' }), rnd([4, 2], { ...b, dtype: 'float64' })] },
      { label: 'float32 · float64 promotes', args: [rnd([2, 2], a), rnd([2, 2], { ...b, dtype: 'float64' })] },
      // larger than one 4×4 micro-tile and one KC block edge
      { label: 'odd sizes [5,7]·[7,9]', args: [rnd([5, 7], a), rnd([7, 9], b)], grad: false },
    ],
    errors: [
      {
        label: 'inner dims differ',
        call: () => nb.matmul(nb.zeros([2, 3]), nb.zeros([4, 5])),
        type: 'ShapeError',
        message: /^matmul: shapes \[2,3\] and \[4,5\] cannot be multiplied \(3 != 4\)/,
      },
      {
        label: 'batch dims do not broadcast',
        call: () => nb.matmul(nb.zeros([2, 2, 3]), nb.zeros([3, 3, 4])),
        type: 'ShapeError',
        message: /^matmul: shapes \[2,2,3\] and \[3,3,4\] cannot be multiplied: batch dims \[2\] and \[3\] do not broadcast/,
      },
      { label: 'a scalar operand', call: () => nb.matmul(nb.tensor(2), nb.zeros([2])), type: 'ShapeError', message: /^matmul: both operands need at least 1 dim, got \[\] and \[2\]; use mul\(\) for scalars/ },
      {
        label: 'int32 operands',
        call: () => nb.matmul(nb.zeros([2, 2], { dtype: 'int32' }), nb.zeros([2, 2], { dtype: 'int32' })),
        type: 'DTypeError',
        message: /^matmul: expected float tensors, got int32 and int32/,
      },
      { label: 'not a tensor', call: () => nb.matmul(nb.zeros([2]), bad<Tensor>([1, 2])), type: 'DTypeError', message: /^matmul: expected b to be a Tensor/ },
    ],
    skip: { scalar: 'matmul needs at least 1 dim per operand: a scalar is the bad-input case' },
  }),
];
