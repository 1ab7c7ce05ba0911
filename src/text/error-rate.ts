/**
 * Edit distance and error rates of recognised sequences against their references: the word or
 * digit error rate of speech recognition (Levenshtein distance ÷ reference length).
 */
import { ValueError } from '../tensor/errors.js';

/**
 * The Levenshtein distance between two sequences: the fewest substitutions, deletions and
 * insertions that turn `reference` into `hypothesis` (each costs 1).
 *
 * @example
 * nb.text.editDistance([1, 2, 3], [1, 3, 3, 4])   // 2 (one substitution, one insertion)
 */
export function editDistance<T>(reference: readonly T[], hypothesis: readonly T[]): number {
  // one row of the dynamic programme at a time: prev[j] = distance(ref[0..i), hyp[0..j))
  let prev = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const same = reference[i - 1] === hypothesis[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + same));
    }
    prev = row;
  }
  return prev[hypothesis.length]!;
}

/**
 * The error rate of hypotheses against references, summed over the corpus: Σ edit distance ÷
 * Σ reference length (the word error rate of speech recognition; for digit strings the digit
 * error rate). Insertions count, so it can exceed 1.
 *
 * @example
 * nb.text.errorRate([[1, 2], [3]], [[1, 2], [4]])   // 1/3
 */
export function errorRate<T>(references: readonly (readonly T[])[], hypotheses: readonly (readonly T[])[]): number {
  if (references.length !== hypotheses.length) throw new ValueError(`errorRate: ${references.length} references but ${hypotheses.length} hypotheses; give one hypothesis per reference`);
  let edits = 0;
  let length = 0;
  references.forEach((r, i) => {
    edits += editDistance(r, hypotheses[i]!);
    length += r.length;
  });
  if (length === 0) throw new ValueError('errorRate: the references are all empty, so the rate is undefined');
  return edits / length;
}
