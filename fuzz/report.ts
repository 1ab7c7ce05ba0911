/** Writing a fuzz run's results: the counts table (markdown, as README shows it) and the findings. */
import type { Finding, FormatCounts, FuzzReport, Note } from './run.js';

/** The per-format counts as a markdown table, with a total row. */
export function countsTable(report: FuzzReport): string {
  const rows = Object.entries(report.counts);
  const total: FormatCounts = { cases: 0, accepted: 0, clean: 0, relayed: 0, findings: 0 };
  for (const [, c] of rows) for (const k of Object.keys(total) as (keyof FormatCounts)[]) total[k] += c[k];
  const line = (name: string, c: FormatCounts): string => `| ${name} | ${c.cases} | ${c.accepted} | ${c.clean} | ${c.relayed} | ${c.findings} |`;
  return [
    '| format | cases | accepted | clean errors | of which relay an engine error | findings |', '|---|---:|---:|---:|---:|---:|',
    ...rows.map(([n, c]) => line(n, c)), line('**all**', total),
  ].join('\n');
}

/** The first line of a stack inside nabla's own sources, where a finding points. */
export function stackTop(stack: string): string {
  const lines = stack.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('at '));
  return lines.find((l) => l.includes('/src/')) ?? lines[0] ?? '';
}

/** Findings grouped by kind, error and where they were thrown; each group lists its cases. */
export function groupFindings(findings: readonly Finding[]): { key: string; findings: Finding[] }[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.format} · ${f.kind} · ${f.error} · ${stackTop(f.stack) || f.message.slice(0, 80)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, fs]) => ({ key, findings: fs }));
}

/** A readable summary of the findings: one paragraph per group, with replay commands. */
export function findingsText(findings: readonly Finding[], opts: { stacks?: boolean } = {}): string {
  const out: string[] = [];
  for (const { key, findings: fs } of groupFindings(findings)) {
    const first = fs[0]!;
    out.push(`● ${key}  (${fs.length} case${fs.length === 1 ? '' : 's'})`);
    out.push(`  ${first.message.split('\n')[0]!.slice(0, 300)}`);
    out.push(`  seed file: ${first.format}/${first.seedName}; replay: ${first.replay}`);
    if (fs.length > 1) out.push(`  also cases ${fs.slice(1, 12).map((f) => f.index).join(', ')}${fs.length > 12 ? ', …' : ''}`);
    if (opts.stacks && first.stack) out.push(first.stack.split('\n').map((l) => `    ${l}`).join('\n'));
  }
  return out.join('\n');
}

/** The relayed engine errors, grouped by message (after the file path), each with one replay command. */
export function notesText(notes: readonly Note[]): string {
  const groups = new Map<string, Note[]>();
  for (const n of notes) {
    const key = `${n.format} · ${n.error} · ${n.message.replace(/^.*?: not a valid/, 'not a valid').slice(0, 120)}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups].map(([key, ns]) => `○ ${key}  (${ns.length} case${ns.length === 1 ? '' : 's'}; ${ns[0]!.replay})`).join('\n');
}
