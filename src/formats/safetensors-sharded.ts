/**
 * Sharded safetensors models, as Hugging Face writes them: `model-00001-of-00003.safetensors`…
 * next to `model.safetensors.index.json`, whose `weight_map` says which file holds each tensor.
 */
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic.js';
import { FileNotFoundError, FormatError, unreadable } from './errors.js';
import { jsonTreeProblem } from './json-tree.js';
import { DTYPE_INFO, type SafetensorsDType } from './safetensors-dtypes.js';
import { openSafetensors, type SafetensorsFile, type SafetensorsTensorInfo } from './safetensors-file.js';
import { fileDTypeOf, saveSafetensors, type SafetensorsSaveOptions } from './safetensors.js';
import { makeDirs } from './make-dirs.js';

/** Options of `saveSharded`. */
export interface SaveShardedOptions extends SafetensorsSaveOptions {
  /** The most tensor bytes per shard (default 5 GB, as Hugging Face); a larger tensor gets a shard of its own. */
  maxShardBytes?: number;
  /** The file name stem (default 'model': `model-00001-of-00002.safetensors`, `model.safetensors.index.json`). */
  prefix?: string;
  /** `__metadata__` of every shard (default `{ format: 'pt' }`, as the Hugging Face tools write). */
  metadata?: Record<string, string>;
}

/** What `loadSharded` returns: the tensors of all shards, and the index's own `metadata`. */
export interface ShardedContents {
  tensors: Record<string, Tensor>;
  /** The index file's `metadata` object (e.g. `{ total_size: 123 }`), or `{}`. */
  metadata: Record<string, unknown>;
}

const DEFAULT_MAX_SHARD_BYTES = 5_000_000_000;

/**
 * Writes `tensors` into `dir` as shards of at most `maxShardBytes` tensor bytes each (in the
 * record's order; a tensor larger than the limit gets a shard of its own), then the index
 * `model.safetensors.index.json` (`{ metadata: { total_size }, weight_map: { name: file } }`).
 * Each file is written atomically and the index last; shards of an earlier save with another
 * shard count are removed afterwards. Returns the index's path.
 *
 * @example
 * nb.io.saveSharded('out/llm', model.stateDict(), { maxShardBytes: 2e9, floatDType: 'BF16' });
 * const { tensors } = nb.io.loadSharded('out/llm');
 */
export function saveSharded(dir: string, tensors: Record<string, Tensor>, opts: SaveShardedOptions = {}): string {
  const { maxShardBytes = DEFAULT_MAX_SHARD_BYTES, prefix = 'model', metadata = { format: 'pt' }, ...saveOpts } = opts;
  if (!(Number.isSafeInteger(maxShardBytes) && maxShardBytes > 0)) throw new ValueError(`saveSharded: maxShardBytes must be a positive integer, got ${maxShardBytes}`);
  if (typeof prefix !== 'string' || prefix === '' || /[/\\]/.test(prefix)) throw new ValueError(`saveSharded: prefix must be a file name stem without slashes, got ${JSON.stringify(prefix)}`);
  if (typeof tensors !== 'object' || tensors === null) throw new ValueError('saveSharded: expected a record of named tensors');
  for (const name of Object.keys(saveOpts.dtypes ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(tensors, name)) throw new ValueError(`saveSharded: options.dtypes names '${name}', which is not one of the tensors being saved`);
  }
  const shards: { names: string[]; bytes: number }[] = [];
  let totalSize = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = fileBytes(name, t, saveOpts);
    totalSize += bytes;
    const last = shards.at(-1);
    if (last !== undefined && last.bytes + bytes <= maxShardBytes) {
      last.names.push(name);
      last.bytes += bytes;
    } else {
      shards.push({ names: [name], bytes });
    }
  }
  if (shards.length === 0) shards.push({ names: [], bytes: 0 });
  makeDirs(dir, 'saveSharded');
  const pad = (i: number) => String(i).padStart(5, '0');
  const files = shards.map((_, i) => `${prefix}-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`);
  // entries, made into a record by fromEntries: a tensor may be named '__proto__'
  const weightMap: [string, string][] = [];
  shards.forEach((shard, i) => {
    const part = Object.fromEntries(shard.names.map((n): [string, Tensor] => [n, tensors[n]!]));
    const dtypes = Object.fromEntries(shard.names.map((n): [string, SafetensorsDType] => [n, fileDTypeOf(n, tensors[n]!, saveOpts)]));
    saveSafetensors(join(dir, files[i]!), part, metadata, { ...saveOpts, dtypes });
    for (const n of shard.names) weightMap.push([n, files[i]!]);
  });
  const indexPath = join(dir, `${prefix}.safetensors.index.json`);
  writeFileAtomic(indexPath, JSON.stringify({ metadata: { total_size: totalSize }, weight_map: Object.fromEntries(weightMap) }, null, 2) + '\n');
  const stale = new RegExp(`^${escapeRegExp(prefix)}-\\d{5}-of-\\d{5}\\.safetensors$`);
  for (const f of readdirSync(dir)) if (stale.test(f) && !files.includes(f)) unlinkSync(join(dir, f));
  return indexPath;
}

/** The bytes `t` takes in the file, after checking the dtype asked for it. */
function fileBytes(name: string, t: unknown, opts: SafetensorsSaveOptions): number {
  if (!(t instanceof Tensor)) throw new ValueError(`saveSharded: '${name}' is not a Tensor`);
  return t.size * DTYPE_INFO[fileDTypeOf(name, t, opts)].itemSize;
}

/**
 * A sharded model opened for lazy reading (see `openSharded`): the index and every shard's header
 * are read and checked up front, each `get(name)` then reads one tensor from its shard.
 */
export class ShardedSafetensors {
  /** The index file's `metadata` object, or `{}`. */
  readonly metadata: Record<string, unknown>;
  private readonly files: SafetensorsFile[] = [];
  private readonly fileOf = new Map<string, SafetensorsFile>();

  /** Use `openSharded(dir)`. */
  constructor(indexPath: string) {
    const where = `loadSharded: ${indexPath}: `;
    const index = readIndex(indexPath, where);
    this.metadata = index.metadata;
    const dir = dirname(indexPath);
    const byFile = new Map<string, string[]>();
    for (const [name, file] of Object.entries(index.weightMap)) byFile.set(file, [...(byFile.get(file) ?? []), name]);
    try {
      for (const [file, names] of byFile) {
        const shard = openSafetensors(join(dir, file));
        this.files.push(shard);
        const missing = names.filter((n) => !shard.has(n));
        if (missing.length > 0) throw new FormatError(`${where}the index puts '${missing[0]}' in ${file}, which does not hold it (${missing.length} such tensors; the index and the shards come from different saves?)`);
        const extra = shard.keys().filter((n) => !Object.hasOwn(index.weightMap, n) || index.weightMap[n] !== file);
        if (extra.length > 0) throw new FormatError(`${where}${file} holds '${extra[0]}', which the index does not map to it (${extra.length} such tensors; the index and the shards come from different saves?)`);
        for (const n of names) this.fileOf.set(n, shard);
      }
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** The tensor names, in the index's order. */
  keys(): string[] {
    return [...this.fileOf.keys()];
  }

  /** True when some shard holds tensor `name`. */
  has(name: string): boolean {
    return this.fileOf.has(name);
  }

  /** dtype, shape and size of tensor `name`, without reading its data. */
  info(name: string): SafetensorsTensorInfo {
    return this.shard(name).info(name);
  }

  /** Reads tensor `name` from its shard. */
  get(name: string): Tensor {
    return this.shard(name).get(name);
  }

  /** Closes every shard. */
  close(): void {
    for (const f of this.files) f.close();
  }

  private shard(name: string): SafetensorsFile {
    const f = this.fileOf.get(name);
    if (f === undefined) throw new ValueError(`loadSharded: no tensor named '${name}' in the index`);
    return f;
  }
}

/**
 * Opens a sharded model for lazy reading. `path` is the directory holding
 * `model.safetensors.index.json` (or the index file itself); every name in its `weight_map` must
 * be in the shard it names, and every tensor of a shard in the map.
 *
 * @example
 * const model = nb.io.openSharded('llm');
 * const emb = model.get('embed_tokens.weight');
 * model.close();
 */
export function openSharded(path: string, opts: { prefix?: string } = {}): ShardedSafetensors {
  const indexPath = existsSync(path) && statSync(path).isDirectory() ? join(path, `${opts.prefix ?? 'model'}.safetensors.index.json`) : path;
  return new ShardedSafetensors(indexPath);
}

/**
 * Loads a sharded model written by `saveSharded` or by the Hugging Face tools: `path` is the
 * directory (or its `model.safetensors.index.json`). A directory with a single
 * `model.safetensors` and no index is loaded too, as the Hugging Face tools save small models.
 *
 * @example
 * const { tensors } = nb.io.loadSharded('bert-base');
 * nb.io.fromTorchStateDict(model, tensors);
 */
export function loadSharded(path: string, opts: { prefix?: string } = {}): ShardedContents {
  const prefix = opts.prefix ?? 'model';
  if (existsSync(path) && statSync(path).isDirectory() && !existsSync(join(path, `${prefix}.safetensors.index.json`))) {
    const single = join(path, `${prefix}.safetensors`);
    if (existsSync(single)) {
      const file = openSafetensors(single);
      try {
        return { tensors: Object.fromEntries(file.keys().map((n): [string, Tensor] => [n, file.get(n)])), metadata: file.metadata };
      } finally {
        file.close();
      }
    }
  }
  const model = openSharded(path, opts);
  try {
    return { tensors: Object.fromEntries(model.keys().map((n): [string, Tensor] => [n, model.get(n)])), metadata: model.metadata };
  } finally {
    model.close();
  }
}

function readIndex(indexPath: string, where: string): { metadata: Record<string, unknown>; weightMap: Record<string, string> } {
  let text: string;
  try {
    text = readFileSync(indexPath, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') {
      throw new FileNotFoundError(`loadSharded: no index at ${indexPath}; pass the directory that holds ${basename(indexPath)} (written by saveSharded or save_pretrained)`, indexPath);
    }
    throw unreadable('loadSharded', indexPath, err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`${where}not valid JSON (${(err as Error).message})`);
  }
  // weight_map's keys are tensor names, which a file may choose freely ('__proto__' included)
  const problem = jsonTreeProblem(json, { allowProtoKeys: true });
  if (problem !== null) throw new FormatError(`${where}the index ${problem}`);
  if (!isRecord(json) || !isRecord(json['weight_map'])) throw new FormatError(`${where}expected an object with a "weight_map" object of tensor name → shard file`);
  const metadata = json['metadata'] === undefined ? {} : json['metadata'];
  if (!isRecord(metadata)) throw new FormatError(`${where}"metadata" must be an object`);
  const weightMap = json['weight_map'];
  for (const [name, file] of Object.entries(weightMap)) {
    // a shard lives next to its index: a path could otherwise point anywhere on the disk
    // and is a name the system accepts: no NUL byte, at most 255 bytes (Linux's NAME_MAX)
    if (typeof file !== 'string' || file === '' || file === '.' || file === '..' || /[/\\\0]/.test(file) || Buffer.byteLength(file) > 255) {
      const shown = typeof file === 'string' && file.length > 80 ? `a name of ${file.length} characters` : JSON.stringify(file);
      throw new FormatError(`${where}weight_map['${name.slice(0, 80)}'] is ${shown}; expected the file name of a shard next to the index`);
    }
  }
  return { metadata, weightMap: weightMap as Record<string, string> };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
