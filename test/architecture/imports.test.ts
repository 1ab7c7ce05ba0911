// Imports point down: every import in src/ goes to a room on its own floor or below, in the order
// written in ARCHITECTURE.md's "Floors" section, and no import cycle joins modules of different
// folders except the documented one inside ops/ (VJPs written as ops).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { floorsFromArchitecture, importCycles, moduleGraph, roomOf, type ImportEdge } from './module-graph.js';

const floors = floorsFromArchitecture(readFileSync('ARCHITECTURE.md', 'utf8'));
const { files, edges } = moduleGraph('src');

describe('the module graph of src/', () => {
  test('every room of src/ has a floor in ARCHITECTURE.md', () => {
    const unplaced = [...new Set(files.map(roomOf))].filter((r) => !floors.has(r));
    assert.deepEqual(unplaced, [], `add these to ARCHITECTURE.md's Floors section: ${unplaced.join(', ')}`);
  });

  test('imports point down (or stay on their floor)', () => {
    const up = edges
      .filter((e) => (floors.get(roomOf(e.from)) ?? Infinity) < (floors.get(roomOf(e.to)) ?? -Infinity))
      .map((e) => `${e.from} -> ${e.to}${e.typeOnly ? ' (type)' : ''}`);
    assert.deepEqual(up, [], `imports that run up the floors of ARCHITECTURE.md:\n${up.join('\n')}`);
  });

  test('no import cycle joins modules of different folders, but the one inside ops/ that ARCHITECTURE.md explains', () => {
    const cycles = importCycles(files, edges).filter((c) => new Set(c.map((f) => dirname(f))).size > 1);
    // a primitive's VJP is written with the public ops, which dispatch through the primitive table
    const vjpsAsOps = (c: string[]) => c.every((f) => roomOf(f) === 'ops') && c.includes('ops/dispatch.ts') && c.includes('ops/primitives/table.ts');
    const crossing = cycles.filter((c) => !vjpsAsOps(c));
    assert.deepEqual(crossing, [], `cycles: ${crossing.map((c) => c.join(' <-> ')).join('; ')}`);
    assert.ok(cycles.length <= 1, 'the ops/ cycle is one strongly connected component');
  });
});

describe('the checker itself', () => {
  test('reads floors lowest first, several rooms on one line, descriptions ignored', () => {
    const md = '# x\n## Floors\n\n1. `backend/` — kernels, not `ops/`\n2. `tensor/`, `info.ts` — tensors\n## Other\n3. `nope/`\n';
    const f = floorsFromArchitecture(md);
    assert.deepEqual([...f], [['backend', 1], ['tensor', 2], ['info.ts', 2]]);
    assert.throws(() => floorsFromArchitecture('## Rooms\n1. `a/`'), /no '## Floors' section/);
  });

  test('finds a cycle through three modules and ignores type-only arrows', () => {
    const e = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });
    const fs = ['a/x.ts', 'b/y.ts', 'c/z.ts', 'd/w.ts'];
    assert.deepEqual(importCycles(fs, [e('a/x.ts', 'b/y.ts'), e('b/y.ts', 'c/z.ts'), e('c/z.ts', 'a/x.ts'), e('c/z.ts', 'd/w.ts')]), [['a/x.ts', 'b/y.ts', 'c/z.ts']]);
    assert.deepEqual(importCycles(fs, [e('a/x.ts', 'b/y.ts'), e('b/y.ts', 'a/x.ts', true)]), []);
  });

  test('sees static, re-exported and dynamic imports of the real tree', () => {
    const has = (from: string, to: string) => edges.some((x) => x.from === from && x.to === to);
    assert.ok(has('model/model.ts', 'model/save.ts'), 'dynamic import() of save.js from model.ts');
    assert.ok(edges.some((x) => x.from === 'index.ts'), 'index.ts re-exports');
  });
});
