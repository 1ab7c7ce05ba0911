/**
 * Warnings: misuse that still lets the program run but gives a wrong or surprising result (logits
 * fed to a probability loss, a learning-rate warm-up longer than the run, a loss that a save
 * cannot keep) is said once on the console, prefixed `nabla: `. `console.warn` reaches stderr
 * on Node and the developer console in a browser, and tests capture it with a mock.
 */

/**
 * Writes `nabla: <message>` with `console.warn`.
 *
 * @example
 * warn('save: the loss function cannot be written to model.json');
 */
export function warn(message: string): void {
  console.warn(`nabla: ${message}`);
}
