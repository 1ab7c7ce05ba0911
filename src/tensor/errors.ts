/** A shape does not fit what an op needs. The message names the op, the shapes and the remedy. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A dtype does not fit what an op needs (e.g. `log` of an int32 tensor). */
export class DTypeError extends Error {
  override name = 'DTypeError';
}

/** A value is out of range or otherwise invalid (axis, index, option). */
export class ValueError extends Error {
  override name = 'ValueError';
}
