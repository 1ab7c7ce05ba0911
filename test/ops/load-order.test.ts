/**
 * Any module of ops/ may be the first one loaded: the primitive families' VJPs call the public ops,
 * which dispatch through the primitive table, so ops/ and ops/primitives/ import each other, and
 * nothing may read another module's exports while the modules are still loading (the table is
 * assembled on first use; allocation lives below both in primitives/alloc.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

for (const file of ['src/ops/primitives/elementwise.ts', 'src/ops/primitives/fused.ts', 'src/ops/unary.ts']) {
  test(`${file} loads first, in a fresh process, and its ops run`, () => {
    const code = `const m = await import('./${file}'); const nb = await import('./src/index.ts');
      if (Object.keys(m).length === 0) throw new Error('no exports');
      const y = nb.crossEntropy(nb.biasActivation(nb.ones([2, 3]), null, 'gelu'), nb.tensor([0, 2], { dtype: 'int32' }));
      console.log(y.shape.join(','));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, NABLA_BACKEND: 'js' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2');
  });
}
