import { ValueError } from '../tensor/errors.js';
import { COLORS } from './colors.js';
import { textWidth, type Figure, type Shape } from './figure.js';
import { historyPanels, parseHistory, type HistoryData, type HistoryPanel } from './history-data.js';
import { checkPlotPath, writeFigure } from './output.js';
import { epochAxis, niceAxis, type Axis } from './ticks.js';

/** Options of `plot.history`. */
export interface HistoryPlotOptions {
  /** The quantities to plot, one panel each, in this order (default: all, `loss` first). */
  metrics?: readonly string[];
  /** The heading over the panels (default `'Training history'`; `''` for none). */
  title?: string;
  /** Image width in pixels (default 800). */
  width?: number;
  /** Image height in pixels (default: 300 per panel plus the title). */
  height?: number;
}

// Layout, in pixels. Text uses the bitmap font at scale 2 (12 px a character, 14 px caps).
const TEXT = 2;
const TITLE_TEXT = 3;
const PANEL_HEIGHT = 300;
const MIN_PANEL_HEIGHT = 170;
const MIN_WIDTH = 320;
const TICK = 5;
const MARKERS_UP_TO = 60; // epochs; beyond this the markers would crowd into a thick line
const TRAIN_STYLE = { color: COLORS.train, label: 'training' } as const;
const VAL_STYLE = { color: COLORS.validation, label: 'validation', dash: [8, 5] as const } as const;

/**
 * Draws training curves — one panel per quantity (loss, then each metric), the training series
 * solid blue and the `val_` series dashed orange, with a legend, tick labels on round values and
 * the epoch (1-based) along x, or the iteration for a history that records one per point (a
 * language model's) — and writes them to `path` as `.png` or `.svg`. Returns the figure.
 *
 * @example
 * const h = await model.fit(x, y, { epochs: 10, validationSplit: 0.1 });
 * nb.plot.history(h, 'curves.png');
 * nb.plot.history(h, 'accuracy.svg', { metrics: ['accuracy'], title: 'Fashion-MNIST CNN' });
 */
export function history(h: HistoryData, path: string, opts: HistoryPlotOptions = {}): Figure {
  checkPlotPath(path, 'plot.history');
  const figure = historyFigure(h, opts);
  writeFigure(figure, path, 'plot.history');
  return figure;
}

/**
 * The figure `plot.history` draws, without writing it (render it with `toSvg` or `toPng`).
 *
 * @example
 * const svg = nb.plot.toSvg(nb.plot.historyFigure(h));
 */
export function historyFigure(h: HistoryData, opts: HistoryPlotOptions = {}): Figure {
  const data = parseHistory(h, 'plot.history');
  const panels = historyPanels(data, opts.metrics);
  const title = opts.title ?? 'Training history';
  const titleBand = title === '' ? 8 : 50;
  const width = opts.width ?? 800;
  const height = opts.height ?? titleBand + PANEL_HEIGHT * panels.length;
  checkSize(width, 'width', MIN_WIDTH);
  checkSize(height, 'height', titleBand + MIN_PANEL_HEIGHT * panels.length, `for ${panels.length} panel${panels.length > 1 ? 's' : ''}`);

  // points measured at iterations are placed at them; epochs count from 1 as Keras prints them
  const byIteration = data.iteration !== undefined;
  const xs = data.iteration ?? data.epoch.map((e) => e + 1);
  const xOf = (i: number): number => xs[i] ?? i + (byIteration ? 0 : 1);
  const longest = Math.max(...panels.map((p) => Math.max(p.train?.length ?? 0, p.validation?.length ?? 0)));
  const xAxis = epochAxis(xOf(0), Math.max(xOf(0), xOf(longest - 1)));
  const yAxes = panels.map(valueAxis);
  // one left margin for all panels, so their plot areas line up
  const left = 16 + Math.max(...yAxes.flatMap((a) => a.labels.map((l) => textWidth(l, TEXT)))) + 6 + TICK;
  const right = width - 24;

  const shapes: Shape[] = [];
  if (title !== '') shapes.push({ kind: 'text', x: width / 2, y: 34, text: title, scale: TITLE_TEXT, color: COLORS.text, anchor: 'middle' });
  const panelHeight = Math.floor((height - titleBand) / panels.length);
  panels.forEach((panel, k) => {
    const top = titleBand + k * panelHeight;
    const area = { left, right, top: top + 40, bottom: top + panelHeight - 58 };
    drawPanel(shapes, panel, area, { axis: xAxis, label: byIteration ? 'iteration' : 'epoch', xOf }, yAxes[k]!);
  });
  return { width, height, background: COLORS.background, shapes };
}

interface Area {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The x axis of a history: what it counts (epochs or iterations) and where each point sits on it. */
interface XAxis {
  axis: Axis;
  label: 'epoch' | 'iteration';
  xOf: (i: number) => number;
}

function drawPanel(shapes: Shape[], panel: HistoryPanel, area: Area, x: XAxis, yAxis: Axis): void {
  const { left, right, top, bottom } = area;
  const { axis: xAxis, xOf } = x;
  const px = (x: number): number => left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * (right - left);
  // the end ticks sit a little inside the frame, so points on them do not touch the axes
  const inset = 8;
  const py = (y: number): number => bottom - inset - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * (bottom - top - 2 * inset);

  // grid, axes and tick labels
  yAxis.ticks.forEach((t, i) => {
    const y = Math.round(py(t));
    shapes.push({ kind: 'rect', x: left, y, w: right - left, h: 1, fill: COLORS.grid });
    shapes.push({ kind: 'rect', x: left - TICK, y, w: TICK, h: 1, fill: COLORS.axis });
    shapes.push({ kind: 'text', x: left - TICK - 6, y: y + 7, text: yAxis.labels[i]!, scale: TEXT, color: COLORS.mutedText, anchor: 'end' });
  });
  xAxis.ticks.forEach((t, i) => {
    const x = Math.round(px(t));
    shapes.push({ kind: 'rect', x, y: top, w: 1, h: bottom - top, fill: COLORS.grid });
    shapes.push({ kind: 'rect', x, y: bottom, w: 1, h: TICK, fill: COLORS.axis });
    shapes.push({ kind: 'text', x: x + 0.5, y: bottom + TICK + 20, text: xAxis.labels[i]!, scale: TEXT, color: COLORS.mutedText, anchor: 'middle' });
  });
  shapes.push({ kind: 'rect', x: left - 1, y: top, w: 1, h: bottom - top + 1, fill: COLORS.axis });
  shapes.push({ kind: 'rect', x: left - 1, y: bottom, w: right - left + 1, h: 1, fill: COLORS.axis });
  shapes.push({ kind: 'text', x: (left + right) / 2, y: bottom + TICK + 46, text: x.label, scale: TEXT, color: COLORS.mutedText, anchor: 'middle' });

  // heading: the quantity on the left, the legend on the right
  const header = top - 14;
  shapes.push({ kind: 'text', x: left, y: header, text: panel.name, scale: TEXT, color: COLORS.text, anchor: 'start' });
  const entries = [panel.train && TRAIN_STYLE, panel.validation && VAL_STYLE].filter((e) => e !== undefined);
  const markers = Math.max(panel.train?.length ?? 0, panel.validation?.length ?? 0) <= MARKERS_UP_TO;
  const sample = 26;
  const widths = entries.map((e) => sample + 8 + textWidth(e.label, TEXT));
  let lx = right - widths.reduce((a, b) => a + b, 0) - 20 * (entries.length - 1);
  entries.forEach((e, i) => {
    const y = header - 7;
    shapes.push({ kind: 'polyline', points: [[lx + 2, y], [lx + sample - 2, y]], color: e.color, width: 2.5, ...('dash' in e ? { dash: [6, 4] as const } : {}) });
    if (markers) shapes.push({ kind: 'circle', cx: lx + sample / 2, cy: y, r: 3.5, fill: e.color });
    shapes.push({ kind: 'text', x: lx + sample + 8, y: header, text: e.label, scale: TEXT, color: COLORS.text, anchor: 'start' });
    lx += widths[i]! + 20;
  });

  // the curves: training under validation, broken where a value is not finite
  for (const [series, style] of [[panel.train, TRAIN_STYLE], [panel.validation, VAL_STYLE]] as const) {
    if (!series) continue;
    for (const run of finiteRuns(series)) {
      const points = run.map((i) => [px(xOf(i)), py(series[i]!)] as const);
      if (points.length > 1) shapes.push({ kind: 'polyline', points, color: style.color, width: 2.5, ...('dash' in style ? { dash: style.dash } : {}) });
      if (markers || points.length === 1) for (const [cx, cy] of points) shapes.push({ kind: 'circle', cx, cy, r: 3.5, fill: style.color });
    }
  }
}

/** A y axis spanning the panel's finite values, both series together. */
function valueAxis(panel: HistoryPanel): Axis {
  const values = [...(panel.train ?? []), ...(panel.validation ?? [])].filter(Number.isFinite);
  if (values.length === 0) return niceAxis(0, 1);
  return niceAxis(values.reduce((a, b) => Math.min(a, b)), values.reduce((a, b) => Math.max(a, b)));
}

/** Index runs of consecutive finite values: [1, NaN, 2, 3] → [[0], [2, 3]]. */
function finiteRuns(series: readonly number[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  series.forEach((v, i) => {
    if (Number.isFinite(v)) run.push(i);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  });
  if (run.length > 0) runs.push(run);
  return runs;
}

function checkSize(value: number, name: string, min: number, why = ''): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ValueError(`plot.history: ${name} must be an integer of at least ${min} pixels${why ? ' ' + why : ''}, got ${value}`);
  }
}
