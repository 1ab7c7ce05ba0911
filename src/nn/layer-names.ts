const counters = new Map<string, number>();

/** Keras' snake_case of a class name: `BatchNormalization` → `batch_normalization`, `Conv2D` → `conv2d`. */
export function snakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A default layer name, as Keras makes them: the snake_case class name, then with a counter
 * (`dense`, `dense_1`, `dense_2`…), counted per class name for the whole process.
 */
export function uniqueLayerName(className: string): string {
  const base = snakeCase(className);
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Forgets the name counters, so the next Dense is called `dense` again (tests, notebooks). */
export function resetLayerNames(): void {
  counters.clear();
}
