/** How the `nabla` commands print results: one format for accuracies everywhere. */

/** A fraction as a percentage with two decimals: 0.84583 → `84.58%`. */
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)}%`;
}

/**
 * Loss and metrics as `test accuracy: 84.58%  test loss: 0.4321`: accuracies (any metric whose
 * name holds `accuracy`) first and in percent with two decimals, the rest with four decimals.
 *
 * @example
 * formatResults({ loss: 0.43214, accuracy: 0.84583 }) // 'test accuracy: 84.58%  test loss: 0.4321'
 */
export function formatResults(result: Readonly<Record<string, number>>, prefix = 'test '): string {
  const isAccuracy = (name: string) => name.includes('accuracy');
  const names = Object.keys(result).sort((a, b) => Number(isAccuracy(b)) - Number(isAccuracy(a)));
  return names.map((k) => `${prefix}${k}: ${isAccuracy(k) ? percent(result[k]!) : result[k]!.toFixed(4)}`).join('  ');
}
