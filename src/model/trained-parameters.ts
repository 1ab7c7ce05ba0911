/**
 * The parameters a trainer steps, registered with its optimizer once and again only when they may
 * have changed. Collecting them walks the whole layer tree and builds every path string, which
 * costs as much as a small layer's forward; doing it once per `fit` (and when a weight is added,
 * as layers do on the first batch, or a `trainable` flag is set) keeps it off the step.
 */
import type { Layer } from '../nn/layer.js';
import { weightsVersion } from '../nn/weights-version.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';

/** Trainable parameters by property path, as `Layer.namedParameters()` lists them. */
export type NamedParameters = ReadonlyArray<readonly [string, Tensor]>;

/**
 * A model's trainable parameters and the optimizer they are registered with.
 *
 * @example
 * const tracked = new TrainedParameters();
 * const params = tracked.sync(model, optimizer); // walks the model only when weightsVersion() moved
 */
export class TrainedParameters {
  private optimizer: Optimizer | null = null;
  private version = -1;
  private params: NamedParameters = [];

  /** Forgets what was registered, so that the next `sync` collects again (`fit` does it once per run). */
  reset(): void {
    this.optimizer = null;
  }

  /**
   * The trainable parameters of `model`, registered with `optimizer` (`build` adds only what it
   * does not know yet: weights made lazily or unfrozen since). Collected again when the optimizer
   * is another one or `weightsVersion()` moved since the last collection.
   */
  sync(model: Layer, optimizer: Optimizer): NamedParameters {
    const version = weightsVersion();
    if (optimizer !== this.optimizer || version !== this.version) {
      this.params = model.namedParameters();
      optimizer.build(this.params);
      this.optimizer = optimizer;
      this.version = version;
    }
    return this.params;
  }
}
