/**
 * The ambient training flag (Keras 3's call context): while a layer runs, the flag it resolved
 * is set here, so that the sublayers its `call` applies without a `training` argument inherit
 * it. `fit` sets it to true around each training step, `evaluate` and `predict` to false, and
 * `checkpoint` puts back the one its forward saw while it recomputes in backward. It lives
 * beside the grad mode, below the layers, for that last reason.
 *
 * It is a plain module variable set and restored around synchronous calls only: a layer's
 * `call` and a training or test step are synchronous, so no await can interleave another
 * computation that would read the wrong flag.
 */

let ambient: boolean | undefined;

/** The training flag of the layer call in progress, or undefined outside any layer call. */
export function ambientTraining(): boolean | undefined {
  return ambient;
}

/**
 * Runs `fn` with the ambient training flag set to `training` (undefined: as outside any layer
 * call), then puts back the previous one, also when `fn` throws. `fn` must be synchronous: a
 * returned promise would outlive the flag.
 */
export function withTraining<T>(training: boolean | undefined, fn: () => T): T {
  const prev = ambient;
  ambient = training;
  try {
    return fn();
  } finally {
    ambient = prev;
  }
}
