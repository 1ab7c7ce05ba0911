/**
 * The backend's vocabulary for storage: the typed arrays kernels read and write. Kernels know
 * nothing of tensors, so these live here, on the lowest floor, and `tensor/` builds on them.
 */

/** Any storage a tensor can have: float32, float64, int32, or bool (as bytes). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The storage of a floating-point tensor, which the fused and optimizer kernels take. */
export type FloatArray = Float32Array | Float64Array;
