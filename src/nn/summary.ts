import type { Tensor } from '../tensor/tensor.js';
import type { Layer } from './layer.js';

/** One row of a layer summary. */
export interface SummaryRow {
  /** `path (ClassName)`. */
  name: string;
  /** Output shape from the last `apply`, or null when the layer has not run yet. */
  shape: readonly number[] | null;
  params: number;
}

/** The parameter totals printed under a summary table. */
export interface SummaryTotals {
  total: number;
  trainable: number;
  nonTrainable: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Formats a Keras-style summary table:
 *
 * ```
 * Layer (type)        Output shape    Param #
 * ============================================
 * dense1 (Dense)      [32,256]        200,960
 * ```
 *
 * Shapes come from the last `apply` ("?" before the layer has run), so the batch dim is the one
 * actually seen.
 */
export function formatSummary(title: string, rows: readonly SummaryRow[], totals: SummaryTotals): string {
  const header = ['Layer (type)', 'Output shape', 'Param #'] as const;
  const cells = rows.map((r) => [r.name, r.shape ? `[${r.shape.join(',')}]` : '?', count(r.params)] as const);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('   ');
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0) + 6);
  return [
    `Summary of ${title}`,
    rule('='),
    line(header),
    rule('='),
    ...cells.map(line),
    rule('='),
    `Total params: ${count(totals.total)}`,
    `Trainable params: ${count(totals.trainable)}`,
    `Non-trainable params: ${count(totals.nonTrainable)}`,
  ].join('\n');
}

/**
 * The summary of `layer`: one row per direct sublayer (a layer without sublayers is its own row;
 * weights of a layer that also has sublayers get an "(own weights)" row), with totals.
 */
export function layerSummary(layer: Layer): string {
  const children = layer.namedChildren();
  const unique = children.filter(([, l], i) => children.findIndex(([, m]) => m === l) === i);
  const rows: SummaryRow[] = unique.map(([path, l]) => ({ name: `${path} (${l.className})`, shape: l.lastOutputShape, params: l.countParams() }));
  // addWeight names have no '.', so a path without one is the layer's own weight
  const ownCount = layer.namedWeights().filter(([n]) => !n.includes('.')).reduce((n, [, t]) => n + t.size, 0);
  if (rows.length === 0) rows.push({ name: `${layer.name} (${layer.className})`, shape: layer.lastOutputShape, params: ownCount });
  else if (ownCount > 0) rows.push({ name: '(own weights)', shape: null, params: ownCount });
  const size = (ws: Tensor[]) => ws.reduce((n, t) => n + t.size, 0);
  return formatSummary(layer.describe(), rows, {
    total: size(layer.weights),
    trainable: size(layer.trainableWeights),
    nonTrainable: size(layer.nonTrainableWeights),
  });
}
