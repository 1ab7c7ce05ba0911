/**
 * Layer classes by name, so that a model saved as JSON (`{ className, config }` per layer) can be
 * rebuilt. Every built-in layer registers itself; custom layers call `registerLayer(MyLayer)`.
 */
import { ValueError } from '../tensor/errors.js';
import { Registry } from '../tensor/registry.js';
import { checkConfigKeys, describeValue } from './config-check.js';
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
  if (!isSerializedObject(spec) || Array.isArray(spec.config)) {
    throw new ValueError(`layerFromConfig: expected { className, config }, got ${describeValue(spec)}`);
  }
  const cls = registry.get(spec.className);
  const name = typeof spec.config.name === 'string' ? spec.config.name : null;
  let layer: Layer;
  try {
    layer = cls.fromConfig(spec.config);
    // a key the layer does not write back is one it ignores: refused, not silently dropped
    checkConfigKeys(layer.describe(), spec.config, [...FRAMEWORK_KEYS, ...Object.keys(layer.getConfig())]);
  } catch (e) {
    throw locate(e, spec.className, name);
  }
  return layer;
}

/** Keys every layer accepts, also where its getConfig leaves them out (inputShape when none). */
const FRAMEWORK_KEYS = ['name', 'trainable', 'dtype', 'inputShape'];

const located = new WeakSet<Error>();

/**
 * Says which layer of a saved model an error is about (`(in the config of Dense 'dense_2')`), once:
 * in a model of many Dense layers, "Dense: units must be…" alone does not say which.
 */
function locate(e: unknown, className: string, name: string | null): unknown {
  if (!(e instanceof ValueError) || located.has(e)) return e;
  if (name !== null && !e.message.includes(`'${name}'`)) {
    const before = e.message;
    e.message += ` (in the config of ${className} '${name.slice(0, 60)}')`;
    // Node prints the stack of an uncaught error, written when it was made: say it there too
    if (typeof e.stack === 'string') e.stack = e.stack.replace(before, e.message);
  }
  located.add(e);
  return e;
}

/** `{ className, config }` of a layer: the JSON that `layerFromConfig` turns back into a layer. */
export function serializeLayer(layer: Layer): SerializedObject {
  return { className: layer.className, config: layer.getConfig() };
}
