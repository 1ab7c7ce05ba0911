/**
 * LoRA, low-rank adaptation (`nb.lora`): fine-tune a large model by training small matrices A
 * and B beside its frozen Dense and Conv2D kernels, then merge them in or ship them alone.
 *
 * @example
 * nb.lora.wrap(model, { rank: 8, alpha: 16 });
 * model.summary();                           // prints the table; trainable: the adapters only
 * await model.fit(x, y, { epochs: 3 });
 * nb.lora.saveAdapters(model, 'adapters.safetensors');
 * nb.lora.merge(model);                      // a plain model again, same outputs
 */
export { LoRALayer, type LoRAOptions, type LoRALayerOptions } from './lora-layer.js';
export { LoRADense } from './lora-dense.js';
export { LoRAConv2D } from './lora-conv2d.js';
export { wrap, merge, loraLayers, loraParameters, loraStateDict, type LoRAWrapOptions } from './wrap.js';
export { saveAdapters, loadAdapters } from './adapter-file.js';
