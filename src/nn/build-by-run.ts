/**
 * Keras' build-by-run: a layer whose weights live in its sublayers (a subclassed `Model`, a
 * `Sequential`) is built by running it once, since only its `call` knows the shapes its
 * sublayers see.
 */
import { noGrad } from '../tensor/grad-mode.js';
import { zeros } from '../tensor/creation.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import { FormatError } from '../formats/errors.js';
import type { Layer } from './layer.js';

/**
 * Runs `layer` once in inference mode on zeros of `shape` (batch included), without recording
 * gradients, so that every sublayer makes its weights; int32 zeros when it refuses floats (a
 * model reading token ids). A failed run leaves the layer unbuilt and says what `build` tried.
 */
export function buildByRun(layer: Layer, shape: number[]): void {
  const run = (dtype: 'float32' | 'float64' | 'int32') => noGrad(() => layer.apply(zeros(shape, { dtype }), false));
  try {
    try {
      run(layer.dtype);
    } catch (e) {
      if (!(e instanceof DTypeError)) throw e;
      run('int32');
    }
  } catch (e) {
    layer.built = false;
    // a model.json asking for more than its weights file holds (initializer-loading.ts) is about the file, not the run
    if (e instanceof FormatError) throw e;
    throw new ValueError(
      `${layer.describe()}: build([${shape.join(', ')}]) makes the sublayers' weights by running the layer once on zeros of that shape, and that run failed: ${(e as Error).message}`,
    );
  }
}
