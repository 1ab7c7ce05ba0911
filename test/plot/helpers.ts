import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { TextShape, Figure } from '../../src/plot/index.js';

/** A fresh temporary directory for one test file's images. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nabla-plot-'));
}

/** A decoded PNG with a pixel reader returning [r, g, b]. */
export function readPng(path: string): { width: number; height: number; rgb: (x: number, y: number) => [number, number, number] } {
  const png = PNG.sync.read(readFileSync(path));
  return {
    width: png.width,
    height: png.height,
    rgb: (x, y) => {
      const p = 4 * (y * png.width + x);
      return [png.data[p]!, png.data[p + 1]!, png.data[p + 2]!];
    },
  };
}

/** `#rrggbb` as [r, g, b]. */
export function rgbOf(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

export function same(a: readonly number[], b: readonly number[]): boolean {
  return a.every((v, i) => v === b[i]);
}

/** The text shapes of a figure whose text is `text`. */
export function textShapes(figure: Figure, text: string): TextShape[] {
  return figure.shapes.filter((s): s is TextShape => s.kind === 'text' && s.text === text);
}

/** Training history with a strictly decreasing loss and increasing accuracy over `n` epochs. */
export function sampleHistory(n = 12): { epoch: number[]; history: Record<string, number[]> } {
  const loss = Array.from({ length: n }, (_, i) => 2 * Math.exp(-i / 3) + 0.2);
  return {
    epoch: Array.from({ length: n }, (_, i) => i),
    history: {
      loss,
      accuracy: loss.map((l) => 1 - l / 2.5),
      val_loss: loss.map((l) => l + 0.6),
      val_accuracy: loss.map((l) => 0.9 - l / 2.5),
    },
  };
}
