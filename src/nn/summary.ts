import { enableGrad } from '../tensor/grad-mode.js';
import { zeros } from '../tensor/creation.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import { watchDraws, type Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Layer } from './layer.js';

/** One row of a layer summary. */
export interface SummaryRow {
  /** `name (ClassName)`: `dense_1 (Dense)`. */
  name: string;
  /** Output shape from the last `apply`, or null when the layer has not run yet. */
  shape: readonly number[] | null;
  params: number;
  /** False for a layer whose weights do not exist yet: its count shows `0 (unbuilt)`, as in Keras. */
  built?: boolean;
}

/** The parameter totals printed under a summary table: counts, and the bytes they take. */
export interface SummaryTotals {
  total: number;
  trainable: number;
  nonTrainable: number;
  totalBytes: number;
  trainableBytes: number;
  nonTrainableBytes: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Options of `summary()`. */
export interface SummaryOptions {
  /** Batch size of the activation-memory estimate (default: the batch of the last `apply`). */
  batchSize?: number;
  /** Where the summary is printed (Keras' `print_fn`): default `console.log`; null prints nothing (it is still returned). */
  printFn?: ((text: string) => void) | null;
}

/**
 * Bytes of the tensors that the autograd graph behind `roots` keeps alive for backward: every
 * tensor reachable from them through recorded ops (the outputs of the ops and what their
 * gradients read, such as inputs, dropout masks and saved statistics), each storage counted once
 * (views share it), minus the storages in `exclude` (the weights and the batch itself).
 */
export function graphBytes(roots: readonly Tensor[], exclude: readonly Tensor[] = []): number {
  const skip = new Set<ArrayBufferLike>(exclude.map((t) => t.storage.buffer));
  const seen = new Set<Tensor>();
  const buffers = new Set<ArrayBufferLike>();
  const stack = [...roots];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (!skip.has(t.storage.buffer)) buffers.add(t.storage.buffer);
    if (t.node) stack.push(...t.node.inputs);
  }
  let bytes = 0;
  for (const b of buffers) bytes += b.byteLength;
  return bytes;
}

/**
 * Estimates the activation memory of one training step of `layer` at `batchSize`: runs one
 * forward in training mode on zeros shaped like the last input (batch dim replaced; float zeros,
 * or int32 zeros for a model that refuses floats, such as token ids), with the
 * graph recorded as `fit` would, and counts the bytes that graph holds (`graphBytes`), excluding
 * the weights and the batch. Nothing the step would change is left changed: the shapes shown by
 * `summary()`, the random generators and the non-trainable weights (moving statistics) are put
 * back. Returns null before the layer has run once (its input shape is unknown).
 */
export function activationBytes(layer: Layer, batchSize?: number): number | null {
  const last = layer.lastInputShape;
  if (last === null) return null;
  const batch = batchSize ?? last[0] ?? 1;
  if (!Number.isInteger(batch) || batch <= 0) throw new ValueError(`summary: batchSize must be a positive integer, got ${batch}`);
  const all = [layer, ...layer.namedLayers().map(([, l]) => l)];
  const shapes = all.map((l) => [l.lastInputShape, l.lastOutputShape] as const);
  const frozen = layer.nonTrainableWeights.map((w) => [w, w.data()] as const);
  const rng = new Map<Generator, ReturnType<Generator['getState']>>();
  const trace = (dtype: 'float32' | 'float64' | 'int32') => {
    const x = zeros(last.length > 0 ? [batch, ...last.slice(1)] : [], { dtype });
    return watchDraws(
      (g) => void (rng.has(g) || rng.set(g, g.getState())),
      () => enableGrad(() => graphBytes([layer.apply(x, true)], [...layer.weights, x])),
    );
  };
  try {
    try {
      return trace(layer.dtype);
    } catch (e) {
      // a model that reads token ids may refuse float zeros: trace it on int32 zeros instead
      if (e instanceof DTypeError) return trace('int32');
      throw e;
    }
  } finally {
    all.forEach((l, i) => ([l.lastInputShape, l.lastOutputShape] = shapes[i]!));
    for (const [w, data] of frozen) w.storage.set(data, w.offset);
    for (const [g, state] of rng) g.setState(state);
  }
}

/** `12.3 MB`: bytes in decimal units. */
function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/**
 * An output shape as Keras prints it: the batch dimension is `None` (any batch size), the
 * others as seen, as a Python tuple: `(None, 256)`, `(None, 28, 28, 32)`, `(None,)`.
 */
export function formatOutputShape(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  const dims = ['None', ...shape.slice(1).map(String)];
  return dims.length === 1 ? '(None,)' : `(${dims.join(', ')})`;
}

/**
 * Formats a Keras-style summary table (Keras 3's layout), one row per layer, `?` for the output
 * shape of a layer that has not run yet:
 *
 * ```
 * Model: "sequential"
 * ┏━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┓
 * ┃ Layer (type)    ┃ Output Shape ┃ Param # ┃
 * ┡━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━┩
 * │ dense (Dense)   │ (None, 256)  │ 200,960 │
 * ├─────────────────┼──────────────┼─────────┤
 * │ dense_1 (Dense) │ (None, 10)   │   2,570 │
 * └─────────────────┴──────────────┴─────────┘
 *  Total params: 203,530 (814.1 kB)
 *  Trainable params: 203,530 (814.1 kB)
 *  Non-trainable params: 0 (0 B)
 * ```
 *
 * `extra` lines follow the totals.
 */
export function formatSummary(title: string, rows: readonly SummaryRow[], totals: SummaryTotals, extra: readonly string[] = []): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #'] as const;
  const cells = rows.map((r) => [r.name, r.shape ? formatOutputShape(r.shape) : '?', `${count(r.params)}${r.built === false ? ' (unbuilt)' : ''}`] as const);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[], bar: string) => bar + c.map((v, i) => ` ${i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)} `).join(bar) + bar;
  const rule = (left: string, fill: string, mid: string, right: string) => left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  const body = cells.flatMap((c, i) => (i === 0 ? [line(c, '│')] : [rule('├', '─', '┼', '┤'), line(c, '│')]));
  const bytes = (n: number, b: number) => `${count(n)} (${formatBytes(b)})`;
  return [
    title,
    rule('┏', '━', '┳', '┓'),
    line(header, '┃'),
    rule('┡', '━', '╇', '┩'),
    ...body,
    rule('└', '─', '┴', '┘'),
    ` Total params: ${bytes(totals.total, totals.totalBytes)}`,
    ` Trainable params: ${bytes(totals.trainable, totals.trainableBytes)}`,
    ` Non-trainable params: ${bytes(totals.nonTrainable, totals.nonTrainableBytes)}`,
    ...extra.map((e) => ` ${e}`),
  ].join('\n');
}

/**
 * The summary of `layer` (a model's title is `Model: "name"`): one row per direct sublayer,
 * named `name (ClassName)` (a layer without sublayers is its own row; weights of a layer that
 * also has sublayers get an "(own weights)" row), with totals and the estimated activation
 * memory of a training step (see `activationBytes`). Printed with `printFn` (default
 * `console.log`; null prints nothing) and returned.
 */
export function layerSummary(layer: Layer, opts: SummaryOptions = {}): string {
  const children = layer.namedChildren();
  const unique = children.filter(([, l], i) => children.findIndex(([, m]) => m === l) === i);
  const rows: SummaryRow[] = unique.map(([, l]) => ({ name: `${l.name} (${l.className})`, shape: l.lastOutputShape, params: l.countParams(), built: l.built }));
  // addWeight names have no '.', so a path without one is the layer's own weight
  const ownCount = layer.namedWeights().filter(([n]) => !n.includes('.')).reduce((n, [, t]) => n + t.size, 0);
  if (rows.length === 0) rows.push({ name: `${layer.name} (${layer.className})`, shape: layer.lastOutputShape, params: ownCount, built: layer.built });
  else if (ownCount > 0) rows.push({ name: '(own weights)', shape: null, params: ownCount });
  const size = (ws: Tensor[]) => ws.reduce((n, t) => n + t.size, 0);
  const bytes = (ws: Tensor[]) => ws.reduce((n, t) => n + t.size * t.storage.BYTES_PER_ELEMENT, 0);
  // a Model (the class lives above nn/) is recognised by its training loop
  const kind = 'fit' in layer ? 'Model' : 'Layer';
  const text = formatSummary(`${kind}: "${layer.name}"`, rows, {
    total: size(layer.weights),
    trainable: size(layer.trainableWeights),
    nonTrainable: size(layer.nonTrainableWeights),
    totalBytes: bytes(layer.weights),
    trainableBytes: bytes(layer.trainableWeights),
    nonTrainableBytes: bytes(layer.nonTrainableWeights),
  }, [activationLine(layer, opts.batchSize)]);
  const print = opts.printFn === undefined ? (t: string) => console.log(t) : opts.printFn;
  print?.(text);
  return text;
}

/** The summary's activation-memory line. */
function activationLine(layer: Layer, batchSize?: number): string {
  let bytes: number | null;
  try {
    bytes = activationBytes(layer, batchSize);
  } catch (e) {
    if (e instanceof ValueError && /batchSize/.test(e.message)) throw e;
    return `Activation memory: not estimated (a training step on zeros failed: ${(e as Error).message})`;
  }
  if (bytes === null) return 'Activation memory: unknown until the layer has run once (apply or fit)';
  const batch = batchSize ?? layer.lastInputShape![0] ?? 1;
  return `Activation memory (batch ${batch}, training): ${formatBytes(bytes)} kept for backward (estimated by tracing one step)`;
}
