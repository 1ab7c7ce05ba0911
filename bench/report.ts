/**
 * The suite's results as data (one `Cell` per workload case and contender) and as markdown: a
 * table of the peers (version, the BLAS they loaded, threads) and one table per workload with
 * each peer's value and nabla's ratio to it. Pure functions of the results.
 */
import { formatNumber, markdownTable, ratio, type Unit } from './harness.js';

/** What happened to one contender in one case. */
export type CellStatus = 'ok' | 'skipped' | 'failed' | 'not available';

/** One contender's result in one case of a workload. */
export interface Cell {
  workload: string;
  case: string;
  contender: string;
  status: CellStatus;
  /** Why it was skipped, failed or is not available. */
  reason?: string;
  /** A caveat on the value (e.g. a fraction of the epoch). */
  note?: string;
  /** Median result in the workload's unit. */
  value?: number;
  /** nabla's value ÷ this one. */
  ratio?: number;
  /** Median seconds per call, all samples' seconds per call, calls per sample, work per call. */
  secondsPerCall?: number;
  samples?: number[];
  reps?: number;
  work?: number;
}

/** A contender's state for the whole run. */
export interface ContenderStatus {
  contender: string;
  title: string;
  available: boolean;
  reason?: string;
  info: Record<string, unknown>;
}

/** Fills in every cell's ratio to the `primary` contender's cell of the same workload and case. */
export function addRatios(cells: Cell[], primary = 'nabla'): void {
  const key = (c: Cell) => `${c.workload}\u0000${c.case}`;
  const base = new Map(cells.filter((c) => c.contender === primary && c.status === 'ok').map((c) => [key(c), c.value]));
  for (const c of cells) {
    if (c.status !== 'ok' || c.contender === primary) continue;
    const r = ratio(base.get(key(c)), c.value);
    if (r !== undefined) c.ratio = r;
  }
}

/** A ratio with two decimals below 10, fewer above: 0.953 → '0.95', 40.47 → '40', 133.7 → '134'. */
export function formatRatio(r: number): string {
  return r >= 10 ? r.toFixed(0) : r.toFixed(2);
}

/** The cell text: `value`, `value (ratio)` for others than the primary, a dagger on a caveat, '–' or the status otherwise. */
export function cellText(c: Cell | undefined, primary = 'nabla'): string {
  if (!c) return '';
  switch (c.status) {
    case 'ok': {
      const v = c.value === undefined ? '?' : formatNumber(c.value);
      const r = c.contender !== primary && c.ratio !== undefined ? ` (${formatRatio(c.ratio)})` : '';
      return `${v}${c.note ? ' †' : ''}${r}`;
    }
    case 'skipped':
      return '–';
    case 'failed':
      return 'failed';
    case 'not available':
      return 'n/a';
  }
}

/** A workload's section as given to `renderWorkload`. */
export interface Section {
  title: string;
  unit: Unit;
  about: string;
}

/**
 * One workload's markdown: heading with the unit, what it measures, a table (cases down,
 * contenders across, in the order of `columns`), and the notes: skips, failures and caveats, each
 * reason once with the cases it applies to.
 */
export function renderWorkload(section: Section, cases: readonly string[], columns: readonly { name: string; title: string }[], cells: readonly Cell[], primary = 'nabla'): string {
  const better = section.unit.kind === 'rate' ? 'higher is better; ratio = nabla ÷ peer, above 1 nabla is faster' : 'lower is better; ratio = nabla ÷ peer, below 1 nabla is faster';
  const used = columns.filter((col) => cells.some((c) => c.contender === col.name));
  const at = (caseLabel: string, contender: string) => cells.find((c) => c.case === caseLabel && c.contender === contender);
  const rows = cases.map((label) => [label, ...used.map((col) => cellText(at(label, col.name), primary))]);
  const notes = new Map<string, string[]>();
  for (const col of used) {
    for (const c of cells.filter((x) => x.contender === col.name)) {
      const text =
        c.status === 'skipped' || c.status === 'failed' || c.status === 'not available'
          ? `${c.status === 'skipped' ? '–' : c.status}: ${c.reason ?? ''}`
          : c.note
            ? `†: ${c.note}`
            : undefined;
      if (text === undefined) continue;
      const k = `${col.title} ${text}`;
      notes.set(k, [...(notes.get(k) ?? []), c.case]);
    }
  }
  const lines = [`### ${section.title} (${section.unit.label}, ${better})`, '', section.about, '', markdownTable(['case', ...used.map((c) => c.title)], rows)];
  if (notes.size > 0) {
    lines.push('');
    for (const [k, where] of notes) lines.push(`- ${k} (${where.length === cases.length ? 'all cases' : where.join('; ')})`);
  }
  const check = workerCheck(cases, cells);
  if (check) lines.push('', check);
  return lines.join('\n');
}

/** The table of contenders: available or why not, version, the BLAS or kernels it runs on, threads. */
export function renderContenders(list: readonly ContenderStatus[]): string {
  const str = (v: unknown) => (v === undefined ? '' : String(v));
  return markdownTable(
    ['contender', 'status', 'version', 'BLAS / kernels', 'threads'],
    list.map((c) => [c.title, c.available ? 'ok' : `not available: ${c.reason ?? ''}`, str(c.info['version']), str(c.info['blas']), str(c.info['threads'])]),
  );
}

/**
 * The check on the PyTorch worker, when the run had `--standalone`: for each case, the worker's
 * value ÷ the standalone script's (1 when the worker measures PyTorch at its best; the bar
 * is within 10 %), or undefined when no case has both.
 */
export function workerCheck(cases: readonly string[], cells: readonly Cell[]): string | undefined {
  const value = (label: string, contender: string) => cells.find((c) => c.case === label && c.contender === contender && c.status === 'ok')?.value;
  const parts: string[] = [];
  for (const label of cases) {
    const r = ratio(value(label, 'torch'), value(label, 'torch-standalone'));
    if (r !== undefined) parts.push(`${label} ${r.toFixed(3)}${Math.abs(r - 1) > 0.1 ? ' (more than 10 % apart)' : ''}`);
  }
  return parts.length > 0 ? `PyTorch worker ÷ standalone script, same unit: ${parts.join('; ')}.` : undefined;
}
