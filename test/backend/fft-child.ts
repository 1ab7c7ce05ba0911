// Run by fft-native.test.ts in a child process with NABLA_KERNEL set: prints one JSON line with the
// SIMD level and the native rfft, stftPower and decibels of fixed inputs (fftInputs), as arrays of numbers.
import { nativeBackend, nativeKernelInfo } from '../../src/backend/index.js';
import { fftInputs } from './fft-inputs.js';

const native = nativeBackend({ minElements: 0, minGemm: 0 })!;
const { x, n, batch, idx, frames, length, window } = fftInputs();
const spec = new Float32Array(2 * batch * (n / 2 + 1));
native.rfft(x, 0, batch, n, spec);
const power = new Float32Array(frames * (n / 2 + 1));
native.stftPower(x, 0, 1, length, frames, n, idx, window, 2, 1, null, 0, power);
const odd = new Float32Array(2 * 3 * 188);
native.rfft(x, 0, 3, 375, odd);
const db = new Float32Array(x.length);
native.decibels(x, 0, x.length, 10 / Math.LN10, 1e-10, 0.5, db);
console.log(JSON.stringify({ simd: nativeKernelInfo()?.simd, rfft: Array.from(spec), stftPower: Array.from(power), odd: Array.from(odd), db: Array.from(db) }));
