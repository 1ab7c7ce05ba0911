/**
 * A file's bytes do not follow its format (a safetensors header that lies about its size, an IDX
 * file with a bad magic number, a truncated download). The message names the file or tensor, what
 * was found and what was expected.
 */
export class FormatError extends Error {
  override name = 'FormatError';
}

/**
 * A file that nabla was asked to read does not exist. `path` is the missing file; the message says
 * how to get it.
 */
export class FileNotFoundError extends Error {
  override name = 'FileNotFoundError';
  /** Node's error code for a missing file, so `err.code === 'ENOENT'` checks keep working. */
  readonly code = 'ENOENT';

  constructor(
    message: string,
    /** The path that was looked for. */
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * A file that exists could not be read: a directory where a file should be, no permission, a name
 * the system refuses (too long, a NUL byte). `code` is the system's (`EISDIR`, `EACCES`, …).
 */
export class FileReadError extends Error {
  override name = 'FileReadError';

  constructor(
    message: string,
    /** The path that could not be read. */
    readonly path: string,
    /** The system's error code, when it gave one. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * What a reader throws when reading `path` failed with `err` other than for a missing file (which
 * each reader reports in its own words): a FileReadError naming the path and the cause. Errors
 * that are not the system's (already nabla's own) are returned as they are.
 */
export function unreadable(who: string, path: string, err: unknown): Error {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(err instanceof Error)) return err instanceof Error ? err : new FileReadError(`${who}: cannot read ${shortPath(path)} (${String(err)})`, path, undefined);
  const why = code === 'EISDIR' ? 'it is a directory, not a file' : code === 'ERR_INVALID_ARG_VALUE' ? 'the name holds a NUL byte' : code === 'ENAMETOOLONG' ? 'the name is too long for the system' : err.message;
  return new FileReadError(`${who}: cannot read ${shortPath(path)}: ${why}; pass the path of the file itself`, path, code);
}

/** A path as messages show it: names from a hostile file can be 10,000 characters long. */
function shortPath(path: string): string {
  const shown = path.length > 200 ? `${path.slice(0, 120)}…${path.slice(-60)} (${path.length} characters)` : path;
  return JSON.stringify(shown);
}
