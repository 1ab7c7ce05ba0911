import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { allocate, isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { div, sub } from '../ops/binary.js';
import { assertTensor } from '../ops/scalar.js';

/**
 * Standardises each channel: `(image − mean[c]) / std[c]` over the last (channel) axis of an
 * image `[H, W, C]` or a batch `[N, H, W, C]`. `mean` and `std` are one number for every channel
 * or one per channel. Differentiable with respect to the image.
 *
 * @example
 * // the ImageNet statistics, for images in [0, 1]
 * nb.image.normalize(img, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
 */
export function normalize(image: Tensor, mean: number | readonly number[], std: number | readonly number[]): Tensor {
  assertTensor('normalize', image, 'image');
  if (image.ndim < 1) throw new ShapeError(`normalize: expects an image with a channel axis, got shape ${fmt(image.shape)}`);
  if (!isFloat(image.dtype)) throw new DTypeError(`normalize: expects a float image, got ${image.dtype}; cast it with image.cast('float32')`);
  const channels = image.shape[image.ndim - 1]!;
  const m = perChannel('mean', mean, channels, image);
  const s = perChannel('std', std, channels, image);
  for (const v of s.storage) {
    if (!(v > 0)) throw new ValueError(`normalize: std must be positive in every channel, got ${JSON.stringify(std)}`);
  }
  return div(sub(image, m), s);
}

/** `value` as a `[C]` tensor of the image's dtype (a number is repeated for every channel). */
function perChannel(what: string, value: number | readonly number[], channels: number, image: Tensor): Tensor {
  const values = typeof value === 'number' ? new Array<number>(channels).fill(value) : value;
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ValueError(`normalize: ${what} must be a finite number or an array of them, got ${JSON.stringify(value)}`);
  }
  if (values.length !== channels) {
    throw new ShapeError(`normalize: ${what} has ${values.length} values but the image ${fmt(image.shape)} has ${channels} channels (last axis)`);
  }
  const data = allocate(image.dtype, channels);
  data.set(values);
  return new Tensor(data, [channels]);
}
