/**
 * A counter of the changes that alter which weights training updates: a weight added (layers make
 * theirs lazily, on the first batch) or a `trainable` flag set. A trainer that registered a
 * model's parameters with its optimizer at one value need not walk the layer tree again until the
 * value changes. It counts changes in every layer, not one model's, so a change elsewhere costs a
 * trainer one needless walk, never a missed one.
 */

let version = 0;

/** The current value; compare it with the value seen when the parameters were last collected. */
export function weightsVersion(): number {
  return version;
}

/** Records a change: called by `Layer.addWeight` and the `trainable` setter. */
export function bumpWeightsVersion(): void {
  version++;
}
