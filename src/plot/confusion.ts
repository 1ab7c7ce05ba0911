import { ValueError } from '../tensor/errors.js';
import { COLORS, heatColor, luminance } from './colors.js';
import { confusionCounts, type LabelsLike } from './confusion-counts.js';
import { capHeight, textWidth, type Figure, type Shape } from './figure.js';
import { checkPlotPath, writeFigure } from './output.js';

/** Options of `plot.confusionMatrix`. */
export interface ConfusionMatrixOptions {
  /** A name per class, for the axes (default `0`, `1`, …); also fixes the number of classes. */
  classNames?: readonly string[];
  /** Show each row as percentages of its true class instead of counts (default false). */
  normalize?: boolean;
  /** The heading (default `'Confusion matrix'`; `''` for none). */
  title?: string;
}

const LABEL_TEXT = 2;

/**
 * Draws the confusion matrix of a classifier's predictions as a heat map — true class down the
 * rows, predicted class across the columns, each cell's count (or, with `normalize`, its share of
 * the row in %) written in it, class names on both axes — writes it to `path` (`.png` or `.svg`)
 * and returns the counts (`counts[true][predicted]`).
 *
 * @example
 * const probs = model.predict(test.x);
 * const counts = nb.plot.confusionMatrix(test.y, probs, 'confusion.png', { classNames, normalize: true });
 */
export function confusionMatrix(yTrue: LabelsLike, yPred: LabelsLike, path: string, opts: ConfusionMatrixOptions = {}): number[][] {
  checkPlotPath(path, 'plot.confusionMatrix');
  const counts = confusionCounts(yTrue, yPred, opts.classNames?.length);
  writeFigure(confusionMatrixFigure(counts, opts), path, 'plot.confusionMatrix');
  return counts;
}

/**
 * The heat-map figure of a confusion matrix given as counts (`counts[true][predicted]`).
 *
 * @example
 * nb.plot.toSvg(nb.plot.confusionMatrixFigure([[5, 1], [2, 7]], { classNames: ['cat', 'dog'] }));
 */
export function confusionMatrixFigure(counts: readonly (readonly number[])[], opts: ConfusionMatrixOptions = {}): Figure {
  const k = counts.length;
  if (k === 0 || counts.some((row) => row.length !== k)) throw new ValueError(`plot.confusionMatrix: counts must be a square, non-empty matrix, got ${k} rows`);
  const names = opts.classNames ? [...opts.classNames] : counts.map((_, i) => String(i));
  if (names.length !== k) throw new ValueError(`plot.confusionMatrix: ${names.length} classNames for ${k} classes`);
  const normalize = opts.normalize ?? false;
  const title = opts.title ?? (normalize ? 'Confusion matrix (% of true class)' : 'Confusion matrix');

  // what each cell shows, and how dark it is
  const rowSums = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const largest = counts.flat().reduce((a, b) => Math.max(a, b), 1);
  const shade = (i: number, j: number): number => (normalize ? (rowSums[i]! > 0 ? counts[i]![j]! / rowSums[i]! : 0) : counts[i]![j]! / largest);

  const cell = Math.max(14, Math.min(64, Math.floor(520 / k)));
  const cellText = pickCellText(counts, rowSums, normalize, cell);
  const nameScale = cell >= 20 ? LABEL_TEXT : 1;
  const nameWidth = Math.max(...names.map((n) => textWidth(n, nameScale)));
  const rotateNames = nameWidth > cell - 4;

  const grid = k * cell;
  const left = 16 + capHeight(LABEL_TEXT) + 14 + nameWidth + 8;
  const top = title === '' ? 16 : 60;
  const below = 10 + (rotateNames ? nameWidth : capHeight(nameScale)) + 16;
  const titleWidth = textWidth(title, 3);
  const titleX = Math.max(titleWidth / 2 + 16, left + grid / 2);
  const width = Math.ceil(Math.max(left + grid + 24, titleX + titleWidth / 2 + 16));
  const height = top + grid + below + capHeight(LABEL_TEXT) + 20;

  const shapes: Shape[] = [];
  if (title !== '') shapes.push({ kind: 'text', x: titleX, y: 36, text: title, scale: 3, color: COLORS.text, anchor: 'middle' });
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const fill = heatColor(shade(i, j));
      const x = left + j * cell, y = top + i * cell;
      shapes.push({ kind: 'rect', x, y, w: cell - 1, h: cell - 1, fill });
      const text = cellText?.texts[i]![j];
      if (cellText && text) {
        const color = luminance(fill) < 0.5 ? '#ffffff' : COLORS.text;
        shapes.push({ kind: 'text', x: x + (cell - 1) / 2, y: y + (cell - 1 + capHeight(cellText.scale)) / 2, text, scale: cellText.scale, color, anchor: 'middle' });
      }
    }
  }
  names.forEach((name, i) => {
    const mid = i * cell + (cell - 1) / 2;
    const half = capHeight(nameScale) / 2;
    shapes.push({ kind: 'text', x: left - 8, y: top + mid + half, text: name, scale: nameScale, color: COLORS.text, anchor: 'end' });
    if (rotateNames) shapes.push({ kind: 'text', x: left + mid + half, y: top + grid + 10, text: name, scale: nameScale, color: COLORS.text, anchor: 'end', rotate: -90 });
    else shapes.push({ kind: 'text', x: left + mid, y: top + grid + 10 + 2 * half, text: name, scale: nameScale, color: COLORS.text, anchor: 'middle' });
  });
  const axisText = { scale: LABEL_TEXT, color: COLORS.mutedText, anchor: 'middle' } as const;
  shapes.push({ kind: 'text', x: left + grid / 2, y: top + grid + below + capHeight(LABEL_TEXT), text: 'predicted class', ...axisText });
  shapes.push({ kind: 'text', x: 16 + capHeight(LABEL_TEXT), y: top + grid / 2, text: 'true class', rotate: -90, ...axisText });
  return { width, height, background: COLORS.background, shapes };
}

/**
 * The cell texts and the largest font scale at which they fit their cells (2, else 1); null when
 * even scale 1 does not fit. Percentages get one decimal when there is room.
 */
function pickCellText(counts: readonly (readonly number[])[], rowSums: readonly number[], normalize: boolean, cell: number): { texts: string[][]; scale: number } | null {
  const format = (decimals: number): string[][] =>
    counts.map((row, i) => row.map((c) => (normalize ? percent(c, rowSums[i]!, decimals) : String(c))));
  const candidates = normalize ? [format(1), format(0)] : [format(0)];
  for (const scale of [2, 1]) {
    for (const texts of candidates) {
      const widest = texts.flat().reduce((w, t) => Math.max(w, textWidth(t, scale)), 0);
      if (widest <= cell - 6 && capHeight(scale) <= cell - 6) return { texts, scale };
    }
  }
  return null;
}

/**
 * `c` as a percentage of `total`: `0%` and `100%` only when exact; shares that would round to
 * them read `<0.1%` and `>99.9%` (or `<1%`, `>99%`).
 */
function percent(c: number, total: number, decimals: number): string {
  if (total === 0) return '';
  if (c === total) return '100%';
  if (c === 0) return '0%';
  const p = (100 * c) / total;
  const text = p.toFixed(decimals);
  if (Number(text) === 0) return `<${(10 ** -decimals).toFixed(decimals)}%`;
  if (Number(text) === 100) return `>${(100 - 10 ** -decimals).toFixed(decimals)}%`;
  return `${text}%`;
}
