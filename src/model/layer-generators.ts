import type { Layer } from '../nn/layer.js';
import { defaultGenerator, Generator } from '../tensor/random.js';

/**
 * The random generators a model's layers own (a seeded Dropout's, an augmentation layer's, a
 * recurrent layer's dropout masks), by `<layer path>.<property>` (`layers.1.generator`; the
 * model's own by property name). They are found in properties as weights and sublayers are, each
 * once; the default generator is left out (it is saved on its own). Fit's checkpoints keep their
 * states, so that a resumed run draws the masks the uninterrupted one would.
 *
 * @example
 * new Map(namedGenerators(model)) // Map { 'layers.1.generator' => Generator }
 */
export function namedGenerators(model: Layer): [string, Generator][] {
  const out: [string, Generator][] = [];
  const seen = new Set<Generator>([defaultGenerator]);
  const layers: [string, Layer][] = [['', model], ...model.namedLayers().map(([path, layer]): [string, Layer] => [`${path}.`, layer])];
  for (const [prefix, layer] of layers) {
    const props = layer as unknown as Record<string, unknown>;
    for (const key of Object.keys(props)) {
      const v = props[key];
      if (v instanceof Generator && !seen.has(v)) {
        seen.add(v);
        out.push([prefix + key, v]);
      }
    }
  }
  return out;
}
