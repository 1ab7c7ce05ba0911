import type { TestContext } from 'node:test';
import * as nb from '../../src/index.js';

/** A small separable 3-class problem: class = argmax of three fixed projections of x. */
export function toyData(n: number, seed = 0): { x: nb.Tensor; y: nb.Tensor } {
  const g = new nb.Generator(seed);
  const x = nb.randn([n, 4], { generator: g });
  const w = nb.tensor([[1, 0, -1], [0, 1, -1], [1, 1, 0], [-1, 0, 1]]);
  return { x, y: nb.argmax(nb.matmul(x, w), 1) };
}

/** A silent stream for fit's progress output. */
export const quiet = { write: () => true, isTTY: false };

export function mlp(): nb.Sequential {
  return new nb.Sequential([new nb.layers.Dense(16, { activation: 'relu' }), new nb.layers.Dense(3, { activation: 'softmax' })]);
}

/** Collects what console.warn prints during one test (nabla's warnings go there). */
export function captureWarnings(t: TestContext): string[] {
  const seen: string[] = [];
  t.mock.method(console, 'warn', (...args: unknown[]) => seen.push(args.map(String).join(' ')));
  return seen;
}
