/**
 * Mutating the files of one case: each step picks a file and applies the mutator its kind calls
 * for (JSON, safetensors, ONNX, PNG, JPEG, WAV, or bytes), or removes, empties or replaces it by a
 * directory.
 */
import type { CaseFiles } from '../format.js';
import type { Rng } from '../rng.js';
import { mutateBytes } from './bytes.js';
import { mutateJpeg } from './jpeg.js';
import { mutateJsonBytes } from './json.js';
import { mutateOnnx } from './onnx.js';
import { mutatePng } from './png.js';
import { mutateRiff } from './riff.js';
import { mutateSafetensors } from './safetensors.js';

/** A mutator of one file's bytes. */
export type BytesMutator = (rng: Rng, bytes: Uint8Array) => Uint8Array;

/** The mutator a file's name calls for. */
export function mutatorFor(name: string): BytesMutator {
  if (name.endsWith('.json')) return mutateJsonBytes;
  if (name.endsWith('.safetensors')) return mutateSafetensors;
  if (name.endsWith('.onnx')) return mutateOnnx;
  if (name.endsWith('.png')) return mutatePng;
  if (name.endsWith('.jpg') || name.endsWith('.jpeg')) return mutateJpeg;
  if (name.endsWith('.wav')) return mutateRiff;
  return mutateBytes;
}

/**
 * One to four mutation steps on `files`. `weights` favours some files (e.g. model.json over the
 * weights); `mutators` overrides the mutator of a file by name.
 */
export function mutateFiles(rng: Rng, files: CaseFiles, opts: { weights?: Record<string, number>; mutators?: Record<string, BytesMutator> } = {}): void {
  const steps = rng.weighted([[70, 1], [20, 2], [10, 4]] as const);
  for (let k = 0; k < steps; k++) {
    const names = [...files.keys()];
    if (names.length === 0) return;
    const name = rng.weighted(names.map((n) => [opts.weights?.[n] ?? 1, n] as const));
    const current = files.get(name)!;
    if (current === 'directory' || rng.chance(0.04)) {
      const op = rng.pick(['remove', 'empty', 'directory'] as const);
      if (op === 'remove') files.delete(name);
      else files.set(name, op === 'empty' ? new Uint8Array(0) : 'directory');
      continue;
    }
    const mutator = (opts.mutators && Object.hasOwn(opts.mutators, name) ? opts.mutators[name] : undefined) ?? mutatorFor(name);
    const out = mutator(rng, current);
    // a Buffer's slice() is a view, not a copy: keep plain arrays so later steps cannot alias
    files.set(name, Buffer.isBuffer(out) ? new Uint8Array(out) : out);
  }
}
