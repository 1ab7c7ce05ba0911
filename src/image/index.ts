/**
 * Images (`nb.image`): reading and writing PNG and JPEG files as tensors, resizing, and
 * per-channel normalisation. Images are channels-last float tensors `[H, W, C]` (batches
 * `[N, H, W, C]`) with values in [0, 1].
 *
 * @example
 * const img = nb.image.readImage('cat.jpg', { channels: 3 });
 * const x = nb.image.normalize(nb.image.resize(img, [224, 224]), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
 * nb.image.writeImage('small.png', nb.image.resize(img, [64, 64]));
 */
export { readImage, writeImage } from './file.js';
export { decodeImage, detectImageFormat, type DecodeOptions, type ImageFormat } from './decode.js';
export { DEFAULT_MAX_PIXELS } from './limits.js';
export { encodeImage, type EncodeOptions } from './encode.js';
export { resize, type ResizeOptions } from './resize.js';
export { normalize } from './normalize.js';
export { affineTransform, sampleImages, type Affine, type FillMode, type Interpolation, type SampleOptions, type SourcePoint } from './sample.js';
