import { ValueError } from '../../tensor/errors.js';

/**
 * Checks that every id is an integer in `[0, vocabSize)`, naming the first bad one and where it
 * is: `decode: token id 5000 is outside the vocabulary (size 1000), at index 3; …`.
 */
export function checkTokenIds(ids: ArrayLike<number>, vocabSize: number, op: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (Number.isInteger(id) && id >= 0 && id < vocabSize) continue;
    const what = Number.isInteger(id) ? 'is outside the vocabulary' : 'is not an integer id in the vocabulary';
    throw new ValueError(
      `${op}: token id ${id} ${what} (size ${vocabSize}), at index ${i}; ` +
        `ids must be integers from 0 to ${vocabSize - 1} produced by this tokenizer`,
    );
  }
}
