/**
 * Layer classes by name, so that a model saved as JSON (`{ className, config }` per layer) can be
 * rebuilt. Every built-in layer registers itself; custom layers call `registerLayer(MyLayer)`.
 */
import { ValueError } from '../tensor/errors.js';
import { Registry } from '../tensor/registry.js';
import { isSerializedObject, type Config, type SerializedObject } from './config.js';
import type { Layer } from './layer.js';

/** The static side of a layer class: its name and `fromConfig`. */
export interface LayerClass {
  readonly name: string;
  fromConfig(config: Config): Layer;
}

const registry = new Registry<LayerClass>({ kind: 'layer class', hint: 'Register custom layers with registerLayer(MyLayer).' });

/**
 * Registers a layer class for `layerFromConfig`, under `name` (default: the class name; give it
 * explicitly if your code is minified). Registering a name again (in any case or with
 * underscores) replaces the earlier class.
 *
 * @example
 * class Scale extends nn.Layer { ... }
 * nn.registerLayer(Scale);
 */
export function registerLayer(cls: LayerClass, name: string = cls.name): void {
  if (!name) throw new ValueError('registerLayer: the class has no name; pass one: registerLayer(MyLayer, "MyLayer")');
  registry.register(name, cls);
}

/** The name a layer class was registered under, or null. */
export function registeredLayerName(cls: unknown): string | null {
  return registry.nameOf(cls as LayerClass) ?? null;
}

/** The names of every registered layer class. */
export function registeredLayerNames(): string[] {
  return registry.names();
}

/**
 * Rebuilds a layer from its serialized form. The new layer is not built: its weights appear on
 * the first `apply` (load saved values afterwards with `loadStateDict`).
 *
 * @example
 * const copy = nn.layerFromConfig(nn.serializeLayer(dense));
 */
export function layerFromConfig(spec: SerializedObject): Layer {
  if (!isSerializedObject(spec)) {
    throw new ValueError(`layerFromConfig: expected { className, config }, got ${JSON.stringify(spec)}`);
  }
  return registry.get(spec.className).fromConfig(spec.config);
}

/** `{ className, config }` of a layer: the JSON that `layerFromConfig` turns back into a layer. */
export function serializeLayer(layer: Layer): SerializedObject {
  return { className: layer.className, config: layer.getConfig() };
}
