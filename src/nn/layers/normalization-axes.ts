import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt, normalizeAxis } from '../../tensor/shape.js';
import { checkInteger, checkIntegerList } from '../config-check.js';

/**
 * The `axis` option of a normalization over one or more axes: an integer or a non-empty array of
 * them (default −1, the last axis). Whether they exist is checked against each input's rank.
 */
export function readAxis(owner: string, axis: unknown): number | number[] {
  if (axis === undefined || axis === null) return -1;
  if (!Array.isArray(axis)) return checkInteger(owner, 'axis', axis);
  const list = checkIntegerList(owner, 'axis', axis);
  if (list.length === 0) throw new ValueError(`${owner}: axis must name at least one axis, got the array []`);
  return list;
}

/**
 * The feature axes of a normalization layer for inputs of rank `ndim`, sorted and non-negative,
 * with an error naming the layer when an axis does not exist.
 */
export function resolveAxes(owner: string, axis: number | readonly number[], ndim: number): number[] {
  const list = typeof axis === 'number' ? [axis] : axis.slice();
  if (list.length === 0) throw new ValueError(`${owner}: axis must name at least one axis`);
  if (ndim === 0) throw new ShapeError(`${owner}: needs inputs with at least 1 dim, got a scalar`);
  const out = list.map((a) => normalizeAxis(owner, a, ndim));
  if (new Set(out).size !== out.length) throw new ValueError(`${owner}: axis [${list.join(',')}] repeats an axis`);
  return out.sort((a, b) => a - b);
}

/** The shape that broadcasts a parameter over `shape`: the sizes of `axes`, 1 elsewhere. */
export function broadcastParamShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? d : 1));
}

/** Checks that `shape` has the sizes the parameters were built for, on the feature axes. */
export function checkFeatureDims(owner: string, shape: readonly number[], axes: readonly number[], built: readonly number[]): void {
  const got = axes.map((a) => shape[a]);
  if (got.length !== built.length || got.some((d, i) => d !== built[i])) {
    throw new ShapeError(`${owner}: was built for feature dims ${fmt(built)} on axes [${axes.join(',')}], got input of shape ${fmt(shape)}`);
  }
}
