import { readFileSync } from 'node:fs';
import { FileNotFoundError, FormatError, unreadable } from '../../formats/errors.js';
import { jsonTreeProblem } from '../../formats/json-tree.js';

/**
 * Reads a tokenizer's JSON file and checks its `format` tag and `version`, so that each loader only
 * validates its own fields. Errors name the path: a missing file is a `FileNotFoundError`; bytes
 * that are not JSON, another kind of file, or a version this code cannot read are `FormatError`s.
 *
 * @param op the loader, for messages (`ByteLevelBPE.load`).
 * @param format the tag the file must carry (`nabla.byte-level-bpe`).
 * @param version the version this code reads.
 * @returns the parsed top-level object.
 */
export function readTokenizerFile(path: string, op: string, format: string, version: number): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FileNotFoundError(`${op}: no tokenizer file at ${path}; create one with save(path)`, path);
    }
    throw unreadable(op, path, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`${op}: ${path} is not valid JSON (${(err as Error).message}); the file is damaged or not a tokenizer`);
  }
  const problem = jsonTreeProblem(parsed);
  if (problem !== null) throw new FormatError(`${op}: ${path} ${problem}`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FormatError(`${op}: ${path} does not hold a JSON object; it is not a ${format} file`);
  }
  const obj = parsed as Record<string, unknown>;
  if (obj['format'] !== format) {
    throw new FormatError(
      `${op}: ${path} is not a ${format} file (its format field is ${JSON.stringify(obj['format']) ?? 'missing'})`,
    );
  }
  if (obj['version'] !== version) {
    throw new FormatError(
      `${op}: ${path} has version ${JSON.stringify(obj['version']) ?? 'missing'}, but this nabla reads version ${version}; ` +
        `save it again with a matching nabla`,
    );
  }
  return obj;
}

/** A `FormatError` about one field of a tokenizer file: `op: PATH: field merges[3] …`. */
export function badField(op: string, path: string, detail: string): FormatError {
  return new FormatError(`${op}: ${path} is malformed: ${detail}`);
}
