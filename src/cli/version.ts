import { readFileSync } from 'node:fs';

/**
 * The version in nabla's package.json. This file sits two folders below the package root both
 * as source (src/cli/version.ts, run through tsx) and compiled (dist/cli/version.js, also in an
 * installed package, which always ships its package.json), so the same relative path finds it.
 */
export function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  const json = JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
  if (json.name !== 'nabla' || typeof json.version !== 'string') throw new Error(`${url.pathname} is not nabla's package.json`);
  return json.version;
}
