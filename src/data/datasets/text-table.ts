import { extname } from 'node:path';
import { FormatError } from '../../formats/errors.js';
import { tensor } from '../../tensor/creation.js';
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { parseDelimited, type DelimitedRow } from './delimited.js';
import { readTextFile } from './read-text-file.js';
import { classLabels, type RawLabel } from './text-labels.js';

/**
 * A labelled text set: one text and one class per example, and the class names. Give the class
 * names to the model (`model.metadata = { classNames }`) so that they are saved with it in
 * model.json, where `nabla evaluate` and `predict` read them.
 */
export interface TextData {
  texts: string[];
  /** int32 `[n]`: the class index of each text. */
  labels: Tensor;
  /** `classNames[k]` names class `k`. */
  classNames: string[];
}

/** Options of {@link textTable}. */
export interface TextTableOptions {
  /** The header name of the text column (any case). Default: the column named `sentence`, else `text`. */
  textColumn?: string;
  /** The header name of the label column (any case). Default `label`. */
  labelColumn?: string;
  /** The field separator. Default from the extension: `.tsv` tab, `.csv` comma. */
  delimiter?: string;
  /** Read `"…"` fields as RFC 4180 quoted fields (default true); false keeps every quote as text. */
  quoting?: boolean;
  /** The file's text encoding (a WHATWG label such as `'latin1'`). Default `'utf-8'`. */
  encoding?: string;
}

const TEXT_COLUMNS = ['sentence', 'text'];

/**
 * Reads a labelled text table: a TSV or CSV file with a header line, one example a row (RFC 4180
 * quoting: a quoted field may hold delimiters, line breaks and `""` for a quote; LF or CRLF line
 * ends; a UTF-8 byte-order mark is dropped). Blank lines (nothing but spaces and delimiters)
 * are skipped; an empty text field is kept as an empty text. Columns are found by their header
 * name, in any order and any case, so GLUE's `label<TAB>sentence` and `sentence<TAB>label`
 * both read.
 *
 * Labels that are whole numbers 0, 1, … are the class indices (`classNames` `['0', '1', …]`);
 * other labels are names, mapped to indices in sorted order (see `classLabels`). A file that
 * does not fit — missing, empty, header only, no such column, a row with too few or too many
 * fields, an unclosed quote, inconsistent labels, bytes that are not UTF-8 — is an error naming
 * the file, the line and the fix.
 *
 * @example
 * const data = nb.datasets.textTable('../shared/data/sst2/train.tsv');
 * data.texts.length   // 67349
 * const { train, val } = nb.datasets.trainValSplit(data, { validation: 0.05, seed: 0 });
 */
export function textTable(path: string, opts: TextTableOptions = {}): TextData {
  const who = 'textTable';
  const delimiter = opts.delimiter ?? delimiterOf(path);
  if (typeof delimiter !== 'string' || [...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ValueError(`${who}: delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  const where = `${who}: ${path}`;
  const text = readTextFile(path, who, opts.encoding);
  const rows = parseDelimited(text, { delimiter, quoting: opts.quoting, where });
  const header = rows[0];
  if (header === undefined) {
    throw new FormatError(`${where} is empty; it needs a header line (e.g. label${delimiter === '\t' ? '<TAB>' : delimiter}sentence) and one row per example`);
  }
  const names = header.fields.map((f) => f.trim());
  const textAt = column(names, opts.textColumn === undefined ? TEXT_COLUMNS : [opts.textColumn], 'text', 'textColumn', where);
  const labelAt = column(names, [opts.labelColumn ?? 'label'], 'label', 'labelColumn', where);
  if (textAt === labelAt) throw new ValueError(`${who}: textColumn and labelColumn both name the column '${names[textAt]}'; give two columns`);
  if (rows.length === 1) throw new FormatError(`${where} has a header (${names.join(', ')}) but no rows; add one row per example`);
  const texts: string[] = [];
  const raw: RawLabel[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    checkWidth(row, names, delimiter, where);
    texts.push(row.fields[textAt]!);
    raw.push({ value: row.fields[labelAt]!, line: row.line });
  }
  const { labels, classNames } = classLabels(raw, where);
  return { texts, labels: tensor(labels, { dtype: 'int32', shape: [labels.length] }), classNames };
}

/** `.tsv` → tab, `.csv` → comma; any other extension needs the option. */
function delimiterOf(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return '\t';
  if (ext === '.csv') return ',';
  throw new ValueError(`textTable: cannot tell the delimiter of '${path}' from its extension (.tsv is tab-separated, .csv comma-separated); pass { delimiter: '\\t' } or { delimiter: ',' }`);
}

/** Index of the first of `wanted` among the header `names` (any case); an error lists the columns there are. */
function column(names: readonly string[], wanted: readonly string[], role: string, option: string, where: string): number {
  const lower = names.map((n) => n.toLowerCase());
  for (const w of wanted) {
    const at = lower.indexOf(w.toLowerCase());
    if (at < 0) continue;
    if (lower.indexOf(w.toLowerCase(), at + 1) >= 0) throw new FormatError(`${where}: the header names the column '${w}' twice; rename one`);
    return at;
  }
  const looked = wanted.map((w) => `'${w}'`).join(' or ');
  throw new FormatError(
    `${where}: no ${role} column (looked for ${looked} in the header; its columns are ${names.map((n) => `'${n}'`).join(', ')}); ` +
      `pass { ${option}: '<name>' } naming one of them`,
  );
}

/** A row must have as many fields as the header: fewer means a field is missing, more an unquoted delimiter in a text. */
function checkWidth(row: DelimitedRow, names: readonly string[], delimiter: string, where: string): void {
  const got = row.fields.length;
  if (got === names.length) return;
  const sep = delimiter === '\t' ? 'tab' : JSON.stringify(delimiter);
  const fix =
    got < names.length
      ? `a field is missing (each row needs ${names.length}, separated by ${sep})`
      : `a text holds a ${sep} without quotes around it; quote that field ("…")`;
  throw new FormatError(`${where} line ${row.line}: ${got} field${got === 1 ? '' : 's'} where the header (${names.join(', ')}) has ${names.length}: ${fix}`);
}
