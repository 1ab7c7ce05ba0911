import { FormatError } from '../../formats/errors.js';
import { readFileBytes } from '../../formats/read-file.js';
import { ValueError } from '../../tensor/errors.js';

/**
 * The text of a file for the text data sets (`who` names the caller in errors). A missing path is
 * a `FileNotFoundError`; a file with NUL bytes (a binary file given by mistake) or bytes that are
 * not valid in `encoding` is a `FormatError` naming the line of the first bad byte. Invalid UTF-8
 * is an error, not a warning as for `CharCorpus`: a labelled set read with replacement characters
 * trains a vocabulary of words (`caf�`) that the model never sees again at prediction time, in
 * UTF-8, and the fix (`iconv`, or `{ encoding: 'latin1' }`) is one step. A UTF-8 byte-order mark
 * is dropped.
 */
export function readTextFile(path: string, who: string, encoding = 'utf-8'): string {
  const bytes = readFileBytes(path, who);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new FormatError(`${who}: '${path}' holds NUL bytes (the first on line ${lineOf(bytes, nul)}): it looks like a binary file, not text; pass a text file`);
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new ValueError(`${who}: unknown encoding '${encoding}'; use 'utf-8' (the default), 'latin1', 'utf-16le' or another WHATWG encoding label`);
  }
  try {
    // TextDecoder drops a leading byte-order mark by default
    return decoder.decode(bytes);
  } catch {
    if (decoder.encoding !== 'utf-8') throw new FormatError(`${who}: '${path}' is not valid ${decoder.encoding} text; pass the encoding it was written in`);
    const at = firstInvalidUtf8(bytes);
    throw new FormatError(
      `${who}: '${path}' is not valid UTF-8 text (byte ${at}, 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}, on line ${lineOf(bytes, at)}); ` +
        `convert it (iconv -f latin1 -t utf-8 '${path}' > out) or pass { encoding: 'latin1' } if that is how it was written`,
    );
  }
}

/** 1-based line of byte `at` (LF-separated). */
function lineOf(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Offset of the first byte that is not valid UTF-8. Lenient decoding puts U+FFFD (EF BF BD) at
 * the first invalid byte and leaves every valid sequence before it as it was, so encoding the
 * decoded text again first differs from the original bytes there.
 */
function firstInvalidUtf8(bytes: Buffer): number {
  const again = Buffer.from(bytes.toString('utf8'), 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === again[i]) i++;
  return i;
}
