/** Fixed inputs of the native FFT kernels, shared by fft-native.test.ts and its child process. */
export function fftInputs() {
  const n = 400;
  const batch = 9;
  const length = batch * n;
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = Math.sin(0.37 * i) + 0.25 * Math.cos(0.011 * i * i);
  const hop = 160;
  const frames = 1 + Math.floor((length - n) / hop);
  const idx = new Int32Array(frames * n);
  for (let t = 0; t < frames; t++) for (let s = 0; s < n; s++) idx[t * n + s] = t * hop + s;
  const window = new Float32Array(n);
  for (let s = 0; s < n; s++) window[s] = 0.5 - 0.5 * Math.cos((2 * Math.PI * s) / n);
  return { x, n, batch, idx, frames, length, window };
}
