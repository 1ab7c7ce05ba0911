/**
 * Tab- and comma-separated tables (RFC 4180): fields split on a delimiter, a field in double
 * quotes may hold the delimiter, line breaks and doubled quotes (`""` is one `"`); lines end in
 * LF, CRLF or CR. A quote inside an unquoted field is an ordinary character (`5" screen`), as
 * most writers of TSV files expect.
 */
import { FormatError } from '../../formats/errors.js';

/** One record: its fields and the line it starts on (1-based, as an editor counts). */
export interface DelimitedRow {
  fields: string[];
  line: number;
}

/** Options of {@link parseDelimited}. */
export interface ParseDelimitedOptions {
  /** One character: `'\t'` or `','` usually. */
  delimiter: string;
  /** Read `"…"` fields as RFC 4180 quoted fields (default true); false keeps quotes as text. */
  quoting?: boolean;
  /** How errors name the caller and the file: `textTable: data.csv`. */
  where: string;
}

/**
 * The records of `text`, blank lines left out (a line that holds nothing but spaces, tabs and
 * delimiters, outside quotes). A quoted field that is never closed, or text between a closing quote
 * and the next delimiter, is a `FormatError` naming the line.
 *
 * @example
 * parseDelimited('a,b\n"x, y",2\n', { delimiter: ',', where: 'f.csv' })
 * // [{ fields: ['a', 'b'], line: 1 }, { fields: ['x, y', '2'], line: 2 }]
 */
export function parseDelimited(text: string, opts: ParseDelimitedOptions): DelimitedRow[] {
  const { delimiter, where } = opts;
  const quoting = opts.quoting ?? true;
  const rows: DelimitedRow[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    // one record: fields until a line end outside quotes
    for (;;) {
      if (quoting && text[i] === '"') {
        quotedAny = true;
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw new FormatError(
              `${where} line ${start}: a quoted field opens on this line and is never closed (the file ends inside it); ` +
                'close it with ", write a quote inside it as "", or read the file with { quoting: false } if its quotes are part of the text',
            );
          }
          value += text.slice(j, q);
          line += countLineBreaks(text, j, q);
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        fields.push(value);
        const c = text[i];
        if (i < n && c !== delimiter && c !== '\n' && c !== '\r') {
          throw new FormatError(
            `${where} line ${line}: text follows the closing quote of a quoted field (${JSON.stringify(text.slice(i, i + 12).split(/[\r\n]/)[0])}); ` +
              'inside a quoted field write a quote as "", or read the file with { quoting: false } if its quotes are part of the text',
          );
        }
      } else {
        let j = i;
        while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') j++;
        fields.push(text.slice(i, j));
        i = j;
      }
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      // a line end (LF, CRLF or CR) or the end of the text ends the record
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    const blank = !quotedAny && fields.every((f) => /^[ \t]*$/.test(f));
    if (!blank) rows.push({ fields, line: start });
  }
  return rows;
}

/** Line breaks (LF, CRLF or a lone CR, each counted once) in `text[from, to)`. */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text[k];
    if (c === '\n') count++;
    else if (c === '\r' && text[k + 1] !== '\n') count++;
  }
  return count;
}
