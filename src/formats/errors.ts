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
