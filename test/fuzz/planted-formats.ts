/**
 * Test-only "formats" whose loaders misbehave on purpose, one way each, so that the fuzz
 * harness's test can show it reports every kind of finding (a harness that cannot fail finds
 * nothing), and two that behave, so that it can show it does not report everything.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import type { FuzzFormat } from '../../fuzz/format.js';
import { check } from '../../fuzz/outcome.js';

function planted(name: string, load: () => void): FuzzFormat {
  return {
    name,
    makeSeeds(dir) {
      mkdirSync(join(dir, 'only'), { recursive: true });
      writeFileSync(join(dir, 'only', 'file.bin'), 'planted');
      return ['only'];
    },
    mutate() {},
    load,
  };
}

let sink: Float64Array[] = [];

/** Nested calls without end: the engine's stack overflow. */
function recurse(n: number): number {
  return recurse(n + 1) + 1;
}

/** The planted formats, by the finding each must produce (null: none). */
export const EXPECTED: Record<string, string | null> = {
  'planted-accept': null,
  'planted-clean': null,
  'planted-pollute-prototype': 'pollution',
  'planted-pollute-static': 'pollution',
  'planted-pollute-method': 'pollution',
  'planted-pollute-global': 'pollution',
  'planted-hang': 'hang',
  'planted-type-error': 'raw-error',
  'planted-stack-overflow': 'raw-error',
  'planted-empty-message': 'empty-message',
  'planted-invariant': 'invariant',
  'planted-exit': 'crash',
  'planted-memory': 'memory',
};

/** What the child loads these formats from (`export const formats`). */
export const formats: FuzzFormat[] = [
  planted('planted-accept', () => {}),
  planted('planted-clean', () => {
    throw new nb.ValueError('planted: a clean refusal naming what is wrong');
  }),
  planted('planted-pollute-prototype', () => {
    (Object.prototype as unknown as Record<string, unknown>)['plantedByFuzzTest'] = 1;
  }),
  planted('planted-pollute-static', () => {
    // what a tensor named `constructor.x` did to Object in issue 12
    (Object as unknown as Record<string, unknown>)['x'] = 1;
  }),
  planted('planted-pollute-method', () => {
    Array.prototype.includes = () => true;
  }),
  planted('planted-pollute-global', () => {
    (globalThis as unknown as Record<string, unknown>)['plantedGlobal'] = 1;
  }),
  planted('planted-hang', () => {
    for (;;) sink = [];
  }),
  planted('planted-type-error', () => {
    const parsed = JSON.parse('{}') as { layers: { length: number } };
    sink = new Array(parsed.layers.length);
  }),
  planted('planted-stack-overflow', () => {
    recurse(0);
  }),
  planted('planted-empty-message', () => {
    throw new nb.ValueError('');
  }),
  planted('planted-invariant', () => {
    check(false, 'planted: a tensor of shape [2] holding 3 values');
  }),
  planted('planted-exit', () => {
    process.exit(3);
  }),
  planted('planted-memory', () => {
    // typed arrays live outside the V8 heap: only the resident-memory watch catches this (capped
    // at 3 GB, then a busy wait, so that a watch that fails shows as a hang, not a machine out of memory)
    for (let k = 0; k < 100; k++) {
      const block = new Float64Array(4 * 1024 * 1024);
      for (let i = 0; i < block.length; i += 512) block[i] = 1; // one write per 4 KB page makes it resident
      sink.push(block);
    }
    for (;;) sink.length = sink.length + 0;
  }),
];
