/**
 * The plain-JSON shapes in which layers, initializers and regularizers describe themselves, so
 * that a model can be saved as JSON and rebuilt (`getConfig()` / `fromConfig()`, as in Keras).
 */

/** A JSON-able record of constructor options. */
export type Config = Record<string, unknown>;

/** An object named by its class plus the config that rebuilds it: `{ className: 'Dense', config: {...} }`. */
export interface SerializedObject {
  className: string;
  config: Config;
}

/** True for `{ className: string, config: object }`. */
export function isSerializedObject(x: unknown): x is SerializedObject {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r.className === 'string' && typeof r.config === 'object' && r.config !== null;
}

