/**
 * Layer classes by name, so that a model saved as JSON (`{ className, config }` per layer) can be
 * rebuilt. Every built-in layer registers itself; custom layers call `registerLayer(MyLayer)`.
 */
import { ValueError } from '../tensor/errors.js';
import { isSerializedObject, type Config, type SerializedObject } from './config.js';
import type { Layer } from './layer.js';

/** The static side of a layer class: its name and `fromConfig`. */
export interface LayerClass {
  readonly name: string;
  fromConfig(config: Config): Layer;
}

const byName = new Map<string, LayerClass>();
const nameOf = new Map<LayerClass, string>();

/**
 * Registers a layer class for `layerFromConfig`, under `name` (default: the class name; give it
 * explicitly if your code is minified). Registering a name again replaces the earlier class.
 *
 * @example
 * class Scale extends nn.Layer { ... }
 * nn.registerLayer(Scale);
 */
export function registerLayer(cls: LayerClass, name: string = cls.name): void {
  if (!name) throw new ValueError('registerLayer: the class has no name; pass one: registerLayer(MyLayer, "MyLayer")');
  byName.set(name, cls);
  nameOf.set(cls, name);
}

/** The name a layer class was registered under, or null. */
export function registeredLayerName(cls: unknown): string | null {
  return nameOf.get(cls as LayerClass) ?? null;
}

/** The names of every registered layer class. */
export function registeredLayerNames(): string[] {
  return [...byName.keys()];
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
  const cls = byName.get(spec.className);
  if (!cls) {
    throw new ValueError(
      `layerFromConfig: unknown layer class '${spec.className}'. Registered: ${registeredLayerNames().join(', ')}; ` +
        'register custom layers with registerLayer(MyLayer)',
    );
  }
  return cls.fromConfig(spec.config);
}

/** `{ className, config }` of a layer: the JSON that `layerFromConfig` turns back into a layer. */
export function serializeLayer(layer: Layer): SerializedObject {
  return { className: layer.className, config: layer.getConfig() };
}
