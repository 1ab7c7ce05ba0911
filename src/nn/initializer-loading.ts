/**
 * Building a model only to overwrite its weights from a file (`loadModel`). Two things change
 * for the weights layers add (`addWeight`) while `buildingToLoad` runs:
 *
 * - they are allocated without computing their initial values (`skipValues`): those are about
 *   to be replaced, and some cost far more than the file does (an Orthogonal `[4000, 16000]`
 *   recurrent kernel is ~10¹¹ operations of Gram–Schmidt);
 * - each is counted against the values the file holds. A model loads only
 *   when each of its weights has a tensor of the same shape in the file, so a model.json asking
 *   for more values than that can never load: it is refused before the weight is allocated, which
 *   bounds what a small hostile model.json can make us allocate by the size of its weights file.
 */
import { FormatError } from '../formats/errors.js';

/** What the weights of a model being loaded may take, and how errors name the file. */
export interface LoadingBudget {
  /** How many values (tensor elements) the weights file holds in all. */
  values: number;
  /** The file as errors name it (`dir/weights.safetensors (2.1 kB)`). */
  file: string;
  /** Who is loading, as errors start (`loadModel: dir/model.json`). */
  who: string;
}

interface Loading extends LoadingBudget {
  /** Values claimed by the weights built so far. */
  claimed: number;
}

let loading: Loading | null = null;

/**
 * Runs `build` (which constructs and builds a model) with the weights' initial values skipped and
 * every weight counted against `budget`; see the file comment. Restores the previous mode on
 * return or throw.
 */
export function buildingToLoad<T>(budget: LoadingBudget, build: () => T): T {
  const saved = loading;
  loading = { ...budget, claimed: 0 };
  try {
    return build();
  } finally {
    loading = saved;
  }
}

/**
 * Counts a weight of `shape` about to be added by `owner` (`LSTM 'lstm'`) against the budget of
 * the model being loaded, and throws a FormatError naming the layer, the weight, its shape and the
 * file when the file cannot hold it. Returns whether a model is being loaded (the weight's values
 * will come from the file, so computing initial ones can be skipped); false, and nothing counted,
 * outside `buildingToLoad`.
 */
export function claimWeight(owner: string, name: string, shape: readonly number[]): boolean {
  if (loading === null) return false;
  // a malformed shape (NaN, negative) is left to the initializer's shape check, which names it
  const size = shape.reduce((a, b) => a * b, 1);
  if (!(size >= 0)) return true;
  const total = loading.claimed + size;
  if (total > loading.values) {
    const before = loading.claimed > 0 ? ` (with the ${count(loading.claimed)} values of the weights built before it, ${count(total)})` : '';
    throw new FormatError(
      `${loading.who}: ${owner} asks for a weight '${name}' of shape [${shape.join(', ')}], ${count(size)} values${before}, ` +
        `but ${loading.file} holds only ${count(loading.values)} values in all; the model's config does not match its weights file`,
    );
  }
  loading.claimed = total;
  return true;
}

/** `64,000,000`: large counts readable in messages. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}
