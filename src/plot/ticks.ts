/** An axis: the value range it spans and the tick values, with their labels, inside it. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly labels: readonly string[];
}

/**
 * The smallest "nice" step (1, 2 or 5 times a power of ten) that cuts `span` into at most
 * `maxTicks - 1` intervals.
 */
export function niceStep(span: number, maxTicks: number): number {
  const rough = span / Math.max(1, maxTicks - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough * (1 - 1e-9)) return m * power;
  return 10 * power;
}

/**
 * A value axis covering `[lo, hi]`, widened outwards to whole steps so that the first and last
 * ticks sit on the ends: `niceAxis(0.23, 0.91)` spans 0.2–1 with ticks 0.2, 0.4, …, 1.
 * A flat range (lo = hi) is widened around its value.
 *
 * @example
 * niceAxis(0.23, 0.91).labels // ['0.2', '0.4', '0.6', '0.8', '1.0']
 */
export function niceAxis(lo: number, hi: number, maxTicks = 6): Axis {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const step = niceStep(hi - lo, maxTicks);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  // counted, not stepped until past max: beyond 2^53 steps k + 1 === k and such a loop never ends
  const first = Math.round(min / step);
  const count = Math.round((max - min) / step);
  const ticks: number[] = [];
  for (let i = 0; i <= count; i++) ticks.push(cleanZero((first + i) * step));
  return { min: ticks[0] ?? min, max: ticks[ticks.length - 1] ?? max, ticks, labels: formatTicks(ticks, step) };
}

/**
 * An integer axis for epochs `first..last` (1-based): ticks at whole multiples of a nice step of
 * at least 1, padded by half an epoch on each side so the end points do not sit on the frame.
 *
 * @example
 * epochAxis(1, 10).ticks // [2, 4, 6, 8, 10]
 */
export function epochAxis(first: number, last: number, maxTicks = 8): Axis {
  const step = Math.max(1, niceStep(Math.max(1, last - first), maxTicks));
  // counted, as in niceAxis: an iteration past 2^53 (from a file) must not loop forever
  const start = Math.ceil(first / step);
  const count = Math.floor(last / step) - start;
  const ticks: number[] = [];
  for (let i = 0; i <= count; i++) ticks.push((start + i) * step);
  if (ticks.length === 0) ticks.push(first);
  const pad = last === first ? 0.5 : Math.max(0.5, (last - first) * 0.02);
  return { min: first - pad, max: last + pad, ticks, labels: ticks.map((t) => String(t)) };
}

/** Labels with the decimals the step needs (0.25 steps → 2 decimals); exponents for extremes. */
function formatTicks(ticks: readonly number[], step: number): string[] {
  const biggest = Math.max(...ticks.map(Math.abs));
  if (biggest >= 1e6 || step < 1e-4) {
    const digits = Math.max(0, Math.ceil(Math.log10(biggest / step)));
    return ticks.map((t) => (t === 0 ? '0' : t.toExponential(Math.min(6, digits))));
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return ticks.map((t) => t.toFixed(decimals));
}

// k · step carries rounding noise (3 · 0.1 = 0.30000000000000004); twelve digits are plenty
function cleanZero(v: number): number {
  return Math.abs(v) < 1e-12 ? 0 : Number(v.toPrecision(12));
}
