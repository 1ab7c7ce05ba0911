import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { getInitializer, initializers } from '../../src/nn/index.js';

/** Max |A·Aᵀ − I| for the rows (or AᵀA for the columns) of a [rows, cols] matrix given as rows. */
function orthoError(m: number[][], byRows: boolean): number {
  const vecs = byRows ? m : m[0]!.map((_, j) => m.map((r) => r[j]!));
  let worst = 0;
  for (let a = 0; a < vecs.length; a++) {
    for (let b = 0; b < vecs.length; b++) {
      const dot = vecs[a]!.reduce((s, v, i) => s + v * vecs[b]![i]!, 0);
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

test('Orthogonal: orthonormal columns (tall), rows (wide), square; gain scales; seed pins the values', () => {
  const tall = initializers.orthogonal({ seed: 1 }).call([6, 3], { dtype: 'float64' }).toArray() as number[][];
  assert.ok(orthoError(tall, false) < 1e-12, 'columns of a tall matrix are orthonormal');
  const wide = initializers.orthogonal({ seed: 2 }).call([3, 7], { dtype: 'float64' }).toArray() as number[][];
  assert.ok(orthoError(wide, true) < 1e-12, 'rows of a wide matrix are orthonormal');
  const sq = initializers.orthogonal({ seed: 3 }).call([5, 5], { dtype: 'float64' }).toArray() as number[][];
  assert.ok(orthoError(sq, true) < 1e-12 && orthoError(sq, false) < 1e-12);
  // rank 3: read as [2·3, 4]
  const r3 = initializers.orthogonal({ seed: 4 }).call([2, 3, 4], { dtype: 'float64' });
  assert.ok(orthoError(nb.reshape(r3, [6, 4]).toArray() as number[][], false) < 1e-12);
  const g = initializers.orthogonal({ gain: 2, seed: 1 }).call([6, 3], { dtype: 'float64' }).toArray() as number[][];
  g.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - 2 * tall[i]![j]!) < 1e-12)));
  assert.deepEqual(initializers.orthogonal({ seed: 1 }).call([6, 3], { dtype: 'float64' }).toArray(), tall);
  assert.notDeepEqual(initializers.orthogonal({ seed: 5 }).call([6, 3], { dtype: 'float64' }).toArray(), tall);
});

test('Orthogonal is found by name and round-trips its config; bad shapes are clear errors', () => {
  const init = getInitializer({ className: 'Orthogonal', config: { gain: 0.5, seed: 9 } });
  assert.deepEqual(init.getConfig(), { gain: 0.5, seed: 9 });
  assert.equal(getInitializer('orthogonal').className, 'Orthogonal');
  assert.throws(() => initializers.orthogonal().call([4]), /Orthogonal: needs a shape of rank 2 or more, got \[4\]/);
  assert.throws(() => initializers.orthogonal({ gain: Number.NaN }), /Orthogonal: gain must be a finite number, got NaN/);
  assert.deepEqual(initializers.orthogonal().call([0, 3]).shape, [0, 3]);
});
