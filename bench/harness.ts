/** Timing helpers for the benchmark suite: warm-up, repetitions, median. */

export interface Timing {
  /** Median seconds per call. */
  median: number;
  min: number;
  max: number;
  reps: number;
}

/**
 * Times `fn` after `warmup` calls: repeats until `minReps` calls and at least `minSeconds` have
 * passed (capped at `maxReps`), and reports the median, which a noisy shared machine disturbs
 * least.
 */
export function time(fn: () => unknown, opts: { warmup?: number; minReps?: number; maxReps?: number; minSeconds?: number } = {}): Timing {
  const { warmup = 2, minReps = 5, maxReps = 50, minSeconds = 1 } = opts;
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxReps && (samples.length < minReps || performance.now() - start < minSeconds * 1000)) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, min: samples[0]!, max: samples[samples.length - 1]!, reps: samples.length };
}

/** A markdown table from rows of cells. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
