import type { Tensor } from './tensor.js';

const EDGE = 3; // values shown at each end of a long dimension
const SUMMARISE_OVER = 1000;

/**
 * Prints a tensor like NumPy/PyTorch: nested brackets, aligned values, long dimensions elided.
 * `tensor([[1, 2], [3, 4]])` → `tensor([[1, 2],\n        [3, 4]], dtype=float32)`.
 */
export function formatTensor(t: Tensor): string {
  const flat = t.data();
  const shape = t.shape;
  const summarise = flat.length > SUMMARISE_OVER;
  const isFloatType = t.dtype === 'float32' || t.dtype === 'float64';
  const allIntegral = Array.prototype.every.call(flat, (v: number) => Number.isInteger(v));
  const fmtValue = (v: number): string => {
    if (t.dtype === 'bool') return v ? 'true' : 'false';
    if (!isFloatType) return String(v);
    if (!Number.isFinite(v)) return String(v);
    if (allIntegral && Math.abs(v) < 1e8) return `${v}.`;
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-4 || a >= 1e8) ? v.toExponential(4) : v.toFixed(4);
  };
  const strs: string[] = [];
  for (let i = 0; i < flat.length; i++) strs.push(fmtValue(flat[i]!));
  const width = Math.max(0, ...strs.map((s) => s.length));
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  const indent = 'tensor('.length;
  const render = (dim: number, start: number): string => {
    if (dim === shape.length) return strs[start]!.padStart(width);
    const n = shape[dim]!;
    const parts: string[] = [];
    const push = (i: number) => parts.push(render(dim + 1, start + i * strides[dim]!));
    if (summarise && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) push(i);
      parts.push('...');
      for (let i = n - EDGE; i < n; i++) push(i);
    } else {
      for (let i = 0; i < n; i++) push(i);
    }
    const sep = dim === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - 1 - dim) + ' '.repeat(indent + dim + 1);
    return '[' + parts.join(sep) + ']';
  };
  const body = shape.length === 0 ? strs[0]! : render(0, 0);
  const extra = t.dtype === 'float32' ? '' : `, dtype=${t.dtype}`;
  const grad = t.requiresGrad ? ', requiresGrad=true' : '';
  const shapeNote = summarise ? `, shape=[${shape.join(',')}]` : '';
  return `tensor(${body}${extra}${shapeNote}${grad})`;
}
