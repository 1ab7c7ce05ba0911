import { ValueError } from '../tensor/errors.js';

/**
 * Training history as `History.toJSON()` writes it (and as a `History` object already is): the
 * epoch indices (0-based, as `fit()` counts) and each logged quantity per epoch. A history
 * measured at training iterations instead (`nb.models.trainLanguageModel`'s) also gives the
 * `iteration` of each point, and is plotted against it. A `null` in a series (how JSON writes
 * NaN) is read as NaN.
 */
export interface HistoryData {
  readonly epoch: readonly number[];
  /** The training iteration (step) at which each point was measured, when points are not epochs. */
  readonly iteration?: readonly number[];
  readonly history: Readonly<Record<string, readonly number[]>>;
}

/** One panel of a history plot: a quantity and its training and validation series. */
export interface HistoryPanel {
  /** The quantity's name without `val_` (`loss`, `accuracy`). */
  readonly name: string;
  readonly train?: readonly number[];
  readonly validation?: readonly number[];
}

/**
 * Checks that `value` looks like `{epoch: number[], history: {name: number[]}}` (with an optional
 * `iteration: number[]`, one per point) and returns it with `null`s turned into NaN. `source`
 * names where it came from in errors (a file or `plot.history`). `epoch` may be missing (then
 * epochs count 0, 1, 2, …).
 *
 * @example
 * parseHistory(JSON.parse(readFileSync('history.json', 'utf8')), 'history.json');
 */
export function parseHistory(value: unknown, source: string): HistoryData {
  const shape = `expected {epoch: number[], history: {loss: number[], …}} as History.toJSON() writes`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValueError(`${source}: ${shape}, got ${describe(value)}`);
  const record = value as Record<string, unknown>;
  const series = record['history'];
  if (typeof series !== 'object' || series === null || Array.isArray(series)) throw new ValueError(`${source}: ${shape}; 'history' is ${describe(series)}`);
  const history: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(series as Record<string, unknown>)) {
    if (!Array.isArray(values)) throw new ValueError(`${source}: history.${name} must be an array of numbers, got ${describe(values)}`);
    history[name] = values.map((v, i) => {
      if (v === null) return NaN;
      if (typeof v !== 'number') throw new ValueError(`${source}: history.${name}[${i}] must be a number, got ${describe(v)}`);
      return v;
    });
  }
  const longest = Math.max(0, ...Object.values(history).map((v) => v.length));
  const epochValue = record['epoch'];
  let epoch: number[];
  if (epochValue === undefined) epoch = Array.from({ length: longest }, (_, i) => i);
  else if (Array.isArray(epochValue) && epochValue.every((e) => Number.isInteger(e) && (e as number) >= 0)) epoch = epochValue as number[];
  else throw new ValueError(`${source}: 'epoch' must be an array of non-negative integers, got ${describe(epochValue)}`);
  const iteration = record['iteration'];
  if (iteration === undefined) return { epoch, history };
  if (!Array.isArray(iteration) || !iteration.every((e) => Number.isInteger(e) && (e as number) >= 0)) {
    throw new ValueError(`${source}: 'iteration' must be an array of non-negative integers, got ${describe(iteration)}`);
  }
  if (iteration.length !== longest) throw new ValueError(`${source}: 'iteration' has ${iteration.length} entries but the history has ${longest} points; give one iteration per point`);
  return { epoch, iteration: iteration as number[], history };
}

/**
 * Groups a history into panels, one per quantity (`loss` first, then in logged order), each
 * pairing `name` with `val_name`. `metrics` picks and orders the panels (`['loss', 'accuracy']`;
 * a `val_` prefix is accepted too). Empty histories and unknown names raise a `ValueError` that
 * lists what is there.
 *
 * @example
 * historyPanels(h, ['accuracy']) // [{ name: 'accuracy', train: [...], validation: [...] }]
 */
export function historyPanels(h: HistoryData, metrics?: readonly string[], who = 'plot.history'): HistoryPanel[] {
  const names: string[] = [];
  for (const [key, values] of Object.entries(h.history)) {
    if (values.length === 0) continue;
    const base = key.startsWith('val_') ? key.slice(4) : key;
    if (!names.includes(base)) names.push(base);
  }
  if (names.length === 0) throw new ValueError(`${who}: the history is empty (no epochs recorded); pass what model.fit() returns after at least one epoch`);
  names.sort((a, b) => Number(b === 'loss') - Number(a === 'loss'));
  let chosen = names;
  if (metrics !== undefined) {
    if (metrics.length === 0) throw new ValueError(`${who}: metrics is empty; leave it out to plot everything (${names.join(', ')})`);
    chosen = metrics.map((m) => {
      const base = names.includes(m) ? m : m.startsWith('val_') && names.includes(m.slice(4)) ? m.slice(4) : undefined;
      if (base === undefined) throw new ValueError(`${who}: no metric '${m}' in the history; available: ${names.join(', ')}`);
      return base;
    });
  }
  return chosen.map((name) => {
    const train = h.history[name];
    const validation = h.history[`val_${name}`];
    return {
      name,
      ...(train && train.length > 0 ? { train } : {}),
      ...(validation && validation.length > 0 ? { validation } : {}),
    };
  });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string '${v.length > 20 ? v.slice(0, 20) + '…' : v}'`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
