/** max |a − b| / max |b|: an error relative to the signal's (or spectrum's) peak, for outputs whose small entries carry float32 noise of the large ones. */
export function peakRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let peak = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    peak = Math.max(peak, Math.abs(b[i]!));
  }
  return err / peak;
}
